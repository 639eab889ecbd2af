import { isoDate, z } from '../../lib/zod';

/** What every process's responses share: its deadlines, its timeline, who acted. */

export const deadlineView = z
  .object({
    id: z.string().openapi({ example: 'response' }),
    dueOn: isoDate,
    reminders: z.array(z.string()).openapi({ description: 'Instants (09:00 Europe/London, working days) when reminders go out' }),
    escalateAt: z.string(),
    repeatEveryWorkingDays: z.number().optional(),
    repeats: z.array(z.string()).optional(),
    basis: z.object({ rule: z.string(), start: isoDate }).passthrough().openapi({ description: 'How the date was worked out' }),
  })
  .openapi('Deadline');

export const actorView = z.object({ id: z.string(), name: z.string(), role: z.string() }).openapi('Actor');

export const timelineEntryView = z
  .object({
    seq: z.number(),
    type: z.string(),
    at: z.string(),
    actor: actorView.optional().openapi({ description: 'Who acted; absent when a deadline acted by itself' }),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('TimelineEntry');
