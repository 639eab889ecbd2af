import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { appendAudit, closeChange, openChange, type AuditEntry } from '../../models/audit';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import type { CompiledPermission } from './permissions';

/** The key a change is retried under: the API's header, or a page form's own. */
function changeKey(req: Request): string | undefined {
  const header = req.get('Idempotency-Key');
  if (header) return header;
  const form = (req.body as { _key?: unknown } | undefined)?._key;
  return typeof form === 'string' && form ? form : undefined;
}

/**
 * A change is answered as done only once its audit entry is written. Before the change, a note
 * that it is under way (openChange: if even that cannot be written, nothing is done and the
 * answer is 503); then, as the answer is about to go, the entry (keyed by the change, its key and
 * body, so a retry with the same key writes it once) and the note removed. If the entry cannot be written the
 * answer is a 503 instead (a retry with the same key is safe: it replays the change and writes
 * the entry), and the note stays for the reconciler (models/audit.ts reconcileChanges). A
 * refused or failed change leaves no entry.
 */
export async function holdForAudit(deps: { models: Models; logger: Logger }, req: Request, res: Response, line: CompiledPermission, entry: Omit<AuditEntry, '_id' | 'record' | 'at'>, record?: string): Promise<void> {
  const key = changeKey(req);
  // With the body: the same key sent again with another body is another change (an event is then
  // another Update, a PUT another write), and gets its own entry. Keyed by the key alone, the
  // second change was made and answered 200 but never entered, so a key reused on purpose hid it.
  // An upload's body is read later, as it streams: never one change with another upload.
  const sent = req.is('multipart/*') ? undefined : createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('base64url');
  const changeId = createHash('sha256')
    .update(JSON.stringify([entry.actor.id, req.method, line.path, record ?? '', key && sent ? [key, sent] : randomUUID()]))
    .digest('base64url')
    .slice(0, 32);
  const base = line.path.split('/').slice(0, 3).join('/');
  const { PendingChange, Audit } = deps.models;
  await openChange(PendingChange, { _id: changeId, at: new Date(), base, entry, ...(record && { record }), ...(key && { idempotencyKey: key }) });
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let held = false;
  res.end = ((...args: unknown[]) => {
    if (held || res.headersSent) return end(...args);
    held = true;
    const status = res.statusCode;
    if (status >= 500) return end(...args); // may or may not have happened: the reconciler finds out
    if (status >= 400) {
      closeChange(PendingChange, changeId).catch(() => undefined);
      return end(...args);
    }
    const location = res.getHeader('Location');
    // A create's record is the one its answer names (Location: the API's, or the page it goes to).
    const made = record ?? (typeof location === 'string' ? decodeURIComponent(location.split(/[?#]/)[0].split('/').at(-1) ?? '') : '');
    appendAudit(Audit, { ...entry, record: made || base, at: new Date(), status }, changeId)
      .then(() => {
        closeChange(PendingChange, changeId).catch(() => undefined);
        end(...args);
      })
      .catch((err: unknown) => {
        deps.logger.error({ err, path: line.path }, 'change made but its audit entry not written: answered 503');
        unrecorded(req, res, end);
      });
    return res;
  }) as Response['end'];
}

/** The answer to a change whose audit entry could not be written: not done, as far as the client can tell; send it again. */
function unrecorded(req: Request, res: Response, end: (...args: unknown[]) => Response): void {
  for (const name of ['Content-Length', 'Content-Type', 'ETag', 'Location', 'Idempotent-Replayed']) res.removeHeader(name);
  res.statusCode = 503;
  res.setHeader('Retry-After', '5');
  const message = 'the change could not be recorded in the audit trail; send it again (with the same Idempotency-Key)';
  if (req.originalUrl.startsWith('/api/')) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    end(JSON.stringify({ error: { code: 'unavailable', message } }));
  } else {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    end('<!DOCTYPE html><html lang="en"><title>Sorry, the service is unavailable</title><h1>Sorry, the service is unavailable</h1><p>What you sent may not have been saved. Go back and send it again.</p></html>');
  }
}

