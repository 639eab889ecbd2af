import { buildOpenApiDocument } from '../../api/openapi';
import { complaintsOpenApi } from '../../api/complaints/openapi';
import { reviewsOpenApi } from '../../api/reviews/openapi';
import { actionPlansOpenApi } from '../../api/action-plans/openapi';
import { completeActionBody } from '../../contracts/action-plan/inputs';
import { createComplaintBody } from '../../api/complaints/schemas';
import { recordReviewBody } from '../../contracts/review/inputs';
import { bodyFrom } from '../../web/form-body';
import { fieldNames, formFields, humanise, problemLinks, requestSchema, shownBeside, type OpenApiDocument } from '../../web/forms';

/** The pages' forms are the API's schemas: what a browser posts becomes the body the API takes. */
const doc = buildOpenApiDocument([complaintsOpenApi(), reviewsOpenApi(), actionPlansOpenApi()]) as unknown as OpenApiDocument;
const complaint = requestSchema(doc, 'POST', '/api/complaints');
const review = requestSchema(doc, 'POST', '/api/reviews/{reference}/record');

describe('bodyFrom', () => {
  test('dates from their three parts, yes/no as booleans, nested groups, and nothing for what was left empty', () => {
    const body = bodyFrom(complaint, {
      providerCode: 'RJ1',
      'receivedAt[day]': '3',
      'receivedAt[month]': '11',
      'receivedAt[year]': '2026',
      source: 'mp',
      summary: 'Waited nine hours',
      consentToShare: 'false',
      'complainant.name': 'Alex Example',
      'complainant.email': '',
      communicationNeeds: ['large_print', 'braille'],
      'matterOccurredOn[day]': '',
      'matterOccurredOn[month]': '',
      'matterOccurredOn[year]': '',
      _form: 'token',
    }, doc);
    expect(body).toEqual({
      providerCode: 'RJ1',
      receivedAt: '2026-11-03',
      source: 'mp',
      summary: 'Waited nine hours',
      consentToShare: false,
      complainant: { name: 'Alex Example' },
      communicationNeeds: ['large_print', 'braille'],
    });
    expect(createComplaintBody.safeParse(body).success).toBe(true);
  });

  test('rows of a list: empty rows dropped, the rest kept in order; a date that is no date reaches the schema as typed', () => {
    const body = bodyFrom(review, {
      'reviewedOn[day]': '31',
      'reviewedOn[month]': '2',
      'reviewedOn[year]': '2026',
      'effects.access': 'a',
      'effects.outcomes': 'b',
      'effects.experience': 'c',
      'youSaidWeDid.0.youSaid': '',
      'youSaidWeDid.0.weDid': '',
      'youSaidWeDid.1.youSaid': 'Too far',
      'youSaidWeDid.1.weDid': 'Nearer hubs',
    }, doc);
    expect(body).toEqual({ reviewedOn: '2026-02-31', effects: { access: 'a', outcomes: 'b', experience: 'c' }, youSaidWeDid: [{ youSaid: 'Too far', weDid: 'Nearer hubs' }] });
    const parsed = recordReviewBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['reviewedOn']);
  });
});

describe('formFields', () => {
  test('each problem beside its field, in the design system’s words when the field was left empty; the summary links to the field', () => {
    const fields = formFields(doc, complaint, { providerCode: 'rj1!' }, [
      { field: 'body.providerCode', reason: 'must be an ODS code such as RJ2' },
      { field: 'body.receivedAt', reason: 'Invalid input: expected string, received undefined' },
      { field: 'body.source', reason: 'Invalid option: expected one of "complainant"|"mp"' },
    ], { labels: { receivedAt: 'Date received', providerCode: 'Provider ODS code' } });
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('providerCode')).toMatchObject({ kind: 'text', value: 'rj1!', error: 'must be an ODS code such as RJ2', optional: false });
    expect(byName.get('receivedAt')).toMatchObject({ kind: 'date', error: 'Enter date received' });
    expect(byName.get('source')).toMatchObject({ kind: 'choice', error: 'Select source' });
    expect(byName.get('category')).toMatchObject({ optional: true });
    expect(problemLinks(fields)).toEqual([
      { text: 'Provider ODS code: must be an ODS code such as RJ2', href: '#f-providerCode' },
      { text: 'Enter date received', href: '#f-receivedAt-day' },
      { text: 'Select source', href: '#f-source' },
    ]);
    expect(fieldNames(fields)).toContain('complainant.name');
  });

  test('a yes/no the schema allows only one answer to (an extension’s agreement, literal true) is a yes/no question; "yes" is the body’s true', () => {
    const extend = requestSchema(doc, 'POST', '/api/complaints/{reference}/extend');
    const agreed = formFields(doc, extend, {}, []).find((f) => f.name === 'complainantAgreed');
    expect(agreed).toMatchObject({ kind: 'boolean', options: [{ value: 'true', text: 'Yes' }, { value: 'false', text: 'No' }] });
    expect(bodyFrom(extend, { complainantAgreed: 'true' }, doc)).toEqual({ complainantAgreed: true });
  });

  test('labels read as words, with the NHS’s capitals', () => {
    expect(humanise('nhsNumber')).toBe('NHS number');
    expect(humanise('mp_on_behalf')).toBe('MP on behalf');
    expect(humanise('acknowledgedOn')).toBe('Acknowledged on');
  });

  test('documents picked from those the page lists: one in a select, a list as a box to tick for each; a problem with one of them beside the picker', () => {
    const docs = [{ value: '6751a0c2e4b0a1b2c3d4e5f6', text: 'audit.pdf, added 3 December 2026' }, { value: '6751a0c2e4b0a1b2c3d4e5f7', text: 'minutes.pdf, added 4 December 2026' }];
    const complete = requestSchema(doc, 'POST', '/api/action-plans/{reference}/complete-action');
    const posted = { action: '1', 'completedOn[day]': '3', 'completedOn[month]': '12', 'completedOn[year]': '2026', 'evidence.0.description': 'Audited', documents: [docs[0].value, 'ffffffffffffffffffffffff'] };
    const body = bodyFrom(complete, posted, doc);
    expect(body).toEqual({ action: 1, completedOn: '2026-12-03', evidence: [{ description: 'Audited' }], documents: [docs[0].value, 'ffffffffffffffffffffffff'] });
    expect(completeActionBody.safeParse(body).success).toBe(true);
    // One box ticked posts a single value: still a list.
    expect(bodyFrom(complete, { ...posted, documents: docs[1].value }, doc).documents).toEqual([docs[1].value]);

    const problem = { field: 'body.documents.1', reason: 'no document ffffffffffffffffffffffff was uploaded to CAP-2026-000001' };
    const fields = formFields(doc, complete, posted, [problem], { pick: { documents: docs }, labels: { documents: 'Evidence documents' } });
    const picker = fields.find((f) => f.name === 'documents');
    expect(picker).toMatchObject({ kind: 'choices', options: docs, value: posted.documents, error: problem.reason });
    expect(shownBeside(fields, 'documents.1')).toBe(true);
    expect(shownBeside(fields, 'evidence.1')).toBe(false);

    const assessment = requestSchema(doc, 'PUT', '/api/reviews/{reference}/assessments/{assessment}');
    const [one] = formFields(doc, assessment, {}, [{ field: 'body.document', reason: 'Invalid input: expected string, received undefined' }], { pick: { document: docs }, labels: { document: 'Which document is the EIA' } });
    expect(one).toMatchObject({ kind: 'choice', select: true, options: docs, error: 'Select which document is the EIA' });
  });
});
