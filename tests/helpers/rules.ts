import { ApplicationFailure } from '@temporalio/common';
import { CASE_STATE_CONFLICT, type Deadline } from '../../contracts/kernel/case';

/** For the rules' tests: state in, a verdict out, with no server and no workflow. */

/** The reason a rule refuses (a CaseStateConflict's message), or undefined if it accepts. */
export function verdict(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(CASE_STATE_CONFLICT);
    return (err as ApplicationFailure).message;
  }
}

/** A deadline as a state holds it, due on a given day and escalated at 09:00 UTC that day, its basis a placeholder. */
export const deadline = (id: string, dueOn: string, extra: Partial<Deadline> = {}): Deadline => ({
  id,
  dueOn,
  reminders: [],
  escalateAt: `${dueOn}T09:00:00.000Z`,
  basis: { rule: 'test', start: '2026-03-02', weekendDaysSkipped: 0, skipped: [] },
  ...extra,
});
