// Rehearsal only: the load of scenario 1 and of its baseline (scenario 7): a create and an
// acknowledgement per case at concurrency 32, each first try timed.
import { runPool } from '../bench/lib/measure';
import { isTransient, tally, untilAnswered, type Answer } from '../chaos/requests';
import type { Models } from '../models';
import { complaintBody, is2xx, p50p95, storedOf, timed, today, type Row } from './scenario';

export const CONCURRENCY = 32;

export interface CreateLoad {
  creates: Answer[];
  /** The acknowledgement of case i, when its create answered 2xx. */
  events: (Answer | undefined)[];
  firstStatuses: number[];
  create: { p50: number; p95: number };
  event: { p50: number; p95: number };
  seconds: number;
}

/**
 * `cases` complaints created at `apiUrl` and each acknowledged, keys `<tag>-c-<i>` and `<tag>-a-<i>`.
 * Only a first try that answered 2xx is timed; a transient answer (a dead API, 502/503, "in
 * progress") is retried with its key until final. `afterCase(n)` runs once n cases are done.
 */
export async function createAndAcknowledge(apiUrl: string, tag: string, cases: number, afterCase?: (done: number) => void): Promise<CreateLoad> {
  const url = (p: string) => `${apiUrl}/api/complaints${p}`;
  const ack = { acknowledgedOn: today() };
  const createMs: number[] = [];
  const eventMs: number[] = [];
  const firstStatuses: number[] = [];
  const creates: Answer[] = new Array(cases);
  const events: (Answer | undefined)[] = new Array(cases);
  let done = 0;
  const attempt = async (path: string, body: object, key: string, ms: number[]) => {
    const first = await timed(url(path), body, key);
    firstStatuses.push(first.status);
    if (!isTransient(first)) {
      if (is2xx(first)) ms.push(first.ms);
      return first;
    }
    return untilAnswered(url(path), body, key, 180_000);
  };
  const { seconds } = await runPool(cases, CONCURRENCY, async (i) => {
    creates[i] = await attempt('', complaintBody(tag, i), `${tag}-c-${i}`, createMs);
    const reference = creates[i].body.reference;
    if (is2xx(creates[i]) && reference) events[i] = await attempt(`/${reference}/acknowledge`, ack, `${tag}-a-${i}`, eventMs);
    afterCase?.(++done);
    return undefined;
  });
  return { creates, events, firstStatuses, create: p50p95(createMs), event: p50p95(eventMs), seconds };
}

/** The load's row: its requests against the records `models` holds for `tag`, and its latencies. */
export async function loadRow(models: Models, tag: string, load: CreateLoad): Promise<Omit<Row, 'scenario' | 'seconds'>> {
  const answered = [...load.creates, ...load.events.filter((e): e is Answer => e !== undefined)];
  const problems: string[] = [];
  const notFinal = answered.filter((a) => !is2xx(a));
  if (notFinal.length) problems.push(`${notFinal.length} requests never answered 2xx: ${JSON.stringify(tally(notFinal.map((a) => a.status)))}`);
  const cases = load.creates.length;
  const { stored, distinct, byCategory } = await storedOf(models, tag);
  const duplicates = stored - distinct;
  const lost = load.creates.filter((a, i) => is2xx(a) && !byCategory.has(`${tag}-${i}`)).length;
  if (duplicates || lost || stored !== cases) problems.push(`${stored} records for ${cases} creates (${duplicates} duplicates, ${lost} lost)`);
  return {
    ok: problems.length === 0,
    sent: answered.length,
    acknowledged: answered.filter(is2xx).length,
    stored,
    duplicates,
    lost,
    figures: {
      'create p50 ms': load.create.p50,
      'create p95 ms': load.create.p95,
      'event p50 ms': load.event.p50,
      'event p95 ms': load.event.p95,
      'requests/s': Math.round(answered.length / load.seconds),
      'first answers': JSON.stringify(tally(load.firstStatuses)),
    },
    problems,
  };
}
