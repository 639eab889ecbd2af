// Dev-only launcher (local runs, tests, bench, chaos) for the binaries scripts/install-tools.sh installs; not runtime code.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A server process this project started; stop() resolves once it has exited. */
export interface RunningServer {
  /** The server's process id, for the bench's CPU accounting. */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port (a tiny race remains until the server binds it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fails early with a readable message instead of letting a fixed-port server die on bind. */
export async function assertPortFree(port: number, host = '127.0.0.1', hint = ''): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`Port ${host}:${port} is not free (${err.code ?? err.message}).${hint ? ` ${hint}` : ''}`)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** True when something accepts TCP connections on host:port. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A server's Prometheus metrics as text, or undefined when it has none or does not answer within 5 s. */
export async function readMetrics(metricsUrl: string | undefined): Promise<string | undefined> {
  if (!metricsUrl) return undefined;
  try {
    return await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
  } catch {
    return undefined;
  }
}

/**
 * The sum of a metric's series in Prometheus text (`name` and `name{…}` lines; `name` is a regular
 * expression, so `a(?:_total)?` reads both spellings), or undefined when it has none.
 */
export function metricSum(text: string, name: string): number | undefined {
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
  return values.length ? values.reduce((sum, v) => sum + v, 0) : undefined;
}

export interface ChildServer {
  readonly name: string;
  readonly child: ChildProcess;
  /** Last lines the server printed, for error messages. */
  logTail(): string;
  /** Undefined while running; the exit description once it has exited. */
  exitStatus(): string | undefined;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process and its pipes are closed. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;

/**
 * Spawns a server with piped output (kept as a short tail, and appended to logFile if given).
 * The child is SIGKILLed if this process exits first, so a crashed test run or `npm start`
 * does not leave servers holding ports.
 */
/** Children still running, killed when this process exits: one 'exit' listener for them all. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function spawnServer(
  name: string,
  command: string,
  args: string[],
  logFile?: string,
  env: NodeJS.ProcessEnv = process.env,
): ChildServer {
  let log: WriteStream | undefined;
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  }
  const child = spawn(command, args, { detached: false, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let partial = '';
  const onOutput = (chunk: Buffer) => {
    log?.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    tail.push(...lines);
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  let status: string | undefined;
  running.add(child);
  // 'close' (not 'exit') fires after the stdio pipes are drained and closed: no handles left behind.
  const closed = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      status ??= `failed to start: ${err.message}`;
      resolve();
    });
    child.once('close', (code, signal) => {
      status ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  }).then(async () => {
    running.delete(child);
    const stream = log;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  });

  return {
    name,
    child,
    logTail: () => [...tail, partial].filter(Boolean).join('\n'),
    exitStatus: () => status,
    async stop(graceMs = 10_000) {
      if (status === undefined) {
        child.kill('SIGTERM');
        const ac = new AbortController();
        const timedOut = await Promise.race([
          closed.then(() => false),
          delay(graceMs, true, { signal: ac.signal }).catch(() => false),
        ]);
        ac.abort(); // cancels the grace timer so it does not hold the event loop open
        if (timedOut && status === undefined) child.kill('SIGKILL');
      }
      await closed;
    },
  };
}

/**
 * Polls probe() until it succeeds, the child exits, or timeoutMs passes. Errors carry the
 * server's last log lines because "did not start" alone is never enough to fix it.
 */
export async function waitUntilReady(
  server: ChildServer,
  probe: () => Promise<void>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const exited = server.exitStatus();
    if (exited !== undefined) {
      throw new Error(`${server.name} ${exited} before it was ready. Last output:\n${server.logTail()}`);
    }
    try {
      await probe();
      // A bound port could belong to another process if ours died on bind: confirm we are alive.
      if (server.exitStatus() === undefined) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      await server.stop(2_000);
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(
        `${server.name} was not ready after ${Math.round(timeoutMs / 1000)}s (last probe error: ${reason}). ` +
          `Last output:\n${server.logTail()}`,
      );
    }
    await delay(intervalMs);
  }
}
