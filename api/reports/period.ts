/**
 * The periods the reports count over, defined once. A financial year runs 1 April to 31 March:
 * the complaints report (reg 18 of the 2009 regulations) and the annual engagement report, which
 * NHS Bromley CCG's engagement strategy publishes with the annual report and accounts, both count
 * it; the strategy's mid-year review, presented to the Governing Body, is its first half, April to
 * September.
 */

export interface ReportingPeriod {
  /** The financial year's first calendar year: 2026 is 1 April 2026 to 31 March 2027. */
  year: number;
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** The day after `to`: the end of a half-open range. */
  end: string;
}

export type FinancialYear = ReportingPeriod;

/** The financial year that starts on 1 April of `year`. */
export function financialYear(year: number): FinancialYear {
  return { year, from: `${year}-04-01`, to: `${year + 1}-03-31`, end: `${year + 1}-04-01` };
}

/** The mid-year review: the first half of the financial year, 1 April to 30 September. */
export function midYear(year: number): ReportingPeriod {
  return { ...financialYear(year), to: `${year}-09-30`, end: `${year}-10-01` };
}

/** The financial year a day (YYYY-MM-DD) falls in: January to March belong to the year before. */
export function financialYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) < '04-01' ? year - 1 : year;
}

/** A financial year as it is written: 2026/27. */
export const financialYearLabel = (year: number) => `${year}/${String(year + 1).slice(2)}`;
