import type { Request } from 'express';
import { generators, Issuer, type Client } from 'openid-client';

/**
 * The pages' sign-in through the organisation's OpenID Connect provider (Entra ID in the NHS):
 * the authorisation-code flow with PKCE (openid-client), asking for an access token for the API
 * (its scope, or a resource indicator), which the pages keep as the session and the
 * Authenticator verifies as it verifies any API caller's token.
 */
export interface PageSignInSettings {
  /** The issuer (AUTH_ISSUER): its discovery document names the endpoints. */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Scopes asked for: `openid profile` and the API's (Entra ID: `api://oversight/access`). */
  scope: string;
  /** An RFC 8707 resource indicator for providers that issue the API's tokens by resource. */
  resource?: string;
  /** The address browsers reach the pages at: the callback is `<publicUrl>/sign-in/callback`. */
  publicUrl: string;
}

/** What the browser keeps between leaving for the provider and coming back (a short-lived cookie). */
export interface SignInTransaction {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export class PageSignIn {
  private client?: Promise<Client>;

  constructor(private readonly settings: PageSignInSettings) {}

  get callbackUrl(): string {
    return `${this.settings.publicUrl.replace(/\/$/, '')}/sign-in/callback`;
  }

  /** Discovered once; a failed discovery is tried again on the next sign-in. */
  private async discovered(): Promise<Client> {
    this.client ??= Issuer.discover(this.settings.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.settings.clientId,
          // RS256 (Entra ID's) unless the provider signs ID tokens only otherwise.
          id_token_signed_response_alg: idTokenAlg(issuer.metadata.id_token_signing_alg_values_supported as string[] | undefined),
          ...(this.settings.clientSecret ? { client_secret: this.settings.clientSecret } : { token_endpoint_auth_method: 'none' }),
          redirect_uris: [this.callbackUrl],
          response_types: ['code'],
        }),
      (err: unknown) => {
        this.client = undefined;
        throw err;
      },
    );
    return this.client;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(next: string): Promise<{ url: string; transaction: SignInTransaction }> {
    const client = await this.discovered();
    const transaction = { state: generators.state(), nonce: generators.nonce(), verifier: generators.codeVerifier(), next };
    const url = client.authorizationUrl({
      scope: this.settings.scope,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: generators.codeChallenge(transaction.verifier),
      code_challenge_method: 'S256',
      ...(this.settings.resource ? { resource: this.settings.resource } : {}),
    });
    return { url, transaction };
  }

  /** The provider's answer checked (state, nonce, the ID token) and exchanged: the API's access token. */
  async finish(req: Request, transaction: SignInTransaction): Promise<string> {
    const client = await this.discovered();
    const params = client.callbackParams(req);
    const tokens = await client.callback(
      this.callbackUrl,
      params,
      { state: transaction.state, nonce: transaction.nonce, code_verifier: transaction.verifier, response_type: 'code' },
      this.settings.resource ? { exchangeBody: { resource: this.settings.resource } } : undefined,
    );
    if (!tokens.access_token) throw new Error('the provider answered without an access token');
    return tokens.access_token;
  }
}

function idTokenAlg(supported: string[] | undefined): string {
  return !supported?.length || supported.includes('RS256') ? 'RS256' : supported[0];
}
