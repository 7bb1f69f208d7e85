import { describe, expect, it } from "vitest";
import type { ExtractedFact } from "../pipeline/types.ts";
import { extract } from "./fixtures/extract.ts";

function grants(text: string, published: string | null = "2024-06-15"): ExtractedFact[] {
  return extract(text, published).filter((f) => f.table === "grants");
}
const row = (f: ExtractedFact) => ({ ...f.fields, qualifier: f.qualifier });

describe("grants: planned or current", () => {
  it("offers, decisions to award and quotas allocated are planned", () => {
    for (const text of [
      "Turkmenistan is ready to give scholarships to 25 Afghan students this year.",
      "The government of Turkey has decided to award 1,200 scholarships to students from Afghanistan.",
      "Iran has allocated 700 scholarships to Afghan students for the coming academic year.",
      "China has declared 400 e-scholarships for Afghan citizens.",
      "Malaysia offers 60 scholarships to Afghan women.",
    ]) {
      const fs = grants(text);
      expect(fs, text).toHaveLength(1);
      expect(fs[0]!.fields.status, text).toBe("planned");
      expect(fs[0]!.fields.grants_per_year, text).not.toBeNull();
    }
  });

  it("a quota given every year is current", () => {
    expect(grants("Uzbekistan offers 45 scholarships to Afghan students every year.").map((f) => f.fields.status)).toEqual(["current"]);
  });

  it("students who will join are planned, one record per degree", () => {
    const fs = grants("In addition, 40 PhDs and 90 Master's students from Afghanistan will also arrive in Turkey in October.");
    expect(fs.map((f) => [f.fields.students, f.fields.status, f.fields.donor_iso3])).toEqual([
      [40, "planned", "TUR"],
      [90, "planned", "TUR"],
    ]);
  });

  it("students already studying are current, with their qualifier", () => {
    expect(grants("More than 380 Afghan students are currently studying in Tajikistan.").map(row)).toEqual([
      expect.objectContaining({ donor_iso3: "TJK", recipient_iso3: "AFG", students: 380, status: "current", qualifier: "at_least" }),
    ]);
  });

  it("students who have arrived are current even when the sentence speaks of plans after them", () => {
    const fs = grants("As many as 200 Afghan students have reached Kyrgyzstan to pursue studies that will last four years.");
    expect(fs.map((f) => [f.fields.students, f.fields.status])).toEqual([[200, "current"]]);
  });
});

describe("grants: what counts", () => {
  it("scholarships given to a number of students count grants, not students", () => {
    const [f] = grants("Kazakhstan is ready to give scholarships to 25 Afghan students this year.");
    expect(f!.fields).toMatchObject({ grants_per_year: 25, students: null });
  });

  it("scholarship holders count grants", () => {
    const [f] = grants("Visas for India have been issued to 210 scholarship students from Afghanistan.");
    expect(f!.fields).toMatchObject({ donor_iso3: "IND", grants_per_year: 210, status: "current" });
  });

  it("students at home are not students abroad", () => {
    expect(grants("Some 90,000 female students in Afghanistan have been barred from universities.")).toEqual([]);
    expect(grants("Around 300 students from Afghanistan attended a scholarship fair in Kabul.")).toEqual([]);
  });
});
