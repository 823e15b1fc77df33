// The JSON bodies of the adapter's custom requests (adapter/views.ts), as the extension reads them.
// Declared here rather than imported from emulator/inspect: the extension only ever sees these
// shapes over DAP, and it must not reach below the adapter (DESIGN.md, "imports only go down").
// Only the fields the views use are listed; the adapter may send more.

/** One decoded paging-structure entry (emulator/inspect/entry.ts PagingEntry). */
export interface WireEntry {
  value: number;
  kind: 'table' | 'page4m' | 'page4k';
  present: boolean;
  writable: boolean;
  user: boolean;
  accessed: boolean;
  dirty: boolean;
  global: boolean;
  frame: number;
  reserved: number;
  flags: string[];
}

export interface WireDirectoryEntry {
  index: number;
  vaStart: number;
  vaEnd: number;
  address: number;
  value: number;
  entry: WireEntry;
  kind: 'table' | 'page4m';
  cow: boolean;
  beyondMemory: boolean;
  text: string;
}

export interface WireTableEntry {
  pdeIndex: number;
  index: number;
  va: number;
  address: number;
  value: number;
  state: 'present' | 'swapped' | 'not-present';
  entry: WireEntry;
  swapSlot?: number;
  cow: boolean;
  user: boolean;
  writable: boolean;
  text: string;
}

/** pageTable {cr3?} */
export interface PageTableResponse {
  cr3: string;
  paging: boolean;
  directory: WireDirectoryEntry[];
}

/** pageTable {cr3?, pde} */
export interface PageTableEntriesResponse {
  entries: WireTableEntry[];
}

export interface WireRun {
  vaStart: number;
  vaEnd: number;
  physStart: number;
  physEnd: number;
  pages: number;
  user: boolean;
  writable: boolean;
  cow: boolean;
  text: string;
}

/** pageTableFolded {cr3?} */
export interface PageTableFoldedResponse {
  runs: WireRun[];
}

export type WireStep =
  | { kind: 'identity'; text: string }
  | { kind: 'entry'; level: 'pde' | 'pte'; index: number; address: number; value: number; entry: WireEntry; beyondMemory: boolean; text: string };

interface WireTranslationBase {
  va: number;
  access: 'read' | 'write' | 'execute';
  cpl: number;
  userMode: boolean;
  paging: boolean;
  steps: WireStep[];
  text: string;
}

/** translate {address, access, cpl, cr3?} */
export type TranslateResponse =
  | (WireTranslationBase & { kind: 'ok'; ok: true; phys: number; pageSize: number; user: boolean; writable: boolean; physBeyondMemory: boolean })
  | (WireTranslationBase & { kind: 'fault'; ok: false; check: string; reason: string; level: 'pde' | 'pte'; errorCode: number; errorText: string })
  | (WireTranslationBase & { kind: 'unsupported'; ok: false; reason: string });

/** A gate or segment descriptor (emulator/inspect/descriptor.ts); fields depend on `kind`. */
export interface WireDescriptor {
  kind: string;
  lo: number;
  hi: number;
  dpl: number;
  present: boolean;
  typeText: string;
  text: string;
  codeOrData: boolean;
  selector?: number;
  offset?: number;
  base?: number;
  limit?: number;
  bits?: number;
  busy?: boolean;
}

export interface WireSourceLocation {
  file: string;
  line: number;
  column?: number;
}

export interface WireGate {
  vector: number;
  mnemonic: string;
  name: string;
  address: number;
  readable: boolean;
  descriptor?: WireDescriptor;
  validGate: boolean;
  usable: boolean;
  text: string;
  handler?: number;
  handlerSymbol?: string;
  handlerSource?: WireSourceLocation;
  ring3Callable: boolean;
}

/** idt */
export interface IdtResponse {
  base: string;
  limit: number;
  cpl: number;
  gates: WireGate[];
}

export interface WireGdtEntry {
  index: number;
  selector: number;
  address: number;
  readable: boolean;
  isNull: boolean;
  descriptor?: WireDescriptor;
  text: string;
}

/** gdt */
export interface GdtResponse {
  base: string;
  limit: number;
  entries: WireGdtEntry[];
}

/** tss: the selector and base, then decodeTss's result spread in. */
export type TssResponse = { selector: number; base: string } & (
  | { ok: true; tss: { esp0: number; ss0: number; rows: Array<[string, string]> } }
  | { ok: false; reason: string }
);

export interface WireTrap {
  icount: number;
  vector: number;
  cr3: number;
  fromRing: number;
  eip: number;
  text: string;
  done: boolean;
}

/** trapLog {count} */
export interface TrapLogResponse {
  entries: WireTrap[];
}

export interface WireFrame {
  phys: string;
  refs?: number;
  shared: boolean;
  users: Array<{ env: number; name: string; va: string; writable: boolean; cow: boolean }>;
}

/** frames {limit?} */
export interface FramesResponse {
  frames: WireFrame[];
  total: number;
}

/** state */
export interface StateResponse {
  cpl: number;
  paging: boolean;
  cr3: string;
  env: { id: number; name: string; statusText?: string } | null;
  running: boolean;
}
