import { setTimeout as pause } from 'node:timers/promises';
import { addCalendarDays, londonDate } from '../lib/calendar';
import { bearer, pool, untilAnswered } from './requests';
import type { ChaosRun } from './import';

const CASES = 100;
// The worker is killed once this many of the cases have their search entries written.
const KILL_AT = 30;

// A name of letters only (a search word), its own to this run and case: "Chaoskqbd Projectionab".
const letters = (n: number, width: number) => Array.from({ length: width }, (_, k) => String.fromCharCode(97 + (Math.floor(n / 26 ** k) % 26))).join('');
const nameOf = (tag: string, i: number) => `Chaos${tag} Projection${letters(i, 2)}`;

/**
 * 9. The worker killed (SIGKILL) mid-projection: 100 complaints opened with their complainants'
 * names, the worker killed once 30 of them have their search entries (each case's projection
 * writes some fifty), restarted three seconds later. Then each case is found first by its
 * complainant's name, and the index agrees with the records (the consistency check reads every
 * record's search entries against what its records say: chaos/check.ts).
 */
export async function workerKilledMidProjection(run: ChaosRun): Promise<void> {
  console.log('\n9. the worker killed mid-projection (search entries half written), restarted');
  const tag = letters(Date.now(), 4);
  const received = addCalendarDays(londonDate(Date.now()), -1);
  const body = (i: number) => ({
    providerCode: 'RJ2',
    receivedAt: received,
    source: 'complainant',
    summary: 'Chaos run: a complaint projected while the worker dies',
    consentToShare: true,
    complainant: { name: nameOf(tag, i) },
  });
  const indexed = () => run.models.Complaint.countDocuments({ 'complainant.name': { $regex: `^Chaos${tag} ` }, 'searchKeys.0': { $exists: true } });
  let killed = -1;
  const watch = (async () => {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const n = await indexed();
      if (n >= KILL_AT) {
        killed = n;
        await run.stack.kill('worker');
        await pause(3_000);
        await run.stack.startWorker();
        return;
      }
      await pause(50);
    }
  })();
  const answers = await pool(
    Array.from({ length: CASES }, (_, i) => i),
    8,
    (i) => untilAnswered(run.url('/api/complaints'), body(i), `chaos-projection-${tag}-${i}`),
  );
  await watch;
  const references = answers.map((a) => a.body.reference);
  run.expect('every create answered 201', answers.every((a) => a.status === 201), `${answers.filter((a) => a.status === 201).length}/${CASES}`);
  run.expect('the worker was killed mid-projection', killed >= KILL_AT && killed < CASES, `killed with ${killed} of ${CASES} cases indexed`);
  // A projection the dead worker held is retried once its 30 s start-to-close timeout has passed.
  const since = Date.now();
  let n = await indexed();
  while (n < CASES && Date.now() - since < 300_000) {
    await pause(500);
    n = await indexed();
  }
  run.expect('every case indexed again', n === CASES, `${n}/${CASES} name their search entries, ${((Date.now() - since) / 1000).toFixed(1)} s after the last create answered`);
  await run.check('worker killed mid-projection');
  // Found by name: each case first among the results for its complainant's name.
  const missed: string[] = [];
  await pool(
    references.map((r, i) => [r, i] as const),
    4,
    async ([reference, i]) => {
      const res = await fetch(run.url(`/api/search?q=${encodeURIComponent(nameOf(tag, i))}`), { headers: { authorization: bearer } });
      const found = res.ok ? ((await res.json()) as { items: { reference: string }[] }).items : [];
      if (found[0]?.reference !== reference) missed.push(`${nameOf(tag, i)}: ${reference} not first (${found.slice(0, 2).map((f) => f.reference).join(', ') || res.status})`);
    },
  );
  run.expect('each case found first by its complainant’s name', missed.length === 0, `${CASES - missed.length}/${CASES}${missed.length ? `; ${missed.slice(0, 3).join('; ')}` : ''}`);
}
