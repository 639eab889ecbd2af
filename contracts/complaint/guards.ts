import type { ComplaintState } from './definitions';

/**
 * Questions about a complaint's state that its rules (workflows/complaint/rules/) and its words
 * (./vocabulary.ts: what a state offers) both ask, so the two cannot drift apart.
 */

/** Reg 5(3)-(5): a representative is acting for a child or someone lacking capacity, and no decision on them is recorded yet. */
export const representativePending = (s: ComplaintState) => !!s.representative && s.representative.suitable === undefined;

/** Reg 6(5), 7(5): a transfer was decided and the complaint has not been sent yet. */
export const transferPending = (s: ComplaintState) => !!s.transfer && !s.transfer.transferredOn;

/** Reg 13(2): an oral complaint not yet written down (a case from before the method was asked is taken as written). */
export const awaitingWrittenRecord = (s: ComplaintState) => s.method === 'oral' && !s.writtenRecord;
