import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import * as tables from "../schema/tables.ts";
import type { FactTable } from "../schema/tables.ts";
import { AMOUNT_FIELDS } from "./fields.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const iso3 = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 3166-1 alpha-3 code");
/** null (or absent) in gold means "any value accepted". */
const anyCountry = iso3.nullable().optional();
const amount = z.number().finite().nonnegative().nullable().optional();

/** Annotations a coder may put on any gold fact, beyond the table's own columns. */
const annotations = {
  optional: z.boolean().optional(),
  tol: z.number().positive().max(1).optional(),
  period_start: isoDate.nullable().optional(),
  period_end: isoDate.nullable().optional(),
  period_alt: z.array(z.tuple([isoDate, isoDate])).optional(),
  quote: z.string().optional(),
  note: z.string().optional(),
};

/**
 * A gold fact: the scored key fields typed strictly, any other column of the table allowed
 * (commodity, place, items ... are documentation), and anything else rejected so that a typo
 * such as "vaule_usd" fails loudly instead of silently turning into "any value".
 */
function goldFact<C extends z.ZodRawShape, S extends z.ZodRawShape>(table: FactTable, columns: z.ZodObject<C>, keys: S) {
  return z.strictObject(columns.partial().shape).extend(annotations).extend(keys).superRefine((fact, ctx) => {
    const f = fact as Record<string, unknown>;
    // A fact with no amount can never match (scoring needs one shared amount).
    if (!AMOUNT_FIELDS[table].some((a) => f[a] != null)) {
      ctx.addIssue({ code: "custom", message: `needs one of ${AMOUNT_FIELDS[table].join(", ")}` });
    }
    const start = f.period_start ?? null;
    const end = f.period_end ?? null;
    if ((start === null) !== (end === null)) ctx.addIssue({ code: "custom", message: "period_start and period_end must both be set or both null" });
    for (const [s, e] of [[start, end], ...((f.period_alt as [string, string][] | undefined) ?? [])]) {
      if (s !== null && e !== null && String(s) > String(e)) ctx.addIssue({ code: "custom", message: `period ${s}..${e} ends before it starts` });
    }
  });
}

export const GoldTrade = goldFact("trade_flows", tables.trade_flows, {
  flow: z.enum(["export", "import", "turnover"]),
  reporter_iso3: anyCountry,
  partner_iso3: anyCountry,
  status: z.enum(["reported", "target", "forecast", "potential"]),
  value_usd: amount,
  quantity_tonnes: amount,
});

export const GoldAid = goldFact("aid_shipments", tables.aid_shipments, {
  donor_iso3: anyCountry,
  recipient_iso3: anyCountry,
  kind: z.enum(["shipment", "aggregate", "pledge"]),
  weight_tonnes: amount,
  value_usd: amount,
  railcars: amount,
  aid_items: z.array(z.strictObject({ item: z.string().min(1), quantity: z.number().finite(), unit: z.string().min(1) })).optional(),
});

export const GoldContract = goldFact("contracts", tables.contracts, {
  parties_iso3: z.string().regex(/^[A-Z]{3}(;[A-Z]{3})*$/, "expected ISO3 codes separated by ';'").nullable().optional(),
  value_usd: amount,
  quantity_tonnes: amount,
  n_contracts: amount,
});

export const GoldGrant = goldFact("grants", tables.grants, {
  donor_iso3: anyCountry,
  recipient_iso3: anyCountry,
  status: z.enum(["current", "planned"]),
  grants_per_year: amount,
  students: amount,
  institutions: amount,
});

export const GoldFileSchema = z.strictObject({
  article_id: z.string().min(1),
  published_date: isoDate.nullable().optional(),
  trade_flows: z.array(GoldTrade).default([]),
  aid_shipments: z.array(GoldAid).default([]),
  contracts: z.array(GoldContract).default([]),
  grants: z.array(GoldGrant).default([]),
  not_facts: z.array(z.string()).optional(),
  doubts: z.array(z.string()).optional(),
});

export type GoldTrade = z.output<typeof GoldTrade>;
export type GoldAid = z.output<typeof GoldAid>;
export type GoldContract = z.output<typeof GoldContract>;
export type GoldGrant = z.output<typeof GoldGrant>;
export type GoldFile = z.output<typeof GoldFileSchema>;
/** What a gold file may be written as (tables may be omitted). */
export type GoldFileInput = z.input<typeof GoldFileSchema>;

export interface GoldOf {
  trade_flows: GoldTrade;
  aid_shipments: GoldAid;
  contracts: GoldContract;
  grants: GoldGrant;
}

/** Validate one parsed gold document; `source` names it in error messages. */
export function parseGold(json: unknown, source = "gold"): GoldFile {
  const result = GoldFileSchema.safeParse(json);
  if (!result.success) throw new Error(`${source}: invalid gold file\n${z.prettifyError(result.error)}`);
  return result.data;
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
