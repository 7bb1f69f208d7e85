import { describe, expect, it } from "vitest";
import { calendarFor, fiscalCalendarOf, scanPeriods, type FiscalCalendar } from "../pipeline/extract/periods.ts";

const PAK = fiscalCalendarOf("PAK");
const IND = fiscalCalendarOf("IND");
const IRN = fiscalCalendarOf("IRN");
const KAZ = fiscalCalendarOf("KAZ");

/** Text, kind and period (as "start..end") of each mention. */
const read = (text: string, pub: string | null = null, cal: FiscalCalendar | null = null) =>
  scanPeriods(text, pub, cal).map((m) => [m.text, m.kind, m.period ? `${m.period.start}..${m.period.end}` : m.unresolved]);
const first = (text: string, pub: string | null = null, cal: FiscalCalendar | null = null) => read(text, pub, cal)[0];

describe("fiscal years by country", () => {
  it("reads the lexicon's calendars", () => {
    expect(PAK).toEqual({ iso3: "PAK", month: 7, solar: false });
    expect(IND).toEqual({ iso3: "IND", month: 4, solar: false });
    expect(IRN?.solar).toBe(true);
    expect(fiscalCalendarOf("XXX")).toBeNull();
  });

  it.each([
    ["Rice sales in 2021-22 doubled", PAK, "2021-07-01..2022-06-30"],
    ["Rice sales in FY2019-20 doubled", PAK, "2019-07-01..2020-06-30"],
    ["Rice sales in FY 2019/20 doubled", IND, "2019-04-01..2020-03-31"],
    ["in fiscal year 2018-19 it fell", IND, "2018-04-01..2019-03-31"],
    ["during the 2025-26 fiscal year", PAK, "2025-07-01..2026-06-30"],
    ["during the 2016-2017 financial year", IND, "2016-04-01..2017-03-31"],
    ["in FY21 it fell", PAK, "2020-07-01..2021-06-30"],
    ["in fiscal 2019 it fell", IND, "2018-04-01..2019-03-31"],
    ["the second quarter of FY2020-21", PAK, "2020-10-01..2020-12-31"],
    ["the third quarter (January to March) of the FY2020-21", PAK, "2021-01-01..2021-03-31"],
    ["the first half of fiscal year 2020-21", IND, "2020-04-01..2020-09-30"],
    ["the first eight months of 2019-20", PAK, "2019-07-01..2020-02-29"],
    ["the fiscal year 2020-21 of Iran", IRN, "2020-03-20..2021-03-20"],
  ])("%s", (text, cal, period) => {
    expect(first(text, null, cal)?.[2]).toBe(period);
  });

  it("counts relative fiscal years from publication, and 'subsequent' from the one before it", () => {
    expect(first("during the current fiscal year", "2019-09-10", PAK)?.[2]).toBe("2019-07-01..2020-06-30");
    expect(first("during the ongoing fiscal", "2019-05-10", PAK)?.[2]).toBe("2018-07-01..2019-06-30");
    expect(first("in the next financial year", "2019-05-10", IND)?.[2]).toBe("2020-04-01..2021-03-31");
    expect(read("Sales in FY2017-18 and in the subsequent fiscal year", null, PAK).map((m) => m[2])).toEqual(["2017-07-01..2018-06-30", "2018-07-01..2019-06-30"]);
    expect(first("in the subsequent fiscal year", "2019-05-10", PAK)?.[2]).toMatch(/no earlier fiscal year/);
  });

  it("reads a July-June span glossed with its years whatever the country", () => {
    expect(first("wheat sold in July-June (2017-18)")?.[2]).toBe("2017-07-01..2018-06-30");
    expect(first("wheat sold in April-March (2017-18)")?.[2]).toBe("2017-04-01..2018-03-31");
  });

  it("leaves a fiscal year null, with a reason, when the calendar is unknown or not split", () => {
    expect(first("in 2017-18 it rose")?.[2]).toMatch(/fiscal year.*no country/);
    expect(first("in 2017-18 it rose", null, KAZ)?.[2]).toMatch(/calendar year/);
    expect(first("in fiscal year 2018", null, KAZ)?.[2]).toBe("2018-01-01..2018-12-31");
    expect(first("in 2017-19 it rose", null, PAK)?.[2]).toMatch(/not one fiscal year/);
    expect(first("during the current fiscal year", null, PAK)?.[2]).toMatch(/no publication date/);
  });

  it("does not take other split years, ISO dates or 'current financial' phrases for fiscal years", () => {
    expect(read("for the 2019-20 academic year", null, PAK).map((m) => m[0])).not.toContain("2019-20");
    expect(first("on 2019-05-12 a train left", null, PAK)).toEqual(["2019-05-12", "date", "2019-05-12..2019-05-12"]);
    expect(read("the current financial crisis", "2019-05-10", PAK)).toEqual([]);
  });
});

describe("whose fiscal calendar", () => {
  it("takes the one non-Afghan country the sentence names, else the article's pair, non-Afghan first", () => {
    expect(calendarFor(["IND", "AFG"], ["PAK", "AFG"])?.iso3).toBe("IND");
    expect(calendarFor(["AFG"], ["PAK", "AFG"])?.iso3).toBe("PAK");
    expect(calendarFor(["IND", "PAK"], ["PAK", "AFG"])?.iso3).toBe("PAK");
    expect(calendarFor([], ["AFG", "XXX"])?.iso3).toBe("AFG");
    expect(calendarFor([], [null, null])).toBeNull();
  });
});

describe("solar years", () => {
  it.each([
    ["sales in solar year 1398 rose", "2019-03-21..2020-03-19"],
    ["the 1396 solar fiscal year", "2017-03-21..2018-03-20"],
    ["in the Persian calendar year 1399", "2020-03-20..2021-03-20"],
    ["during the Iranian calendar year 1397 (ended on March 20, 2019)", "2018-03-21..2019-03-20"],
    ["in the year 1395 (solar calendar)", "2016-03-20..2017-03-20"],
    ["Imports in 1397 (Solar Year):", "2018-03-21..2019-03-20"],
    ["the 1401 fiscal year", "2022-03-21..2023-03-20"],
    ["the second quarter of the solar year 1398", "2019-06-22..2019-09-22"],
    ["the first seven months of the Afghan fiscal year 1398", "2019-03-21..2019-10-22"],
    ["the last quarter of solar year 1399", "2020-12-21..2021-03-20"],
    ["from Hamal to Saratan of the solar year 1398", "2019-03-21..2019-07-22"],
    ["in Mizan 1398", "2019-09-23..2019-10-22"],
    ["on 1 Farvardin 1398", "2019-03-21..2019-03-21"],
  ])("%s", (text, period) => {
    expect(first(text)?.[2]).toBe(period);
  });

  it("counts the current and last solar year from publication", () => {
    expect(first("in the current solar year", "2019-02-01")?.[2]).toBe("2018-03-21..2019-03-20");
    expect(first("in the last solar year", "2019-04-01")?.[2]).toBe("2018-03-21..2019-03-20");
    expect(first("the first nine months of the current Iranian calendar year", "2019-12-30")?.[2]).toBe("2019-03-21..2019-12-21");
    expect(first("in the current solar year")?.[2]).toMatch(/no publication date/);
  });

  it("reads a relative year and a bare quarter after a solar year in that calendar", () => {
    expect(read("in the first half of the 1398 solar year, while last year the figure was 5 tons in the second quarter", "2019-12-01").map((m) => m[2])).toEqual([
      "2019-03-21..2019-09-22",
      "2018-03-21..2019-03-20",
      "2018-06-22..2018-09-22",
    ]);
  });

  it("dates a relative period by the span glossed after it", () => {
    expect(read("during the last solar year (March 2018-March 2019), with", null)).toEqual([["last solar year (March 2018-March 2019)", "period", "2018-03-21..2019-03-20"]]);
    expect(first("in the first six months of the current Iranian year (March 21 - September 22, 2019)")?.[2]).toBe("2019-03-21..2019-09-22");
  });
});

describe("ranges and months", () => {
  it.each([
    ["sold from May 2018 to April 2019", null, "2018-05-01..2019-04-30"],
    ["March 21- September 22, 2019", null, "2019-03-21..2019-09-22"],
    ["from April 10 to May 20", "2019-08-01", "2019-04-10..2019-05-20"],
    ["from October 10 to November 20", "2019-08-01", "2018-10-10..2018-11-20"],
    ["from 3 to 8 October 2017", null, "2017-10-03..2017-10-08"],
    ["from February to April, sales", "2019-08-01", "2019-02-01..2019-04-30"],
    ["from February to October, sales", "2019-08-01", "2018-02-01..2018-10-31"],
    ["between May and July 2016", null, "2016-05-01..2016-07-31"],
    ["in October it rose", "2019-08-01", "2018-10-01..2018-10-31"],
    ["in the month of March it rose", "2019-08-01", "2019-03-01..2019-03-31"],
    ["last month, it rose", "2019-01-15", "2018-12-01..2018-12-31"],
    ["earlier this month it rose", "2019-01-15", "2019-01-01..2019-01-31"],
  ])("%s", (text, pub, period) => {
    expect(first(text, pub)?.[2]).toBe(period);
  });

  it("leaves months without a year null when there is no publication date, unless a base month dates them", () => {
    expect(first("from February to April, sales")?.[2]).toMatch(/no publication date/);
    expect(first("in October it rose")?.[2]).toMatch(/no publication date/);
    expect(read("rose to $5 million in June as compared to May 2016").map((m) => [m[1], m[2]])).toEqual([
      ["period", "2016-06-01..2016-06-30"],
      ["comparative", "2016-05-01..2016-05-31"],
    ]);
    expect(first("rose in January compared to December 2016")?.[2]).toBe("2017-01-01..2017-01-31");
  });

  it("does not read a modal verb or a deadline as a month", () => {
    expect(read("prices may rise by March", "2019-08-01")).toEqual([]);
  });
});

describe("comparatives", () => {
  it.each([
    "the same period last year",
    "the same period of the previous fiscal year",
    "the same month last year",
    "the same month of last fiscal year",
    "the same period of previous FY",
    "a year earlier",
    "compared to 2016",
  ])("%s", (text) => {
    expect(scanPeriods(text, "2019-08-01", PAK)).toMatchObject([{ text, kind: "comparative" }]);
  });

  it("keeps the base month a comparison names", () => {
    expect(scanPeriods("compared with May 2016", null)).toMatchObject([{ kind: "comparative", period: { start: "2016-05-01", end: "2016-05-31" }, months: [5, 5], year: 2016 }]);
  });
});

describe("every kind of pattern", () => {
  it("is found where it stands", () => {
    const cases: [string, string[]][] = [
      ["Trade grew against the same period of 2023.", ["the same period of 2023"]],
      ["Exports in January-February of 2023 rose.", ["January-February of 2023"]],
      ["In the first five months of 2023 trade rose.", ["the first five months of 2023"]],
      ["In the second half of 2022 trade rose.", ["the second half of 2022"]],
      ["During the third quarter trade rose.", ["During the third quarter"]],
      ["In 4M23 trade rose, and in 1H2023 too.", ["4M23", "1H2023"]],
      ["In the first six months of the solar year 1402 trade rose.", ["the first six months of the solar year 1402"]],
      ["In FY2023 and 2022-23 trade rose.", ["FY2023", "2022-23"]],
      ["On Dec. 25, 2021, on 15 April and last October trains left.", ["Dec. 25, 2021", "15 April", "last October"]],
      ["Over the past five years trade rose.", ["Over the past five years"]],
      ["Since 2005, from 2019 to 2023 and last year trade rose.", ["Since 2005", "from 2019 to 2023", "last year"]],
      ["On Thursday a train left.", ["Thursday"]],
      ["In the 1402 fiscal year, H2 2023 and Q3 2024 and 9M2023.", ["1402 fiscal year", "H2 2023", "Q3 2024", "9M2023"]],
    ];
    for (const [text, found] of cases) expect(scanPeriods(text, "2024-06-01").map((p) => p.text)).toEqual(found);
  });
});

describe("days and weeks around publication", () => {
  // Published on Wednesday 8 May 2024.
  const pub = "2024-05-08";
  it.each([
    ["on Monday", "date", "2024-05-06..2024-05-06"],
    ["on Wednesday", "date", "2024-05-08..2024-05-08"],
    ["last Wednesday", "date", "2024-05-01..2024-05-01"],
    ["yesterday", "date", "2024-05-07..2024-05-07"],
    ["today", "date", "2024-05-08..2024-05-08"],
    ["last week", "span", "2024-04-29..2024-05-05"],
    ["earlier this week", "span", "2024-05-06..2024-05-08"],
  ])("%s", (text, kind, period) => {
    expect(first(text, pub)).toEqual([text, kind, period]);
  });

  it("leaves a coming weekday and 'the last week of' a month alone", () => {
    expect(read("they meet next Monday", pub)).toEqual([]);
    expect(read("in the last week of March", pub).map((m) => m[1])).not.toContain("span");
  });

  it("stays unresolved without a publication date", () => {
    expect(first("yesterday")).toEqual(["yesterday", "date", expect.stringMatching(/no publication date/)]);
    expect(first("last week")).toEqual(["last week", "span", expect.stringMatching(/no publication date/)]);
  });
});
