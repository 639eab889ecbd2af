// Scenario 1: creates and events through the proxy at concurrency 32, one API SIGKILLed and restarted mid-run.
import { setTimeout as pause } from 'node:timers/promises';
import { runPool } from '../bench/lib/measure';
import { send } from '../chaos/requests';
import { CONCURRENCY, createAndAcknowledge, loadRow } from './create-load';
import { complaintBody, today, type Scenario } from './scenario';
import { consistentAfterRepair } from './workflow-health';

/**
 * A create and an acknowledgement each: 2,000 requests at 1,000 (the figure). On FerretDB's
 * PostgreSQL backend here that took longer than the rehearsal's limit (docs/operations.md), so
 * REHEARSAL_LOAD_CASES sets it lower.
 */
export const CASES = Number(process.env.REHEARSAL_LOAD_CASES ?? 1_000);
const KILL_AFTER = Math.floor(CASES / 4); // cases answered before the API dies

export const proxyLoad: Scenario = {
  id: 1,
  name: `${CASES * 2} creates+events via HAProxy, an API killed`,
  async run({ stack, models, client, run }) {
    const tag = `load-${run}`;
    const url = (p: string) => `${stack.proxy.url}/api/complaints${p}`;
    const ack = { acknowledgedOn: today() };
    let fault: Promise<void> = Promise.resolve();
    const load = await createAndAcknowledge(stack.proxy.url, tag, CASES, (done) => {
      if (done !== KILL_AFTER) return;
      fault = (async () => {
        await stack.kill('apis', 0);
        await pause(3_000);
        await stack.startApi(0);
      })();
    });
    const { creates, events } = load;
    await fault;
    const row = await loadRow(models, tag, load);
    const problems = row.problems;

    // Every key sent again: each answers what it answered first.
    const replays = await runPool(CASES, CONCURRENCY, async (i) => {
      const again = await send(url(''), complaintBody(tag, i), `${tag}-c-${i}`);
      if (again.body.reference !== creates[i].body.reference) return `create ${i}: ${creates[i].body.reference} first, ${again.status} ${again.body.reference ?? JSON.stringify(again.body.error)} again`;
      const first = events[i];
      if (!first) return undefined;
      const ev = await send(url(`/${creates[i].body.reference}/acknowledge`), ack, `${tag}-a-${i}`);
      if (ev.status !== first.status || ev.body.status !== first.body.status) return `event ${i}: ${first.status} ${first.body.status} first, ${ev.status} ${ev.body.status} again`;
      return undefined;
    });
    const differ = replays.samples.filter((s) => s.error);
    if (differ.length) problems.push(`${differ.length} retries answered differently, e.g. ${differ[0].error}`);

    const t0 = Date.now();
    const consistency = await consistentAfterRepair(models, client);
    if (consistency.problems.length) problems.push(`records, workflows, timeline and index: ${consistency.problems.length} disagreements, e.g. ${consistency.problems.slice(0, 3).join('; ')}`);
    const unacknowledged = await models.Complaint.countDocuments({ category: { $regex: `^${tag}-` }, status: 'received' });
    if (unacknowledged) problems.push(`${unacknowledged} cases still 'received' after their acknowledgement answered`);
    return {
      ...row,
      ok: problems.length === 0,
      figures: {
        ...row.figures,
        'still received': unacknowledged,
        'consistency check s': Math.round((Date.now() - t0) / 1000),
        'records checked': consistency.records,
        'workflows without a record ended by the reconciler': consistency.orphansEnded,
      },
    };
  },
};
