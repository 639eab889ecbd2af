import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { dateInWords } from '../../contracts/kernel/vocabulary';
import type { LetterFormat } from './formats';

/**
 * The letters' words: Nunjucks templates in ./templates, one per letter and format, written as
 * plain text a complaints manager can change: a blank line starts a new paragraph, a line of its
 * own starting `# ` is a heading and `- ` an item of a list; `{{ receivedOn | words }}` is a date
 * in words. Every letter extends ./templates/layout.njk (the letterhead in ./templates/letterhead.njk,
 * the address, the date, the reference and the signature).
 */
export const TEMPLATES = path.join(__dirname, 'templates');

// Text, not HTML: nothing is escaped (the files made from it escape what they need).
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES, { noCache: false }), { autoescape: false, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
env.addFilter('words', (date: unknown) => (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(date) ? dateInWords(date) : ''));

export type Block = { type: 'heading' | 'paragraph' | 'item'; lines: string[] };

export interface RenderedLetter {
  /** `complaint/acknowledgement/large_print` */
  template: string;
  /** The first 12 hex digits of the SHA-256 of the letter's templates and the layout: it changes whenever their words do. */
  version: string;
  blocks: Block[];
}

/**
 * Put before a line of the case's own text (a name, an address line, an explanation) that starts
 * as the templates' markup does (`# `, `- `): the line stays text, never a heading or a list item
 * of the letter. blocksOf takes it out again.
 */
const LITERAL = '\uE000';

/** The case's facts as the templates take them: every line of their text that looks like markup marked LITERAL. */
function literal(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^([ \t]*)(?=[#-] )/gm, `$1${LITERAL}`);
  if (Array.isArray(value)) return value.map(literal);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
  return value;
}

/** The paragraphs, headings and list items of a rendered template (see above). */
export function blocksOf(text: string): Block[] {
  return markedBlocksOf(text).map((b) => ({ ...b, lines: b.lines.map((l) => l.replaceAll(LITERAL, '')) }));
}

function markedBlocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = chunk.split('\n').map((l) => l.trim()).filter(Boolean);
    let paragraph: string[] = [];
    const flush = () => {
      if (paragraph.length) blocks.push({ type: 'paragraph', lines: paragraph });
      paragraph = [];
    };
    for (const line of lines) {
      if (line.startsWith('# ')) {
        flush();
        blocks.push({ type: 'heading', lines: [line.slice(2).trim()] });
      } else if (line.startsWith('- ')) {
        flush();
        blocks.push({ type: 'item', lines: [line.slice(2).trim()] });
      } else paragraph.push(line);
    }
    flush();
  }
  return blocks;
}

/** The letter as plain text: what the text file holds, and what tests read. */
export function plainText(blocks: Block[]): string {
  return blocks.map((b, i) => (b.type === 'item' ? `- ${b.lines[0]}` : b.lines.join('\n')) + (b.type === 'item' && blocks[i + 1]?.type === 'item' ? '\n' : '\n\n')).join('').trimEnd() + '\n';
}

const versions = new Map<string, string>();

/** A hash of what a letter's words come from: its own folder's templates, the layout and the letterhead. */
function versionOf(dir: string): string {
  let version = versions.get(dir);
  if (!version) {
    const hash = createHash('sha256');
    const files = [...readdirSync(path.join(TEMPLATES, dir)).sort().map((f) => path.join(dir, f)), 'layout.njk', 'letterhead.njk'];
    for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(TEMPLATES, file))).update('\0');
    versions.set(dir, (version = hash.digest('hex').slice(0, 12)));
  }
  return version;
}

/** Render `<caseType>/<letter>/<format>.njk` with the case's facts. */
export function renderLetter(caseType: string, letter: string, format: LetterFormat, context: Record<string, unknown>): RenderedLetter {
  const dir = `${caseType}/${letter}`;
  const text = env.render(`${dir}/${format}.njk`, { ...(literal(context) as Record<string, unknown>), format });
  return { template: `${dir}/${format}`, version: versionOf(dir), blocks: blocksOf(text) };
}
