import type { Arming } from '../kernel/alarms';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import { COMPLAINT, type ComplaintDeadline, type ComplaintState } from '../../contracts/complaint/definitions';
import { OmbudsmanRules } from './rules/ombudsman';
import { AWAITING_RESPONSE, BEFORE_RESPONSE, transferPending } from './state';

export {
  AWAITING_RESPONSE,
  awaitingWrittenRecord,
  BEFORE_RESPONSE,
  CURRENT_VERSION,
  initialState,
  letterMovesTo,
  representativePending,
  transferPending,
  upgradeLegacyState,
  type ComplaintVersion,
} from './state';

/**
 * The complaint's rules: which events fit which state (./rules/, one file per stage: receipt,
 * investigation, closure, the Ombudsman), and which deadlines each state arms. Pure and
 * deterministic: the workflow wires them to handlers and timers, activities persist what they say.
 */

/**
 * The deadlines the case still has to meet, by the rules of its current state:
 * what arms their alarms and what the list's "next deadline" is built from.
 */
export function unmetDeadlines(s: ComplaintState): ComplaintDeadline[] {
  const ids: ComplaintDeadline[] = [];
  // Reg 9: a lead body acknowledges and responds; the case follows its dates.
  // Reg 6(6): a complaint to be sent on is the receiving body's to acknowledge; sending it is due instead.
  if (s.status === 'received' && !s.lead && !transferPending(s)) ids.push('acknowledgement');
  if (transferPending(s) && BEFORE_RESPONSE.has(s.status)) ids.push('transfer');
  // Reg 7(5): sent to the provider, its outcome is awaited.
  if (s.status === 'with_provider') ids.push('provider_outcome');
  // Reg 7(3): once consent is withdrawn nothing more is chased from the provider.
  if (s.providerAccountRequestedOn && !s.providerAccountReceivedOn && !s.consentWithdrawnOn && AWAITING_RESPONSE.has(s.status)) ids.push('provider_account');
  if (s.status === 'acknowledged' && !transferPending(s)) ids.push('response');
  if (AWAITING_RESPONSE.has(s.status)) {
    for (const c of s.lead?.contributions ?? []) if (!c.receivedOn) ids.push(`contribution:${c.n}`);
  }
  const stage = s.ombudsman;
  if (s.status === 'with_ombudsman' && stage) {
    if (stage.draftReportOn && !stage.commentsSentOn) ids.push('ombudsman_comments');
    for (const r of stage.recommendations) if (!r.metOn) ids.push(`recommendation:${r.n}`);
  }
  return ids;
}

const ALARMS: AlarmTable<ComplaintState> = {
  reminder: { event: 'reminder_sent', notify: true },
  escalation: { event: 'escalated', notify: true },
  task: { event: 'six_month_letter_due', notify: true },
  update_due: { event: 'complainant_update_due', notify: true },
  window_end: { event: 'ombudsman_window_ended', notify: false, apply: (s) => (s.status = 'completed') },
};

export const complaintRules: CaseRules<ComplaintState> = {
  armed(s) {
    const armed: Arming[] = unmetDeadlines(s).map((deadline) => ({ deadline, onDue: 'escalation' }));
    if (BEFORE_RESPONSE.has(s.status)) armed.push({ deadline: 'six_month_letter', onDue: 'task' });
    if (s.status === 'acknowledged' && !transferPending(s)) armed.push({ deadline: 'complainant_update', onDue: 'update_due' });
    if (s.status === 'closed') armed.push({ deadline: 'ombudsman_window', onDue: 'window_end' });
    return armed;
  },
  finished: (s) => COMPLAINT.finished.includes(s.status),
  alarms: ALARMS,
};

/** Validators: each refuses an event that does not fit the current state, saying why (./rules/). */
export class ComplaintCase extends OmbudsmanRules {}
