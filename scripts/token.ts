/**
 * `npm run token -- --role <role> [--role <role>] --name <name> [--id <id>] [--hours <n>]`:
 * prints a bearer token signed with the local key (.data/auth/, made on first use), for local runs
 * only. Production tokens come from the OIDC issuer (AUTH_JWKS_URL).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { ROLES } from '../api/auth/roles';
import { loadOrCreateLocalKey, signLocalToken } from '../api/auth/tokens';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      name: { type: 'string' },
      id: { type: 'string' },
      hours: { type: 'string', default: '8' },
    },
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!roles.length || unknown.length || !values.name) {
    process.stderr.write(`usage: npm run token -- --role <${ROLES.join('|')}> --name "<name>" [--id <id>] [--hours 8]\n`);
    if (unknown.length) process.stderr.write(`unknown role: ${unknown.join(', ')}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  if (config.AUTH_JWKS_URL) {
    process.stderr.write('AUTH_JWKS_URL is set: tokens come from the OIDC issuer, not from here\n');
    process.exit(2);
  }
  const key = await loadOrCreateLocalKey(path.resolve(config.AUTH_LOCAL_KEY_FILE));
  const id = values.id ?? values.name.toLowerCase().replace(/[^a-z0-9]+/g, '.');
  const token = await signLocalToken(key, { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, rolesClaim: config.AUTH_ROLES_CLAIM }, {
    sub: id,
    name: values.name,
    roles,
    expiresIn: `${Number(values.hours)}h`,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
