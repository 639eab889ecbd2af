import { Connection, Schema } from 'mongoose';

/**
 * The notification outbox: reminders, escalations and letter tasks waiting for
 * a sender. Keyed by case and alarm so a retried activity queues one message.
 */
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseType: { type: String, required: true },
    reference: { type: String, required: true },
    kind: { type: String, required: true }, // reminder | escalation | task
    deadline: { type: String, required: true },
    audience: { type: String, required: true }, // quality_lead | case_owner | provider
    dueOn: { type: String, required: true },
    subject: { type: String, required: true },
    // Shown wherever a letter or call to the complainant is due (Accessible Information Standard).
    communicationNeeds: { type: [String], default: [] },
    status: { type: String, default: 'pending' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

notificationSchema.index({ status: 1, createdAt: 1 });
notificationSchema.index({ reference: 1 });

export function notificationModel(connection: Connection) {
  return connection.model('Notification', notificationSchema, 'notifications');
}
