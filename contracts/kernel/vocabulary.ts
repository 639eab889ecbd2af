import type { EventRows } from './events';

/**
 * A process's words, in one table per process (contracts/<process>/vocabulary.ts): plain data the
 * workflow bundle may import, read by the pages (buttons, headings, labels, which events a case
 * offers), the activities (who an alarm is for, its subject) and the mailer (what is due, in
 * words, and the page a link opens). Adding an event touches its rules, its line here and its
 * handler, nothing else.
 */
export interface Vocabulary<S> {
  /** The notification rows' `caseType`. */
  caseType: string;
  /** What one case is called where cases of every process are listed together (search results). */
  noun?: string;
  /** The case's page: where a person opens it (and where an email's link goes). */
  page(reference: string): string;
  /** Each human event, by its path: its row (./events.ts), in the order the page shows them. */
  events: EventRows<S>;
  /** The events a case in this state offers this caller (offeredBy(events); the workflow's rules still decide). */
  offered(state: S, caller?: { id: string }): string[];
  /** Each deadline, by its kind (`recommendation` for `recommendation:2`): its label on the case page, and what it is in an email (else the alarm's subject). */
  deadlines: Record<string, { label?: string; what?: (n?: string) => string }>;
  /** Each alarm, by `deadline:action` (or action alone): who it is for, and its subject. */
  alarms: Record<string, { audience: string; subject: string | ((a: { n: string; dueOn: string }) => string) }>;
  /** The kinds of document kept with a case of this process, by slug: their names. */
  documents?: Record<string, string>;
  /** The letters a case of this process may generate, by kind (api/letters): each kept as one of `documents`. */
  letters?: Record<string, LetterWords<S>>;
  /**
   * The forms that name documents already uploaded to the case (api/documents/of-case.ts: a
   * review's assessment, an action's evidence), by the form's path under the case: their words.
   */
  picks?: Record<string, DocumentPickWords>;
}

/** A form that picks documents already uploaded to the case, in words. */
export interface DocumentPickWords {
  /** The form's heading and its button (an event's form keeps its event's title). */
  title?: string;
  /** The picker's label (a select of one document, or a box to tick for each). */
  label: string;
  hint?: string;
  /** What the form says when the case has no document to pick yet; the page links to its upload form after it. */
  none: string;
}

/** A letter generated from a case: its title, the document kind it is kept as, and when a case may have it. */
export interface LetterWords<S> {
  title: string;
  /** One of the vocabulary's `documents`. */
  document: string;
  /** What the person making it must write for it (a 400 without it), e.g. why there is no response yet. */
  explanation?: string;
  /** Who it goes to: a complainant's letter takes the format their communication needs ask for. */
  to: 'complainant' | 'provider';
  /** Why a case in this state cannot have it (yet): the 409's reason; nothing when it can. */
  refused(state: S, today: string): string | undefined;
}

const longDate = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A date in words, as the NHS writes it in a letter or an email: 2026-11-23 → Monday 23 November 2026. */
export function dateInWords(date: string): string {
  const parts = Object.fromEntries(longDate.formatToParts(new Date(`${date.slice(0, 10)}T00:00:00Z`)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** The page labels of a vocabulary's deadlines, for the case page. */
export function deadlineLabels(words: Vocabulary<unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(words.deadlines).flatMap(([kind, d]) => (d.label ? [[kind, d.label]] : [])));
}

/** An alarm's audience and subject line, from the process's table (`fallback` where it has no line). */
export function alarmWords(words: Vocabulary<unknown>, what: string, a: { n: string; dueOn: string }, fallback: string): { audience: string; subject: string } {
  const line = words.alarms[what];
  if (!line) return { audience: 'quality_lead', subject: fallback };
  return { audience: line.audience, subject: typeof line.subject === 'function' ? line.subject(a) : line.subject };
}
