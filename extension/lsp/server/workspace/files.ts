// Finding the workspace's assembly files, headers and C files on disk, and converting between
// file paths and the URIs the protocol speaks.
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Folders never searched: dependencies, build output, VCS and editor state. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test', 'test-results']);

/** Stop looking after this many files, so a huge folder cannot stall the server. */
export const MAX_FILES = 20_000;

export type FileKind = 'asm' | 'header' | 'c';

export function kindOfPath(path: string): FileKind | undefined {
  const ext = extname(path);
  if (ext === '.S' || ext === '.s') return 'asm';
  if (ext === '.h' || ext === '.inc') return 'header';
  if (ext === '.c') return 'c';
  return undefined;
}

export interface FoundFiles {
  asm: string[];
  headers: string[];
  c: string[];
  /** Set when MAX_FILES stopped the walk. */
  truncated: boolean;
}

/** Walks the roots breadth first for .S/.s, .h/.inc and .c files. */
export async function findFiles(roots: readonly string[]): Promise<FoundFiles> {
  const found: FoundFiles = { asm: [], headers: [], c: [], truncated: false };
  const queue = [...roots];
  let seen = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished: nothing to index there
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) queue.push(path);
        continue;
      }
      if (!e.isFile()) continue;
      const kind = kindOfPath(path);
      if (!kind) continue;
      if (++seen > MAX_FILES) {
        found.truncated = true;
        return found;
      }
      if (kind === 'asm') found.asm.push(path);
      else if (kind === 'header') found.headers.push(path);
      else found.c.push(path);
    }
  }
  return found;
}

/** The file path of a file: URI, or undefined for other schemes (untitled:, vscode-notebook:). */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function uriOfPath(path: string): string {
  return pathToFileURL(path).href;
}
