import mongoose, { Schema } from 'mongoose';
import { isFerretDb, olderThan, updateIfNewer } from '../../models/connection';
import { testDatabase } from '../helpers/env';

/** The versioned write every projection uses: forward only, on MongoDB and on FerretDB. */
const docSchema = new Schema({ _id: String, status: String, version: Number }, { versionKey: false, timestamps: true });
const docModel = (connection: mongoose.Connection) => connection.model('Doc', docSchema);
let db: mongoose.Connection;
let Doc: ReturnType<typeof docModel>;

const database = testDatabase('update_if_newer');

beforeAll(async () => {
  db = database.db;
  Doc = docModel(db);
});

beforeEach(async () => {
  await Doc.deleteMany({});
  await Doc.create({ _id: 'A', status: 'received', version: 0 });
});

test('a newer version is written, with the schema timestamps', async () => {
  const before = (await Doc.findById('A').lean<{ updatedAt: Date }>())!.updatedAt;
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await updateIfNewer(Doc, 'A', 'version', 1, { status: 'acknowledged' })).toBe(true);
  const after = await Doc.findById('A').lean<{ status: string; version: number; updatedAt: Date }>();
  expect(after).toMatchObject({ status: 'acknowledged', version: 1 });
  expect(after!.updatedAt.getTime()).toBeGreaterThan(before.getTime());
});

test('the same or an older version changes nothing', async () => {
  await updateIfNewer(Doc, 'A', 'version', 3, { status: 'responded' });
  expect(await updateIfNewer(Doc, 'A', 'version', 3, { status: 'retried' })).toBe(false);
  expect(await updateIfNewer(Doc, 'A', 'version', 2, { status: 'late' })).toBe(false);
  expect(await Doc.findById('A').lean()).toMatchObject({ status: 'responded', version: 3 });
});

test('a missing document is not created', async () => {
  expect(await updateIfNewer(Doc, 'B', 'version', 1, { status: 'acknowledged' })).toBe(false);
  expect(await Doc.countDocuments()).toBe(1);
});

test('a document without a version yet takes any version', async () => {
  await Doc.collection.insertOne({ _id: 'C' as never, status: 'imported' });
  expect(await updateIfNewer(Doc, 'C', 'version', 0, { status: 'received' })).toBe(true);
  expect(await Doc.findById('C').lean()).toMatchObject({ status: 'received', version: 0 });
});

test('forty versions written at once in any order: the newest is what stays, with its own fields', async () => {
  // Before FerretDB's fourth patch the check and the write were two steps there: two writers
  // passed the check and the older one landed last (seen: version 40 overwritten by 16).
  for (let round = 0; round < 5; round++) {
    await Doc.updateOne({ _id: 'A' }, { $set: { status: 'received', version: 0 } });
    const versions = Array.from({ length: 40 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(versions.map((v) => updateIfNewer(Doc, 'A', 'version', v, { status: `s${v}` })));
    expect(await Doc.findById('A').lean()).toMatchObject({ status: 's40', version: 40 });
  }
});

test('olderThan, the filter of the one atomic update, matches what it should', async () => {
  await Doc.collection.insertMany([
    { _id: 'V1' as never, version: 1 },
    { _id: 'V2' as never, version: 2 },
    { _id: 'NONE' as never },
  ]);
  const matching = await Doc.find(olderThan('version', 2), { _id: 1 }).sort({ _id: 1 }).lean();
  expect(matching.map((d) => d._id)).toEqual(['A', 'NONE', 'V1']);
});

test('isFerretDb asks the server once per connection', async () => {
  const info = await db.db!.admin().command({ buildInfo: 1 });
  const first = isFerretDb(db);
  expect(isFerretDb(db)).toBe(first);
  expect(await first).toBe('ferretdbVersion' in info);
});
