import { pastDate, isoDate } from '../../lib/zod';
import { flag, type Cells, type Column, type Importer } from '../import/importer';
import { parseRow, providerProblems, stateColumns, verdict } from '../import/check';
import { reviewDueOn } from '../../records/review/start';
import { DEFAULTS, type ImportedReview } from '../../contracts/review/definitions';
import { createReviewBody, type CreateReviewBody } from './schemas';
import type { ReviewService } from './service';

/**
 * Reviews brought over from another system (api/import/): scheduled, due six months after go-live
 * or on a date agreed with the owner. Each row is checked by the API's request schema
 * (createReviewBody) and the rule a new due date meets (workflows/review/case.ts checkNewDueDate),
 * then opened through the service at that state.
 */

export const REVIEW_COLUMNS: Column[] = [
  { name: 'sourceId', required: true, description: "The review's id in the source system: the import's key", example: 'PIR-OLD-17' },
  { name: 'serviceName', required: true, description: 'The redesigned service', example: 'Community diabetes clinic, Bexley' },
  { name: 'providerCode', required: false, description: "The provider's ODS code", example: 'RJ2' },
  { name: 'whatChanged', required: true, description: 'What the redesign changed', example: 'Clinic moved to the health centre.' },
  { name: 'goLiveOn', required: true, date: true, description: 'The day the service went live', example: '2026-08-31' },
  { name: 'scheduledOn', required: true, date: true, description: 'The day the review was scheduled in the source system', example: '2026-08-31' },
  { name: 'dueOn', required: false, date: true, description: `A due date agreed with the owner (default ${DEFAULTS.reviewMonths} calendar months after go-live)`, example: '' },
  { name: 'ownerId', required: true, description: "The owner's staff id", example: 'sam.officer' },
  { name: 'ownerName', required: true, description: "The owner's name", example: 'Sam Officer' },
  { name: 'ownerEmail', required: false, description: "The owner's email", example: 'sam.officer@example.nhs.uk' },
  { name: 'equalityImpactCompleted', required: true, description: 'yes or no: the EIA was completed before go-live', example: 'yes' },
  { name: 'qualityImpactCompleted', required: true, description: 'yes or no: the QIA was completed before go-live', example: 'yes' },
  { name: 'engagementLogCompleted', required: true, description: 'yes or no: the engagement log was kept', example: 'yes' },
  { name: 'patientEngagement', required: true, description: 'The patient engagement that shaped the redesign', example: 'Two listening events and a survey.' },
];

const COLUMN_OF: Record<string, string> = {
  'owner.id': 'ownerId',
  'owner.name': 'ownerName',
  'owner.email': 'ownerEmail',
  'assessments.equalityImpact.completed': 'equalityImpactCompleted',
  'assessments.qualityImpact.completed': 'qualityImpactCompleted',
  'assessments.engagementLog.completed': 'engagementLogCompleted',
};
const columnOf = (p: string) => COLUMN_OF[p] ?? p;

const state = stateColumns({ scheduledOn: pastDate, dueOn: isoDate.optional() });

export interface ImportableReview {
  body: CreateReviewBody;
  scheduledOn: string;
  at: ImportedReview;
}

export function reviewImporter(service: ReviewService): Importer {
  return {
    process: 'review',
    sheet: 'reviews', // IMPORT_SHEETS (api/importers.ts) names it for the template
    columns: REVIEW_COLUMNS,
    async check([c]: Cells[], ctx) {
      const owner = { id: c.ownerId, name: c.ownerName, ...(c.ownerEmail && { email: c.ownerEmail }) };
      const raw = {
        serviceName: c.serviceName,
        ...(c.providerCode && { providerCode: c.providerCode }),
        whatChanged: c.whatChanged,
        goLiveOn: c.goLiveOn,
        owner,
        assessments: {
          equalityImpact: { completed: flag(c.equalityImpactCompleted) },
          qualityImpact: { completed: flag(c.qualityImpactCompleted) },
          engagementLog: { completed: flag(c.engagementLogCompleted) },
        },
        patientEngagement: c.patientEngagement,
      };
      const row = parseRow({ schema: createReviewBody, raw }, { schema: state, raw: { sourceId: c.sourceId, scheduledOn: c.scheduledOn, dueOn: c.dueOn } }, columnOf);
      if (!row.ok) return row;
      const { sourceId, scheduledOn, dueOn } = row.at;
      const problems = await providerProblems(ctx, row.body.providerCode);
      // An agreed date lies after the day it was agreed, and differs from six months after go-live (checkNewDueDate).
      if (dueOn && dueOn <= scheduledOn) problems.push({ field: 'dueOn', reason: `must be after the day the review was scheduled (${scheduledOn})` });
      if (dueOn && dueOn === reviewDueOn(row.body.goLiveOn)) problems.push({ field: 'dueOn', reason: `is six months after go-live already: leave it empty` });
      const value: ImportableReview = { body: row.body, scheduledOn, at: dueOn ? { dueOn } : {} };
      return verdict(sourceId, problems, (key, start, actor) => service.create(value.body, actor, key, { start: { ...start, at: value.at }, scheduledOn }));
    },
  };
}
