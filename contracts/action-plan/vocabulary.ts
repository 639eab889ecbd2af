import type { Vocabulary } from '../kernel/vocabulary';
import type { ActionPlanState } from './definitions';

/** A CQRG action plan's words (see ../kernel/vocabulary.ts); the rules they speak of are in ./case.ts. */
export const ACTION_PLAN_WORDS: Vocabulary<ActionPlanState> = {
  caseType: 'action-plan',
  page: (reference) => `/action-plans/${encodeURIComponent(reference)}`,
  events: {
    'add-action': 'Add an action',
    'redate-action': 'Move an action’s due date',
    'update-action': 'Record progress on an action',
    'complete-action': 'Submit evidence that an action is done',
    'accept-evidence': 'Accept an action’s evidence',
    'return-evidence': 'Return an action’s evidence',
    'sign-off': 'Sign off the plan',
  },
  /** The state half of each rule in ./case.ts. */
  offered(s, caller) {
    const open = s.status !== 'closed';
    const openActions = s.actions.some((a) => a.status === 'open');
    const awaitingChair = s.actions.some((a) => a.status === 'evidence_submitted');
    // Only the plan's own chair (their sign-in's subject, exactly) decides on evidence and signs it off.
    const chair = caller?.id === s.chairId;
    const offered: [string, boolean][] = [
      ['add-action', open],
      ['update-action', open && openActions],
      ['redate-action', open && openActions],
      ['complete-action', open && openActions],
      ['accept-evidence', open && awaitingChair && chair],
      ['return-evidence', open && awaitingChair && chair],
      ['sign-off', open && s.actions.length > 0 && s.actions.every((a) => a.status === 'complete') && chair],
    ];
    return offered.filter(([, ok]) => ok).map(([path]) => path);
  },
  deadlines: {
    // `action:3` is the plan's third action.
    action: { what: (n) => `action ${n} of the provider's action plan` },
    awaiting_sign_off: { what: () => "the CQRG chair's sign-off of the action plan, every action now complete" },
  },
  // By the alarm's action: reminders to the action's owner (the provider's mailbox copied:
  // mailer/recipients.ts), escalations and a plan awaiting sign-off to the plan's chair.
  alarms: {
    reminder: { audience: 'action_owner', subject: ({ n, dueOn }) => `action ${n} due on ${dueOn}` },
    escalation: { audience: 'cqrg_chair', subject: ({ n, dueOn }) => `action ${n} overdue (due ${dueOn})` },
    awaiting_sign_off: { audience: 'cqrg_chair', subject: "every action complete: awaiting the chair's sign-off" },
  },
  documents: {
    evidence: 'Evidence',
    minutes: 'Meeting minutes',
    provider_report: 'Provider’s report',
    other: 'Other',
  },
};

/** A CQRG meeting's pack: its page is the provider's, which shows the latest pack. */
export const CQRG_PACK_WORDS: Vocabulary<never> = {
  caseType: 'cqrg-pack',
  // `RJ2:2026-12-08`: the provider and the meeting.
  page: (reference) => `/providers/${encodeURIComponent(reference.split(':')[0])}`,
  events: {},
  offered: () => [],
  deadlines: { cqrg_meeting: { what: () => "the CQRG meeting: the pack of the provider's outstanding actions is ready" } },
  alarms: {},
};
