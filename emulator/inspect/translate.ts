// One linear address's walk through the 32-bit paging structures (SDM vol. 3, 4.3), step by step,
// with the reason it fails and the page-fault error code the processor would push (4.7). Pure:
// reads through a PhysReader only, so no accessed/dirty bit is set and no TLB is filled. It
// answers what the page tables in memory say now; the CPU's TLB may still hold an older answer.

import { decodePde, decodePte, type PagingEntry, type PagingModel, rightsText } from './entry.js';
import { decodePageFaultError, pageFaultErrorCode } from './errorcode.js';
import { hex, hex8, hexAddr } from './hex.js';
import { physReader, type PhysReader, type PhysSource } from './phys.js';
import { type Access, checkRights, CR4_SMEP, type Level, type LevelRights, type RightsCheck } from './rights.js';

export const CR0_PG = 1 << 31;
export const CR4_PAE = 1 << 5;

export interface PagingRegisters {
  cr0: number;
  cr4: number;
}

export interface TranslateOptions {
  /** Processor features that change entry formats (default: Ringside's CPU). */
  model?: PagingModel;
  /** An implicit supervisor-mode access (GDT/IDT/TSS reads): supervisor rules even at CPL 3. */
  implicit?: boolean;
  /** EFLAGS, read only for EFLAGS.AC under CR4.SMAP (default 0). */
  eflags?: number;
}

/** Paging is off: the step that says the linear address is the physical address. */
export interface IdentityStep {
  kind: 'identity';
  text: string;
}

/** One paging-structure entry read by the walk. */
export interface EntryStep {
  kind: 'entry';
  level: Level;
  /** PDE index (va >> 22) or PTE index ((va >> 12) & 0x3ff). */
  index: number;
  /** Physical address of the entry. */
  address: number;
  /** Its raw value (all-ones when the address lies beyond physical memory). */
  value: number;
  entry: PagingEntry;
  beyondMemory: boolean;
  text: string;
}

export type WalkStep = IdentityStep | EntryStep;

interface TranslationBase {
  va: number;
  access: Access;
  cpl: number;
  /** CPL 3 and not implicit: the access is checked with the user-mode rules and pushes U/S=1. */
  userMode: boolean;
  paging: boolean;
  steps: WalkStep[];
  /** One line for a person. */
  text: string;
}

export interface TranslationOk extends TranslationBase {
  kind: 'ok';
  ok: true;
  phys: number;
  pageSize: 4096 | 0x400000;
  /** Effective rights, combined over the levels (always user rw with paging off). */
  user: boolean;
  writable: boolean;
  /** The physical address is at or beyond the end of RAM (reads as all-ones, writes are lost). */
  physBeyondMemory: boolean;
  /** The bits the processor would now set in memory for this access (none are set here). */
  wouldSet: { pdeAccessed: boolean; pteAccessed: boolean; dirty: boolean };
}

export type FaultCheck = 'pde-not-present' | 'pte-not-present' | 'pde-reserved' | 'pte-reserved' | RightsCheck;

export interface TranslationFault extends TranslationBase {
  kind: 'fault';
  ok: false;
  /** The first check that failed. */
  check: FaultCheck;
  reason: string;
  level: Level;
  /** What the processor pushes with #PF for this access (CR2 would be `va`). */
  errorCode: number;
  /** The error code's words: "[user, write, protection]". */
  errorText: string;
}

/** A paging mode this inspector does not walk (PAE): said plainly rather than walked wrongly. */
export interface TranslationUnsupported extends TranslationBase {
  kind: 'unsupported';
  ok: false;
  reason: string;
}

export type Translation = TranslationOk | TranslationFault | TranslationUnsupported;

const LEVEL_NAME: Record<Level, string> = { pde: 'page directory entry', pte: 'page table entry' };

/**
 * Walks `va` through the page directory at `cr3` for `access` at `cpl`, as the processor would
 * for that access, without changing anything.
 */
export function translate(
  mem: PhysSource,
  va: number,
  cr3: number,
  regs: PagingRegisters,
  access: Access,
  cpl: number,
  opts: TranslateOptions = {},
): Translation {
  const phys = physReader(mem);
  const lin = va >>> 0;
  const userMode = cpl === 3 && !opts.implicit;
  const base = { va: lin, access, cpl, userMode, steps: [] as WalkStep[] };
  if (!(regs.cr0 & CR0_PG)) {
    base.steps.push({ kind: 'identity', text: 'paging disabled (CR0.PG=0): physical address = linear address' });
    return ok({ ...base, paging: false }, phys, lin, 4096, true, true, { pdeAccessed: false, pteAccessed: false, dirty: false });
  }
  if (regs.cr4 & CR4_PAE) {
    return { ...base, paging: true, kind: 'unsupported', ok: false, reason: 'CR4.PAE is set: PAE paging is not modelled by this inspector', text: `${hex8(lin)}: PAE paging is not modelled` };
  }
  const b = { ...base, paging: true };
  const fault = faulter(b, regs.cr4);

  const pdeIndex = lin >>> 22;
  const pdeStep = readEntry(phys, 'pde', pdeIndex, ((cr3 & 0xfffff000) >>> 0) + pdeIndex * 4, regs.cr4, opts.model);
  b.steps.push(pdeStep);
  const pde = pdeStep.entry;
  if (!pde.present) return fault('pde-not-present', 'page directory entry not present', 'pde', false, false);
  if (pde.reserved) return fault('pde-reserved', reservedReason('pde', pde.reserved), 'pde', true, true);

  const levels: LevelRights[] = [{ level: 'pde', user: pde.user, writable: pde.writable }];
  let leaf: PagingEntry = pde;
  let physAddr: number;
  if (pde.kind === 'page4m') {
    physAddr = pde.frame + (lin & 0x3fffff);
  } else {
    const pteIndex = (lin >>> 12) & 0x3ff;
    const pteStep = readEntry(phys, 'pte', pteIndex, pde.frame + pteIndex * 4, regs.cr4, opts.model);
    b.steps.push(pteStep);
    leaf = pteStep.entry;
    if (!leaf.present) return fault('pte-not-present', 'page table entry not present', 'pte', false, false);
    if (leaf.reserved) return fault('pte-reserved', reservedReason('pte', leaf.reserved), 'pte', true, true);
    levels.push({ level: 'pte', user: leaf.user, writable: leaf.writable });
    physAddr = leaf.frame + (lin & 0xfff);
  }

  const denied = checkRights({ access, userMode, implicit: opts.implicit ?? false, levels, cr0: regs.cr0, cr4: regs.cr4, eflags: opts.eflags ?? 0 });
  if (denied) {
    // Name the entry whose bit refused the access, so a person knows which one to change.
    const detail = denied.check === 'user-access-to-supervisor-page' ? `${denied.level.toUpperCase()} U/S=0`
      : denied.check.endsWith('read-only-page') || denied.check.endsWith('-wp') ? `${denied.level.toUpperCase()} R/W=0`
      : 'U/S=1 at every level';
    return fault(denied.check, denied.reason, denied.level, true, false, detail);
  }
  const user = levels.every((l) => l.user);
  const writable = levels.every((l) => l.writable);
  const isLarge = pde.kind === 'page4m';
  return ok(b, phys, physAddr, isLarge ? 0x400000 : 4096, user, writable, {
    pdeAccessed: !pde.accessed,
    pteAccessed: !isLarge && !leaf.accessed,
    dirty: access === 'write' && !leaf.dirty,
  });
}

function ok(
  b: Omit<TranslationBase, 'text'>,
  phys: PhysReader,
  physAddr: number,
  pageSize: 4096 | 0x400000,
  user: boolean,
  writable: boolean,
  wouldSet: TranslationOk['wouldSet'],
): TranslationOk {
  const beyond = physAddr >= phys.size;
  const size = pageSize === 4096 ? '4 KiB page' : '4 MiB page';
  const where = b.paging ? `${rightsText(user, writable)}, ${size}` : 'paging disabled';
  const text = `${hex8(b.va)} -> ${hexAddr(physAddr)} (${where})${beyond ? ' [beyond physical memory]' : ''}`;
  return { ...b, text, kind: 'ok', ok: true, phys: physAddr, pageSize, user, writable, physBeyondMemory: beyond, wouldSet };
}

/** Builds fault results for one walk; computes the error code the way 4.7 defines each bit. */
function faulter(b: Omit<TranslationBase, 'text'>, cr4: number) {
  return (check: FaultCheck, reason: string, level: Level, protection: boolean, reserved: boolean, detail?: string): TranslationFault => {
    const errorCode = pageFaultErrorCode({
      // P=0 only when the fault is a non-present entry; reserved-bit and rights faults set it.
      protection,
      write: b.access === 'write',
      user: b.userMode,
      reserved,
      // I/D: with 32-bit paging the processor reports instruction fetches only when CR4.SMEP=1
      // (the other case, PAE with EFER.NXE, cannot arise here).
      instructionFetch: b.access === 'execute' && (cr4 & CR4_SMEP) !== 0,
    });
    const errorText = decodePageFaultError(errorCode);
    const text = `${hex8(b.va)}: ${reason}${detail ? ` (${detail})` : ''}; #PF error code ${hex(errorCode)} ${errorText}`;
    return { ...b, text, kind: 'fault', ok: false, check, reason, level, errorCode, errorText };
  };
}

function reservedReason(level: Level, bits: number): string {
  return `reserved bit set in ${LEVEL_NAME[level]} (bits ${hex8(bits)} must be 0)`;
}

function readEntry(phys: PhysReader, level: Level, index: number, address: number, cr4: number, model?: PagingModel): EntryStep {
  const value = phys.read32(address);
  const entry = level === 'pde' ? decodePde(value, cr4, model) : decodePte(value, cr4, model);
  const beyondMemory = address + 4 > phys.size;
  const name = level.toUpperCase();
  let text = `${name}[${hex(index)}] at ${hexAddr(address)} = ${hex8(value)}`;
  if (!entry.present) text += ' (not present)';
  else {
    text += ` (${entry.flags.join(' ')}) -> `;
    text += entry.kind === 'table' ? `page table at ${hex8(entry.frame)}` : `${entry.kind === 'page4m' ? '4 MiB ' : ''}page at ${hexAddr(entry.frame)}`;
    if (level === 'pde' && entry.kind === 'table' && value & 0x80) text += ' [PS ignored: CR4.PSE=0]';
  }
  if (beyondMemory) text += ' [entry beyond physical memory: reads as all-ones]';
  return { kind: 'entry', level, index, address, value, entry, beyondMemory, text };
}
