import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toolPath } from '../../dev-servers/tools';

/** Where each page's screenshot is saved (a test artefact; CI keeps the folder). */
export const SCREENSHOTS = path.resolve(__dirname, '../../artifacts/screenshots');

/**
 * Debian's Chromium, as scripts/install-tools.sh links it into .tools/bin: Playwright drives it
 * and never downloads a browser of its own. The flags keep it off the network it cannot reach.
 */
export async function launchChromium(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = toolPath('chromium');
  } catch {
    throw new Error("no Chromium in .tools/bin: run `bash scripts/install-tools.sh chromium` (as root it runs apt-get install chromium)");
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The WCAG 2.2 AA rules axe-core checks. */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Every page a test visits: axe-core's WCAG 2.2 AA rules find nothing (the violations are the
 * assertion's message when they do), and a full-page screenshot is saved under its name.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const found = results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  expect({ page: name, url: page.url(), violations: found }).toEqual({ page: name, url: page.url(), violations: [] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
