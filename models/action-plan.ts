import { Connection, InferSchemaType, Schema } from 'mongoose';
import { caseRecordOptions, caseReference, caseStatus, caseWorkflowFields } from './case-record';

const staffSchema = new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false });

/**
 * A provider's CQRG action plan. The API writes what it was told (the title, the chair's name,
 * where it came from); the workflow's projection writes `workflow` and the fields that follow it.
 * Its actions are records of their own (`actions`), and their texts notes (`action_plan_notes`).
 */
const actionPlanSchema = new Schema(
  {
    _id: caseReference, // e.g. CAP-2026-000123
    providerCode: { type: String, required: true },
    theme: { type: String, required: true },
    title: { type: String, required: true },
    source: { type: new Schema({ kind: { type: String, required: true }, reference: String, meetingOn: String }, { _id: false }), required: true },
    chair: { type: staffSchema, required: true },
    openedOn: { type: String, required: true },
    status: caseStatus,
    nextDueOn: String,
    counts: { type: new Schema({ actions: Number, open: Number, complete: Number }, { _id: false }), default: () => ({ actions: 0, open: 0, complete: 0 }) },
    signedOffOn: String,
    ...caseWorkflowFields,
  },
  caseRecordOptions,
);

export type ActionPlanRecord = InferSchemaType<typeof actionPlanSchema> & { _id: string };

/**
 * One action of a plan, keyed `CAP-2026-000123:3`: what the chair's lists and packs show. Written
 * by the plan's projection (activities/action-plan/actions.ts), forward only by the plan's version.
 */
const actionSchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: String, required: true },
    n: { type: Number, required: true },
    providerCode: { type: String, required: true },
    theme: { type: String, required: true },
    description: { type: String, required: true },
    owner: { type: staffSchema, required: true },
    addedOn: { type: String, required: true },
    dueOn: { type: String, required: true },
    status: { type: String, required: true },
    updates: { type: Number, default: 0 },
    redated: { type: Number, default: 0 },
    lastUpdate: new Schema({ on: String, text: String }, { _id: false }),
    completedOn: String,
    /** Its evidence submitted on this day, awaiting the plan's chair (status evidence_submitted). */
    evidenceSubmittedOn: String,
    evidence: { type: [new Schema({ description: String, link: String }, { _id: false })], default: [] },
    /** The plan's documents named as its evidence: the id (GET /api/documents/:id) and the file's name. */
    documents: { type: [new Schema({ id: String, filename: String }, { _id: false })], default: [] },
    projectionVersion: { type: Number, default: -1 },
  },
  { versionKey: false, minimize: false },
);

export type ActionRecord = InferSchemaType<typeof actionSchema> & { _id: string };

/**
 * A staff note the workflow knows only by id: an action's description (with its owner's name), a
 * progress update, or a piece of evidence. Written by the API before the Update that names it; a
 * note no committed event names is shown nowhere (and the API removes it when the event is refused).
 */
const noteSchema = new Schema(
  {
    _id: { type: String, required: true }, // note:<id>
    kind: { type: String, required: true }, // action | update | evidence
    text: { type: String, required: true },
    link: String,
    ownerName: String,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/** The pack of a provider's outstanding actions before a CQRG meeting, keyed `RJ2:2026-12-08`. */
const cqrgPackSchema = new Schema(
  {
    _id: { type: String, required: true },
    providerCode: { type: String, required: true },
    meetingOn: { type: String, required: true },
    packOn: { type: String, required: true },
    producedOn: { type: String, required: true },
    chairId: { type: String, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
    actions: { type: [Schema.Types.Mixed], default: [] },
  },
  { versionKey: false, timestamps: true },
);

export function actionPlanModels(connection: Connection) {
  return {
    ActionPlan: connection.model('ActionPlan', actionPlanSchema, 'action_plans'),
    Action: connection.model('Action', actionSchema, 'actions'),
    ActionPlanNote: connection.model('ActionPlanNote', noteSchema, 'action_plan_notes'),
    CqrgPack: connection.model('CqrgPack', cqrgPackSchema, 'cqrg_packs'),
  };
}
