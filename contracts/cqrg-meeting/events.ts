import { eventOf, updatesOf } from '../kernel/events';
import type { CqrgMeetingState } from './definitions';
import * as body from './inputs';

const event = eventOf<CqrgMeetingState>();
/** The meeting's chair and the quality team who service it record what comes in and what was decided. */
const SECRETARIAT = ['cqrg_chair', 'quality_team', 'administrator'] as const;
/** Both need the meeting still to be recorded (workflows/cqrg-meeting/case.ts). */
const scheduled = (s: CqrgMeetingState) => s.status === 'scheduled';

/**
 * A CQRG meeting's human events: POST /api/cqrg-meetings/:reference/<path>, one row each, in the
 * order its page shows them; `offered` is the state half of each rule in workflows/cqrg-meeting/case.ts.
 */
export const CQRG_MEETING_EVENTS = {
  'receive-report': event({ update: 'receiveReport', title: 'Record a report received from the provider', body: body.receiveReportBody, roles: SECRETARIAT,
    summary: 'Record a report the provider owes for the meeting as received: its documents (kept with the meeting) and headline figures where the theme has them; its deadline stops',
    offered: (s) => scheduled(s) && s.reports.some((r) => !r.receivedOn) }),
  record: event({ update: 'recordMeeting', title: 'Record the meeting', body: body.recordMeetingBody, roles: SECRETARIAT,
    summary: 'Record the meeting after it happens: attendance by role, each agenda item’s discussion, its decisions; each decision is then applied once (an action opened, closed or re-dated, a visit requested, an escalation to the quality committee) and the minutes kept as a document',
    offered: (s) => scheduled(s) }),
};

/** The Updates the workflow registers and the API sends, one per row. */
export const CQRG_MEETING_UPDATES = updatesOf<CqrgMeetingState, typeof CQRG_MEETING_EVENTS>(CQRG_MEETING_EVENTS);
