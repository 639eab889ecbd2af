/**
 * The themes the CQRG reviews with a provider (Bexley, "Shaping services"): the Workforce Race
 * Equality Standard, the Equality Delivery System, the Accessible Information Standard, patient
 * surveys, the Friends and Family Test, PROMs, complaints and compliments. An action plan's
 * theme and a report the provider owes its meeting are each one of these (and each process adds
 * its own: a plan's `other`, a meeting's yearly Quality Account), so neither process imports the other.
 */
export const CQRG_THEMES = ['wres', 'eds2', 'accessible_information_standard', 'patient_surveys', 'friends_and_family_test', 'proms', 'complaints_and_compliments'] as const;
