/**
 * Every extraction rule: its id (written to evidence.rule), what it does, and sentences it must and must
 * not produce a fact from. The sentences are written for this catalog, not taken from any article; a test
 * runs each one through the whole extractor.
 */
export interface RuleExample {
  text: string;
  /** Publication date the example is read against. */
  published?: string;
  /** Fields the fact this rule produces must have (money as value_original/currency_original). */
  expect?: Record<string, string | number | null>;
}

export interface RuleSpec {
  id: string;
  table: "trade_flows" | "aid_shipments" | "contracts" | "grants";
  description: string;
  matches: RuleExample[];
  rejects: RuleExample[];
}

export const RULES: readonly RuleSpec[] = [
  {
    id: "trade.value",
    table: "trade_flows",
    description: "A reported money value of trade between two countries: turnover, exports or imports, with direction from prepositions, possessives and demonyms.",
    matches: [
      { text: "Trade between Tajikistan and Afghanistan reached $88.4 million in 2023.", expect: { flow: "turnover", reporter_iso3: "TJK", partner_iso3: "AFG", period_start: "2023-01-01", period_end: "2023-12-31", status: "reported", value_original: 88400000 } },
      { text: "Pakistani exports to Afghanistan fell to $520mn in the first half of 2024.", expect: { flow: "export", reporter_iso3: "PAK", partner_iso3: "AFG", period_start: "2024-01-01", period_end: "2024-06-30", value_original: 520000000 } },
      { text: "In 2021, Afghan imports into Uzbekistan totaled $41.5 millions.", expect: { flow: "import", reporter_iso3: "UZB", partner_iso3: "AFG", value_original: 41500000 } },
      { text: "Turkmenistan's imports from Afghanistan stood at USD 23 million last year.", published: "2024-03-01", expect: { flow: "import", reporter_iso3: "TKM", partner_iso3: "AFG", period_start: "2023-01-01", period_end: "2023-12-31" } },
      { text: "Mutual trade between Iran and Afghanistan amounted to almost $2 billion in 2022.", expect: { flow: "turnover", reporter_iso3: "IRN", partner_iso3: "AFG", qualifier: "approx", value_original: 2000000000 } },
      { text: "Afghanistan imported goods worth 12.5 billion tenge from Kazakhstan in 2023.", expect: { flow: "import", reporter_iso3: "AFG", partner_iso3: "KAZ", currency_original: "KZT", value_original: 12500000000 } },
    ],
    rejects: [
      { text: "Kazakhstan's foreign trade turnover amounted to $139 billion in 2023." },
      { text: "About 80% of the trade falls on Uzbek exports to Afghanistan." },
      { text: "Afghan traders have invested $15 million in Kazakhstan since 2010." },
    ],
  },
  {
    id: "trade.projected_value",
    table: "trade_flows",
    description: "A target, forecast or potential trade value: 'plan to raise trade to', 'expected to export', 'export potential of'.",
    matches: [
      { text: "Kyrgyzstan and Afghanistan plan to raise bilateral trade to $2 billion.", expect: { flow: "turnover", reporter_iso3: "KGZ", partner_iso3: "AFG", status: "target", value_original: 2000000000 } },
      { text: "Uzbekistan is expected to export $700 million worth of goods to Afghanistan.", expect: { flow: "export", reporter_iso3: "UZB", status: "forecast" } },
      { text: "Tajikistan's export potential for Afghanistan is estimated at $250 million.", expect: { flow: "export", reporter_iso3: "TJK", partner_iso3: "AFG", status: "potential" } },
    ],
    rejects: [{ text: "Bilateral trade between Uzbekistan and Afghanistan grew to $1.1 billion in 2023." }],
  },
  {
    id: "trade.tonnage",
    table: "trade_flows",
    description: "A traded quantity in tonnes, with its commodity when named ('exported 60,000 tons of flour to').",
    matches: [
      { text: "In 2022 Kazakhstan exported 1.2 million tons of wheat to Afghanistan.", expect: { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", quantity_tonnes: 1200000, commodity: "wheat", period_start: "2022-01-01" } },
      { text: "Some 15 tons of saffron from Herat province were exported to Tashkent.", expect: { flow: "export", reporter_iso3: "AFG", partner_iso3: "UZB", quantity_tonnes: 15 } },
      { text: "Afghanistan bought 2,2 thousand tonnes of sugar from Uzbekistan in 2023.", expect: { flow: "import", reporter_iso3: "AFG", partner_iso3: "UZB", quantity_tonnes: 2200 } },
    ],
    rejects: [{ text: "Every year the country harvests 5 million tons of wheat." }],
  },
  {
    id: "trade.value_of_tonnage",
    table: "trade_flows",
    description: "The value given for a tonnage in the same clause ('60,000 tons of flour worth $18 million'): one flow, two measures.",
    matches: [{ text: "In 2023 Uzbekistan exported 90,000 tons of flour to Afghanistan worth $27 million.", expect: { quantity_tonnes: 90000, value_original: 27000000 } }],
    rejects: [{ text: "In 2023 Uzbekistan exported 90,000 tons of flour to Afghanistan, and trade reached $27 million." }],
  },
  {
    id: "trade.base_value",
    table: "trade_flows",
    description: "A base-period value stated beside a current one ('up 30% from $10 million a year earlier', 'the previous year (5.1 million)').",
    matches: [
      { text: "Trade between Kyrgyzstan and Afghanistan reached $15 million in 2023, up 50 percent from $10 million in the previous year.", expect: { flow: "turnover", reporter_iso3: "KGZ", period_start: "2022-01-01", period_end: "2022-12-31", value_original: 10000000 } },
      { text: "Exports from Iran to Afghanistan totaled $600 million in January-March 2024, 20% more than the same period of last year (500 million).", expect: { flow: "export", reporter_iso3: "IRN", period_start: "2023-01-01", period_end: "2023-03-31", value_original: 500000000 } },
    ],
    rejects: [{ text: "Trade between Kyrgyzstan and Afghanistan reached $15 million in 2023, and $10 million is expected next year." }],
  },
  {
    id: "aid.weight_tonnes",
    table: "aid_shipments",
    description: "Weight of humanitarian aid sent by a donor to a recipient; totals over a span are aggregates.",
    matches: [
      { text: "Uzbekistan has sent 320 tons of humanitarian aid to Afghanistan.", expect: { donor_iso3: "UZB", recipient_iso3: "AFG", kind: "shipment", weight_tonnes: 320 } },
      { text: "Since 2021 Turkmenistan has delivered a total of 12,000 tons of humanitarian assistance to Afghanistan.", published: "2024-06-01", expect: { donor_iso3: "TKM", kind: "aggregate", period_start: "2021-01-01" } },
      { text: "A convoy carrying 58 tons and 250 kilograms of relief goods from Tajikistan reached Kunduz.", expect: { donor_iso3: "TJK", recipient_iso3: "AFG", weight_tonnes: 58.25 } },
    ],
    rejects: [
      { text: "More than 20 million Afghans need humanitarian aid this winter." },
      { text: "The earthquake left over 1,500 people dead and 3,000 injured." },
    ],
  },
  {
    id: "aid.railcars",
    table: "aid_shipments",
    description: "Railway wagons of a humanitarian shipment (wagons, railcars, train cars, rail tankers), spelled-out numbers included.",
    matches: [
      { text: "Kazakhstan dispatched twenty two wagons of humanitarian aid to Afghanistan.", expect: { donor_iso3: "KAZ", railcars: 22, transport_mode: "rail" } },
      { text: "A humanitarian train of 45 railcars with flour and sugar left Termez for Afghanistan.", expect: { railcars: 45, donor_iso3: "UZB" } },
    ],
    rejects: [{ text: "About 400 freight wagons cross the bridge every month." }],
  },
  {
    id: "aid.value_usd",
    table: "aid_shipments",
    description: "Money value of aid, converted with the article's own USD figure when it gives one.",
    matches: [
      { text: "Over the past three years Kazakhstan provided humanitarian aid to Afghanistan worth 2.5 billion tenge (about US$5.4 million).", published: "2024-02-10", expect: { kind: "aggregate", currency_original: "KZT", value_usd: 5400000, period_start: "2021-01-01", period_end: "2023-12-31" } },
      { text: "China announced emergency humanitarian assistance worth 50 million yuan for Afghanistan.", expect: { donor_iso3: "CHN", currency_original: "CNY" } },
    ],
    rejects: [{ text: "The UN appeal seeks $4.6 billion in humanitarian aid for Afghanistan." }],
  },
  {
    id: "aid.item",
    table: "aid_shipments",
    description: "Itemized quantities inside a shipment ('10,000 liters of oil, 500 blankets'): aid_items of that shipment, not shipments of their own.",
    matches: [{ text: "Iran sent 80 tons of humanitarian aid to Afghanistan, including 40 tons of rice and 2,000 blankets.", expect: { weight_tonnes: 80, donor_iso3: "IRN" } }],
    rejects: [],
  },
  {
    id: "contract.value",
    table: "contracts",
    description: "Money value of signed (or to-be-signed) contracts and agreements; parties from names, demonyms, or the article's pair.",
    matches: [
      { text: "Uzbek and Afghan businessmen signed contracts worth $75 million in Mazar-i-Sharif.", expect: { parties_iso3: "AFG;UZB", status: "signed", value_usd: 75000000, place: "Mazar-i-Sharif" } },
      { text: "Afghan and Pakistani traders will sign a $9-million deal to supply fresh fruit next month.", expect: { parties_iso3: "AFG;PAK", status: "planned", value_usd: 9000000 } },
    ],
    rejects: [
      { text: "The two sides signed a memorandum on transit cooperation." },
      { text: "Kazakh companies have invested $30 million in Afghan mining under the agreement." },
    ],
  },
  {
    id: "contract.count",
    table: "contracts",
    description: "Number of agreements covered by a stated value ('signed 12 agreements worth $40 million').",
    matches: [{ text: "Turkmen and Afghan firms signed 12 agreements worth $40 million.", expect: { n_contracts: 12, value_usd: 40000000, parties_iso3: "AFG;TKM" } }],
    rejects: [{ text: "Officials signed 12 agreements on cultural cooperation." }],
  },
  {
    id: "contract.quantity",
    table: "contracts",
    description: "A tonnage a contract covers ('the agreements include the supply of 50,000 tons of cement').",
    matches: [{ text: "The contracts signed include the supply of 50,000 tons of cement to Afghanistan.", expect: { quantity_tonnes: 50000 } }],
    rejects: [],
  },
  {
    id: "grant.count",
    table: "grants",
    description: "Educational grants per year, students studying in the donor country, host universities; current or planned.",
    matches: [
      { text: "Some 450 Afghan students currently study at 20 Uzbek universities.", expect: { donor_iso3: "UZB", recipient_iso3: "AFG", students: 450, institutions: 20, status: "current" } },
      { text: "Tajikistan offers 50 scholarships to Afghan citizens every year.", expect: { donor_iso3: "TJK", grants_per_year: 50, status: "current" } },
      { text: "Kazakhstan plans to raise the quota to 100 grants per year for Afghan students.", expect: { grants_per_year: 100, status: "planned" } },
    ],
    rejects: [{ text: "Forty Afghan children were invited to a summer camp near Almaty." }],
  },
  {
    id: "grant.from_to",
    table: "grants",
    description: "'increase the number of grants from 30 to 60': the first is the current level, the second the plan.",
    matches: [{ text: "Uzbekistan proposed increasing annual scholarships for Afghan students from 40 to 80.", expect: { grants_per_year: 40, status: "current" } }],
    rejects: [{ text: "Attendance rose from 40 to 80 people." }],
  },
];
