import { badRequest } from '../errors';
import { prefixRange } from '../../models/case-index';
import { receiveReportUpdate, recordMeetingUpdate, type CqrgMeetingState, type ReceiveReportInput } from '../../contracts/cqrg-meeting/definitions';
import * as body from '../../contracts/cqrg-meeting/inputs';
import { caseEvent, type CaseEvent, type EventCheck } from '../kernel/events';

/** A report is received with documents already kept with the meeting (uploaded to it first). */
const documentsOfMeeting: EventCheck<ReceiveReportInput> = async (input, { models, reference }) => {
  const { from, to } = prefixRange(reference);
  const rows = await models.CaseDocument.find({ _id: { $gte: from, $lt: to } }, { fileId: 1, documentId: 1 }).lean();
  const kept = new Set(rows.flatMap((r) => [r.fileId, r.documentId]));
  input.documents.forEach((id, i) => {
    if (!kept.has(id)) throw badRequest(`body.documents.${i}`, `no document ${id} kept with ${reference}: upload it to the meeting first`);
  });
};

/** The human events of a meeting: POST /api/cqrg-meetings/:reference/<path>, one line each. */
export const CQRG_MEETING_EVENTS: CaseEvent<CqrgMeetingState>[] = [
  caseEvent('receive-report', "Record a report the provider owes for the meeting as received: its documents (kept with the meeting) and headline figures where the theme has them; its deadline stops", body.receiveReportBody, receiveReportUpdate, { check: documentsOfMeeting }),
  caseEvent('record', 'Record the meeting after it happens: attendance by role, each agenda item’s discussion, its decisions; each decision is then applied once (an action opened, closed or re-dated, a visit requested, an escalation to the quality committee) and the minutes kept as a document', body.recordMeetingBody, recordMeetingUpdate),
];
