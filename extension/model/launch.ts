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
 * For ROOT/samples/user/NAME.c or NAME.S (ROOT being a workspace folder or the extension's own
 * folder), the launch of ROOT/samples/build/user/NAME.elf. Undefined for any other file.
 */
export function defaultLaunchFor(file: string | undefined, roots: readonly string[]): DefaultLaunch | undefined {
  if (!file) return undefined;
  const ext = extname(file);
  if (ext !== '.c' && ext !== '.S' && ext !== '.s') return undefined;
  for (const root of roots) {
    const rel = relative(join(root, 'samples', 'user'), dirname(file));
    if (rel !== '') continue; // only files directly in samples/user (lib/ is not a program)
    const name = basename(file, ext);
    return {
      type: 'ringside', request: 'launch', name: `Ringside: ${name}`,
      program: join(root, 'samples', 'build', 'user', `${name}.elf`), stopOnEntry: false,
    };
  }
  return undefined;
}

