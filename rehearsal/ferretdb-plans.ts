// Rehearsal only: FerretDB on PostgreSQL answers Oversight's reads by _id from its _id index.
import { MongoClient } from 'mongodb';

const COLLECTION = 'rehearsal_plans';

/**
 * Every read of a case, a list page, a count and a timeline is a query on `_id` alone
 * (models/case-index.ts). FerretDB v1's PostgreSQL backend served none of them from the unique
 * `_id` index until scripts/patches/ferretdb-v1.24.2-3-postgresql-id-index.patch: each was a
 * sequential scan, and the rehearsal slowed with every case it opened. Checked before the
 * scenarios, on a scratch collection: a lookup, a range in order with a limit, and their answers.
 */
export async function checkIdPlans(uri: string): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const coll = client.db().collection<{ _id: string; n: number }>(COLLECTION);
    await coll.drop().catch(() => undefined);
    await coll.insertMany(Array.from({ length: 2_000 }, (_, n) => ({ _id: `plan|${String(n).padStart(5, '0')}`, n })));
    const problems: string[] = [];
    const usesIndex = (plan: unknown) => /"Index Name":"[^"]*__id_/.test(JSON.stringify(plan));

    const one = await coll.find({ _id: 'plan|01234' }).explain();
    if (!usesIndex(one)) problems.push(`a lookup by _id reads no index: ${JSON.stringify(one).slice(0, 400)}`);

    const range = () => coll.find({ _id: { $gte: 'plan|00100', $lt: 'plan|00200' } }).sort({ _id: -1 }).limit(3);
    const ranged = (await range().explain()) as Record<string, unknown>;
    if (!usesIndex(ranged)) problems.push(`a range of _id reads no index: ${JSON.stringify(ranged).slice(0, 400)}`);
    for (const pushed of ['filterPushdown', 'sortPushdown', 'limitPushdown']) {
      if (ranged[pushed] !== true) problems.push(`a range of _id in order with a limit: ${pushed} is ${String(ranged[pushed])}`);
    }

    const answers = (await range().toArray()).map((d) => d._id).join(',');
    if (answers !== 'plan|00199,plan|00198,plan|00197') problems.push(`a range of _id answered ${answers}`);
    const counted = await coll.countDocuments({ _id: { $gte: 'plan|00100', $lt: 'plan|00200' } });
    if (counted !== 100) problems.push(`a count of a range of _id answered ${counted}`);
    if ((await coll.findOne({ _id: 'plan|01234' }))?.n !== 1234) problems.push('a lookup by _id did not find its document');

    if (problems.length) throw new Error(`FerretDB on PostgreSQL does not use the _id index:\n  ${problems.join('\n  ')}`);
  } finally {
    await client.db().collection(COLLECTION).drop().catch(() => undefined);
    await client.close();
  }
}
