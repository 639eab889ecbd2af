import { existsSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { NotificationRow } from '../models/notification';
import { VOCABULARIES } from '../contracts/vocabularies';
import { dateInWords } from '../contracts/kernel/vocabulary';

/**
 * An email from an outbox row: plain-text and HTML bodies from one template per notification
 * type (mailer/templates/<kind>.njk, over text.njk and html.njk), in plain English: what is due,
 * by when, how the date was worked out, and a link to the case's page. With `detail: minimal` (the
 * default) nothing about the complainant or patient is in it: the reference and a link only.
 */

const dir = path.join(__dirname, 'templates');
// Two environments: the HTML one escapes every value, the text one leaves them as they are.
const html = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: true, throwOnUndefined: false });
const text = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: false, throwOnUndefined: false });

const AUDIENCE_LABEL: Record<string, string> = {
  quality_lead: 'the quality lead',
  case_owner: 'the case officer',
  safeguarding_lead: 'the safeguarding lead',
  provider: "the provider's quality team",
  review_owner: "the review's owner",
  owner_line_manager_and_quality_lead: "the review owner's line manager and the quality lead",
  panel: 'the visit panel',
  cqrg_chair: 'the CQRG chair',
  action_owner: "the action's owner (the provider's quality team copied)",
};

export interface RenderOptions {
  baseUrl: string;
  detail: 'minimal' | 'full';
  /** What the case's record says of the deadline (its basis), and, with full detail, of the case. */
  rule?: string;
  providerName?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(row: NotificationRow, opts: RenderOptions): RenderedEmail {
  const [kind, n] = row.deadline.split(':');
  // The process's words (contracts/<process>/vocabulary.ts): what is due, and the page that opens the case.
  const words = VOCABULARIES[row.caseType];
  const what = words?.deadlines[kind]?.what?.(n) ?? row.subject;
  const template = existsSync(path.join(dir, `${row.kind}.njk`)) ? `${row.kind}.njk` : 'reminder.njk';
  const context = {
    subject: row.subject,
    reference: row.reference,
    what,
    dueOnLong: dateInWords(row.dueOn),
    rule: opts.rule,
    // The case's page (a person signed in lands on it; signed out, on sign-in and then on it).
    link: new URL(words ? words.page(row.reference) : '/', opts.baseUrl).toString(),
    audienceLabel: AUDIENCE_LABEL[row.audience] ?? row.audience,
    detail: opts.detail === 'full',
    providerName: opts.providerName,
    communicationNeeds: row.communicationNeeds ?? [],
  };
  return {
    subject: row.subject,
    text: text.render(template, { ...context, layout: 'text.njk' }).trim() + '\n',
    html: html.render(template, { ...context, layout: 'html.njk' }),
  };
}
