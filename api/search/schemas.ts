import { freeText, isoDate, odsCode, z } from '../../lib/zod';

export const SEARCH_PROCESSES = ['complaint', 'visit', 'review', 'action-plan'] as const;

/** GET /api/search: what to find, the filters and the page. */
export const searchQuery = z
  .object({
    // What the search is for is free text as any other (lib/zod.ts): no NUL, no escape sequence,
    // no bidirectional control, which would be echoed back and hashed into the audit trail.
    q: freeText(200).refine((q) => q.length > 0, 'type something to search for').openapi({ example: "O'Neill", description: 'A reference (CMP-2026-000123, or 123), an NHS number (with or without spaces), names, provider codes or names, words of summaries and notes' }),
    process: z.enum(SEARCH_PROCESSES).optional(),
    provider: odsCode.optional(),
    status: z.string().trim().regex(/^[a-z_]{2,40}$/, 'a status such as received, or open').optional(),
    from: isoDate.optional().openapi({ description: "The case's own day (received, visited, live, opened) on or after" }),
    to: isoDate.optional().openapi({ description: "The case's own day on or before" }),
    page: z.coerce.number().int().min(1).max(100).default(1),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must be on or after from' });
export type SearchQuery = z.infer<typeof searchQuery>;

const snippet = z.object({ text: z.string(), highlights: z.array(z.tuple([z.number().int(), z.number().int()])) }).openapi('SearchSnippet');

export const searchResult = z
  .object({
    process: z.enum(SEARCH_PROCESSES),
    reference: z.string(),
    status: z.string(),
    providerCode: z.string().nullable(),
    on: z.string().nullable(),
    title: z.string(),
    snippet: snippet.nullable(),
    score: z.number(),
    path: z.string().openapi({ description: "The case's page" }),
  })
  .openapi('SearchResult');

export const searchAnswer = z
  .object({
    q: z.string(),
    items: z.array(searchResult),
    page: z.number().int(),
    more: z.boolean(),
    /** Said when nothing is found, whatever the reason: never whether personal details were searched. */
    message: z.string().nullable(),
  })
  .openapi('SearchAnswer');
