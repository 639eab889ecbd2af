import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { nhsNumber, seedComplaint } from './fixtures';

const quality = asCaller();
const commissioner = asCaller({ id: 'comm.1', name: 'Casey Commissioner', roles: ['commissioner'] });

let h: ApiHarness;
const today = () => londonDate(Date.now());
const pad = (n: number) => String(n).padStart(2, '0');
/** The day `months` calendar months before today (its day of the month at most 28, which every month has). */
function monthsBefore(months: number): string {
  const [y, m, d] = today().split('-').map(Number);
  const at = y * 12 + (m - 1) - months;
  return `${Math.floor(at / 12)}-${pad((at % 12) + 1)}-${pad(Math.min(d, 28))}`;
}
const NHS = nhsNumber('943476591');

beforeAll(async () => {
  h = await createApiHarness('search_intake');
  // The same patient's earlier complaints, received 24 and 25 months before today.
  await seedComplaint(h.models, 'CMP-2024-000024', { receivedOn: monthsBefore(24), providerCode: 'RJ2', patient: { name: 'Róisín Ní Bhriain', nhsNumber: NHS } });
  await seedComplaint(h.models, 'CMP-2023-000025', { receivedOn: monthsBefore(25), providerCode: 'RJ2', patient: { name: 'Róisín Ní Bhriain', nhsNumber: NHS } });
  // Another patient, same complainant, in another provider, 3 months ago; and a stranger.
  await seedComplaint(h.models, 'CMP-2026-000003', { receivedOn: addCalendarDays(today(), -92), providerCode: 'RJZ', complainant: { name: "Dara O'Brien" } });
  await seedComplaint(h.models, 'CMP-2026-000004', { receivedOn: addCalendarDays(today(), -30), complainant: { name: 'Someone Else' }, patient: { name: 'Another Patient', nhsNumber: nhsNumber('401023213') } });
}, 60_000);
afterAll(() => h?.teardown());

const body = (overrides: Record<string, unknown>) => ({ providerCode: 'RJ2', receivedAt: today(), source: 'complainant', summary: 'Again, the same ward', consentToShare: true, ...overrides });

describe('possibly related at intake', () => {
  test('a second complaint for the same NHS number shows the first within 24 months, not one after 25; without blocking', async () => {
    const res = await quality(h.app)
      .post('/api/complaints')
      .send(body({ complainant: { name: "Dara O'Brien" }, madeBy: 'representative', representative: { basis: 'patient_consent', relationship: 'friend', patientConsentOn: today() }, patient: { name: 'Roisin Ni Bhriain', nhsNumber: `${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)}` } }));
    expect(res.status).toBe(201);
    const related = res.body.possiblyRelated as { reference: string; monthsApart: number; sameProvider: boolean; matchedOn: string[] }[];
    expect(related.map((r) => r.reference)).toEqual(['CMP-2026-000003', 'CMP-2024-000024']);
    expect(related[1]).toMatchObject({ monthsApart: 24, sameProvider: true, matchedOn: ['nhs'], linked: false });
    expect(related[0]).toMatchObject({ sameProvider: false, matchedOn: ['complainant'] });
  });

  test('linking is one click and shows on both; the page of a role without personal details shows none of it', async () => {
    const created = await quality(h.app).post('/api/complaints').send(body({ madeBy: 'patient', patient: { name: 'Róisín Ní Bhriain', dateOfBirth: '1980-02-29', nhsNumber: NHS } }));
    const reference = created.body.reference as string;
    expect(created.body.possiblyRelated.map((r: { reference: string }) => r.reference)).toContain('CMP-2024-000024');
    const linked = await quality(h.app).post(`/api/complaints/${reference}/related`).send({ reference: 'CMP-2024-000024' });
    expect(linked.status).toBe(200);
    expect(linked.body.related).toEqual([{ kind: 'related_complaint', reference: 'CMP-2024-000024' }]);
    // Again: nothing changes.
    expect((await quality(h.app).post(`/api/complaints/${reference}/related`).send({ reference: 'CMP-2024-000024' })).body.related).toHaveLength(1);
    const mine = await quality(h.app).get(`/api/complaints/${reference}`);
    expect(mine.body.links).toContainEqual({ kind: 'related_complaint', reference: 'CMP-2024-000024' });
    expect(mine.body.possiblyRelated.find((r: { reference: string }) => r.reference === 'CMP-2024-000024')).toMatchObject({ linked: true });
    const theirs = await quality(h.app).get('/api/complaints/CMP-2024-000024');
    expect(theirs.body.links).toContainEqual({ kind: 'related_complaint', reference });
    const redacted = await commissioner(h.app).get(`/api/complaints/${reference}`);
    expect(redacted.body.possiblyRelated).toBeUndefined();
  });

  test('linking answers 400 for itself and 404 for a case that is not there', async () => {
    expect((await quality(h.app).post('/api/complaints/CMP-2026-000004/related').send({ reference: 'CMP-2026-000004' })).status).toBe(400);
    expect((await quality(h.app).post('/api/complaints/CMP-2026-000004/related').send({ reference: 'CMP-2026-999999' })).status).toBe(404);
    expect((await quality(h.app).post('/api/complaints/CMP-2026-000004/related').send({ reference: 'nope' })).body.error.details[0].field).toBe('body.reference');
    expect((await commissioner(h.app).post('/api/complaints/CMP-2026-000004/related').send({ reference: 'CMP-2026-000003' })).status).toBe(403);
  });
});
