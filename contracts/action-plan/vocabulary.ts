import { offeredBy } from '../kernel/events';
import type { DocumentPickWords, Vocabulary } from '../kernel/vocabulary';
import type { ActionPlanState } from './definitions';
import { ACTION_PLAN_EVENTS } from './events';

/** An action's evidence may be documents already uploaded to the plan, ticked on its form. */
export const ACTION_PLAN_PICKS = {
  'complete-action': {
    label: 'Evidence documents uploaded to this plan',
    hint: 'Tick each document that shows the action done',
    none: 'No documents have been uploaded to this plan yet: to give a document as evidence, upload it on the plan’s page first.',
  },
} satisfies Record<string, DocumentPickWords>;

/** A CQRG action plan's words (see ../kernel/vocabulary.ts); the rules they speak of are in ./case.ts. */
export const ACTION_PLAN_WORDS: Vocabulary<ActionPlanState> = {
  caseType: 'action-plan',
  noun: 'Action plan',
  page: (reference) => `/action-plans/${encodeURIComponent(reference)}`,
  events: ACTION_PLAN_EVENTS,
  offered: offeredBy(ACTION_PLAN_EVENTS),
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
  picks: ACTION_PLAN_PICKS,
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
