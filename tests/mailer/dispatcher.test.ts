import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { asCaller, testAuthenticator } from '../helpers/auth';
import { createApp } from '../../api/app';
import { freePort } from '../../dev-servers/process';
import { createActionPlanActivities } from '../../activities/action-plan/activities';
import { createComplaintActivities } from '../../activities/complaint/activities';
import { loadMailConfig, type MailConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { workingHoursInstant, workingHoursOnOrAfter } from '../../lib/calendar';
import { Dispatcher, messageIdOf } from '../../mailer/dispatcher';
import { createModels, ensureIndexes, type Models } from '../../models';
import { claimOnce, releaseClaims } from '../../models/notification';
import { connectDatabase } from '../../models/connection';
import { seedReferenceData } from '../../models/seed';
import path from 'node:path';
import { spawnServer } from '../../dev-servers/process';
import { testDatabaseUri } from '../helpers/env';
import { eventually } from '../helpers/harness';
import { TestSmtp } from './smtp';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

let db: mongoose.Connection;
let uri: string;
let models: Models;
let smtp: TestSmtp;
const logger = createLogger('silent');
let counter = 0;

beforeAll(async () => {
  uri = testDatabaseUri('mailer');
  db = await connectDatabase(uri);
  models = createModels(db);
  await ensureIndexes(models);
  await seedReferenceData(db);
});

beforeEach(async () => {
  smtp = new TestSmtp();
  await smtp.start();
});

afterEach(async () => {
  await smtp.stop();
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

const config = (over: Record<string, string> = {}): MailConfig =>
  loadMailConfig({
    SMTP_PORT: String(smtp.port),
    MAIL_FROM: 'Oversight <oversight@icb.example>',
    MAIL_BASE_URL: 'https://oversight.icb.example',
    MAIL_QUALITY_LEAD: 'quality.lead@icb.example',
    MAIL_CASE_OFFICER: 'complaints@icb.example',
    MAIL_LEASE_MS: '60000',
    ...over,
  });

/** A dispatcher whose clock reads `clock.now`. */
function dispatcher(clock: { now: Date }, over: Record<string, string> = {}) {
  return new Dispatcher({ models, config: config(over), logger, now: () => clock.now });
}

/**
 * A complaint record, and an alarm notified by the complaint's real notify activity at `at`:
 * what the workflow does when a deadline acts.
 */
async function notified(opts: { at: string; deadline?: string; action?: string; dueOn?: string }) {
  const reference = `CMP-2026-${String(++counter).padStart(6, '0')}`;
  const deadline = opts.deadline ?? 'response';
  const dueOn = opts.dueOn ?? opts.at.slice(0, 10);
  await models.Complaint.create({
    _id: reference,
    providerCode: 'RJ2',
    source: 'complainant',
    receivedOn: '2026-10-01',
    summary: 'Discharged without medication',
    consentToShare: true,
    complainant: { name: 'Alex Example', email: 'alex@example.org' },
    communicationNeeds: ['large_print'],
    status: 'acknowledged',
    acknowledgeBy: '2026-10-06',
    workflowId: `complaint:${reference}`,
    workflow: { deadlines: { [deadline]: { dueOn, basis: { rule: '25 working days after 2026-10-02, Mon-Fri excluding England and Wales bank holidays and local closures' } } } },
  });
  const action = opts.action ?? 'escalation';
  const alarm = { key: `${deadline}:${dueOn}:${action}`, deadline, action, at: opts.at, dueOn };
  await createComplaintActivities({ models }).notify({ reference, alarm, at: opts.at });
  return { reference, id: `${reference}:${alarm.key}` };
}

test('an escalation produces exactly one email, in plain English, with no complainant details', async () => {
  const at = workingHoursInstant('2026-11-24'); // a Tuesday, 09:00 London
  const { reference, id } = await notified({ at, dueOn: '2026-11-23' });
  const clock = { now: new Date(Date.parse(at) + 60_000) };
  const mailer = dispatcher(clock);
  expect(await mailer.pass()).toMatchObject({ sent: 1 });
  expect(await mailer.pass()).toMatchObject({ sent: 0 });
  expect(await dispatcher(clock).pass()).toMatchObject({ sent: 0 });
  expect(smtp.received).toHaveLength(1);
  const [mail] = smtp.received;
  expect(mail.messageId).toBe(messageIdOf(id, 'oversight@icb.example'));
  expect(mail.to).toMatchObject({ text: 'quality.lead@icb.example' });
  expect(mail.subject).toBe(`${reference}: Response to complainant overdue`);
  expect(mail.text).toContain('Overdue: the response to the complainant was due on Monday 23 November 2026');
  expect(mail.text).toContain('How this date was worked out: 25 working days after 2026-10-02');
  expect(mail.text).toContain(`Open it: https://oversight.icb.example/complaints/${reference}`);
  expect(mail.html).toContain(`<a href="https://oversight.icb.example/complaints/${reference}">`);
  // Information governance: the reference and a link, nothing about the complainant.
  for (const body of [mail.text, mail.html]) {
    expect(body).not.toMatch(/Alex|alex@example\.org|large print|large_print|Discharged/);
  }
  expect(await models.Notification.findById(id).lean()).toMatchObject({ status: 'sent', messageId: mail.messageId, recipients: ['quality.lead@icb.example'] });
  expect(await models.MailQueue.countDocuments()).toBe(0);
});

test("an action's reminder reaches its owner with the provider's mailbox copied; its escalation, the plan's chair; both at the staff directory's addresses", async () => {
  const reference = 'CAP-2026-000777';
  const chair = { id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair' };
  await models.ActionPlan.create({ _id: reference, providerCode: 'RJ2', theme: 'other', title: 'Easy read', source: { kind: 'cqrg_meeting', meetingOn: '2026-11-02' }, chair, openedOn: '2026-11-02', status: 'in_progress', workflowId: `action-plan:${reference}` });
  await models.Action.create({ _id: `${reference}:1`, reference, n: 1, providerCode: 'RJ2', theme: 'other', description: 'Easy read letters', owner: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Jo Bloggs' }, addedOn: '2026-11-02', dueOn: '2026-12-01', status: 'open' });
  await models.Staff.create([
    { _id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Jo Bloggs', roles: [], email: 'jo.bloggs@provider.example' },
    { _id: chair.id, name: chair.name, roles: ['cqrg_chair'], email: 'chris.chair@icb.example' },
  ]);
  const notify = createActionPlanActivities({ models }).notify;
  const at = workingHoursInstant('2026-11-24');
  await notify({ reference, alarm: { key: 'action:1:2026-12-01:reminder:2', deadline: 'action:1', action: 'reminder', at, dueOn: '2026-12-01' }, at });
  await notify({ reference, alarm: { key: 'action:1:2026-12-01:escalation', deadline: 'action:1', action: 'escalation', at, dueOn: '2026-12-01' }, at });
  expect(await dispatcher({ now: new Date(Date.parse(at) + 1000) }).pass()).toMatchObject({ sent: 2 });
  const reminder = smtp.received.find((m) => m.subject?.includes(' due on '))!;
  const escalation = smtp.received.find((m) => m.subject?.includes(' overdue '))!;
  expect(reminder.subject).toMatch(/action 1 due on 2026-12-01/);
  expect(reminder.to).toMatchObject({ text: 'jo.bloggs@provider.example' });
  expect(reminder.cc).toMatchObject({ text: 'quality@rj2.provider.example' });
  expect(escalation.subject).toMatch(/action 1 overdue/);
  expect(escalation.to).toMatchObject({ text: 'chris.chair@icb.example' });
  expect(escalation.cc).toBeUndefined();
  expect(await models.Notification.findById(`${reference}:action:1:2026-12-01:reminder:2`).lean()).toMatchObject({ audience: 'action_owner', status: 'sent', recipients: ['jo.bloggs@provider.example', 'quality@rj2.provider.example'] });
});

test('with full detail for a secure relay, the email also names the provider and the communication needs', async () => {
  const at = workingHoursInstant('2026-11-24');
  await notified({ at });
  await dispatcher({ now: new Date(Date.parse(at) + 1000) }, { MAIL_DETAIL: 'full' }).pass();
  expect(smtp.received[0].text).toContain('Provider: Lewisham and Greenwich NHS Trust');
  expect(smtp.received[0].text).toContain("The complainant's communication needs: large_print");
});

test('a reminder due on a Saturday arrives on Monday at 09:00; one on Good Friday after Easter Monday', async () => {
  const saturday = '2026-11-28T10:00:00.000Z';
  const { id } = await notified({ at: saturday, action: 'reminder' });
  const clock = { now: new Date(saturday) };
  const mailer = dispatcher(clock);
  expect(await mailer.pass()).toMatchObject({ sent: 0, deferred: 1 });
  clock.now = new Date('2026-11-30T08:59:00.000Z'); // Monday 08:59 London (GMT)
  expect(await mailer.pass()).toMatchObject({ sent: 0 });
  clock.now = new Date('2026-11-30T09:00:00.000Z');
  expect(await mailer.pass()).toMatchObject({ sent: 1 });
  expect((await models.Notification.findById(id).lean())?.sentAt?.toISOString()).toBe('2026-11-30T09:00:00.000Z');

  const goodFriday = '2027-03-26T11:00:00.000Z';
  await notified({ at: goodFriday, action: 'reminder' });
  clock.now = new Date(goodFriday);
  expect(await mailer.pass()).toMatchObject({ deferred: 1 });
  clock.now = new Date('2027-03-29T12:00:00.000Z'); // Easter Monday: a bank holiday
  expect(await mailer.pass()).toMatchObject({ sent: 0 });
  clock.now = new Date('2027-03-30T08:00:00.000Z'); // Tuesday 09:00 BST
  expect(await mailer.pass()).toMatchObject({ sent: 1 });
  // At night on a working day too: a row raised at 20:00 waits for the morning.
  await notified({ at: '2026-12-01T20:00:00.000Z' });
  clock.now = new Date('2026-12-01T20:00:01.000Z');
  expect(await mailer.pass()).toMatchObject({ sent: 0, deferred: 1 });
  clock.now = new Date('2026-12-02T09:00:00.000Z');
  expect(await mailer.pass()).toMatchObject({ sent: 1 });
  expect(smtp.received).toHaveLength(3);
});

/**
 * FerretDB runs findOneAndUpdate as a read, then a write by _id that does not test the filter
 * again: two mailers could both take a row they read as pending, and both send it (the rehearsal,
 * on FerretDB's PostgreSQL backend: 103 of 1,000 sent twice). The claim is an insert under a
 * unique key naming the state the row was read in, which one caller alone can make.
 */
test('a row read in one state is claimed by one dispatcher, however many read it at once', async () => {
  const seen = { _id: `claim-test-${++counter}`, attempts: 0, claimedUntil: null };
  const wins = await Promise.all(Array.from({ length: 6 }, () => claimOnce(models.MailQueue, seen)));
  expect(wins.filter(Boolean)).toHaveLength(1);
  // A failed send (one more attempt), or a lease that lapsed, is a new state: claimable once again.
  expect(await claimOnce(models.MailQueue, { ...seen, attempts: 1 })).toBe(true);
  const lapsed = { ...seen, attempts: 1, claimedUntil: new Date('2026-11-24T09:02:00Z') };
  expect((await Promise.all([claimOnce(models.MailQueue, lapsed), claimOnce(models.MailQueue, lapsed)])).filter(Boolean)).toHaveLength(1);
  // Moved on (sent, failed, parked), the row's claims go: a retried row starts again at attempt 0.
  await releaseClaims(models.MailQueue, seen._id);
  expect(await claimOnce(models.MailQueue, seen)).toBe(true);
  await releaseClaims(models.MailQueue, seen._id);
  expect(await models.MailQueue.countDocuments({ _id: { $regex: '^claim\\|' } })).toBe(0);
});

test('two dispatchers passing over one outbox at once send each row once', async () => {
  const at = workingHoursInstant('2026-11-24');
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push((await notified({ at })).id);
  const clock = { now: new Date(Date.parse(at) + 1000) };
  const [a, b] = [dispatcher(clock), dispatcher(clock)];
  const passes = await Promise.all([a.pass(), b.pass(), a.pass(), b.pass()]);
  expect(passes.reduce((n, p) => n + p.sent, 0)).toBe(12);
  expect(smtp.messageIds().sort()).toEqual(ids.map((id) => messageIdOf(id, 'oversight@icb.example')).sort());
});

test('the SMTP server down, then up: every row is delivered once, none lost', async () => {
  const at = workingHoursInstant('2026-11-24');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await notified({ at })).id);
  const port = smtp.port;
  await smtp.stop();
  const clock = { now: new Date(Date.parse(at) + 1000) };
  const mailer = dispatcher(clock, { SMTP_PORT: String(port) });
  expect(await mailer.pass()).toMatchObject({ sent: 0, failed: 5 });
  const failed = await models.Notification.find({ _id: { $in: ids } }).lean();
  expect(failed.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['pending', 1]));
  expect(failed[0].lastError).toMatch(/ECONNREFUSED/);
  // Still down at the next attempt (30 s on): the pause doubles.
  clock.now = new Date(clock.now.getTime() + 31_000);
  expect(await mailer.pass()).toMatchObject({ failed: 5 });
  clock.now = new Date(clock.now.getTime() + 31_000);
  expect(await mailer.pass()).toMatchObject({ sent: 0, failed: 0 }); // waiting out its 60 s
  smtp = new TestSmtp(port);
  await smtp.start();
  clock.now = new Date(clock.now.getTime() + 31_000);
  expect(await mailer.pass()).toMatchObject({ sent: 5 });
  expect(new Set(smtp.messageIds()).size).toBe(5);
  expect((await models.Notification.find({ _id: { $in: ids } }).lean()).every((r) => r.status === 'sent')).toBe(true);
});

test('MAIL_RETRY_MS sets the first pause after a failed send, doubled after the next', async () => {
  const at = workingHoursInstant('2026-11-24');
  const { id } = await notified({ at });
  const port = smtp.port;
  await smtp.stop();
  const clock = { now: new Date(Date.parse(at) + 1000) };
  const mailer = dispatcher(clock, { SMTP_PORT: String(port), MAIL_RETRY_MS: '2000' });
  expect(await mailer.pass()).toMatchObject({ failed: 1 });
  clock.now = new Date(clock.now.getTime() + 1_900);
  expect(await mailer.pass()).toMatchObject({ failed: 0 });
  clock.now = new Date(clock.now.getTime() + 200);
  expect(await mailer.pass()).toMatchObject({ failed: 1 });
  clock.now = new Date(clock.now.getTime() + 3_900); // 4 s after the second failure: not yet
  expect(await mailer.pass()).toMatchObject({ failed: 0 });
  smtp = new TestSmtp(port);
  await smtp.start();
  clock.now = new Date(clock.now.getTime() + 200);
  expect(await mailer.pass()).toMatchObject({ sent: 1 });
  expect(await models.Notification.findById(id).lean()).toMatchObject({ status: 'sent', attempts: 2 });
});

test('a row that keeps failing is parked; a role with no address is reported, never dropped', async () => {
  const at = workingHoursInstant('2026-11-24');
  const { id } = await notified({ at });
  const port = smtp.port;
  await smtp.stop();
  const clock = { now: new Date(Date.parse(at) + 1000) };
  const mailer = dispatcher(clock, { SMTP_PORT: String(port), MAIL_MAX_ATTEMPTS: '2' });
  expect(await mailer.pass()).toMatchObject({ failed: 1 });
  clock.now = new Date(clock.now.getTime() + 31_000);
  expect(await mailer.pass()).toMatchObject({ parked: 1 });
  expect(await models.Notification.findById(id).lean()).toMatchObject({ status: 'parked', attempts: 2, problem: expect.stringMatching(/^2 attempts failed; the last: .*ECONNREFUSED/) });
  expect((await models.MailQueue.find().lean()).map((e) => e._id)).toEqual([`parked|${clock.now.toISOString()}|${id}`]);

  // No quality lead configured: parked at once, saying where to set one.
  await smtp.start();
  const unaddressed = await notified({ at });
  expect(await dispatcher(clock, { SMTP_PORT: String(smtp.port), MAIL_QUALITY_LEAD: '' }).pass()).toMatchObject({ parked: 1 });
  expect(await models.Notification.findById(unaddressed.id).lean()).toMatchObject({ status: 'parked', problem: 'no address for quality_lead (set MAIL_QUALITY_LEAD)' });
  expect(smtp.received).toHaveLength(0);
});

test('the mailer killed (SIGKILL) after the relay took a message but before marking it sends it again under the same Message-ID', async () => {
  const at = workingHoursInstant('2026-11-24');
  const { id } = await notified({ at });
  const env = {
    ...process.env,
    MONGODB_URI: uri,
    SMTP_PORT: String(smtp.port),
    MAIL_FROM: 'Oversight <oversight@icb.example>',
    MAIL_QUALITY_LEAD: 'quality.lead@icb.example',
    MAIL_LEASE_MS: '1500',
    MAIL_POLL_MS: '100',
    MAILER_TEST_NOW: new Date(Date.parse(at) + 60_000).toISOString(),
  };
  const start = () => spawnServer('mailer', process.execPath, ['--import', 'tsx', path.join(__dirname, 'dispatcher-process.ts')], undefined, env);
  const first = start();
  const killed = new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
  // The relay has the message; the mailer is killed before it hears so, so it cannot mark it.
  smtp.onMessage = async () => {
    if (smtp.received.length > 1) return;
    first.child.kill('SIGKILL');
    await killed;
  };
  await eventually(async () => expect(first.exitStatus()).toBe('killed by SIGKILL'), 30_000);
  expect(await models.Notification.findById(id).lean()).toMatchObject({ status: 'sending' });
  const second = start();
  try {
    await eventually(async () => expect(await models.Notification.findById(id).lean()).toMatchObject({ status: 'sent' }), 30_000);
  } finally {
    await second.stop();
  }
  const row = await models.Notification.findById(id).lean();
  // Twice, as SMTP allows, but one message: the same Message-ID, which a mail system uses to tell the copy.
  expect(smtp.messageIds()).toEqual([row!.messageId, row!.messageId]);
  expect(await models.MailQueue.countDocuments({ notification: id })).toBe(0);
});

test('GET /api/notifications lists parked rows with why, and POST …/retry sends one again', async () => {
  // Never dialled: these routes touch only the database.
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const app = createApp({ authenticator: testAuthenticator, models, temporal: new Client({ connection }), taskQueue: 'unused', logger });
  try {
    const at = workingHoursInstant('2026-11-25');
    const { id, reference } = await notified({ at });
    const clock = { now: new Date(Date.parse(at) + 1000) };
    await dispatcher(clock, { MAIL_QUALITY_LEAD: '' }).pass();
    let res = await request(app).get('/api/notifications?status=parked&pageSize=100');
    expect(res.status).toBe(200);
    const parked = res.body.items.find((n: { id: string }) => n.id === id);
    expect(parked).toMatchObject({ reference, status: 'parked', problem: 'no address for quality_lead (set MAIL_QUALITY_LEAD)', missingRecipients: ['quality_lead (set MAIL_QUALITY_LEAD)'] });
    expect((await request(app).post(`/api/notifications/${encodeURIComponent('CMP-2026-999999:x')}/retry`)).status).toBe(404);
    res = await request(app).post(`/api/notifications/${encodeURIComponent(id)}/retry`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'pending', attempts: 0, problem: null });
    expect((await request(app).post(`/api/notifications/${encodeURIComponent(id)}/retry`)).status).toBe(409);
    expect((await request(app).get('/api/notifications?status=parked&pageSize=100')).body.items.map((n: { id: string }) => n.id)).not.toContain(id);
    expect((await request(app).get('/api/notifications?status=pending&pageSize=100')).body.items.map((n: { id: string }) => n.id)).toContain(id);
    clock.now = new Date();
    clock.now = new Date(workingHoursOnOrAfter(clock.now));
    expect(await dispatcher(clock).pass()).toMatchObject({ sent: 1 });
    expect(smtp.received.map((m) => m.subject)).toEqual([`${reference}: Response to complainant overdue`]);
    expect((await request(app).get('/api/notifications?status=nonsense')).body.error.details[0].field).toBe('query.status');
    expect((await request(app).get('/api/openapi.json')).body.paths['/api/notifications/{id}/retry']).toBeDefined();
  } finally {
    await connection.close();
  }
});
