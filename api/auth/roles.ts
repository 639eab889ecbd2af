/** Who may sign in, by what they do. A token carries one or more (its `roles` claim). */
export const ROLES = ['quality_team', 'commissioner', 'cqrg_chair', 'visit_panel', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  quality_team: 'Quality team',
  commissioner: 'Commissioner',
  cqrg_chair: 'CQRG chair',
  visit_panel: 'Visit panel member',
  auditor: 'Auditor (read only)',
  administrator: 'Administrator',
};

/** Roles that may see a complainant's and patient's own details; everyone else sees them redacted. */
export const SEES_PERSONAL_DETAILS: readonly Role[] = ['quality_team', 'administrator'];
