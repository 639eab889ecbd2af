import { Connection, InferSchemaType, Schema } from 'mongoose';
import { caseRecordOptions, caseReference, caseStatus, caseWorkflowFields } from './case-record';

/** An assessment: completed before go-live or not, where it is kept (a link), and the form itself as a document of the review. */
const assessmentSchema = new Schema(
  { completed: { type: Boolean, required: true }, link: String, document: { type: new Schema({ id: String, filename: String }, { _id: false }), default: undefined } },
  { _id: false },
);
const pairSchema = new Schema({ youSaid: { type: String, required: true }, weDid: { type: String, required: true } }, { _id: false });
const feedbackSchema = new Schema({ givenOn: { type: String, required: true }, method: { type: String, required: true }, to: { type: String, required: true } }, { _id: false });

/**
 * A six-month post-implementation review of a redesigned service. The API writes what the
 * commissioner told us (the service, what changed, the owner's name and email, the engagement
 * behind the redesign: the only place they live); the workflow's projection activity writes
 * `workflow` and the fields that follow it (status, due date, the recorded review).
 */
const reviewSchema = new Schema(
  {
    _id: caseReference, // e.g. PIR-2026-000123
    serviceName: { type: String, required: true },
    /** The provider running the service, where named: its CQRG pack lists the review (records/review/lists.ts). */
    providerCode: String,
    whatChanged: { type: String, required: true },
    goLiveOn: { type: String, required: true },
    scheduledOn: { type: String, required: true },
    owner: {
      type: new Schema(
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          email: String,
          lineManager: new Schema({ name: { type: String, required: true }, email: String }, { _id: false }),
        },
        { _id: false },
      ),
      required: true,
    },
    /** Commissioners an administrator has given the review to besides its owner: they may change it too (per-record rights). */
    delegates: { type: [new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false })], default: [] },
    assessments: {
      type: new Schema({ equalityImpact: assessmentSchema, qualityImpact: assessmentSchema, engagementLog: assessmentSchema }, { _id: false }),
      required: true,
    },
    patientEngagement: { type: String, required: true },
    status: caseStatus,
    dueOn: { type: String, required: true },
    reviewedOn: String,
    effects: new Schema({ access: String, outcomes: String, experience: String }, { _id: false }),
    youSaidWeDid: { type: [pairSchema], default: [] },
    /** Each time "you said, we did" went back to those who took part (to a group, never a person). */
    feedback: { type: [feedbackSchema], default: [] },
    ...caseWorkflowFields,
  },
  caseRecordOptions,
);

// Lists, the calendar feed and the engagement report read the case index, not these fields.

export type ReviewRecord = InferSchemaType<typeof reviewSchema> & { _id: string };

export function reviewModel(connection: Connection) {
  return connection.model('Review', reviewSchema, 'reviews');
}
