import type { VisitState } from '../../contracts/visit/definitions';
import { VISIT_EVENTS as ROWS } from '../../contracts/visit/events';
import { caseEvents } from '../kernel/events';

/** The human events of a visit: POST /api/visits/:reference/<path>, one per row of its table (contracts/visit/events.ts). */
export const VISIT_EVENTS = caseEvents<VisitState, typeof ROWS>(ROWS);
