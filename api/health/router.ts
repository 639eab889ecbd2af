import { openRouter } from '../auth/routes';
import { Client } from '@temporalio/client';
import { Router } from 'express';
import { Connection } from 'mongoose';

/** How long readiness waits for each of the database and Temporal: a load balancer's check must wait longer. */
export const READINESS_PROBE_MS = 3_000;

/** Liveness says the process answers; readiness says its database and Temporal do too. */
export function healthRouter(deps: { db: Connection; temporal: Client; timeoutMs?: number }): Router {
  const router = openRouter();
  const timeoutMs = deps.timeoutMs ?? READINESS_PROBE_MS;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await probe();
        return 'ok';
      } catch {
        return 'unreachable';
      }
    };
    const [database, temporal] = await Promise.all([
      check(() => withTimeout(deps.db.db!.command({ ping: 1 }), timeoutMs)),
      check(() => deps.temporal.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({}))),
    ]);
    const ready = database === 'ok' && temporal === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { database, temporal } });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
