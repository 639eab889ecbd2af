import { codingBody } from '../../api/complaints/coding';
import { COMPLAINT_OUTCOMES } from '../../contracts/complaint/constants';
import { ageOn, isValidNhsNumber } from '../../api/complaints/representation';
import { createComplaintBody } from '../../api/complaints/schemas';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { REPRESENTATIVE_BASES } from '../../models/complaint';
import { ageBandOf, KO41A_LISTS } from '../../models/ko41a';

/** Reg 5 (who complains for whom) and the KO41a coding, at the edge: schemas alone, no server. */

const receivedAt = addCalendarDays(londonDate(Date.now()), -10);
const yearsBefore = (date: string, years: number, days = 0) => addCalendarDays(`${Number(date.slice(0, 4)) - years}${date.slice(4)}`, days);

const complaint = (over: Record<string, unknown> = {}) => ({
  providerCode: 'RJ2',
  receivedAt,
  source: 'complainant',
  summary: 'Discharged without medication',
  consentToShare: true,
  complainant: { name: 'Jo Parent' },
  ...over,
});

/** Each problem as `field: reason`, or [] if the body is accepted. */
function problems(body: unknown): string[] {
  const result = createComplaintBody.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const representative = (basis: string, over: Record<string, unknown> = {}) =>
  complaint({ madeBy: 'representative', patient: { name: 'Sam Child', dateOfBirth: yearsBefore(receivedAt, 10) }, representative: { basis, ...over } });

describe('reg 5: who complains for whom', () => {
  test('a complaint without madeBy, patient or coding is accepted as before (category optional too)', () => {
    expect(problems(complaint())).toEqual([]);
    expect(problems(complaint({ category: 'discharge' }))).toEqual([]);
  });

  test('a representative’s complaint needs the patient and the basis', () => {
    expect(problems(complaint({ madeBy: 'representative' }))).toEqual([
      'patient: a complaint made by a representative needs the patient it is made for (reg 5)',
      `representative: a complaint made by a representative needs the basis they act on: one of ${REPRESENTATIVE_BASES.join(', ')}`,
    ]);
    expect(problems(complaint({ madeBy: 'representative', patient: { nhsNumber: '9434765919' }, representative: { basis: 'deceased' } }))).toEqual([
      'patient.name: a complaint made by a representative needs the patient’s name',
    ]);
    expect(problems(representative('deceased'))).toEqual([]);
  });

  test('a representative given for a complaint the patient made is refused', () => {
    expect(problems(complaint({ madeBy: 'patient', representative: { basis: 'deceased' } }))).toEqual(['madeBy: must be representative when a representative is given']);
    expect(problems(complaint({ representative: { basis: 'deceased' } }))).toEqual(['madeBy: must be representative when a representative is given']);
  });

  test('child: the patient must be under 18 on the day of receipt, when the date of birth is given', () => {
    expect(problems(representative('child'))).toEqual([]);
    // 18 tomorrow: still a child on the day of receipt.
    const almost18 = { name: 'Sam', dateOfBirth: yearsBefore(receivedAt, 18, 1) };
    expect(problems(complaint({ madeBy: 'representative', patient: almost18, representative: { basis: 'child' } }))).toEqual([]);
    const turned18 = { name: 'Sam', dateOfBirth: yearsBefore(receivedAt, 18) };
    expect(problems(complaint({ madeBy: 'representative', patient: turned18, representative: { basis: 'child' } }))).toEqual([
      'representative.basis: child needs a patient under 18, and the patient was 18 when the complaint was received',
    ]);
    // No date of birth: the basis is taken as recorded.
    expect(problems(complaint({ madeBy: 'representative', patient: { name: 'Sam' }, representative: { basis: 'child' } }))).toEqual([]);
  });

  test('the patient’s consent needs its date; an MP acts with source mp', () => {
    expect(problems(representative('patient_consent'))).toEqual([
      'representative.patientConsentOn: a representative acting with the patient’s consent needs the date the consent was given',
    ]);
    expect(problems(representative('patient_consent', { patientConsentOn: receivedAt, relationship: 'aunt' }))).toEqual([]);
    expect(problems(representative('mp_on_behalf'))).toEqual(['source: must be mp when an MP acts on a constituent’s behalf']);
    expect(problems({ ...representative('mp_on_behalf'), source: 'mp' })).toEqual([]);
  });

  test('dates of birth and NHS numbers are checked', () => {
    const withPatient = (patient: Record<string, unknown>) => complaint({ patient: { name: 'Sam', ...patient } });
    expect(problems(withPatient({ dateOfBirth: '1958-02-30' }))).toEqual(['patient.dateOfBirth: must be a real date as YYYY-MM-DD']);
    expect(problems(withPatient({ dateOfBirth: addCalendarDays(receivedAt, 1) }))).toEqual(['patient.dateOfBirth: is after the day the complaint was received']);
    expect(problems(withPatient({ nhsNumber: '943 476 5919' }))).toEqual([]);
    expect(problems(withPatient({ nhsNumber: '9434765918' }))).toEqual(['patient.nhsNumber: must be a valid NHS number (10 digits, modulus 11 check digit)']);
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(ageOn('2008-04-01', '2026-03-31')).toBe(17);
    expect(ageOn('2008-04-01', '2026-04-01')).toBe(18);
  });

  test('an age band given with a date of birth must agree with it', () => {
    const patient = { name: 'Pat', dateOfBirth: yearsBefore(receivedAt, 70) };
    expect(problems(complaint({ patient, coding: { ageBand: '65_and_over' } }))).toEqual([]);
    expect(problems(complaint({ patient, coding: { ageBand: '18_to_64' } }))).toEqual(['coding.ageBand: must be 65_and_over: the patient was 70 when the complaint was received']);
  });
});

describe('KO41a coding', () => {
  test('every list has unique slugs, a label each and an "other" or "unknown" to fall back on (outcomes: the workflow’s three)', () => {
    for (const [field, list] of Object.entries(KO41A_LISTS)) {
      const slugs = list.map((c) => c.slug);
      expect({ field, unique: new Set(slugs).size }).toEqual({ field, unique: slugs.length });
      for (const c of list) {
        expect(c.slug).toMatch(/^[a-z0-9_]+$/);
        expect(c.label.length).toBeGreaterThan(2);
      }
      if (field === 'outcome') expect(slugs).toEqual([...COMPLAINT_OUTCOMES]);
      else expect(slugs.some((s) => s === 'other' || s === 'unknown')).toBe(true);
    }
    expect(KO41A_LISTS.subject.map((c) => c.label)).toEqual(expect.arrayContaining(['Clinical treatment', 'Communications', 'Values and behaviours (staff)', 'Waiting times', 'Other']));
  });

  test('coding takes slugs only, and names the field it refuses', () => {
    expect(codingBody.safeParse({ aspects: [{ subject: 'clinical_treatment', serviceArea: 'maternity', profession: 'medical', outcome: 'partly_upheld' }], complainantStatus: 'relative_or_carer', ageBand: 'under_18' }).success).toBe(true);
    expect(codingBody.safeParse({}).success).toBe(true);
    const bad = codingBody.safeParse({ aspects: [{ subject: 'Clinical treatment' }], colour: 'red' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual(['aspects.0.subject', 'unrecognized_keys']);
    expect(problems(complaint({ coding: { aspects: [{ subject: 'other', serviceArea: 'moon' }] } }))[0]).toMatch(/^coding\.aspects\.0\.serviceArea: /);
  });

  test('age bands: under 18, 18 to 64, 65 and over', () => {
    expect([0, 17, 18, 64, 65, 101].map(ageBandOf)).toEqual(['under_18', 'under_18', '18_to_64', '18_to_64', '65_and_over', '65_and_over']);
  });
});
