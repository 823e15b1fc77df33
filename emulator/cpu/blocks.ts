import type { Cpu } from './cpu.js';
import { Insn } from './insn.js';
import { decode } from './decode.js';
import { CpuFault } from './fault.js';
import { TLB_USER_READ } from './mmu.js';

/** Longest run of instructions decoded into one block. */
const MAX_BLOCK = 64;

/** A straight run of decoded instructions; only the last may change EIP. */
export class Block {
  insns: Insn[] = [];
  count = 0;
  /** Total bytes of the block: EIP after the last instruction when it does not branch. */
  length = 0;
  /** Times entered; a block that gets hot is compiled into `fn`. */
  heat = 0;
  /** The block as one generated function (see compileBlock), once hot. */
  fn: ((cpu: Cpu) => void) | null = null;
  /** Physical address of the first byte. */
  phys = 0;
  /** Successor cache: the block that followed last time for a given EIP, valid while `gen` matches. */
  nextEip = -1;
  nextBlock: Block | null = null;
  nextGen = -1;
  nextUser = false;
  altUser = false;
  altEip = -1;
  altBlock: Block | null = null;
  altGen = -1;
}

/**
 * The decoded-instruction cache: blocks keyed by the physical address of their first byte, so the
 * same bytes are decoded once. A write to a page holding decoded code drops that page's blocks.
 * `generation` changes whenever any block or address mapping goes stale, which invalidates the
 * successor links without visiting every block.
 */
export class BlockCache {
  private readonly byPhys = new Map<number, Block>();
  private readonly pageBlocks = new Map<number, Block[]>();
  /** Non-zero for physical pages that hold decoded code. Writers check it on every store. */
  readonly codePages: Uint8Array;
  generation = 0;

  constructor(private readonly cpu: Cpu) {
    this.codePages = new Uint8Array(Math.ceil(cpu.mem.size / 4096) + 1);
  }

  /** The block that starts at linear `eip` (decoded now if not cached). */
  lookup(eip: number): Block {
    const phys = this.cpu.physFetch(eip);
    return this.byPhys.get(phys) ?? this.decodeBlock(eip, phys);
  }

  /** The block after `prev` when execution continues at `eip`, through the successor cache. */
  next(prev: Block, eip: number): Block {
    const gen = this.generation;
    // A link skips the fetch translation and its permission check. Links are made only to pages
    // ring 3 may fetch from, or followed only in ring 0, so a CPL change needs no invalidation.
    const userOk = this.cpu.cpl !== 3;
    if (prev.nextEip === eip && prev.nextGen === gen && (userOk || prev.nextUser)) return prev.nextBlock as Block;
    if (prev.altEip === eip && prev.altGen === gen && (userOk || prev.altUser)) return prev.altBlock as Block;
    const b = this.lookup(eip);
    const user = (this.cpu.mmu.tlb[eip >>> 12] & TLB_USER_READ) !== 0;
    // Keep the most recent successor in the first slot; a loop's two exits then both stay cached.
    prev.altEip = prev.nextEip;
    prev.altBlock = prev.nextBlock;
    prev.altGen = prev.nextGen;
    prev.altUser = prev.nextUser;
    prev.nextEip = eip;
    prev.nextBlock = b;
    prev.nextGen = this.generation;
    prev.nextUser = user;
    return b;
  }

  invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    if (list) {
      for (const b of list) {
        if (this.byPhys.get(b.phys) === b) this.byPhys.delete(b.phys);
      }
      this.pageBlocks.delete(page);
    }
    this.codePages[page] = 0;
    this.generation++;
  }

  /** Drops every block (e.g. when the way linear addresses map to physical ones changes). */
  flushAll(): void {
    this.byPhys.clear();
    this.pageBlocks.clear();
    this.codePages.fill(0);
    this.generation++;
  }

  /** Called when linear-to-physical mappings change: successor links (keyed by linear EIP) go stale. */
  mappingsChanged(): void {
    this.generation++;
  }

  private decodeBlock(eip: number, phys: number): Block {
    const cpu = this.cpu;
    const block = new Block();
    block.phys = phys;
    let lin = eip;
    const startPage = eip >>> 12;
    for (;;) {
      let insn: Insn;
      try {
        insn = decode(cpu, lin);
      } catch (e) {
        // A fetch fault on an instruction after the first one ends the block before it; the fault
        // is raised when (and if) execution actually reaches that instruction.
        if (e instanceof CpuFault && block.count > 0) break;
        throw e;
      }
      // An instruction that crosses into the next page depends on that page's mapping too; keep it
      // in a block of its own so the block stays tied to one physical page.
      if (block.count > 0 && (lin & 0xfff) + insn.len > 0x1000) break;
      insn.offset = (lin - eip) | 0;
      block.insns.push(insn);
      block.count++;
      const end = (lin + insn.len) | 0;
      this.markCode(block, cpu.physFetch(lin) >>> 12);
      if (insn.len > 1) this.markCode(block, cpu.physFetch((end - 1) | 0) >>> 12);
      lin = end;
      if (cpu.breakpoints.size !== 0 && cpu.breakpoints.has(lin >>> 0)) break;
      if (insn.def === null || insn.def.branch || block.count >= MAX_BLOCK || lin >>> 12 !== startPage) break;
    }
    block.length = (lin - eip) | 0;
    this.byPhys.set(phys, block);
    return block;
  }

  /** Records that `block` holds bytes of physical `page`, so a write there drops it. */
  private markCode(block: Block, page: number): void {
    if (page >= this.codePages.length) return;
    let list = this.pageBlocks.get(page);
    if (!list) this.pageBlocks.set(page, (list = []));
    if (list[list.length - 1] !== block) list.push(block);
    this.codePages[page] = 1;
  }
}
