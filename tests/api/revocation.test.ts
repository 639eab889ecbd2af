import mongoose from 'mongoose';
import { tokenRevocations } from '../../api/auth/revocations';
import type { Authenticator } from '../../api/auth/tokens';
import { createModels, ensureIndexes, type Models } from '../../models';
import { isTokenRevoked, revokeToken } from '../../models/revoked-token';
import { STAFF, testAuthenticator, tokenFor } from '../helpers/auth';
import { testDatabase } from '../helpers/env';

/** Signed-out tokens: refused however they are spelt, kept only while they would verify. */

let db: mongoose.Connection;
let models: Models;
let authenticator: Authenticator;

const database = testDatabase('revocation');

beforeAll(async () => {
  db = database.db;
  models = createModels(db);
  // On FerretDB v1, which has no TTL index: this must not fail there.
  await ensureIndexes(models);
  authenticator = testAuthenticator.withRevocations(tokenRevocations(models.RevokedToken));
});

/** The same ECDSA signature written otherwise (s → n − s): as valid, and another string. */
function respelt(token: string): string {
  const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
  return `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')}`;
}

test.each([
  ['with a jti (the local sign-in’s)', {}],
  ['without (an Entra ID access token’s)', { jti: false as const }],
])('a revoked token %s is refused, however its signature is spelt; another of the same person’s is not', async (_kind, over) => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = await tokenFor(STAFF, { ...over, expiresAt: exp });
  const other = await tokenFor(STAFF, { ...over, expiresAt: exp + 1 });
  const copy = respelt(token);
  expect(copy).not.toBe(token);
  await expect(authenticator.verify(copy)).resolves.toMatchObject({ id: STAFF.id });

  await authenticator.revoke(token);
  await expect(authenticator.verify(token)).rejects.toThrow(/signed out/);
  await expect(authenticator.verify(copy)).rejects.toThrow(/signed out/);
  await expect(authenticator.verify(other)).resolves.toMatchObject({ id: STAFF.id });
});

test('revoked until the token would stop verifying (its expiry and the clock skew allowed), then forgotten', async () => {
  const exp = Math.floor(Date.now() / 1000) + 600;
  await authenticator.revoke(await tokenFor(STAFF, { expiresAt: exp }));
  const rows = await models.RevokedToken.find().lean();
  expect(rows.map((r) => r.expiresAt.getTime())).toContain((exp + 30) * 1000);

  // Where no TTL index removes it (FerretDB v1), a row past its time counts for nothing and goes with the next revocation.
  await revokeToken(models.RevokedToken, 'sha256:past', new Date(Date.now() - 1000));
  expect(await isTokenRevoked(models.RevokedToken, 'sha256:past')).toBe(false);
  await revokeToken(models.RevokedToken, 'sha256:later', new Date(Date.now() + 60_000));
  expect(await models.RevokedToken.findById('sha256:past').lean()).toBeNull();
  expect(await isTokenRevoked(models.RevokedToken, 'sha256:later')).toBe(true);
});

test('a token that does not verify is not recorded: there is nothing to sign out', async () => {
  const before = await models.RevokedToken.countDocuments();
  await authenticator.revoke('not.a.token');
  await authenticator.revoke(await tokenFor(STAFF, { audience: 'another-api' }));
  expect(await models.RevokedToken.countDocuments()).toBe(before);
});
