import { buildOpenApiDocument } from '../../api/openapi';
import { complaintsOpenApi } from '../../api/complaints/openapi';
import { reviewsOpenApi } from '../../api/reviews/openapi';
import { createComplaintBody } from '../../api/complaints/schemas';
import { recordReviewBody } from '../../contracts/review/inputs';
import { bodyFrom } from '../../web/form-body';
import { fieldNames, formFields, humanise, problemLinks, requestSchema, type OpenApiDocument } from '../../web/forms';

/** The pages' forms are the API's schemas: what a browser posts becomes the body the API takes. */
const doc = buildOpenApiDocument([complaintsOpenApi(), reviewsOpenApi()]) as unknown as OpenApiDocument;
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
});
