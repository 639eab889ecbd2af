import { loadConfig, resolveConfig } from '../lib/config';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';
import { reindex } from '../records/search/reindex';
import { SEARCH_SOURCES } from '../api/services';

// npm run reindex [-- --fresh]: the search index rebuilt from the records (records/search/reindex.ts).
async function main(): Promise<void> {
  const db = await connectDatabase(resolveConfig(loadConfig()).MONGODB_URI);
  try {
    const fresh = process.argv.includes('--fresh');
    const counts = await reindex(createModels(db), SEARCH_SOURCES, { fresh, log: (line) => console.log(line) });
    console.log(`search index ${fresh ? 'rebuilt' : 'brought up to the records'}: ${Object.entries(counts).map(([p, n]) => `${n} ${p}`).join(', ')}`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
