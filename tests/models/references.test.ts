import mongoose from 'mongoose';
import { ReferenceAllocator, referenceBlockModel } from '../../models/references';
import { testDatabase } from '../helpers/env';

let db: mongoose.Connection;
let Blocks: ReturnType<typeof referenceBlockModel>;

const database = testDatabase('references');

beforeAll(async () => {
  db = database.db;
  Blocks = referenceBlockModel(db);
  await Blocks.createIndexes();
});

beforeEach(() => Blocks.deleteMany({}));

const take = (allocator: ReferenceAllocator, n: number, series = 'complaint:2026') =>
  Promise.all(Array.from({ length: n }, () => allocator.next(series)));

test('one process numbers 1, 2, 3 … and claims one block per 20 numbers', async () => {
  const allocator = new ReferenceAllocator(Blocks);
  expect(await allocator.next('complaint:2026')).toBe(1);
  expect(await allocator.next('complaint:2026')).toBe(2);
  const rest = await take(allocator, 48); // concurrent callers share each claim
  expect(rest.sort((a, b) => a - b)).toEqual(Array.from({ length: 48 }, (_, i) => i + 3));
  expect(await Blocks.countDocuments({ series: 'complaint:2026' })).toBe(3);
});

test('processes sharing a database never hand out the same number', async () => {
  const processes = Array.from({ length: 4 }, () => new ReferenceAllocator(Blocks));
  const numbers = (await Promise.all(processes.map((p) => take(p, 70)))).flat();
  expect(new Set(numbers).size).toBe(280);
  expect(Math.min(...numbers)).toBe(1);
});

test('each series counts on its own', async () => {
  const allocator = new ReferenceAllocator(Blocks);
  await allocator.next('complaint:2026');
  expect(await allocator.next('complaint:2027')).toBe(1);
  expect(await allocator.next('complaint:2026')).toBe(2);
});

test('a number found taken gives up the rest of its block', async () => {
  const allocator = new ReferenceAllocator(Blocks);
  const first = await allocator.next('complaint:2026');
  allocator.discard('complaint:2026', first);
  expect(await allocator.next('complaint:2026')).toBe(21);
  allocator.discard('complaint:2026', first); // a number from an older block: keeps the current one
  expect(await allocator.next('complaint:2026')).toBe(22);
});

test('a restarted process starts after every block claimed before', async () => {
  await take(new ReferenceAllocator(Blocks), 3);
  expect(await new ReferenceAllocator(Blocks).next('complaint:2026')).toBe(21);
});
