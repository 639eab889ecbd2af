import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { assertIsoDate, CalendarError, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, londonDate } from '../lib/calendar';

// Once per process, before any schema calls .openapi().
extendZodWithOpenApi(z);

export { z };

/** A calendar date the working-day calendar covers, e.g. 2026-11-23. */
export const isoDate = z
  .string()
  .superRefine((value, ctx) => {
    try {
      assertIsoDate(value);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      ctx.addIssue({ code: 'custom', message: 'must be a real date as YYYY-MM-DD' });
      return;
    }
    const year = Number(value.slice(0, 4));
    if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${FIRST_SUPPORTED_YEAR} and ${LAST_SUPPORTED_YEAR}, the years the working-day calendar knows`,
      });
    }
  })
  .openapi({ type: 'string', format: 'date', example: '2026-11-23' });

/** A date on which something already happened: not after today in London. */
export const pastDate = isoDate.refine((value) => value <= londonDate(Date.now()), {
  message: 'cannot be in the future',
});
