// What `npm run package` puts into the .vsix: built with the real vsce (scripts/vscode/package.sh)
// and listed with unzip. Outside truths: the sample list comes from the samples Makefile, the
// production dependency tree from `npm ls --omit=dev`, the devDependencies from package.json.
// Needs Node 24 and vsce from scripts/vscode/setup.sh: skipped without them, except with
// RINGSIDE_E2E=1 (CI), where that is a failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_REQUIRED, ROOT, missingBuild, missingPackagingSetup } from '../e2e/harness/layout.js';
import { packageVsix } from '../e2e/harness/package.js';

const problem = missingPackagingSetup() ?? missingBuild();
if (problem && !E2E_REQUIRED) console.warn(`[vsix] skipped: ${problem}`);

/** The sample programs, as the samples Makefile enumerates them. */
function samplePrograms(): string[] {
  const out = execFileSync('make', ['-s', '-C', join(ROOT, 'samples'), '--eval', 'ringside-programs: ; @echo $(USER_PROGS)', 'ringside-programs'], { encoding: 'utf8' });
  return out.trim().split(/\s+/);
}

/** Package folders of the production dependency tree, relative to the root ("node_modules/semver"). */
function productionPackages(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  return out.trim().split('\n').map((p) => relative(ROOT, p)).filter((p) => p !== '');
}

/** The package folders files of the .vsix belong to: each node_modules/NAME or node_modules/@SCOPE/NAME prefix. */
function packageFolders(files: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i] !== 'node_modules') continue;
      const end = parts[i + 1]!.startsWith('@') ? i + 3 : i + 2;
      if (end <= parts.length - 1) found.add(parts.slice(0, end).join('/'));
    }
  }
  return found;
}

describe.skipIf(problem !== undefined && !E2E_REQUIRED)('the .vsix from npm run package', () => {
  let work: string | undefined;
  let vsix: string;
  /** Paths inside the extension folder of the .vsix ("out/extension/extension.js"). */
  let files: string[];

  beforeAll(() => {
    if (problem) throw new Error(`RINGSIDE_E2E=1 but packaging is not set up: ${problem}`);
    work = mkdtempSync(join(tmpdir(), 'ringside-vsix-'));
    vsix = join(work, 'ringside.vsix');
    packageVsix(vsix);
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
    files = listing.trim().split('\n').filter((f) => f.startsWith('extension/') && !f.endsWith('/')).map((f) => f.slice('extension/'.length));
    console.log(`[vsix] ${files.length} files, ${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MiB`);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the extension, the adapter and the emulator as built JavaScript', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    for (const f of [manifest.main.replace(/^\.\//, ''), 'out/extension/extension.js', 'out/extension/factory.js', 'out/adapter/main.js', 'out/adapter/session.js', 'out/emulator/machine.js', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('out/') && !/^out\/(extension|adapter|emulator)\//.test(f))).toEqual([]);
  });

  it('holds every file that package.json\'s contributions name (grammars, language configurations, icons)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: unknown };
    const named: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith('./')) named.push(v.slice(2));
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(manifest.contributes);
    for (const f of named) {
      expect(existsSync(join(ROOT, f)), `package.json names ${f}, which does not exist`).toBe(true);
      expect(files, f).toContain(f);
    }
  });

  it('holds the teaching kernel, every sample (source and ELF) and the samples launch.json', () => {
    expect(files).toContain('samples/build/kernel/kernel.elf');
    expect(files).toContain('samples/.vscode/launch.json');
    expect(files).toContain('samples/Makefile');
    for (const name of samplePrograms()) {
      expect(files, name).toContain(`samples/build/user/${name}.elf`);
      expect(files.some((f) => f === `samples/user/${name}.c` || f === `samples/user/${name}.S`), name).toBe(true);
    }
    for (const f of ['samples/kernel/trap.c', 'samples/kernel/trapentry.S', 'samples/user/lib/syscall.c']) expect(files).toContain(f);
  });

  it('holds LICENSE and README', () => {
    expect(files.some((f) => /^LICENSE(\.txt)?$/i.test(f))).toBe(true);
    expect(files.some((f) => /^readme\.md$/i.test(f))).toBe(true);
  });

  it('holds none of our tests, test kernels, object files or source maps', () => {
    // (Dependencies' own files are theirs: @vscode/debugadapter ships a test of its own.)
    const ours = files.filter((f) => !f.startsWith('node_modules/'));
    expect(ours.filter((f) => /(^|\/)tests?\//.test(f))).toEqual([]);
    expect(ours.filter((f) => /\.test\.(js|ts)$/.test(f))).toEqual([]);
    expect(ours.filter((f) => /\.(o|d|a|map|ts)$/.test(f))).toEqual([]);
  });

  it('holds exactly the production dependency tree, no devDependencies', () => {
    const expected = productionPackages().sort();
    expect([...packageFolders(files)].sort()).toEqual(expected);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies)) expect(files, dep).toContain(`node_modules/${dep}/package.json`);
    const devOnly = Object.keys(manifest.devDependencies).filter((d) => !expected.some((p) => p.endsWith(`node_modules/${d}`)));
    for (const dep of devOnly) expect(files.filter((f) => f.startsWith(`node_modules/${dep}/`)), dep).toEqual([]);
  });
});
