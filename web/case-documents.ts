import type { Request, Router } from 'express';
import type { Principal } from '../api/auth/tokens';
import { keepDocument } from '../api/documents/router';
import { fromZodError, HttpError } from '../api/errors';
import { actorOf } from '../api/kernel/request';
import { FORMAT_NAMES } from '../api/letters/formats';
import { letterBody } from '../api/letters/schemas';
import type { LetterSource } from '../api/letters/service';
import type { Vocabulary } from '../contracts/kernel/vocabulary';
import { londonDate } from '../lib/calendar';
import { formRoute } from './form-route';
import { humanise } from './forms';
import { checkFormFields, may, requireAccess } from './session';
import type { Web } from './web';

/** What of a process's pages its documents and letters need. */
interface DocumentPages<S> {
  base: string;
  api: string;
  words: Vocabulary<S>;
}

/** The letters a case may have now, those it may not (and why), and the format they take by default. */
async function lettersOf(web: Web, source: LetterSource, reference: string) {
  const kase = await source.load(reference);
  const today = londonDate(Date.now());
  const kinds = Object.entries(source.letters).map(([kind, words]) => ({ kind, title: words.title, refused: words.refused(kase.state, today) }));
  // Every letter of a process goes to the same person (the complainant, or the provider).
  const first = Object.values(source.letters)[0];
  const chosen = web.services.letters.formatFor(first, kase.needs);
  const note =
    chosen.from === 'communication_needs'
      ? `Letters go in ${FORMAT_NAMES[chosen.format].toLowerCase()} by default: the complainant’s recorded communication needs include ${humanise(chosen.need ?? '').toLowerCase()}.`
      : undefined;
  return { kinds, format: chosen.format, note, needs: kase.needs };
}

/**
 * A case page's documents and letters: the upload form's route (its form token read from the
 * multipart body before the file), and the form that makes a letter (standing for POST
 * `<api>/:reference/letters`), its format chosen from the complainant's needs and saying so.
 */
export function caseDocumentPages<S>(web: Web, router: Router, pages: DocumentPages<S>): void {
  const documents = web.documents.find((d) => d.base === pages.api);
  if (documents) {
    router.post('/:reference/documents', requireAccess(web.guard, { method: 'POST', route: `${pages.api}/:reference/documents`, multipart: true }), async (req, res) => {
      const reference = req.params.reference as string;
      await keepDocument(web.services.documents, documents, req, reference, (fields) => checkFormFields(req, fields));
      res.redirect(303, `${pages.base}/${reference}?done=document#documents`);
    });
  }
  const source = web.letters.find((s) => s.base === pages.api);
  if (!source) return;
  const reference = (req: Request) => req.params.reference as string;
  formRoute(web, router, {
    path: '/:reference/letters',
    api: { method: 'POST', schemaPath: `${pages.api}/{reference}/letters` },
    title: 'Make a letter',
    caption: reference,
    back: (req) => `${pages.base}/${reference(req)}#letters`,
    async form(req) {
      const letters = await lettersOf(web, source, reference(req));
      return {
        labels: { kind: 'Letter', format: 'Format', explanation: 'Why there is no response yet (the six-month letter only)' },
        choices: { kind: Object.fromEntries(letters.kinds.map((k) => [k.kind, k.refused ? `${k.title} (not yet: ${k.refused})` : k.title])), format: FORMAT_NAMES },
      };
    },
    intro: async (req) => (await lettersOf(web, source, reference(req))).note,
    async send(req, body) {
      const parsed = letterBody(Object.keys(source.letters)).safeParse(body);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      await web.services.letters.generate(source, reference(req), parsed.data, actorOf(req));
      return `${pages.base}/${reference(req)}?done=letter`;
    },
  });
}

/** The page's letters, and its link to the letter form, which starts filled in: the first letter the case may have, in the format its recipient needs. */
async function letterLink(web: Web, source: LetterSource, base: string, reference: string) {
  const letters = await lettersOf(web, source, reference);
  const kind = letters.kinds.find((k) => !k.refused)?.kind;
  const query = new URLSearchParams({ ...(kind && { kind }), format: letters.format });
  return { ...letters, href: `${base}/${reference}/letters?${query}` };
}

/** What a case page shows of its documents and letters to this caller. */
export async function caseDocumentsOnPage<S>(web: Web, pages: DocumentPages<S>, reference: string, principal: Principal | undefined) {
  const documents = web.documents.find((d) => d.base === pages.api);
  const source = web.letters.find((s) => s.base === pages.api);
  const readsDocuments = !!documents && may(principal, 'GET', `${pages.api}/${reference}/documents`);
  const makesLetters = !!source && readsDocuments && may(principal, 'POST', `${pages.api}/${reference}/letters`);
  return {
    documents: readsDocuments ? (await web.services.documents.list(reference)).documents : undefined,
    documentKinds: pages.words.documents ?? {},
    canUpload: readsDocuments && may(principal, 'POST', `${pages.api}/${reference}/documents`),
    uploadAction: `${pages.base}/${reference}/documents`,
    // A case opened a moment ago has no projected state to judge its letters by: its page shows
    // none until it has, rather than failing.
    letters: makesLetters ? await letterLink(web, source, pages.base, reference).catch(stillOpening) : undefined,
  };
}

function stillOpening(err: unknown): undefined {
  if (err instanceof HttpError && err.status === 409) return undefined;
  throw err;
}
