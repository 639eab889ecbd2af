import { caseIO } from '../kernel/io';
import { runCase } from '../kernel/run-case';
import { CQRG_MEETING_EVENTS } from '../../contracts/cqrg-meeting/events';
import { cqrgMeetingRules, initialState } from './case';
import { cqrgMeetingHandlers, planReports } from './handlers';
import { CQRG_MEETING, reportDeadline, snapshotQuery, stateQuery, type CqrgMeetingState, type CqrgMeetingWorkflowInput } from '../../contracts/cqrg-meeting/definitions';

/**
 * One CQRG meeting of one provider, from the day it is put on the provider's cycle to the day it is
 * recorded: each report the provider owes for it chased like any deadline, then the meeting's record.
 */
export async function cqrgMeetingWorkflow(input: CqrgMeetingWorkflowInput): Promise<CqrgMeetingState> {
  return runCase<CqrgMeetingState, CqrgMeetingWorkflowInput>({
    reference: input.reference,
    input,
    initial: () => initialState(input),
    rules: cqrgMeetingRules,
    io: caseIO<CqrgMeetingState>(CQRG_MEETING.name),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      const deadlines = await planReports(kase);
      const due = Object.fromEntries(Object.entries(deadlines).map(([id, d]) => [id, d?.dueOn]));
      return kase.change('opened', { providerCode: input.providerCode, meetingOn: input.meetingOn, reportsDue: due }, (s) => {
        s.deadlines = deadlines;
        for (const r of s.reports) r.dueOn = deadlines[reportDeadline(r.theme)]?.dueOn;
      });
    },
    handlers: cqrgMeetingHandlers,
    events: CQRG_MEETING_EVENTS,
  });
}
