import { PERMISSIONS } from './permissions';
import { ROLES } from './roles';

/** What "only their own" means, by the kind of record. */
const OWN = { visit: 'on its panel', review: 'owner or given', action_plan: 'its chair' } as const;

/** The permission matrix as docs/security.md shows it (tests/api/permissions.test.ts checks it is there). */
export function permissionMatrixMarkdown(): string {
  const header = `| route | ${ROLES.join(' | ')} |`;
  const rule = `| --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const cell = (p: (typeof PERMISSIONS)[number], r: (typeof ROLES)[number]) => (!p.roles.includes(r) ? '' : p.record?.only[r] ? `✓ ${OWN[p.record.kind]}` : '✓');
  const rows = PERMISSIONS.map((p) => `| \`${p.method} ${p.path}\`${p.audit ? ` (audited: ${p.audit})` : ''} | ${ROLES.map((r) => cell(p, r)).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
