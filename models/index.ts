import { Connection } from 'mongoose';
import { auditModel, pendingChangeModel } from './audit';
import { actionPlanModels } from './action-plan';
import { caseIndexModel, searchIndexModel } from './case-index';
import { caseDocumentModel } from './document';
import { complaintModel } from './complaint';
import { cqrgMeetingModels } from './cqrg-meeting';
import { mailQueueModel, notificationModel } from './notification';
import { providerModel } from './provider';
import { reconciliationModel } from './reconciliation';
import { reconcilerStateModel } from './reconciler-state';
import { referenceBlockModel } from './references';
import { reviewModel } from './review';
import { ensureRevokedTokenExpiry, revokedTokenModel } from './revoked-token';
import { staffModel } from './staff';
import { closureDayModel, idempotencyModel } from './support';
import { timelineModel } from './timeline';
import { actionPlanLinkModel, visitModel } from './visit';

export function createModels(connection: Connection) {
  return {
    connection,
    Complaint: complaintModel(connection),
    Review: reviewModel(connection),
    CaseIndex: caseIndexModel(connection),
    SearchIndex: searchIndexModel(connection),
    CaseDocument: caseDocumentModel(connection),
    Provider: providerModel(connection),
    Timeline: timelineModel(connection),
    Notification: notificationModel(connection),
    MailQueue: mailQueueModel(connection),
    Audit: auditModel(connection),
    PendingChange: pendingChangeModel(connection),
    ReferenceBlock: referenceBlockModel(connection),
    IdempotencyKey: idempotencyModel(connection),
    ClosureDay: closureDayModel(connection),
    Reconciliation: reconciliationModel(connection),
    ReconcilerState: reconcilerStateModel(connection),
    Visit: visitModel(connection),
    ActionPlanLink: actionPlanLinkModel(connection),
    RevokedToken: revokedTokenModel(connection),
    Staff: staffModel(connection),
    ...actionPlanModels(connection),
    ...cqrgMeetingModels(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Build every index the queries rely on; safe to repeat. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    if (typeof model === 'function' && 'syncIndexes' in model) await model.createIndexes();
  }
  await ensureRevokedTokenExpiry(models.RevokedToken);
}

/** Local closure days, for the working-day calendar. */
export async function closureDates(models: Models): Promise<string[]> {
  const days = await models.ClosureDay.find({}, { _id: 1 }).lean();
  return days.map((d) => String(d._id));
}
