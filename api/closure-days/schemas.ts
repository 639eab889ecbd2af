import { bankHoliday, dayOfWeek, isWeekend } from '../../lib/calendar';
import { freeText, isoDate, z } from '../../lib/zod';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A day the office could close on: a weekday that is not already a bank holiday. */
const closableDate = isoDate.superRefine((date, ctx) => {
  let reason: string | undefined;
  try {
    if (isWeekend(date)) reason = `is a ${WEEKDAYS[dayOfWeek(date)]}, never a working day`;
    else {
      const holiday = bankHoliday(date);
      if (holiday) reason = `is a bank holiday (${holiday}), never a working day`;
    }
  } catch {
    return; // malformed, or outside the calendar's years: isoDate has said so
  }
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

export const closureDayParams = z.object({ date: closableDate });

export const closureDayBody = z
  .object({ reason: freeText(200, 3).openapi({ example: 'Office move: building closed' }) })
  .strict()
  .openapi('ClosureDayInput');

export const listClosureDaysQuery = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const closureDayView = z
  .object({ date: isoDate, reason: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('ClosureDay');

export const closureDayList = z.object({ items: z.array(closureDayView) }).openapi('ClosureDayList');

export type ClosureDayBody = z.infer<typeof closureDayBody>;
export type ListClosureDaysQuery = z.infer<typeof listClosureDaysQuery>;
