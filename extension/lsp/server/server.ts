// The language server for AT&T assembly (.S/.s): the protocol handlers, wired to the pure feature
// modules and the workspace index. Knows nothing of VS Code; any LSP client can drive it.
import { relative } from 'node:path';
import {
  type Connection, type Definition, type Diagnostic, DocumentDiagnosticReportKind, type Location, type SymbolInformation,
  TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDocument } from './syntax/document.js';
import { diagnose } from './features/diagnostics.js';
import { hoverAt } from './features/hover.js';
import { definitions, type Found, globalDefinitions, isLocalTo, localReferences, outline, references, targetAt } from './features/navigation.js';
import { detailOf, documentSymbols, symbolKindOf } from './features/symbols.js';
import { cIdentifierAt } from './workspace/cnames.js';
import { pathOfUri } from './workspace/files.js';
import { Workspace } from './workspace/workspace.js';

export const SERVER_NAME = 'ringside-asm';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let roots: string[] = [];
  let pullDiagnostics = false;
  let folderEvents = false;

  const isAsm = (uri: string): boolean => documents.get(uri)?.languageId === 'asm' || (!documents.get(uri) && /\.[sS]$/.test(uri));
  const isC = (uri: string): boolean => documents.get(uri)?.languageId === 'c';

  const locationOf = (f: Found): Location => ({
    uri: f.doc.uri,
    range: { start: { line: f.line, character: f.start }, end: { line: f.line, character: f.end } },
  });
  const nameOf = (f: Found): string => {
    const path = pathOfUri(f.doc.uri);
    const root = path ? roots.find((r) => path.startsWith(r)) : undefined;
    return `${path && root ? relative(root, path) : (path ?? f.doc.uri)}:${f.line + 1}`;
  };

  const diagnosticsOf = (uri: string): Diagnostic[] => {
    if (!isAsm(uri)) return [];
    const doc = workspace.get(uri);
    return doc ? diagnose(doc, { unresolvedIncludes: workspace.unresolvedIncludes(doc) }) : [];
  };
  const publish = (uri: string): void => {
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: diagnosticsOf(uri) });
  };

  /** Runs a handler; a bug in one request is logged and answered with nothing, never a dead server. */
  const guarded = <P, R>(what: string, f: (p: P) => R | Promise<R>, empty: R) => async (p: P): Promise<R> => {
    try {
      return await f(p);
    } catch (e) {
      connection.console.error(`${what} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return empty;
    }
  };

  connection.onInitialize((params) => {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    roots = folders.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined);
    pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        ...(folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: SERVER_NAME },
    };
  });

  connection.onInitialized(() => {
    const rescan = (): void => {
      void workspace.scan(roots).then(() => {
        if (workspace.truncated) connection.console.warn(`Stopped indexing after too many files under ${roots.join(', ')}: some symbols may be missing.`);
        if (pullDiagnostics) connection.languages.diagnostics.refresh();
        else documents.all().forEach((d) => publish(d.uri));
      });
    };
    rescan();
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => pathOfUri(f.uri)));
        roots = [...roots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined)];
        rescan();
      });
    }
  });

  documents.onDidChangeContent((e) => {
    workspace.openDocument(e.document.uri, e.document.getText(), e.document.version, e.document.languageId);
    publish(e.document.uri);
  });
  documents.onDidClose((e) => {
    workspace.closeDocument(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeWatchedFiles((e) => {
    for (const c of e.changes) workspace.fileChanged(c.uri, c.type === 3 /* Deleted */);
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else documents.all().forEach((d) => publish(d.uri));
  });

  connection.languages.diagnostics.on(guarded('diagnostics', async (p) => {
    await workspace.ready();
    return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(p.textDocument.uri) };
  }, { kind: DocumentDiagnosticReportKind.Full, items: [] }));

  connection.onHover(guarded('hover', async (p) => {
    if (!isAsm(p.textDocument.uri)) return null;
    const doc = workspace.get(p.textDocument.uri);
    if (!doc) return null;
    await workspace.ready();
    const h = hoverAt(doc, workspace.all(), p.position.line, p.position.character, nameOf);
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: h.range } : null;
  }, null));

  connection.onDefinition(guarded('definition', async (p): Promise<Definition | null> => {
    await workspace.ready();
    const uri = p.textDocument.uri;
    if (isC(uri)) {
      const name = cIdentifierAt(workspace.textOf(uri) ?? '', p.position.line, p.position.character);
      return name ? globalDefinitions(workspace.all(), name.name).map(locationOf) : null;
    }
    const doc = isAsm(uri) ? workspace.get(uri) : undefined;
    const t = doc && targetAt(doc, p.position.line, p.position.character);
    if (!doc || !t) return null;
    if (t.kind === 'local') return locationOf({ doc, line: t.label.line, start: t.label.start, end: t.label.end });
    return definitions(workspace.all(), doc, t.name).map(locationOf);
  }, null));

  connection.onReferences(guarded('references', async (p): Promise<Location[] | null> => {
    await workspace.ready();
    const uri = p.textDocument.uri;
    const all = workspace.all();
    const include = p.context.includeDeclaration;
    let name: string;
    let from: ParsedDocument | undefined;
    if (isC(uri)) {
      const c = cIdentifierAt(workspace.textOf(uri) ?? '', p.position.line, p.position.character);
      if (!c || globalDefinitions(all, c.name).length === 0) return null;
      name = c.name;
      from = globalDefinitions(all, c.name)[0].doc;
    } else {
      from = isAsm(uri) ? workspace.get(uri) : undefined;
      const t = from && targetAt(from, p.position.line, p.position.character);
      if (!from || !t) return null;
      if (t.kind === 'local') return localReferences(from, t.index, include).map(locationOf);
      name = t.name;
    }
    const out = references(all, from, name, include).map(locationOf);
    if (!isLocalTo(from, name)) {
      for (const c of await workspace.cNames()) {
        for (const n of c.names) if (n.name === name) out.push({ uri: c.uri, range: { start: { line: n.line, character: n.start }, end: { line: n.line, character: n.end } } });
      }
    }
    return out;
  }, null));

  connection.onDocumentSymbol(guarded('documentSymbol', (p) => {
    if (!isAsm(p.textDocument.uri)) return null;
    const doc = workspace.get(p.textDocument.uri);
    return doc ? documentSymbols(doc) : null;
  }, null));

  connection.onWorkspaceSymbol(guarded('workspaceSymbol', async (p): Promise<SymbolInformation[]> => {
    await workspace.ready();
    const q = p.query.toLowerCase();
    const out: SymbolInformation[] = [];
    for (const doc of workspace.all()) {
      for (const e of outline(doc)) {
        if (!e.name.toLowerCase().includes(q)) continue;
        out.push({ name: e.name, kind: symbolKindOf(e), containerName: detailOf(e), location: locationOf({ doc, line: e.line, start: e.start, end: e.end }) });
      }
    }
    return out;
  }, []));

  documents.listen(connection);
  connection.listen();
}
