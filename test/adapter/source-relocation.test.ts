// A build debugged somewhere else than where it was made (the samples inside an installed .vsix,
// a moved checkout): the kernel and hello are built with make in one folder, the folder is
// renamed, and the real adapter is launched on the moved ELFs. The DWARF paths name files that no
// longer exist; breakpoints set in the moved sources must still bind and stack frames must point
// at the moved files. Truth: the paths gcc recorded (readelf) and the files on disk.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceLocator } from '../../adapter/source-paths.js';
import { ROOT, startClient, stoppedThread, whileStopping } from './dap-helpers.js';

const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('sources of a build that moved', () => {
  let tmp: string;
  let built: string;
  let moved: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ringside-moved-'));
    built = join(tmp, 'built-here', 'samples');
    moved = join(tmp, 'installed-there', 'samples');
    cpSync(join(ROOT, 'samples'), built, { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'samples', 'build')) });
    execFileSync('make', ['-s', '-C', built, 'build/kernel/kernel.elf', 'build/user/hello.elf']);
    renameSync(join(tmp, 'built-here'), join(tmp, 'installed-there'));
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the ELFs record the build folder, which is gone', () => {
    const info = execFileSync('readelf', ['--debug-dump=info', join(moved, 'build', 'user', 'hello.elf')], { encoding: 'utf8' });
    expect(info).toContain(built);
    expect(existsSync(built)).toBe(false);
  });

  it('sourceLocator maps a recorded path to the moved file, and keeps what it cannot find', () => {
    const locate = sourceLocator(join(moved, 'build', 'user', 'hello.elf'));
    expect(locate(join(built, 'user', 'hello.c'))).toBe(join(moved, 'user', 'hello.c'));
    expect(locate(join(built, 'kernel', 'trap.c'))).toBe(join(moved, 'kernel', 'trap.c'));
    expect(locate(join(built, 'user', 'no-such-file.c'))).toBe(join(built, 'user', 'no-such-file.c'));
    // A path that exists is never redirected.
    expect(locate(join(ROOT, 'samples', 'user', 'hello.c'))).toBe(join(ROOT, 'samples', 'user', 'hello.c'));
    // The bare file name alone is not enough to claim a file.
    expect(sourceLocator(join(moved, 'build', 'user', 'hello.elf'))('/elsewhere/hello.c')).toBe('/elsewhere/hello.c');
  });

  it('through the adapter: a breakpoint in the moved hello.c binds, and frames show the moved files', async () => {
    const dc: DebugClient = await startClient();
    try {
      const helloC = join(moved, 'user', 'hello.c');
      const syscallC = join(moved, 'user', 'lib', 'syscall.c');
      const intLine = lineOf(syscallC, 'asm volatile("int $0x30"');
      await dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const launched = dc.launchRequest({ kernel: join(moved, 'build', 'kernel', 'kernel.elf'), program: join(moved, 'build', 'user', 'hello.elf') } as never);
      await dc.waitForEvent('initialized');
      const bps = await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: lineOf(helloC, 'printf("CS444') }] });
      await dc.setBreakpointsRequest({ source: { path: syscallC }, breakpoints: [{ line: intLine }] });
      expect(bps.body.breakpoints[0]).toMatchObject({ verified: true });
      const first = stoppedThread(dc);
      await dc.configurationDoneRequest();
      await launched;

      let stop = await first;
      let st = await dc.stackTraceRequest({ threadId: stop.threadId });
      expect(st.body.stackFrames[0]).toMatchObject({ name: 'main', source: { path: helloC } });

      // On to int $0x30 and into the kernel: its frames are the moved kernel sources too.
      stop = await whileStopping(dc, () => dc.continueRequest({ threadId: stop.threadId }));
      stop = await whileStopping(dc, () => dc.stepInRequest({ threadId: stop.threadId }));
      st = await dc.stackTraceRequest({ threadId: stop.threadId });
      const paths = st.body.stackFrames.map((f) => f.source?.path).filter((p): p is string => !!p);
      expect(paths[0]).toBe(join(moved, 'kernel', 'trapentry.S'));
      expect(paths).toContain(syscallC);
      for (const p of paths) expect(existsSync(p), p).toBe(true);
    } finally {
      await dc.stop();
    }
  });
});
