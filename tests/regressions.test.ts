import { describe, expect, it } from "vitest";
import type { ExtractedFact } from "../pipeline/types.ts";
import { extract } from "./fixtures/extract.ts";
const trade = (fs: ExtractedFact[]) => fs.filter((f) => f.table === "trade_flows");
const aid = (fs: ExtractedFact[]) => fs.filter((f) => f.table === "aid_shipments");

/** Each case is a failure once seen on real articles, restated in a sentence written for this test. */
describe("regressions", () => {
  it("a rounded figure with the exact one in brackets is one fact, dated by its own clause", () => {
    const fs = trade(extract("Trade between Kyrgyzstan and Afghanistan reached nearly $30 million ($29.4 million) in 2023, tripling the figures for 2021."));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.money!.amount).toBe(29400000);
    expect(fs[0]!.fields).toMatchObject({ period_start: "2023-01-01", period_end: "2023-12-31" });
  });

  it("each country in a list of partners goes with its own figure", () => {
    const fs = trade(extract("Trade between Tajikistan and Afghanistan was $90 million in 2023. Among other trade partners, Russia was first at $1.2bn, followed by China at $900mn and Turkey $400mn."));
    const partners = fs.map((f) => [f.fields.reporter_iso3, f.fields.partner_iso3, f.money!.amount]);
    expect(partners).toEqual(expect.arrayContaining([["TJK", "AFG", 90e6], ["TJK", "CHN", 900e6], ["TJK", "TUR", 400e6]]));
    expect(partners.some(([r, p]) => (r === "CHN" && p === "TUR") || (r === "TUR" && p === "CHN"))).toBe(false);
  });

  it("a world total is not a bilateral flow, but named partners beside a world cue are", () => {
    expect(trade(extract("Uzbekistan's foreign trade turnover reached $62 billion in 2023."))).toEqual([]);
    const fs = trade(extract("The main partners, which account for half of the foreign trade turnover, were Russia (about $9 billion) and China (about $8 billion).", "2024-02-01"));
    expect(fs.map((f) => f.fields.partner_iso3 === "RUS" || f.fields.reporter_iso3 === "RUS")).toContain(true);
  });

  it("'in six months' takes the period of the latest half-year figure", () => {
    const fs = trade(extract("Pakistan exported $300 million of goods to Afghanistan in the first half of 2023. Pakistan exported cement worth $40 million in six months."));
    expect(fs[1]!.fields).toMatchObject({ period_start: "2023-01-01", period_end: "2023-06-30" });
  });

  it("a scale word does not swallow the sentence's full stop", () => {
    const fs = trade(extract("Iran exported goods to Afghanistan worth $410 million."));
    expect(fs[0]!.evidence[0]!.value_text).toBe("$410 million");
  });

  it("'concluding agreements ... for more than $N' is a contract, not a trade flow", () => {
    const fs = extract("The forum ended with concluding agreements on the supply of flour and sugar from Kazakhstan to Afghanistan for more than $8 million.");
    expect(fs.map((f) => f.table)).toEqual(["contracts"]);
    expect(fs[0]!.qualifier).toBe("at_least");
  });

  it("a value in the same sentence as a shipment's weight belongs to that shipment", () => {
    const fs = aid(extract("Uzbekistan sent a humanitarian cargo of food weighing 60 tons or $250,000 to Afghanistan."));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fields.weight_tonnes).toBe(60);
    expect(fs[0]!.money!.amount).toBe(250000);
  });

  it("a shipment's follow-up sentence without numbers describes that shipment, not the next", () => {
    const fs = aid(extract("Kazakhstan sent 30 wagons of humanitarian aid to Afghanistan. The cargo was received at the Hairatan port. Earlier, Kazakhstan delivered 900 tons of food aid by road."));
    expect(fs).toHaveLength(2);
    expect(fs[0]!.fields).toMatchObject({ railcars: 30, place: "Hairatan" });
    expect(fs[1]!.fields).toMatchObject({ weight_tonnes: 900, place: null });
  });

  it("'US$' is a currency, not the United States", () => {
    const fs = aid(extract("Over the last two years Turkmenistan gave humanitarian aid worth 35 million manat (US$10 million) to Afghanistan.", "2024-01-10"));
    expect(fs[0]!.fields.donor_iso3).toBe("TKM");
    expect(fs[0]!.money).toMatchObject({ amount: 35e6, currency: "TMT", statedUsd: 10e6 });
  });

  it("a count with a demonym between number and noun is still that noun", () => {
    const fs = extract("About 300 Afghan students study at 12 Kyrgyz universities.");
    expect(fs[0]!.fields).toMatchObject({ students: 300, institutions: 12, donor_iso3: "KGZ", recipient_iso3: "AFG" });
  });

  it("a relative date without a publication date stays null and says why", () => {
    const fs = trade(extract("Trade between Iran and Afghanistan reached $1.6 billion last year.", null));
    expect(fs[0]!.fields.period_start).toBeNull();
    expect(fs[0]!.notes[0]!.message).toMatch(/no publication date/);
  });

  it("a fiscal year is read in the calendar of its country, and left null where that country has none", () => {
    const pak = trade(extract("In fiscal year 2022-23, Pakistan's exports to Afghanistan were $900 million."));
    expect(pak[0]!.fields).toMatchObject({ period_start: "2022-07-01", period_end: "2023-06-30" });
    const kaz = trade(extract("In fiscal year 2022-23, Kazakhstan's exports to Afghanistan were $900 million."));
    expect(kaz[0]!.fields.period_start).toBeNull();
    expect(kaz[0]!.notes[0]!.message).toMatch(/fiscal year/);
  });

  it("the first months of a solar year end inside it, not at its end", () => {
    const fs = trade(extract("Afghanistan's exports to Uzbekistan reached $95 million in the first three months of the solar year 1403."));
    // 1403 began at Nowruz on 20 March 2024; its first three months have 31 days each.
    expect(fs[0]!.fields).toMatchObject({ period_start: "2024-03-20", period_end: "2024-06-20" });
  });

  it("trade with a group of countries has no partner, so no bilateral flow", () => {
    expect(trade(extract("Kazakhstan and Afghanistan talked. Afghanistan's trade with neighbouring countries exceeded $4 billion in 2023."))).toEqual([]);
  });

  it("memoranda of understanding with a value are contracts; investments are not", () => {
    const fs = extract("Iranian and Afghan firms signed five memoranda of understanding worth $120 million. Iranian firms will invest $50 million in Herat under the agreements.");
    expect(fs.map((f) => [f.table, f.money?.amount, f.fields.n_contracts])).toEqual([["contracts", 120e6, 5]]);
  });

  it("aid spoken of before does not capture a later sentence about trade supplies", () => {
    const fs = extract("Some 9,000 tonnes of wheat donated by Kazakhstan reached Afghanistan. Kazakhstan is ready to increase supplies of flour to Afghanistan to 2 million tons per year.");
    expect(fs.map((f) => [f.table, f.fields.status ?? f.fields.kind])).toEqual([["trade_flows", "target"], ["aid_shipments", "shipment"]]);
  });

  it("'shipments to X' is a trade flow, dated by the figure before it", () => {
    const fs = trade(extract("Trade between Kazakhstan and Afghanistan in January-May 2024 was $400 million. Flour shipments to Afghanistan amounted to 700,000 tons over the period."));
    expect(fs[1]!.fields).toMatchObject({ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", quantity_tonnes: 700000, period_start: "2024-01-01", period_end: "2024-05-31" });
  });

  it("a quarter without a year is of the publication year", () => {
    const fs = trade(extract("Goods worth $35 million were imported by Afghanistan from Turkmenistan in the third quarter.", "2023-11-20"));
    expect(fs[0]!.fields).toMatchObject({ flow: "import", reporter_iso3: "AFG", partner_iso3: "TKM", period_start: "2023-07-01", period_end: "2023-09-30" });
  });

  it("a delivered total and a commitment in one sentence are two aid records of their own kinds", () => {
    const fs = aid(extract("Pakistan has so far delivered 20,000 tonnes of wheat to Afghanistan as part of its commitment of 50,000 tonnes. The consignments were handed over to the WFP in Kandahar."));
    expect(fs.map((f) => [f.fields.weight_tonnes, f.fields.kind, f.fields.donor_iso3, f.fields.channel])).toEqual([[20000, "aggregate", "PAK", "WFP"], [50000, "pledge", "PAK", "WFP"]]);
  });

  it("aid an agency distributes, funded by a government, goes to Afghanistan from that government", () => {
    const fs = aid(extract("India and Afghanistan talked trade. The WFP distributed 2,500 tonnes of food funded by the Government of Korea."));
    expect(fs[0]!.fields).toMatchObject({ donor_iso3: "KOR", recipient_iso3: "AFG", channel: "WFP", weight_tonnes: 2500 });
  });

  it("a commodity outside the item list is still named", () => {
    const fs = trade(extract("In 2023, 900 tonnes of dried apricots were exported from Afghanistan to India."));
    expect(fs[0]!.fields).toMatchObject({ commodity: "dried apricots", reporter_iso3: "AFG", partner_iso3: "IND" });
  });

  it("supplier and exporter nouns mark exports", () => {
    const fs = trade(extract("Kazakhstan remained the main supplier of flour to Afghanistan, with 1.9 million tons in 2023. Uzbekistan was the largest exporter of electricity to Afghanistan last year, selling power worth $260 million.", "2024-02-12"));
    expect(fs.map((f) => [f.fields.flow, f.fields.reporter_iso3, f.fields.partner_iso3, f.fields.period_start])).toEqual([["export", "KAZ", "AFG", "2023-01-01"], ["export", "UZB", "AFG", "2023-01-01"]]);
  });

  it("headlines, captions and 'Latest news' lists yield nothing", () => {
    const body = "Kazakhstan Ships 5,000 Tons of Aid to Afghanistan\nPhoto credit: ministry press service\nThe government said talks continue.\nLatest news\n- Uzbekistan exports $2 billion of gas to China\n";
    expect(extract(body)).toEqual([]);
  });
});
