// The assembly files of the workspace, parsed: open editors take precedence over the disk. Also
// resolves `#include "..."` to the workspace's headers so a file knows the macros it may use.
import { readFile, stat } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { dialectOf } from '../syntax/lines.js';
import { findIncludes, headerMacros, type MacroDef, parseDocument, type ParsedDocument } from '../syntax/document.js';
import { cIdentifiers, type CName } from './cnames.js';
import { findFiles, kindOfPath, pathOfUri, uriOfPath } from './files.js';

interface OpenDocument {
  uri: string;
  text: string;
  version: number;
  languageId: string;
}

/** Documents without a file path (untitled:) are keyed by their URI behind this mark. */
const URI_KEY = '\0';

interface Cached<T> {
  mtimeMs: number;
  value: T;
}

/** Headers nest; a cycle or a deep chain stops here. */
const MAX_INCLUDE_DEPTH = 8;

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  /** Parsed documents by key (file path, or the URI for non-file documents). */
  private readonly parsed = new Map<string, { doc: ParsedDocument; version: number | 'disk' }>();
  private readonly asmOnDisk = new Set<string>();
  private readonly headers = new Set<string>();
  private readonly cFiles = new Set<string>();
  private readonly headerCache = new Map<string, Cached<{ macros: Map<string, MacroDef>; includes: { path: string; system: boolean }[] }>>();
  private readonly cCache = new Map<string, Cached<CName[]>>();
  private scanned: Promise<void> = Promise.resolve();
  /** Set when the file walk gave up early: a message for the log. */
  truncated = false;

  constructor(private roots: string[] = []) {}

  /** (Re)walks the roots; requests that need the whole workspace wait for it. */
  scan(roots: string[] = this.roots): Promise<void> {
    this.roots = roots;
    this.scanned = findFiles(roots).then((found) => {
      this.asmOnDisk.clear();
      this.headers.clear();
      this.cFiles.clear();
      for (const p of found.asm) this.asmOnDisk.add(p);
      for (const p of found.headers) this.headers.add(p);
      for (const p of found.c) this.cFiles.add(p);
      this.truncated = found.truncated;
      for (const key of [...this.parsed.keys()]) if (!this.open.has(key) && !this.asmOnDisk.has(key)) this.parsed.delete(key);
    });
    return this.scanned;
  }

  ready(): Promise<void> {
    return this.scanned;
  }

  private keyOf(uri: string): string {
    return pathOfUri(uri) ?? URI_KEY + uri;
  }

  openDocument(uri: string, text: string, version: number, languageId: string): void {
    this.open.set(this.keyOf(uri), { uri, text, version, languageId });
  }

  closeDocument(uri: string): void {
    const key = this.keyOf(uri);
    this.open.delete(key);
    this.parsed.delete(key);
  }

  /** A file changed on disk (watcher): forget what was read from it. */
  fileChanged(uri: string, deleted: boolean): void {
    const path = pathOfUri(uri);
    if (!path) return;
    const kind = kindOfPath(path);
    this.headerCache.delete(path);
    this.cCache.delete(path);
    if (kind === 'header') {
      // Files that include it (directly or not) may now see other macros: parse everything again.
      for (const key of [...this.parsed.keys()]) this.parsed.delete(key);
    } else if (!this.open.has(path)) {
      this.parsed.delete(path);
    }
    const set = kind === 'asm' ? this.asmOnDisk : kind === 'header' ? this.headers : kind === 'c' ? this.cFiles : undefined;
    if (!set) return;
    if (deleted) set.delete(path);
    else set.add(path);
  }



  /** The parsed document for an open or on-disk assembly file. */
  get(uri: string): ParsedDocument | undefined {
    return this.getByKey(this.keyOf(uri));
  }

  private getByKey(key: string): ParsedDocument | undefined {
    const open = this.open.get(key);
    const cached = this.parsed.get(key);
    if (open) {
      if (cached && cached.version === open.version) return cached.doc;
      const doc = this.parse(open.uri, key, open.text);
      this.parsed.set(key, { doc, version: open.version });
      return doc;
    }
    if (cached) return cached.doc;
    if (key.startsWith(URI_KEY)) return undefined;
    let text: string;
    try {
      text = readFileSync(key, 'utf8');
    } catch {
      return undefined;
    }
    const doc = this.parse(uriOfPath(key), key, text);
    this.parsed.set(key, { doc, version: 'disk' });
    return doc;
  }

  private parse(uri: string, key: string, text: string): ParsedDocument {
    const dialect = dialectOf(uri);
    const macros = dialect === 'S' ? this.includedMacros(text, key) : new Map<string, MacroDef>();
    return parseDocument(text, uri, dialect, macros);
  }

  /** Every assembly document: the workspace's files and any open ones outside it. */
  all(): ParsedDocument[] {
    const keys = new Set([...this.asmOnDisk, ...[...this.open.entries()].filter(([, o]) => o.languageId === 'asm').map(([k]) => k)]);
    const out: ParsedDocument[] = [];
    for (const k of keys) {
      const d = this.getByKey(k);
      if (d) out.push(d);
    }
    return out;
  }

  /** Identifier occurrences of every C file, by URI (read lazily, cached by modification time). */
  async cNames(): Promise<{ uri: string; names: CName[] }[]> {
    const out: { uri: string; names: CName[] }[] = [];
    for (const path of this.cFiles) {
      const open = this.open.get(path);
      if (open) {
        out.push({ uri: open.uri, names: cIdentifiers(open.text) });
        continue;
      }
      try {
        const { mtimeMs } = await stat(path);
        let c = this.cCache.get(path);
        if (!c || c.mtimeMs !== mtimeMs) {
          c = { mtimeMs, value: cIdentifiers(await readFile(path, 'utf8')) };
          this.cCache.set(path, c);
        }
        out.push({ uri: uriOfPath(path), names: c.value });
      } catch {
        continue; // deleted since the scan
      }
    }
    return out;
  }

  /** The text of an open document (C or assembly). */
  textOf(uri: string): string | undefined {
    return this.open.get(this.keyOf(uri))?.text;
  }

  /** Whether `#include` lines name headers that could not be found (their macros are unknown). */
  unresolvedIncludes(doc: ParsedDocument): string[] {
    const key = this.keyOf(doc.uri);
    return doc.includes.filter((i) => this.resolveInclude(i.path, i.system ? undefined : dirname(key)) === undefined).map((i) => i.path);
  }

  /**
   * The macros visible through a file's #includes: quoted names relative to the file's folder,
   * else (and for <names>) any workspace header whose path ends with the name: the -I folders of
   * the build are not known.
   */
  private includedMacros(text: string, key: string): Map<string, MacroDef> {
    const out = new Map<string, MacroDef>();
    const visited = new Set<string>();
    const visit = (names: { path: string; system: boolean }[], from: string, depth: number): void => {
      if (depth > MAX_INCLUDE_DEPTH) return;
      for (const name of names) {
        const path = this.resolveInclude(name.path, name.system ? undefined : from);
        if (!path || visited.has(path)) continue;
        visited.add(path);
        const h = this.header(path);
        if (!h) continue;
        for (const [k, v] of h.macros) if (!out.has(k)) out.set(k, v);
        visit(h.includes, dirname(path), depth + 1);
      }
    };
    visit(findIncludes(text), dirname(key), 0);
    return out;
  }

  resolveInclude(name: string, fromDir: string | undefined): string | undefined {
    if (fromDir?.startsWith(sep)) {
      const local = join(fromDir, name);
      if (this.headers.has(local) || this.asmOnDisk.has(local) || exists(local)) return local;
    }
    const suffix = sep + name.split('/').join(sep);
    const matches = [...this.headers].filter((h) => h.endsWith(suffix) || basename(h) === name);
    // Prefer the header nearest to the including file (longest common folder prefix).
    if (fromDir) matches.sort((a, b) => commonPrefix(b, fromDir) - commonPrefix(a, fromDir));
    return matches[0];
  }

  private header(path: string): { macros: Map<string, MacroDef>; includes: { path: string; system: boolean }[] } | undefined {
    try {
      const { mtimeMs } = statSync(path);
      const c = this.headerCache.get(path);
      if (c && c.mtimeMs === mtimeMs) return c.value;
      const open = this.open.get(path);
      const text = open?.text ?? readFileSync(path, 'utf8');
      const value = { macros: headerMacros(text, uriOfPath(path)), includes: findIncludes(text) };
      this.headerCache.set(path, { mtimeMs, value });
      return value;
    } catch {
      return undefined;
    }
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}
