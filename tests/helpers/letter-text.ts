import { execFile } from 'node:child_process';
import path from 'node:path';
import JSZip from 'jszip';

/** Whitespace as one space: a PDF wraps its lines where it likes. */
export const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A DOCX's text, from its word/document.xml: each paragraph a line. */
export async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((m) => (m[0] === '<w:br/>' ? '\n' : m[1])).join(''))
    .join('\n')
    .replace(/&(amp|lt|gt|quot|apos|#(\d+));/g, (_, name: string, code?: string) => (code ? String.fromCodePoint(Number(code)) : entities[name]));
}

export interface PdfText {
  pages: number;
  text: string;
  items: { str: string; eol: boolean; size: number }[];
  title?: string;
}

/** A PDF's text and each piece's font size, read by pdfjs-dist (tests/helpers/pdf-text.mjs). */
export function pdfText(bytes: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'pdf-text.mjs')], { maxBuffer: 20_000_000 }, (err, stdout) => {
      if (err) return reject(err);
      const read = JSON.parse(stdout) as Omit<PdfText, 'text'>;
      resolve({ ...read, text: read.items.map((i) => i.str + (i.eol ? '\n' : '')).join('') });
    });
    child.stdin!.end(bytes);
  });
}
