import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
// Plain dates only (no bank holidays, no time zone library): the contracts, and so the workflow bundle, import this.
import { assertIsoDate, CalendarError, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, londonDateOfMillis } from './calendar/dates';

// Once per process, before any schema calls .openapi().
extendZodWithOpenApi(z);

export { z };

/** A calendar date the working-day calendar covers, e.g. 2026-11-23. */
export const isoDate = z
  .string()
  .superRefine((value, ctx) => {
    try {
      assertIsoDate(value);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      ctx.addIssue({ code: 'custom', message: 'must be a real date as YYYY-MM-DD' });
      return;
    }
    const year = Number(value.slice(0, 4));
    if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${FIRST_SUPPORTED_YEAR} and ${LAST_SUPPORTED_YEAR}, the years the working-day calendar knows`,
      });
    }
  })
  .openapi({ type: 'string', format: 'date', example: '2026-11-23' });

/**
 * A yes-or-no flag of a list's query: `?overdue=true`, `?overdue=false`, and the flag given alone
 * (`?overdue`, `?overdue=`), which means true, as anyone typing the address or following a link
 * means it. Anything else is refused with the reason.
 */
export const queryFlag = () =>
  flagValues(['', 'true', 'false'], 'must be true or false (the flag alone means true)')
    .transform((v) => v !== 'false')
    .openapi({ type: 'string', enum: ['true', 'false'] });

/** The values a query flag may take, in whatever case it is typed (TRUE, True), else `message`. */
export const flagValues = <const V extends readonly [string, ...string[]]>(values: V, message: string) =>
  z.string().trim().toLowerCase().pipe(z.enum(values, { message }));

/** An ODS code's characters, for the patterns that hold one (odsCode; a CQRG pack's key, RJ2:2026-12-08). */
export const ODS_CODE = '[A-Z0-9]{3,5}';

/**
 * A provider's ODS code (RJ2, RJ224) as anyone types it: spaces trimmed and letters made capitals,
 * the form the reference data and every record hold it in; anything else is refused with the reason.
 */
export const odsCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^${ODS_CODE}$`), 'must be an ODS code such as RJ2')
  .openapi({ example: 'RJ2' });

/** A case reference's shape, any process's: three letters, the year, six digits (CMP-2026-000123). */
const CASE_REFERENCE = /^[A-Z]{3}-\d{4}-\d{6}$/;

/**
 * A case's reference (CMP-2026-000123) as anyone types it: spaces trimmed, letters made capitals,
 * the one form every record, index and page holds; `caseReference('CMP')` refuses another
 * process's with the reason, `caseReference()` takes any process's.
 */
export const caseReference = (prefix?: string) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(prefix ? new RegExp(`^${prefix}-\\d{4}-\\d{6}$`) : CASE_REFERENCE, `must be a case reference such as ${prefix ?? 'CMP'}-2026-000123`)
    .openapi({ example: `${prefix ?? 'CMP'}-2026-000123` });

/** A route's `:reference`, one process's. */
export const caseReferenceParams = (prefix: string) => z.object({ reference: caseReference(prefix).openapi({ param: { name: 'reference', in: 'path' } }) });

/**
 * A route's `:reference` in the one form records hold it in, if it is a reference typed in another
 * case or with spaces; anything else as it came (the route's schema refuses it with the reason).
 * Given before a route's checks read it, so the permission check and the handler see one record.
 */
export function canonicalReference(value: string): string {
  const upper = value.trim().toUpperCase();
  return CASE_REFERENCE.test(upper) ? upper : value;
}

/** A date on which something already happened: not after today in London. */
export const pastDate = isoDate.refine((value) => value <= londonDateOfMillis(Date.now()), {
  message: 'cannot be in the future',
});

/** C0 and C1 control characters and DEL, tab and newline excepted. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/**
 * Unicode's bidirectional controls: the embeddings and overrides (U+202A-U+202E), the isolates
 * (U+2066-U+2069), and the marks (U+200E, U+200F, U+061C). They reorder how text is shown, not
 * what it says: `invoice_\u202Efdp.exe` reads as invoice_exe.pdf, a note can show a date or a name
 * other than the one stored ("Trojan Source"). Arabic and Hebrew text needs none of them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/** The one rule every string a person sends the API obeys: what it shows is what it holds. */
export function noBidiControls<T extends z.ZodType<string>>(schema: T) {
  return schema.refine((value) => !BIDI_CONTROLS.test(value), { message: 'must not contain bidirectional control characters' });
}

/**
 * Text a person typed: trimmed, `min` to `max` characters, no control characters but tab and
 * newline (a NUL or an escape sequence has no place in a letter, a log line or a CSV report),
 * and no bidirectional controls.
 */
export function freeText(max: number, min = 0) {
  const trimmed = z.string().trim();
  return noBidiControls(
    (min > 0 ? trimmed.min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`) : trimmed)
      .max(max, `must be at most ${max} characters`)
      .refine((value) => !CONTROL_CHARACTERS.test(value), { message: 'must not contain control characters other than tab and newline' }),
  );
}

/**
 * A member of staff as their identity provider names them: the subject of their token (Entra ID's
 * `oid`, a GUID; another issuer's `sub`: an e-mail-like name, capitals, dots, `auth0|…`), which the
 * API compares exactly with the caller's wherever a record's person decides (a plan's chair, an
 * action's owner, a review's owner, a visit's panel). So it is taken as it comes, never trimmed or
 * lower-cased (that would make it someone else's): 1-128 printable characters, none of them a
 * space, a separator or a control or format character (bidirectional controls included).
 */
export const staffId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\p{C}\p{Z}\s]+$/u, 'must be a staff id as sign-in gives it: printable characters, no spaces')
  .openapi({ example: 'sam.officer@icb.nhs.uk', description: "A member of staff's sign-in subject, exactly as their token gives it" });

/** A link to a document kept elsewhere (evidence, an assessment): http(s), and shown as it is. */
export const httpLink = noBidiControls(z.url({ protocol: /^https?$/, error: 'must be an http(s) link' }).max(2000));

/** A date in a response that may be absent: nullable in the OpenAPI document as well. */
export const nullableDate = z.string().openapi({ format: 'date', example: '2026-11-23' }).nullable();

/** A document version's public id (its GridFS file's id in hex), as GET /api/documents/:id takes it. */
export const DOCUMENT_ID = /^[a-f0-9]{24}$/;
export const documentId = z.string().regex(DOCUMENT_ID, 'must be a document id (24 hex digits, as GET /api/documents/:id takes it)').openapi({ example: '6751a0c2e4b0a1b2c3d4e5f6' });
