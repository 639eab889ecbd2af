// Rehearsal only: Debian's HAProxy in front of the API instances, as a commissioner's load balancer would be.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canConnect, spawnServer, waitUntilReady, type ChildServer } from '../dev-servers/process';
import { repoRoot } from '../dev-servers/tools';

/** How long HAProxy waits for /readyz's answer: above the API's readiness probes' own limit (3 s). */
export const CHECK_TIMEOUT_S = 4;

/**
 * Health checks on /readyz every second, a server out after 2 failures and back after 2
 * successes; a refused connection is retried once on the other server (redispatch), which only
 * happens before a request is sent, so it never sends a POST twice. With no server up, the
 * proxy's own 503 carries Retry-After and the API's error shape, as the API's own 503 does.
 */
export function haproxyConfig(port: number, apiPorts: number[], errorFile: string): string {
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  # Above the API's own readiness budget (3 s a probe): without it a check times out at \`inter\`
  # (1 s), and under load both APIs, alive but answering /readyz in a second, dropped out together.
  timeout check ${CHECK_TIMEOUT_S}s
  retries 1
  option redispatch
  errorfile 503 ${errorFile}
frontend api
  bind 127.0.0.1:${port}
  default_backend apis
backend apis
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 maxconn 64
${apiPorts.map((p, i) => `  server api${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

const ERROR_503 = [
  'HTTP/1.0 503 Service Unavailable',
  'Cache-Control: no-cache',
  'Connection: close',
  'Content-Type: application/json',
  'Retry-After: 5',
  '',
  '{"error":{"code":"unavailable","message":"no API instance is ready; try again shortly"}}',
  '',
].join('\r\n');

export class HaProxy {
  private server?: ChildServer;

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly apiPorts: number[],
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const errorFile = path.join(this.dir, 'haproxy-503.http');
    writeFileSync(errorFile, ERROR_503);
    const config = path.join(this.dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(this.port, this.apiPorts, errorFile));
    // -db: in the foreground, not as a daemon, so it is this process's child to stop.
    this.server = spawnServer('HAProxy', path.join(repoRoot(), '.tools', 'bin', 'haproxy'), ['-f', config, '-db'], this.logFile);
    await waitUntilReady(this.server, async () => {
      if (!(await canConnect(this.port))) throw new Error('not listening');
    }, 20_000);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop(5_000);
  }
}
