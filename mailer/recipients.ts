import type { MailConfig } from '../lib/config';
import type { Models } from '../models';
import type { NotificationRow } from '../models/notification';

/** Who a notification is for, by role; each role an address from configuration or reference data. */
export type Role =
  | 'quality_lead'
  | 'case_officer'
  | 'safeguarding_lead'
  | 'provider_contact'
  | 'review_owner'
  | 'review_owner_line'
  | 'visit_panel'
  | 'cqrg_chair';

/** The roles each outbox audience names (an audience is what a process writes on its rows). */
export const AUDIENCES: Record<string, Role[]> = {
  quality_lead: ['quality_lead'],
  case_owner: ['case_officer'],
  safeguarding_lead: ['safeguarding_lead'],
  provider: ['provider_contact'],
  review_owner: ['review_owner'],
  owner_line_manager_and_quality_lead: ['review_owner_line', 'quality_lead'],
  panel: ['visit_panel'],
  panel_and_provider: ['visit_panel', 'provider_contact'],
  cqrg_chair: ['cqrg_chair'],
};

/** Where each role's address is set, for the report when it is not. */
const WHERE: Record<Role, string> = {
  quality_lead: 'MAIL_QUALITY_LEAD',
  case_officer: 'MAIL_CASE_OFFICER',
  safeguarding_lead: 'MAIL_SAFEGUARDING_LEAD',
  provider_contact: "the provider's contactEmail",
  review_owner: "the review owner's email",
  review_owner_line: "the owner's line manager's email",
  visit_panel: "the panel members' emails",
  cqrg_chair: "the provider's cqrgChairEmail or MAIL_CQRG_CHAIR",
};

/** The record collection of each process, by the row's caseType. */
const COLLECTIONS: Record<string, string> = { complaint: 'complaints', review: 'reviews', visit: 'visits', 'action-plan': 'action_plans', 'cqrg-pack': 'cqrg_packs' };

export interface Recipients {
  to: string[];
  /** Roles with no address, each with where it should be set. */
  missing: string[];
}

type Doc = Record<string, unknown> | null;

const list = (value: unknown): string[] =>
  (typeof value === 'string' ? value.split(',') : [])
    .map((a) => a.trim())
    .filter(Boolean);

const field = (doc: Doc, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);

/** What a row's email is worked out from: its case's record and its provider's reference data. */
export interface CaseContext {
  record: Doc;
  provider: Doc;
}

export async function caseContext(row: NotificationRow, models: Models): Promise<CaseContext> {
  const collection = COLLECTIONS[row.caseType] ?? `${row.caseType}s`;
  const record: Doc = await models.connection.db!.collection<{ _id: string }>(collection).findOne({ _id: row.reference });
  const providerCode = field(record, 'providerCode');
  const provider: Doc = typeof providerCode === 'string' ? await models.Provider.findById(providerCode).lean() : null;
  return { record, provider };
}

/** How the row's deadline was worked out, as the case's projection keeps it. */
export const ruleOf = (row: NotificationRow, { record }: CaseContext): string | undefined => {
  const rule = field(record, 'workflow', 'deadlines', row.deadline, 'basis', 'rule');
  return typeof rule === 'string' ? rule : undefined;
};

/**
 * The addresses a row goes to: every role its audience names, from configuration (the quality
 * lead, the case officer, the safeguarding lead), the provider's reference data, or the case's own
 * record (a review's owner and their line, a visit's panel). Roles without an address are named
 * in `missing`; an audience this table does not know is itself missing.
 */
export function recipientsOf(row: NotificationRow, { record, provider }: CaseContext, config: MailConfig): Recipients {
  const roles = AUDIENCES[row.audience];
  if (!roles) return { to: [], missing: [`audience ${row.audience} (no roles known for it)`] };
  const panel = field(record, 'panel');
  const addresses: Record<Role, () => string[]> = {
    quality_lead: () => list(config.MAIL_QUALITY_LEAD),
    case_officer: () => list(config.MAIL_CASE_OFFICER),
    safeguarding_lead: () => list(config.MAIL_SAFEGUARDING_LEAD),
    provider_contact: () => list(field(provider, 'contactEmail')),
    review_owner: () => list(field(record, 'owner', 'email')),
    review_owner_line: () => list(field(record, 'owner', 'lineManager', 'email')),
    visit_panel: () => (Array.isArray(panel) ? panel.flatMap((member) => list(field(member as Doc, 'email'))) : []),
    cqrg_chair: () => list(field(provider, 'cqrgChairEmail') ?? config.MAIL_CQRG_CHAIR),
  };
  const to = new Set<string>();
  const missing: string[] = [];
  for (const role of roles) {
    const found = addresses[role]();
    if (!found.length) missing.push(`${role} (set ${WHERE[role]})`);
    for (const address of found) to.add(address.toLowerCase());
  }
  return { to: [...to], missing };
}
