import { Connection, InferSchemaType, Schema } from 'mongoose';
import { caseRecordOptions, caseReference, caseStatus, caseWorkflowFields } from './case-record';
import { AGE_BAND_SLUGS, COMPLAINANT_STATUS_SLUGS, OUTCOME_SLUGS, PROFESSION_SLUGS, SERVICE_AREA_SLUGS, SUBJECT_SLUGS } from './ko41a';

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

/** Reg 5: who made the complaint, the person affected or someone on their behalf. */
export const MADE_BY = ['patient', 'representative'] as const;

/**
 * Reg 5(2): why a representative may complain for the patient: the patient is a child (under
 * 18), has died, lacks capacity (Mental Capacity Act 2005) or cannot complain through physical
 * incapacity, or has asked the representative to act (consent); and, in NHS practice, an MP
 * acting on a constituent's behalf.
 */
export const REPRESENTATIVE_BASES = ['child', 'deceased', 'lacks_capacity', 'physical_incapacity', 'patient_consent', 'mp_on_behalf'] as const;

/** The person the complaint is about, when the complainant is someone else (or to code their age). */
const patientSchema = new Schema(
  {
    name: String,
    dateOfBirth: String,
    nhsNumber: String,
    address: String,
  },
  { _id: false },
);

const representativeSchema = new Schema(
  {
    basis: { type: String, enum: REPRESENTATIVE_BASES, required: true },
    relationship: String,
    /** When the patient consented to the representative acting for them. */
    patientConsentOn: String,
  },
  { _id: false },
);

/** One aspect of a complaint, as the KO41a counts it (./ko41a.ts). */
const aspectSchema = new Schema(
  {
    subject: { type: String, enum: SUBJECT_SLUGS, required: true },
    serviceArea: { type: String, enum: SERVICE_AREA_SLUGS },
    profession: { type: String, enum: PROFESSION_SLUGS },
    outcome: { type: String, enum: OUTCOME_SLUGS },
  },
  { _id: false },
);

/**
 * The KO41a coding (./ko41a.ts): a record field the quality team sets, not a workflow event. Its
 * aspects; records coded before them keep one subject, service area and profession (read as one
 * aspect: aspectsOf), replaced by aspects the next time they are coded.
 */
const codingSchema = new Schema(
  {
    aspects: { type: [aspectSchema], default: undefined },
    subject: { type: String, enum: SUBJECT_SLUGS },
    serviceArea: { type: String, enum: SERVICE_AREA_SLUGS },
    profession: { type: String, enum: PROFESSION_SLUGS },
    complainantStatus: { type: String, enum: COMPLAINANT_STATUS_SLUGS },
    ageBand: { type: String, enum: AGE_BAND_SLUGS },
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
    _id: caseReference, // e.g. CMP-2026-000123
    providerCode: { type: String, required: true },
    source: { type: String, enum: COMPLAINT_SOURCES, required: true },
    receivedOn: { type: String, required: true },
    /** Free text kept for older clients; the national coding is `coding`. */
    category: String,
    summary: { type: String, required: true },
    consentToShare: { type: Boolean, required: true },
    complainant: complainantSchema,
    madeBy: { type: String, enum: MADE_BY },
    patient: patientSchema,
    representative: representativeSchema,
    coding: codingSchema,
    communicationNeeds: { type: [String], enum: COMMUNICATION_NEEDS, default: [] },
    communicationNotes: String,
    leadBody: String,
    method: { type: String, enum: ['oral', 'written', 'electronic'] },
    matterOccurredOn: String,
    becameAwareOn: String,
    safeguardingConcern: Boolean,
    otherBodies: { type: [bodySchema], default: [] },
    links: { type: [new Schema({ kind: String, reference: String }, { _id: false })], default: [] },
    status: caseStatus,
    acknowledgeBy: { type: String, required: true },
    nextDueOn: String,
    nextDeadlineKind: String,
    outcome: String,
    ...caseWorkflowFields,
  },
  caseRecordOptions,
);

// Lists and dashboards read the case index (models/case-index.ts), not these fields.

export type ComplaintRecord = InferSchemaType<typeof complaintSchema> & { _id: string };

export function complaintModel(connection: Connection) {
  return connection.model('Complaint', complaintSchema, 'complaints');
}
