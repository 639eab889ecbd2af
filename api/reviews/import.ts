import { z, pastDate, isoDate } from '../../lib/zod';
import { flag, problemsOf, type Cells, type Column, type Importer, type OpenRow } from '../import/importer';
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

const stateColumns = z
  .object({
    sourceId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'must be the source system’s id: letters, digits and . _ / - (at most 64)'),
    scheduledOn: pastDate,
    dueOn: isoDate.optional(),
  })
  .strict();

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
      const body = createReviewBody.safeParse(raw);
      const at = stateColumns.safeParse({ sourceId: c.sourceId, scheduledOn: c.scheduledOn, dueOn: c.dueOn });
      const sourceId = at.success ? at.data.sourceId : undefined;
      const problems = [...(body.success ? [] : problemsOf(body.error.issues, columnOf)), ...(at.success ? [] : problemsOf(at.error.issues, columnOf))];
      if (!body.success || !at.success) return { ok: false, sourceId, problems };
      const { scheduledOn, dueOn } = at.data;
      // An agreed date lies after the day it was agreed, and differs from six months after go-live (checkNewDueDate).
      if (dueOn && dueOn <= scheduledOn) problems.push({ field: 'dueOn', reason: `must be after the day the review was scheduled (${scheduledOn})` });
      if (dueOn && dueOn === reviewDueOn(body.data.goLiveOn)) problems.push({ field: 'dueOn', reason: `is six months after go-live already: leave it empty` });
      if (body.data.providerCode && !(await ctx.isActiveProvider(body.data.providerCode))) problems.push({ field: 'providerCode', reason: `no active provider with ODS code ${body.data.providerCode}` });
      if (problems.length) return { ok: false, sourceId, problems };
      const value: ImportableReview = { body: body.data, scheduledOn, at: dueOn ? { dueOn } : {} };
      const open: OpenRow = async ({ from, actFrom }, actor) => {
        const { view, replayed } = await service.create(value.body, actor, `import:${from.sourceId}`, { start: { from, actFrom, at: value.at }, scheduledOn: value.scheduledOn });
        return { reference: view.reference, replayed };
      };
      return { ok: true, sourceId: at.data.sourceId, value: open };
    },
  };
}
