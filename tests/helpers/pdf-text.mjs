// Reads a PDF from standard input with pdfjs-dist (an ES module, so run as its own process: Jest
// runs tests as CommonJS) and prints each text item with its font size, as JSON.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
const items = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  for (const item of content.items) {
    if (!('str' in item)) continue;
    items.push({ str: item.str, eol: item.hasEOL, size: Math.round(Math.hypot(item.transform[2], item.transform[3]) * 100) / 100 });
  }
}
const meta = await pdf.getMetadata();
process.stdout.write(JSON.stringify({ pages: pdf.numPages, items, title: meta.info?.Title, language: meta.info?.Language ?? null }));
