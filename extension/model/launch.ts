// F5 with no launch.json: a sample's source file is enough to know what to debug. Pure path logic
// (no vscode import) so it is testable; extension/config.ts feeds it the active editor's path.
import { basename, dirname, extname, join, relative } from 'node:path';

export interface DefaultLaunch {
  type: 'ringside';
  request: 'launch';
  name: string;
  program: string;
  stopOnEntry: boolean;
}

/**
 * For SAMPLES/user/NAME.c or NAME.S, the launch of SAMPLES/build/user/NAME.elf, where SAMPLES is
 * ROOT/samples (the repository open as the workspace, or the extension's own folder) or ROOT
 * itself (the samples folder open as the workspace, as `npm start` and an installed .vsix do).
 * Undefined for any other file.
 */
export function defaultLaunchFor(file: string | undefined, roots: readonly string[]): DefaultLaunch | undefined {
  if (!file) return undefined;
  const ext = extname(file);
  if (ext !== '.c' && ext !== '.S' && ext !== '.s') return undefined;
  for (const samples of roots.flatMap((root) => [join(root, 'samples'), root])) {
    const rel = relative(join(samples, 'user'), dirname(file));
    if (rel !== '') continue; // only files directly in user/ (lib/ is not a program)
    const name = basename(file, ext);
    return {
      type: 'ringside', request: 'launch', name: `Ringside: ${name}`,
      program: join(samples, 'build', 'user', `${name}.elf`), stopOnEntry: false,
    };
  }
  return undefined;
}

