import { londonDate } from '../../lib/calendar';
import { MADE_BY, REPRESENTATIVE_BASES } from '../../models/complaint';
import { ageBandOf } from '../../models/ko41a';
import { freeText, pastDate, z } from '../../lib/zod';

/**
 * Who complains for whom: reg 5 of the Local Authority Social Services and National Health
 * Service Complaints (England) Regulations 2009 (SI 2009/309). The patient is recorded apart from
 * the complainant; a representative's complaint names the patient and the basis on which the
 * representative acts. Personal details: the record only, never the workflow's input.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date as YYYY-MM-DD, of any year (a birth date is older than the working-day calendar). */
export function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Age in whole years on a day: birthdays not yet reached that year do not count. */
export function ageOn(dateOfBirth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** An NHS number: ten digits whose last is the modulus 11 check digit of the first nine (10 is never valid). */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const sum = [...value.slice(0, 9)].reduce((acc, digit, i) => acc + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

export const birthDate = z
  .string()
  .refine(isRealDate, { message: 'must be a real date as YYYY-MM-DD' })
  .refine((v) => v >= '1900-01-01' && v <= londonDate(Date.now()), { message: 'must be between 1900-01-01 and today' })
  .openapi({ type: 'string', format: 'date', example: '1958-02-14' });

export const patientBody = z
  .object({
    name: freeText(200, 1).optional(),
    dateOfBirth: birthDate.optional(),
    nhsNumber: z
      .string()
      .transform((v) => v.replace(/\s/g, ''))
      .refine(isValidNhsNumber, { message: 'must be a valid NHS number (10 digits, modulus 11 check digit)' })
      .optional()
      .openapi({ example: '943 476 5919' }),
    address: freeText(500).optional(),
  })
  .strict()
  .openapi('Patient', { description: 'The person the complaint is about, when it is not the complainant (reg 5)' });

export const representativeBody = z
  .object({
    basis: z.enum(REPRESENTATIVE_BASES).openapi({
      description:
        'Reg 5(2): the patient is a child (under 18), has died, lacks capacity (Mental Capacity Act 2005) or cannot complain through physical incapacity, ' +
        'has asked the representative to act (patient_consent), or is the constituent of the MP acting for them',
    }),
    relationship: freeText(200).optional().openapi({ example: 'daughter' }),
    /** Reg 5(2)(d): when the patient consented to the representative acting for them. */
    patientConsentOn: pastDate.optional(),
  })
  .strict()
  .openapi('Representative');

export const madeBy = z.enum(MADE_BY).openapi({ description: 'Reg 5: the patient complains, or a representative for them (then `patient` and `representative` are needed)' });

type Patient = z.infer<typeof patientBody>;
type Representative = z.infer<typeof representativeBody>;

export interface WhoComplains {
  receivedAt: string;
  source: string;
  madeBy?: (typeof MADE_BY)[number];
  patient?: Patient;
  representative?: Representative;
  coding?: { ageBand?: string };
}

export interface Problem {
  path: string[];
  message: string;
}

/** What reg 5 refuses in a complaint's who-for-whom, each with the field it is about. */
export function representationProblems(c: WhoComplains): Problem[] {
  const problems: Problem[] = [];
  const { patient, representative } = c;
  if (representative && c.madeBy !== 'representative') {
    problems.push({ path: ['madeBy'], message: 'must be representative when a representative is given' });
  }
  if (c.madeBy === 'representative') {
    if (!patient) problems.push({ path: ['patient'], message: 'a complaint made by a representative needs the patient it is made for (reg 5)' });
    else if (!patient.name) problems.push({ path: ['patient', 'name'], message: 'a complaint made by a representative needs the patient’s name' });
    if (!representative) problems.push({ path: ['representative'], message: `a complaint made by a representative needs the basis they act on: one of ${REPRESENTATIVE_BASES.join(', ')}` });
  }
  const age = patient?.dateOfBirth && patient.dateOfBirth <= c.receivedAt ? ageOn(patient.dateOfBirth, c.receivedAt) : undefined;
  if (patient?.dateOfBirth && patient.dateOfBirth > c.receivedAt) {
    problems.push({ path: ['patient', 'dateOfBirth'], message: 'is after the day the complaint was received' });
  }
  if (representative?.basis === 'child' && age !== undefined && age >= 18) {
    problems.push({ path: ['representative', 'basis'], message: `child needs a patient under 18, and the patient was ${age} when the complaint was received` });
  }
  if (representative?.basis === 'patient_consent' && !representative.patientConsentOn) {
    problems.push({ path: ['representative', 'patientConsentOn'], message: 'a representative acting with the patient’s consent needs the date the consent was given' });
  }
  if (representative?.basis === 'mp_on_behalf' && c.source !== 'mp') {
    problems.push({ path: ['source'], message: 'must be mp when an MP acts on a constituent’s behalf' });
  }
  if (age !== undefined && c.coding?.ageBand && c.coding.ageBand !== 'unknown' && c.coding.ageBand !== ageBandOf(age)) {
    problems.push({ path: ['coding', 'ageBand'], message: `must be ${ageBandOf(age)}: the patient was ${age} when the complaint was received` });
  }
  return problems;
}
