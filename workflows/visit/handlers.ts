import { patched } from '@temporalio/workflow';
import { VISIT_UPDATES } from '../../contracts/visit/events';
import type { CaseKernel } from '../kernel/run-case';
import type { Deadline, IsoDate, PlanDeadlineInput } from '../../contracts/kernel/case';
import { VisitCase, type VisitVersion } from './case';
import {
  actionPlanLinkId,
  DEFAULTS,
  noticeId,
  VisitDeadline,
  VisitState,
} from '../../contracts/visit/definitions';

type Kernel = CaseKernel<VisitState>;

/**
 * Since this patch an unannounced visit may be planned after it took place: its `visit` deadline
 * is due at once (the day it is logged), not on its date already passed. No earlier run could take
 * that path (a date in the past was refused), so it is asked only there.
 */
export const LOGGED_AFTER_PATCH = 'visit-logged-after-it-took-place';
const repeat = DEFAULTS.escalateEveryWorkingDays;

/**
 * Plan a deadline from now: an event recorded late (a visit recorded days after it, a notice whose
 * day has passed) sends no reminder already past, and acts on a due date already past from now, in
 * working hours, never at night (workflow time: the same on replay).
 */
const plan = (kase: Kernel, input: PlanDeadlineInput, notBefore = new Date().toISOString()) => kase.plan({ ...input, notBefore });

/**
 * The dates a visit on `visitDate` sets, planned on `from`: the visit itself (the panel reminded
 * ahead of it, escalated if it passes unrecorded) and, for an announced visit only, the notice to
 * the provider with its information request and the answer's due date. An unannounced visit's
 * provider hears nothing before it.
 */
export async function planVisitDates(kase: Kernel, from: IsoDate, visitDate: IsoDate, notBefore?: string) {
  const s = kase.state;
  // An unannounced visit logged after it took place (the only visit whose date can precede its
  // plan) is due to be recorded at once: escalated the working morning after, not the moment it is
  // logged for a date already passed. Asked only on that path, which no earlier history took.
  if (visitDate < from && !s.announced && patched(LOGGED_AFTER_PATCH)) {
    const visit = await plan(kase, { id: 'visit', from, workingDays: 0, repeatEveryWorkingDays: repeat }, notBefore);
    visit.basis.rule = `an unannounced visit on ${visitDate}, logged after it on ${from}: due to be recorded at once`;
    return { visit };
  }
  const visit = await plan(kase, {
    id: 'visit',
    from,
    dueOn: visitDate,
    agreedWith: 'panel',
    remindWorkingDaysBefore: [...DEFAULTS.panelReminderWorkingDays],
    repeatEveryWorkingDays: repeat,
  }, notBefore);
  if (!s.announced) return { visit };
  const notice = await plan(kase, { id: noticeId(visitDate), from, before: visitDate, workingDays: s.settings.noticeWorkingDays, onTheDay: true }, notBefore);
  const information = await plan(kase, {
    id: 'information',
    from,
    before: visitDate,
    workingDays: DEFAULTS.informationWorkingDaysBefore,
    remindWorkingDaysBefore: [DEFAULTS.informationReminderWorkingDays],
    repeatEveryWorkingDays: repeat,
  }, notBefore);
  return { visit, notice, information };
}

export function setDates(s: VisitState, dates: { visit: Deadline; notice?: Deadline; information?: Deadline }) {
  s.deadlines.visit = dates.visit;
  // Only the notice for the current date is kept: an earlier date's is done with.
  for (const id of Object.keys(s.deadlines)) if (id.startsWith('provider_notice:')) delete s.deadlines[id as VisitDeadline];
  if (dates.notice) s.deadlines[noticeId(s.visitDate)] = dates.notice;
  if (dates.information) s.deadlines.information = dates.information;
}

/** The visit's human events: each checked by its rule (case.ts), planning any deadline it sets, then recorded as one change. */
export function visitHandlers(kase: Kernel, version: VisitVersion): void {
  const rules = new VisitCase(kase.state, version);

  // Re-dated, later or earlier: every date re-planned for the new one, the provider told of it.
  kase.on(VISIT_UPDATES.postpone, (i) => rules.checkPostpone(i), async (i) => {
    if (rules.checksNotice(i)) {
      // The earliest date that still gives the provider its full notice, counted from the re-dating.
      const fullNotice = await plan(kase, { id: 'full_notice', from: i.postponedOn, workingDays: kase.state.settings.noticeWorkingDays });
      rules.checkShortNotice(i, fullNotice.dueOn);
    }
    const dates = await planVisitDates(kase, i.postponedOn, i.newVisitDate);
    const from = kase.state.visitDate;
    const type = version.heldOnItsDate && i.newVisitDate < from ? 'brought_forward' : 'postponed';
    return kase.change(type, { ...i, previousVisitDate: from, providerNoticeOn: dates.notice?.dueOn ?? null }, (s) => {
      s.postponements.push({ postponedOn: i.postponedOn, from, to: i.newVisitDate, reason: i.reason, ...(i.shortNoticeReason && { shortNoticeReason: i.shortNoticeReason }) });
      s.visitDate = i.newVisitDate;
      setDates(s, dates);
    });
  });

  kase.record(VISIT_UPDATES.information, (i) => rules.checkInformation(i), 'information_received', (s, i) => {
    s.informationReceivedOn = i.receivedOn;
  });

  kase.on(VISIT_UPDATES['took-place'], (i) => rules.checkTookPlace(i), async (i) => {
    const draft = await planDraftReport(kase, i.visitedOn);
    return kase.change('visit_took_place', { ...i, draftReportDueOn: draft.dueOn }, (s) => {
      s.status = 'visited';
      s.visitedOn = i.visitedOn;
      s.deadlines.draft_report = draft;
    });
  });

  // The provider's factual-accuracy window opens; the final report is due after it unless comments come.
  kase.on(VISIT_UPDATES['draft-report'], (i) => rules.checkDraftReport(i), async (i) => {
    const { window, final } = await planFactualAccuracy(kase, i.sentOn);
    return kase.change('draft_report_sent', { ...i, factualAccuracyEndsOn: window.dueOn, finalReportDueOn: final.dueOn }, (s) => {
      s.status = 'draft_issued';
      s.draftSentOn = i.sentOn;
      s.deadlines.factual_accuracy = window;
      s.deadlines.final_report = final;
    });
  });

  kase.on(VISIT_UPDATES['provider-comments'], (i) => rules.checkProviderComments(i), async (i) => {
    const review = await plan(kase, { id: 'comments_review', from: i.receivedOn, workingDays: DEFAULTS.commentsReviewWorkingDays, repeatEveryWorkingDays: repeat });
    return kase.change('provider_comments_received', { ...i, reviewDueOn: review.dueOn }, (s) => {
      s.status = 'comments_received';
      s.commentsReceivedOn = i.receivedOn;
      s.factualAccuracy = { endedOn: i.receivedOn, comments: true };
      s.deadlines.comments_review = review;
    });
  });

  kase.on(VISIT_UPDATES['comments-review'], (i) => rules.checkReview(i), async (i) => {
    const reviewerId = i.reviewerId ?? i.actor.id;
    const final = await finalReportDue(kase, i.reviewedOn);
    return kase.change('comments_reviewed', { ...i, reviewerId, finalReportDueOn: final.dueOn }, (s) => {
      s.status = 'finalising';
      s.review = { reviewedOn: i.reviewedOn, reviewerId, changesMade: i.changesMade };
      s.deadlines.final_report = final;
    });
  });

  // Recommendations start a provider action plan (process 4): the link its records pick up.
  kase.record(VISIT_UPDATES['final-report'], (i) => rules.checkFinalReport(i), 'final_report_published', (s, i) => {
    s.status = 'completed';
    s.finalReportOn = i.publishedOn;
    s.recommendations = i.recommendations.map((r, k) => ({ n: k + 1, summary: r.summary, ...(r.dueOn && { dueOn: r.dueOn }) }));
    if (s.recommendations.length) s.actionPlan = { linkId: actionPlanLinkId(s.reference), requestedOn: i.publishedOn };
  });

  kase.record(VISIT_UPDATES.cancel, (i) => rules.checkCancel(i), 'cancelled', (s, i) => {
    s.status = 'cancelled';
    s.cancelledOn = i.cancelledOn;
    s.cancellationReason = i.reason;
  });
}

function finalReportDue(kase: Kernel, from: IsoDate, notBefore?: string) {
  return plan(kase, { id: 'final_report', from, workingDays: DEFAULTS.finalReportWorkingDays, repeatEveryWorkingDays: repeat }, notBefore);
}

/** The draft report, due some working days after the visit took place (an imported visit's acts no earlier than `notBefore`). */
export function planDraftReport(kase: Kernel, visitedOn: IsoDate, notBefore?: string) {
  return plan(kase, {
    id: 'draft_report',
    from: visitedOn,
    workingDays: kase.state.settings.draftReportWorkingDays,
    remindWorkingDaysBefore: [DEFAULTS.draftReportReminderWorkingDays],
    repeatEveryWorkingDays: repeat,
  }, notBefore);
}

/** The provider's factual-accuracy window from the day the draft went, and the final report due after it. */
export async function planFactualAccuracy(kase: Kernel, sentOn: IsoDate, notBefore?: string) {
  const window = await plan(kase, {
    id: 'factual_accuracy',
    from: sentOn,
    workingDays: kase.state.settings.factualAccuracyWorkingDays,
    remindWorkingDaysBefore: [DEFAULTS.factualAccuracyReminderWorkingDays],
  }, notBefore);
  return { window, final: await finalReportDue(kase, window.dueOn, notBefore) };
}
