import { eventOf, updatesOf } from '../kernel/events';
import type { ActionPlanState } from './definitions';
import * as body from './inputs';

const event = eventOf<ActionPlanState>();
/** Kept by the quality team, commissioners and the CQRG chair (a chair only on the plans they chair: api/auth/permissions.ts). */
const KEEPERS = ['quality_team', 'commissioner', 'cqrg_chair', 'administrator'] as const;
const open = (s: ActionPlanState) => s.status !== 'closed';
const openActions = (s: ActionPlanState) => s.actions.some((a) => a.status === 'open');
const awaitingChair = (s: ActionPlanState) => s.actions.some((a) => a.status === 'evidence_submitted');
/** Only the plan's own chair (their sign-in's subject, exactly) decides on evidence and signs it off. */
const chair = (s: ActionPlanState, caller?: { id: string }) => caller?.id === s.chairId;

/**
 * A CQRG action plan's human events: POST /api/action-plans/:reference/<path>, one row each, in
 * the order its page shows them; `offered` is the state half of each rule in
 * workflows/action-plan/case.ts. An event whose body holds staff notes (`notes`) sends the
 * workflow their ids, the texts kept in MongoDB.
 */
export const ACTION_PLAN_EVENTS = {
  'add-action': event({ update: 'addAction', title: 'Add an action', body: body.addActionBody, roles: KEEPERS,
    summary: 'Add an action: description, owner, due date (the plan must not be signed off)',
    offered: (s) => open(s),
    notes: (b, id) => ({
      input: { addedOn: b.addedOn, ownerId: b.owner.id, dueOn: b.dueOn, note: id(0) },
      notes: [{ _id: id(0), kind: 'action', text: b.description, ownerName: b.owner.name }],
    }),
  }),
  'redate-action': event({ update: 'redateAction', title: 'Move an action’s due date', body: body.redateActionBody, roles: KEEPERS,
    summary: 'Move an open action\'s due date, with a reason (kept in the timeline): its reminders and escalation re-armed',
    offered: (s) => open(s) && openActions(s) }),
  'update-action': event({ update: 'updateAction', title: 'Record progress on an action', body: body.updateActionBody, roles: KEEPERS,
    summary: 'Record progress on an open action (the text is kept in MongoDB, the workflow counts it)',
    offered: (s) => open(s) && openActions(s),
    notes: (b, id) => ({
      input: { action: b.action, updatedOn: b.updatedOn, note: id(0) },
      notes: [{ _id: id(0), kind: 'update', text: b.text }],
    }),
  }),
  'complete-action': event({ update: 'completeAction', title: 'Submit evidence that an action is done', body: body.completeActionBody, roles: KEEPERS,
    summary: "Submit evidence (at least one item) that an open action is done: it awaits the plan's chair, still outstanding, its reminders paused (on a plan opened before the chair reviewed evidence it completes at once)",
    offered: (s) => open(s) && openActions(s),
    notes: (b, id) => ({
      input: { action: b.action, completedOn: b.completedOn, evidence: b.evidence.map((_, i) => id(i)), ...(b.documents?.length && { documents: b.documents }) },
      notes: b.evidence.map((e, i) => ({ _id: id(i), kind: 'evidence' as const, text: e.description, ...(e.link ? { link: e.link } : {}) })),
    }),
  }),
  'accept-evidence': event({ update: 'acceptEvidence', title: 'Accept an action’s evidence', body: body.acceptEvidenceBody, roles: KEEPERS,
    summary: "The plan's CQRG chair accepts an action's evidence: it is complete (blue) and its clock stops; the last one accepted, the plan awaits sign-off",
    offered: (s, caller) => open(s) && awaitingChair(s) && chair(s, caller) }),
  'return-evidence': event({ update: 'returnEvidence', title: 'Return an action’s evidence', body: body.returnEvidenceBody, roles: KEEPERS,
    summary: "The plan's CQRG chair returns an action's evidence with a reason (kept in the timeline): the action is open again, its reminders and escalation re-armed",
    offered: (s, caller) => open(s) && awaitingChair(s) && chair(s, caller) }),
  'sign-off': event({ update: 'signOff', title: 'Sign off the plan', body: body.signOffBody, roles: KEEPERS,
    summary: 'The CQRG chair signs the plan off: only when every action is complete; the plan closes',
    offered: (s, caller) => open(s) && s.actions.length > 0 && s.actions.every((a) => a.status === 'complete') && chair(s, caller) }),
};

/** The Updates the workflow registers and the API sends, one per row. */
export const ACTION_PLAN_UPDATES = updatesOf<ActionPlanState, typeof ACTION_PLAN_EVENTS>(ACTION_PLAN_EVENTS);
