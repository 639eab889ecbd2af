import { ApplicationFailure, defineQuery } from '@temporalio/workflow';

/**
 * The contract every case process shares: its bookkeeping, its timeline entries, its deadlines
 * and alarms, and the failure a refused event raises. Plain data and pure helpers, safe in the
 * workflow sandbox, in activities and in the API alike.
 */

export type IsoDate = string;
export type IsoInstant = string;

/** Who did something: a member of staff, or the system when a deadline acted by itself. */
export interface Actor {
  id: string;
  name: string;
  role: string;
}

/** A human event's input: what the request said, and who sent it (set by the API, never the client). */
export type Human<I> = I & { actor: Actor };

/** The kernel's bookkeeping, kept apart from what a client sees of the case. */
export interface CaseMeta {
  /** Timeline sequence; entries are keyed `${reference}:${seq}` so retries write once. */
  seq: number;
  /** Bumped on every change; the MongoDB projection only moves forward. */
  version: number;
  /** Alarm keys already acted on, so a replayed or continued run never repeats one. */
  fired: string[];
}

/** The whole durable state of a case: what continue-as-new carries and the reconciler compares. */
export interface CaseSnapshot<S> {
  meta: CaseMeta;
  case: S;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  at: IsoInstant;
  /** Absent on entries the system made (an alarm) and on events from before actors were kept. */
  actor?: Actor;
  data: Record<string, unknown>;
}

/**
 * Statutory: Monday to Friday less England and Wales bank holidays (Christmas Day and Good Friday
 * among them), as the 2009 complaints regulations define a working day. Local: the statutory
 * calendar less the local closure days an administrator adds.
 */
export type DeadlineCalendar = 'statutory' | 'local';

/** How a due date was worked out, so "why is this overdue?" has an answer. */
export interface DeadlineBasis {
  rule: string;
  /** Which working days it counted (absent on deadlines planned before the two were told apart). */
  calendar?: DeadlineCalendar;
  start: IsoDate;
  workingDays?: number;
  calendarMonths?: number;
  weekendDaysSkipped: number;
  skipped: { date: IsoDate; reason: string; name?: string }[];
}

export interface Deadline {
  /** Which deadline: `response`, or `action:<id>` for one of many. */
  id: string;
  dueOn: IsoDate;
  /** Working-hours instants (Europe/London) when reminders go out, earliest first. */
  reminders: IsoInstant[];
  /** Working-hours instant when the missed deadline is acted on (escalated, or the window ends). */
  escalateAt: IsoInstant;
  /** Escalate again every this many working days until the deadline is met. */
  repeatEveryWorkingDays?: number;
  /** The repeat escalations planned so far, after `escalateAt`. */
  repeats?: IsoInstant[];
  basis: DeadlineBasis;
}

export interface PlanDeadlineInput {
  id: string;
  from: IsoDate;
  workingDays?: number;
  calendarMonths?: number;
  /** An agreed date instead of a computed one (e.g. an extension). */
  dueOn?: IsoDate;
  /** Who an agreed date was agreed with, for its basis (default: the complainant). */
  agreedWith?: string;
  /**
   * A paused clock resuming on `from`: due as many working days after it as were left between
   * the pause and the due date it had then (at least one).
   */
  resume?: { pausedOn: IsoDate; dueOn: IsoDate };
  /**
   * Due `workingDays` working days before this date instead of after `from` (a notice ahead of an
   * event, say); never before `from`: a day already past by then makes it due on `from`.
   */
  before?: IsoDate;
  /** A reminder this many working days before the due date, for each number. */
  remindWorkingDaysBefore?: number[];
  /**
   * A reminder this many calendar days before the due date ("four weeks before" is 28), for each
   * number: on that day, or the working day before it when it is not one, so it never comes late.
   */
  remindCalendarDaysBefore?: number[];
  /** Act on the due date itself (a letter to write that day), not the morning after it is missed. */
  onTheDay?: boolean;
  /** Which working days count (default local). */
  calendar?: DeadlineCalendar;
  /**
   * Nothing acts before this instant (a case opened, or a date moved, late): a reminder before it
   * is dropped, and a due-date action before it moves to the first working-hours moment from it.
   */
  notBefore?: IsoInstant;
  repeatEveryWorkingDays?: number;
}

/** A moment a deadline acts: a reminder, or what its due date does (`escalation`, `task`, ...). */
export interface Alarm {
  key: string;
  /** The deadline's id. */
  deadline: string;
  action: string;
  at: IsoInstant;
  dueOn: IsoDate;
}

/** The failure type a validator throws; the API answers it with 409. */
export const CASE_STATE_CONFLICT = 'CaseStateConflict';

/** Refuse an event that does not fit the case's state, saying why. */
export function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, CASE_STATE_CONFLICT);
}

export function notBefore(date: string, earliest: string | undefined, what: string, earliestName: string): void {
  if (earliest && date < earliest) refuse(`${what} (${date}) cannot be before ${earliestName} (${earliest})`);
}

/**
 * What the API, the activities and the reconciler know of a process by name: its workflow type,
 * its reference prefix, and which statuses are open (still being worked) and finished (the
 * workflow has run its course). Each process defines it once, in its definitions.
 */
export interface CaseProcess<Status extends string = string> {
  name: string;
  workflowType: string;
  /** A reference is `${prefix}-YYYY-NNNNNN`. */
  prefix: string;
  open: readonly Status[];
  finished: readonly Status[];
}

/** A case's workflow id is its business key: one function, for the API, the tests and the bench. */
export function caseWorkflowId(process: string, reference: string): string {
  return `${process}:${reference}`;
}

/** What a client may read of a case, and the whole snapshot for the reconciler and the tests. */
export function defineCaseQueries<S>() {
  return { state: defineQuery<S>('state'), snapshot: defineQuery<CaseSnapshot<S>>('snapshot') };
}

/**
 * A deadline as an earlier version planned it (one optional `remindAt`, named by `kind`): what
 * saved histories and continued runs still carry, read as today's shape.
 */
export function upgradeDeadline(d: Deadline | LegacyDeadline): Deadline {
  if ('id' in d && Array.isArray(d.reminders)) return d;
  const { kind, remindAt, ...rest } = d as LegacyDeadline;
  return { ...rest, id: kind, reminders: remindAt ? [remindAt] : [] };
}

/** A case's deadlines by id, each read as today's shape (see upgradeDeadline). */
export function upgradeDeadlines(deadlines: Partial<Record<string, Deadline | LegacyDeadline>> | undefined): Partial<Record<string, Deadline>> {
  return Object.fromEntries(Object.entries(deadlines ?? {}).flatMap(([id, d]) => (d ? [[id, upgradeDeadline(d)]] : [])));
}

export interface LegacyDeadline extends Omit<Deadline, 'id' | 'reminders'> {
  kind: string;
  remindAt?: IsoInstant;
}

/** What every process's workflow input carries besides its own fields. */
export interface CaseInput<S> {
  /** Present when continuing as new. */
  snapshot?: CaseSnapshot<S>;
  /** Continue as new once the history has this many events (the server's own suggestion also counts). */
  historyLimit?: number;
  /** Who opened the case; its opening entry records them. */
  openedBy?: Actor;
  /** The local closure days as whoever started the case knew them, for the deadlines it opens with. */
  closures?: string[];
}
