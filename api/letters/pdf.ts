import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake';
import type { Layout } from './formats';
import type { Block } from './templates';

/**
 * Roboto, as the pdfmake package ships it: embedded (subset) in every PDF, never fetched. pdfmake
 * may read those files and nothing else, on disk or on the network.
 */
const FONTS = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setFonts({
  Roboto: {
    normal: path.join(FONTS, 'Roboto-Regular.ttf'),
    bold: path.join(FONTS, 'Roboto-Medium.ttf'),
    italics: path.join(FONTS, 'Roboto-Italic.ttf'),
    bolditalics: path.join(FONTS, 'Roboto-MediumItalic.ttf'),
  },
});
pdfmake.setLocalAccessPolicy((file: string) => path.resolve(file).startsWith(FONTS + path.sep));
pdfmake.setUrlAccessPolicy(() => false);

/** pdfmake with the fonts and access policies above set: every PDF the API makes goes through it. */
export { pdfmake };

/** mm to points. */
const mm = (n: number) => (n * 72) / 25.4;

/**
 * The letter as a PDF to send as it is: A4, one column, left-aligned, the fonts embedded, marked as
 * tagged with its language and title (as far as pdfmake goes: no structure tree), sized by the
 * format's layout.
 */
export async function letterPdf(blocks: Block[], layout: Layout, meta: { title: string; reference: string }): Promise<Buffer> {
  const gap = layout.body * 0.8;
  const content: Content[] = [];
  for (const b of blocks) {
    if (b.type === 'heading') content.push({ text: b.lines[0], fontSize: layout.heading, bold: true, margin: [0, gap / 2, 0, gap] });
    else if (b.type === 'item') content.push({ ul: [{ text: b.lines[0] }], margin: [0, 0, 0, gap / 2] });
    else content.push({ text: b.lines.join('\n'), margin: [0, 0, 0, gap] });
  }
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [mm(25), mm(20), mm(25), mm(20)],
    info: { title: meta.title, subject: meta.reference, creator: 'Oversight', producer: 'Oversight' },
    language: 'en-GB',
    displayTitle: true,
    tagged: true,
    content,
    defaultStyle: { font: 'Roboto', fontSize: layout.body, lineHeight: layout.lineHeight },
  };
  return pdfmake.createPdf(definition).getBuffer();
}
