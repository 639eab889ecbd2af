import type { Worker } from '@temporalio/worker';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { formTokenFor, SESSION_COOKIE } from '../../web/session';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { createHarness, eventually, type Harness } from '../helpers/harness';
import { asCaller, testAuthenticator, tokenFor, type Caller } from '../helpers/auth';
import { createLocalTemporal } from '../helpers/env';

/**
 * The pages over plain HTTP, as a client that is not a browser sends them (what an attacker
 * sends): no scripts, no SameSite, only what the server itself enforces.
 */

let h: Harness;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;
const logger = createLogger('silent');
const today = () => londonDate(Date.now());

beforeAll(async () => {
  h = await createHarness('web_pages_http', await createLocalTemporal());
  await seedReferenceData(h.db);
  worker = await h.createWorker();
  running = worker.run();
  app = createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger, rateLimitPerMinute: 100_000 });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.teardown();
});

const OFFICER: Caller = { id: 'sam-officer-quality_team', name: 'Sam Officer', roles: ['quality_team'] };
const asOfficer = asCaller(OFFICER);

/** A page request carrying `caller`'s session cookie, as a signed-in browser sends it. */
async function page(caller: Caller, path: string) {
  return supertest(app).get(path).set('Cookie', `${SESSION_COOKIE}=${await tokenFor(caller)}`);
}

/** The cookies a response sets, by name (only their values). */
function cookiesOf(res: supertest.Response): Record<string, string> {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return Object.fromEntries(set.map((c) => c.split(';')[0].split('=')).map(([name, ...value]) => [name, decodeURIComponent(value.join('='))]));
}

/** The hidden fields of a page's form, as a browser would send them back. */
function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** Sign in on the local sign-in page as a browser does: its form, with what the page gave it. Answers the session's token. */
async function signInOnPage(name: string, role: string): Promise<string> {
  const form = await supertest(app).get('/sign-in');
  expect(form.status).toBe(200);
  const given = cookiesOf(form);
  const res = await supertest(app)
    .post('/sign-in')
    .set('Cookie', Object.entries(given).map(([k, v]) => `${k}=${v}`).join('; '))
    .type('form')
    .send({ ...hiddenFields(form.text), name, role });
  expect(res.status).toBe(303);
  const session = cookiesOf(res)[SESSION_COOKIE];
  expect(session).toBeTruthy();
  return session;
}

describe('the local sign-in', () => {
  const SIGN_IN = { name: 'Mallory Attacker', role: 'administrator' };

  test('a form posted from another site (no cookie from the sign-in page) is refused with the sign-in page, and signs no one in', async () => {
    const forged = await supertest(app).post('/sign-in').type('form').send(SIGN_IN);
    expect(forged.status).toBe(403);
    expect(forged.type).toBe('text/html');
    expect(forged.text).toContain('Sign in to Oversight');
    expect(forged.text).toContain('There is a problem');
    expect(cookiesOf(forged)[SESSION_COOKIE]).toBeUndefined();
  });

  test('the form’s token and the cookie’s must be the same: either alone, or another’s, is refused', async () => {
    const page = await supertest(app).get('/sign-in');
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => !c.startsWith(`${SESSION_COOKIE}=`));
    // Only the sign-in form reads it, only from this site, and no script.
    expect(cookie).toMatch(/; Path=\/sign-in(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    const [name, value] = cookie!.split(';')[0].split('=');
    const fields = hiddenFields(page.text);
    const field = Object.keys(fields).find((k) => fields[k] === decodeURIComponent(value));
    expect(field).toBeDefined();

    const post = (cookieValue: string | undefined, formValue: string | undefined) =>
      supertest(app)
        .post('/sign-in')
        .set('Cookie', cookieValue === undefined ? '' : `${name}=${cookieValue}`)
        .type('form')
        .send({ ...SIGN_IN, ...(formValue === undefined ? {} : { [field!]: formValue }) });
    const other = hiddenFields((await supertest(app).get('/sign-in')).text)[field!];
    expect((await post(undefined, fields[field!])).status).toBe(403);
    expect((await post(value, undefined)).status).toBe(403);
    expect((await post(value, other)).status).toBe(403);
    expect((await post(value, '')).status).toBe(403);
    const signedIn = await post(value, fields[field!]);
    expect(signedIn.status).toBe(303);
    expect(cookiesOf(signedIn)[SESSION_COOKIE]).toBeTruthy();
  });
});

describe('signing out', () => {
  test('ends the session’s token everywhere: copied before, it no longer works on the API or the pages; another session goes on', async () => {
    const copied = await signInOnPage('Sam Officer', 'quality_team');
    const other = await signInOnPage('Sam Officer', 'quality_team');
    expect((await supertest(app).get('/api/closure-days').set('Authorization', `Bearer ${copied}`)).status).toBe(200);
    expect((await supertest(app).get('/complaints').set('Cookie', `${SESSION_COOKIE}=${copied}`)).status).toBe(200);

    // Another site's page cannot sign anyone out (the header's form carries no form token).
    for (const headers of [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' }, { 'Sec-Fetch-Site': 'same-site' }]) {
      const forged = await supertest(app).post('/sign-out').set('Cookie', `${SESSION_COOKIE}=${copied}`).set(headers);
      expect([headers, forged.status]).toEqual([headers, 403]);
    }
    expect((await supertest(app).get('/api/closure-days').set('Authorization', `Bearer ${copied}`)).status).toBe(200);

    // As Chromium sends this site's own form under Referrer-Policy: no-referrer.
    const out = await supertest(app).post('/sign-out').set('Cookie', `${SESSION_COOKIE}=${copied}`).set({ 'Sec-Fetch-Site': 'same-origin', Origin: 'null' });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in');

    const api = await supertest(app).get('/api/closure-days').set('Authorization', `Bearer ${copied}`);
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('unauthenticated');
    const pageAfter = await supertest(app).get('/complaints').set('Cookie', `${SESSION_COOKIE}=${copied}`);
    expect(pageAfter.status).toBe(303);
    expect(pageAfter.headers.location).toBe('/sign-in?next=%2Fcomplaints');

    expect((await supertest(app).get('/api/closure-days').set('Authorization', `Bearer ${other}`)).status).toBe(200);
  });
});

describe('complaint event forms', () => {
  test('the Extend button a case page offers leads to a form that renders, with the complainant’s agreement as a question', async () => {
    const opened = await asOfficer(app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'Waited nine hours', consentToShare: true });
    expect(opened.status).toBe(201);
    const reference = opened.body.reference as string;
    expect((await asOfficer(app).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(200);

    const kase = await page(OFFICER, `/complaints/${reference}`);
    expect(kase.status).toBe(200);
    expect(kase.text).toContain(`href="/complaints/${reference}/extend"`);

    const form = await page(OFFICER, `/complaints/${reference}/extend`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Extend the response date');
    expect(form.text).toMatch(/name="complainantAgreed" type="radio" value="true"/);
    // Showing the form changed nothing, and the audit trail does not say it did.
    expect(await h.models.Audit.countDocuments({ record: reference, action: 'extend' })).toBe(0);
    expect(await h.models.PendingChange.countDocuments({ record: reference })).toBe(0);

    // Sent as a browser sends it: "yes" is the API's true, and the response date moves.
    const session = await tokenFor(OFFICER);
    const newDueOn = addCalendarDays(today(), 60);
    const [y, m, d] = newDueOn.split('-');
    const [ty, tm, td] = today().split('-');
    const sent = await supertest(app)
      .post(`/complaints/${reference}/extend`)
      .set('Cookie', `${SESSION_COOKIE}=${session}`)
      .type('form')
      .send({ _form: formTokenFor(session), 'newDueOn[day]': d, 'newDueOn[month]': m, 'newDueOn[year]': y, reason: 'Records awaited from the trust', complainantAgreed: 'true', 'agreedOn[day]': td, 'agreedOn[month]': tm, 'agreedOn[year]': ty });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/complaints/${reference}?done=extend`);
    expect((await asOfficer(app).get(`/api/complaints/${reference}`)).body.deadlines.response.dueOn).toBe(newDueOn);
    await eventually(async () => expect(await h.models.Audit.find({ record: reference, action: 'extend' }, { method: 1, _id: 0 }).lean()).toEqual([{ method: 'POST' }]));
  });
});

describe('documents on the case page', () => {
  test('the quality team adds a document from the case page and downloads it; a commissioner can neither list nor download it; a form from elsewhere stores nothing', async () => {
    const opened = await asOfficer(app).post('/api/complaints').send({ providerCode: 'RJ2', receivedAt: today(), source: 'complainant', summary: 'Letter attached', consentToShare: true });
    const reference = opened.body.reference as string;
    const token = await tokenFor(OFFICER);
    const casePage = await supertest(app).get(`/complaints/${reference}`).set('Cookie', `${SESSION_COOKIE}=${token}`);
    expect(casePage.status).toBe(200);
    expect(casePage.text).toContain('id="documents"');
    expect(casePage.text).toContain(`action="/complaints/${reference}/documents"`);
    const bytes = Buffer.from('Dear Sir or Madam,\nI write to complain about my discharge.\n');
    const upload = (form: string | undefined) => {
      let req = supertest(app).post(`/complaints/${reference}/documents`).set('Cookie', `${SESSION_COOKIE}=${token}`);
      if (form !== undefined) req = req.field('_form', form);
      return req.field('kind', 'complaint_letter').attach('file', bytes, 'letter.txt');
    };
    const forged = await upload(undefined);
    expect(forged.status).toBe(403);
    expect(await h.models.CaseDocument.countDocuments({ reference })).toBe(0);
    const added = await upload(formTokenFor(token));
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`/complaints/${reference}?done=document#documents`);
    const after = await supertest(app).get(`/complaints/${reference}`).set('Cookie', `${SESSION_COOKIE}=${token}`);
    const link = /href="(\/documents\/[a-f0-9]{24})" download>letter\.txt/.exec(after.text)?.[1];
    expect(link).toBeDefined();
    const got = await supertest(app).get(link!).set('Cookie', `${SESSION_COOKIE}=${token}`);
    expect(got.status).toBe(200);
    expect(got.text).toBe(bytes.toString());
    const commissioner = { id: 'cm-docs', name: 'Chris', roles: ['commissioner'] } as Caller;
    expect((await page(commissioner, link!)).status).toBe(403);
    expect((await page(commissioner, `/complaints/${reference}`)).text).not.toContain('id="documents"');
  });
});

describe('opening an action plan', () => {
  test('the chair and each owner are picked from the staff directory, by name; sent, the plan names them as their sign-ins do', async () => {
    const session = await tokenFor(OFFICER);
    // Two chairs signed in at some time (their subjects as their identity provider gives them), and an owner an administrator added.
    await h.models.Staff.create([
      { _id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair', roles: ['cqrg_chair'] },
      { _id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Dana Chair', roles: ['cqrg_chair', 'commissioner'] },
      { _id: 'jo.bloggs@provider.nhs.uk', name: 'Jo Bloggs', roles: [] },
    ]);
    const form = await page(OFFICER, '/action-plans/new?providerCode=RJ2');
    expect(form.status).toBe(200);
    const select = (name: string) => new RegExp(`<select[^>]*name="${name.replace(/\./g, '\\.')}"[^>]*>([\\s\\S]*?)</select>`).exec(form.text)?.[1] ?? '';
    const options = (html: string) => [...html.matchAll(/<option value="([^"]*)"[^>]*>\s*([^<]*?)\s*<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options(select('chair.id'))).toEqual([
      ['', 'Choose one'],
      ['Chris.Chair@icb.nhs.uk', 'Chris Chair'],
      ['0f8fad5b-d9cb-469f-a165-70867728950e', 'Dana Chair'],
    ]);
    expect(options(select('actions.0.owner.id'))).toEqual(expect.arrayContaining([['jo.bloggs@provider.nhs.uk', 'Jo Bloggs'], ['Chris.Chair@icb.nhs.uk', 'Chris Chair']]));
    // Nothing to type: no id, and no name beside a picked person.
    expect(form.text).not.toMatch(/name="chair\.(name|id)" type="text"/);
    expect(form.text).not.toMatch(/name="actions\.0\.owner\.(name|id)" type="text"/);

    const dueOn = addCalendarDays(today(), 40);
    const [y, m, d] = dueOn.split('-');
    const [ty, tm, td] = today().split('-');
    const sent = await supertest(app)
      .post('/action-plans/new')
      .set('Cookie', `${SESSION_COOKIE}=${session}`)
      .type('form')
      .send({
        _form: formTokenFor(session),
        providerCode: 'RJ2',
        theme: 'other',
        title: 'Flag communication needs',
        'source.kind': 'cqrg_meeting',
        'source.meetingOn[day]': td,
        'source.meetingOn[month]': tm,
        'source.meetingOn[year]': ty,
        'chair.id': '0f8fad5b-d9cb-469f-a165-70867728950e',
        'actions.0.description': 'Flag needs on the PAS',
        'actions.0.owner.id': 'jo.bloggs@provider.nhs.uk',
        'actions.0.dueOn[day]': d,
        'actions.0.dueOn[month]': m,
        'actions.0.dueOn[year]': y,
      });
    expect(sent.status).toBe(303);
    const reference = /\/action-plans\/(CAP-\d{4}-\d{6})\?done=opened$/.exec(sent.headers.location)?.[1];
    expect(reference).toBeDefined();
    const plan = await asOfficer(app).get(`/api/action-plans/${reference}`);
    expect(plan.body.chair).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'Dana Chair' });
    expect(plan.body.actions[0].owner).toEqual({ id: 'jo.bloggs@provider.nhs.uk', name: 'Jo Bloggs' });
  });
});

describe("an action's evidence on the plan's page", () => {
  const CHAIR: Caller = { id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair', roles: ['cqrg_chair'] };

  test('awaiting the chair it says so; the chair, and only they, is offered to accept or return it, and the forms do it', async () => {
    const opened = await asOfficer(app)
      .post('/api/action-plans')
      .send({
        providerCode: 'RJ2',
        theme: 'other',
        title: 'Easy read letters',
        source: { kind: 'cqrg_meeting', meetingOn: today() },
        chair: { id: CHAIR.id, name: CHAIR.name },
        actions: [{ description: 'Easy read appointment letters', owner: { id: 'jo.bloggs@provider.nhs.uk', name: 'Jo Bloggs' }, dueOn: addCalendarDays(today(), 30) }],
      });
    expect(opened.status).toBe(201);
    const reference = opened.body.reference as string;
    const evidence = [{ description: 'Letters audited: 40 of 40 in easy read', link: 'https://docs.example/audit' }];
    expect((await asOfficer(app).post(`/api/action-plans/${reference}/complete-action`).send({ action: 1, completedOn: today(), evidence })).status).toBe(200);

    const asChairPage = await page(CHAIR, `/action-plans/${reference}`);
    expect(asChairPage.status).toBe(200);
    expect(asChairPage.text).toContain('awaiting the chair');
    expect(asChairPage.text).toContain('<a href="https://docs.example/audit">Letters audited: 40 of 40 in easy read</a>');
    expect(asChairPage.text).toContain(`href="/action-plans/${reference}/accept-evidence"`);
    expect(asChairPage.text).toContain(`href="/action-plans/${reference}/return-evidence"`);
    const asOfficerPage = await page(OFFICER, `/action-plans/${reference}`);
    expect(asOfficerPage.text).not.toContain('/accept-evidence"');
    expect(asOfficerPage.text).not.toContain('/return-evidence"');

    const session = await tokenFor(CHAIR);
    const [y, m, d] = today().split('-');
    const send = (event: string, fields: Record<string, string>) =>
      supertest(app).post(`/action-plans/${reference}/${event}`).set('Cookie', `${SESSION_COOKIE}=${session}`).type('form').send({ _form: formTokenFor(session), action: '1', ...fields });
    const returned = await send('return-evidence', { 'returnedOn[day]': d, 'returnedOn[month]': m, 'returnedOn[year]': y, reason: 'Only one clinic audited' });
    expect(returned.status).toBe(303);
    expect(returned.headers.location).toBe(`/action-plans/${reference}?done=return-evidence`);
    expect((await asOfficer(app).get(`/api/action-plans/${reference}`)).body.actions[0].status).toBe('open');
    expect((await asOfficer(app).post(`/api/action-plans/${reference}/complete-action`).send({ action: 1, completedOn: today(), evidence })).status).toBe(200);
    const accepted = await send('accept-evidence', { 'acceptedOn[day]': d, 'acceptedOn[month]': m, 'acceptedOn[year]': y });
    expect(accepted.status).toBe(303);
    const plan = (await asOfficer(app).get(`/api/action-plans/${reference}`)).body;
    expect(plan).toMatchObject({ status: 'awaiting_sign_off', actions: [{ status: 'complete', rag: 'blue' }] });
  });
});

describe("a review's assessment picker", () => {
  const OWNER: Caller = { id: 'pat-commissioner-commissioner', name: 'Pat Commissioner', roles: ['commissioner'] };
  const asOwner = asCaller(OWNER);
  test('as the API’s route: another commissioner (not the owner), an auditor, and a form without its token are refused, nothing written; neither the auditor nor the other commissioner is offered a form', async () => {
    const opened = await asOwner(app)
      .post('/api/reviews')
      .send({
        serviceName: 'Community podiatry, Bexley',
        whatChanged: 'Moved to GP hubs',
        goLiveOn: addCalendarDays(today(), -150),
        owner: { id: OWNER.id, name: OWNER.name },
        assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } },
        patientEngagement: 'Listening events',
      });
    expect(opened.status).toBe(201);
    const reference = opened.body.reference as string;
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1');
    const doc = await asOwner(app).post(`/api/reviews/${reference}/documents`).field('kind', 'eia').attach('file', pdf, 'eia.pdf');
    expect(doc.status).toBe(201);

    const owners = await page(OWNER, `/reviews/${reference}`);
    expect(owners.text).toContain(`action="/reviews/${reference}/assessments/equalityImpact"`);
    expect(owners.text).toContain(`<option value="${doc.body.id}">eia.pdf, added `);
    const auditor: Caller = { id: 'aud-1', name: 'Ali Auditor', roles: ['auditor'] };
    expect((await page(auditor, `/reviews/${reference}`)).text).not.toContain('/assessments/equalityImpact"');
    const kim: Caller = { id: 'kim-commissioner-commissioner', name: 'Kim Commissioner', roles: ['commissioner'] };
    const kims = (await page(kim, `/reviews/${reference}`)).text;
    expect(kims).not.toContain('/assessments/equalityImpact"');
    // Nor any of the review's events, which the same line refuses them: the owner has the buttons.
    expect(owners.text).toContain(`href="/reviews/${reference}/cancel"`);
    expect(kims).not.toContain(`href="/reviews/${reference}/cancel"`);
    expect(kims).not.toContain('Cancel the review');

    const post = async (caller: Caller, withToken = true) => {
      const session = await tokenFor(caller);
      return supertest(app)
        .post(`/reviews/${reference}/assessments/equalityImpact`)
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .type('form')
        .send({ ...(withToken && { _form: formTokenFor(session) }), document: doc.body.id });
    };
    expect((await post(kim)).status).toBe(403);
    expect((await post(auditor)).status).toBe(403);
    expect((await post(OWNER, false)).status).toBe(403);
    expect((await asOwner(app).get(`/api/reviews/${reference}`)).body.assessments.equalityImpact.document).toBeUndefined();
    const sent = await post(OWNER);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/reviews/${reference}?done=assessment`);
    expect((await asOwner(app).get(`/api/reviews/${reference}`)).body.assessments.equalityImpact.document).toEqual({ id: doc.body.id, filename: 'eia.pdf' });
  });
});
