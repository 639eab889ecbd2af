import { Connection, InferSchemaType, Schema } from 'mongoose';
import { caseRecordOptions, caseReference, caseStatus, caseWorkflowFields } from './case-record';

const linkSchema = new Schema({ kind: { type: String, required: true }, reference: { type: String, required: true } }, { _id: false });

/** A panel member: their name is personal data and lives here only; the workflow knows the id and role. */
const panelMemberSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    staffId: String,
    /** Where the panel's reminders go (mailer/recipients.ts, role visit_panel). */
    email: String,
  },
  { _id: false },
);

/**
 * A provider insight visit. The API writes the plan (the panel's names, what prompted it); the
 * workflow's projection writes `workflow` and the fields lists read. `links` names the complaints
 * it follows up and the action plan its recommendations start (once it is opened), each also
 * recorded on the other side: cases only, never the request for a plan (`action_plan_links`).
 */
const visitSchema = new Schema(
  {
    _id: caseReference, // e.g. VIS-2026-000123
    providerCode: { type: String, required: true },
    service: { type: String, required: true },
    reasons: { type: [String], default: [] },
    concerns: String,
    announced: { type: Boolean, required: true },
    plannedOn: { type: String, required: true },
    visitDate: { type: String, required: true },
    panel: { type: [panelMemberSchema], default: [] },
    links: { type: [linkSchema], default: [] },
    status: caseStatus,
    nextDueOn: String,
    nextDeadlineKind: String,
    ...caseWorkflowFields,
  },
  caseRecordOptions,
);

export type VisitRecord = InferSchemaType<typeof visitSchema> & { _id: string };

export function visitModel(connection: Connection) {
  return connection.model('Visit', visitSchema, 'visits');
}

/**
 * A request for a provider action plan (process 4): one per visit whose final
 * report makes recommendations, keyed `visit:<reference>`. The action-plan process picks up the
 * rows still `awaiting_plan` and records its own reference here and on the visit.
 */
const actionPlanLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    source: { type: linkSchema, required: true },
    providerCode: { type: String, required: true },
    service: String,
    requestedOn: { type: String, required: true },
    recommendations: { type: [new Schema({ n: Number, summary: String, dueOn: String }, { _id: false })], default: [] },
    status: { type: String, default: 'awaiting_plan' },
    actionPlanReference: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);

export type ActionPlanLinkRecord = InferSchemaType<typeof actionPlanLinkSchema> & { _id: string };

export function actionPlanLinkModel(connection: Connection) {
  return connection.model('ActionPlanLink', actionPlanLinkSchema, 'action_plan_links');
}
