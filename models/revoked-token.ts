import { Connection, Schema } from 'mongoose';
import { insertOnce, isFerretDb } from './connection';

/**
 * A signed-out session's token, refused until it would have expired anyway: keyed by the token's
 * id (api/auth/tokens.ts `tokenId`), never the token itself. Kept until `expiresAt`: on MongoDB a
 * TTL index removes it then; FerretDB v1 has no TTL indexes ("expireAfterSeconds is not
 * implemented yet"), so a lookup ignores a row past its time and each revocation sweeps them.
 */
const revokedTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function revokedTokenModel(connection: Connection) {
  return connection.model('RevokedToken', revokedTokenSchema, 'revoked_tokens');
}

export type RevokedTokenModel = ReturnType<typeof revokedTokenModel>;

/** The TTL index where the server has them (not in the schema: FerretDB v1 refuses the option). */
export async function ensureRevokedTokenExpiry(model: RevokedTokenModel): Promise<void> {
  if (await isFerretDb(model.db)) return;
  await model.collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiresAt_ttl' });
}

/** Revoke token `id` until `expiresAt`; revoking it again changes nothing. */
export async function revokeToken(model: RevokedTokenModel, id: string, expiresAt: Date): Promise<void> {
  await insertOnce(model, { _id: id, expiresAt });
  // Rows past their time are never read again; where no TTL index removes them, this does. A
  // sign-out is rare and the list short (a working day's sign-outs), so the scan is cheap.
  await model.deleteMany({ expiresAt: { $lte: new Date() } });
}

/** True when token `id` is revoked and would not yet have expired. By _id alone: FerretDB reads that from its index. */
export async function isTokenRevoked(model: RevokedTokenModel, id: string): Promise<boolean> {
  const row = await model.findById(id, { expiresAt: 1 }).lean();
  return !!row && row.expiresAt.getTime() > Date.now();
}
