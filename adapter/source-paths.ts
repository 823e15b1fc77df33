// Where a source file named in a program's debug information is on this machine. gcc records
// the absolute paths of the build (/home/ta/ringside/samples/user/hello.c); the same ELF is
// then debugged somewhere else: the samples inside an installed .vsix, a checkout that moved,
// a course folder copied to another machine. Without this, breakpoints set in the files the
// user has open never bind, and stack frames point at files that do not exist.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';

/**
 * A function from a recorded source path to the file to show. A recorded path that exists is
 * kept. Otherwise the longest tail of it ("samples/user/hello.c", then "user/hello.c"; never
 * the bare file name, which could be any file of that name) that exists below the ELF's folder
 * or one of its parents, nearest first, is used; and the prefix swap that found it is tried
 * first for the next file (the other files of a build moved with it). A path found nowhere is
 * kept as recorded.
 */
export function sourceLocator(elfPath: string, exists: (path: string) => boolean = existsSync): (recorded: string) => string {
  const roots: string[] = [];
  for (let d = dirname(resolve(elfPath)); ; d = dirname(d)) {
    roots.push(d);
    if (dirname(d) === d) break;
  }
  const found = new Map<string, string>();
  /** Recorded prefix -> local prefix, learnt from earlier files. */
  const moves: Array<[string, string]> = [];

  const locate = (recorded: string): string => {
    if (!isAbsolute(recorded) || exists(recorded)) return recorded;
    for (const [from, to] of moves) {
      if (recorded.startsWith(from)) {
        const candidate = to + recorded.slice(from.length);
        if (exists(candidate)) return candidate;
      }
    }
    const parts = posix.normalize(recorded).split('/').filter((p) => p !== '');
    for (let skip = 1; skip <= parts.length - 2; skip++) {
      const tail = parts.slice(skip).join('/');
      for (const root of roots) {
        const candidate = join(root, tail);
        if (exists(candidate)) {
          moves.unshift(['/' + parts.slice(0, skip).join('/') + '/', root.endsWith('/') ? root : root + '/']);
          return candidate;
        }
      }
    }
    return recorded;
  };

  return (recorded: string): string => {
    let local = found.get(recorded);
    if (local === undefined) found.set(recorded, (local = locate(recorded)));
    return local;
  };
}
