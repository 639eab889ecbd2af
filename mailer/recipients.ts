import type { MailConfig } from '../lib/config';
import type { Models } from '../models';
import type { NotificationRow } from '../models/notification';
import { staffByIds } from '../models/staff';

/** Who a notification is for, by role; each role an address from configuration or reference data. */
export type Role =
  | 'quality_lead'
  | 'case_officer'
  | 'safeguarding_lead'
  | 'provider_contact'
  | 'review_owner'
  | 'review_owner_line'
  | 'visit_panel'
  | 'cqrg_chair'
  | 'action_owner';

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
  // An action plan's reminder: the action's owner, the provider's mailbox copied (COPIED).
  action_owner: ['action_owner'],
};

/**
 * The roles an audience copies in (Cc): told too, but not the ones it is for. When the audience's
 * own roles have no address, the copy is sent to them instead: the row still reaches someone.
 */
export const COPIED: Record<string, Role[]> = {
  action_owner: ['provider_contact'],
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
  cqrg_chair: "the chair's email in the staff directory, the provider's cqrgChairEmail or MAIL_CQRG_CHAIR",
  action_owner: "the action owner's email in the staff directory: PUT /api/staff/:id",
};

/** The record collection of each process, by the row's caseType. */
const COLLECTIONS: Record<string, string> = { complaint: 'complaints', review: 'reviews', visit: 'visits', 'action-plan': 'action_plans', 'cqrg-pack': 'cqrg_packs', 'cqrg-meeting': 'cqrg_meetings' };

export interface Recipients {
  to: string[];
  /** Copied in: the audience's COPIED roles. */
  cc: string[];
  /** Roles with no address, each with where it should be set. */
  missing: string[];
}

type Doc = Record<string, unknown> | null;

const list = (value: unknown): string[] =>
  (typeof value === 'string' ? value.split(',') : [])
    .map((a) => a.trim())
    .filter(Boolean);

const field = (doc: Doc, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);

/**
 * What a row's email is worked out from: its case's record, its provider's reference data, and
 * the people it names as the staff directory has them (models/staff.ts): an action plan's chair
 * (a CQRG pack's too) and the owner of the action an alarm is about.
 */
export interface CaseContext {
  record: Doc;
  provider: Doc;
  people?: { chair?: Doc; owner?: Doc };
}

/** An action plan's alarm names its action (`action:3`); its record holds the owner. */
const actionOf = (row: NotificationRow) => /^action:(\d+)$/.exec(row.deadline)?.[1];

export async function caseContext(row: NotificationRow, models: Models): Promise<CaseContext> {
  const collection = COLLECTIONS[row.caseType] ?? `${row.caseType}s`;
  const record: Doc = await models.connection.db!.collection<{ _id: string }>(collection).findOne({ _id: row.reference });
  const providerCode = field(record, 'providerCode');
  const provider: Doc = typeof providerCode === 'string' ? await models.Provider.findById(providerCode).lean() : null;
  if (row.caseType !== 'action-plan' && row.caseType !== 'cqrg-pack') return { record, provider };
  // A plan names its chair (`chair.id`), a pack its chair (`chairId`); an action, its owner.
  const chairId = field(record, 'chair', 'id') ?? field(record, 'chairId');
  const n = row.caseType === 'action-plan' ? actionOf(row) : undefined;
  const action: Doc = n ? await models.Action.findById(`${row.reference}:${n}`, { owner: 1 }).lean() : null;
  const ownerId = field(action, 'owner', 'id');
  const ids = [chairId, ownerId].filter((id): id is string => typeof id === 'string');
  const staff = await staffByIds(models.Staff, ids);
  const person = (id: unknown): Doc => (typeof id === 'string' ? ((staff.get(id) as Doc | undefined) ?? null) : null);
  return { record, provider, people: { chair: person(chairId), owner: person(ownerId) } };
}

/** How the row's deadline was worked out, as the case's projection keeps it. */
export const ruleOf = (row: NotificationRow, { record }: CaseContext): string | undefined => {
  const rule = field(record, 'workflow', 'deadlines', row.deadline, 'basis', 'rule');
  return typeof rule === 'string' ? rule : undefined;
};

/**
 * The addresses a row goes to: every role its audience names, from configuration (the quality
 * lead, the case officer, the safeguarding lead), the provider's reference data, the case's own
 * record (a review's owner and their line, a visit's panel), or the staff directory (an action's
 * owner, a plan's chair), and copied to the roles it copies in. Roles without an address are named
 * in `missing`; an audience this table does not know is itself missing.
 */
export function recipientsOf(row: NotificationRow, { record, provider, people }: CaseContext, config: MailConfig): Recipients {
  const roles = AUDIENCES[row.audience];
  if (!roles) return { to: [], cc: [], missing: [`audience ${row.audience} (no roles known for it)`] };
  const panel = field(record, 'panel');
  const addresses: Record<Role, () => string[]> = {
    quality_lead: () => list(config.MAIL_QUALITY_LEAD),
    case_officer: () => list(config.MAIL_CASE_OFFICER),
    safeguarding_lead: () => list(config.MAIL_SAFEGUARDING_LEAD),
    provider_contact: () => list(field(provider, 'contactEmail')),
    review_owner: () => list(field(record, 'owner', 'email')),
    review_owner_line: () => list(field(record, 'owner', 'lineManager', 'email')),
    visit_panel: () => (Array.isArray(panel) ? panel.flatMap((member) => list(field(member as Doc, 'email'))) : []),
    // The plan's own chair first, then the provider's, then the configured one.
    cqrg_chair: () => list(field(people?.chair ?? null, 'email') ?? field(provider, 'cqrgChairEmail') ?? config.MAIL_CQRG_CHAIR),
    action_owner: () => list(field(people?.owner ?? null, 'email')),
  };
  const addressed = (wanted: Role[], missing: string[]) => {
    const out = new Set<string>();
    for (const role of wanted) {
      const found = addresses[role]();
      if (!found.length) missing.push(`${role} (set ${WHERE[role]})`);
      for (const address of found) out.add(address.toLowerCase());
    }
    return out;
  };
  const missing: string[] = [];
  const to = addressed(roles, missing);
  const cc = [...addressed(COPIED[row.audience] ?? [], missing)].filter((a) => !to.has(a));
  // No one it is for has an address: those copied in get it, so it still reaches someone.
  return to.size ? { to: [...to], cc, missing } : { to: cc, cc: [], missing };
}
