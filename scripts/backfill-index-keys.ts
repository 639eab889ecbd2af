import { backfillComplaintIndexKeys } from '../activities/complaint/backfill';
import { backfillReviewProviderKeys } from '../activities/review/backfill';
import { backfillVisitIndexKeys } from '../activities/visit/backfill';
import { loadConfig, resolveConfig } from '../lib/config';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';

// npm run backfill:index-keys: once after a new case-index key layout (see activities/complaint/backfill.ts).
async function main(): Promise<void> {
  const db = await connectDatabase(resolveConfig(loadConfig()).MONGODB_URI);
  try {
    const models = createModels(db);
    const result = await backfillComplaintIndexKeys(models);
    console.log(`complaints: ${result.checked} records checked, ${result.moved} given the index entries their fields put them under`);
    const visits = await backfillVisitIndexKeys(models);
    console.log(`visits: ${visits.checked} records checked, ${visits.moved} given the index entries their fields put them under`);
    const reviews = await backfillReviewProviderKeys(models);
    console.log(`reviews: ${reviews.checked} naming a provider, each given its provider's entry`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
