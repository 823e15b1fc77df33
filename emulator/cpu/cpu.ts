import { PhysicalMemory } from '../memory/physical.js';
import { PortBus } from '../memory/ports.js';
import { MmioBus } from '../memory/mmio.js';
import { ARITH_FLAGS, AF, AC, CF, DF, FIXED_ONE, ID, IF, IOPL as IOPL_BITS, NT, OF, PF, RF, SF, TF, ZF } from './eflags.js';
import { CpuFault, UD } from './fault.js';
import { Insn } from './insn.js';
import { REG8_OFFSET, ESP, DS, SS } from './regs.js';
import { BlockCache, Block } from './blocks.js';
import { PARITY } from './parity.js';
import { compileBlock } from './compile.js';
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, Mmu } from './mmu.js';
import { Watchpoints, WatchTrap } from './watch.js';
import { FLAT_CODE_ATTR, FLAT_DATA_ATTR, loadDataSegment } from './segments.js';
import type { Source, VectorEvent } from './interrupts.js';

export type RingTransition = 'interrupt' | 'iret' | 'sysenter' | 'sysexit' | 'far';

/** How the last arithmetic instruction left the status flags (see getEflags). */
export const K_ADD = 0, K_SUB = 1, K_LOGIC = 2;

/** Size-dependent constants, indexed by operand size in bytes (1, 2, 4). */
export const SIGN_BIT = [0, 0x80, 0x8000, 0, 0x80000000 | 0];
export const SIZE_MASK = [0, 0xff, 0xffff, 0, -1];

/**
 * The IA-32 processor: registers, lazy status flags, the one memory-access path, and the
 * fetch-decode-execute loop over cached decoded blocks.
 */
export class Cpu {
  /** EAX..EDI, then an always-zero slot (NO_REG) that address computation reads for "no register". */
  readonly regs = new Int32Array(9);
  readonly r16 = new Uint16Array(this.regs.buffer);
  readonly r8 = new Uint8Array(this.regs.buffer);

  /** Segment registers: visible selectors and their descriptor caches (base, limit, attributes). */
  readonly segSel = new Uint16Array(6);
  readonly segBase = new Int32Array(6);
  readonly segLimit = new Uint32Array(6).fill(0xffffffff);
  /** Access byte | flags nibble << 8; starts as the flat code/data descriptors of the boot state. */
  readonly segAttr = new Uint16Array([FLAT_DATA_ATTR, FLAT_CODE_ATTR, FLAT_DATA_ATTR, FLAT_DATA_ATTR, FLAT_DATA_ATTR, FLAT_DATA_ATTR]);

  /** Descriptor-table registers (bases are linear addresses). */
  gdtBase = 0;
  gdtLimit = 0;
  idtBase = 0;
  idtLimit = 0x3ff;
  ldtSel = 0;
  ldtBase = 0;
  ldtLimit = 0;
  trSel = 0;
  trBase = 0;
  trLimit = 0;

  /** The sysenter MSRs (IA32_SYSENTER_CS/ESP/EIP). */
  sysenterCs = 0;
  sysenterEsp = 0;
  sysenterEip = 0;

  /** Set while the interrupt controller may be requesting an interrupt (checked between blocks). */
  intrPending = false;
  /**
   * Maskable interrupts are held off until icount reaches this: the one-instruction shadow of sti
   * (when it sets IF), mov ss and pop ss. See holdInterrupts; the machine's run loop honours it.
   */
  interruptShadowUntil = 0;

  /**
   * Starts the shadow of the instruction executing now: an interrupt is not taken before the next
   * instruction has run (SDM vol. 2, STI and MOV). In a row of such instructions only the first
   * one delays (SDM, MOV: "only the first instruction in the sequence is guaranteed to delay"),
   * so a shadow does not start inside another, as on QEMU.
   */
  holdInterrupts(): void {
    const now = this.retired;
    if (now >= this.interruptShadowUntil) this.interruptShadowUntil = now + 2;
  }

  /**
   * Debugger hooks. vectorHook runs before a vector is delivered and may return true to stop there
   * (the vector stays pending and is delivered when execution resumes); ringHook runs after a
   * change of CPL. Both are null when unused, so they cost nothing.
   */
  vectorHook: ((e: VectorEvent) => boolean) | null = null;
  ringHook: ((from: number, to: number, how: RingTransition) => boolean) | null = null;
  /** Set when ringHook asked to stop: the run ends after the instruction that changed rings. */
  ringStop: { from: number; to: number; how: RingTransition } | null = null;

  /** Reports a CPL change to the hook; a true answer stops the run after this instruction. */
  ringChanged(from: number, to: number, how: RingTransition): void {
    if (this.ringHook && this.ringHook(from, to, how)) {
      this.ringStop = { from, to, how };
      this.stopRequested = true;
    }
  }
  /** A vector whose delivery the hook stopped before; delivered first when execution resumes. */
  pendingVector: { vector: number; errorCode: number; source: Source } | null = null;
  /** The event of the last stop the vector hook asked for. */
  lastVectorEvent: VectorEvent | null = null;
  /** Set to deliver the pending vector without asking the hook again. */
  vectorHookBypass = false;

  /**
   * EFLAGS. Bits set in `lazy` are not stored in `flags` but computed on demand from the last
   * arithmetic operation (lzKind, lzDst, lzSrc, lzRes, lzSign), which saves computing six flags per ALU op.
   */
  flags = FIXED_ONE;
  lazy = 0;
  lzKind = K_LOGIC;

  /**
   * 32-bit values written on every instruction live in an Int32Array rather than in plain fields:
   * V8 keeps only 31-bit integers unboxed in object fields, and addresses such as 0xf0100000 would
   * otherwise be boxed as heap numbers on each store.
   */
  readonly hot = new Int32Array(6);
  get eip(): number { return this.hot[0]; }
  set eip(v: number) { this.hot[0] = v; }
  get lzDst(): number { return this.hot[1]; }
  set lzDst(v: number) { this.hot[1] = v; }
  get lzSrc(): number { return this.hot[2]; }
  set lzSrc(v: number) { this.hot[2] = v; }
  get lzRes(): number { return this.hot[3]; }
  set lzRes(v: number) { this.hot[3] = v; }
  get lzSign(): number { return this.hot[4]; }
  set lzSign(v: number) { this.hot[4] = v; }

  cr0 = 0x11; // PE set by the multiboot contract; ET set as on every 386+ with an FPU
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  readonly dr = new Int32Array(8);

  /** Current privilege level (the RPL of CS once protected-mode segments are loaded). */
  get cpl(): number { return this.cplValue; }
  set cpl(v: number) {
    if (v === this.cplValue) return;
    this.cplValue = v;
    this.mmu.setCpl(v);
  }
  private cplValue = 0;

  /** Instructions retired: the machine's clock (rdtsc reads it). */
  icount = 0;
  halted = false;

  readonly mem: PhysicalMemory;
  /** The I/O port space (devices register on it). */
  readonly io = new PortBus();
  /** Memory-mapped devices above the end of RAM (the APICs); reached only from the out-of-RAM slow path. */
  readonly mmio = new MmioBus();
  readonly blocks: BlockCache;
  readonly mmu: Mmu;
  readonly watch: Watchpoints;

  constructor(mem: PhysicalMemory) {
    this.mem = mem;
    this.blocks = new BlockCache(this);
    this.mmu = new Mmu(this);
    this.watch = new Watchpoints(this);
  }

  // ---------------------------------------------------------------- registers by size

  getReg(size: number, r: number): number {
    if (size === 4) return this.regs[r];
    if (size === 2) return this.r16[r << 1];
    return this.r8[REG8_OFFSET[r]];
  }

  setReg(size: number, r: number, v: number): void {
    if (size === 4) this.regs[r] = v;
    else if (size === 2) this.r16[r << 1] = v;
    else this.r8[REG8_OFFSET[r]] = v;
  }

  // ---------------------------------------------------------------- flags

  getCF(): number {
    if (!(this.lazy & CF)) return this.flags & CF;
    if (this.lzKind === K_ADD) return (this.lzRes >>> 0) < (this.lzDst >>> 0) ? 1 : 0;
    if (this.lzKind === K_SUB) return (this.lzDst >>> 0) < (this.lzSrc >>> 0) ? 1 : 0;
    return 0;
  }

  getZF(): boolean {
    return this.lazy & ZF ? this.lzRes === 0 : (this.flags & ZF) !== 0;
  }

  getSF(): boolean {
    return this.lazy & SF ? (this.lzRes & this.lzSign) !== 0 : (this.flags & SF) !== 0;
  }

  getOF(): boolean {
    if (!(this.lazy & OF)) return (this.flags & OF) !== 0;
    const d = this.lzDst, s = this.lzSrc, r = this.lzRes;
    if (this.lzKind === K_ADD) return ((d ^ r) & (s ^ r) & this.lzSign) !== 0;
    if (this.lzKind === K_SUB) return ((d ^ s) & (d ^ r) & this.lzSign) !== 0;
    return false;
  }

  getPF(): boolean {
    return this.lazy & PF ? PARITY[this.lzRes & 0xff] === 1 : (this.flags & PF) !== 0;
  }

  getAF(): boolean {
    if (!(this.lazy & AF)) return (this.flags & AF) !== 0;
    if (this.lzKind === K_LOGIC) return false;
    return ((this.lzDst ^ this.lzSrc ^ this.lzRes) & 0x10) !== 0;
  }

  getEflags(): number {
    let f = this.flags & ~this.lazy;
    const l = this.lazy;
    if (l === 0) return f | FIXED_ONE;
    if (l & CF && this.getCF()) f |= CF;
    if (l & PF && this.getPF()) f |= PF;
    if (l & AF && this.getAF()) f |= AF;
    if (l & ZF && this.getZF()) f |= ZF;
    if (l & SF && this.getSF()) f |= SF;
    if (l & OF && this.getOF()) f |= OF;
    return f | FIXED_ONE;
  }

  /** Sets every flag from a value (no privilege filtering: callers apply popf/iret rules). */
  setEflags(v: number): void {
    this.flags = (v & ~0x8028) | FIXED_ONE; // bits 3, 5 and 15 are reserved zeros
    this.lazy = 0;
  }

  /** Makes all flags concrete, so an instruction can then change single bits of `flags`. */
  materializeFlags(): void {
    if (this.lazy) {
      this.flags = this.getEflags();
      this.lazy = 0;
    }
  }

  /** Sets `mask` bits of the status flags to `values` (other flags untouched). */
  setFlagBits(mask: number, values: number): void {
    // The flags outside `mask` that are still lazy keep computing from the unchanged lz* fields.
    this.flags = (this.flags & ~mask) | (values & mask);
    this.lazy &= ~mask;
  }

  /** Records an add/sub/logic result for lazy evaluation of all six status flags. */
  setLazy(kind: number, dst: number, src: number, res: number, size: number): void {
    this.lzKind = kind;
    this.lzDst = dst;
    this.lzSrc = src;
    this.lzRes = res;
    this.lzSign = SIGN_BIT[size];
    this.lazy = ARITH_FLAGS;
  }

  /** setLazy for 32-bit operands: the hot path of compiled code. */
  setLazy32(kind: number, dst: number, src: number, res: number): void {
    this.lzKind = kind;
    this.lzDst = dst;
    this.lzSrc = src;
    this.lzRes = res;
    this.lzSign = -0x80000000;
    this.lazy = ARITH_FLAGS;
  }

  /** setResultFlags for a 32-bit result. */
  setResultFlags32(res: number, cfOfAf: number): void {
    this.lzKind = K_LOGIC;
    this.lzRes = res;
    this.lzSign = -0x80000000;
    this.flags = (this.flags & ~ARITH_FLAGS) | cfOfAf;
    this.lazy = SF | ZF | PF;
  }

  /** SF, ZF and PF from a result; the caller gives CF, OF and AF. */
  setResultFlags(res: number, size: number, cfOfAf: number): void {
    this.lzKind = K_LOGIC;
    this.lzRes = res;
    this.lzSign = SIGN_BIT[size];
    this.flags = (this.flags & ~ARITH_FLAGS) | cfOfAf;
    this.lazy = SF | ZF | PF;
  }

  /** Condition codes 0..15 as encoded in jcc/setcc/cmovcc. */
  cond(cc: number): boolean {
    // Fast path: a full-width compare leaves its operands in lzDst/lzSrc.
    if (this.lazy === ARITH_FLAGS && this.lzKind === K_SUB && this.lzSign === SIGN_BIT[4]) {
      const a = this.lzDst, b = this.lzSrc;
      switch (cc) {
        case 2: return (a >>> 0) < (b >>> 0);
        case 3: return (a >>> 0) >= (b >>> 0);
        case 4: return a === b;
        case 5: return a !== b;
        case 6: return (a >>> 0) <= (b >>> 0);
        case 7: return (a >>> 0) > (b >>> 0);
        case 12: return a < b;
        case 13: return a >= b;
        case 14: return a <= b;
        case 15: return a > b;
      }
    }
    switch (cc) {
      case 0: return this.getOF();
      case 1: return !this.getOF();
      case 2: return this.getCF() !== 0;
      case 3: return this.getCF() === 0;
      case 4: return this.getZF();
      case 5: return !this.getZF();
      case 6: return this.getCF() !== 0 || this.getZF();
      case 7: return this.getCF() === 0 && !this.getZF();
      case 8: return this.getSF();
      case 9: return !this.getSF();
      case 10: return this.getPF();
      case 11: return !this.getPF();
      case 12: return this.getSF() !== this.getOF();
      case 13: return this.getSF() === this.getOF();
      case 14: return this.getZF() || this.getSF() !== this.getOF();
      default: return !this.getZF() && this.getSF() === this.getOF();
    }
  }

  /** popf/iret's EFLAGS write: IOPL only at CPL 0, IF only when CPL <= IOPL, VM/RF never from popf. */
  writeFlagsFromStack(v: number, size: number): void {
    const iopl = (this.flags >> 12) & 3;
    let mask = ARITH_FLAGS | TF | DF | NT | (size === 4 ? AC | ID : 0);
    if (this.cpl === 0) mask |= IOPL_BITS | IF;
    else if (this.cpl <= iopl) mask |= IF;
    if (size === 2) mask &= 0xffff;
    this.materializeFlags();
    this.flags = ((this.flags & ~mask) | (v & mask) | FIXED_ONE) & ~RF;
  }

  /**
   * mov Sreg / pop Sreg: loads a data or stack segment register with the protected-mode checks
   * (segments.ts). A load of SS holds interrupts off for one instruction, so that the mov to ESP
   * that follows it runs before any interrupt frame is pushed on the new stack.
   */
  loadSegment(seg: number, sel: number): void {
    loadDataSegment(this, seg, sel);
    if (seg === SS) this.holdInterrupts();
  }

  /** iret's EFLAGS write: like popf, and RF may be set. */
  writeFlagsFromIret(v: number, size: number): void {
    this.writeFlagsFromStack(v, size);
    if (v & RF) this.flags |= RF;
  }

  /** System-structure accesses (descriptor tables, TSS, interrupt frames) are supervisor accesses at any CPL. */
  readSupervisor32(lin: number): number {
    const p = this.mmu.translate(lin, ACCESS_READ, false);
    if ((p & 3) === 0 && p < this.mem.size) return this.mem.i32[p >>> 2];
    let v = 0;
    for (let k = 3; k >= 0; k--) {
      const q = this.mmu.translate(lin + k, ACCESS_READ, false);
      v = (v << 8) | (q < this.mem.size ? this.mem.u8[q] : 0xff);
    }
    return v;
  }

  writeSupervisor32(lin: number, v: number): void {
    if ((lin & 3) === 0) {
      const p = this.mmu.translate(lin, ACCESS_WRITE, false);
      if (p < this.mem.size) {
        this.mem.i32[p >>> 2] = v;
        if (this.blocks.codePages[p >>> 12]) this.blocks.invalidatePage(p >>> 12);
      }
      return;
    }
    for (let k = 0; k < 4; k++) this.writeSupervisor8(lin + k, v >>> (8 * k));
  }

  writeSupervisor16(lin: number, v: number): void {
    this.writeSupervisor8(lin, v);
    this.writeSupervisor8(lin + 1, v >>> 8);
  }

  private writeSupervisor8(lin: number, v: number): void {
    const p = this.mmu.translate(lin, ACCESS_WRITE, false);
    if (p < this.mem.size) {
      this.mem.u8[p] = v;
      if (this.blocks.codePages[p >>> 12]) this.blocks.invalidatePage(p >>> 12);
    }
  }

  // ---------------------------------------------------------------- memory: the one access path

  /** Linear address of the instruction's memory operand. */
  ea(i: Insn): number {
    const r = this.regs;
    if (i.addr16) return (this.segBase[i.seg] + ((r[i.base] + r[i.index] + i.disp) & 0xffff)) | 0;
    return (this.segBase[i.seg] + r[i.base] + (r[i.index] << i.scale) + i.disp) | 0;
  }

  /** Offset (no segment base) of the memory operand: what lea computes. */
  offsetOf(i: Insn): number {
    const r = this.regs;
    if (i.addr16) return (r[i.base] + r[i.index] + i.disp) & 0xffff;
    return (r[i.base] + (r[i.index] << i.scale) + i.disp) | 0;
  }

  /** Physical address for a data read at `lin` (TLB hit: one load and compare; else a walk). */
  physRead(lin: number, size: number): number {
    const e = this.mmu.tlb[lin >>> 12];
    const m = this.mmu.readMask;
    if ((e & m) === m) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
    return this.slowAccess(lin, ACCESS_READ, size);
  }

  physWrite(lin: number, size: number): number {
    const e = this.mmu.tlb[lin >>> 12];
    const m = this.mmu.writeMask;
    if ((e & m) === m) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
    return this.slowAccess(lin, ACCESS_WRITE, size);
  }

  physFetch(lin: number): number {
    const e = this.mmu.tlb[lin >>> 12];
    const m = this.mmu.readMask;
    if ((e & m) === m) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
    return this.slowAccess(lin, ACCESS_FETCH, 1);
  }

  /** TLB miss, or a page the TLB must not hold (watched): walk, then check watchpoints. */
  private slowAccess(lin: number, access: number, size: number): number {
    const phys = this.mmu.translate(lin, access);
    if (this.watch.active && access !== ACCESS_FETCH) this.watch.check(lin, phys, size, access === ACCESS_WRITE);
    return phys;
  }

  // Beyond the end of RAM an access goes to the MMIO bus (unclaimed addresses: all-ones, writes
  // ignored). Those branches come after the RAM checks, so RAM accesses run exactly as before.

  read8(lin: number): number {
    const p = this.physRead(lin, 1);
    return p < this.mem.size ? this.mem.u8[p] : this.mmio.read(p, 1) & 0xff;
  }

  read16(lin: number): number {
    const p = this.physRead(lin, 2);
    if ((p & 1) === 0 && p < this.mem.size) return this.mem.u16[p >>> 1];
    if (p >= this.mem.size && (lin & 0xfff) !== 0xfff) return this.mmio.read(p, 2) & 0xffff;
    return this.read8(lin) | (this.read8(lin + 1) << 8);
  }

  read32(lin: number): number {
    const p = this.physRead(lin, 4);
    if ((p & 3) === 0 && p < this.mem.size) return this.mem.i32[p >>> 2];
    if (p >= this.mem.size && (lin & 0xfff) <= 0xffc) return this.mmio.read(p, 4) | 0;
    return this.read16(lin) | (this.read16(lin + 2) << 16);
  }

  write8(lin: number, v: number): void {
    const p = this.physWrite(lin, 1);
    if (p < this.mem.size) {
      this.mem.u8[p] = v;
      if (this.blocks.codePages[p >>> 12]) this.blocks.invalidatePage(p >>> 12);
    } else {
      this.mmio.write(p, 1, v & 0xff);
    }
  }

  write16(lin: number, v: number): void {
    const p = this.physWrite(lin, 2);
    if ((p & 1) === 0 && p < this.mem.size) {
      this.mem.u16[p >>> 1] = v;
      if (this.blocks.codePages[p >>> 12]) this.blocks.invalidatePage(p >>> 12);
      return;
    }
    if (p >= this.mem.size && (lin & 0xfff) !== 0xfff) {
      this.mmio.write(p, 2, v & 0xffff);
      return;
    }
    if ((lin & 0xfff) === 0xfff) this.physWrite(lin + 1, 1);
    this.write8(lin, v);
    this.write8(lin + 1, v >> 8);
  }

  write32(lin: number, v: number): void {
    const p = this.physWrite(lin, 4);
    if ((p & 3) === 0 && p < this.mem.size) {
      this.mem.i32[p >>> 2] = v;
      if (this.blocks.codePages[p >>> 12]) this.blocks.invalidatePage(p >>> 12);
      return;
    }
    if (p >= this.mem.size && (lin & 0xfff) <= 0xffc) {
      this.mmio.write(p, 4, v);
      return;
    }
    // An access that straddles a page is checked on both pages before any byte is written.
    // Probe the first byte on the second page: that is what CR2 must name if it faults.
    if ((lin & 0xfff) > 0xffc) this.physWrite(((lin | 0xfff) + 1) | 0, 1);
    this.write16(lin, v);
    this.write16(lin + 2, v >> 16);
  }

  read(size: number, lin: number): number {
    if (size === 4) return this.read32(lin);
    if (size === 2) return this.read16(lin);
    return this.read8(lin);
  }

  write(size: number, lin: number, v: number): void {
    if (size === 4) this.write32(lin, v);
    else if (size === 2) this.write16(lin, v);
    else this.write8(lin, v);
  }

  /** Reads one instruction byte. */
  fetch8(lin: number): number {
    const p = this.physFetch(lin);
    return p < this.mem.size ? this.mem.u8[p] : 0xff;
  }

  // ---------------------------------------------------------------- r/m operands

  readE(i: Insn, size: number): number {
    return i.isMem ? this.read(size, this.ea(i)) : this.getReg(size, i.rm);
  }

  writeE(i: Insn, size: number, v: number): void {
    if (i.isMem) this.write(size, this.ea(i), v);
    else this.setReg(size, i.rm, v);
  }

  // ---------------------------------------------------------------- stack (32-bit stack segment)

  push32(v: number): void {
    const sp = (this.regs[ESP] - 4) | 0;
    this.write32(this.segBase[SS] + sp, v);
    this.regs[ESP] = sp;
  }

  push16(v: number): void {
    const sp = (this.regs[ESP] - 2) | 0;
    this.write16(this.segBase[SS] + sp, v);
    this.regs[ESP] = sp;
  }

  push(size: number, v: number): void {
    if (size === 4) this.push32(v);
    else this.push16(v);
  }

  pop32(): number {
    const sp = this.regs[ESP];
    const v = this.read32(this.segBase[SS] + sp);
    this.regs[ESP] = sp + 4;
    return v;
  }

  pop16(): number {
    const sp = this.regs[ESP];
    const v = this.read16(this.segBase[SS] + sp);
    this.regs[ESP] = sp + 2;
    return v;
  }

  pop(size: number): number {
    return size === 4 ? this.pop32() : this.pop16();
  }

  /** Reads the value `offset` bytes above the stack pointer without popping it. */
  peekStack(size: number, offset: number): number {
    return this.read(size, this.segBase[SS] + this.regs[ESP] + offset);
  }

  /** Data segment for string sources etc.: the override, or DS. */
  dataSeg(i: Insn): number {
    return i.segOverride >= 0 ? i.segOverride : DS;
  }

  // ---------------------------------------------------------------- execution

  /** Index within the running block of the instruction executing now (for fault recovery). */
  k = 0;
  /** True while a block runs (icount then still counts from the block's start). */
  executing = false;

  /** Instructions retired before the one executing now: exact even inside a compiled block. */
  get retired(): number {
    return this.executing ? this.icount + this.k : this.icount;
  }
  /** EIP of the first instruction of the running block. */
  get blockEip(): number { return this.hot[5]; }
  set blockEip(v: number) { this.hot[5] = v; }

  /** Entries into a block before it is compiled into a function (cold code stays interpreted). */
  compileThreshold = 32;

  /**
   * Executes up to `budget` instructions. Returns how many ran. Stops early when an instruction
   * sets `stopRequested` (halt, a debug exit) or at a breakpoint. An exception propagates as a
   * CpuFault, with EIP at the faulting instruction and icount counting only what retired.
   */
  execute(budget: number): number {
    const start = this.icount;
    let left = budget;
    let block: Block = this.blocks.lookup(this.eip);
    let inBlock = false;
    try {
      for (;;) {
        const n = block.count;
        this.blockEip = this.eip;
        inBlock = true;
        this.executing = true;
        if (n <= left) {
          let fn = block.fn;
          if (fn === null && block.heat++ >= this.compileThreshold) fn = block.fn = compileBlock(block);
          if (fn !== null) fn(this);
          else this.interpret(block, n);
          this.icount += n;
          left -= n;
        } else {
          this.interpret(block, left);
          this.icount += left;
          left = 0;
        }
        inBlock = false;
        this.executing = false;
        if (left <= 0 || this.stopRequested || (this.intrPending && (this.flags & IF) !== 0)) break;
        // Blocks are cut before every breakpoint address, so checking block starts is enough.
        if (this.breakpoints.size !== 0 && this.breakpointPages[this.eip >>> 12] !== 0 && this.breakpoints.has(this.eip >>> 0)) {
          this.breakpointHit = true;
          break;
        }
        block = this.blocks.next(block, this.eip);
      }
    } catch (e) {
      this.executing = false;
      if ((e instanceof CpuFault || e instanceof WatchTrap) && inBlock) {
        this.icount += this.k;
        // Faults restart: EIP goes back to the start of the instruction that raised it.
        this.eip = (this.blockEip + block.insns[this.k].offset) | 0;
      }
      throw e;
    }
    return this.icount - start;
  }

  /** Runs the first `n` instructions of a block one by one. */
  private interpret(block: Block, n: number): void {
    const insns = block.insns;
    const e = this.blockEip;
    for (let k = 0; k < n; k++) {
      const i = insns[k];
      this.k = k;
      this.eip = (e + i.offset + i.len) | 0;
      i.exec(this, i);
    }
  }

  /** Set by an instruction (hlt, a port write) to end the current execute() after it retires. */
  stopRequested = false;

  /**
   * Linear addresses where execution stops before the instruction there runs. The block cache
   * cuts blocks at these addresses; change them through setBreakpoints so blocks are re-cut.
   */
  breakpoints: ReadonlySet<number> = new Set();
  breakpointHit = false;

  /** Non-zero for linear pages holding a breakpoint: a one-load filter before the set lookup. */
  readonly breakpointPages = new Uint8Array(1 << 20);

  setBreakpoints(addrs: Iterable<number>): void {
    this.breakpoints = new Set([...addrs].map((a) => a >>> 0));
    this.breakpointPages.fill(0);
    for (const a of this.breakpoints) this.breakpointPages[a >>> 12] = 1;
    this.blocks.flushAll();
  }

  undefinedOpcode(detail: string): never {
    throw new CpuFault(UD, -1, detail);
  }

  /** Flags helper for instructions that write DF. */
  get df(): boolean {
    return (this.flags & DF) !== 0;
  }
}

