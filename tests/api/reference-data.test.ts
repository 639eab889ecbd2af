import { setTimeout as delay } from 'node:timers/promises';
import mongoose from 'mongoose';
import { createReferenceData } from '../../api/reference-data';
import { createModels, Models } from '../../models';
import { seedReferenceData } from '../../models/seed';
import { testDatabase } from '../helpers/env';

let db: mongoose.Connection;
let models: Models;

const database = testDatabase('reference_data');

beforeAll(async () => {
  db = database.db;
  models = createModels(db);
  await seedReferenceData(db);
});

test('answers from the database, then from its copy until the TTL runs out', async () => {
  const data = createReferenceData(models, 200);
  expect(await data.isActiveProvider('RJ2')).toBe(true);
  expect(await data.isActiveProvider('ZZZ')).toBe(false);
  expect(await data.closureDates()).toEqual([]);

  await models.Provider.updateOne({ _id: 'RJ2' }, { $set: { active: false } });
  await models.ClosureDay.create({ _id: '2026-12-29', reason: 'Office move' });
  expect(await data.isActiveProvider('RJ2')).toBe(true); // the copy, within the TTL
  expect(await data.closureDates()).toEqual([]);

  await delay(250);
  expect(await data.isActiveProvider('RJ2')).toBe(false);
  expect(await data.closureDates()).toEqual(['2026-12-29']);

  await models.Provider.updateOne({ _id: 'RJ2' }, { $set: { active: true } });
  await models.ClosureDay.deleteMany({});
  data.clear();
  expect(await data.isActiveProvider('RJ2')).toBe(true);
  expect(await data.closureDates()).toEqual([]);
});

test('a known provider, active or not, is known from the copy; an unknown one is asked again, so one just added is found at once', async () => {
  const data = createReferenceData(models, 60_000);
  expect(await data.providerExists('RJ2')).toBe(true);
  await models.Provider.updateOne({ _id: 'RJ2' }, { $set: { active: false } });
  data.clear();
  expect(await data.providerExists('RJ2')).toBe(true); // deactivated: its plans are still followed up
  await models.Provider.updateOne({ _id: 'RJ2' }, { $set: { active: true } });

  expect(await data.providerExists('ZZ9')).toBe(false);
  await models.Provider.create({ _id: 'ZZ9', name: 'A provider added after the first look', kind: 'acute', active: true });
  expect(await data.providerExists('ZZ9')).toBe(true);
  const reads = jest.spyOn(models.Provider, 'findById');
  expect(await data.providerExists('ZZ9')).toBe(true); // now from the copy
  expect(reads).not.toHaveBeenCalled();
  reads.mockRestore();
  await models.Provider.deleteOne({ _id: 'ZZ9' });
});
