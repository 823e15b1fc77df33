/**
 * The headless `ringside` command (bin/ringside.js runs this file from out/): runs a kernel on
 * the emulated PC with COM1 on stdout. Exit statuses are listed in USAGE (cli/args.ts). Mistakes
 * in the command line or the files end with one clear line on stderr, never a stack trace; only
 * an error inside the emulator itself (a bug) prints one.
 */
import { readFileSync } from 'node:fs';
import { parseCommandLine, USAGE, UsageError } from './cli/args.js';
import { EXIT_INTERNAL_ERROR, EXIT_LOAD_ERROR, LoadError, runKernel } from './cli/run.js';
import { listSamples, sampleFiles } from './cli/samples.js';

export async function main(argv: readonly string[]): Promise<number> {
  const err = process.stderr;
  try {
    const command = parseCommandLine(argv);
    if (command.kind === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (command.kind === 'version') {
      process.stdout.write(`ringside ${version()}\n`);
      return 0;
    }
    if (command.kind === 'sample-list') {
      const list = listSamples();
      if (!list.length) throw new UsageError('sample: no samples found (is this an installed copy of Ringside?)');
      for (const s of list) process.stdout.write(`${s.name.padEnd(16)} ${s.summary}\n`);
      return 0;
    }
    if (command.kind === 'sample') {
      const files = sampleFiles(command.name);
      return await runKernel({ ...command.options, kernel: files.kernel, modules: [files.program] }, { out: process.stdout, err, in: process.stdin });
    }
    return await runKernel(command.options, { out: process.stdout, err, in: process.stdin });
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`ringside: ${e.message}\n${USAGE.split('\n')[0]}\n(ringside --help for the options)\n`);
      return EXIT_LOAD_ERROR;
    }
    if (e instanceof LoadError) {
      err.write(`ringside: ${e.message}\n`);
      return EXIT_LOAD_ERROR;
    }
    err.write(`ringside: internal emulator error (a bug in Ringside, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT_INTERNAL_ERROR;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// A reader that goes away (ringside run k.elf | head) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
