import { PERMISSIONS } from './permissions';
import { ROLES } from './roles';

/** The permission matrix as docs/security.md shows it (tests/api/permissions.test.ts checks it is there). */
export function permissionMatrixMarkdown(): string {
  const header = `| route | ${ROLES.join(' | ')} |`;
  const rule = `| --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = PERMISSIONS.map((p) => `| \`${p.method} ${p.path}\`${p.audit ? ` (audited: ${p.audit})` : ''} | ${ROLES.map((r) => (p.roles.includes(r) ? '✓' : '')).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
