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

function extract(text: string, published: string | null = "2024-06-15"): ExtractedFact[] {
  return extractArticle(articleFromText("t", text, published), gazetteer).facts;
}
const contracts = (fs: ExtractedFact[]) => fs.filter((f) => f.table === "contracts");
const others = (fs: ExtractedFact[]) => fs.filter((f) => f.table !== "contracts");
const confidence = (f: ExtractedFact) => Math.max(...f.evidence.map((e) => e.confidence));

describe("contracts: what a deal's numbers become", () => {
  it("the price of a deal named before is the deal's, not a trade flow", () => {
    const fs = extract("Under the agreement, Kyrgyzstan will export 300 million kWh of electricity to Afghanistan for $15 million.");
    expect(contracts(fs)).toHaveLength(1);
    expect(contracts(fs)[0]!.fields).toMatchObject({ parties_iso3: "AFG;KGZ", commodity: "electricity", status: "signed" });
    expect(contracts(fs)[0]!.money!.amount).toBe(15e6);
    expect(others(fs)).toEqual([]);
  });

  it("a tonnage and the value it is worth under a contract make one record, and no trade flow", () => {
    const fs = extract("According to this contract, 8,000 tons of Afghan raisins, worth $14 million, will be shipped to Turkey.");
    expect(contracts(fs)).toHaveLength(1);
    expect(contracts(fs)[0]!.fields).toMatchObject({ parties_iso3: "AFG;TUR", quantity_tonnes: 8000 });
    expect(contracts(fs)[0]!.money!.amount).toBe(14e6);
    expect(others(fs)).toEqual([]);
  });

  it("a deal listing several goods makes one record per commodity, none of them trade flows", () => {
    const fs = extract("Turkmenistan and Afghanistan signed a contract for the supply of 400,000 tons of diesel and 100,000 tons of liquefied gas a year.");
    expect(contracts(fs).map((f) => [f.fields.quantity_tonnes, f.fields.commodity])).toEqual([
      [400000, "diesel"],
      [100000, "liquefied gas"],
    ]);
    expect(others(fs)).toEqual([]);
  });

  it("each count of agreements goes with the value after it, also for trade and investment agreements", () => {
    const fs = extract("The package includes 9 investment agreements worth $600 million and 14 trade agreements valued at $250 million, Tajik and Afghan officials said.");
    expect(contracts(fs).map((f) => [f.fields.n_contracts, f.money!.amount, f.fields.parties_iso3])).toEqual([
      [9, 600e6, "AFG;TJK"],
      [14, 250e6, "AFG;TJK"],
    ]);
    expect(others(fs)).toEqual([]);
  });

  it("every country named as a party is listed, sorted", () => {
    const [f] = contracts(extract("Uzbekistan, Pakistan and Afghanistan signed a framework agreement worth $4.6 billion on the trans-Afghan railway."));
    expect(f!.fields.parties_iso3).toBe("AFG;PAK;UZB");
  });

  it("a supply agreed at a meeting is an agreed deal", () => {
    const [f, ...rest] = contracts(extract("Officials said it was agreed at the talks that Kazakh exporters would deliver $6 million worth of sugar to Afghanistan."));
    expect(rest).toEqual([]);
    expect(f!.fields).toMatchObject({ parties_iso3: "AFG;KAZ", commodity: "sugar", status: "signed" });
    expect(f!.evidence[0]!.rule).toBe("contract.agreed_supply");
  });

  it("goods already exported under an agreement are a trade flow, not the deal's terms", () => {
    const fs = extract("Under the agreement, Kyrgyzstan exported 40,000 tons of cement to Afghanistan in 2023.");
    expect(contracts(fs)).toEqual([]);
    expect(fs.map((f) => f.table)).toEqual(["trade_flows"]);
  });

  it("an agreed goal for trade as a whole is no contract", () => {
    expect(contracts(extract("Iran and Afghanistan agreed to increase exports of fuel to $2 billion a year."))).toEqual([]);
  });
});

describe("contracts: funding commitments for a project", () => {
  it("a government's commitment to fund a named project is a contract, planned until an agreement is signed", () => {
    const [f] = contracts(extract("Turkey is prepared to invest $90 million in two power plant projects in Afghanistan."));
    expect(f!.fields).toMatchObject({ parties_iso3: "AFG;TUR", status: "planned" });
    expect(f!.money!.amount).toBe(90e6);
    expect(f!.evidence[0]!.rule).toBe("contract.funding");
  });

  it("a funding agreement that is signed is a signed contract", () => {
    const [f] = contracts(extract("Pakistan and Afghanistan have signed an agreement to invest $310 million in the construction of a railway to Jalalabad."));
    expect(f!.fields).toMatchObject({ parties_iso3: "AFG;PAK", status: "signed" });
  });

  it("the sentence after saying the contracts were signed makes the commitment signed", () => {
    const fs = contracts(extract("Iran is ready to invest $70 million in three road projects in Afghanistan. The contracts were signed in Herat on Monday."));
    expect(fs.map((f) => f.fields.status)).toEqual(["signed"]);
  });

  it("money invested already, a project's cost, firms' plans and aid are no funding contracts", () => {
    expect(contracts(extract("Turkish companies have invested $12 million in Afghan mining since 2015."))).toEqual([]);
    expect(contracts(extract("The pipeline from Turkmenistan to Pakistan across Afghanistan will cost $10 billion."))).toEqual([]);
    expect(contracts(extract("Chinese firms plan to invest $40 million in a copper plant in Logar, Afghanistan."))).toEqual([]);
    expect(contracts(extract("Japan will provide $5 million in humanitarian aid for the reconstruction project in Afghanistan."))).toEqual([]);
  });
});

describe("contracts: status and confidence", () => {
  it("a contract to be signed is planned", () => {
    const [f] = contracts(extract("Kyrgyz and Afghan firms will sign contracts worth $20 million next week."));
    expect(f!.fields.status).toBe("planned");
  });

  it("a memorandum with no number is no fact", () => {
    expect(extract("Tajikistan and Afghanistan signed a memorandum on energy cooperation and a road map for trade.")).toEqual([]);
  });

  it("confidence is highest with a signing verb and both parties named, lower as parties are inferred or the verb is missing", () => {
    const text = [
      "Turkmenistan and Afghanistan held a business forum in Ashgabat.",
      "Turkmen and Afghan companies signed contracts worth $30 million.",
      "Afghan firms signed contracts worth $8 million.",
      "As a result, contracts worth $5 million were concluded.",
      "The contracts are worth $3 million in all.",
    ].join(" ");
    const cs = contracts(extract(text));
    expect(cs.map((f) => f.money!.amount)).toEqual([30e6, 8e6, 5e6, 3e6]);
    expect(cs.map((f) => f.fields.parties_iso3)).toEqual(["AFG;TKM", "AFG;TKM", "AFG;TKM", "AFG;TKM"]);
    const c = cs.map(confidence);
    expect(c[0]).toBe(0.9);
    expect(c[1]).toBeLessThan(c[0]!);
    expect(c[2]).toBeLessThan(c[1]!);
    expect(c[3]).toBeLessThan(c[2]!);
    expect(c[2]).toBeGreaterThanOrEqual(0.7);
  });
});
