import type { IsoDate } from '../kernel/case';
import type { ReportState } from './definitions';
import type { ReportTheme } from './constants';

/** A report a meeting is owed: its theme, and how many local working days before the meeting it is due. */
export interface OwedReport {
  theme: ReportTheme;
  workingDaysBefore: number;
}

/** What a changed reporting plan does to a meeting still to be held. */
export interface ReportChanges {
  /** Owed now and not before: each becomes a deadline. */
  added: OwedReport[];
  /** No longer owed and not received: no longer chased. */
  removed: ReportTheme[];
  /** Owed still, with other days: re-planned, while its due date has not passed. */
  redated: OwedReport[];
}

/**
 * A plan change, as it reaches a meeting open and not yet held (docs/processes/cqrg-meeting.md):
 * a report received stays received whatever the plan says now; one already past its due date
 * (late, or due today) keeps its date, since the chair has been told of it or is about to be. Pure,
 * so the workflow (its rule), the API and the reconciler (whether to send it) read the same one.
 */
export function reportChanges(reports: readonly ReportState[], owed: readonly OwedReport[], today: IsoDate): ReportChanges {
  const had = new Map(reports.map((r) => [r.theme, r]));
  const wants = new Map(owed.map((r) => [r.theme, r]));
  return {
    added: owed.filter((r) => !had.has(r.theme)),
    removed: reports.filter((r) => !r.receivedOn && !wants.has(r.theme)).map((r) => r.theme),
    redated: owed.filter((r) => {
      const was = had.get(r.theme);
      return !!was && !was.receivedOn && !was.late && was.workingDaysBefore !== r.workingDaysBefore && (!was.dueOn || was.dueOn > today);
    }),
  };
}

export const changesNothing = (c: ReportChanges) => !c.added.length && !c.removed.length && !c.redated.length;
