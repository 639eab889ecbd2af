import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import type { Layout } from './formats';
import type { Block } from './templates';

/** Half-points, as Word counts font sizes. */
const half = (pt: number) => pt * 2;

/**
 * The letter as a Word document, for staff to edit before it goes: Arial, one column, left-aligned,
 * headings as Word headings and lists as Word lists (so a screen reader announces them), sized by
 * the format's layout.
 */
export async function letterDocx(blocks: Block[], layout: Layout, meta: { title: string; reference: string }): Promise<Buffer> {
  const spacing = { line: Math.round(240 * layout.lineHeight), after: half(layout.body) * 5 };
  const children = blocks.map((b) => {
    if (b.type === 'heading') return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: b.lines[0], bold: true, size: half(layout.heading), color: '000000' })], spacing });
    const runs = b.lines.map((line, i) => new TextRun({ text: line, size: half(layout.body), break: i ? 1 : undefined }));
    return new Paragraph({ children: runs, spacing, alignment: AlignmentType.LEFT, ...(b.type === 'item' ? { numbering: { reference: 'items', level: 0 } } : {}) });
  });
  const document = new Document({
    title: meta.title,
    subject: meta.reference,
    creator: 'Oversight',
    styles: { default: { document: { run: { font: 'Arial', size: half(layout.body) } }, heading1: { run: { font: 'Arial', size: half(layout.heading), bold: true, color: '000000' } } } },
    numbering: { config: [{ reference: 'items', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] }] },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
