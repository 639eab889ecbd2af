import { loadConfig, resolveConfig } from '../lib/config';
import { startWorker } from './run';

// The production worker process (docker-compose `worker` service).
async function main(): Promise<void> {
  const worker = await startWorker(resolveConfig(loadConfig()));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void worker.shutdown());
  }
  await worker.done;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
