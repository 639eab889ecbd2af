import { freeText, z } from '../../lib/zod';
import { LETTER_FORMATS } from './formats';

/** A request for a letter of one of a process's `kinds`, in a format (else the recipient's, from their needs). */
export const letterBody = (kinds: string[]) =>
  z
    .object({
      kind: z.enum(kinds as [string, ...string[]]),
      format: z.enum(LETTER_FORMATS).optional().openapi({ description: 'Unset: the format the complainant’s recorded communication needs ask for (large print, easy read, plain text for braille or audio, email only), else standard' }),
      explanation: freeText(2000).optional().openapi({ description: 'What the letter needs written for it: the six-month letter’s reason why there is no response yet' }),
    })
    .strict();

const documentRef = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), version: z.number().int(), download: z.string() });

export const letterView = z
  .object({
    reference: z.string(),
    kind: z.string(),
    title: z.string(),
    format: z.enum(LETTER_FORMATS),
    formatFrom: z.enum(['request', 'communication_needs', 'standard']),
    need: z.string().optional(),
    template: z.string().openapi({ example: 'complaint/acknowledgement/large_print' }),
    version: z.string().openapi({ description: 'The template’s version: a hash of its words' }),
    documents: z.array(documentRef),
  })
  .openapi('Letter');
