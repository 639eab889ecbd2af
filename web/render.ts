import path from 'node:path';
import type { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { ROLE_LABELS, type Role } from '../api/auth/roles';
import type { Principal } from '../api/auth/tokens';
import { londonDate, workingDaysBetween } from '../lib/calendar';
import { humanise } from './forms';
import { formToken, principalOf } from './session';

/** The NHS.UK frontend's macros and template, from the package itself. */
export const FRONTEND_DIST = path.dirname(require.resolve('nhsuk-frontend/package.json')) + '/dist';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026-11-23 → 23 November 2026, as the NHS writes dates. */
export function longDate(iso: unknown): string {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** A due date, in working days from today: "3 working days left", "due today", "2 working days overdue". */
export function daysLeft(dueOn: unknown, today = londonDate(Date.now())): { text: string; overdue: boolean; days: number } | undefined {
  if (typeof dueOn !== 'string') return undefined;
  let days: number;
  try {
    days = workingDaysBetween(today, dueOn);
  } catch {
    return undefined;
  }
  if (dueOn < today) {
    const late = Math.max(1, -days);
    return { text: `${late} working day${late === 1 ? '' : 's'} overdue`, overdue: true, days };
  }
  if (dueOn === today) return { text: 'due today', overdue: false, days: 0 };
  return { text: `${days} working day${days === 1 ? '' : 's'} left`, overdue: false, days };
}

export function createViews(): nunjucks.Environment {
  const env = nunjucks.configure([path.join(__dirname, 'views'), FRONTEND_DIST], { autoescape: true, throwOnUndefined: false, noCache: false });
  env.addFilter('longDate', longDate);
  env.addFilter('daysLeft', (dueOn: unknown) => daysLeft(dueOn));
  env.addFilter('ageInWords', ageInWords);
  env.addFilter('humanise', (v: unknown) => (typeof v === 'string' ? humanise(v) : v));
  env.addFilter('instant', (v: unknown) => (typeof v === 'string' ? `${longDate(londonDate(v))}, ${new Date(v).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })}` : ''));
  return env;
}

/** The navigation each role works from: its own task first. */
const NAVIGATION: { href: string; text: string; roles: Role[] }[] = [
  { href: '/complaints', text: 'Complaints', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'auditor', 'administrator'] },
  { href: '/visits', text: 'Insight visits', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'visit_panel', 'auditor', 'administrator'] },
  { href: '/reviews', text: 'Six-month reviews', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'auditor', 'administrator'] },
  { href: '/providers', text: 'CQRG action plans', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'auditor', 'administrator'] },
  { href: '/imports', text: 'Import cases', roles: ['administrator'] },
];

export function navigationFor(principal: Principal | undefined, current: string) {
  if (!principal) return [];
  return NAVIGATION.filter((n) => n.roles.some((r) => principal.roles.includes(r))).map((n) => ({
    href: n.href,
    text: n.text,
    current: current === n.href || current.startsWith(`${n.href}/`),
  }));
}

/** Render a page with what every page has: who is signed in, the navigation, the form token, the CSP nonce. */
export function renderPage(env: nunjucks.Environment, req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
  const principal = principalOf(req);
  const html = env.render(view, {
    ...data,
    cspNonce: res.locals.cspNonce as string,
    user: principal && { name: principal.name, roles: principal.roles.map((r) => ROLE_LABELS[r]).join(', ') },
    navigation: navigationFor(principal, req.path),
    formToken: formToken(req),
    currentPath: req.originalUrl,
  });
  res.status(status).type('html').send(html);
}

/** An age in seconds as a page says it: "just now", "4 minutes ago", "2 days ago". */
export function ageInWords(seconds: unknown): string {
  if (typeof seconds !== 'number' || seconds < 60) return 'just now';
  const [n, unit] = seconds < 3600 ? [Math.floor(seconds / 60), 'minute'] : seconds < 86_400 ? [Math.floor(seconds / 3600), 'hour'] : [Math.floor(seconds / 86_400), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}
