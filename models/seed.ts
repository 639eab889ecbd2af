import { Connection } from 'mongoose';
import { providerModel } from './provider';

/** South-east London providers the Bexley and Bromley teams commission from. */
export const REFERENCE_PROVIDERS = [
  { _id: 'RJ2', name: "Lewisham and Greenwich NHS Trust", kind: 'acute' },
  { _id: 'RPG', name: 'Oxleas NHS Foundation Trust', kind: 'mental health and community' },
  { _id: 'RJZ', name: "King's College Hospital NHS Foundation Trust", kind: 'acute' },
  { _id: 'RJ1', name: "Guy's and St Thomas' NHS Foundation Trust", kind: 'acute' },
  { _id: 'RV5', name: 'South London and Maudsley NHS Foundation Trust', kind: 'mental health' },
] as const;

/** Insert the reference providers that are missing; never overwrites an edit. */
export async function seedReferenceData(connection: Connection): Promise<{ providersAdded: number }> {
  const result = await providerModel(connection).bulkWrite(
    REFERENCE_PROVIDERS.map(({ _id, ...fields }) => ({
      updateOne: {
        filter: { _id },
        // Mailboxes under the reserved .example domain: a local run's mail catcher shows them.
        update: { $setOnInsert: { ...fields, active: true, contactEmail: `quality@${_id.toLowerCase()}.provider.example` } },
        upsert: true,
      },
    })),
  );
  return { providersAdded: result.upsertedCount };
}
