import { beforeAll, describe, expect, it } from "vitest";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { articleFromText } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import type { ExtractedFact } from "../pipeline/types.ts";

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = buildGazetteer(await loadReference(new URL("../sources", import.meta.url).pathname));
});

function contract(text: string, published: string | null): ExtractedFact {
  const cs = extractArticle(articleFromText("t", text, published), gazetteer).facts.filter((f) => f.table === "contracts");
  expect(cs).toHaveLength(1);
  return cs[0]!;
}
const when = (f: ExtractedFact) => [f.fields.event_date, f.fields.period_start, f.fields.period_end];

describe("deal dates: the day a contract was made", () => {
  it("a written day takes the year of publication", () => {
    expect(when(contract("Tajik and Afghan firms signed contracts worth $18 million on 3 August.", "2023-08-05"))).toEqual(["2023-08-03", null, null]);
  });

  it("a weekday is the latest such day on or before publication", () => {
    expect(when(contract("Kyrgyzstan and Afghanistan on Monday signed agreements worth $7 million.", "2024-05-08"))).toEqual(["2024-05-06", null, null]);
    expect(when(contract("Kyrgyzstan and Afghanistan signed agreements worth $7 million on Wednesday.", "2024-05-08"))).toEqual(["2024-05-08", null, null]);
  });

  it("yesterday is the day before publication", () => {
    expect(when(contract("Turkmen and Afghan companies yesterday signed contracts worth $11 million.", "2024-03-01"))).toEqual(["2024-02-29", null, null]);
  });

  it("last week and earlier this week are spans, not days: event_date stays null", () => {
    expect(when(contract("Iranian and Afghan traders signed deals worth $6 million last week.", "2024-05-08"))).toEqual([null, "2024-04-29", "2024-05-05"]);
    expect(when(contract("Earlier this week Iranian and Afghan traders signed deals worth $6 million.", "2024-05-08"))).toEqual([null, "2024-05-06", "2024-05-08"]);
  });

  it("'signed in' a year is the span the deal was made in", () => {
    expect(when(contract("Contracts worth $40 million were signed in 2023 by Uzbek and Afghan firms.", "2024-05-08"))).toEqual([null, "2023-01-01", "2023-12-31"]);
  });

  it("'recently' gives neither a day nor a span", () => {
    expect(when(contract("Pakistani and Afghan businessmen recently signed contracts worth $9 million.", "2024-05-08"))).toEqual([null, null, null]);
  });

  it("the day of a report is not the day of the deal", () => {
    expect(when(contract("Contracts worth $25 million were signed between Tajik and Afghan firms, the ministry said on Tuesday.", "2024-05-08"))).toEqual([null, null, null]);
  });

  it("the next sentence saying the contracts were signed dates them", () => {
    const f = contract("Kazakhstan is ready to invest $80 million in two railway projects in Afghanistan. The agreements were signed in Herat on 14 March.", "2024-05-08");
    expect(f.fields).toMatchObject({ event_date: "2024-03-14", status: "signed" });
  });

  it("the terms of a deal named before take the day of its signing", () => {
    const f = contract("Afghan and Indian firms signed a contract on 2 June. Under this contract, 6,000 tons of raisins worth $12 million will be exported to India.", "2024-06-20");
    expect(f.fields.event_date).toBe("2024-06-02");
  });

  it("a planned deal's weekday is still to come, so it is not resolved backwards", () => {
    expect(when(contract("Kyrgyz and Afghan firms will sign contracts worth $20 million on Friday.", "2024-05-08"))).toEqual([null, null, null]);
  });

  it("without a publication date a relative day stays null and a note says why", () => {
    const f = contract("Kyrgyzstan and Afghanistan on Monday signed agreements worth $7 million.", null);
    expect(f.fields.event_date).toBeNull();
    expect(f.notes).toEqual([expect.objectContaining({ check: "unresolved_date", message: expect.stringMatching(/on Monday.*no publication date/) })]);
  });
});

describe("deal direction: who supplies whom", () => {
  it("the doer of a supply verb sells, 'to X' buys", () => {
    const f = contract("Under the agreement, Tajikistan will export 500 million kWh of electricity to Afghanistan for $20 million.", "2024-05-08");
    expect(f.fields).toMatchObject({ seller_iso3: "TJK", buyer_iso3: "AFG" });
  });

  it("firms named by a demonym sell when they supply, and importers named after 'to' buy", () => {
    const f = contract("Under the deal, Uzbek firms will supply $15 million worth of cement to Afghan importers.", "2024-05-08");
    expect(f.fields).toMatchObject({ seller_iso3: "UZB", buyer_iso3: "AFG" });
  });

  it("the doer of a buying verb buys, 'from X' sells", () => {
    const f = contract("Under the agreement, Afghanistan will buy 100,000 tons of diesel from Turkmenistan for $60 million.", "2024-05-08");
    expect(f.fields).toMatchObject({ seller_iso3: "TKM", buyer_iso3: "AFG" });
  });

  it("goods exported to one party come from the other", () => {
    const f = contract("According to this contract, 3,000 tons of talc, worth $4 million, will be exported to Iran, Afghan officials said.", "2024-05-08");
    expect(f.fields).toMatchObject({ parties_iso3: "AFG;IRN", seller_iso3: "AFG", buyer_iso3: "IRN" });
  });

  it("no direction is guessed where the text gives none", () => {
    for (const text of [
      "Business leaders from Kyrgyzstan and Afghanistan signed 6 agreements for the supply of fuel worth $30 million.",
      "Afghan and Pakistani traders will sign a $9-million deal to supply fresh fruit next month.",
      "Turkmen and Afghan firms signed contracts worth $30 million.",
    ]) {
      const f = contract(text, "2024-05-08");
      expect([f.fields.seller_iso3, f.fields.buyer_iso3]).toEqual([null, null]);
    }
  });
});
