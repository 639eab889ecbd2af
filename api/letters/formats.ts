/**
 * The formats a letter is made in (Accessible Information Standard, DCB1605): each has its own
 * template (./templates/<process>/<letter>/<format>.njk) and its own layout here. Every format is
 * made as DOCX (to edit in Word) and PDF (to send as it is); plain text and email also as a text
 * file (for a screen reader or braille transcription, or the body of the email).
 */
export const LETTER_FORMATS = ['standard', 'large_print', 'easy_read', 'plain_text', 'email'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];

export const FORMAT_NAMES: Record<LetterFormat, string> = {
  standard: 'Standard',
  large_print: 'Large print',
  easy_read: 'Easy read',
  plain_text: 'Plain text',
  email: 'Email only',
};

/** Sizes in points: large print is 16 pt or more (RNIB's clear print guidance), one column, left-aligned, as every format is. */
export interface Layout {
  body: number;
  heading: number;
  /** Space between lines, as a multiple of the size. */
  lineHeight: number;
  /** A text file too. */
  text: boolean;
}

export const LAYOUTS: Record<LetterFormat, Layout> = {
  standard: { body: 12, heading: 14, lineHeight: 1.2, text: false },
  large_print: { body: 16, heading: 20, lineHeight: 1.5, text: false },
  easy_read: { body: 14, heading: 18, lineHeight: 1.5, text: false },
  plain_text: { body: 12, heading: 14, lineHeight: 1.2, text: true },
  email: { body: 12, heading: 14, lineHeight: 1.2, text: true },
};

/**
 * The format a recorded communication need asks for, first match wins: easy read, large print,
 * plain text (braille and audio are transcribed from it), then email only. Needs a letter cannot
 * meet by itself (another language, an interpreter, telephone only) leave it standard, and the
 * page shows them beside the letter.
 */
const BY_NEED: [string, LetterFormat][] = [
  ['easy_read', 'easy_read'],
  ['large_print', 'large_print'],
  ['braille', 'plain_text'],
  ['audio', 'plain_text'],
  ['email_only', 'email'],
];

export function formatForNeeds(needs: readonly string[]): { format: LetterFormat; need?: string } {
  const found = BY_NEED.find(([need]) => needs.includes(need));
  return found ? { format: found[1], need: found[0] } : { format: 'standard' };
}
