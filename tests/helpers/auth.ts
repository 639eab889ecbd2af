import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { Express } from 'express';
import { SignJWT } from 'jose';
import supertest from 'supertest';
import { Authenticator } from '../../api/auth/tokens';
import type { Role } from '../../api/auth/roles';

/**
 * Sign-in for tests: one signing key per test file, an authenticator that trusts it, and
 * tokens for callers. `asCaller(...)` gives a supertest `request(app)` that sends the caller's
 * token on every request; the tokens are signed in a beforeAll it registers.
 */
export const TEST_AUTH = { issuer: 'oversight-test', audience: 'oversight-api', rolesClaim: 'roles' };

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Signs the pages' local sign-in with the same key, as the local key does in npm start. */
export const testAuthenticator = Authenticator.withKey(TEST_AUTH, publicKey, (who) => tokenFor(who, { expiresAt: Math.floor(Date.now() / 1000) + 8 * 3600 }));

export interface Caller {
  id: string;
  name: string;
  roles: Role[];
}

/** A token for `caller`; `over` changes what makes it valid (expiry, audience, issuer, key). */
export async function tokenFor(
  caller: Caller,
  over: { expiresAt?: number | false; audience?: string; issuer?: string; key?: KeyObject; notBefore?: number; jti?: false; claims?: Record<string, unknown> } = {},
): Promise<string> {
  // `claims`: what else an identity provider's token may carry (an `email`, say).
  const jwt = new SignJWT({ ...over.claims, name: caller.name, roles: caller.roles })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(caller.id)
    .setIssuer(over.issuer ?? TEST_AUTH.issuer)
    .setAudience(over.audience ?? TEST_AUTH.audience)
    .setIssuedAt();
  if (over.expiresAt !== false) jwt.setExpirationTime(over.expiresAt ?? '1h');
  // As the local sign-in's: each token its own, so signing one out leaves the others (`jti: false`
  // for one without, as an Entra ID access token has none).
  if (over.jti !== false) jwt.setJti(randomUUID());
  if (over.notBefore) jwt.setNotBefore(over.notBefore);
  return jwt.sign(over.key ?? privateKey);
}

/** Someone who may do everything the API's ordinary tests do. */
export const STAFF: Caller = { id: 'qo-7', name: 'Sam Officer', roles: ['quality_team', 'commissioner', 'administrator', 'auditor'] };

export function asCaller(caller: Caller = STAFF): (app: Express) => supertest.Agent {
  let token = '';
  beforeAll(async () => {
    token = await tokenFor(caller);
  });
  return (app) => supertest.agent(app).set('Authorization', `Bearer ${token}`);
}
