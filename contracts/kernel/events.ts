import { defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ZodObject, z } from 'zod';
import type { Human } from './case';
import type { CaseAnswer } from './commit';
import { ROLES, type Role } from './roles';

/**
 * One human event of a process, in one row of its vocabulary: everything every layer knows of it.
 * The API's route, permission line and OpenAPI entry, the page's button and form, the Update the
 * workflow registers its handler for: all come from here. Plain data, zod and the SDK only, so
 * the workflow bundle imports it. Adding an event touches its rules, its row and its handler.
 */
export interface EventRow<S, B extends ZodObject = ZodObject, I extends object = object> {
  /** The Update's name. Never renamed: saved histories and running cases name it. */
  update: string;
  /** Its button text and page heading. */
  title: string;
  /** What it does, in a sentence: its OpenAPI summary. */
  summary: string;
  /** The request body (POST <api>/:reference/<path>), validated at the edge. */
  body: B;
  /** Who may send it (the permission matrix's line for its route). */
  roles: readonly Role[];
  /** Whether a case in this state offers it to this caller: the state half of its rule (the workflow's validator still decides). */
  offered(state: S, caller?: { id: string }): boolean;
  /** A finished case takes it: its workflow is resumed for it (see Cases.revive in the API). */
  revives?: boolean;
  /**
   * Where the body holds staff notes: the Update's input names them by id (`id(0)`, `id(1)` ...)
   * and the notes are kept in MongoDB, so no text enters the workflow's history. Without it the
   * body is the input.
   */
  notes?(body: z.output<B>, id: (i: number) => string): { input: I; notes: StaffNote[] };
}

/** A staff note an event carries, stored before the event names it. */
export interface StaffNote {
  _id: string;
  kind: 'action' | 'update' | 'evidence';
  text: string;
  link?: string;
  ownerName?: string;
}

// `any` in the constraint only: a table holds rows of many bodies and inputs, each kept exact.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventRows<S> = Record<string, EventRow<S, any, any>>;

/** What an event's Update takes: the body, or the notes' ids in its place. */
export type InputOf<R> = R extends { notes?: (body: never, id: never) => { input: infer I } } ? I : never;

/**
 * The Update of each row, by its path. It answers a receipt (contracts/kernel/commit.ts: the
 * version its change was written at; the API reads the state from the record), or the state on a
 * run started before KERNEL_ONE_WRITE_PATCH.
 */
export type UpdatesOf<S, T extends EventRows<S>> = { [K in keyof T]: UpdateDefinition<CaseAnswer<S>, [Human<InputOf<T[K]>>]> };

/**
 * A process's rows are made by `const event = eventOf<State>()`, `event({ ... })`: its body and
 * its input inferred, its state fixed. The table is `{ path: event(...), ... }`, in the order the
 * case page shows the buttons (no `satisfies` on it: its contextual type would make each input `any`).
 */
export function eventOf<S>() {
  return <B extends ZodObject, I extends object = z.output<B>>(row: EventRow<S, B, I>): EventRow<S, B, I> => row;
}

/** The Update definitions of a table: `defineUpdate` of each row's name, typed by its input. */
export function updatesOf<S, T extends EventRows<S>>(rows: T): UpdatesOf<S, T> {
  return Object.fromEntries(Object.entries(rows).map(([path, row]) => [path, defineUpdate(row.update)])) as UpdatesOf<S, T>;
}

/** The paths of the events a case in this state offers this caller, in the table's order. */
export function offeredBy<S>(rows: EventRows<S>): (state: S, caller?: { id: string }) => string[] {
  return (state, caller) => Object.keys(rows).filter((path) => rows[path].offered(state, caller));
}

/** Everyone who may send some event of a table: the roles of its process's event line in the permission matrix. */
export function sendersOf(rows: EventRows<never>): Role[] {
  const senders = new Set(Object.values(rows).flatMap((row) => row.roles));
  return ROLES.filter((role) => senders.has(role));
}
