import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { createActionPlanBody, cqrgScheduleBody } from '../../api/action-plans/schemas';
import { createReviewBody } from '../../api/reviews/schemas';
import { StaffDirectory } from '../../api/staff/service';
import { createVisitBody } from '../../api/visits/schemas';
import { staffId } from '../../lib/zod';
import { reviewIndexKeys, reviewListRange } from '../../records/review/lists';
import { freePort } from '../../dev-servers/process';
import { createLogger } from '../../lib/logger';
import { createModels, type Models } from '../../models';
import { connectDatabase } from '../../models/connection';
import { eventually } from '../helpers/harness';
import { testDatabaseUri } from '../helpers/env';
import { testAuthenticator, tokenFor, type Caller } from '../helpers/auth';

/**
 * Staff ids are what an identity provider puts in a token's subject, compared exactly; and the
 * staff directory: everyone who has signed in, and everyone an administrator adds, for pickers.
 */

/** Subjects identity providers issue: Entra ID's object id, an e-mail-like name, capitals, dots. */
const SUBJECTS = ['0f8fad5b-d9cb-469f-a165-70867728950e', 'sam.officer@icb.nhs.uk', 'Sam.Officer', 'sam.officer', 'AB', 'x', 'auth0|5f7c8ec7c33c6c004bbafe82'];

describe('a staff id is a token subject, as it is', () => {
  test('any printable subject of 1-128 characters without spaces is one, kept exactly (never trimmed nor lower-cased)', () => {
    for (const id of SUBJECTS) expect(staffId.parse(id)).toBe(id);
    expect(staffId.parse('a'.repeat(128))).toHaveLength(128);
    for (const bad of ['', ' sam', 'sam officer', 'sam\tofficer', 'sam\u0000', 'sam\u202Eofficer', 'sam\u00A0officer', 'a'.repeat(129)]) {
      expect(staffId.safeParse(bad).success).toBe(false);
    }
  });

  test("every process's schemas take it: a plan's chair and owners, a review's owner, a visit's panel, a CQRG Schedule's chair", () => {
    const plan = createActionPlanBody.parse({
      providerCode: 'RJ2',
      theme: 'other',
      title: 'A plan',
      source: { kind: 'cqrg_meeting', meetingOn: '2026-01-05' },
      chair: { id: 'Sam.Officer@icb.nhs.uk', name: 'Sam Officer' },
      actions: [{ description: 'Do it', owner: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Jo Bloggs' }, dueOn: '2026-12-01' }],
    });
    expect(plan.chair.id).toBe('Sam.Officer@icb.nhs.uk');
    expect(plan.actions[0].owner.id).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    const assessment = { completed: true };
    const review = createReviewBody.parse({
      serviceName: 'Clinic',
      whatChanged: 'Moved',
      goLiveOn: '2026-01-05',
      owner: { id: 'Pat.Commissioner@icb.nhs.uk', name: 'Pat' },
      assessments: { equalityImpact: assessment, qualityImpact: assessment, engagementLog: assessment },
      patientEngagement: 'Asked',
    });
    expect(review.owner.id).toBe('Pat.Commissioner@icb.nhs.uk');
    const visit = createVisitBody.safeParse({
      providerCode: 'RJ2',
      service: 'Ward 7',
      reasons: ['complaints'],
      announced: false,
      visitDate: '2035-01-05',
      panel: [
        { name: 'Lay', role: 'lay_member', staffId: 'lay.member@icb.nhs.uk' },
        { name: 'Rep', role: 'patient_representative', staffId: 'auth0|5f7c8ec7c33c6c004bbafe82' },
      ],
    });
    expect(visit.error?.issues).toBeUndefined();
    expect(cqrgScheduleBody.parse({ meetings: { weekday: 'tuesday', nth: 2 }, chair: 'Sam.Officer' }).chair).toBe('Sam.Officer');
  });

  test("a review owner's lists hold any subject, each apart: Sam.Officer is not sam.officer", () => {
    const keys = (ownerId: string) => reviewIndexKeys({ reference: 'PIR-2026-000001', ownerId, status: 'scheduled', dueOn: '2026-07-05' });
    const within = (key: string, range: { from: string; to: string }) => key >= range.from && key < range.to;
    for (const id of SUBJECTS) {
      const range = reviewListRange({ owner: id }, '2026-01-05');
      expect(keys(id).filter((k) => within(k, range))).toHaveLength(1);
    }
    expect(keys('Sam.Officer').some((k) => within(k, reviewListRange({ owner: 'sam.officer' }, '2026-01-05')))).toBe(false);
  });
});

describe('the staff directory', () => {
  let db: mongoose.Connection;
  let models: Models;
  let connection: Connection;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await connectDatabase(testDatabaseUri('staff'));
    models = createModels(db);
    // Never reached: the directory is the database's alone.
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    app = createApp({ authenticator: testAuthenticator, models, temporal: new Client({ connection }), taskQueue: 'unused', logger: createLogger('silent'), rateLimitPerMinute: 100_000 });
  });

  afterAll(async () => {
    await connection.close();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  const ADMIN: Caller = { id: 'admin-1', name: 'Ada Admin', roles: ['administrator'] };
  const as = async (caller: Caller, claims?: Record<string, unknown>) => {
    const token = await tokenFor(caller, { claims });
    return { get: (path: string) => supertest(app).get(path).set('Authorization', `Bearer ${token}`), put: (path: string) => supertest(app).put(path).set('Authorization', `Bearer ${token}`) };
  };

  test('whoever signs in is in it: their subject exactly, name, roles, and email when the token has one; recorded once in a few minutes', async () => {
    const chair: Caller = { id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair', roles: ['cqrg_chair'] };
    const api = await as(chair, { email: 'chris.chair@icb.nhs.uk' });
    expect((await api.get('/api/closure-days')).status).toBe(200);
    const listed = await eventually(async () => {
      const res = await api.get('/api/staff');
      expect(res.status).toBe(200);
      expect(res.body.items).toContainEqual({ id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair', roles: ['cqrg_chair'], email: 'chris.chair@icb.nhs.uk' });
      return res;
    });
    expect(listed.body.items.find((s: { id: string }) => s.id === 'Chris.Chair@icb.nhs.uk').source).toBeUndefined();
    // Seen again at once, under another name: not written again yet.
    const renamed = await as({ ...chair, name: 'Christopher Chair' });
    expect((await renamed.get('/api/closure-days')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await models.Staff.findById(chair.id).lean())?.name).toBe('Chris Chair');
  });

  test('an administrator adds someone (201, then 200 to change them); no one else may; pickers list by role', async () => {
    const admin = await as(ADMIN);
    const added = await admin.put(`/api/staff/${encodeURIComponent('0f8fad5b-d9cb-469f-a165-70867728950e')}`).send({ name: 'Dana Chair', roles: ['cqrg_chair'], email: 'dana.chair@icb.nhs.uk' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Dana Chair', roles: ['cqrg_chair'], email: 'dana.chair@icb.nhs.uk' });
    const changed = await admin.put('/api/staff/jo.bloggs@provider.nhs.uk').send({ name: 'Jo Bloggs', roles: [], email: 'jo.bloggs@provider.nhs.uk' });
    expect(changed.status).toBe(201);
    expect((await admin.put('/api/staff/jo.bloggs@provider.nhs.uk').send({ name: 'Jo Bloggs', roles: ['quality_team'] })).status).toBe(200);
    // An address the administrator gave stays when a change leaves it out.
    expect((await models.Staff.findById('jo.bloggs@provider.nhs.uk').lean())?.email).toBe('jo.bloggs@provider.nhs.uk');

    const officer = await as({ id: 'qt-1', name: 'Quinn Officer', roles: ['quality_team'] });
    expect((await officer.put('/api/staff/someone').send({ name: 'Someone', roles: [] })).status).toBe(403);
    expect((await admin.put('/api/staff/someone').send({ name: '', roles: ['nobody'], email: 'not an address' })).body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.name', 'body.roles.0', 'body.email']);
    expect((await admin.put('/api/staff/some%20one').send({ name: 'Someone', roles: [] })).status).toBe(400);

    const chairs = await eventually(async () => {
      const res = await officer.get('/api/staff?role=cqrg_chair');
      expect(res.body.items.map((s: { id: string }) => s.id)).toEqual(['Chris.Chair@icb.nhs.uk', '0f8fad5b-d9cb-469f-a165-70867728950e']);
      return res;
    });
    // By name.
    expect(chairs.body.items.map((s: { name: string }) => s.name)).toEqual(['Chris Chair', 'Dana Chair']);
    expect((await officer.get('/api/staff?role=nobody')).status).toBe(400);
    expect((await officer.get('/api/staff')).body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['jo.bloggs@provider.nhs.uk', 'qt-1', 'admin-1']));
  });

  test('a sign-in does not undo what an administrator gave: an address stays when the token has none', async () => {
    const admin = await as(ADMIN);
    expect((await admin.put('/api/staff/kim.ray').send({ name: 'Kim Ray', roles: ['commissioner'], email: 'kim.ray@icb.nhs.uk' })).status).toBe(201);
    const kim = await as({ id: 'kim.ray', name: 'Kim Ray', roles: ['commissioner', 'cqrg_chair'] });
    expect((await kim.get('/api/closure-days')).status).toBe(200);
    await eventually(async () => expect(await models.Staff.findById('kim.ray').lean()).toMatchObject({ roles: ['commissioner', 'cqrg_chair'], email: 'kim.ray@icb.nhs.uk' }));
  });

  test('seen: once per person in a few minutes, then again; a failed write is tried again the next time', async () => {
    let now = 0;
    const writes: string[] = [];
    let fail = true;
    const directory = new StaffDirectory(
      {
        async recordSignIn(p) {
          writes.push(p.name);
          if (fail) throw new Error('database away');
        },
      },
      { logger: createLogger('silent'), everyMs: 5 * 60_000, now: () => now },
    );
    const sam = { id: 'sam.officer', name: 'Sam', roles: [] };
    await directory.seen(sam);
    fail = false;
    await directory.seen({ ...sam, name: 'Sam 2' });
    await directory.seen({ ...sam, name: 'Sam 3' });
    now += 4 * 60_000;
    await directory.seen({ ...sam, name: 'Sam 4' });
    now += 2 * 60_000;
    await directory.seen({ ...sam, name: 'Sam 5' });
    expect(writes).toEqual(['Sam', 'Sam 2', 'Sam 5']);
  });
});
