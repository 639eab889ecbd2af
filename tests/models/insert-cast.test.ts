import mongoose, { Schema } from 'mongoose';
import { insertCast, isDuplicateKey } from '../../models/connection';
import { testDatabase } from '../helpers/env';

/** The lean insert that opens a case: what Model.create would store, for a third of the CPU. */
const caseSchema = new Schema(
  { _id: String, count: Number, tags: { type: [String], default: [] }, version: { type: Number, default: -1 }, when: Date },
  { versionKey: false, timestamps: true },
);
let db: mongoose.Connection;
let Case: ReturnType<typeof caseModel>;
const caseModel = (connection: mongoose.Connection) => connection.model('Case', caseSchema);

const database = testDatabase('insert_cast');

beforeAll(async () => {
  db = database.db;
  Case = caseModel(db);
});

test('stores the document as create would: cast, defaulted and timestamped', async () => {
  const stored = await insertCast(Case, { _id: 'A', count: '3', when: '2026-11-23T09:00:00.000Z' });
  const read = await Case.findById('A').lean();
  expect(read).toMatchObject({ _id: 'A', count: 3, tags: [], version: -1, when: new Date('2026-11-23T09:00:00.000Z') });
  expect(read!.createdAt).toBeInstanceOf(Date);
  expect(read!.updatedAt).toEqual(read!.createdAt);
  expect(stored).toMatchObject({ count: 3, tags: [], version: -1 });
  const created = (await Case.create({ _id: 'B', count: 3, when: '2026-11-23T09:00:00.000Z' })).toObject();
  const { createdAt: _c, updatedAt: _u, _id: _a, ...viaInsert } = read!;
  const { createdAt: _c2, updatedAt: _u2, _id: _b, ...viaCreate } = created;
  expect(viaInsert).toEqual(viaCreate);
});

test('a value the schema cannot cast is refused, and a duplicate _id is a duplicate key', async () => {
  await expect(insertCast(Case, { _id: 'C', count: 'many' })).rejects.toThrow(/count/);
  expect(await Case.countDocuments({ _id: 'C' })).toBe(0);
  await insertCast(Case, { _id: 'D' });
  const duplicate = await insertCast(Case, { _id: 'D' }).catch((err: unknown) => err);
  expect(isDuplicateKey(duplicate)).toBe(true);
});
