import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { createApp } from '../../api/app';
import { Authenticator } from '../../api/auth/tokens';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { PageSignIn } from '../../web/oidc';
import { createHarness, type Harness } from '../helpers/harness';
import { checkPage, launchChromium } from '../helpers/browser';
import { createLocalTemporal } from '../helpers/env';

/**
 * The pages' sign-in through an organisation's OpenID Connect provider, against a real one
 * (node-oidc-provider, its development sign-in and consent pages) on loopback: the
 * authorisation-code flow with PKCE, a JWT access token for the API's audience carrying the
 * person's roles, verified against the provider's JWKS like any API caller's token.
 */

let h: Harness;
let app: Server;
let idp: Server;
let base: string;
let issuer: string;
let browser: Browser;

const AUDIENCE = 'api://oversight';
/** The organisation's people: their names and Oversight roles (Entra ID's app roles). */
const PEOPLE: Record<string, { name: string; roles: string[] }> = {
  'chris.chair': { name: 'Chris Chair', roles: ['cqrg_chair'] },
  'no.role': { name: 'Nora Nobody', roles: [] },
};

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// oidc-provider 7 (the last Jest's CommonJS runtime loads) warns, as it loads and starts, of its
// Node range and of the development-only parts a test provider uses; only its own notices are dropped.
const warn = console.warn.bind(console);
jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING:')) return;
  warn(...args);
});

beforeAll(async () => {
  h = await createHarness('web_oidc', await createLocalTemporal());
  await seedReferenceData(h.db);
  // The provider's address first (the app verifies its tokens), then the app's (the provider redirects to it).
  idp = createServer();
  issuer = await listen(idp);
  app = createServer();
  base = await listen(app);

  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const { Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'oversight-pages',
        client_secret: 'a-client-secret-for-tests-only',
        redirect_uris: [`${base}/sign-in/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...key, kid: 'test-key', alg: 'ES256', use: 'sig' }] },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'access', audience: AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      },
    },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => ({ accountId: id, claims: async () => ({ sub: id, name: PEOPLE[id]?.name ?? id }) }),
    extraTokenClaims: (_ctx: KoaContextWithOIDC, token: { kind: string; accountId?: string }) =>
      token.kind === 'AccessToken' && 'accountId' in token ? { name: PEOPLE[token.accountId as string]?.name, roles: PEOPLE[token.accountId as string]?.roles ?? [] } : undefined,
  });
  idp.on('request', provider.callback());

  const authenticator = await Authenticator.create({ issuer, audience: AUDIENCE, jwksUrl: `${issuer}/jwks`, rolesClaim: 'roles' });
  const pageSignIn = new PageSignIn({ issuer, clientId: 'oversight-pages', clientSecret: 'a-client-secret-for-tests-only', scope: 'openid profile access', publicUrl: base });
  app.on('request', createApp({ authenticator, pageSignIn, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent') }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([app, idp].map((s) => s && new Promise((resolve) => s.close(resolve))));
  await h?.teardown();
});

/** Through the provider's own sign-in and consent pages, as `login`, starting at `path`. */
async function signInAt(path: string, login: string) {
  const context = await browser.newContext({ baseURL: base });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(path);
  await page.waitForURL(/\/sign-in\?next=/);
  await checkPage(page, 'sign-in-organisation');
  await page.getByRole('button', { name: 'Sign in with your organisation account' }).click();
  await page.waitForURL((url) => url.origin === issuer);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  // The provider's consent page, then back to the pages.
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === base);
  return { context, page };
}

test('a chair signs in through the organisation’s provider and lands on the page they asked for, named and in their role', async () => {
  const { context, page } = await signInAt('/providers', 'chris.chair');
  try {
    expect(new URL(page.url()).pathname).toBe('/providers');
    expect(await page.locator('header').textContent()).toContain('Chris Chair (CQRG chair)');
    // The session is the provider's access token for the API, kept where scripts cannot read it.
    const [session] = (await context.cookies()).filter((c) => c.name === 'oversight_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const claims = JSON.parse(Buffer.from(session.value.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, sub: 'chris.chair', roles: ['cqrg_chair'] });
    // The local sign-in is not on offer where the organisation signs people in.
    expect((await page.request.post('/sign-in', { form: { name: 'Mallory', role: 'administrator' }, maxRedirects: 0 })).status()).toBe(404);
  } finally {
    await context.close();
  }
});

test('someone the provider knows but who has no Oversight role is told so, and is not signed in', async () => {
  const { context, page } = await signInAt('/complaints', 'no.role');
  try {
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have access to this page');
    expect(await page.textContent('main')).toContain('Your account has no Oversight role');
    expect((await context.cookies()).some((c) => c.name === 'oversight_session')).toBe(false);
  } finally {
    await context.close();
  }
});

test('a callback that was not started here (no transaction, or another state) signs no one in', async () => {
  const context = await browser.newContext({ baseURL: base });
  try {
    const page = await context.newPage();
    const res = await page.goto('/sign-in/callback?code=stolen&state=guessed');
    expect(res!.status()).toBe(400);
    expect(await page.textContent('main')).toContain('Sign-in did not complete');
    await context.addCookies([{ name: 'oversight_sign_in', value: JSON.stringify({ state: 'mine', nonce: 'n', verifier: 'v'.repeat(43), next: '/' }), url: `${base}/sign-in` }]);
    expect((await page.goto('/sign-in/callback?code=stolen&state=guessed'))!.status()).toBe(400);
    expect((await context.cookies()).some((c) => c.name === 'oversight_session')).toBe(false);
  } finally {
    await context.close();
  }
});
