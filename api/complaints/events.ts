import { badRequest } from '../errors';
import { isDesignated } from '../staff/service';
import { aspectsOf, outcomeOfAspects, type StoredCoding } from '../../models/ko41a';
import { caseEvents, type EventCheck } from '../kernel/events';
import { COMPLAINT_EVENTS as ROWS } from '../../contracts/complaint/events';
import type { ComplaintState } from '../../contracts/complaint/definitions';

/** Reg 14(2): the response's signatory is someone the staff directory designates the responsible person (reg 4). */
const signedByTheResponsiblePerson: EventCheck<{ signedBy: string }> = async ({ signedBy }, { models }) => {
  if (!(await isDesignated(models, signedBy, 'responsible_person'))) {
    throw badRequest('body.signedBy', `must be signed by the responsible person (reg 14(2)): ${signedBy} is not designated responsible_person in the staff directory`);
  }
};

/**
 * KO41a: a complaint is upheld when every aspect is, not upheld when none is, and partially
 * upheld otherwise; once every aspect has its outcome, the closure's must be the one they make.
 */
const outcomeAsItsAspects: EventCheck<{ outcome: string }> = async ({ outcome }, { models, reference }) => {
  const record = await models.Complaint.findById(reference, { coding: 1 }).lean<{ coding?: StoredCoding | null }>();
  const aspects = aspectsOf(record?.coding);
  const made = outcomeOfAspects(aspects);
  if (made && made !== outcome) {
    throw badRequest('body.outcome', `must be ${made}: that is what the outcomes of its ${aspects.length} aspect${aspects.length === 1 ? '' : 's'} make (KO41a); change them with PUT …/coding if they are wrong`);
  }
};

/**
 * The human events of a case: POST /api/complaints/:reference/<path>, one per row of the
 * complaint's table (contracts/complaint/events.ts), with the checks against the records some need.
 */
export const COMPLAINT_EVENTS = caseEvents<ComplaintState, typeof ROWS>(ROWS, { checks: { respond: signedByTheResponsiblePerson, close: outcomeAsItsAspects } });
