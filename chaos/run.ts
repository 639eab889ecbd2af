/**
 * `npm run chaos`: fault injection against the real product, outside `npm test`.
 *
 * Starts FerretDB, the Temporal dev server, the API and the worker as processes of their own on
 * free loopback ports (chaos/stack.ts), then, one scenario after another:
 *   1. the API killed (SIGKILL) mid-create: 200 concurrent creates with Idempotency-Keys, the
 *      API killed after 40 answers and restarted, all 200 retried with the same keys and bodies;
 *   2. the worker killed mid-events: acknowledgements on 60 cases, the worker killed after 20
 *      answers and restarted, every request retried with its key until it has its answer;
 *   3. Temporal killed and restarted mid-run (same port, same database file), the same;
 *   4. the database killed and restarted mid-run, with creates and events in flight: then every
 *      2xx has its audit entry, and (the reconciler run) no change is in the trail that did not
 *      happen, nor one that happened missing from it;
 *   5. 20 concurrent acknowledgements of one case: exactly one may win;
 *   6. the API killed mid form posts: 60 complaints opened through the pages' form (a session
 *      cookie, the form token, the form's own key), the API killed after 15 answers and
 *      restarted, every form sent again as a browser resends it: one case per form;
 *   7. the API killed mid-upload: 12 documents of 8 MB streamed into a case at once: only whole
 *      documents are listed, and every one answered 201 is;
 *   8. the API killed at 40% of an import begun through /api/imports (the administrator's page's
 *      engine), restarted, the run taken over: each row imported exactly once (chaos/import.ts);
 *   9. the worker killed mid-projection: 100 complaints opened with their complainants' names, the
 *      worker killed once 30 have their search entries, restarted: each found first by its name,
 *      the search index agreeing with the records (chaos/projection.ts).
 * CHAOS_ONLY=import, CHAOS_ONLY=projection or CHAOS_ONLY=database (4., on 40 cases it opens first) runs that one alone.
 * After each it checks every record against its workflow's Query and history, the timeline for
 * gaps and duplicates, the outbox for duplicates, workflows for records, and the case index and
 * the search index against the records (chaos/check.ts), prints the counts, and exits 1 on any
 * disagreement; 2 if it outlasts CHAOS_TIMEOUT_S (900).
 */
import { localBearer } from '../dev-servers/auth';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { addCalendarDays, londonDate } from '../lib/calendar';
import { createDataConverter } from '../lib/payload-codec';
import { createModels, type Models } from '../models';
import { connectDatabase } from '../models/connection';
import { seedReferenceData } from '../models/seed';
import { formTokenFor } from '../web/session';
import { changeEvidence } from '../activities/kernel/reconcile';
import { auditOf, reconcileChanges } from '../models/audit';
import { KEY_END, prefixRange } from '../models/case-index';
import { createHash } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { documentBucket } from '../models/document';
import { checkConsistency } from './check';
import { bearer, pool, send, setBearer, tally, untilAnswered, withFaultAfter, type Answer } from './requests';
import { ChaosStack, pause } from './stack';
import { apiKilledMidImport } from './import';
import { workerKilledMidProjection } from './projection';

const TIMEOUT_S = Number(process.env.CHAOS_TIMEOUT_S ?? 900);
const today = londonDate(Date.now());

const complaint = (i: number, tag: string) => ({
  providerCode: 'RJ2',
  // Half were received a fortnight ago: their acknowledgement is already overdue, so the
  // workflow escalates at once and the outbox has rows to check for duplicates.
  receivedAt: i % 2 ? addCalendarDays(today, -14) : today,
  source: 'complainant',
  category: `${tag}-${i}`,
  summary: 'Chaos run: a complaint opened while servers fail',
  consentToShare: true,
});

class Run {
  readonly counts: Record<string, string> = {};
  failed = false;

  constructor(
    readonly stack: ChaosStack,
    readonly models: Models,
    readonly client: Client,
  ) {}

  url(path: string): string {
    return `${this.stack.apiUrl}${path}`;
  }

  expect(what: string, ok: boolean, detail: string): void {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}: ${detail}`);
    if (!ok) this.failed = true;
  }

  async check(scenario: string): Promise<void> {
    const started = Date.now();
    const result = await checkConsistency(this.models, this.client, this.stack.taskQueue);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.expect(
      'records, workflows, timeline and outbox agree',
      result.problems.length === 0,
      `${result.records} records, ${result.workflows} running workflows, ${result.timelineRows} timeline rows, ${result.notifications} notifications; ${result.problems.length} disagreements (converged in ${seconds} s)`,
    );
    for (const p of result.problems.slice(0, 20)) console.log(`       ${p}`);
    this.counts[scenario] = `${result.records} records, ${result.problems.length} disagreements`;
  }

  async create(n: number, tag: string, key: (i: number) => string) {
    return Array.from({ length: n }, (_, i) => () => send(this.url('/api/complaints'), complaint(i, tag), key(i)));
  }
}

/** A form posted as the browser posts it: the session cookie, urlencoded fields; status 0 when the API is dead. */
async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; location?: string; inProgress?: boolean }> {
  const token = bearer.replace(/^Bearer /, '');
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `oversight_session=${token}` },
      body: new URLSearchParams({ ...fields, _form: formTokenFor(token) }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    const page = await res.text();
    return { status: res.status, location: res.headers.get('location') ?? undefined, inProgress: res.status === 409 && page.includes('still being processed') };
  } catch {
    return { status: 0 };
  }
}

async function apiKilledMidFormPosts(run: Run): Promise<void> {
  console.log('\n6. the API killed mid form posts (the pages), then every form sent again as the browser resends it');
  const [y, m, d] = today.split('-');
  const form = (i: number) => ({
    _key: `chaos-form-${i}-${Date.now().toString(36).slice(0, 4)}`.slice(0, 40),
    providerCode: 'RJ2',
    'receivedAt[day]': d,
    'receivedAt[month]': m,
    'receivedAt[year]': y,
    source: 'complainant',
    category: `form-${i}`,
    summary: 'Chaos run: a complaint opened through the page while the API dies',
    consentToShare: 'true',
  });
  const forms = Array.from({ length: 60 }, (_, i) => form(i));
  const first = await withFaultAfter(forms.map((f) => () => postForm(run.url('/complaints/new'), f)), { n: 15, concurrency: 60 }, () => run.stack.kill('api'));
  await run.stack.startApi();
  const again = await pool(forms, 20, async (f) => {
    for (const deadline = Date.now() + 180_000; ; await pause(500)) {
      const answer = await postForm(run.url('/complaints/new'), f);
      // As a person would: the page says a send is still being processed, so they send it again.
      if ((answer.status !== 0 && answer.status < 500 && !answer.inProgress) || Date.now() > deadline) return answer;
    }
  });
  const opened = (a: { status: number; location?: string }) => a.status === 303 && /^\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/.test(a.location ?? '');
  run.expect('every form answered with its case on resending', again.every(opened), `first answers ${JSON.stringify(tally(first.map((a) => a.status)))}; resent ${JSON.stringify(tally(again.map((a) => a.status)))}`);
  run.expect('a resent form answers the case the first post opened', first.every((a, i) => !opened(a) || a.location === again[i].location), `${new Set(again.map((a) => a.location)).size} distinct cases`);
  const records = await run.models.Complaint.countDocuments({ category: /^form-/ });
  run.expect('one case per form', records === 60, `${records} records`);
  await run.check('api killed mid form posts');
}

async function apiKilledMidCreate(run: Run): Promise<string[]> {
  console.log('\n1. the API killed mid-create, then every create retried with its key');
  const key = (i: number) => `chaos-create-${i}`;
  const results = await withFaultAfter(await run.create(200, 'create', key), { n: 40, concurrency: 200 }, () => run.stack.kill('api'));
  const before = results.filter((r) => r.status === 201).length;
  await run.stack.startApi();
  const retried = await pool(Array.from({ length: 200 }, (_, i) => i), 50, (i) => untilAnswered(run.url('/api/complaints'), complaint(i, 'create'), key(i)));
  const references = retried.map((r) => r.body.reference);
  run.expect('every create answered 201 on retry', retried.every((r) => r.status === 201), `${before} answered before the kill, ${retried.filter((r) => r.status === 201).length}/200 after`);
  const same = results.every((r, i) => r.status !== 201 || r.body.reference === references[i]);
  run.expect('a retry answers the reference the first attempt gave', same, `${new Set(references).size} distinct references`);
  const records = await run.models.Complaint.countDocuments({ category: /^create-/ });
  run.expect('one record per key', records === 200, `${records} records`);
  await run.check('api killed mid-create');
  return references.filter((r): r is string => !!r);
}

/** No answer a 5xx but 503: whatever went away, the request is one to send again, never a 500. */
const noServerFault = (answers: { status: number }[]) => answers.every((r) => r.status < 500 || r.status === 503);

/** Acknowledges each case through a fault (the restart of `server`), then retries each with its key. */
async function acknowledgeThrough(run: Run, references: string[], n: number, server: 'worker' | 'temporal'): Promise<void> {
  const body = { acknowledgedOn: today };
  const ack = (ref: string) => (retry: boolean) =>
    (retry ? untilAnswered : send)(run.url(`/api/complaints/${ref}/acknowledge`), body, `chaos-ack-${ref}`);
  const results = await withFaultAfter(references.map((ref) => () => ack(ref)(false)), { n, concurrency: 4 }, async () => {
    await run.stack.kill(server);
    await pause(3_000);
    await (server === 'worker' ? run.stack.startWorker() : run.stack.startTemporal());
  });
  const retried = await pool(references, 20, (ref) => ack(ref)(true));
  run.expect(`no first answer a 5xx but 503 (${server} away is a 503 to retry)`, noServerFault(results), `first answers ${JSON.stringify(tally(results.map((r) => r.status)))}`);
  run.expect(
    'every event answered 200 on retry',
    retried.every((r) => r.status === 200),
    `first answers ${JSON.stringify(tally(results.map((r) => r.status)))}; after retries ${JSON.stringify(tally(retried.map((r) => r.status)))}`,
  );
}

async function workerKilledMidEvents(run: Run, references: string[]): Promise<void> {
  console.log('\n2. the worker killed mid-events, then every event retried with its key');
  await acknowledgeThrough(run, references, 20, 'worker');
  await run.check('worker killed mid-events');
}

async function temporalRestarted(run: Run, references: string[]): Promise<void> {
  console.log('\n3. Temporal killed and restarted mid-run (same port, same database file)');
  await acknowledgeThrough(run, references, 10, 'temporal');
  await run.check('temporal restarted');
}

/** Scenario 4's cases when it runs alone: 40 opened and acknowledged, as scenarios 1 and 2 leave them. */
async function casesForDatabase(run: Run): Promise<string[]> {
  const created = await pool(Array.from({ length: 40 }, (_, i) => i), 10, (i) => untilAnswered(run.url('/api/complaints'), complaint(i, 'dbcase'), `chaos-dbcase-${i}`));
  const references = created.map((r) => r.body.reference!);
  await pool(references, 10, (ref) => untilAnswered(run.url(`/api/complaints/${ref}/acknowledge`), { acknowledgedOn: today }, `chaos-ack-${ref}`));
  return references;
}

async function databaseRestarted(run: Run, references: string[]): Promise<void> {
  console.log('\n4. the database killed and restarted mid-run, creates and events in flight');
  const body = { requestedOn: today };
  const events = references.map((ref) => () => send(run.url(`/api/complaints/${ref}/provider-request`), body, `chaos-req-${ref}`));
  const creates = await run.create(20, 'dbdown', (i) => `chaos-dbdown-${i}`);
  const results = await withFaultAfter([...events, ...creates], { n: 10, concurrency: 4 }, async () => {
    await run.stack.kill('db');
    // Longer than the driver's 5 s server selection: requests in flight fail, and are retried.
    await pause(8_000);
    await run.stack.startDatabase();
  });
  const retriedEvents = await pool(references, 20, (ref) => untilAnswered(run.url(`/api/complaints/${ref}/provider-request`), body, `chaos-req-${ref}`));
  const retriedCreates = await pool(Array.from({ length: 20 }, (_, i) => i), 20, (i) => untilAnswered(run.url('/api/complaints'), complaint(i, 'dbdown'), `chaos-dbdown-${i}`));
  run.expect('every event and create answered on retry', retriedEvents.every((r) => r.status === 200) && retriedCreates.every((r) => r.status === 201), `first answers ${JSON.stringify(tally(results.map((r) => r.status)))}; after retries events ${JSON.stringify(tally(retriedEvents.map((r) => r.status)))}, creates ${JSON.stringify(tally(retriedCreates.map((r) => r.status)))}`);
  run.expect('no first answer a 5xx but 503 (the database away is a 503 to retry)', noServerFault(results), `first answers ${JSON.stringify(tally(results.map((r) => r.status)))}`);
  await run.check('database restarted');
  const answered = [...results, ...retriedEvents, ...retriedCreates].filter((r) => r.status >= 200 && r.status < 300);
  await auditAgrees(run, answered, references);
}

/**
 * The audit trail after the database went away under creates and events: every 2xx answered has
 * its entry; once the reconciler has run over the changes whose requests died, no change is in the
 * trail without having happened (an event's in its case's timeline, by the same person, a
 * create's record there) and every change that happened is in it.
 */
async function auditAgrees(run: Run, answered: Answer[], events: string[]): Promise<void> {
  const { Audit, Timeline, Complaint } = run.models;
  const changes = async (record: string) =>
    (await auditOf(Audit, record, 1_000)).filter((e) => e.status && e.status >= 200 && e.status < 300 && e.method === 'POST');
  const missing: string[] = [];
  for (const answer of answered) {
    const record = answer.body.reference!;
    if (!(await changes(record)).length) missing.push(record);
  }
  run.expect('every 2xx answered has its audit entry', missing.length === 0, `${answered.length} answered, ${missing.length} without an entry ${missing.slice(0, 5).join(' ')}`);
  const reconciled = await reconcileChanges(run.models, changeEvidence(run.models), 0);
  const created = await Complaint.find({ category: /^dbdown-/ }, { _id: 1 }).lean();
  const unfounded: string[] = [];
  const unaudited: string[] = [];
  for (const ref of events) {
    const requested = (await Timeline.find({ _id: { $gte: `${ref}:`, $lt: `${ref}:${KEY_END}` } }).lean()).filter((e) => e.type === 'provider_account_requested' && e.actor?.id === 'harness');
    const entries = (await changes(ref)).filter((e) => e.action === 'provider-request');
    if (entries.length && !requested.length) unfounded.push(ref);
    if (requested.length && !entries.length) unaudited.push(ref);
  }
  for (const { _id } of created) if (!(await changes(_id)).length) unaudited.push(_id);
  run.expect(
    'no change in the trail that did not happen, none that happened missing from it',
    !unfounded.length && !unaudited.length,
    `${events.length} cases and ${created.length} creates checked; the reconciler recorded ${reconciled.recorded}, dropped ${reconciled.notMade}, ${reconciled.unknown} unknown; ${unfounded.length} unfounded, ${unaudited.length} unaudited ${[...unfounded, ...unaudited].slice(0, 5).join(' ')}`,
  );
}

async function concurrentEventsOnOneCase(run: Run): Promise<void> {
  console.log('\n5. 20 concurrent acknowledgements of one case');
  const created = await untilAnswered(run.url('/api/complaints'), complaint(0, 'race'), 'chaos-race-case');
  const ref = created.body.reference!;
  // Temporal admits ten Updates to a workflow at a time; the API answers the rest 429, to send again.
  const acknowledge = async (): Promise<{ first: number; last: number }> => {
    const first = (await send(run.url(`/api/complaints/${ref}/acknowledge`), { acknowledgedOn: today })).status;
    let last = first;
    for (let attempt = 0; last === 429 && attempt < 10; attempt++) {
      await pause(1_000);
      last = (await send(run.url(`/api/complaints/${ref}/acknowledge`), { acknowledgedOn: today })).status;
    }
    return { first, last };
  };
  const answers = await Promise.all(Array.from({ length: 20 }, acknowledge));
  const statuses = tally(answers.map((a) => a.last));
  run.expect(
    'exactly one wins, the rest answer 409',
    statuses[200] === 1 && statuses[409] === 19,
    `first answers ${JSON.stringify(tally(answers.map((a) => a.first)))}; after retries ${JSON.stringify(statuses)}`,
  );
  await run.check('20 concurrent events');
}

/** One multipart upload of `bytes` to a case, its body sent in slices so that it is mid-way when the API dies; status 0 when it does. */
async function upload(url: string, bytes: Buffer, name: string): Promise<{ status: number; id?: string }> {
  const form = new FormData();
  form.set('kind', 'other');
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), name);
  try {
    const res = await fetch(url, { method: 'POST', headers: { authorization: bearer }, body: form, signal: AbortSignal.timeout(60_000) });
    const body = (await res.json()) as { id?: string };
    return { status: res.status, id: body.id };
  } catch {
    return { status: 0 };
  }
}

/**
 * The API killed mid-upload: 12 documents of 8 MB streamed into one case at once, the API killed
 * once the first has been kept. A document is listed only once whole: every listed one is whole
 * (its bytes in GridFS hash to its SHA-256), every one answered 201 is listed, and nothing else is
 * but documents whose request got no answer (kept just before the kill, the answer lost with it).
 */
async function apiKilledMidUpload(run: Run, reference: string): Promise<void> {
  console.log('\n7. the API killed mid-upload: documents streamed in as it dies');
  const pdf = (i: number) => Buffer.concat([Buffer.from(`%PDF-1.7\n% chaos ${i}\n`), Buffer.alloc(8_000_000, 0x20 + (i % 60))]);
  const sent = Array.from({ length: 12 }, (_, i) => pdf(i));
  const answers = await withFaultAfter(sent.map((b, i) => () => upload(run.url(`/api/complaints/${reference}/documents`), b, `chaos-${i}.pdf`)), { n: 1, concurrency: 12 }, () => run.stack.kill('api'));
  await run.stack.startApi();
  const { from, to } = prefixRange(reference);
  const listed = await run.models.CaseDocument.find({ _id: { $gte: from, $lt: to } }).lean();
  const bucket = documentBucket(run.models.connection);
  const broken: string[] = [];
  for (const row of listed) {
    const hash = createHash('sha256');
    for await (const chunk of bucket.openDownloadStream(new ObjectId(row.fileId))) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== row.sha256) broken.push(row.fileId);
  }
  const kept = answers.filter((a) => a.status === 201).map((a) => a.id!);
  const listedIds = new Set(listed.map((r) => r.fileId));
  // A document kept and listed in the instant before the kill has its 201 lost with the process, as
  // an answer lost on the network would be: listed whole, its client told nothing. Nothing else may be listed.
  const unanswered = answers.filter((a) => a.status === 0).length;
  run.expect(
    'only whole documents listed, every one kept listed',
    broken.length === 0 && kept.every((id) => listedIds.has(id)) && listed.length >= kept.length && listed.length <= kept.length + unanswered,
    `answers ${JSON.stringify(tally(answers.map((a) => a.status)))}; ${listed.length} listed, ${kept.length} answered 201 (${listed.length - kept.length} listed whole whose answer died with the API), ${broken.length} not whole`,
  );
}


async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oversight-chaos-'));
  const stack = await ChaosStack.create(dir);
  const started = Date.now();
  console.log(`chaos: servers on loopback, files and logs in ${dir}`);
  let connection: Connection | undefined;
  let db: Awaited<ReturnType<typeof connectDatabase>> | undefined;
  try {
    await stack.startDatabase();
    await stack.startTemporal();
    db = await connectDatabase(stack.mongoUri);
    const models = createModels(db);
    await seedReferenceData(db);
    setBearer(await localBearer(stack.authKeyFile));
    await Promise.all([stack.startApi(), stack.startWorker()]);
    connection = await Connection.connect({ address: stack.temporalAddress });
    const run = new Run(stack, models, new Client({ connection, dataConverter: createDataConverter(stack.codecKeys) }));

    const only = process.env.CHAOS_ONLY;
    if (!only) {
      const references = await apiKilledMidCreate(run);
      await workerKilledMidEvents(run, references.slice(0, 60));
      await temporalRestarted(run, references.slice(60, 100));
      await databaseRestarted(run, references.slice(0, 40));
      await concurrentEventsOnOneCase(run);
      await apiKilledMidFormPosts(run);
      await apiKilledMidUpload(run, references[0]);
    }
    if (only === 'database') await databaseRestarted(run, await casesForDatabase(run));
    if (!only || only === 'import') await apiKilledMidImport(run, bearer);
    if (!only || only === 'projection') await workerKilledMidProjection(run);

    console.log(`\nchaos: ${run.failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    for (const [scenario, counts] of Object.entries(run.counts)) console.log(`  ${scenario}: ${counts}`);
    return run.failed ? 1 : 0;
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await stack.stopAll();
    if (!process.env.CHAOS_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => {
  console.error(`chaos: still running after ${TIMEOUT_S} s; giving up`);
  process.exit(2);
}, TIMEOUT_S * 1000);
main().then(
  (code) => {
    clearTimeout(timer);
    process.exit(code);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
