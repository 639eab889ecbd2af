import { defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Actor, Human } from '../kernel/case';
import type { CaseAnswer } from '../kernel/commit';
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

/**
 * Not a button of the meeting: the provider's reporting plan changed (PUT
 * /api/providers/:code/reporting-plan, by whoever may put it), and each of its meetings open and
 * not yet held is told what it is owed now (contracts/cqrg-meeting/replan.ts); the reconciler
 * sends it again where that did not arrive. Its timeline entry is `reports_replanned`.
 */
export const PLAN_CHANGE = {
  update: 'applyReportingPlan',
  title: 'Reports owed changed with the reporting plan',
  summary: 'The reports a meeting still to be held is owed, as its provider’s reporting plan now has them: added ones chased, removed ones no longer, changed days re-planned where not yet passed',
  body: body.applyPlanBody,
  roles: SECRETARIAT,
  timeline: 'reports_replanned',
} as const;

/** Who a plan's change is sent by when the meetings' reconciler sends it (its timeline entry's actor). */
export const PLAN_RECONCILER: Actor = { id: 'reconciler', name: "The meetings' reconciler", role: 'administrator' };

export type ApplyPlanInput = z.infer<typeof body.applyPlanBody>;
export const CQRG_MEETING_PLAN_UPDATE = defineUpdate<CaseAnswer<CqrgMeetingState>, [Human<ApplyPlanInput>]>(PLAN_CHANGE.update);
