// Rehearsal only: Debian's PostgreSQL in a temporary data directory, no system service.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canConnect, spawnServer, waitUntilReady, type ChildServer } from '../dev-servers/process';
import { repoRoot } from '../dev-servers/tools';

const bin = (name: string) => path.join(repoRoot(), '.tools', 'bin', name);

/**
 * PostgreSQL refuses to run as root (initdb says so): as root the server runs as `nobody`, its
 * data directory given to that user; as anyone else, as the current user.
 */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', command, ...args]];
}

function nobodyIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export class Postgres {
  private server?: ChildServer;

  /** `temporal` is the superuser, as compose's POSTGRES_USER; loopback connections are trusted. */
  readonly user = 'temporal';

  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly logFile: string,
  ) {}

  url(database: string): string {
    return `postgres://${this.user}@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb once: a cluster of its own, trusting loopback, sized for a rehearsal. */
  init(): void {
    mkdirSync(this.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const { uid, gid } = nobodyIds();
      chownSync(this.dir, uid, gid);
    }
    const [cmd, args] = asServerUser(bin('initdb'), ['-D', this.dir, '-U', this.user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // max_connections: 2 Temporal processes' pools, FerretDB's pool and the SQL tool, with room.
    writeFileSync(
      path.join(this.dir, 'postgresql.auto.conf'),
      ['max_connections = 300', 'shared_buffers = 256MB', 'fsync = on', 'synchronous_commit = on', "unix_socket_directories = ''", "listen_addresses = '127.0.0.1'", ''].join('\n'),
    );
  }

  async start(): Promise<void> {
    const [cmd, args] = asServerUser(bin('postgres'), ['-D', this.dir, '-p', String(this.port)]);
    const server = spawnServer('PostgreSQL', cmd, args, this.logFile);
    this.server = server;
    await waitUntilReady(server, async () => {
      if (!(await canConnect(this.port))) throw new Error('not listening');
      execFileSync(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user], { stdio: 'ignore' });
    }, 60_000);
  }

  /**
   * Immediate shutdown (SIGQUIT): every backend is dropped at once and the next start recovers
   * from the WAL, as after a crash; unlike SIGKILL it leaves no orphaned backend holding the port.
   */
  async crash(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.child.kill('SIGQUIT');
    await server.stop(10_000);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // SIGTERM is PostgreSQL's smart shutdown, which waits for clients: SIGINT (fast) does not.
    server?.child.kill('SIGINT');
    await server?.stop(10_000);
  }
}
