import { existsSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { NotificationRow } from '../models/notification';

/**
 * An email from an outbox row: plain-text and HTML bodies from one template per notification
 * type (mailer/templates/<kind>.njk, over text.njk and html.njk), in plain English: what is due,
 * by when, how the date was worked out, and a link to the case. With `detail: minimal` (the
 * default) nothing about the complainant or patient is in it: the reference and a link only.
 */

const dir = path.join(__dirname, 'templates');
// Two environments: the HTML one escapes every value, the text one leaves them as they are.
const html = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: true, throwOnUndefined: false });
const text = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: false, throwOnUndefined: false });

/** What a deadline is, in words, by its id (`recommendation:2` by `recommendation`). */
const WHAT: Record<string, (n?: string) => string> = {
  acknowledgement: () => 'the acknowledgement of the complaint',
  provider_account: () => "the provider's account",
  response: () => 'the response to the complainant',
  six_month_letter: () => 'the letter telling the complainant why there is no response after six months',
  complainant_update: () => 'an update to the complainant',
  ombudsman_comments: () => "comments on the Ombudsman's draft report",
  recommendation: (n) => `evidence that the Ombudsman's recommendation ${n} was met`,
  contribution: (n) => `contribution ${n} from another body`,
  safeguarding_concern: () => 'a safeguarding concern',
  review: () => 'the six-month post-implementation review',
  review_overdue: () => 'the six-month post-implementation review',
  // Provider insight visits (`provider_notice:2026-12-21` names the visit's date).
  visit: () => 'the insight visit',
  provider_notice: (n) => `the announced insight visit on ${n ? longDate(n) : 'its planned date'}`,
  information: () => 'the information the provider was asked for before the insight visit',
  draft_report: () => 'the draft insight visit report',
  factual_accuracy: () => "the provider's factual-accuracy comments on the draft visit report",
  comments_review: () => "the review of the provider's factual-accuracy comments, by someone who was not on the panel",
  final_report: () => 'the final insight visit report',
  // CQRG action plans (`action:3` is the plan's third action).
  action: (n) => `action ${n} of the provider's action plan`,
  awaiting_sign_off: () => "the CQRG chair's sign-off of the action plan, every action now complete",
  cqrg_meeting: () => "the CQRG meeting: the pack of the provider's outstanding actions is ready",
};

const AUDIENCE_LABEL: Record<string, string> = {
  quality_lead: 'the quality lead',
  case_owner: 'the case officer',
  safeguarding_lead: 'the safeguarding lead',
  provider: "the provider's quality team",
  review_owner: "the review's owner",
  owner_line_manager_and_quality_lead: "the review owner's line manager and the quality lead",
  panel: 'the visit panel',
  cqrg_chair: 'the CQRG chair',
};

/** The web path of each process's cases, by the row's caseType. */
const CASE_PATHS: Record<string, string> = { complaint: 'complaints', review: 'reviews', visit: 'visits', 'action-plan': 'action-plans', 'cqrg-pack': 'cqrg-packs' };

const dateParts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A date as the NHS writes it: Monday 23 November 2026. */
function longDate(date: string): string {
  const parts = Object.fromEntries(dateParts.formatToParts(new Date(`${date}T00:00:00Z`)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

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
  const what = WHAT[kind]?.(n) ?? row.subject;
  const template = existsSync(path.join(dir, `${row.kind}.njk`)) ? `${row.kind}.njk` : 'reminder.njk';
  const context = {
    subject: row.subject,
    reference: row.reference,
    what,
    dueOnLong: longDate(row.dueOn),
    rule: opts.rule,
    link: new URL(`/api/${CASE_PATHS[row.caseType] ?? `${row.caseType}s`}/${encodeURIComponent(row.reference)}`, opts.baseUrl).toString(),
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
