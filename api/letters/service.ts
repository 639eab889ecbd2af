import type { ZodType } from 'zod';
import { upgradeDeadlines, type Actor, type Deadline, type LegacyDeadline } from '../../contracts/kernel/case';
import type { LetterWords } from '../../contracts/kernel/vocabulary';
import { londonDate } from '../../lib/calendar';
import type { DocumentService, DocumentView } from '../documents/service';
import { badRequest, HttpError } from '../errors';
import { letterDocx } from './docx';
import { FORMAT_NAMES, formatForNeeds, LAYOUTS, type LetterFormat } from './formats';
import { letterPdf } from './pdf';
import { plainText, renderLetter } from './templates';

/** A case as its letters see it: the facts its templates are filled with, and whom they go to. */
export interface LetterCase<S> {
  /** The case's state as last projected (the read model, not Temporal). */
  state: S;
  /** The recipient's recorded communication needs (a complainant's; a provider has none). */
  needs: string[];
  /** What the templates read besides the reference, the date and the explanation: the provider, the recipient, the dates. */
  context: Record<string, unknown>;
}

/** A process whose cases have letters: where its API is, its letters (its vocabulary's), and how a case is read for them. */
export interface LetterSource<S = unknown> {
  caseType: string;
  base: string;
  tag: string;
  referenceParams: ZodType;
  letters: Record<string, LetterWords<S>>;
  /** The case, or a 404. */
  load(reference: string): Promise<LetterCase<S>>;
}

/**
 * A case's record and the state its workflow last projected, for a letter source's `load`: a 404
 * when there is no case, a 409 while it is still being opened (nothing projected to judge by).
 */
export async function projectedCase<R extends { workflow?: unknown }, S extends { deadlines?: Partial<Record<string, Deadline | LegacyDeadline>> }>(
  find: (reference: string) => Promise<R | null>,
  reference: string,
): Promise<{ record: R; state: Omit<S, 'deadlines'> & { deadlines: Partial<Record<string, Deadline>> } }> {
  const record = await find(reference);
  if (!record) throw new HttpError(404, 'not_found', `no case ${reference}`);
  const projected = record.workflow as S | undefined;
  if (!projected) throw new HttpError(409, 'conflict', `${reference} is still being opened: try again in a moment`);
  return { record, state: { ...projected, deadlines: upgradeDeadlines(projected.deadlines) } };
}

export interface LetterRequest {
  kind: string;
  format?: LetterFormat;
  explanation?: string;
}

export interface LetterView {
  reference: string;
  kind: string;
  title: string;
  format: LetterFormat;
  /** Why this format: asked for, the recipient's recorded communication need, or the standard one. */
  formatFrom: 'request' | 'communication_needs' | 'standard';
  need?: string;
  template: string;
  version: string;
  documents: DocumentView[];
}

/**
 * Letters generated from a case on request: filled from the case's record and reference data,
 * rendered from the template of the letter and format, made as DOCX and PDF (and text, for plain
 * text and email), and kept as documents of the case with the template's version. Nothing of
 * them goes near a workflow.
 */
export class LetterService {
  constructor(private readonly documents: DocumentService) {}

  async generate<S>(source: LetterSource<S>, reference: string, body: LetterRequest, actor: Actor, now = new Date()): Promise<LetterView> {
    const words = source.letters[body.kind];
    if (!words) throw badRequest('body.kind', `must be one of ${Object.keys(source.letters).join(', ')}`);
    const kase = await source.load(reference);
    const today = londonDate(now);
    const refused = words.refused(kase.state, today);
    if (refused) throw new HttpError(409, 'conflict', `${words.title}: ${refused}`);
    if (words.explanation && !body.explanation) throw badRequest('body.explanation', `required for this letter: ${words.explanation}`);
    const chosen: { format: LetterFormat; from: LetterView['formatFrom']; need?: string } = body.format ? { format: body.format, from: 'request' } : this.formatFor(words, kase.needs);
    const rendered = renderLetter(source.caseType, body.kind, chosen.format, { ...kase.context, reference, today, explanation: body.explanation });
    const layout = LAYOUTS[chosen.format];
    const meta = { title: `${words.title} ${reference}`, reference };
    const name = `${reference} ${words.title}${chosen.format === 'standard' ? '' : ` (${FORMAT_NAMES[chosen.format].toLowerCase()})`}`;
    const files = [
      { ext: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: await letterDocx(rendered.blocks, layout, meta) },
      { ext: 'pdf', contentType: 'application/pdf', bytes: await letterPdf(rendered.blocks, layout, meta) },
      ...(layout.text ? [{ ext: 'txt', contentType: 'text/plain; charset=utf-8', bytes: Buffer.from(plainText(rendered.blocks), 'utf8') }] : []),
    ];
    const letter = { kind: body.kind, format: chosen.format, template: rendered.template, version: rendered.version };
    const documents: DocumentView[] = [];
    for (const file of files) {
      documents.push(
        await this.documents.keep({
          caseType: source.caseType,
          reference,
          kind: words.document,
          filename: `${name}.${file.ext}`,
          contentType: file.contentType,
          bytes: file.bytes,
          actor,
          note: `${words.title}, ${FORMAT_NAMES[chosen.format].toLowerCase()}: template ${rendered.template}, version ${rendered.version}`,
          letter,
        }),
      );
    }
    return { reference, kind: body.kind, title: words.title, format: chosen.format, formatFrom: chosen.from, ...(chosen.need && { need: chosen.need }), template: rendered.template, version: rendered.version, documents };
  }

  /** The format a letter takes unless another is asked for: a complainant's from their recorded needs. */
  formatFor<S>(words: LetterWords<S>, needs: string[]): { format: LetterFormat; from: 'communication_needs' | 'standard'; need?: string } {
    if (words.to !== 'complainant') return { format: 'standard', from: 'standard' };
    const found = formatForNeeds(needs);
    return found.need ? { format: found.format, from: 'communication_needs', need: found.need } : { format: 'standard', from: 'standard' };
  }
}
