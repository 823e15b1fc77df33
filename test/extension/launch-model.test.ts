// The pure helpers behind F5-without-launch.json, the console terminal and the status bar.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toGuest, toTerminal } from '../../extension/model/console.js';
import { defaultLaunchFor } from '../../extension/model/launch.js';
import { statusModel } from '../../extension/model/status.js';
import { parseAddress } from '../../extension/model/translate.js';

describe('defaultLaunchFor', () => {
  const root = '/ws';
  it('maps samples/user/NAME.c and NAME.S to samples/build/user/NAME.elf', () => {
    expect(defaultLaunchFor('/ws/samples/user/hello.c', [root])?.program).toBe('/ws/samples/build/user/hello.elf');
    expect(defaultLaunchFor('/ws/samples/user/hello_asm.S', [root])?.program).toBe('/ws/samples/build/user/hello_asm.elf');
  });
  it('ignores other files and folders', () => {
    expect(defaultLaunchFor('/ws/samples/user/lib/printf.c', [root])).toBeUndefined();
    expect(defaultLaunchFor('/ws/samples/kernel/trap.c', [root])).toBeUndefined();
    expect(defaultLaunchFor('/ws/samples/user/notes.md', [root])).toBeUndefined();
    expect(defaultLaunchFor(undefined, [root])).toBeUndefined();
  });
  it('finds every built sample whether the repository or its samples folder is the workspace', () => {
    // Outside truth: the ELFs make built (samples/build/user), one per program in samples/user.
    const repo = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
    const sources = readdirSync(join(repo, 'samples', 'user')).filter((f) => /\.(c|S)$/.test(f));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      for (const root of [repo, join(repo, 'samples')]) {
        const program = defaultLaunchFor(join(repo, 'samples', 'user', f), [root])?.program;
        expect(program && existsSync(program), `${f} with ${root} open`).toBe(true);
      }
    }
  });
  it('tries each root (workspace folders, then the extension)', () => {
    expect(defaultLaunchFor('/ext/samples/user/cow_fork.c', ['/ws', '/ext'])?.program).toBe('/ext/samples/build/user/cow_fork.elf');
  });
});

describe('console line endings', () => {
  it('LF to CRLF for the terminal, CR to LF for the guest', () => {
    expect(toTerminal('a\nb\r\nc')).toBe('a\r\nb\r\nc');
    expect(toGuest('ls\r')).toBe('ls\n');
    expect(toGuest('\x7f')).toBe('\b');
  });
});

describe('parseAddress', () => {
  it('accepts hex, h-suffixed hex and decimal 32-bit addresses', () => {
    expect(parseAddress('0xf0100064')).toBe(0xf0100064);
    expect(parseAddress(' f0100064h ')).toBe(0xf0100064);
    expect(parseAddress('4096')).toBe(4096);
    expect(parseAddress('0x100000000')).toBeUndefined();
    expect(parseAddress('main')).toBeUndefined();
  });
});

describe('statusModel', () => {
  it('warns in ring 0', () => {
    const m = statusModel({ cpl: 0, paging: true, cr3: '0x003ff000', env: { id: 0x1000, name: 'hello' }, running: false });
    expect(m).toMatchObject({ warning: true });
    expect(m.text).toBe('$(shield) ring 0 · paging on · hello [00001000]');
  });
});
