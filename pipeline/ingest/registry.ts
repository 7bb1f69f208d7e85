import type { Articles } from "../schema/tables.ts";

/** Metadata the source registry (sources/articles.csv) holds for files that carry none. */
export type RegistryEntry = Pick<Articles, "article_id" | "source_file" | "title" | "publisher" | "url" | "published_date" | "published_basis">;

export function registryFromRows(rows: Record<string, string>[]): Map<string, RegistryEntry> {
  const out = new Map<string, RegistryEntry>();
  for (const r of rows) {
    const blank = (v: string | undefined) => (v && v.trim() !== "" ? v.trim() : null);
    const file = r.source_file ?? "";
    out.set(file, {
      article_id: r.article_id ?? file.replace(/\.[^.]+$/, ""),
      source_file: file,
      title: blank(r.title),
      publisher: blank(r.publisher),
      url: blank(r.url),
      published_date: blank(r.published_date),
      published_basis: blank(r.published_basis),
    });
  }
  return out;
}
