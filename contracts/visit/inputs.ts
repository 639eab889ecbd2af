import { freeText, isoDate, pastDate, staffId, z } from '../../lib/zod';

/**
 * What the insight visit's events carry: the request bodies the API validates (with their OpenAPI names) and, where a
 * body holds staff notes, the input the workflow's Update takes instead (the notes' ids). Shared
 * by the API (api/visits/events.ts) and the workflow's definitions (./definitions.ts), which takes
 * only their types.
 */
export const text = (max: number) => freeText(max, 1);
export const postponeBody = z
  .object({
    postponedOn: pastDate.openapi({ description: 'The day the visit was re-dated' }),
    newVisitDate: isoDate.openapi({ description: 'Later or earlier than the date it has; not before the day it was re-dated' }),
    reason: text(1000),
    shortNoticeReason: text(1000)
      .optional()
      .openapi({ description: 'Needed when an announced visit is brought forward inside its notice period (noticeWorkingDays): why the provider has less notice' }),
  })
  .strict()
  .openapi('VisitPostponement', {
    description: 'A new date, later or earlier: the panel’s reminders (and an announced visit’s notice to the provider) re-arm for it. A visit is recorded as taking place only on its date',
  });
export const informationBody = z.object({ receivedOn: pastDate }).strict().openapi('VisitInformation');
export const tookPlaceBody = z
  .object({ visitedOn: pastDate.openapi({ description: 'The visit’s date: held on another day, it is re-dated first (postpone)' }) })
  .strict()
  .openapi('VisitTookPlace');
export const draftReportBody = z.object({ sentOn: pastDate }).strict().openapi('VisitDraftReport');
export const providerCommentsBody = z.object({ receivedOn: pastDate }).strict().openapi('VisitProviderComments');
export const commentsReviewBody = z
  .object({
    reviewedOn: pastDate,
    /** Who reviewed the comments (default: the acting user); never a member of the panel. */
    reviewerId: staffId.optional(),
    changesMade: z.boolean(),
  })
  .strict()
  .openapi('VisitCommentsReview');
export const finalReportBody = z
  .object({
    publishedOn: pastDate,
    recommendations: z.array(z.object({ summary: text(1000), dueOn: isoDate.optional() }).strict()).max(30).default([]),
  })
  .strict()
  .openapi('VisitFinalReport', { description: 'With recommendations, a provider action plan is requested (linked on the visit)' });
export const cancelBody = z.object({ cancelledOn: pastDate, reason: text(1000) }).strict().openapi('VisitCancellation');
