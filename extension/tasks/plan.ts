// What a "ringside" task builds, from its definition in tasks.json (or from the task provider):
//   { "type": "ringside", "build": "samples" }                      make -C samples
//   { "type": "ringside", "build": "program", "program": "${file}" } one's own user program, with
//       the samples' compiler flags, linker script, crt0 and C library (samples/user/Makefile.frag)
// Definitions are checked here, with an error that says what is wrong.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { PROBLEM_MATCHER, SAMPLES_PROBLEM_MATCHER } from '../model/problem-matcher.js';

export const TASK_TYPE = 'ringside';

export interface RingsideTaskDefinition {
  type: string;
  build: 'samples' | 'program';
  /** For "program": the .c or .S source (relative to the workspace folder, or absolute). */
  program?: string;
  /** For "program": the ELF to write; default: the source's name with .elf, beside it. */
  output?: string;
}

export class TaskDefinitionError extends Error {}

export type BuildRequest =
  | { kind: 'samples'; label: string; samplesDir: string; problemMatcher: string }
  | { kind: 'program'; label: string; samplesDir: string; source: string; output: string; language: 'c' | 'asm'; problemMatcher: string };

const isSamplesDir = (d: string): boolean =>
  existsSync(join(d, 'Makefile')) && existsSync(join(d, 'user', 'user.ld')) && existsSync(join(d, 'kernel'));

/** The samples folder of a workspace folder: its samples/ subfolder, or the folder itself. */
export function findSamplesDir(folder: string): string | undefined {
  return [join(folder, 'samples'), folder].find(isSamplesDir);
}

export function buildRequest(definition: unknown, folder: string): BuildRequest {
  const def = (definition ?? {}) as Partial<RingsideTaskDefinition>;
  if (def.build !== 'samples' && def.build !== 'program') {
    throw new TaskDefinitionError(`a "${TASK_TYPE}" task needs "build": "samples" or "program" (got ${JSON.stringify(def.build)})`);
  }
  const samplesDir = findSamplesDir(folder);
  if (!samplesDir) {
    throw new TaskDefinitionError(`no Ringside samples in ${folder}: the tasks need the samples' Makefile (samples/Makefile with kernel/ and user/), in the workspace folder or its samples/ folder`);
  }
  if (def.build === 'samples') {
    // make -C runs gcc in the samples folder, so its file names are relative to that folder.
    const matcher = resolve(samplesDir) === resolve(folder) ? PROBLEM_MATCHER : SAMPLES_PROBLEM_MATCHER;
    return { kind: 'samples', label: 'build the samples (make -C samples)', samplesDir, problemMatcher: matcher };
  }
  if (typeof def.program !== 'string' || def.program.trim() === '') {
    throw new TaskDefinitionError('"build": "program" needs "program": the C or assembly source to build, e.g. "${file}" or "myprog.c"');
  }
  const source = isAbsolute(def.program) ? def.program : resolve(folder, def.program);
  if (!existsSync(source) || !statSync(source).isFile()) throw new TaskDefinitionError(`the program source ${source} does not exist`);
  const ext = extname(source);
  const language = ext === '.c' ? 'c' : ext === '.S' || ext === '.s' ? 'asm' : undefined;
  if (!language) throw new TaskDefinitionError(`the program source must be a .c or .S file: ${source}`);
  let output = join(dirname(source), basename(source, ext) + '.elf');
  if (def.output !== undefined) {
    if (typeof def.output !== 'string' || def.output.trim() === '') throw new TaskDefinitionError('"output" must be a file name for the ELF to write');
    output = isAbsolute(def.output) ? def.output : resolve(folder, def.output);
  }
  if (resolve(output) === resolve(source)) throw new TaskDefinitionError(`"output" would overwrite the source ${source}`);
  // gcc gets the absolute source path, so its messages name the file absolutely.
  return { kind: 'program', label: `build ${basename(source)}`, samplesDir, source, output, language, problemMatcher: PROBLEM_MATCHER };
}
