import { Connection, InferSchemaType, Schema } from 'mongoose';
import { caseRecordOptions, caseReference, caseStatus, caseWorkflowFields } from './case-record';

/**
 * A provider's reporting plan (keyed by its ODS code): its CQRG meeting dates and the reports it
 * owes for them, set by the chair through PUT /api/providers/:code/reporting-plan.
 */
const reportingPlanSchema = new Schema(
  {
    _id: { type: String, required: true },
    meetings: { type: [String], default: [] },
    reports: { type: [new Schema({ theme: String, frequency: String, workingDaysBefore: Number, month: Number }, { _id: false })], default: [] },
    updatedBy: new Schema({ id: String, name: String }, { _id: false }),
  },
  { timestamps: true, versionKey: false },
);

/**
 * One CQRG meeting of one provider. The API writes the provider, the date and the workflow's input;
 * the projection writes `workflow` and what follows it (its reports, its record). `outcomes` is what
 * became of each decision, written by the API as it applies them (keyed by the decision's number).
 */
const cqrgMeetingSchema = new Schema(
  {
    _id: caseReference, // e.g. CQM-2026-000123
    providerCode: { type: String, required: true },
    meetingOn: { type: String, required: true },
    openedOn: { type: String, required: true },
    status: caseStatus,
    reports: { type: Schema.Types.Mixed, default: [] },
    heldOn: String,
    outcomes: { type: Schema.Types.Mixed, default: {} },
    /** The minutes, a document of the meeting (its GridFS file id), made once from the record. */
    minutes: String,
    ...caseWorkflowFields,
  },
  caseRecordOptions,
);

/**
 * What a meeting asked of others: an insight visit for the quality team to plan, an escalation
 * for the quality lead to take to the commissioner's quality committee. Keyed
 * `<kind>|<requestedOn>|<meeting>:<n>`, so each list is an `_id` range and a decision applied twice
 * writes one row.
 */
const meetingRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    providerCode: { type: String, required: true },
    meeting: { type: String, required: true },
    decision: { type: Number, required: true },
    requestedOn: { type: String, required: true },
    summary: { type: String, required: true },
    service: String,
    requestedBy: new Schema({ id: String, name: String, role: String }, { _id: false }),
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type ReportingPlanRecord = InferSchemaType<typeof reportingPlanSchema> & { _id: string };
export type CqrgMeetingRecord = InferSchemaType<typeof cqrgMeetingSchema> & { _id: string };
export type MeetingRequestRecord = InferSchemaType<typeof meetingRequestSchema> & { _id: string };

export function cqrgMeetingModels(connection: Connection) {
  return {
    ReportingPlan: connection.model('ReportingPlan', reportingPlanSchema, 'reporting_plans'),
    CqrgMeeting: connection.model('CqrgMeeting', cqrgMeetingSchema, 'cqrg_meetings'),
    MeetingRequest: connection.model('MeetingRequest', meetingRequestSchema, 'meeting_requests'),
  };
}
