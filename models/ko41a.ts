/**
 * The coding of a complaint for the national return: NHS England's (formerly NHS Digital's)
 * KO41a "Hospital and Community Health Services Complaints collection", published as "Data on
 * Written Complaints in the NHS" (SCCI2125 Amd 102/2015; annual since the 2022-23 reporting
 * period). Its sections are: age of patient, status of complainant, service area, subject area,
 * profession. Primary care (GP and dental) complaints go to the KO41b instead; a commissioner
 * handles both, so the service areas and professions below carry primary care as well.
 *
 * Each coded value is a slug (stored, and what the API takes) with its label as the return
 * prints it. The labels follow the published KO41a tables as far as we know them. They were NOT
 * checked line by line against the current "KO41a complaints data items lookup and validations"
 * (no copy here): entries marked "unchecked" are from memory of those tables and should be
 * confirmed before the first submission. A slug, once stored, is never renamed: add, do not edit.
 * Where a complaint covers several aspects the KO41a counts each; this records the main one.
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

/** What a complaint is coded with; each part may be missing until someone codes it. */
export interface Ko41aCoding {
  subject?: (typeof SUBJECT_SLUGS)[number];
  serviceArea?: (typeof SERVICE_AREA_SLUGS)[number];
  profession?: (typeof PROFESSION_SLUGS)[number];
  complainantStatus?: (typeof COMPLAINANT_STATUS_SLUGS)[number];
  ageBand?: (typeof AGE_BAND_SLUGS)[number];
}

/** Every list by the coding field it codes, for the API's schemas and the report. */
export const KO41A_LISTS = {
  subject: KO41A_SUBJECTS,
  serviceArea: KO41A_SERVICE_AREAS,
  profession: KO41A_PROFESSIONS,
  complainantStatus: KO41A_COMPLAINANT_STATUSES,
  ageBand: KO41A_AGE_BANDS,
} as const;

/** The band of a patient's age in whole years. */
export function ageBandOf(age: number): (typeof AGE_BAND_SLUGS)[number] {
  if (age < 18) return 'under_18';
  return age < 65 ? '18_to_64' : '65_and_over';
}
