/**
 * `ringside sample NAME`: the bundled teaching kernel with one sample program, found where
 * `make -C samples` (run by npm install) puts them. `ringside sample --list` names them with the
 * first line of each program's header comment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.js';

/** The package root: this file runs as out/emulator/cli/samples.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SAMPLES_SOURCE = join(ROOT, 'samples', 'user');
export const SAMPLES_BUILD = join(ROOT, 'samples', 'build');

export interface SampleInfo {
  name: string;
  summary: string;
}

export function listSamples(): SampleInfo[] {
  if (!existsSync(SAMPLES_SOURCE)) return [];
  return readdirSync(SAMPLES_SOURCE)
    .filter((f) => /\.(c|S)$/.test(f))
    .map((f) => {
      const text = readFileSync(join(SAMPLES_SOURCE, f), 'utf8');
      // The header comment's first line: " * hello: printf -> write -> int $0x30 ..."
      const first = /\/\*\s*\n?\s*\*?\s*([^\n]+)/.exec(text)?.[1]?.trim() ?? '';
      return { name: f.replace(/\.(c|S)$/, ''), summary: first.replace(/^[\w-]+:\s*/, '') };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The kernel and program files of a sample, checked to exist. */
export function sampleFiles(name: string): { kernel: string; program: string } {
  const kernel = join(SAMPLES_BUILD, 'kernel', 'kernel.elf');
  const program = join(SAMPLES_BUILD, 'user', `${name}.elf`);
  const known = listSamples().map((s) => s.name);
  if (!known.includes(name)) {
    throw new UsageError(`sample: no sample named "${name}" (ringside sample --list shows them: ${known.join(', ')})`);
  }
  if (!existsSync(kernel) || !existsSync(program)) {
    throw new UsageError(`sample: ${name} is not built yet: run "make -C samples" (npm install does it)`);
  }
  return { kernel, program };
}
