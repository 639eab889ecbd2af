import { NOTIFICATION_STATUSES } from '../../models/notification';
import { z } from '../../lib/zod';
import { pageFields, pagingQuery } from '../kernel/paging';

export const LISTS = ['pending', 'parked', 'missing'] as const;

export const listNotificationsQuery = z
  .object({
    status: z.enum(LISTS).default('parked').openapi({
      description: '`pending`: waiting to be sent (including retries); `parked`: kept failing, or no one to send to; `missing`: sent, but some of the roles it was for have no address',
    }),
    ...pagingQuery,
  })
  .strict();

export const notificationParams = z.object({
  id: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'CMP-2026-000123:response:2026-12-01:escalation' }),
});

export const notificationView = z
  .object({
    id: z.string(),
    caseType: z.string(),
    reference: z.string(),
    kind: z.string(),
    deadline: z.string(),
    audience: z.string(),
    dueOn: z.string(),
    subject: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    createdAt: z.string(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    problem: z.string().nullable(),
    missingRecipients: z.array(z.string()),
    recipients: z.array(z.string()),
    messageId: z.string().nullable(),
    sentAt: z.string().nullable(),
    /** For a pending row: not sent before this (working hours, or a retry's pause). */
    notBefore: z.string().nullable(),
  })
  .openapi('Notification');

export const notificationPage = z
  .object({ items: z.array(notificationView), ...pageFields })
  .openapi('NotificationPage');

export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;
