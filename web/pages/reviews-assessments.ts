import { randomUUID } from 'node:crypto';
import type { Request, Router } from 'express';
import { admits } from '../../api/auth/middleware';
import { lineFor } from '../../api/auth/permissions';
import type { Principal } from '../../api/auth/tokens';
import { fromZodError } from '../../api/errors';
import { assessmentDocumentBody } from '../../api/reviews/schemas';
import { ASSESSMENTS, type Assessment } from '../../contracts/review/constants';
import { ASSESSMENT_PICKS } from '../../contracts/review/vocabulary';
import { documentChoices, noneToPick, pickOptions } from '../document-picks';
import { formRoute } from '../form-route';
import { fieldId, formFields, requestSchema, type Field } from '../forms';
import type { Web } from '../web';

/** The API route each form stands for (api/reviews/router.ts), as its schema names it. */
const API = '/api/reviews/{reference}/assessments/{assessment}';
const ATTACH = lineFor('PUT', '/api/reviews/:reference/assessments/:assessment');
const reference = (req: Request) => req.params.reference as string;
const pageOf = (ref: string) => `/reviews/${ref}`;
const formPath = (ref: string, a: Assessment) => `${pageOf(ref)}/assessments/${a}`;

/**
 * The EIA, QIA and engagement log of a review: each held by one of the documents uploaded to it,
 * picked on the review's page (a form per assessment, whose refusals come back on a form page
 * of its own), sent through the service the API's PUT calls, let through by that route's line.
 */
export function assessmentPages(web: Web, router: Router): void {
  for (const assessment of ASSESSMENTS) {
    const words = ASSESSMENT_PICKS[assessment];
    formRoute(web, router, {
      path: `/:reference/assessments/${assessment}`,
      api: { method: 'PUT', schemaPath: API },
      title: words.title ?? words.label,
      caption: reference,
      back: (req) => `${pageOf(reference(req))}#assessments`,
      form: async (req) => pickOptions(words, 'document', await documentChoices(web, req, reference(req)), false),
      intro: async (req) => noneToPick(words, await documentChoices(web, req, reference(req)), pageOf(reference(req))),
      async send(req, body) {
        const parsed = assessmentDocumentBody.safeParse(body);
        if (!parsed.success) throw fromZodError(parsed.error, 'body');
        await web.services.reviews.attachAssessment(reference(req), assessment, parsed.data.document);
        return `${pageOf(reference(req))}?done=assessment`;
      },
    });
  }
}

/** A form of the review's page: where it posts, its button, its fields (ids of their own, three forms on one page). */
export interface AssessmentForm {
  assessment: Assessment;
  action: string;
  title: string;
  fields: Field[];
  key: string;
}

/**
 * What the review's page shows of the pickers to this caller: a form per assessment when the PUT's
 * line admits them on this review and it has documents; else, to one it admits, why not and where to upload.
 */
export async function assessmentPickers(web: Web, ref: string, caller: Principal | undefined, req: Request) {
  // As the PUT's line decides: a commissioner is offered the forms only on the reviews they own or were given.
  if (!(await admits(web.guard.models, caller, ATTACH, ref))) return {};
  const choices = await documentChoices(web, req, ref);
  const none = noneToPick(ASSESSMENT_PICKS[ASSESSMENTS[0]], choices, pageOf(ref));
  if (none) return { assessmentNone: none };
  const schema = requestSchema(web.openapi, 'PUT', API);
  const assessmentForms: AssessmentForm[] = ASSESSMENTS.map((assessment) => {
    const words = ASSESSMENT_PICKS[assessment];
    const fields = formFields(web.openapi, schema, {}, [], pickOptions(words, 'document', choices, false)).map((f) => ({ ...f, id: fieldId(`${assessment}.${f.name}`) }));
    return { assessment, action: formPath(ref, assessment), title: words.title ?? words.label, fields, key: randomUUID() };
  });
  return { assessmentForms };
}
