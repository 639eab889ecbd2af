import type { Request } from 'express';
import type { DocumentPickWords } from '../contracts/kernel/vocabulary';
import type { Intro } from './form-route';
import type { FormOptions } from './forms';
import { longDate } from './render';
import type { Web } from './web';

/**
 * Forms that name documents already uploaded to the case (a review's assessment, an action's
 * evidence): the API takes their ids, each checked to be one of the case's
 * (api/documents/of-case.ts), so a page offers only those, by name and the day each was added,
 * and never asks for an id to be typed.
 */

export interface DocumentChoice {
  value: string;
  text: string;
}

/** Once a request: a form's options and its intro both ask. */
const LISTED = new WeakMap<Request, Promise<DocumentChoice[]>>();

/** A choice for each of the case's documents (its latest version), the latest added first. */
export function documentChoices(web: Web, req: Request, reference: string): Promise<DocumentChoice[]> {
  let listed = LISTED.get(req);
  if (!listed) {
    listed = web.services.documents
      .list(reference)
      .then(({ documents }) => documents.map((d) => ({ value: d.id, text: `${d.filename}, added ${longDate(d.uploadedAt.slice(0, 10))}` })));
    LISTED.set(req, listed);
  }
  return listed;
}

/**
 * The options of a form whose `field` picks the case's documents, in the process's words: a
 * select for one, a box to tick for each when the field is a list. With nothing to pick, an
 * optional field is left out (the intro says why); a required one stays, to be refused.
 */
export function pickOptions(words: DocumentPickWords, field: string, choices: DocumentChoice[], optional: boolean): FormOptions {
  if (!choices.length && optional) return { omit: [field] };
  return { pick: { [field]: choices }, labels: { [field]: words.label }, ...(words.hint && { hints: { [field]: words.hint } }) };
}

/** What the form says when the case has no document to pick yet, with a link to the case page's upload form. */
export function noneToPick(words: DocumentPickWords, choices: DocumentChoice[], casePage: string): Intro | undefined {
  if (choices.length) return undefined;
  return { text: words.none, link: { href: `${casePage}#documents`, text: 'Upload a document on its page' } };
}
