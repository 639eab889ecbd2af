/**
 * The pack's charts, drawn here as SVG text (no script, no client library), so the page shows the
 * same drawing the PDF embeds. Each chart's figures are also a table beside it, its text
 * alternative (./tables.ts); the SVG's title says so. Colours are the NHS palette's and each bar
 * also carries its value as text, so colour is never the only cue.
 */

export interface Series {
  name: string;
  fill: string;
  values: number[];
}

export interface BarChart {
  /** Unique on the page: the SVG title's id. */
  id: string;
  title: string;
  categories: string[];
  /** Stacked from the bottom, in this order. */
  series: Series[];
  /** Plotted as a percentage (0-100) rather than from zero to the largest stack. */
  percent?: boolean;
}

const TEXT = '#212b32';
const AXIS = '#425563';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart as one `<svg>` element: the page writes it as it is, the PDF hands it to pdfmake. */
export function barChartSvg(chart: BarChart): string {
  const height = 160;
  const left = 40;
  const n = chart.categories.length;
  const slot = Math.max(36, Math.min(120, Math.floor(640 / Math.max(1, n))));
  const bar = Math.round(slot * 0.6);
  const width = left + n * slot + 8;
  const totals = chart.categories.map((_, i) => chart.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = chart.percent ? 100 : Math.max(1, ...totals);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${chart.id}-title" width="${width}" height="${height + 48}" viewBox="0 0 ${width} ${height + 48}">`,
    `<title id="${chart.id}-title">${escape(chart.title)}; the table that follows gives the figures</title>`,
    `<line x1="${left - 4}" y1="${height + 8}" x2="${width}" y2="${height + 8}" stroke="${AXIS}"/>`,
    `<text x="${left - 8}" y="20" text-anchor="end" font-size="11" fill="${TEXT}">${max}${chart.percent ? '%' : ''}</text>`,
    `<text x="${left - 8}" y="${height + 8}" text-anchor="end" font-size="11" fill="${TEXT}">0</text>`,
  ];
  chart.categories.forEach((label, i) => {
    const x = left + i * slot + Math.round((slot - bar) / 2);
    let y = height + 8;
    for (const s of chart.series) {
      const v = s.values[i] ?? 0;
      const h = (v / max) * (height - 8);
      y -= h;
      if (h > 0) parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${bar}" height="${h.toFixed(1)}" fill="${s.fill}" stroke="#ffffff"/>`);
    }
    parts.push(`<text x="${x + bar / 2}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="11" fill="${TEXT}">${totals[i]}${chart.percent ? '%' : ''}</text>`);
    parts.push(`<text x="${x + bar / 2}" y="${height + 24}" text-anchor="middle" font-size="11" fill="${TEXT}">${escape(label)}</text>`);
  });
  // The key, when there is more than one series.
  if (chart.series.length > 1)
    chart.series.forEach((s, i) => {
      const x = left + i * 90;
      parts.push(`<rect x="${x}" y="${height + 34}" width="10" height="10" fill="${s.fill}"/>`, `<text x="${x + 14}" y="${height + 43}" font-size="11" fill="${TEXT}">${escape(s.name)}</text>`);
    });
  parts.push('</svg>');
  return parts.join('');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-11` as `Nov 26`; `2026-11-03` as `3 Nov 26`. */
export const shortDate = (d: string) => `${d.length > 7 ? `${Number(d.slice(8, 10))} ` : ''}${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(2, 4)}`;

export const RAG_FILL = { red: '#d5281b', amber: '#ffb81c', green: '#007f3b' } as const;
export const BAR_FILL = '#005eb8';
