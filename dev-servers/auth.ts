// Dev-only (chaos, bench): a bearer token signed with a local key file the API is pointed at; not runtime code.
import { configSchema } from '../lib/config';
import { loadOrCreateLocalKey, signLocalToken } from '../api/auth/tokens';
import type { Role } from '../api/auth/roles';

/** "Bearer <token>" for a harness that drives the API, signed with the key in `keyFile` (made if missing). */
export async function localBearer(keyFile: string, roles: Role[] = ['quality_team', 'commissioner', 'administrator'], who = { sub: 'harness', name: 'Load harness' }): Promise<string> {
  const defaults = configSchema.parse({});
  const key = await loadOrCreateLocalKey(keyFile);
  const token = await signLocalToken(key, { issuer: defaults.AUTH_ISSUER, audience: defaults.AUTH_AUDIENCE, rolesClaim: defaults.AUTH_ROLES_CLAIM }, {
    ...who,
    roles,
    expiresIn: '12h',
  });
  return `Bearer ${token}`;
}
