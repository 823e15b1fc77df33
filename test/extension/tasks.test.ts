// The "ringside" build tasks without VS Code: the i386 gcc check and its advice, the problem
// matcher on real gcc output, the task definitions' checks, and real builds (make -C samples;
// one's own program with the samples' flags) whose ELFs are compared with what the samples'
// Makefile builds (nm) and run on the emulator.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GCC_DIAGNOSTIC_REGEXP, matchGccDiagnostic, PROBLEM_MATCHER, SAMPLES_PROBLEM_MATCHER } from '../../extension/model/problem-matcher.js';
import { distributionIds, toolchainAdvice } from '../../extension/model/toolchain.js';
import { buildRequest, findSamplesDir, TaskDefinitionError } from '../../extension/tasks/plan.js';
import { flagsFor, runBuild, samplesMakeVariables, thisHost } from '../../extension/tasks/run.js';
import { BYTE_COLUMNS, detectI386Gcc } from '../../extension/tasks/toolchain.js';
import { KERNEL, ROOT, sample, userSource } from '../adapter/dap-helpers.js';

const SAMPLES = join(ROOT, 'samples');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    taskDefinitions: Array<{ type: string; required: string[]; properties: Record<string, { enum?: string[] }> }>;
    problemMatchers: Array<{ name: string; fileLocation: string[]; pattern: { regexp: string; file: number; line: number; column: number; severity: number; message: number } }>;
    views: { debug: Array<{ id: string; type?: string }> };
  };
};

const nm = (elf: string): string => execFileSync('nm', [elf], { encoding: 'utf8' });

/** A broken C file, tab-indented as the samples are: one warning (unused variable, -Wall) and one error. */
const BROKEN = ['int main(void)', '{', '\tint unused;', '\tint x = ;', '\treturn 0;', '}', ''].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringside-tasks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package.json contributions', () => {
  it('declares the task type, the screen view and the problem matchers this code uses', () => {
    const def = manifest.contributes.taskDefinitions.find((d) => d.type === 'ringside')!;
    expect(def.required).toEqual(['build']);
    expect(def.properties.build!.enum).toEqual(['samples', 'program']);
    expect(Object.keys(def.properties)).toEqual(['build', 'program', 'output']);
    const matchers = manifest.contributes.problemMatchers;
    expect(matchers.map((m) => m.name)).toEqual([PROBLEM_MATCHER, SAMPLES_PROBLEM_MATCHER]);
    for (const m of matchers) {
      expect(m.pattern).toEqual({ regexp: GCC_DIAGNOSTIC_REGEXP, file: 1, line: 2, column: 3, severity: 4, message: 5 });
    }
    expect(matchers[0]!.fileLocation).toEqual(['autoDetect', '${workspaceFolder}']);
    expect(matchers[1]!.fileLocation).toEqual(['autoDetect', '${workspaceFolder}/samples']);
    expect(manifest.contributes.views.debug).toContainEqual(expect.objectContaining({ id: 'ringside.screen', type: 'webview' }));
  });
});

describe('the problem matcher on real gcc output', () => {
  it('finds gcc\'s error and warning with file, line and column (columns in characters, as VS Code counts)', async () => {
    const file = join(dir, 'broken.c');
    writeFileSync(file, BROKEN);
    const flags = flagsFor((await samplesMakeVariables(SAMPLES)).USER_CFLAGS, SAMPLES);
    const compile = (extra: string[]): string =>
      spawnSync('gcc', [...flags, ...extra, '-c', file, '-o', join(dir, 'broken.o')], { encoding: 'utf8', cwd: SAMPLES }).stderr;
    const lines = BROKEN.split('\n');
    const errLine = lines.findIndex((l) => l.includes('int x = ;')) + 1;
    const warnLine = lines.findIndex((l) => l.includes('int unused;')) + 1;
    const found = compile([BYTE_COLUMNS]).split('\n').map(matchGccDiagnostic).filter((d) => d !== undefined);
    const error = found.find((d) => d.severity === 'error')!;
    expect(error).toMatchObject({ file, line: errLine, column: lines[errLine - 1]!.indexOf(';') + 1 });
    expect(error.message).toMatch(/expected expression/);
    const warning = found.find((d) => d.severity === 'warning' && d.line === warnLine)!;
    expect(warning).toMatchObject({ file, column: lines[warnLine - 1]!.indexOf('unused') + 1 });
    expect(warning.message).toMatch(/unused variable/);
    // Why the tasks pass that flag: by default gcc counts the leading tab as 8 columns.
    const display = compile([]).split('\n').map(matchGccDiagnostic).find((d) => d?.severity === 'error')!;
    expect(display.column).toBe(8 + lines[errLine - 1]!.indexOf(';'));
  });

  it('does not take make\'s or ld\'s other lines for diagnostics', () => {
    expect(matchGccDiagnostic("make: *** [Makefile:12: build/user/x.o] Error 1")).toBeUndefined();
    expect(matchGccDiagnostic("ld: build/user/x.o: in function `main':")).toBeUndefined();
    expect(matchGccDiagnostic("In file included from user/x.c:1:")).toBeUndefined();
  });
});

describe('the i386 gcc check', () => {
  it('this machine\'s gcc links a 32-bit program, as gcc -m32 itself says', async () => {
    const probe = join(dir, 'probe.c');
    writeFileSync(probe, 'int main(void) { return 0; }\n');
    const direct = spawnSync('gcc', ['-m32', probe, '-o', join(dir, 'probe')]);
    const check = await detectI386Gcc('gcc');
    expect(check.ok).toBe(direct.status === 0);
    expect(check.ok).toBe(true); // CI and the README require gcc-multilib
    if (check.ok) expect(check.version).toBe(execFileSync('gcc', ['-dumpfullversion', '-dumpversion'], { encoding: 'utf8' }).trim());
  });

  it('no gcc at all: not found, and the advice installs gcc too', async () => {
    const check = await detectI386Gcc('ringside-no-such-gcc');
    expect(check).toMatchObject({ ok: false, problem: 'not-found' });
    const advice = toolchainAdvice(check, { platform: 'linux', osRelease: 'ID=debian\n' });
    expect(advice.installCommand).toBe('sudo apt-get install gcc make gcc-multilib');
    expect(advice.message).toContain('ringside-no-such-gcc was not found');
  });

  it('a gcc that cannot link: the linker\'s own complaint, and the multilib install command', async () => {
    // Linking without the default libraries fails as a missing 32-bit C library does: no libc.
    const check = await detectI386Gcc('gcc', ['-nodefaultlibs']);
    expect(check).toMatchObject({ ok: false, problem: 'cannot-link' });
    if (check.ok) return;
    expect(check.output).toMatch(/undefined reference|cannot find/);
    const advice = toolchainAdvice(check, thisHost());
    if (distributionIds(thisHost().osRelease).some((id) => id === 'debian' || id === 'ubuntu')) {
      expect(advice.installCommand).toBe('sudo apt-get install gcc-multilib');
      expect(advice.detail).toContain('To install it: sudo apt-get install gcc-multilib');
    }
    expect(advice.detail.join('\n')).toContain('gcc said:');
  });

  it('advice for other systems', () => {
    const fail = { ok: false as const, cc: 'gcc', problem: 'cannot-link' as const, output: 'ld: cannot find crt1.o' };
    // os-release as Ubuntu and Fedora ship it (ID_LIKE lists the family).
    expect(distributionIds('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')).toEqual(['ubuntu', 'debian']);
    expect(toolchainAdvice(fail, { platform: 'linux', osRelease: 'ID=ubuntu\nID_LIKE=debian\n' }).installCommand).toBe('sudo apt-get install gcc-multilib');
    expect(toolchainAdvice(fail, { platform: 'linux', osRelease: 'ID=fedora\n' }).installCommand).toBe('sudo dnf install glibc-devel.i686 libgcc.i686');
    expect(toolchainAdvice(fail, { platform: 'linux', osRelease: 'ID="rocky"\nID_LIKE="rhel centos fedora"\n' }).installCommand).toContain('dnf');
    expect(toolchainAdvice(fail, { platform: 'linux', osRelease: 'ID=arch\n' }).installCommand).toContain('lib32-glibc');
    const mac = toolchainAdvice(fail, { platform: 'darwin' });
    expect(mac.installCommand).toBeUndefined();
    expect(mac.message).toMatch(/Linux virtual machine or container/);
    expect(toolchainAdvice(fail, { platform: 'win32' }).message).toMatch(/WSL/);
    expect(toolchainAdvice(fail, { platform: 'linux' }).message).toMatch(/32-bit \(multilib\) support/);
  });
});

describe('task definitions', () => {
  it('find the samples in the repository folder or as the folder itself', () => {
    expect(findSamplesDir(ROOT)).toBe(SAMPLES);
    expect(findSamplesDir(SAMPLES)).toBe(SAMPLES);
    expect(findSamplesDir(dir)).toBeUndefined();
    expect(buildRequest({ type: 'ringside', build: 'samples' }, ROOT)).toMatchObject({ kind: 'samples', problemMatcher: SAMPLES_PROBLEM_MATCHER });
    expect(buildRequest({ type: 'ringside', build: 'samples' }, SAMPLES)).toMatchObject({ kind: 'samples', problemMatcher: PROBLEM_MATCHER });
  });

  it('say what is wrong', () => {
    const bad = (def: unknown, folder = ROOT): string => {
      try {
        buildRequest(def, folder);
      } catch (e) {
        expect(e).toBeInstanceOf(TaskDefinitionError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ type: 'ringside' })).toMatch(/needs "build": "samples" or "program"/);
    expect(bad({ type: 'ringside', build: 'kernel' })).toMatch(/got "kernel"/);
    expect(bad({ type: 'ringside', build: 'samples' }, dir)).toMatch(/no Ringside samples in/);
    expect(bad({ type: 'ringside', build: 'program' })).toMatch(/needs "program"/);
    expect(bad({ type: 'ringside', build: 'program', program: 'nope.c' })).toMatch(/nope\.c does not exist/);
    expect(bad({ type: 'ringside', build: 'program', program: 'samples/Makefile' })).toMatch(/must be a \.c or \.S file/);
    expect(bad({ type: 'ringside', build: 'program', program: 'samples/user/hello.c', output: 'samples/user/hello.c' })).toMatch(/overwrite the source/);
    expect(buildRequest({ type: 'ringside', build: 'program', program: 'samples/user/hello.c' }, ROOT)).toMatchObject({
      kind: 'program', language: 'c', source: userSource('hello.c'), output: userSource('hello.elf'), problemMatcher: PROBLEM_MATCHER,
    });
  });
});

describe('builds', () => {
  const output = (): { text: string; out: (t: string) => void } => {
    const o = { text: '', out: (t: string) => void (o.text += t) };
    return o;
  };

  it('the samples: make -C samples', async () => {
    const o = output();
    const r = await runBuild(buildRequest({ type: 'ringside', build: 'samples' }, ROOT), o.out);
    expect(r.code, o.text).toBe(0);
    expect(o.text).toContain(`$ make -C ${SAMPLES} 'CC=gcc ${BYTE_COLUMNS}' 'USER_CC=gcc ${BYTE_COLUMNS}'`);
  });

  it('one\'s own C program: the ELF the samples\' Makefile makes, and it runs on the kernel', async () => {
    copyFileSync(userSource('hello.c'), join(dir, 'hello.c'));
    const o = output();
    const r = await runBuild(buildRequest({ type: 'ringside', build: 'program', program: join(dir, 'hello.c') }, ROOT), o.out);
    expect(r.code, o.text).toBe(0);
    const elf = join(dir, 'hello.elf');
    expect(o.text).toContain(`built ${elf}`);
    expect(o.text).toMatch(/^\$ gcc -m32 .* -c .*hello\.c -o .*hello\.o$/m);
    // Same symbols at the same addresses as samples/build/user/hello.elf.
    expect(nm(elf)).toBe(nm(sample('hello')));
    const run = spawnSync(process.execPath, [join(ROOT, 'out', 'emulator', 'cli.js'), 'run', KERNEL, '--module', elf], { encoding: 'utf8' });
    expect(run.stdout).toContain('\nCS444\n');
    expect(existsSync(join(dir, 'hello.d'))).toBe(false);
  });

  it('one\'s own assembly program: no C library, as hello_asm', async () => {
    copyFileSync(userSource('hello_asm.S'), join(dir, 'hello_asm.S'));
    const o = output();
    const r = await runBuild(buildRequest({ type: 'ringside', build: 'program', program: join(dir, 'hello_asm.S'), output: join(dir, 'out', '..', 'asm.elf') }, ROOT), o.out);
    expect(r.code, o.text).toBe(0);
    expect(nm(join(dir, 'asm.elf'))).toBe(nm(sample('hello_asm')));
  });

  it('a broken program: the build fails and its errors are problems in the source', async () => {
    const file = join(dir, 'broken.c');
    writeFileSync(file, BROKEN);
    const o = output();
    const r = await runBuild(buildRequest({ type: 'ringside', build: 'program', program: file }, ROOT), o.out);
    expect(r.code).not.toBe(0);
    const problems = o.text.split('\n').map(matchGccDiagnostic).filter((d) => d !== undefined);
    expect(problems.map((p) => [p.file, p.severity])).toEqual(expect.arrayContaining([[file, 'error'], [file, 'warning']]));
    const lines = BROKEN.split('\n');
    const errLine = lines.findIndex((l) => l.includes('int x = ;'));
    expect(problems.find((p) => p.severity === 'error')).toMatchObject({ line: errLine + 1, column: lines[errLine]!.indexOf(';') + 1 });
  });

  it('no i386 gcc: the build stops before running anything and says how to install one', async () => {
    const o = output();
    const r = await runBuild(buildRequest({ type: 'ringside', build: 'samples' }, ROOT), o.out, { cc: 'ringside-no-such-gcc', host: { platform: 'linux', osRelease: 'ID=debian\n' } });
    expect(r.code).toBe(1);
    expect(r.toolchain.ok).toBe(false);
    expect(o.text).toContain('To install it: sudo apt-get install gcc make gcc-multilib');
    expect(o.text).not.toContain('$ make');
  });
});
