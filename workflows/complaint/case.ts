import { ApplicationFailure } from '@temporalio/workflow';
import {
  AcknowledgeInput,
  CASE_STATE_CONFLICT,
  CloseInput,
  ComplaintState,
  ComplaintWorkflowInput,
  ConsentInput,
  Deadline,
  DeadlineKind,
  ExtendInput,
  IsoInstant,
  OmbudsmanReferralInput,
  ProviderAccountInput,
  RequestProviderAccountInput,
  RespondInput,
} from './definitions';

/**
 * The complaint's state and the rules for moving it on. Pure and deterministic:
 * the workflow wires it to handlers and timers, activities persist what it says.
 */

export type AlarmAction = 'reminder' | 'escalation' | 'task' | 'window_end';

export interface Alarm {
  key: string;
  kind: DeadlineKind;
  action: AlarmAction;
  at: IsoInstant;
  deadline: Deadline;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  at: IsoInstant;
  data: Record<string, unknown>;
}

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, CASE_STATE_CONFLICT);
}

function notBefore(date: string, earliest: string | undefined, what: string, earliestName: string): void {
  if (earliest && date < earliest) refuse(`${what} (${date}) cannot be before ${earliestName} (${earliest})`);
}

export function initialState(input: ComplaintWorkflowInput): ComplaintState {
  return {
    reference: input.reference,
    providerCode: input.providerCode,
    receivedOn: input.receivedOn,
    status: 'received',
    consentToShare: input.consentToShare,
    consentRecordedOn: input.consentToShare ? input.receivedOn : undefined,
    deadlines: { acknowledgement: input.acknowledgement },
    extensions: [],
    fired: [],
    seq: 0,
    version: 0,
  };
}

const OPEN = new Set(['received', 'acknowledged']);

/**
 * The deadlines the case still has to meet, by the rules of its current state:
 * what arms their alarms here and what the list's "next deadline" is built from.
 */
export function unmetDeadlines(s: ComplaintState): DeadlineKind[] {
  const kinds: DeadlineKind[] = [];
  if (s.status === 'received') kinds.push('acknowledgement');
  if (s.providerAccountRequestedOn && !s.providerAccountReceivedOn && OPEN.has(s.status)) kinds.push('provider_account');
  if (s.status === 'acknowledged') kinds.push('response');
  return kinds;
}

export class ComplaintCase {
  constructor(readonly state: ComplaintState) {}

  get finished(): boolean {
    return this.state.status === 'completed' || this.state.status === 'referred_to_ombudsman';
  }

  // Validators: each refuses an event that does not fit the current state.

  checkAcknowledge(input: AcknowledgeInput): void {
    if (this.state.status !== 'received') refuse(`case is already ${this.state.status}`);
    notBefore(input.acknowledgedOn, this.state.receivedOn, 'acknowledgement', 'receipt');
    if (input.responseDueOn && input.responseDueOn <= input.acknowledgedOn) {
      refuse('the agreed response date must be after the acknowledgement');
    }
  }

  checkConsent(input: ConsentInput): void {
    if (!OPEN.has(this.state.status)) refuse(`consent cannot change once the case is ${this.state.status}`);
    notBefore(input.recordedOn, this.state.receivedOn, 'consent', 'receipt');
    if (!input.consentToShare && this.state.providerAccountRequestedOn) {
      refuse('the provider has already been asked for an account; consent can no longer be withdrawn here');
    }
  }

  checkRequestProviderAccount(input: RequestProviderAccountInput): void {
    if (this.state.status !== 'acknowledged') refuse(`the case must be acknowledged first (it is ${this.state.status})`);
    // Regulations: nothing is shared with the provider until the complainant consents.
    if (!this.state.consentToShare) refuse('consent to share with the provider has not been recorded');
    if (this.state.providerAccountRequestedOn) refuse('the provider account has already been requested');
    notBefore(input.requestedOn, this.state.acknowledgedOn, 'the request', 'acknowledgement');
  }

  checkProviderAccount(input: ProviderAccountInput): void {
    if (!this.state.providerAccountRequestedOn) refuse('no provider account has been requested');
    if (this.state.providerAccountReceivedOn) refuse('the provider account has already been recorded');
    notBefore(input.receivedOn, this.state.providerAccountRequestedOn, 'the provider account', 'the request');
  }

  checkExtend(input: ExtendInput): void {
    if (this.state.status !== 'acknowledged') refuse(`only an acknowledged, unanswered case can be extended (it is ${this.state.status})`);
    if (input.complainantAgreed !== true) refuse('an extension needs the complainant’s agreement');
    const current = this.state.deadlines.response?.dueOn;
    if (current && input.newDueOn <= current) refuse(`the new date must be after the current response date ${current}`);
    notBefore(input.agreedOn, this.state.acknowledgedOn, 'the agreement', 'acknowledgement');
    if (input.newDueOn <= input.agreedOn) refuse('the new date must be after the day it was agreed');
  }

  checkRespond(input: RespondInput): void {
    if (this.state.status !== 'acknowledged') refuse(`a response needs an acknowledged, unanswered case (it is ${this.state.status})`);
    notBefore(input.respondedOn, this.state.acknowledgedOn, 'the response', 'acknowledgement');
  }

  checkClose(input: CloseInput): void {
    if (this.state.status !== 'responded') refuse(`only a responded case can be closed (it is ${this.state.status})`);
    notBefore(input.closedOn, this.state.respondedOn, 'closure', 'the response');
  }

  checkOmbudsmanReferral(input: OmbudsmanReferralInput): void {
    if (this.state.status !== 'closed') refuse(`a referral is recorded against a closed case (it is ${this.state.status})`);
    notBefore(input.referredOn, this.state.closedOn, 'the referral', 'closure');
    const window = this.state.deadlines.ombudsman_window;
    if (window && input.referredOn > window.dueOn) refuse(`the Ombudsman window closed on ${window.dueOn}`);
  }

  /** The alarms still to act on, earliest first; derived, never stored. */
  pendingAlarms(): Alarm[] {
    const s = this.state;
    const alarms: Alarm[] = [];
    const add = (kind: DeadlineKind, action: AlarmAction, when: 'remindAt' | 'escalateAt') => {
      const deadline = s.deadlines[kind];
      const at = deadline?.[when];
      if (!deadline || !at) return;
      const key = `${kind}:${deadline.dueOn}:${action}`;
      if (!s.fired.includes(key)) alarms.push({ key, kind, action, at, deadline });
    };
    for (const kind of unmetDeadlines(s)) {
      add(kind, 'reminder', 'remindAt'); // the acknowledgement has none: it only escalates
      add(kind, 'escalation', 'escalateAt');
    }
    if (OPEN.has(s.status)) add('six_month_letter', 'task', 'escalateAt');
    if (s.status === 'closed') add('ombudsman_window', 'window_end', 'escalateAt');
    return alarms.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Record a change: bump the version and hand back the timeline entry to persist. */
  change(type: string, at: IsoInstant, data: Record<string, unknown>, mutate: (s: ComplaintState) => void): TimelineEntry {
    mutate(this.state);
    this.state.version += 1;
    this.state.seq += 1;
    return { seq: this.state.seq, type, at, data };
  }
}
