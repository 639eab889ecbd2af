import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/harness';
import { londonDate } from '../../lib/calendar';
import { RECONCILE_WORKFLOW_TYPE, type ReconcileSummary } from '../../contracts/kernel/reconcile';

/**
 * A worker killed mid-projection leaves the search index behind the records (entries added and not
 * named, or named and then lost); the reconciler checks each case it examines against its records
 * and writes the index again, so it converges.
 */
let h: ApiHarness;
const request = asCaller();

beforeAll(async () => {
  h = await createApiHarness('search_reconcile');
});
afterAll(() => h?.teardown());

async function open(name: string): Promise<string> {
  const res = await request(h.app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: londonDate(Date.now()), source: 'complainant', summary: 'Letters never arrived', consentToShare: true, complainant: { name } });
  expect(res.status).toBe(201);
  await eventually(async () => expect((await h.models.Complaint.findById(res.body.reference, { searchKeys: 1 }).lean())?.searchKeys?.length).toBeGreaterThan(0));
  return res.body.reference;
}

async function reconcile() {
  const handle = await h.env.client.workflow.start(RECONCILE_WORKFLOW_TYPE, { workflowId: `reconcile-search-${Date.now()}`, taskQueue: h.taskQueue, args: [{ process: 'complaint', scope: 'full', graceSeconds: 0 }] });
  const summary = (await handle.result()) as ReconcileSummary;
  const report = (await h.models.Reconciliation.findById(summary.id).lean())!;
  return { report, found: (report.findings as { reference: string; problem: string }[]).filter((f) => f.problem === 'search_index_behind').map((f) => f.reference).sort() };
}

const found = async (q: string) => ((await request(h.app).get('/api/search').query({ q })).body.items as { reference: string }[]).map((i) => i.reference);

test('entries lost, or a name changed with no index write after it, are found and written again; the next run finds nothing', async () => {
  const lost = await open('Aoife Ní Dhomhnaill');
  const renamed = await open('Oluwaseun Adeyemi');
  // As a worker killed mid-move leaves them: the record names entries the index no longer has.
  await h.models.SearchIndex.deleteMany({ _id: { $regex: `^[nt]\\|.*\\|${lost}$` } });
  // And a record changed whose index write never ran.
  await h.models.Complaint.updateOne({ _id: renamed }, { $set: { 'complainant.name': 'Oluwaseun Adeyemi-Cole' } }, { timestamps: false });
  expect(await found('aoife')).toEqual([]);
  expect(await found('cole')).toEqual([]);

  const first = await reconcile();
  expect(first.found).toEqual([lost, renamed].sort());
  expect(first.report.explained.search_index_behind).toMatch(/written again from the records/);
  expect(await found('aoife')).toEqual([lost]);
  expect(await found('cole')).toEqual([renamed]);
  expect((await reconcile()).found).toEqual([]);
});
