import { addCalendarMonths, addWorkingDays, londonDate } from '../../lib/calendar';
import { longDate } from '../../web/render';
import { asCaller, type Caller } from '../helpers/auth';
import { eventually } from '../helpers/harness';
import { browserApp } from '../pages/browser-app';
import type { AppPage, CasePage } from '../pages/page';

/**
 * The document pickers in a real browser against the real stack: a review's EIA picked on its
 * page from the documents uploaded to it, an action's evidence ticked from the plan's documents,
 * and a hostile pick (another case's document, a made-up id) answered by the form with its error
 * and nothing written; axe-core finds nothing on any of their pages.
 */

const product = browserApp('web_pickers');
const today = () => londonDate(Date.now());
/** As the local sign-in names them: a commissioner owns the reviews they change. */
const COMMISSIONER: Caller = { id: 'pat-commissioner-commissioner', name: 'Pat Commissioner', roles: ['commissioner'] };
const OFFICER: Caller = { id: 'sam-officer-quality_team', name: 'Sam Officer', roles: ['quality_team'] };
const asCommissioner = asCaller(COMMISSIONER);
const asOfficer = asCaller(OFFICER);
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<<>>\nendobj\n${text}\n%%EOF\n`, 'latin1');
const MADE_UP = '0123456789abcdef01234567';

async function scheduleReview(serviceName: string): Promise<string> {
  const res = await asCommissioner(product.h.app)
    .post('/api/reviews')
    .send({
      serviceName,
      whatChanged: 'Clinics moved from the acute site to three GP hubs',
      goLiveOn: addCalendarMonths(today(), -5),
      owner: { id: COMMISSIONER.id, name: COMMISSIONER.name },
      assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: false } },
      patientEngagement: 'Three listening events with Healthwatch',
    });
  expect(res.status).toBe(201);
  return res.body.reference as string;
}

/** Upload on the case page, as a person does. */
async function upload(kase: CasePage, kind: string, name: string): Promise<void> {
  await kase.select('Kind of document', kind);
  await kase.page.getByLabel('File').setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf(name.repeat(50)) });
  await kase.press('Add the document');
  await kase.page.waitForURL(/\?done=document/);
}

/** A document uploaded to another case, through the API: its id. */
async function elsewhere(api: ReturnType<typeof asCaller>, base: string, reference: string, kind: string): Promise<string> {
  const res = await api(product.h.app).post(`/api/${base}/${reference}/documents`).field('kind', kind).attach('file', pdf('another case'), 'other case.pdf');
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Make a picker offer `id` too (what a hostile browser can post), and pick it. */
async function pickHostile(at: AppPage, selector: string, id: string): Promise<void> {
  const picker = at.page.locator(selector);
  if ((await picker.evaluate((el) => el.tagName)) === 'SELECT') {
    await picker.evaluate((el, value) => el.insertAdjacentHTML('beforeend', `<option value="${value}">hostile</option>`), id);
    await picker.selectOption(id);
  } else {
    await picker.evaluate((el, value) => el.setAttribute('value', value), id);
    await picker.check();
  }
}

describe('six-month reviews', () => {
  test('a document uploaded to a review is picked on its page as the EIA; the page and the API record say so; a hostile pick is refused and writes nothing', async () => {
    const reference = await scheduleReview('Community diabetes clinic, Bexley');
    const other = await scheduleReview('Community podiatry, Bexley');
    const otherDoc = await elsewhere(asCommissioner, 'reviews', other, 'eia');

    const at = await product.signIn(COMMISSIONER.name, 'commissioner');
    const review = await product.caseAt(at, `/reviews/${reference}`);
    // Nothing uploaded yet: the page says so and links to its upload form.
    expect(await review.main()).toContain('No documents have been uploaded to this review yet');
    expect(await review.page.getByRole('link', { name: 'Upload a document on its page' }).getAttribute('href')).toBe(`/reviews/${reference}#documents`);
    await review.check('pickers-review-none');

    await upload(review, 'Equality impact assessment', 'eia.pdf');
    const eia = 'Which document is the equality impact assessment (EIA)';
    await review.select(eia, `eia.pdf, added ${longDate(today())}`);
    await review.check('pickers-review-forms');
    await review.press('Attach the equality impact assessment (EIA)');
    await review.page.waitForURL(new RegExp(`/reviews/${reference}\\?done=assessment$`));

    // The page: the EIA's row links to its document's download; the API's record holds it.
    const record = (await asCommissioner(product.h.app).get(`/api/reviews/${reference}`)).body as { assessments: Record<string, { document?: { id: string; filename: string } }> };
    const held = record.assessments.equalityImpact.document;
    expect(held?.filename).toBe('eia.pdf');
    const row = review.page.locator('.nhsuk-summary-list__row', { hasText: 'The equality impact assessment (EIA)' });
    expect(await row.getByRole('link', { name: 'eia.pdf' }).getAttribute('href')).toBe(`/documents/${held?.id}`);
    expect(record.assessments.qualityImpact.document).toBeUndefined();
    await review.check('pickers-review-attached');

    // Hostile: another review's document, then a made-up id, as the QIA; each answered by the form.
    const qia = '#f-qualityImpact-document';
    for (const [id, says] of [
      [otherDoc, `no document ${otherDoc} was uploaded to ${reference}`],
      [MADE_UP, `no document ${MADE_UP} was uploaded to ${reference}`],
      ['not-a-document', 'must be a document id'],
    ]) {
      await review.goto(`/reviews/${reference}`);
      await pickHostile(review, qia, id);
      await review.press('Attach the quality impact assessment (QIA)');
      await review.page.waitForURL(new RegExp(`/reviews/${reference}/assessments/qualityImpact$`));
      expect(await review.errors()).toContain(says);
      expect(await review.page.locator('#f-document-error').textContent()).toContain(says);
    }
    await review.check('pickers-review-hostile');
    const after = (await asCommissioner(product.h.app).get(`/api/reviews/${reference}`)).body as typeof record;
    expect(after.assessments.qualityImpact.document).toBeUndefined();
    expect(after.assessments.equalityImpact.document).toEqual(held);

    // The form page itself picks too: the engagement log, from the same list.
    await review.goto(`/reviews/${reference}/assessments/engagementLog`);
    await review.select('Which document is the engagement log', `eia.pdf, added ${longDate(today())}`);
    await review.check('pickers-review-form-page');
    await review.press('Attach the engagement log');
    await review.page.waitForURL(/\?done=assessment$/);
    expect((await asCommissioner(product.h.app).get(`/api/reviews/${reference}`)).body.assessments.engagementLog.document.id).toBe(held?.id);
  });
});

describe('action plans', () => {
  test('an action completed with a ticked uploaded document as evidence lists it; a hostile pick is refused and writes nothing', async () => {
    const plan = async () => {
      const res = await asOfficer(product.h.app)
        .post('/api/action-plans')
        .send({
          providerCode: 'RJ2',
          theme: 'accessible_information_standard',
          title: 'Accessible Information Standard',
          source: { kind: 'cqrg_meeting', meetingOn: today() },
          chair: { id: 'chris-chair-cqrg_chair', name: 'Chris Chair' },
          actions: [{ description: 'Easy read appointment letters', dueOn: addWorkingDays(today(), 20).due, owner: { id: 'jo-bloggs', name: 'Jo Bloggs' } }],
        });
      expect(res.status).toBe(201);
      return res.body.reference as string;
    };
    const reference = await plan();
    const other = await plan();
    const otherDoc = await elsewhere(asOfficer, 'action-plans', other, 'evidence');
    await eventually(async () => expect((await product.h.models.ActionPlan.findById(reference).lean())?.workflow).toBeTruthy());

    const at = await product.signIn(OFFICER.name, 'quality_team');
    const kase = await product.caseAt(at, `/action-plans/${reference}`);
    // Before any upload, the form says there is nothing to tick and where to upload.
    const empty = await kase.open('Submit evidence that an action is done');
    expect(await empty.main()).toContain('No documents have been uploaded to this plan yet');
    expect(await empty.page.getByRole('link', { name: 'Upload a document on its page' }).getAttribute('href')).toBe(`/action-plans/${reference}#documents`);
    await empty.check('pickers-plan-none');

    await kase.goto(`/action-plans/${reference}`);
    await upload(kase, 'Evidence', 'letters audit.pdf');
    const fill = async () => {
      const form = await kase.open('Submit evidence that an action is done');
      await form.fill('Action', '1');
      await form.date('Completed on', today());
      await form.fill('Description', 'Letters audited: 40 of 40 in easy read', form.group('Evidence 1', true));
      return form;
    };
    const notes = () => product.h.models.ActionPlanNote.countDocuments({});

    // Hostile first: the box's value changed to another plan's document, then a made-up id.
    for (const id of [otherDoc, MADE_UP]) {
      const before = await notes();
      const form = await fill();
      await pickHostile(form, 'input[name="documents"]', id);
      const refused = await form.refused();
      expect(refused).toContain(`no document ${id} was uploaded to ${reference}`);
      expect(await form.page.locator('#f-documents-error').textContent()).toContain(`no document ${id}`);
      if (id === MADE_UP) await form.check('pickers-plan-hostile');
      expect(await notes()).toBe(before);
      expect((await product.h.models.Action.findById(`${reference}:1`).lean())?.status).toBe('open');
      await kase.goto(`/action-plans/${reference}`);
    }

    const form = await fill();
    await form.choose('Evidence documents uploaded to this plan', `letters audit.pdf, added ${longDate(today())}`);
    await form.check('pickers-plan-complete');
    const done = await form.send();
    // The action lists the document it was completed with, linked to its download.
    await eventually(async () => {
      await done.goto(`/action-plans/${reference}`);
      expect(await done.row('Easy read appointment letters').getByRole('link', { name: 'letters audit.pdf' }).count()).toBe(1);
    });
    const api = (await asOfficer(product.h.app).get(`/api/action-plans/${reference}`)).body as { actions: { documents: { filename: string }[] }[] };
    expect(api.actions[0].documents.map((d) => d.filename)).toEqual(['letters audit.pdf']);
    await done.check('pickers-plan-evidence');
  });
});
