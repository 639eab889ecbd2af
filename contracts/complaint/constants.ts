import type { CaseProcess } from '../kernel/case';

/** The complaint process's fixed lists and numbers: plain data the API's schemas and the workflow both read (no import circle between them). */

export const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export const COMPLAINT_STATUSES = [
  'received',
  'acknowledged',
  'on_hold',
  'responded',
  'with_provider',
  'closed',
  'with_ombudsman',
  'referred_to_ombudsman',
  'completed',
  'withdrawn',
  'transferred',
  'resolved_informally',
  'not_investigated',
  'representative_not_suitable',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT: CaseProcess<ComplaintStatus> = {
  name: 'complaint',
  workflowType: 'complaintWorkflow',
  prefix: 'CMP',
  /** Still being worked: not yet closed (with_provider: passed to the provider, its outcome awaited). */
  open: ['received', 'acknowledged', 'on_hold', 'responded', 'with_provider'],
  /**
   * Nothing more is awaited: its Ombudsman window ended or the Ombudsman's recommendations were
   * met (completed: a late contact from the Ombudsman reopens the stage, s.9(4) of the 1993 Act),
   * withdrawn, passed to the provider (reg 7(5)) and its outcome recorded, resolved orally by the next working day (reg 8),
   * not investigated after the time limit (reg 12), not considered because the representative was
   * not suitable (reg 5(3)-(5)), or referred under the rules before the stage.
   */
  finished: ['referred_to_ombudsman', 'completed', 'withdrawn', 'transferred', 'resolved_informally', 'not_investigated', 'representative_not_suitable'],
};

/** How the complaint was made (reg 8: an oral one is written down). */
export const COMPLAINT_METHODS = ['oral', 'written', 'electronic'] as const;
export type ComplaintMethod = (typeof COMPLAINT_METHODS)[number];

/** Why a case's response clock is paused. */
export const HOLD_REASONS = ['police', 'coroner', 'legal_action'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Follow-on work a closed complaint calls for (DESIGN: linked both ways once opened). */
export const FOLLOW_ON = ['insight_visit', 'action_plan'] as const;

/**
 * Reg 7(4)/(5): the commissioner handles the complaint itself, or passes it to the provider; reg
 * 6(5)/(6): a complaint made to the wrong body is sent to the body that should handle it.
 */
export const HANDLERS = ['commissioner', 'provider', 'another_body'] as const;

/**
 * Reg 5(3)-(5): a representative acting for a child, or for someone who lacks capacity, is
 * considered only once the body decides they are suitable (reasonable grounds, best interests).
 */
export const REPRESENTATIVE_CHECKS = ['child', 'lacks_capacity'] as const;
export type RepresentativeCheck = (typeof REPRESENTATIVE_CHECKS)[number];

/** Reg 13: the response period was agreed with the complainant, or set by the commissioner. */
export const RESPONSE_PERIODS = ['agreed', 'set'] as const;
export type ResponsePeriod = (typeof RESPONSE_PERIODS)[number];

/** Before the response: the stretch of the case the statutory clocks run over. */
export const AWAITING_RESPONSE = new Set<ComplaintStatus>(['received', 'acknowledged']);
/** The same, and paused: the six-month letter still falls due while the response clock is held. */
export const BEFORE_RESPONSE = new Set<ComplaintStatus>(['received', 'acknowledged', 'on_hold']);
