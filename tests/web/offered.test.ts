import { ACTION_PLAN_WORDS } from '../../contracts/action-plan/vocabulary';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import { REVIEW_WORDS } from '../../contracts/review/vocabulary';
import { VISIT_WORDS } from '../../contracts/visit/vocabulary';

const complaintEventsOffered = COMPLAINT_WORDS.offered;
const visitEventsOffered = VISIT_WORDS.offered;
const actionPlanEventsOffered = ACTION_PLAN_WORDS.offered;
const reviewEventsOffered = REVIEW_WORDS.offered;
import { ReviewCase } from '../../workflows/review/case';
import type { ReviewState } from '../../contracts/review/definitions';
import { ComplaintCase, initialState } from '../../workflows/complaint/case';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { VisitCase } from '../../workflows/visit/case';
import type { VisitState } from '../../contracts/visit/definitions';
import { ActionPlanCase } from '../../workflows/action-plan/case';
import type { ActionPlanState } from '../../contracts/action-plan/definitions';
import { deadline } from '../helpers/rules';

/**
 * The buttons a case page offers (web/pages/*: the state half of each rule) against the rules
 * themselves (workflows/<p>/case.ts): in each state, an event is offered exactly when its rule
 * accepts a well-formed request sent today. A rule changed without its page fails here.
 */

/** Later than every date in the states below; `FAR` later still, for dates that must come after. */
const LATE = '2026-12-01';
const FAR = '2027-06-01';
const actor = { id: 'someone-else', name: 'Someone Else', role: 'quality_team' };

const accepts = (check: () => void) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

describe('complaints', () => {
  const base = initialState({ reference: 'CMP-2026-000001', providerCode: 'RJ2', receivedOn: '2026-03-02', consentToShare: true, acknowledgement: deadline('acknowledgement', '2026-03-05') });
  const acknowledged: ComplaintState = { ...base, status: 'acknowledged', acknowledgedOn: '2026-03-03', updates: [], deadlines: { ...base.deadlines, response: deadline('response', '2026-12-20') } };
  const closed: ComplaintState = { ...acknowledged, status: 'closed', respondedOn: '2026-04-01', closedOn: '2026-04-02' };
  const ombudsman = (stage: Partial<NonNullable<ComplaintState['ombudsman']>>): ComplaintState => ({
    ...closed,
    status: 'with_ombudsman',
    ombudsman: { contactedOn: '2026-05-01', afterWindow: false, recommendations: [], ...stage },
  });
  const STATES: Record<string, ComplaintState> = {
    received: base,
    'received, oral, resolvable by the next working day': { ...base, method: 'oral', informalResolutionBy: LATE },
    'received out of time, undecided': { ...base, timeLimit: {} },
    'received without consent': { ...base, consentToShare: false },
    acknowledged,
    'acknowledged, provider asked': { ...acknowledged, providerAccountRequestedOn: '2026-03-04' },
    'acknowledged, another body leads': { ...acknowledged, lead: { body: 'Trust', agreedOn: '2026-03-04', contributions: [{ n: 1, body: 'GP', dueOn: '2026-04-01' }] } },
    'acknowledged, passed to the provider': { ...acknowledged, handledBy: 'provider' },
    'on hold': { ...acknowledged, status: 'on_hold', hold: { heldOn: '2026-03-10', reason: 'police' } as ComplaintState['hold'] },
    responded: { ...acknowledged, status: 'responded', respondedOn: '2026-04-01' },
    closed,
    'with the Ombudsman': ombudsman({}),
    'with the Ombudsman, draft report in': ombudsman({ investigationOpenedOn: '2026-05-02', draftReportOn: '2026-06-01' }),
    'with the Ombudsman, final report in': ombudsman({ investigationOpenedOn: '2026-05-02', draftReportOn: '2026-06-01', commentsSentOn: '2026-06-05', finalReportOn: '2026-07-01', recommendations: [{ n: 1, summary: 'apologise', dueOn: '2026-08-01' }] }),
    withdrawn: { ...acknowledged, status: 'withdrawn' },
    'received, oral, not yet written down': { ...base, method: 'oral' },
    'received, oral, written down': { ...base, method: 'oral', writtenRecord: { writtenOn: '2026-03-02', copyOfferedOn: '2026-03-02' } },
    'acknowledged, a representative for a child not yet decided on': { ...acknowledged, representative: { acting: 'child' } },
    'acknowledged, the representative found suitable': { ...acknowledged, representative: { acting: 'lacks_capacity', suitable: true, decidedOn: '2026-03-04', reasons: 'lasting power of attorney' } },
    'the representative found not suitable': { ...acknowledged, status: 'representative_not_suitable', representative: { acting: 'child', suitable: false, decidedOn: '2026-03-04', reasons: 'no grounds', notifiedOn: '2026-03-04' } },
    'received, to be sent to another body': { ...base, handledBy: 'another_body', transfer: { decidedOn: '2026-03-03', to: 'NHS Kent and Medway ICB', kind: 'another_body' } },
    'acknowledged, to be sent to the provider, consent withdrawn': { ...acknowledged, consentToShare: false, consentWithdrawnOn: '2026-03-04', handledBy: 'provider', transfer: { decidedOn: '2026-03-03', to: 'RJ2', kind: 'provider' } },
    'sent to the provider, its outcome awaited': { ...base, status: 'with_provider', handledBy: 'provider', transfer: { decidedOn: '2026-03-03', to: 'RJ2', kind: 'provider', transferredOn: '2026-03-04' }, transferredOn: '2026-03-04' },
    transferred: { ...base, status: 'transferred', handledBy: 'provider', transfer: { decidedOn: '2026-03-03', to: 'RJ2', kind: 'provider', transferredOn: '2026-03-04', outcome: { receivedOn: '2026-04-10', outcome: 'upheld' } }, transferredOn: '2026-03-04' },
  };

  /** Each event's rule, with a well-formed request sent today. */
  const RULES: Record<string, (c: ComplaintCase, s: ComplaintState) => boolean> = {
    acknowledge: (c) => accepts(() => c.checkAcknowledge({ acknowledgedOn: LATE })),
    'written-record': (c) => accepts(() => c.checkWrittenRecord({ writtenOn: LATE, copyOfferedOn: LATE })),
    representative: (c) => accepts(() => c.checkRepresentative({ decidedOn: LATE, suitable: true, reasons: 'acts in their best interests' })),
    transfer: (c) => accepts(() => c.checkTransfer({ transferredOn: LATE })),
    'provider-outcome': (c) => accepts(() => c.checkProviderOutcome({ receivedOn: LATE, outcome: 'not_upheld' })),
    'time-limit': (c) => accepts(() => c.checkTimeLimit({ decidedOn: LATE, decision: 'investigate', reason: 'good cause' } as never)),
    'informal-resolution': (c, s) => accepts(() => c.checkInformalResolution({ resolvedOn: s.informalResolutionBy ?? LATE } as never)),
    consent: (c) => accepts(() => c.checkConsent({ consentToShare: true, recordedOn: LATE })) || accepts(() => c.checkConsent({ consentToShare: false, recordedOn: LATE })),
    handling: (c) => accepts(() => c.checkHandling({ handledBy: 'commissioner', decidedOn: LATE } as never)),
    'lead-body': (c) => accepts(() => c.checkLeadBody({ body: 'Trust', agreedOn: LATE, responseDueOn: FAR, contributions: [] } as never)),
    contribution: (c, s) => accepts(() => c.checkContribution({ contribution: s.lead?.contributions.find((x) => !x.receivedOn)?.n ?? 1, receivedOn: LATE } as never)),
    'provider-request': (c) => accepts(() => c.checkRequestProviderAccount({ requestedOn: LATE })),
    'provider-response': (c) => accepts(() => c.checkProviderAccount({ receivedOn: LATE })),
    extend: (c, s) => accepts(() => c.checkExtend({ newDueOn: FAR, agreedOn: s.acknowledgedOn ?? LATE, complainantAgreed: true, reason: 'more time' } as never)),
    hold: (c) => accepts(() => c.checkHold({ heldOn: LATE, reason: 'police' } as never)),
    resume: (c) => accepts(() => c.checkResume({ resumedOn: LATE })),
    'complainant-update': (c) => accepts(() => c.checkComplainantUpdate({ sentOn: LATE } as never)),
    withdraw: (c) => accepts(() => c.checkWithdraw({ withdrawnOn: LATE, reason: 'resolved' } as never)),
    respond: (c) => accepts(() => c.checkRespond({ respondedOn: LATE, signedBy: 'chief.executive', ombudsmanRightsGiven: true })),
    close: (c) => accepts(() => c.checkClose({ closedOn: LATE } as never)),
    reopen: (c) => accepts(() => c.checkReopen({ reopenedOn: LATE, responseDueOn: FAR, reason: 'new evidence' } as never)),
    'ombudsman-referral': (c) => accepts(() => c.checkOmbudsmanReferral({ referredOn: LATE })),
    'ombudsman-investigation': (c) => accepts(() => c.checkOmbudsmanInvestigation({ openedOn: LATE })),
    'ombudsman-draft-report': (c) => accepts(() => c.checkOmbudsmanDraft({ receivedOn: LATE, commentsDueOn: FAR })),
    'ombudsman-comments': (c) => accepts(() => c.checkOmbudsmanComments({ sentOn: LATE })),
    'ombudsman-final-report': (c) => accepts(() => c.checkOmbudsmanFinal({ receivedOn: LATE, finding: 'upheld', recommendations: [{ summary: 'apologise', dueOn: FAR }] } as never)),
    'ombudsman-compliance': (c, s) => accepts(() => c.checkOmbudsmanCompliance({ recommendation: s.ombudsman?.recommendations.find((r) => !r.metOn)?.n ?? 1, metOn: LATE } as never)),
  };

  test.each(Object.entries(STATES))('%s: the page offers exactly the events the rules accept', (_name, state) => {
    const rules = new ComplaintCase(state);
    const accepted = Object.keys(RULES).filter((event) => RULES[event](rules, state));
    expect(complaintEventsOffered(state).sort()).toEqual(accepted.sort());
  });
});

describe('insight visits', () => {
  const planned = {
    reference: 'VIS-2026-000001',
    providerCode: 'RJ2',
    status: 'planned',
    announced: true,
    plannedOn: '2026-03-02',
    visitDate: '2026-03-20',
    panel: [{ id: 'lee', name: 'Lee Lay', role: 'lay_member' }],
    deadlines: {},
  } as unknown as VisitState;
  const STATES: Record<string, VisitState> = {
    'planned, announced, provider not yet told': planned,
    'planned, provider told': { ...planned, providerNotifiedOn: '2026-03-06' },
    'planned, information in': { ...planned, providerNotifiedOn: '2026-03-06', informationReceivedOn: '2026-03-10' },
    'planned, unannounced': { ...planned, announced: false },
    visited: { ...planned, status: 'visited', visitedOn: '2026-03-20' },
    'draft issued': { ...planned, status: 'draft_issued', visitedOn: '2026-03-20', draftSentOn: '2026-04-01', deadlines: { factual_accuracy: deadline('factual_accuracy', '2026-12-20') } },
    'draft issued, window ended without comments': { ...planned, status: 'draft_issued', draftSentOn: '2026-04-01', factualAccuracy: { endedOn: '2026-04-15', comments: false } },
    'comments received': { ...planned, status: 'comments_received', draftSentOn: '2026-04-01', commentsReceivedOn: '2026-04-10' },
    finalising: { ...planned, status: 'finalising', draftSentOn: '2026-04-01', factualAccuracy: { endedOn: '2026-04-15', comments: false } },
    completed: { ...planned, status: 'completed' },
    cancelled: { ...planned, status: 'cancelled' },
  };
  const RULES: Record<string, (c: VisitCase, s: VisitState) => boolean> = {
    postpone: (c) => accepts(() => c.checkPostpone({ postponedOn: LATE, newVisitDate: FAR, reason: 'ward closed' } as never)),
    information: (c) => accepts(() => c.checkInformation({ receivedOn: LATE } as never)),
    // A visit takes place on its date: the well-formed request names it.
    'took-place': (c, s) => accepts(() => c.checkTookPlace({ visitedOn: s.visitDate } as never)),
    'draft-report': (c) => accepts(() => c.checkDraftReport({ sentOn: LATE } as never)),
    'provider-comments': (c) => accepts(() => c.checkProviderComments({ receivedOn: '2026-04-10' } as never)),
    'comments-review': (c) => accepts(() => c.checkReview({ reviewedOn: LATE, actor } as never)),
    'final-report': (c) => accepts(() => c.checkFinalReport({ publishedOn: LATE, recommendations: [] } as never)),
    cancel: (c) => accepts(() => c.checkCancel({ cancelledOn: LATE, reason: 'not needed' } as never)),
  };

  test.each(Object.entries(STATES))('%s: the page offers exactly the events the rules accept', (_name, state) => {
    const rules = new VisitCase(state);
    const accepted = Object.keys(RULES).filter((event) => RULES[event](rules, state));
    expect(visitEventsOffered(state, actor).sort()).toEqual(accepted.sort());
  });

  test('a panel member is not offered the review of the comments', () => {
    const state = STATES['comments received'];
    expect(visitEventsOffered(state, { id: 'lee' })).not.toContain('comments-review');
    expect(accepts(() => new VisitCase(state).checkReview({ reviewedOn: LATE, actor: { ...actor, id: 'lee' } } as never))).toBe(false);
  });
});

describe('action plans', () => {
  const action = (n: number, over: Partial<ActionPlanState['actions'][number]> = {}) =>
    ({ n, ownerId: 'jo', dueOn: '2026-06-01', addedOn: '2026-03-02', note: `note-${n}`, status: 'open', ...over }) as ActionPlanState['actions'][number];
  const plan = (actions: ActionPlanState['actions'], over: Partial<ActionPlanState> = {}): ActionPlanState =>
    ({ reference: 'CAP-2026-000001', providerCode: 'RJ2', theme: 'accessible_information_standard', source: { kind: 'cqrg_meeting', meetingOn: '2026-03-02' }, chairId: 'chair', openedOn: '2026-03-02', status: 'in_progress', escalateEveryWorkingDays: 5, actions, deadlines: {}, ...over }) as ActionPlanState;
  const done = { status: 'complete', completedOn: '2026-04-01' } as const;
  const submitted = { status: 'evidence_submitted' as const, evidenceOn: '2026-04-01', evidence: ['e'] };
  const STATES: Record<string, ActionPlanState> = {
    'one open action': plan([action(1)]),
    'one of two complete': plan([action(1, done), action(2)]),
    'all complete': plan([action(1, done)], { status: 'awaiting_sign_off' }),
    'signed off': plan([action(1, done)], { status: 'closed', signedOffOn: '2026-04-02' }),
    'evidence awaiting the chair, one open': plan([action(1, submitted), action(2)], { evidenceReview: true }),
    'evidence awaiting the chair, the rest complete': plan([action(1, done), action(2, submitted)], { evidenceReview: true }),
  };
  const RULES: Record<string, (c: ActionPlanCase, s: ActionPlanState, who: { id: string }) => boolean> = {
    'add-action': (c) => accepts(() => c.checkAdd({ addedOn: LATE, ownerId: 'jo', dueOn: FAR, note: 'n' } as never)),
    'redate-action': (c, s) => accepts(() => c.checkRedate({ action: s.actions.find((a) => a.status === 'open')?.n ?? 1, redatedOn: LATE, dueOn: FAR, reason: 'later' } as never)),
    'update-action': (c, s) => accepts(() => c.checkUpdate({ action: s.actions.find((a) => a.status === 'open')?.n ?? 1, updatedOn: LATE, note: 'n' } as never)),
    'complete-action': (c, s) => accepts(() => c.checkComplete({ action: s.actions.find((a) => a.status === 'open')?.n ?? 1, completedOn: LATE, evidence: ['e'] } as never)),
    'sign-off': (c, _s, who) => accepts(() => c.checkSignOff({ signedOffOn: LATE, actor: who } as never)),
    'accept-evidence': (c, s, who) => accepts(() => c.checkAcceptEvidence({ action: s.actions.find((a) => a.status === 'evidence_submitted')?.n ?? 1, acceptedOn: LATE, actor: who } as never)),
    'return-evidence': (c, s, who) => accepts(() => c.checkReturnEvidence({ action: s.actions.find((a) => a.status === 'evidence_submitted')?.n ?? 1, returnedOn: LATE, reason: 'one ward of six', actor: who } as never)),
  };

  test.each(Object.entries(STATES).flatMap(([name, state]) => [[`${name}, as its chair`, state, { id: 'chair' }], [`${name}, as someone else`, state, actor]] as const))(
    '%s: the page offers exactly the events the rules accept',
    (_name, state, who) => {
      const rules = new ActionPlanCase(state);
      const accepted = Object.keys(RULES).filter((event) => RULES[event](rules, state, who));
      expect(actionPlanEventsOffered(state, who).sort()).toEqual(accepted.sort());
    },
  );
});

describe('six-month reviews', () => {
  const review = (status: ReviewState['status']) =>
    ({ reference: 'PIR-2026-000001', status, goLiveOn: '2026-03-02', scheduledOn: '2026-03-02', deadlines: { review: deadline('review', '2026-09-02') } }) as unknown as ReviewState;
  const RULES: Record<string, (c: ReviewCase) => boolean> = {
    record: (c) => accepts(() => c.checkRecord({ reviewedOn: LATE, effects: { access: 'a', outcomes: 'b', experience: 'c' }, youSaidWeDid: [{ youSaid: 'x', weDid: 'y' }] } as never)),
    note: (c) => accepts(() => c.checkNote({ notedOn: LATE })),
    reschedule: (c) => accepts(() => c.checkReschedule({ rescheduledOn: LATE, dueOn: FAR, reason: 'later' } as never)),
    cancel: (c) => accepts(() => c.checkCancel({ cancelledOn: LATE, reason: 'service withdrawn' } as never)),
    feedback: (c) => accepts(() => c.checkFeedback({ givenOn: LATE, method: 'email', to: 'Healthwatch Bexley members' } as never)),
  };
  test.each(['scheduled', 'due', 'overdue', 'completed', 'cancelled'] as const)('%s: the page offers exactly the events the rules accept', (status) => {
    const state = { ...review(status), ...(status === 'completed' && { reviewedOn: '2026-09-10' }) };
    const accepted = Object.keys(RULES).filter((event) => RULES[event](new ReviewCase(state)));
    expect(reviewEventsOffered(state).sort()).toEqual(accepted.sort());
  });
});
