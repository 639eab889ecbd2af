import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { LRUCache } from 'lru-cache';
import { ROLES, type Role } from './roles';

/** How long a token that verified is taken as verified again without its signature checked. */
const VERIFIED_CACHE_MS = 60_000;

/** Who a verified token says is calling. */
export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  /** The token's `email` claim, when it has one (the staff directory keeps it: api/staff). */
  email?: string;
}

export interface AuthSettings {
  issuer: string;
  audience: string;
  /** Production: the OIDC issuer's JWKS (Entra ID: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys). */
  jwksUrl?: string;
  /** Local runs: the signing key generated into .data/ (used when no JWKS is configured). */
  localKeyFile?: string;
  /** The claim that lists the caller's roles (Entra ID app roles: `roles`). */
  rolesClaim: string;
}

/** Any reason a token is not accepted: the API answers 401 and says no more than that. */
export class Unauthenticated extends Error {}

/** Where signed-out tokens are kept until they expire (./revocations.ts, over models/revoked-token.ts). */
export interface Revocations {
  isRevoked(id: string): Promise<boolean>;
  revoke(id: string, expiresAt: Date): Promise<void>;
}

/**
 * What names a verified token in the revocation list: its `jti`, or else the SHA-256 of its signed
 * part (header and payload). Never of the whole token: an ECDSA signature can be rewritten into
 * another valid one, and base64url's last character has spare bits, so the same token can be sent
 * spelt otherwise; its signed part cannot change without failing verification.
 */
export function tokenId(token: string, payload: JWTPayload): string {
  if (typeof payload.jti === 'string' && payload.jti) return `jti:${payload.jti}`;
  return `sha256:${createHash('sha256').update(token.slice(0, token.lastIndexOf('.'))).digest('hex')}`;
}

/** Who signs in on the local sign-in page: a name and the roles picked. */
export interface LocalSignIn {
  id: string;
  name: string;
  roles: Role[];
}

/** How long a local sign-in lasts: a working day. */
const LOCAL_SIGN_IN_HOURS = '8h';

const ALGORITHMS = ['ES256', 'RS256', 'PS256'];

/** Clock skew allowed on a token's dates, in seconds. */
const CLOCK_TOLERANCE_S = 30;

/** A locally generated ES256 key pair, kept in a file readable by its owner only. */
export interface LocalKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function loadOrCreateLocalKey(file: string): Promise<LocalKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key: LocalKey = { kid: randomUUID(), privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(path.dirname(file), { recursive: true });
  // wx: two processes starting at once do not both write; the loser reads the winner's.
  try {
    writeFileSync(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(readFileSync(file, 'utf8')) as LocalKey;
    throw err;
  }
  chmodSync(file, 0o600);
  return key;
}

/** Sign a token with a local key (npm run token, tests, chaos and bench). */
export async function signLocalToken(
  key: LocalKey,
  settings: Pick<AuthSettings, 'issuer' | 'audience' | 'rolesClaim'>,
  claims: { sub: string; name: string; roles: string[]; expiresIn?: string | number },
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'ES256');
  return new SignJWT({ name: claims.name, [settings.rolesClaim]: claims.roles })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    // Its own id: two sign-ins in the same second are two sessions, each signed out alone.
    .setJti(randomUUID())
    .sign(privateKey);
}

/**
 * Verifies bearer tokens (jose): signature against the issuer's JWKS, or the local key; issuer,
 * audience, expiry (required) and not-before (30 s of clock skew allowed); not signed out (with a revocation
 * list); then reads who and which roles.
 */
export class Authenticator {
  private constructor(
    private readonly settings: AuthSettings,
    private readonly key: KeyLike | Uint8Array | ReturnType<typeof createRemoteJWKSet>,
    private readonly signer?: (who: LocalSignIn) => Promise<string>,
    private readonly revocations?: Revocations,
  ) {}

  static async create(settings: AuthSettings): Promise<Authenticator> {
    if (settings.jwksUrl) return new Authenticator(settings, createRemoteJWKSet(new URL(settings.jwksUrl)));
    if (!settings.localKeyFile) throw new Error('sign-in needs AUTH_JWKS_URL, or a local key file for local runs');
    const local = await loadOrCreateLocalKey(settings.localKeyFile);
    const sign = (who: LocalSignIn) => signLocalToken(local, settings, { sub: who.id, name: who.name, roles: who.roles, expiresIn: LOCAL_SIGN_IN_HOURS });
    return new Authenticator(settings, await importJWK(local.publicJwk, 'ES256'), sign);
  }

  /** Over a public key already at hand (tests sign with its private half). */
  static withKey(settings: AuthSettings, publicKey: KeyLike, sign?: (who: LocalSignIn) => Promise<string>): Authenticator {
    return new Authenticator(settings, publicKey, sign);
  }

  /** The same authenticator, refusing tokens revoked in `revocations` (the app gives it its database's). */
  withRevocations(revocations: Revocations): Authenticator {
    return new Authenticator(this.settings, this.key, this.signer, revocations);
  }

  /** True when sign-in is local (no OIDC issuer): the pages then offer a role to pick. */
  get signsLocally(): boolean {
    return !!this.signer;
  }

  /** A token for someone signing in locally (the pages' role picker); refused when an OIDC issuer signs people in. */
  async signInLocally(who: LocalSignIn): Promise<string> {
    if (!this.signer) throw new Unauthenticated('sign-in is through the organisation’s identity provider');
    return this.signer(who);
  }

  /**
   * Sign `token` out: refused from now until it expires, here at once and in other API processes
   * within their cache's few seconds. A token that is not valid is refused already: nothing to do.
   */
  async revoke(token: string): Promise<void> {
    if (!this.revocations) throw new Error('no revocation list: the app gives the authenticator its database’s');
    const payload = await this.verified(token).catch(() => undefined);
    if (!payload) return;
    // Kept as long as the token would verify: its expiry, and the skew allowed after it.
    await this.revocations.revoke(tokenId(token, payload), new Date((payload.exp! + CLOCK_TOLERANCE_S) * 1000));
  }

  /**
   * The token's claims when its signature, issuer, audience and dates are good. A token that
   * verified is kept for up to a minute (never past its expiry and the skew allowed after it): the
   * same bytes again need no second signature check, the API's largest fixed cost per request after
   * HTTP itself. Revocation is asked every time (verify), from its own cache.
   */
  private async verified(token: string): Promise<JWTPayload> {
    const known = this.recent.get(token);
    if (known && (known.exp! + CLOCK_TOLERANCE_S) * 1000 > Date.now()) return known;
    try {
      // An expiry is required: a token without one would be good for ever, copied or not.
      const options = { issuer: this.settings.issuer, audience: this.settings.audience, algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp'] };
      const payload = typeof this.key === 'function' ? (await jwtVerify(token, this.key, options)).payload : (await jwtVerify(token, this.key, options)).payload;
      this.recent.set(token, payload);
      return payload;
    } catch (err) {
      throw new Unauthenticated(err instanceof Error ? err.message : String(err));
    }
  }

  private readonly recent = new LRUCache<string, JWTPayload>({ max: 10_000, ttl: VERIFIED_CACHE_MS });

  async verify(token: string): Promise<Principal> {
    const payload = await this.verified(token);
    // Only a token that verifies costs a lookup: garbage never reaches the database.
    if (this.revocations && (await this.revocations.isRevoked(tokenId(token, payload)))) throw new Unauthenticated('the token was signed out');
    const id = typeof payload.oid === 'string' ? payload.oid : payload.sub;
    if (!id) throw new Unauthenticated('the token names no subject');
    const name = [payload.name, payload.preferred_username, id].find((v): v is string => typeof v === 'string' && v.length > 0)!;
    const claimed = payload[this.settings.rolesClaim];
    const roles = (Array.isArray(claimed) ? claimed : []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const email = typeof payload.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(payload.email) ? payload.email : undefined;
    return { id, name, roles, ...(email && { email }) };
  }
}
