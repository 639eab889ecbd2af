// The harness's requests, shared by chaos/run.ts and rehearsal/: each answers a status (0 when the server is dead).
import { setTimeout as pause } from 'node:timers/promises';

/** The harness's sign-in: a token signed with the key the API under test is pointed at. */
export let bearer = '';
export function setBearer(value: string): void {
  bearer = value;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { reference?: string; status?: string; error?: { code: string } };
  /** The Retry-After header, when the answer carried one (a 503 must). */
  retryAfter?: string;
}

/** One request; a connection that fails (the API is dead) answers status 0. */
export async function send(url: string, body: object, key?: string): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const retryAfter = res.headers.get('retry-after') ?? undefined;
    const text = await res.text();
    // A body that is not JSON (a proxy's own page) still has its status.
    let answered: Answer['body'];
    try {
      answered = JSON.parse(text) as Answer['body'];
    } catch {
      answered = { text };
    }
    return { status: res.status, body: answered, ...(retryAfter && { retryAfter }) };
  } catch {
    return { status: 0, body: {} };
  }
}

/** An answer worth sending again with its key: a dead API (0), a 5xx, or "still in progress". */
export const isTransient = (a: Answer) => a.status === 0 || a.status >= 500 || a.body.error?.code === 'in_progress';

/** Retries with the same key until the answer is final: not a dead API, a 503, or "still in progress". */
export async function untilAnswered(url: string, body: object, key: string, withinMs = 180_000): Promise<Answer> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await send(url, body, key);
    if (!isTransient(answer) || Date.now() > deadline) return answer;
    await pause(500);
  }
}

export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * Sends the requests `concurrency` at a time; once `n` have answered the fault starts, while the
 * rest keep going into it. Resolves when every request has answered and the fault has run.
 */
export async function withFaultAfter<T>(
  requests: (() => Promise<T>)[],
  opts: { n: number; concurrency: number },
  fault: () => Promise<void>,
): Promise<T[]> {
  let answered = 0;
  let faulted: Promise<void> = Promise.resolve();
  const results = await pool(requests, opts.concurrency, async (run) => {
    const result = await run();
    if (++answered === opts.n) faulted = fault();
    return result;
  });
  await faulted;
  return results;
}

export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
