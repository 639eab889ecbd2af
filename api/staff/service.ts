import { LRUCache } from 'lru-cache';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { recordSignIn, STAFF_DESIGNATIONS, staffByIds, type StaffDesignation, type StaffRecord } from '../../models/staff';
import { ROLES, type Role } from '../auth/roles';
import type { Principal } from '../auth/tokens';
import type { ListStaffQuery, StaffBody, StaffView } from './schemas';

/** How often one API process records the same person's sign-in: at most once in this long. */
export const SEEN_EVERY_MS = 5 * 60_000;

/** The most people the directory lists at once: it is a staff list, not a case list. */
const MAX_LISTED = 5_000;

export function toView(r: StaffRecord): StaffView {
  return {
    id: r._id,
    name: r.name,
    roles: (r.roles ?? []).filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    ...(r.email && { email: r.email }),
    ...(r.designations?.length && { designations: r.designations.filter((d): d is StaffDesignation => (STAFF_DESIGNATIONS as readonly string[]).includes(d)) }),
  };
}

/** Whether the directory designates this person for a duty of the regulations (a response's signatory). */
export async function isDesignated(models: Models, id: string, designation: StaffDesignation): Promise<boolean> {
  return !!(await models.Staff.exists({ _id: id, designations: designation }));
}

/**
 * Whoever a verified token names, recorded in the staff directory as the token names them: by
 * the API's authentication and the pages' sign-in alike (api/auth/middleware.ts, web/session.ts),
 * at most once per person in `everyMs` in this process, so a busy caller costs one write every few
 * minutes. Never in the request's way: not awaited there, and a failed write is logged and tried
 * again the next time that person is seen.
 */
export class StaffDirectory {
  private readonly recorded = new LRUCache<string, number>({ max: 10_000 });
  private readonly everyMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: { recordSignIn(who: Principal): Promise<void> },
    private readonly opts: { logger: Logger; everyMs?: number; now?: () => number },
  ) {
    this.everyMs = opts.everyMs ?? SEEN_EVERY_MS;
    this.now = opts.now ?? Date.now;
  }

  /** Over the app's database. */
  static over(models: Models, logger: Logger): StaffDirectory {
    return new StaffDirectory({ recordSignIn: (who) => recordSignIn(models.Staff, who, new Date()) }, { logger });
  }

  async seen(who: Principal): Promise<void> {
    const now = this.now();
    const last = this.recorded.get(who.id);
    if (last !== undefined && now - last < this.everyMs) return;
    this.recorded.set(who.id, now);
    try {
      await this.store.recordSignIn(who);
    } catch (err) {
      this.recorded.delete(who.id);
      this.opts.logger.warn({ err: err instanceof Error ? err.message : String(err), staff: who.id }, 'sign-in not recorded in the staff directory');
    }
  }
}

/** The directory's reads and an administrator's changes (GET /api/staff, PUT /api/staff/:id). */
export class StaffService {
  constructor(private readonly models: Models) {}

  /** Everyone, or those with a role, by name. The directory is read whole: it holds staff, hundreds, not cases. */
  async list(query: ListStaffQuery): Promise<{ items: StaffView[] }> {
    const filter = { ...(query.role && { roles: query.role }), ...(query.designation && { designations: query.designation }) };
    const rows = await this.models.Staff.find(filter).limit(MAX_LISTED).lean<StaffRecord[]>();
    rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    return { items: rows.map(toView) };
  }

  /** The people named, by id (a picked chair's and owners' names). */
  async named(ids: string[]): Promise<Map<string, StaffView>> {
    const found = await staffByIds(this.models.Staff, ids);
    return new Map([...found].map(([id, r]) => [id, toView(r)]));
  }

  /** Add someone, or change them; an address left out is kept. */
  async put(id: string, body: StaffBody): Promise<{ created: boolean; view: StaffView }> {
    const roles = [...new Set(body.roles)];
    const designations = body.designations && [...new Set(body.designations)];
    const set = { name: body.name, roles, ...(body.email && { email: body.email }), ...(designations && { designations }) };
    const result = await this.models.Staff.updateOne({ _id: id }, { $set: set }, { upsert: true });
    const row = await this.models.Staff.findById(id).lean<StaffRecord>();
    return { created: result.upsertedCount > 0, view: row ? toView(row) : { id, ...set } };
  }
}
