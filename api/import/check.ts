import type { Actor } from '../../contracts/kernel/case';
import type { ImportedFrom } from '../../contracts/kernel/imported';
import { z } from '../../lib/zod';
import { problemsOf, type CheckContext, type Checked, type OpenRow, type Problem } from './importer';

/**
 * The checks every process's importer (api/<p>s/import.ts) makes of a row in the same way: its
 * source id, its state columns beside the API's request body, the provider an active one, and
 * the opening keyed by the source id. Each importer says only what is its own: its columns, its
 * request, its state's rules and its service's call.
 */

/** A source system's id: the import's key, so letters, digits and a few separators. */
export const sourceIdColumn = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'must be the source system’s id: letters, digits and . _ / - (at most 64)');

/** A process's state columns: the source id and the process's own dates, nothing else. */
export function stateColumns<T extends z.ZodRawShape>(shape: T) {
  return z.object({ sourceId: sourceIdColumn, ...shape }).strict();
}

export type Parsed<B, S> = { ok: true; body: B; at: S } | { ok: false; sourceId?: string; problems: Problem[] };

/**
 * A row read by the API's request schema and the process's state columns together: every problem
 * of both at once, each named by its template column (`columnOf` maps a request path to it).
 */
export function parseRow<B, S extends { sourceId: string }>(
  request: { schema: z.ZodType<B>; raw: unknown },
  state: { schema: z.ZodType<S>; raw: unknown },
  columnOf: (path: string) => string = String,
): Parsed<B, S> {
  const body = request.schema.safeParse(request.raw);
  const at = state.schema.safeParse(state.raw);
  if (body.success && at.success) return { ok: true, body: body.data, at: at.data };
  const problems = [...(body.success ? [] : problemsOf(body.error.issues, columnOf)), ...(at.success ? [] : problemsOf(at.error.issues, columnOf))];
  return { ok: false, sourceId: at.success ? at.data.sourceId : undefined, problems };
}

/** A case is opened for an active provider only, as the API's own create refuses. */
export async function providerProblems(ctx: CheckContext, code: string | undefined, field = 'providerCode'): Promise<Problem[]> {
  if (code === undefined || (await ctx.isActiveProvider(code))) return [];
  return [{ field, reason: `no active provider with ODS code ${code}` }];
}

/** What a service's create answers: the case's view and whether the key had opened it already. */
type Created = { view: { reference: string }; replayed: boolean };

/**
 * A row's verdict: refused with its problems, or accepted with how to open its case through the
 * process's service under the Idempotency-Key `import:<sourceId>`, so a second call (a rerun, a
 * resumed run) answers the case the first opened.
 */
export function verdict(sourceId: string, problems: Problem[], create: (key: string, start: { from: ImportedFrom; actFrom: string }, actor: Actor) => Promise<Created>): Checked<OpenRow> {
  if (problems.length) return { ok: false, sourceId, problems };
  const open: OpenRow = async (start, actor) => {
    const { view, replayed } = await create(`import:${start.from.sourceId}`, start, actor);
    return { reference: view.reference, replayed };
  };
  return { ok: true, sourceId, value: open };
}
