import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { ROLE_LABELS, type Role } from '../../api/auth/roles';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { launchChromium } from '../helpers/browser';
import { AppPage, CasePage } from './page';

/**
 * The product served on a port of its own over the real stack (FerretDB, the Temporal dev server,
 * a worker), with Debian's Chromium to drive it: one per test file, its hooks registered by
 * `browserApp()`. Each `signIn` is a browser of its own, closed after the test.
 */
export interface BrowserApp {
  readonly h: ApiHarness;
  readonly base: string;
  readonly browser: Browser;
  /** A browser of its own, signed in on the local sign-in page as `name` in `role`. */
  signIn(name: string, role: Role, opts?: { javaScript?: boolean }): Promise<AppPage>;
  /** A browser of its own, signed in by nobody. */
  anonymous(): Promise<AppPage>;
  /** A case's page, opened in a signed-in browser. */
  caseAt(page: AppPage, path: string): Promise<CasePage>;
}

export function browserApp(database: string): BrowserApp {
  let h: ApiHarness;
  let server: Server;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    h = await createApiHarness(database);
    server = h.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await h?.teardown();
  });

  async function anonymous(opts: { javaScript?: boolean } = {}): Promise<AppPage> {
    const context = await browser.newContext({ baseURL: base, javaScriptEnabled: opts.javaScript ?? true });
    contexts.push(context);
    // A step that cannot happen fails in seconds, not at the test's timeout.
    context.setDefaultTimeout(15_000);
    return new AppPage(await context.newPage());
  }

  return {
    get h() {
      return h;
    },
    get base() {
      return base;
    },
    get browser() {
      return browser;
    },
    anonymous: () => anonymous(),
    async signIn(name, role, opts = {}) {
      const at = await anonymous(opts);
      await at.page.goto('/');
      await at.page.waitForURL(/\/sign-in/);
      await at.fill('Your name', name);
      await at.page.getByLabel(ROLE_LABELS[role]).check();
      await at.press('Sign in');
      await at.page.waitForLoadState();
      return at;
    },
    async caseAt(page, path) {
      await page.goto(path);
      return new CasePage(page.page);
    },
  };
}
