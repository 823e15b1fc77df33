// Builds the .vsix the way `npm run package` does (scripts/vscode/package.sh, vsce under Node 24),
// minus the build: npm test has just built out/ and samples/build, and rebuilding them while other
// test files run would rewrite files under their feet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PACKAGE_SCRIPT, ROOT } from './layout.js';

export function packageVsix(out: string): void {
  const r = spawnSync('bash', [PACKAGE_SCRIPT, '--no-build', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(out)) {
    throw new Error(`packaging failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}
