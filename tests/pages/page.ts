import type { Locator, Page } from 'playwright-core';
import { checkPage } from '../helpers/browser';

/**
 * A page of Oversight as a person sees it, in the words on the screen: the base of the small page
 * objects the browser tests drive (as the HMPPS template's `integration_tests/pages/`). A test says
 * what the user does (`press('Record the acknowledgement')`, `date('Acknowledged on', day)`), and
 * how that is found on the page lives here once.
 */
export class AppPage {
  constructor(readonly page: Page) {}

  get path(): string {
    return new URL(this.page.url()).pathname;
  }

  async goto(path: string): Promise<number | undefined> {
    return (await this.page.goto(path))?.status();
  }

  /** axe-core's WCAG 2.2 AA rules find nothing here; a screenshot is kept under `name`. */
  async check(name: string): Promise<void> {
    await checkPage(this.page, name);
  }

  async heading(): Promise<string | null> {
    return this.page.getByRole('heading', { level: 1 }).textContent();
  }

  async main(): Promise<string> {
    return (await this.page.textContent('main')) ?? '';
  }

  async press(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button }).click();
  }

  /** Type into the field labelled `label` (inside `within`, a group, when given). */
  async fill(label: string | RegExp, value: string, within: Locator | Page = this.page): Promise<void> {
    await within.getByLabel(label).fill(value);
  }

  /** Tick `option` in the radios or checkboxes whose legend is `group`. */
  async choose(group: string | RegExp, option: string): Promise<void> {
    await this.group(group).getByLabel(option).check();
  }

  async select(label: string | RegExp, option: string, within: Locator | Page = this.page): Promise<void> {
    await within.getByLabel(label).selectOption({ label: option });
  }

  /** A fieldset by its legend. */
  group(legend: string | RegExp, exact = false): Locator {
    return this.page.getByRole('group', { name: legend, exact });
  }

  /** The design system's date input (day, month, year) whose legend is `legend`. */
  async date(legend: string | RegExp, iso: string, within: Locator | Page = this.page): Promise<void> {
    const group = within.getByRole('group', { name: legend });
    const [y, m, d] = iso.split('-');
    await group.getByLabel('Day').fill(String(Number(d)));
    await group.getByLabel('Month').fill(String(Number(m)));
    await group.getByLabel('Year').fill(y);
  }

  /** The error summary's text ('' when the page has none). */
  async errors(): Promise<string> {
    const summary = this.page.locator('.nhsuk-error-summary');
    return (await summary.count()) ? ((await summary.textContent()) ?? '') : '';
  }

  /** The form whose button says `title` (`Open a complaint case`), on this page. */
  form(title: string): Form {
    return new Form(this.page, title);
  }

  /** The row of a table holding `text`. */
  row(text: string): Locator {
    return this.page.locator('tr', { hasText: text });
  }
}

/**
 * A case's page (`/complaints/CMP-…`, `/visits/…`, `/reviews/…`, `/action-plans/…`): its
 * reference, the events its state offers, its deadlines and timeline, and each event's form.
 */
export class CasePage extends AppPage {
  /** The case's reference, from the page's address. */
  get reference(): string {
    const found = /[A-Z]{3}-\d{4}-\d{6}/.exec(this.page.url());
    if (!found) throw new Error(`not a case's page: ${this.page.url()}`);
    return found[0];
  }

  /** The titles of the events the case's state offers this user, as its buttons say them. */
  async offered(): Promise<string[]> {
    return this.page.locator('.oversight-actions a').allTextContents();
  }

  /** Whether the page offers any event at all. */
  async changeable(): Promise<boolean> {
    return (await this.page.locator('.oversight-actions').count()) > 0;
  }

  /** The banner a recorded event leaves. */
  async banner(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').textContent()) ?? '';
  }

  deadline(label: string): Locator {
    return this.page.locator('.oversight-deadlines li', { hasText: label });
  }

  async timeline(): Promise<string> {
    return (await this.page.textContent('.oversight-timeline')) ?? '';
  }

  /** The summary list (`dl`) holding `text`, or the first. */
  details(text?: string): Locator {
    return text ? this.page.locator('dl', { hasText: text }) : this.page.locator('dl').first();
  }

  /** Open the form of the event titled `title`. */
  async open(title: string): Promise<Form> {
    await this.press(title);
    return new Form(this.page, title);
  }
}

/** A form (a new case's, an event's): filled in the words on the screen, sent with its own button. */
export class Form extends AppPage {
  constructor(
    page: AppPage['page'],
    readonly title: string,
  ) {
    super(page);
  }

  /** Send the form and wait for the case's page to say it was recorded (`?done=opened`, `?done=<event>`). */
  async send(): Promise<CasePage> {
    await this.press(this.title);
    try {
      await this.page.waitForURL(/\?done=[a-z-]+$/);
    } catch (error) {
      // Refused: say what the page said, not only that the address never came.
      throw new Error(`${this.title}: not recorded: ${(await this.errors()) || (error as Error).message}`);
    }
    return new CasePage(this.page);
  }

  /** Send the form expecting it back with its problems; the error summary's text. */
  async refused(): Promise<string> {
    await this.press(this.title);
    await this.page.waitForLoadState();
    return this.errors();
  }
}
