// Rehearsal only: the "next version" of the worker for the rolling upgrade: this commit's code in a
// copy of its own, with one harmless, visible workflow change made as the project makes them
// (behind patched()), and its workflow bundle built. The change lives only in that copy.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeAt } from '../bench/lib/worker-process';

/** The rehearsal's patch id: never in the product's workflows. */
export const UPGRADE_PATCH = 'rehearsal-second-response-reminder';

/** Reminders of the response deadline a case acknowledged under each version plans. */
export const REMINDERS = { before: 1, after: 2 } as const;

const FILE = 'workflows/complaint/handlers/receipt.ts';
const HANDLER = 'export function acknowledgement(';
const REMIND = 'remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays],';

/**
 * Since the patch, an acknowledgement plans a second reminder of the response, one working day
 * before it. Asked where the handler is registered, as the run starts (as workflows/complaint/
 * workflow.ts asks its versions): a case started before the patch keeps one reminder for life.
 */
export function applyUpgradeChange(dir: string): void {
  const file = path.join(dir, FILE);
  let source = readFileSync(file, 'utf8');
  const at = source.indexOf(HANDLER);
  const body = at < 0 ? -1 : source.indexOf('{\n', at);
  if (body < 0 || !source.includes(REMIND)) throw new Error(`${FILE} has changed: the rehearsal's upgrade change no longer applies (rehearsal/upgrade-tree.ts)`);
  source =
    `import { patched } from '@temporalio/workflow';\n` +
    source.slice(0, body + 2) +
    `  const secondReminder = patched('${UPGRADE_PATCH}');\n` +
    source.slice(body + 2).replace(REMIND, 'remindWorkingDaysBefore: secondReminder ? [DEFAULTS.responseReminderWorkingDays, 1] : [DEFAULTS.responseReminderWorkingDays],');
  writeFileSync(file, source);
}

/** HEAD's code under `dir` with the change applied and bundled; resolves to the tree's path. */
export async function upgradedTree(dir: string): Promise<string> {
  const tree = await codeAt('HEAD', dir, applyUpgradeChange);
  return tree.dir;
}
