import { KO41A_SUBJECTS } from '../../models/ko41a';
import { BAR_FILL, barChartSvg, RAG_FILL, shortDate, type BarChart } from './charts';
import type { Share } from './complaints';
import type { Pack } from './service';

/**
 * The pack's sections, each with its tables and charts, made once from the figures: the page
 * (web/views/chair/pack.njk), the PDF and the CSV (./files.ts) all lay out these, so a figure
 * reads the same in each and every chart's table is its text alternative in all three.
 */

/** A cell: what is shown, the plain value a CSV takes (a date as YYYY-MM-DD), and a link on the page. */
export interface Cell {
  text: string;
  value: string | number;
  href?: string;
}
export interface Table {
  id: string;
  caption: string;
  columns: { label: string; numeric?: boolean }[];
  /** Each row's first cell is its header. */
  rows: Cell[][];
  /** Shown instead of rows when there are none. */
  empty: string;
}
export interface Section {
  id: string;
  heading: string;
  /** Why a section is empty for now, or how its figures are counted. */
  notes: string[];
  charts: { svg: string; table: Table }[];
  tables: Table[];
}

const longDate = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const n = (v: number): Cell => ({ text: String(v), value: v });
const t = (v: string, href?: string): Cell => ({ text: v, value: v, ...(href && { href }) });
const d = (v: string): Cell => ({ text: longDate(v), value: v });
const pct = (s: Share): Cell => ({ text: s.percent === null ? 'none due' : `${s.percent}% (${s.n} of ${s.of})`, value: s.percent === null ? '' : s.percent });
const humanise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
const SUBJECTS = new Map<string, string>(KO41A_SUBJECTS.map((c) => [c.slug, c.label]));
const num = (label: string) => ({ label, numeric: true });

function chart(c: BarChart, table: Omit<Table, 'id'>) {
  return { svg: barChartSvg(c), table: { id: `${c.id}-table`, ...table } };
}

function actionsSection(p: Pack): Section {
  const a = p.actions;
  const themes = a.byTheme.filter((r) => r.red + r.amber + r.green + r.closedSinceLastMeeting + r.closedLast12Months > 0);
  const m = p.charts.meetings;
  return {
    id: 'actions',
    heading: 'Action plans: outstanding and recently closed',
    notes: [`RAG as worked out on ${longDate(p.today)}: red past due, amber due by ${longDate(p.amberUntil)}, green later.`],
    charts: [
      chart(
        { id: 'rag-meetings', title: `Outstanding actions by RAG at each CQRG meeting of the last 12 months`, categories: m.map((x) => shortDate(x.meetingOn)), series: (['red', 'amber', 'green'] as const).map((r) => ({ name: humanise(r), fill: RAG_FILL[r], values: m.map((x) => x[r]) })) },
        { caption: 'Outstanding actions by RAG at each meeting (as each meeting’s pack recorded them)', columns: [{ label: 'Meeting' }, num('Red'), num('Amber'), num('Green'), num('Outstanding')], rows: m.map((x) => [d(x.meetingOn), n(x.red), n(x.amber), n(x.green), n(x.outstanding)]), empty: 'No meeting’s pack in the last 12 months.' },
      ),
    ],
    tables: [
      {
        id: 'actions-by-theme',
        caption: 'Actions by theme and RAG',
        columns: [{ label: 'Theme' }, num('Red'), num('Amber'), num('Green'), num('Closed since last meeting'), num('Closed in 12 months')],
        rows: [...themes, { theme: 'all themes', ...a.total }].map((r) => [t(humanise(r.theme)), n(r.red), n(r.amber), n(r.green), n(r.closedSinceLastMeeting), n(r.closedLast12Months)]),
        empty: 'No actions.',
      },
      {
        id: 'actions-outstanding',
        caption: `Outstanding actions (${a.total.outstanding}), earliest due first`,
        columns: [{ label: 'Action' }, { label: 'RAG' }, { label: 'Theme' }, { label: 'Owner' }, { label: 'Due' }, { label: 'Plan' }],
        rows: a.outstanding.map((x) => [t(x.description + (x.status === 'evidence_submitted' ? ' (evidence awaiting the chair)' : '')), t(humanise(x.rag)), t(humanise(x.theme)), t(x.owner.name), d(x.dueOn), t(x.reference, `/action-plans/${x.reference}`)]),
        empty: 'No outstanding actions.',
      },
    ],
  };
}

function meetingSections(p: Pack): Section[] {
  const awaiting = p.meetingRecord ? [] : ['The reporting plan and the meeting record are not yet kept in Oversight: this section fills in once they are.'];
  return [
    {
      id: 'reports',
      heading: 'The provider’s reports due for this meeting',
      notes: awaiting,
      charts: [],
      tables: [{ id: 'reports-due', caption: 'Reports due: received, late or missing', columns: [{ label: 'Report' }, { label: 'Due' }, { label: 'Status' }], rows: p.reportsDue.map((r) => [t(humanise(r.theme)), d(r.dueOn), t(humanise(r.status))]), empty: 'No reports listed.' }],
    },
    {
      id: 'decisions',
      heading: 'The last meeting’s decisions',
      notes: awaiting,
      charts: [],
      tables: [{ id: 'decisions', caption: p.lastMeetingOn ? `Decisions of ${longDate(p.lastMeetingOn)} and what became of them` : 'Decisions of the last meeting', columns: [{ label: 'Decision' }, { label: 'Kind' }, { label: 'Since' }], rows: p.decisions.map((x) => [t(x.summary), t(humanise(x.kind)), t(x.outcome)]), empty: 'No decisions listed.' }],
    },
  ];
}

function complaintsSection(p: Pack): Section {
  const [s, y] = [p.complaints.sinceLastMeeting, p.complaints.last12Months];
  const row = (label: string, a: Cell, b: Cell) => [t(label), a, b];
  const subjects = [...new Set([...s.themes, ...y.themes].map((x) => x.subject))];
  const themeOf = (f: typeof s, subject: string) => f.themes.find((x) => x.subject === subject)?.n ?? 0;
  subjects.sort((a, b) => themeOf(y, b) - themeOf(y, a) || a.localeCompare(b));
  const months = p.complaints.perMonth;
  return {
    id: 'complaints',
    heading: `Escalated complaints about ${p.providerCode}`,
    notes: [`Since the last meeting: ${longDate(s.from)} to ${longDate(s.to)}. Last 12 months: ${longDate(y.from)} to ${longDate(y.to)}. Open and overdue are of the complaints received in the period, as they stand today. Counts only.`],
    charts: [
      chart(
        { id: 'complaints-month', title: 'Escalated complaints received each month, last 12 months', categories: months.map((x) => shortDate(x.month)), series: [{ name: 'Received', fill: BAR_FILL, values: months.map((x) => x.n) }] },
        { caption: 'Escalated complaints received each month', columns: [{ label: 'Month' }, num('Received')], rows: months.map((x) => [{ text: shortDate(x.month), value: x.month }, n(x.n)]), empty: 'No months.' },
      ),
    ],
    tables: [
      {
        id: 'complaints-figures',
        caption: 'Complaints received, open, overdue and closed',
        columns: [{ label: 'Figure' }, num('Since last meeting'), num('Last 12 months')],
        rows: [
          row('Received', n(s.received), n(y.received)),
          row('Still open', n(s.open), n(y.open)),
          row('Overdue', n(s.overdue), n(y.overdue)),
          row('Closed: upheld', n(s.closedByOutcome.upheld), n(y.closedByOutcome.upheld)),
          row('Closed: partly upheld', n(s.closedByOutcome.partly_upheld), n(y.closedByOutcome.partly_upheld)),
          row('Closed: not upheld', n(s.closedByOutcome.not_upheld), n(y.closedByOutcome.not_upheld)),
          row('Acknowledged within 3 working days', pct(s.acknowledgedWithin3WorkingDays), pct(y.acknowledgedWithin3WorkingDays)),
          row('Responded to by the agreed date', pct(s.respondedByAgreedDate), pct(y.respondedByAgreedDate)),
        ],
        empty: '',
      },
      {
        id: 'complaints-themes',
        caption: 'Themes: KO41a subjects of the complaints received (a complaint counts under each aspect)',
        columns: [{ label: 'Subject' }, num('Since last meeting'), num('Last 12 months')],
        rows: subjects.map((subject) => [t(SUBJECTS.get(subject) ?? humanise(subject)), n(themeOf(s, subject)), n(themeOf(y, subject))]),
        empty: 'No complaints received.',
      },
    ],
  };
}

function visitsAndReviews(p: Pack): Section[] {
  const v = p.visits;
  const r = p.reviews;
  const fft = p.charts.fft;
  return [
    {
      id: 'visits',
      heading: 'Insight visits',
      notes: v.awaitingPlan.references.length ? [`Recommendations awaiting a plan from ${v.awaitingPlan.references.join(', ')}.`] : [],
      charts: [],
      tables: [
        {
          id: 'visits-figures',
          caption: 'Insight visits: planned, reports issued, recommendations awaiting a plan',
          columns: [{ label: 'Figure' }, num('Count')],
          rows: [
            [t('Planned, not yet held'), n(v.planned)],
            [t('Final reports issued since the last meeting'), n(v.reportsIssued.sinceLastMeeting)],
            [t('Final reports issued in the last 12 months'), n(v.reportsIssued.last12Months)],
            [t('Visits whose recommendations await a plan'), n(v.awaitingPlan.visits)],
            [t('Recommendations awaiting a plan'), n(v.awaitingPlan.recommendations)],
          ],
          empty: '',
        },
      ],
    },
    {
      id: 'reviews',
      heading: 'Six-month reviews of redesigned services',
      notes: [`${r.due} due, ${r.overdue} overdue (reviews whose commissioner named ${p.providerCode} as the provider).`],
      charts: [],
      tables: [{ id: 'reviews-due', caption: 'Reviews due or overdue', columns: [{ label: 'Service' }, { label: 'Review' }, { label: 'Due' }, { label: 'Status' }], rows: r.items.map((x) => [t(x.serviceName), t(x.reference, `/reviews/${x.reference}`), d(x.dueOn), t(x.overdue ? 'Overdue' : 'Due')]), empty: 'No review due or overdue.' }],
    },
    {
      id: 'fft',
      heading: 'Friends and Family Test',
      notes: fft.length ? [] : ['Drawn from the provider’s FFT reports once they are received in Oversight: none yet.'],
      charts: fft.length
        ? [chart({ id: 'fft-month', title: 'Friends and Family Test: % who would recommend, each month', categories: fft.map((x) => shortDate(x.month)), series: [{ name: '% recommend', fill: BAR_FILL, values: fft.map((x) => x.percentRecommend) }], percent: true }, { caption: 'Friends and Family Test by month', columns: [{ label: 'Month' }, num('% recommend'), num('Responses')], rows: fft.map((x) => [{ text: shortDate(x.month), value: x.month }, n(x.percentRecommend), n(x.responses)]), empty: '' })]
        : [],
      tables: [],
    },
  ];
}

/** Every section of the pack, in the order the meeting takes them. */
export function packSections(p: Pack): Section[] {
  return [actionsSection(p), ...meetingSections(p), complaintsSection(p), ...visitsAndReviews(p)];
}

