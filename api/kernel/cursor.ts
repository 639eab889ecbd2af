import { z } from '../../lib/zod';

/**
 * A position in a list, as the next- and previous-page links carry it: the key of the case index
 * (or of the mail queue) the page ends after or starts before, and the page number it leads to.
 * Opaque to clients (base64url of a small JSON), validated on the way back in: what does not decode
 * to one is a 400 naming `query.cursor`; one that decodes but is no position in the list asked for
 * (another list's, another filter's) is refused by the list (api/kernel/paging.ts). A cursor names
 * a place, never a permission: each list still reads only what its caller may see.
 */
export type Cursor = { after: string; page: number } | { before: string; page: number };

/** A key as the lists write them: printable ASCII, no space. */
const KEY = /^[\x21-\x7e]{1,400}$/;

const body = z
  .object({
    v: z.literal(1),
    a: z.string().regex(KEY).optional(),
    b: z.string().regex(KEY).optional(),
    p: z.number().int().min(1).max(1_000_000),
  })
  .strict()
  .refine((c) => (c.a === undefined) !== (c.b === undefined), 'holds neither or both ends of a page');

export function encodeCursor(cursor: Cursor): string {
  const json = 'after' in cursor ? { v: 1, a: cursor.after, p: cursor.page } : { v: 1, b: cursor.before, p: cursor.page };
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

const REASON = 'is not a cursor this list gave (take the `next` or `prev` of a page, or leave it out for the first page)';

/** The query's `cursor`: decoded, or a zod issue saying why not. */
export const cursorParam = z
  .string()
  .max(700)
  .transform((raw, ctx): Cursor => {
    let parsed: unknown;
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      ctx.addIssue({ code: 'custom', message: `${REASON}: it does not decode` });
      return z.NEVER;
    }
    const checked = body.safeParse(parsed);
    if (!checked.success) {
      ctx.addIssue({ code: 'custom', message: `${REASON}: ${checked.error.issues[0].message}` });
      return z.NEVER;
    }
    const { a, b, p } = checked.data;
    return a !== undefined ? { after: a, page: p } : { before: b!, page: p };
  })
  .openapi({
    type: 'string',
    description: 'Where the page starts: the `next` or `prev` of the page before, as given (opaque). Leave it out for the first page. Not with `page`.',
    example: 'eyJ2IjoxLCJhIjoiY29tcGxhaW50fGFsbHwyMDI2LTEyLTAxfENNUC0yMDI2LTAwMDEyMyIsInAiOjJ9',
  });
