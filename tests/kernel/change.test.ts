import { applyChange, changeBetween, fingerprint } from '../../workflows/kernel/change';

/**
 * The change a transition's write is given (workflows/kernel/change.ts): as large as what moved,
 * and applied to the state the record holds it gives exactly the workflow's state, key order too.
 */
const moved = (before: object, after: object) => changeBetween(fingerprint(before), fingerprint(after), after);
const roundTrip = (before: object, after: object) => expect(JSON.stringify(applyChange(before, moved(before, after)))).toBe(JSON.stringify(after));

const plan = (n: number) => ({
  reference: 'CAP-2026-000001',
  status: 'in_progress',
  actions: Array.from({ length: n }, (_, i) => ({ n: i + 1, status: 'open', updates: 0 })),
  deadlines: Object.fromEntries(Array.from({ length: n }, (_, i) => [`action:${i + 1}`, { dueOn: '2027-01-29', reminders: ['2027-01-27T09:00:00.000Z'] }])),
});

test('one action updated: only the fields of that action that moved, whatever the size of the plan', () => {
  for (const n of [10, 200]) {
    const before = plan(n);
    const after = structuredClone(before);
    after.actions[3].updates = 1;
    Object.assign(after.actions[3], { lastUpdate: { on: '2027-01-04', note: 'note:1' } });
    expect(moved(before, after)).toEqual({ set: [[['actions', '3', 'updates'], 1], [['actions', '3', 'lastUpdate'], { on: '2027-01-04', note: 'note:1' }]] });
    roundTrip(before, after);
  }
});

test('fields, elements and records added, changed and removed', () => {
  const before = { ...plan(3), note: 'x' } as Record<string, unknown> & ReturnType<typeof plan>;
  const after = structuredClone(before);
  after.status = 'awaiting_sign_off';
  delete after.note;
  after.actions.push({ n: 4, status: 'open', updates: 0 });
  delete after.deadlines['action:2'];
  after.deadlines['action:4'] = { dueOn: '2027-02-01', reminders: [] };
  Object.assign(after, { signedOffOn: '2027-02-02', hold: { on: '2027-01-01' } });
  const change = moved(before, after);
  expect(change.set?.map(([path]) => path.join('.'))).toEqual(['status', 'actions.3', 'deadlines.action:4', 'signedOffOn', 'hold']);
  expect(change.unset).toEqual([['deadlines', 'action:2'], ['note']]);
  roundTrip(before, after);
});

test('a list that shrank, a record whose keys moved, or a field that changed kind is written whole', () => {
  const before = plan(3);
  const shrank = { ...structuredClone(before), actions: before.actions.slice(0, 2) };
  expect(moved(before, shrank).set?.map(([p]) => p.join('.'))).toEqual(['actions']);
  roundTrip(before, shrank);
  // Deleted and added again: last in the workflow's record, so last in the record written too.
  const reordered = structuredClone(before);
  const d = reordered.deadlines['action:1'];
  delete reordered.deadlines['action:1'];
  reordered.deadlines['action:1'] = { ...d, dueOn: '2027-03-01' };
  expect(moved(before, reordered).set?.map(([p]) => p.join('.'))).toEqual(['deadlines']);
  roundTrip(before, reordered);
  const kind = { ...structuredClone(before), status: ['a'] };
  roundTrip(before, kind);
});

test('nothing moved: an empty change', () => {
  expect(moved(plan(5), plan(5))).toEqual({});
});

const allKeys = (o: object): string[] => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? [...Object.keys(v), ...allKeys(v)] : []));

test('applied changes follow the workflow through many random steps', () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
  let state: ReturnType<typeof plan> & Record<string, unknown> = plan(5);
  let record = structuredClone(state);
  for (let step = 0; step < 300; step++) {
    const next = structuredClone(state);
    const k = random(8);
    if (k === 0) next.actions.push({ n: next.actions.length + 1, status: 'open', updates: 0 });
    if (k === 1 && next.actions.length) next.actions[random(next.actions.length)].updates += 1;
    if (k === 2) delete next.deadlines[`action:${random(10)}`];
    if (k === 3) next.deadlines[`action:${random(10)}`] = { dueOn: `2027-01-${10 + random(18)}`, reminders: [] };
    if (k === 4) next.status = ['in_progress', 'awaiting_sign_off'][random(2)];
    if (k === 5) next[`f${random(3)}`] = random(2) ? step : undefined;
    // An element's own fields: added, changed, removed, and removed then added again (last).
    const a = next.actions[random(next.actions.length)] as Record<string, unknown>;
    if (k === 6) a[['evidence', 'rag', 'n'][random(3)]] = random(2) ? [step] : undefined;
    if (k === 7) {
      const { status, ...rest } = a;
      for (const key of Object.keys(a)) delete a[key];
      Object.assign(a, rest, { status });
    }
    record = applyChange(record, changeBetween(fingerprint(state), fingerprint(next), next));
    state = next;
    // Top-level fields are read by name; lists and records keep their order.
    expect(JSON.stringify(record, Object.keys(record).sort().concat(allKeys(record)))).toBe(JSON.stringify(state, Object.keys(state).sort().concat(allKeys(state))));
  }
});
