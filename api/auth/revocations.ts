import { LRUCache } from 'lru-cache';
import { isTokenRevoked, revokeToken, type RevokedTokenModel } from '../../models/revoked-token';
import type { Revocations } from './tokens';

/**
 * How long an answer from the revocation list is trusted: a sign-out made through another API
 * process takes effect here within this. One made through this process takes effect at once.
 */
export const REVOCATION_CACHE_MS = 5_000;

/**
 * The revocation list (models/revoked-token.ts) behind a short cache, so that a request costs a
 * lookup at most every few seconds per token rather than on every call.
 */
class CachedRevocations implements Revocations {
  private readonly known = new LRUCache<string, boolean>({ max: 20_000, ttl: REVOCATION_CACHE_MS });

  constructor(private readonly model: RevokedTokenModel) {}

  async isRevoked(id: string): Promise<boolean> {
    const known = this.known.get(id);
    if (known !== undefined) return known;
    const revoked = await isTokenRevoked(this.model, id);
    // Revoked here while the list was being read: that answer is newer than the one read.
    if (this.known.get(id) === true) return true;
    this.known.set(id, revoked);
    return revoked;
  }

  async revoke(id: string, expiresAt: Date): Promise<void> {
    await revokeToken(this.model, id, expiresAt);
    this.known.set(id, true);
  }
}

const byModel = new WeakMap<RevokedTokenModel, CachedRevocations>();

/** One list per database connection in a process: every app over it sees a sign-out made through any, at once. */
export function tokenRevocations(model: RevokedTokenModel): Revocations {
  let revocations = byModel.get(model);
  if (!revocations) byModel.set(model, (revocations = new CachedRevocations(model)));
  return revocations;
}
