import { loadConfig, resolveConfig } from '../lib/config';
import { startApi } from './server';

// The production API process (docker-compose `api` service).
async function main(): Promise<void> {
  const api = await startApi(resolveConfig(loadConfig()));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      api.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
