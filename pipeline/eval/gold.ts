import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { FACT_TABLES, factTable, type FactTable, type FactTableDef, type GoldOf } from "../schema/tables.ts";
import { annotations, isoDate } from "./rules.ts";

/**
 * A gold fact: the scored key fields typed strictly (the entry's eval.gold), any other column of the table
 * allowed (commodity, place, items ... are documentation), and anything else rejected so that a typo such as
 * "vaule_usd" fails loudly instead of silently turning into "any value".
 */
function goldFact(def: FactTableDef) {
  const amounts = Object.keys(def.amounts);
  return z.strictObject(def.schema.partial().shape).extend(annotations).extend(def.eval.gold).superRefine((fact, ctx) => {
    const f = fact as Record<string, unknown>;
    // A fact with no amount can never match (scoring needs one shared amount).
    if (!amounts.some((a) => f[a] != null)) {
      ctx.addIssue({ code: "custom", message: `needs one of ${amounts.join(", ")}` });
    }
    const start = f.period_start ?? null;
    const end = f.period_end ?? null;
    if ((start === null) !== (end === null)) ctx.addIssue({ code: "custom", message: "period_start and period_end must both be set or both null" });
    for (const [s, e] of [[start, end], ...((f.period_alt as [string, string][] | undefined) ?? [])]) {
      if (s !== null && e !== null && String(s) > String(e)) ctx.addIssue({ code: "custom", message: `period ${s}..${e} ends before it starts` });
    }
  });
}

/** A gold file: the article, then a list of gold facts per fact table (each may be omitted). */
export const GoldFileSchema = z.strictObject({
  article_id: z.string().min(1),
  published_date: isoDate.nullable().optional(),
  ...(Object.fromEntries(FACT_TABLES.map((t) => [t, z.array(goldFact(factTable(t))).default([])])) as Record<FactTable, z.ZodDefault<z.ZodArray<ReturnType<typeof goldFact>>>>),
  not_facts: z.array(z.string()).optional(),
  doubts: z.array(z.string()).optional(),
});

export type GoldFile = Omit<z.output<typeof GoldFileSchema>, FactTable> & { [T in FactTable]: GoldOf[T][] };
/** What a gold file may be written as (tables may be omitted). */
export type GoldFileInput = Omit<z.input<typeof GoldFileSchema>, FactTable> & { [T in FactTable]?: Partial<GoldOf[T]>[] };
export type { GoldOf };

/** Validate one parsed gold document; `source` names it in error messages. */
export function parseGold(json: unknown, source = "gold"): GoldFile {
  const result = GoldFileSchema.safeParse(json);
  if (!result.success) throw new Error(`${source}: invalid gold file\n${z.prettifyError(result.error)}`);
  return result.data as GoldFile;
}

/** Load every `*.json` in a gold folder, sorted by file name; each must be named `<article_id>.json`. */
export async function loadGold(goldDir: string): Promise<GoldFile[]> {
  const names = (await readdir(goldDir)).filter((n) => n.endsWith(".json")).sort();
  const files: GoldFile[] = [];
  for (const name of names) {
    const path = join(goldDir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (err) {
      throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
    }
    const gold = parseGold(json, path);
    // The file name is how a corpus pairs gold with articles; a mismatch is a coding slip.
    if (gold.article_id !== basename(name, ".json")) throw new Error(`${path}: article_id "${gold.article_id}" does not match the file name`);
    files.push(gold);
  }
  return files;
}
