import type { Role } from '../../contracts/kernel/roles';

// Events name who may send them in the contracts (contracts/kernel/events.ts), so the roles live there.
export { ROLES, type Role } from '../../contracts/kernel/roles';

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
