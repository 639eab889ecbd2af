import { Connection, InferSchemaType, Schema } from 'mongoose';

export const COMPLAINT_SOURCES = ['complainant', 'mp', 'healthwatch', 'pals', 'provider'] as const;
export const COMMUNICATION_NEEDS = [
  'large_print',
  'easy_read',
  'braille',
  'audio',
  'another_language',
  'bsl_interpreter',
  'email_only',
  'telephone_only',
] as const;

const complainantSchema = new Schema(
  {
    name: String,
    email: String,
    phone: String,
    address: String,
  },
  { _id: false },
);

const bodySchema = new Schema(
  {
    name: { type: String, required: true },
    contribution: String,
  },
  { _id: false },
);

/**
 * An escalated complaint case. The API writes what a person told us (the
 * complainant and the narrative: the only place they live); the workflow's
 * projection activity writes `workflow` and the denormalised list fields.
 */
const complaintSchema = new Schema(
  {
    _id: { type: String, required: true }, // the reference, e.g. CMP-2026-000123
    providerCode: { type: String, required: true },
    source: { type: String, enum: COMPLAINT_SOURCES, required: true },
    receivedOn: { type: String, required: true },
    category: { type: String, required: true },
    summary: { type: String, required: true },
    consentToShare: { type: Boolean, required: true },
    complainant: complainantSchema,
    communicationNeeds: { type: [String], enum: COMMUNICATION_NEEDS, default: [] },
    communicationNotes: String,
    leadBody: String,
    method: { type: String, enum: ['oral', 'written', 'electronic'] },
    matterOccurredOn: String,
    becameAwareOn: String,
    safeguardingConcern: Boolean,
    otherBodies: { type: [bodySchema], default: [] },
    links: { type: [new Schema({ kind: String, reference: String }, { _id: false })], default: [] },
    status: { type: String, required: true },
    acknowledgeBy: { type: String, required: true },
    nextDueOn: String,
    nextDeadlineKind: String,
    outcome: String,
    workflowId: { type: String, required: true },
    /** What the workflow is started with (ids, dates, flags): a repeat or the reconciler starts the same. */
    workflowInput: { type: Schema.Types.Mixed },
    projectionVersion: { type: Number, default: -1 },
    /** The list index entries the case is under (models/case-index.ts), moved with each projection. */
    indexKeys: { type: [String], default: [] },
    workflow: { type: Schema.Types.Mixed },
  },
  { timestamps: true, versionKey: false, minimize: false },
);

// Lists and dashboards read the case index (models/case-index.ts), not these fields.

export type ComplaintRecord = InferSchemaType<typeof complaintSchema> & { _id: string };

export function complaintModel(connection: Connection) {
  return connection.model('Complaint', complaintSchema, 'complaints');
}
