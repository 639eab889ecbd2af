import { Client } from '@temporalio/client';
import { designateResponsiblePerson, SIGNED } from '../helpers/complaint';
import { DefaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { createApp } from '../../api/app';
import { addWorkingDays, londonDate } from '../../lib/calendar';
import { ENCRYPTED_ENCODING } from '../../lib/payload-codec';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { testCodec, testDataConverter } from '../helpers/env';
import { decodeHistory, payloadsIn } from '../helpers/history';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

/**
 * A real case, on a real Temporal server, through the real worker and API, then its history as
 * the server keeps it: no staff free text, no reference, provider or date in any payload, read
 * by a client without the key. With the key the same history reads in full.
 */
let h: ApiHarness;
let app: ReturnType<typeof createApp>;
const UI = 'http://localhost:8233';
const converter = new DefaultPayloadConverter();
const stamp = Date.now().toString(36);
const reason = `Awaiting ward notes from the trust archive ${stamp}`;
const lessonsLearned = `Discharge letters now list every medicine stopped ${stamp}`;
const summary = `Discharged from ward 9 without the follow-up clinic ${stamp}`;

beforeAll(async () => {
  ({ app } = h = await createApiHarness('codec_history', { app: { codecOrigins: [UI] } }));
  await designateResponsiblePerson(h.models);
});
afterAll(() => h?.teardown());

/** The history exactly as the server returns it, through no codec at all. */
async function rawHistory(workflowId: string): Promise<temporal.api.history.v1.History> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await h.env.client.workflowService.getWorkflowExecutionHistory({ namespace: h.env.namespace ?? 'default', execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return temporal.api.history.v1.History.create({ events });
}

/** `needle` in `bytes` as text, or as base64 text at any of the three byte alignments. */
function shows(bytes: Uint8Array, needle: string): boolean {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes(needle)) return true;
  const n = Buffer.from(needle);
  return [0, 1, 2].some((k) => {
    const encoded = Buffer.concat([Buffer.alloc(k), n]).toString('base64');
    return text.includes(encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + n.length)) / 6)));
  });
}

/**
 * What the SDK writes past the codec: a patch marker ({ id, deprecated }), the TemporalChangeVersion
 * search attribute (patch ids), a local activity marker's header (sequence, type, times).
 */
function sdkBookkeeping(value: unknown): boolean {
  const patchId = (v: unknown) => typeof v === 'string' && /^[a-z-]+$/.test(v);
  if (Array.isArray(value)) return value.every(patchId);
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  if (keys.join() === 'id,deprecated') return patchId((value as { id: unknown }).id);
  const localActivity = ['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'];
  return keys.every((k) => localActivity.includes(k)) && /^[A-Za-z.]+$/.test(String((value as { activity_type?: unknown }).activity_type));
}

const encodePayload = (p: Payload) => temporal.api.common.v1.Payload.encode(p).finish();

test('a case history holds no free text, reference, provider or date in the clear, and decodes with the key', async () => {
  const today = londonDate(Date.now());
  const created = await request(app).post('/api/complaints').send({
    providerCode: 'RJ2', receivedAt: today, source: 'healthwatch', summary, consentToShare: true, category: `discharge ${stamp}`,
    complainant: { name: 'Alex Example', email: 'alex@example.org' },
  });
  expect(created.status).toBe(201);
  const reference: string = created.body.reference;
  const post = (event: string, body: object) => request(app).post(`/api/complaints/${reference}/${event}`).send(body);
  expect((await post('acknowledge', { acknowledgedOn: today, discussionOfferedOn: today })).status).toBe(200);
  // A failure in the history too: an activity's calendar error, whose message quotes the date.
  const refused = await post('extend', { newDueOn: '2035-12-31', reason, complainantAgreed: true, agreedOn: today });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/2036|range|supported/i); // decoded for the API
  const newDueOn = addWorkingDays(today, 40).due;
  expect((await post('extend', { newDueOn, reason, complainantAgreed: true, agreedOn: today })).status).toBe(200);
  expect((await post('respond', { respondedOn: today, ...SIGNED })).status).toBe(200);
  const closed = await post('close', { closedOn: today, outcome: 'partly_upheld', lessonsLearned });
  expect(closed.status).toBe(200);

  const workflowId = caseWorkflowId('complaint', reference);
  const raw = await rawHistory(workflowId);
  const payloads = payloadsIn(raw);
  // Start input, Update arguments and results, activity inputs and results at least.
  expect(payloads.length).toBeGreaterThan(10);
  // Every payload the SDK converts is sealed; only its own bookkeeping stays readable.
  const encoding = (p: Payload) => Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
  expect(payloads.filter((p) => encoding(p) === ENCRYPTED_ENCODING).length).toBeGreaterThan(10);
  const unsealed = payloads.filter((p) => encoding(p) !== ENCRYPTED_ENCODING).map((p) => JSON.parse(Buffer.from(p.data ?? []).toString()) as unknown);
  expect(unsealed.filter((value) => !sdkBookkeeping(value))).toEqual([]);
  const secrets = [reason, lessonsLearned, summary, `discharge ${stamp}`, 'Alex Example', reference, '"RJ2"', `"${today}"`, `"${newDueOn}"`, '2035-12-31'];
  const leaks = payloads.flatMap((p, i) => secrets.filter((s) => shows(encodePayload(p), s)).map((s) => `payload ${i}: ${s}`));
  expect(leaks).toEqual([]);
  // Nowhere else in the history either (the reference is the workflow id's, by design).
  const whole = temporal.api.history.v1.History.encode(raw).finish();
  expect(secrets.filter((s) => s !== reference && shows(whole, s))).toEqual([]);

  // With the key, the same history reads in full: staff free text, ids and dates are all there.
  // (The same search as above, so it is one that finds them.)
  const decodedHistory = await decodeHistory(raw, testCodec());
  const decoded = payloadsIn(decodedHistory).map(encodePayload);
  for (const s of [reason, lessonsLearned, reference, '"RJ2"', `"${today}"`, `"${newDueOn}"`]) expect([s, decoded.some((p) => shows(p, s))]).toEqual([s, true]);
  for (const prefix of ['', 'x', 'xy']) expect(shows(Buffer.from(Buffer.from(`${prefix}${reason}`).toString('base64')), reason)).toBe(true);

  // Decoded as `npm run replay:record` saves it, it replays (tests/replay keeps histories so).
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), dataConverter: testDataConverter(), replayName: 'codec' }, decodedHistory);

  // A client without the key cannot read the case's live state.
  const keyless = new Client({ connection: h.env.connection, namespace: h.env.namespace ?? 'default' });
  await expect(keyless.workflow.getHandle(workflowId).query('state')).rejects.toThrow(/encoding/i);

  // The codec endpoint the Temporal UI calls decodes the same payloads over HTTP.
  const first = payloads[0];
  const json = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const res = await request(app).post('/api/codec/decode').set('Origin', UI).set('X-Namespace', 'default').send({ payloads: [json(first)] });
  expect(res.status).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBe(UI);
  const [plain] = res.body.payloads;
  expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(Buffer.from(plain.data, 'base64').toString()).toContain(reference);
});

describe('the codec endpoint', () => {
  const asJson = (value: unknown) => {
    const p = converter.toPayload(value);
    return { metadata: { encoding: Buffer.from(p.metadata!.encoding).toString('base64') }, data: Buffer.from(p.data!).toString('base64') };
  };

  test('encode then decode gives the payload back; encode seals it', async () => {
    const enc = await request(app).post('/api/codec/encode').send({ payloads: [asJson({ note: `from the UI ${stamp}` })] });
    expect(enc.status).toBe(200);
    expect(Buffer.from(enc.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(enc.body.payloads[0].data, 'base64').toString('latin1')).not.toContain(stamp);
    const dec = await request(app).post('/api/codec/decode').send(enc.body);
    expect(dec.status).toBe(200);
    expect(dec.body).toEqual({ payloads: [asJson({ note: `from the UI ${stamp}` })] });
  });

  test('answers the UI’s preflight for its own origin only', async () => {
    const ok = await request(app).options('/api/codec/decode').set('Origin', UI).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,x-namespace');
    expect(ok.status).toBe(204);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': UI, 'access-control-allow-credentials': 'true' });
    expect(ok.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
    const other = await request(app).options('/api/codec/decode').set('Origin', 'https://elsewhere.example').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a payload it cannot open is a 422; a malformed body a 400', async () => {
    const enc = await request(app).post('/api/codec/encode').send({ payloads: [asJson('x')] });
    const sealed = enc.body.payloads[0];
    const data = Buffer.from(sealed.data, 'base64');
    data[data.length - 1] ^= 1;
    const tampered = await request(app).post('/api/codec/decode').send({ payloads: [{ ...sealed, data: data.toString('base64') }] });
    expect(tampered.status).toBe(422);
    expect(tampered.body.error.code).toBe('undecodable_payload');
    expect((await request(app).post('/api/codec/decode').send({ payloads: [{ data: 'not base64!' }] })).status).toBe(400);
    expect((await request(app).get('/api/codec/decode')).status).toBe(405);
  });
});
