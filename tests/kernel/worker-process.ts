import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDataConverter } from '../../lib/payload-codec';
import { createModels } from '../../models';
import { connectDatabase } from '../../models/connection';
import { createWorker } from '../../worker/run';
import { quietRuntime } from '../helpers/env';

/**
 * The worker as a process of its own, for the test that kills it with SIGKILL mid-pass
 * (reconcile-restart.test.ts): worker/run.ts's createWorker, as worker/main.ts builds it, on the
 * workflow bundle the test built once (WORKFLOW_BUNDLE), so a second one starts in seconds.
 */
async function main(): Promise<void> {
  quietRuntime();
  const { MONGODB_URI, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE = 'default', TEMPORAL_TASK_QUEUE, WORKFLOW_BUNDLE } = process.env;
  const dataConverter = createDataConverter(process.env);
  const db = await connectDatabase(MONGODB_URI!);
  const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS! });
  const client = new Client({ connection: await Connection.connect({ address: TEMPORAL_ADDRESS! }), namespace: TEMPORAL_NAMESPACE, dataConverter });
  const worker = await createWorker({
    connection,
    namespace: TEMPORAL_NAMESPACE,
    taskQueue: TEMPORAL_TASK_QUEUE!,
    models: createModels(db),
    dataConverter,
    client,
    workflowBundle: { codePath: WORKFLOW_BUNDLE! },
  });
  process.once('SIGTERM', () => worker.shutdown());
  console.log('worker running');
  await worker.run();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
