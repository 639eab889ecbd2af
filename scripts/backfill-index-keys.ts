import { backfillComplaintIndexKeys } from '../activities/complaint/backfill';
import { loadConfig, resolveConfig } from '../lib/config';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';

// npm run backfill:index-keys: once after a new case-index key layout (see activities/complaint/backfill.ts).
async function main(): Promise<void> {
  const db = await connectDatabase(resolveConfig(loadConfig()).MONGODB_URI);
  try {
    const result = await backfillComplaintIndexKeys(createModels(db));
    console.log(`complaints: ${result.checked} records checked, ${result.moved} given the index entries their fields put them under`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
