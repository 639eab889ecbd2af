/**
 * The coding of a complaint for the national return: NHS England's (formerly NHS Digital's)
 * KO41a "Hospital and Community Health Services Complaints collection", published as "Data on
 * Written Complaints in the NHS" (SCCI2125 Amd 102/2015; standard published 06/07/2023, effective
 * 26/06/2023; annual since the 2022-23 reporting period). Primary care (GP and dental) complaints
 * go to the KO41b instead; a commissioner handles both, so the service areas and professions below
 * carry primary care as well.
 *
 * Checked on 2026-12-05 against NHS England's KO41a guidance pages ("Guidelines", "Support and
 * further guidance"): the return's sections (1 organisation, 2 summary: brought forward, new,
 * resolved as upheld / partially upheld / not upheld, carried forward; 3 age of patient; 4 status of
 * complainant; 5 service area; 6 clinical treatment sub-categories; 7 subject area; 8 profession);
 * that a complaint with several aspects is one new complaint, recorded against each aspect's
 * subject, service area and profession (so those totals may exceed the new complaints); the
 * definitions of upheld, partially upheld and not upheld; and that a complaint transferred to
 * another organisation is returned by the one that deals with it. The item lists themselves
 * (the "KO41a complaints data items lookup and validations" spreadsheet) could not be consulted
 * here: entries marked "unchecked" below are from the published tables as remembered, to be
 * confirmed against that lookup before the first submission; section 6 is not kept yet. Looked for
 * again on 2026-12-05 ("KO41a data items", the subject area codes of "Data on Written Complaints in
 * the NHS"): the guidance pages were found, the item lists were not, so the labels stay.
 *
 * Each coded value is a slug (stored, and what the API takes) with its label as the return prints
 * it. A slug, once stored, is never renamed: add, do not edit. Every zod enum, mongoose enum, form
 * choice and report row is read from the lists here (KO41A_LISTS): one table.
 */

export interface Coded<S extends string = string> {
  slug: S;
  label: string;
}

const coded = <const S extends string>(list: readonly (readonly [S, string])[]) => list.map(([slug, label]) => ({ slug, label }));

/** KO41a section "Subject area". */
export const KO41A_SUBJECTS = coded([
  ['access_to_treatment_or_drugs', 'Access to treatment or drugs'],
  ['admissions_discharge_transfers', 'Admissions, discharge and transfers (excluding delayed discharge due to absence of care package)'],
  ['appointments', 'Appointments (including delays and cancellations)'],
  ['clinical_treatment', 'Clinical treatment'],
  ['commissioning', 'Commissioning'],
  ['communications', 'Communications'],
  ['complaints_handling', 'Complaints handling'], // unchecked
  ['consent', 'Consent'],
  ['end_of_life_care', 'End of life care'],
  ['facilities', 'Facilities'],
  ['integrated_care', 'Integrated care (including delayed discharge due to absence of care package)'],
  ['mental_health_act', 'Mental Health Act'], // unchecked
  ['patient_care', 'Patient care (including nutrition and hydration)'],
  ['prescribing', 'Prescribing'],
  ['privacy_dignity_wellbeing', 'Privacy, dignity and wellbeing'],
  ['restraint', 'Restraint'],
  ['staff_numbers', 'Staff numbers'],
  ['transport', 'Transport (ambulances and other)'], // unchecked
  ['trust_admin', 'Trust admin/policies/procedures (including patient record management)'],
  ['values_and_behaviours', 'Values and behaviours (staff)'],
  ['waiting_times', 'Waiting times'],
  ['other', 'Other'],
]);

/** KO41a section "Service area"; the primary care areas are the KO41b's (see above). */
export const KO41A_SERVICE_AREAS = coded([
  ['acute_inpatient', 'Acute services: inpatient'],
  ['acute_outpatient', 'Acute services: outpatient'],
  ['accident_and_emergency', 'Accident and emergency'],
  ['maternity', 'Maternity'],
  ['mental_health', 'Mental health services'],
  ['learning_disability', 'Learning disability services'], // unchecked
  ['community_hospital', 'Community hospital services'], // unchecked
  ['community_health', 'Community health services'],
  ['ambulance', 'Ambulance services'],
  ['primary_care_gp', 'Primary care: general practice'],
  ['primary_care_dental', 'Primary care: dental'],
  ['primary_care_ophthalmic', 'Primary care: ophthalmic'],
  ['primary_care_pharmacy', 'Primary care: community pharmacy'],
  ['other', 'Other'],
]);

/** KO41a section "Profession" (general practice and pharmacy for the commissioner's primary care). */
export const KO41A_PROFESSIONS = coded([
  ['medical', 'Medical (including surgical)'],
  ['dental', 'Dental (including surgical)'],
  ['nursing_midwifery_health_visiting', 'Nursing, midwifery and health visiting'],
  ['allied_health_professionals', 'Allied health professionals'],
  ['scientific_therapeutic_technical', 'Scientific, therapeutic and technical'],
  ['ambulance_staff', 'Ambulance staff'],
  ['general_practice', 'General practice'],
  ['pharmacy', 'Pharmacy'],
  ['admin_estates_support', 'Trust admin, estates and support services staff'], // unchecked wording
  ['other', 'Other'],
]);

/** KO41a section "Status of complainant". */
export const KO41A_COMPLAINANT_STATUSES = coded([
  ['patient', 'Patient'],
  ['relative_or_carer', 'Relative or carer'],
  ['representative', 'Representative (other than a relative or carer)'],
  ['mp', 'Member of Parliament'],
  ['other', 'Other'],
]);

/** KO41a section 2 "Complaints resolved": a complaint's outcome, and each aspect's (the slugs are the workflow's outcomes). */
export const KO41A_OUTCOMES = coded([
  ['upheld', 'Upheld'],
  ['partly_upheld', 'Partially upheld'],
  ['not_upheld', 'Not upheld'],
]);

/**
 * KO41a section "Age of patient". The bands here are under 18 (a child: reg 5(3)(a)), 18 to 64
 * and 65 and over, with unknown: the broad bands the published tables are read in. If the
 * current KO41a lookup asks for finer bands (unchecked), they cannot be rolled down from these.
 */
export const KO41A_AGE_BANDS = coded([
  ['under_18', 'Under 18'],
  ['18_to_64', '18 to 64'],
  ['65_and_over', '65 and over'],
  ['unknown', 'Not known'],
]);

const slugs = <S extends string>(list: readonly Coded<S>[]) => list.map((c) => c.slug) as [S, ...S[]];

export const SUBJECT_SLUGS = slugs(KO41A_SUBJECTS);
export const SERVICE_AREA_SLUGS = slugs(KO41A_SERVICE_AREAS);
export const PROFESSION_SLUGS = slugs(KO41A_PROFESSIONS);
export const COMPLAINANT_STATUS_SLUGS = slugs(KO41A_COMPLAINANT_STATUSES);
export const AGE_BAND_SLUGS = slugs(KO41A_AGE_BANDS);
export const OUTCOME_SLUGS = slugs(KO41A_OUTCOMES);

/**
 * One aspect of a complaint (KO41a: a complaint covering several aspects is counted against each):
 * its subject, and the service area and profession it concerns, with the outcome found on it.
 */
export interface Ko41aAspect {
  subject: (typeof SUBJECT_SLUGS)[number];
  serviceArea?: (typeof SERVICE_AREA_SLUGS)[number];
  profession?: (typeof PROFESSION_SLUGS)[number];
  outcome?: (typeof OUTCOME_SLUGS)[number];
}

/** What a complaint is coded with; each part may be missing until someone codes it. */
export interface Ko41aCoding {
  aspects?: Ko41aAspect[];
  complainantStatus?: (typeof COMPLAINANT_STATUS_SLUGS)[number];
  ageBand?: (typeof AGE_BAND_SLUGS)[number];
}

/** A coding as stored: before aspects, a record kept one subject, service area and profession. */
export interface StoredCoding {
  aspects?: { subject?: string | null; serviceArea?: string | null; profession?: string | null; outcome?: string | null }[] | null;
  subject?: string | null;
  serviceArea?: string | null;
  profession?: string | null;
  complainantStatus?: string | null;
  ageBand?: string | null;
}

/** A stored coding's aspects: its own, or the one its older single fields made (none if it had none). */
export function aspectsOf(coding: StoredCoding | null | undefined): { subject?: string; serviceArea?: string; profession?: string; outcome?: string }[] {
  if (!coding) return [];
  if (coding.aspects?.length) return coding.aspects.map((a) => ({ ...(a.subject && { subject: a.subject }), ...(a.serviceArea && { serviceArea: a.serviceArea }), ...(a.profession && { profession: a.profession }), ...(a.outcome && { outcome: a.outcome }) }));
  const { subject, serviceArea, profession } = coding;
  return subject || serviceArea || profession ? [{ ...(subject && { subject }), ...(serviceArea && { serviceArea }), ...(profession && { profession }) }] : [];
}

/** A stored coding as today's API shows it: aspects, complainant status, age band. */
export function currentCoding(coding: StoredCoding | null | undefined): { aspects?: ReturnType<typeof aspectsOf>; complainantStatus?: string; ageBand?: string } {
  const aspects = aspectsOf(coding);
  return { ...(aspects.length && { aspects }), ...(coding?.complainantStatus && { complainantStatus: coding.complainantStatus }), ...(coding?.ageBand && { ageBand: coding.ageBand }) };
}

/**
 * A complaint's outcome from its aspects' (KO41a: upheld when every aspect is, not upheld when
 * none is, partially upheld otherwise), or undefined while an aspect has none.
 */
export function outcomeOfAspects(aspects: { outcome?: string }[]): (typeof OUTCOME_SLUGS)[number] | undefined {
  if (!aspects.length || aspects.some((a) => !a.outcome)) return undefined;
  if (aspects.every((a) => a.outcome === 'upheld')) return 'upheld';
  if (aspects.every((a) => a.outcome === 'not_upheld')) return 'not_upheld';
  return 'partly_upheld';
}

/** Every list by the coding field it codes, for the API's schemas and the report. */
export const KO41A_LISTS = {
  subject: KO41A_SUBJECTS,
  serviceArea: KO41A_SERVICE_AREAS,
  profession: KO41A_PROFESSIONS,
  outcome: KO41A_OUTCOMES,
  complainantStatus: KO41A_COMPLAINANT_STATUSES,
  ageBand: KO41A_AGE_BANDS,
} as const;

/** The band of a patient's age in whole years. */
export function ageBandOf(age: number): (typeof AGE_BAND_SLUGS)[number] {
  if (age < 18) return 'under_18';
  return age < 65 ? '18_to_64' : '65_and_over';
}
