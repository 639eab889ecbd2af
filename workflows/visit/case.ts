import type { Arming } from '../kernel/alarms';
import { notBefore, refuse, type Human, type IsoDate } from '../../contracts/kernel/case';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import {
  CancelInput,
  CommentsReviewInput,
  DraftReportInput,
  FinalReportInput,
  InformationInput,
  noticeId,
  PostponeInput,
  ProviderCommentsInput,
  TookPlaceInput,
  VISIT,
  VisitDeadline,
  VisitState,
  VisitWorkflowInput,
} from '../../contracts/visit/definitions';

/**
 * The insight visit's rules: which events fit which state, and which deadlines each state arms.
 * Pure and deterministic: the workflow wires them to handlers and timers, activities persist
 * what they say.
 */

export function initialState(input: VisitWorkflowInput): VisitState {
  return {
    reference: input.reference,
    providerCode: input.providerCode,
    plannedOn: input.plannedOn,
    announced: input.announced,
    reasons: input.reasons,
    linkedComplaints: input.linkedComplaints,
    panel: input.panel,
    settings: input.settings,
    status: 'planned',
    visitDate: input.visitDate,
    postponements: [],
    deadlines: {},
  };
}

/** An announced visit's provider still has to be told of the current date (and asked for information). */
const noticeDue = (s: VisitState) => s.status === 'planned' && s.announced && s.providerNotifiedFor !== s.visitDate;
/** The provider was asked for information before the visit and has not answered. */
const informationAwaited = (s: VisitState) => s.status === 'planned' && s.announced && !!s.providerNotifiedOn && !s.informationReceivedOn;

/**
 * The dates someone still has to meet, by the rules of the current state: what the list's "next
 * deadline" is built from. The provider's factual-accuracy window counts: it is the date the
 * report waits on.
 */
export function unmetDeadlines(s: VisitState): VisitDeadline[] {
  switch (s.status) {
    case 'planned':
      return informationAwaited(s) ? ['information', 'visit'] : ['visit'];
    case 'visited':
      return ['draft_report'];
    case 'draft_issued':
      return ['factual_accuracy'];
    case 'comments_received':
      return ['comments_review'];
    case 'finalising':
      return ['final_report'];
    default:
      return [];
  }
}

const ALARMS: AlarmTable<VisitState> = {
  reminder: { event: 'reminder_sent', notify: true },
  escalation: { event: 'escalated', notify: true },
  // Announced visits only: the provider hears of the visit, and is asked for information, ahead of it.
  notify_provider: {
    event: 'provider_notified',
    notify: true,
    apply: (s) => {
      s.providerNotifiedOn = s.deadlines[noticeId(s.visitDate)]?.dueOn;
      s.providerNotifiedFor = s.visitDate;
    },
  },
  // The provider said nothing within its window: the report is finalised without comments.
  window_end: {
    event: 'factual_accuracy_window_ended',
    notify: true,
    apply: (s) => {
      s.status = 'finalising';
      s.factualAccuracy = { endedOn: s.deadlines.factual_accuracy!.dueOn, comments: false };
    },
  },
};

export const visitRules: CaseRules<VisitState> = {
  armed(s) {
    const armed: Arming[] = [];
    if (noticeDue(s)) armed.push({ deadline: noticeId(s.visitDate), onDue: 'notify_provider' });
    for (const deadline of unmetDeadlines(s)) armed.push({ deadline, onDue: deadline === 'factual_accuracy' ? 'window_end' : 'escalation' });
    return armed;
  },
  finished: (s) => VISIT.finished.includes(s.status),
  alarms: ALARMS,
};

/**
 * Which of the rules a run keeps: a case started before a change keeps the rule it started
 * under (its history may hold what the old rule allowed). Asked once as a run starts, through
 * `patched` (workflow.ts).
 */
export interface VisitVersion {
  /**
   * A visit is recorded as taking place on its date: held on another day it is re-dated first,
   * later or earlier (to the day it is re-dated, at the earliest); an announced visit brought
   * forward inside its notice period says why.
   */
  heldOnItsDate: boolean;
}

export const CURRENT_VERSION: VisitVersion = { heldOnItsDate: true };

/** Validators: each refuses an event that does not fit the current state, saying why. */
export class VisitCase {
  constructor(
    readonly state: VisitState,
    private readonly version: VisitVersion = CURRENT_VERSION,
  ) {}

  private expect(status: VisitState['status'], what: string): void {
    if (this.state.status !== status) refuse(`${what} (the visit is ${this.state.status})`);
  }

  /** A new date for a visit still to take place, later or earlier, with a reason. */
  checkPostpone(input: PostponeInput): void {
    this.expect('planned', 'only a visit that has not yet taken place can be re-dated');
    notBefore(input.postponedOn, this.state.plannedOn, 'the re-dating', 'the plan');
    if (!this.version.heldOnItsDate) {
      if (input.newVisitDate <= input.postponedOn) refuse('the new date must be after the day the visit was postponed');
    } else if (input.newVisitDate < input.postponedOn) {
      refuse(`the new date (${input.newVisitDate}) cannot be before the day the visit was re-dated (${input.postponedOn})`);
    }
    if (input.newVisitDate === this.state.visitDate) refuse(`the visit is already planned for ${input.newVisitDate}`);
  }

  /**
   * Whether a re-dating must be checked against the provider's notice period: an announced visit
   * brought forward. The handler then works out the earliest date that still gives full notice.
   */
  checksNotice(input: PostponeInput): boolean {
    return this.version.heldOnItsDate && this.state.announced && input.newVisitDate < this.state.visitDate;
  }

  /**
   * An announced visit brought forward inside its notice period (to a date before `fullNoticeFrom`,
   * the earliest that still gives the provider `noticeWorkingDays`) says why.
   */
  checkShortNotice(input: PostponeInput, fullNoticeFrom: IsoDate): void {
    if (!this.checksNotice(input) || input.newVisitDate >= fullNoticeFrom || input.shortNoticeReason) return;
    const days = this.state.settings.noticeWorkingDays;
    refuse(
      `brought forward to ${input.newVisitDate}, inside the provider’s notice period of ${days} working days (full notice needs ${fullNoticeFrom} or later): say why in shortNoticeReason`,
    );
  }

  checkInformation(input: InformationInput): void {
    this.expect('planned', 'the provider’s information is received before the visit');
    if (!this.state.announced) refuse('an unannounced visit asks the provider for nothing in advance');
    if (!this.state.providerNotifiedOn) refuse('the provider has not yet been told of the visit or asked for information');
    if (this.state.informationReceivedOn) refuse(`the provider’s information was received on ${this.state.informationReceivedOn}`);
    notBefore(input.receivedOn, this.state.providerNotifiedOn, 'the information', 'the request');
  }

  /** A visit takes place on its date (docs/processes/visit.md): held on another day, it is re-dated first. */
  checkTookPlace(input: TookPlaceInput): void {
    this.expect('planned', 'only a planned visit can take place');
    const { visitDate } = this.state;
    if (!this.version.heldOnItsDate) return notBefore(input.visitedOn, this.state.plannedOn, 'the visit', 'its plan');
    if (input.visitedOn !== visitDate) {
      refuse(`the visit is planned for ${visitDate}, not ${input.visitedOn}: a visit takes place on its date; to record it on another day, re-date it first (postpone, with a reason)`);
    }
  }

  checkDraftReport(input: DraftReportInput): void {
    this.expect('visited', 'a draft report follows the visit');
    notBefore(input.sentOn, this.state.visitedOn, 'the draft report', 'the visit');
  }

  checkProviderComments(input: ProviderCommentsInput): void {
    const s = this.state;
    if (s.factualAccuracy && !s.factualAccuracy.comments) refuse(`the factual-accuracy window ended on ${s.factualAccuracy.endedOn} without comments`);
    this.expect('draft_issued', 'the provider comments on a draft report it has been sent');
    notBefore(input.receivedOn, s.draftSentOn, 'the comments', 'the draft report');
    const window = s.deadlines.factual_accuracy;
    if (window && input.receivedOn > window.dueOn) refuse(`the factual-accuracy window closed on ${window.dueOn}`);
  }

  /** The reviewer is the acting user unless another is named; never someone who sat on the panel. */
  checkReview(input: Human<CommentsReviewInput>): void {
    this.expect('comments_received', 'there are no factual-accuracy comments to review');
    const reviewer = input.reviewerId ?? input.actor.id;
    if (this.state.panel.some((seat) => seat.id === reviewer)) {
      refuse(`${reviewer} sat on the visit’s panel: factual-accuracy comments are reviewed by someone who was not on it`);
    }
    notBefore(input.reviewedOn, this.state.commentsReceivedOn, 'the review', 'the comments');
  }

  checkFinalReport(input: FinalReportInput): void {
    const s = this.state;
    if (s.status === 'comments_received') refuse('the provider’s factual-accuracy comments must be reviewed first');
    this.expect('finalising', 'the final report follows the factual-accuracy window');
    if (s.review) notBefore(input.publishedOn, s.review.reviewedOn, 'the final report', 'the review');
    else notBefore(input.publishedOn, s.factualAccuracy?.endedOn, 'the final report', 'the end of the factual-accuracy window');
    const early = input.recommendations.findIndex((r) => r.dueOn && r.dueOn <= input.publishedOn);
    if (early >= 0) refuse(`recommendation ${early + 1} must be due after the final report`);
  }

  checkCancel(input: CancelInput): void {
    this.expect('planned', 'only a visit that has not yet taken place can be cancelled');
    notBefore(input.cancelledOn, this.state.plannedOn, 'the cancellation', 'the plan');
  }
}
