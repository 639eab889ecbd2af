/** Who may sign in, by what they do. A token carries one or more (its `roles` claim). */
export const ROLES = ['quality_team', 'commissioner', 'cqrg_chair', 'visit_panel', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];
