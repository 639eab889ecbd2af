import { actionRanges, amberUntil, dashboardRanges } from '../../records/action-plan/lists';
import { actionView } from '../../records/action-plan/view';
import { londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import type { ActionRecord } from '../../models/action-plan';
import { countRange, findByIds, referenceOf } from '../../models/case-index';
import { RAGS, THEMES } from '../../contracts/action-plan/definitions';
import { HttpError } from '../errors';
import { requireProvider, type ReferenceData } from '../reference-data';
import type { ListActionsQuery } from './schemas';
import { keyedPage } from '../kernel/paging';

/** Today in London and the last day of amber (local working days, closures from the app's cache). */
export async function ragDates(referenceData: ReferenceData) {
  const today = londonDate(Date.now());
  return { today, amber: amberUntil(today, await referenceData.closureDates()) };
}

/**
 * The CQRG chair's reads of a provider: its actions, the counts by RAG and theme, its packs. Every
 * list and count is a range of the case index (records/action-plan/lists.ts), never Temporal.
 */
export class ChairService {
  constructor(private readonly deps: { models: Models; referenceData: ReferenceData }) {}

  private today() {
    return ragDates(this.deps.referenceData);
  }

  /** The provider must be known (api/reference-data.ts requireProvider). */
  provider(code: string): Promise<void> {
    return requireProvider(this.deps.referenceData, code);
  }

  /** The chair's list: a provider's actions by due date (open) then by completion (done), by RAG or theme. */
  async actions(code: string, query: ListActionsQuery) {
    const { today, amber } = await this.today();
    const ranges = actionRanges({ provider: code, theme: query.theme, outstanding: query.outstanding, rag: query.rag }, today, amber);
    // The provider is checked beside the read, not before it: an unknown one has no entries anyway.
    const [, { keys, total, ...page }] = await Promise.all([this.provider(code), keyedPage(this.deps.models.CaseIndex, ranges, query)]);
    const records = await findByIds<ActionRecord>(this.deps.models.Action, keys.map(referenceOf));
    return { items: records.map((r) => actionView(r, today, amber)), ...page, total: total ?? 0, today, amberUntil: amber };
  }

  /** Counts by RAG and theme for one provider: one count of a range of the case index per cell. */
  async providerDashboard(code: string, dates?: { today: string; amber: string }) {
    const { today, amber } = dates ?? (await this.today());
    const cells = dashboardRanges(code, today, amber);
    const counts = await Promise.all(cells.map((c) => countRange(this.deps.models.CaseIndex, c.range)));
    const zero = () => Object.fromEntries(RAGS.map((r) => [r, 0])) as Record<(typeof RAGS)[number], number>;
    const byTheme = Object.fromEntries(THEMES.map((t) => [t, zero()]));
    const total = zero();
    cells.forEach((c, i) => {
      byTheme[c.theme][c.rag] = counts[i];
      total[c.rag] += counts[i];
    });
    return { providerCode: code, today, amberUntil: amber, total, byTheme };
  }

  /** A provider's CQRG packs, latest meeting first (keyed `RJ2:2026-12-08`: a range of `_id`). */
  async packs(code: string) {
    // The provider is checked beside the read, as in actions: an unknown one has no packs anyway.
    const [, rows] = await Promise.all([this.provider(code), this.deps.models.CqrgPack.find({ _id: { $gte: `${code}:`, $lt: `${code}:~` } }, { actions: 0 }).lean()]);
    rows.sort((a, b) => b.meetingOn.localeCompare(a.meetingOn));
    return { items: rows.map(({ _id: _key, createdAt: _c, updatedAt: _u, ...pack }) => pack) };
  }

  /**
   * The provider's last `n` packs, latest first, as its page charts them: their meetings and
   * counts, by the last keys of its range (packs are keyed `<code>:<meetingOn>`), not every pack.
   */
  async recentPacks(code: string, n: number) {
    return this.deps.models.CqrgPack.find({ _id: { $gte: `${code}:`, $lt: `${code}:~` } }, { _id: 0, meetingOn: 1, producedOn: 1, counts: 1 })
      .sort({ _id: -1 })
      .limit(n)
      .lean<{ meetingOn: string; producedOn: string; counts: Record<string, number> }[]>();
  }

  async pack(code: string, meetingOn: string) {
    const pack = await this.deps.models.CqrgPack.findById(`${code}:${meetingOn}`).lean();
    if (!pack) throw new HttpError(404, 'not_found', `no CQRG pack for ${code} on ${meetingOn}`);
    const { _id: _key, createdAt: _c, updatedAt: _u, ...view } = pack;
    return view;
  }

  /** Every active provider's dashboard (or the one asked for). */
  async dashboard(provider?: string) {
    const dates = await this.today();
    const codes = provider ? [provider] : (await this.deps.referenceData.providers()).map((p) => p._id);
    return { today: dates.today, providers: await Promise.all(codes.map((code) => this.providerDashboard(code, dates))) };
  }
}
