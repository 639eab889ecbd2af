// Scenario 5: a rolling upgrade. Cases open mid-process on the old workers; a worker built from a
// changed workflow (rehearsal/upgrade-tree.ts) replaces each old one in turn while events flow;
// every case carries on, the old ones with the old behaviour, the ones opened after with the new.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runPool } from '../bench/lib/measure';
import { isTransient, send, tally, untilAnswered, type Answer } from '../chaos/requests';
import { REHEARSAL } from './settings';
import { complaintBody, eventually, is2xx, storedOf, today, type Ctx, type Scenario } from './scenario';
import { REMINDERS, upgradedTree } from './upgrade-tree';
import { carriedOn } from './workflow-health';

const CASES = Number(process.env.REHEARSAL_UPGRADE_CASES ?? 500);
const NEW_CASES = Math.max(10, Math.round(CASES / 10));

/** Each request once, then again with its key until final; every first answer's status counted. */
function requester(stack: Ctx['stack'], firsts: number[]) {
  return async (p: string, body: object, key: string, also?: number[]): Promise<Answer> => {
    const url = `${stack.proxy.url}/api/complaints${p}`;
    const first = await send(url, body, key);
    firsts.push(first.status);
    also?.push(first.status);
    return isTransient(first) ? untilAnswered(url, body, key, 300_000) : first;
  };
}

/** Reminders of each case's response deadline, as its record's projection holds them. */
async function remindersOf(ctx: Ctx, refs: string[]): Promise<Map<string, number>> {
  const rows = await ctx.models.Complaint.find({ _id: { $in: refs } }, { workflow: 1 }).lean();
  const out = new Map<string, number>();
  for (const r of rows) {
    const response = (r.workflow as { deadlines?: { response?: { reminders?: unknown[] } } } | undefined)?.deadlines?.response;
    if (response?.reminders) out.set(String(r._id), response.reminders.length);
  }
  return out;
}

export const rollingUpgrade: Scenario = {
  id: 5,
  name: `rolling upgrade of the workers, ${CASES} cases open`,
  async run(ctx) {
    const { stack, models, client, run } = ctx;
    const began = new Date();
    const tag = `upgrade-${run}`;
    const ack = { acknowledgedOn: today() };
    const consent = { consentToShare: true, recordedOn: today() };
    const problems: string[] = [];
    const firsts: number[] = [];
    const during: number[] = [];
    const request = requester(stack, firsts);
    const answers: Answer[] = [];
    const refs: string[] = new Array(CASES + NEW_CASES);
    const open = async (i: number, acknowledge: boolean) => {
      const created = await request('', complaintBody(tag, i), `${tag}-c-${i}`);
      answers.push(created);
      if (!is2xx(created) || !created.body.reference) return `create ${i}: ${created.status}`;
      refs[i] = created.body.reference;
      if (acknowledge) answers.push(await request(`/${refs[i]}/acknowledge`, ack, `${tag}-a-${i}`));
      return undefined;
    };

    // The next version is built while the cases open (its bundle takes a while on 2 cores).
    const building = upgradedTree(path.join(stack.dir, 'worker-next'));
    const half = Math.floor(CASES / 2);
    await runPool(CASES, 16, (i) => open(i, i < half));
    const tree = await building;

    // The roll: one worker at a time, SIGTERM (its tasks finish), the new one started, then the next,
    // while the later half are acknowledged and the earlier half record consent.
    const roll = (async () => {
      const t0 = performance.now();
      for (const i of [0, 1]) {
        await stack.workers[i]?.stop(REHEARSAL.workerStopGraceSeconds * 1000);
        stack.workers[i] = undefined;
        await stack.startWorker(i, tree);
      }
      stack.workerTree = tree; // a worker restarted later (another scenario) runs the new version too
      return (performance.now() - t0) / 1000;
    })();
    const load = runPool(CASES, 8, async (i) => {
      if (!refs[i]) return undefined;
      const answer = i < half ? await request(`/${refs[i]}/consent`, consent, `${tag}-k-${i}`, during) : await request(`/${refs[i]}/acknowledge`, ack, `${tag}-a-${i}`, during);
      answers.push(answer);
      return undefined;
    });
    const [rollSeconds] = await Promise.all([roll, load]);

    // Cases opened on the new version only.
    await runPool(NEW_CASES, 8, (j) => open(CASES + j, true));

    const failed = answers.filter((a) => !is2xx(a));
    if (failed.length) problems.push(`${failed.length} requests never answered 2xx: ${JSON.stringify(tally(failed.map((a) => a.status)))}`);
    const old = refs.slice(0, CASES).filter(Boolean);
    const fresh = refs.slice(CASES).filter(Boolean);
    // The projection follows each commit: wait until every case shows its response deadline.
    let reminders = new Map<string, number>();
    await eventually(async () => {
      reminders = await remindersOf(ctx, [...old, ...fresh]);
      return reminders.size === old.length + fresh.length;
    }, 180_000, 2_000);
    const oldKept = old.filter((r) => reminders.get(r) === REMINDERS.before).length;
    const freshNew = fresh.filter((r) => reminders.get(r) === REMINDERS.after).length;
    if (oldKept !== CASES) problems.push(`${oldKept} of ${CASES} cases opened before the upgrade kept the old behaviour (${REMINDERS.before} reminder)`);
    if (freshNew !== NEW_CASES) problems.push(`${freshNew} of ${NEW_CASES} cases opened after it got the new (${REMINDERS.after} reminders)`);

    const { problems: carried, health, sdkFalseAlarms, orphansEnded } = await carriedOn(stack, models, client, [...old, ...fresh], began);
    problems.push(...carried);

    const { stored, distinct, byCategory } = await storedOf(models, tag);
    const lost = refs.filter((r, i) => r && !byCategory.has(`${tag}-${i}`)).length;
    return {
      ok: problems.length === 0,
      sent: answers.length,
      acknowledged: answers.filter(is2xx).length,
      stored,
      duplicates: stored - distinct,
      lost,
      figures: {
        'roll s': Math.round(rollSeconds),
        'old cases, old behaviour': `${oldKept}/${CASES}`,
        'new cases, new behaviour': `${freshNew}/${NEW_CASES}`,
        'workflow tasks failed': health.failedTasks,
        'SDK update-replay false alarms (sdk-typescript#1966)': sdkFalseAlarms,
        'workflows without a record ended by the reconciler': orphansEnded,
        'tasks retrying': health.retrying,
        'first answers during the roll': JSON.stringify(tally(during)),
        'first answers': JSON.stringify(tally(firsts)),
      },
      problems,
    };
  },
};
