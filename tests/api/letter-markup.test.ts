import { blocksOf, plainText, renderLetter } from '../../api/letters/templates';

/**
 * A letter's words are its templates' (a line starting `# ` a heading, `- ` an item): the case's
 * own text filled into them (a complainant's name and address, a six-month letter's explanation)
 * stays text, however it is typed. Before, an address line `# Heading` or `- item` became a heading
 * or a list item of the statutory letter, in its DOCX and PDF as in its text.
 */

const context = {
  reference: 'CMP-2026-000123',
  today: '2026-12-07',
  receivedOn: '2026-12-01',
  acknowledgedOn: '2026-12-02',
  responseDueOn: '2027-01-11',
  provider: { code: 'RJ2', name: 'Lewisham and Greenwich NHS Trust' },
  recipient: { name: 'Zoë Example\n# Not a heading', address: ['1 Road', '# Heading injected', '  - item injected', 'Town'] },
};

test("a case's text that looks like the templates' markup stays text, as it was typed", () => {
  const letter = renderLetter('complaint', 'acknowledgement', 'plain_text', context);
  const headings = letter.blocks.filter((b) => b.type === 'heading').map((b) => b.lines[0]);
  const items = letter.blocks.filter((b) => b.type === 'item').map((b) => b.lines[0]);
  expect(headings.join('|')).not.toMatch(/injected|Not a heading/);
  expect(items.join('|')).not.toMatch(/injected/);
  const text = plainText(letter.blocks);
  expect(text).toContain('1 Road\n# Heading injected\n- item injected\nTown');
  expect(text).toContain('# Not a heading');
  expect(text).not.toContain('\uE000');
});

test("the templates' own markup is read as ever", () => {
  expect(blocksOf('# Heading\n\nA paragraph\n- an item')).toEqual([
    { type: 'heading', lines: ['Heading'] },
    { type: 'paragraph', lines: ['A paragraph'] },
    { type: 'item', lines: ['an item'] },
  ]);
  const letter = renderLetter('complaint', 'acknowledgement', 'plain_text', context);
  expect(letter.blocks.some((b) => b.type === 'heading')).toBe(true);
});
