// Dev-only launcher (local runs, tests, bench, chaos) for the binaries scripts/install-tools.sh installs; not runtime code.
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

export type ToolName = 'temporal' | 'temporal-test-server' | 'ferretdb' | 'mailpit' | 'chromium';

/**
 * The repository root: the nearest folder above this file holding package.json. Walking up
 * (rather than a fixed '../..') keeps this right when compiled into dist/.
 */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** Absolute path of a server binary installed by scripts/install-tools.sh. */
export function toolPath(name: ToolName): string {
  const file = path.join(repoRoot(), '.tools', 'bin', name);
  try {
    // X_OK follows the symlink into the per-user cache, so a wiped cache is caught here too.
    accessSync(file, constants.X_OK);
  } catch {
    throw new Error(`${name} is not installed at ${file}. Run: bash scripts/install-tools.sh`);
  }
  return file;
}
