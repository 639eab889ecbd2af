import { badRequest } from '../errors';
import { prefixRange } from '../../models/case-index';
import type { CqrgMeetingState, ReceiveReportInput } from '../../contracts/cqrg-meeting/definitions';
import { CQRG_MEETING_EVENTS as ROWS } from '../../contracts/cqrg-meeting/events';
import { caseEvents, type EventCheck } from '../kernel/events';

/** A report is received with documents already kept with the meeting (uploaded to it first). */
const documentsOfMeeting: EventCheck<ReceiveReportInput> = async (input, { models, reference }) => {
  const { from, to } = prefixRange(reference);
  const rows = await models.CaseDocument.find({ _id: { $gte: from, $lt: to } }, { fileId: 1, documentId: 1 }).lean();
  const kept = new Set(rows.flatMap((r) => [r.fileId, r.documentId]));
  input.documents.forEach((id, i) => {
    if (!kept.has(id)) throw badRequest(`body.documents.${i}`, `no document ${id} kept with ${reference}: upload it to the meeting first`);
  });
};

/** The human events of a meeting: POST /api/cqrg-meetings/:reference/<path>, one per row of its table (contracts/cqrg-meeting/events.ts). */
export const CQRG_MEETING_EVENTS = caseEvents<CqrgMeetingState, typeof ROWS>(ROWS, { checks: { 'receive-report': documentsOfMeeting } });
