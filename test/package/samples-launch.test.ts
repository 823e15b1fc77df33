// samples/.vscode/launch.json (the launch entries of the samples workspace that `npm start` opens
// and the .vsix carries) stays in step with the samples: one entry per program the samples
// Makefile builds, each naming that program's ELF and the workspace's kernel, and nothing else.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples');

interface LaunchEntry {
  type: string;
  request: string;
  name: string;
  program: string;
  kernel?: string;
  memory?: string;
}

const launch = JSON.parse(readFileSync(join(SAMPLES, '.vscode', 'launch.json'), 'utf8')) as { version: string; configurations: LaunchEntry[] };
const programs = execFileSync('make', ['-s', '-C', SAMPLES, '--eval', 'ringside-programs: ; @echo $(USER_PROGS)', 'ringside-programs'], { encoding: 'utf8' }).trim().split(/\s+/);
const inWorkspace = (p: string): string => p.replace('${workspaceFolder}', SAMPLES);

describe('samples/.vscode/launch.json', () => {
  it('has an entry for every sample program the Makefile builds', () => {
    expect(programs.length).toBeGreaterThan(10);
    for (const name of programs) {
      const entry = launch.configurations.find((c) => c.name === `Ringside: ${name}`);
      expect(entry, `no launch entry "Ringside: ${name}"`).toBeDefined();
      expect(entry).toMatchObject({ type: 'ringside', request: 'launch', program: `\${workspaceFolder}/build/user/${name}.elf`, kernel: '${workspaceFolder}/build/kernel/kernel.elf' });
    }
  });

  it('has no entry for a program that does not exist, and every program it names is built', () => {
    for (const c of launch.configurations) {
      expect(c.type).toBe('ringside');
      if (c.program.includes('${fileBasenameNoExtension}')) continue; // the sample open in the editor
      expect(programs.map((p) => `Ringside: ${p}`)).toContain(c.name);
      expect(existsSync(inWorkspace(c.program)), c.program).toBe(true);
      expect(existsSync(inWorkspace(c.kernel!)), c.kernel).toBe(true);
    }
  });

  it('has one entry for the sample open in the editor, resolving to its ELF', () => {
    const open = launch.configurations.filter((c) => c.program.includes('${fileBasenameNoExtension}'));
    expect(open).toHaveLength(1);
    expect(open[0]!.program).toBe('${workspaceFolder}/build/user/${fileBasenameNoExtension}.elf');
    for (const name of programs) expect(existsSync(inWorkspace(open[0]!.program.replace('${fileBasenameNoExtension}', name)))).toBe(true);
  });

  it('runs swap with the 4 MiB the sample is written for (more memory than the machine has)', () => {
    const swap = launch.configurations.find((c) => c.name === 'Ringside: swap');
    expect(swap?.memory).toBe('4M');
    expect(readFileSync(join(SAMPLES, 'user', 'swap.c'), 'utf8')).toMatch(/4\s*M/);
  });
});
