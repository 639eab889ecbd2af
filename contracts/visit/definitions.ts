import type { z } from 'zod';
import type * as body from './inputs';
import type { ImportedStart } from '../kernel/imported';
import { defineCaseQueries, type CaseInput, type CaseProcess, type Deadline, type IsoDate } from '../kernel/case';

import type { VisitReason, PanelRole, VisitStatus } from './constants';
export * from './constants';

/**
 * The provider insight visit's contract: its input, its state and the events the API sends it,
 * each typed by the request's zod schema. Panel members appear here only by id and role: their
 * names live in MongoDB.
 */

/** Why a visit is made (docs/processes/visit.md). */

export const VISIT: CaseProcess<VisitStatus> = {
  name: 'visit',
  workflowType: 'visitWorkflow',
  prefix: 'VIS',
  /** Still being worked: from the plan to the final report. */
  open: ['planned', 'visited', 'draft_issued', 'comments_received', 'finalising'],
  /** The final report is out, or the visit was called off. */
  finished: ['completed', 'cancelled'],
};

export const DEADLINE_IDS = ['visit', 'information', 'draft_report', 'factual_accuracy', 'comments_review', 'final_report'] as const;
/**
 * One deadline of the visit. The notice to an announced visit's provider is one per visit date:
 * its alarm's key names the date, so a postponed visit's provider is told of the new date even
 * when both notices fall on the same day (a day already past is due at once).
 */
export type VisitDeadline = (typeof DEADLINE_IDS)[number] | `provider_notice:${IsoDate}`;
export const noticeId = (visitDate: IsoDate) => `provider_notice:${visitDate}` as const;

/** A panel member as the workflow knows them: a staff id (or a generated one) and a role, no name. */
export interface PanelSeat {
  id: string;
  role: PanelRole;
}

/** How many working days each step has; the plan may set some, the rest are DEFAULTS. */
export interface VisitSettings {
  /** Announced visits: the provider is told this many working days ahead. */
  noticeWorkingDays: number;
  draftReportWorkingDays: number;
  factualAccuracyWorkingDays: number;
}

/** A re-dating of the visit, later (a postponement) or earlier (brought forward). */
export interface Postponement {
  postponedOn: IsoDate;
  from: IsoDate;
  to: IsoDate;
  reason: string;
  /** An announced visit brought forward inside its notice period: why the provider has less notice. */
  shortNoticeReason?: string;
}

export interface Recommendation {
  n: number;
  summary: string;
  dueOn?: IsoDate;
}

/** The visit as a client sees it; the kernel keeps its bookkeeping beside it. */
export interface VisitState {
  reference: string;
  providerCode: string;
  plannedOn: IsoDate;
  announced: boolean;
  reasons: VisitReason[];
  /** Complaint cases the visit follows up (references only). */
  linkedComplaints: string[];
  panel: PanelSeat[];
  settings: VisitSettings;
  status: VisitStatus;
  /** The day the visit is to take place (moved by a re-dating, later or earlier). */
  visitDate: IsoDate;
  postponements: Postponement[];
  /** Announced visits: when the provider was told of the visit (and asked for information). */
  providerNotifiedOn?: IsoDate;
  /** The visit date that notice was for: a postponement sends a new notice. */
  providerNotifiedFor?: IsoDate;
  informationReceivedOn?: IsoDate;
  visitedOn?: IsoDate;
  draftSentOn?: IsoDate;
  /** The factual-accuracy window ended: on the provider's comments, or by itself with none. */
  factualAccuracy?: { endedOn: IsoDate; comments: boolean };
  commentsReceivedOn?: IsoDate;
  review?: { reviewedOn: IsoDate; reviewerId: string; changesMade: boolean };
  finalReportOn?: IsoDate;
  recommendations?: Recommendation[];
  /** Recommendations go to a provider action plan (process 4): the link its records pick up. */
  actionPlan?: { linkId: string; requestedOn: IsoDate };
  cancelledOn?: IsoDate;
  cancellationReason?: string;
  deadlines: Partial<Record<VisitDeadline, Deadline>>;
}

export interface VisitWorkflowInput extends CaseInput<VisitState> {
  reference: string;
  providerCode: string;
  plannedOn: IsoDate;
  announced: boolean;
  reasons: VisitReason[];
  linkedComplaints: string[];
  visitDate: IsoDate;
  panel: PanelSeat[];
  settings: VisitSettings;
  /** Brought over from another system, planned as its row says (see ImportedVisit). */
  imported?: ImportedStart<ImportedVisit>;
}

/**
 * A visit imported as planned (its date ahead), an announced one's provider perhaps told of it
 * already; or held already (on its date, `visitedOn`), its draft report perhaps sent to the
 * provider (`draftSentOn`: the factual-accuracy window runs from it).
 */
export interface ImportedVisit {
  providerNotifiedOn?: IsoDate;
  visitedOn?: IsoDate;
  draftSentOn?: IsoDate;
}

export type PostponeInput = z.infer<typeof body.postponeBody>;
export type InformationInput = z.infer<typeof body.informationBody>;
export type TookPlaceInput = z.infer<typeof body.tookPlaceBody>;
export type DraftReportInput = z.infer<typeof body.draftReportBody>;
export type ProviderCommentsInput = z.infer<typeof body.providerCommentsBody>;
export type CommentsReviewInput = z.infer<typeof body.commentsReviewBody>;
export type FinalReportInput = z.infer<typeof body.finalReportBody>;
export type CancelInput = z.infer<typeof body.cancelBody>;


export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<VisitState>();

/** The link an action plan (process 4) is started from: one per visit with recommendations. */
export const actionPlanLinkId = (reference: string) => `visit:${reference}`;
