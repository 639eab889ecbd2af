// Scenario 6: PostgreSQL (under FerretDB and Temporal both) restarted under load, then the Temporal
// server: while each is down the API answers 503 with Retry-After, never a 500 and never hangs;
// every request is sent again with its key until final; nothing answered is lost, all is applied.
import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { runPool } from '../bench/lib/measure';
import { send, tally, type Answer } from '../chaos/requests';
import { complaintBody, eventually, is2xx, p50p95, storedOf, today, type Scenario } from './scenario';
import { carriedOn } from './workflow-health';

const CASES = Number(process.env.REHEARSAL_RESTART_CASES ?? 300);
const DOWN_MS = 10_000;
/** An answer slower than this, or none at all, is a request left hanging. */
const HANG_MS = 15_000;
/** How long a request keeps being sent again with its key: longer than both outages and their recovery. */
const RETRY_FOR_MS = 300_000;

interface Attempt {
  status: number;
  ms: number;
  retryAfter?: string;
  code?: string;
}

/** What a client may be answered while a server is away: anything else is a defect. */
function improper(a: Attempt): string | undefined {
  if (a.status === 0 || a.ms > HANG_MS) return `no answer within ${HANG_MS / 1000} s`;
  if (a.status === 503 && !a.retryAfter) return '503 without Retry-After';
  if (a.status >= 500 && a.status !== 503) return `${a.status}`;
  if (a.status === 409 && a.code !== 'in_progress') return `409 ${a.code}`;
  return undefined;
}

export const restarts: Scenario = {
  id: 6,
  name: `PostgreSQL, then Temporal restarted under load (${CASES * 2})`,
  async run({ stack, models, client, run }) {
    const began = new Date();
    const tag = `restart-${run}`;
    const url = (p: string) => `${stack.proxy.url}/api/complaints${p}`;
    const ack = { acknowledgedOn: today() };
    const attempts: Attempt[] = [];
    const finals: Answer[] = [];
    const refs: (string | undefined)[] = new Array(CASES);
    let done = 0;
    const outages: Record<string, number> = {};

    // Each request until it is final, as a client told to retry a 503 does (at 1 s: faster than Retry-After, to find any gap).
    const until = async (p: string, body: object, key: string): Promise<Answer> => {
      const deadline = Date.now() + RETRY_FOR_MS;
      for (;;) {
        const t0 = performance.now();
        const answer = await send(url(p), body, key);
        attempts.push({ status: answer.status, ms: performance.now() - t0, retryAfter: answer.retryAfter, code: answer.body.error?.code });
        const again = answer.status === 0 || answer.status === 429 || answer.status >= 500 || answer.body.error?.code === 'in_progress';
        if (!again || Date.now() > deadline) return answer;
        await pause(1_000);
      }
    };

    // A server down for DOWN_MS, then started again; seconds from the stop until the API answers 2xx again.
    const outage = async (name: string, stop: () => Promise<void>, start: () => Promise<void>) => {
      const t0 = performance.now();
      await stop();
      await pause(DOWN_MS);
      await start();
      outages[`${name} restarted after s`] = Math.round((performance.now() - t0) / 100) / 10;
      const before = done;
      await eventually(async () => done > before, 300_000, 500);
      outages[`${name}: first 2xx after s`] = Math.round((performance.now() - t0) / 100) / 10;
    };
    const faults = (async () => {
      await eventually(async () => done >= CASES * 0.15, 600_000, 250);
      await outage('PostgreSQL', () => stack.pg.crash(), () => stack.pg.start());
      await eventually(async () => done >= CASES * 0.5, 600_000, 250);
      await outage('Temporal', () => stack.temporal.kill(), () => stack.temporal.start());
    })();

    const { seconds } = await runPool(CASES, 8, async (i) => {
      const created = await until('', complaintBody(tag, i), `${tag}-c-${i}`);
      finals.push(created);
      refs[i] = created.body.reference;
      if (is2xx(created) && refs[i]) finals.push(await until(`/${refs[i]}/acknowledge`, ack, `${tag}-a-${i}`));
      done++;
      return undefined;
    });
    await faults;

    const problems: string[] = [];
    const wrong = attempts.map(improper).filter((w): w is string => !!w);
    if (wrong.length) problems.push(`${wrong.length} answers while a server was away were not a 503 with Retry-After: ${JSON.stringify(tally(wrong.map((w) => Number(w.split(' ')[0]) || 0)))} (${[...new Set(wrong)].slice(0, 4).join('; ')})`);
    const notFinal = finals.filter((a) => !is2xx(a));
    if (notFinal.length) problems.push(`${notFinal.length} requests never answered 2xx: ${JSON.stringify(tally(notFinal.map((a) => a.status)))}`);

    const { stored, distinct, byCategory } = await storedOf(models, tag);
    const opened = refs.filter((r): r is string => !!r);
    const lostCreates = refs.filter((r, i) => r && !byCategory.has(`${tag}-${i}`)).length;
    // Every acknowledgement answered is applied: the case's projection says so once it has caught up.
    let unacknowledged = opened.length;
    await eventually(async () => {
      unacknowledged = await models.Complaint.countDocuments({ _id: { $in: opened }, status: { $ne: 'acknowledged' } });
      return unacknowledged === 0;
    }, 180_000, 2_000);
    if (stored !== CASES || stored !== distinct || lostCreates) problems.push(`${stored} records for ${CASES} creates (${stored - distinct} duplicates, ${lostCreates} lost)`);
    if (unacknowledged) problems.push(`${unacknowledged} cases not acknowledged after their acknowledgement answered`);
    const { problems: carried, health, sdkFalseAlarms, orphansEnded } = await carriedOn(stack, models, client, opened, began);
    problems.push(...carried);

    const unavailable = attempts.filter((a) => a.status === 503);
    const latency = p50p95(unavailable.map((a) => a.ms));
    return {
      ok: problems.length === 0,
      sent: finals.length,
      acknowledged: finals.filter(is2xx).length,
      stored,
      duplicates: stored - distinct,
      lost: lostCreates + unacknowledged,
      figures: {
        ...outages,
        attempts: attempts.length,
        'attempts answered': JSON.stringify(tally(attempts.map((a) => a.status))),
        '503 p50 ms': latency.p50,
        '503 p95 ms': latency.p95,
        'requests/s': Math.round(finals.length / seconds),
        'workflow tasks failed': health.failedTasks,
        'SDK update-replay false alarms (sdk-typescript#1966)': sdkFalseAlarms,
        'workflows without a record ended by the reconciler': orphansEnded,
      },
      problems,
    };
  },
};
