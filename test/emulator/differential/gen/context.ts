// The state the generator keeps while it writes one case: where esp is, which registers an item
// may overwrite, which status flags are currently undefined (so nothing reads them), and the
// labels of forward branches. Items (families/*.ts) write instructions only through this class.
import type { Rng } from '../prng.js';
import { flagEffect, type FlagContext } from '../flags.js';
import { STACK_HIGH, STACK_LOW, STACK_WIN } from '../layout.js';
import { ESP, fullReg, reg, type Size } from './asm.js';

export interface InsnInfo extends FlagContext {
  /** Mnemonic as the opcode table spells it (AT&T stem): used to look up the flag effect. */
  mnem: string;
  /** Status flags the instruction reads (jcc, adc, pushf ...): they must be defined first. */
  reads?: number;
  /** This execution changes no flags although the mnemonic can (a rep string op with ECX = 0). */
  flagsUnchanged?: boolean;
}

/** A stack range that must not be written (a return address a pending ret will pop). */
interface Protected {
  lo: number;
  hi: number;
}

interface Snapshot {
  lines: number;
  funcs: number;
  espOff: number;
  undef: number;
  reachable: boolean;
  pending: Map<string, number>;
  mnems: number;
  forms: number;
  insns: number;
}

export class Gen {
  /** Instruction lines of the straight-line part of the case. */
  lines: string[] = [];
  /** Bodies of called functions, placed after the case's final jump. */
  readonly funcs: string[][] = [];
  /** esp as an offset into the stack window; the generator always knows it. */
  espOff: number;
  /** Status flags whose value is undefined here (after e.g. mul or a multi-bit shift). */
  undef = 0;
  /** False in dead code after an unconditional jump. */
  reachable = true;
  /** Registers (bit per 32-bit register) items must not write; esp is handled by stack items only. */
  noWrite = 1 << ESP;
  /** esp must not change here (skipped regions, loop bodies, function bodies). */
  noStack = false;
  /** No branches here (keeps control flow structured: regions and loops do not nest). */
  noBranch = false;
  protectedStack: Protected[] = [];
  /** The low window is mapped: items may access memory with 16-bit addressing. */
  lowWindow = false;
  /** Mnemonics and item forms used, for failure reports. */
  readonly mnems: string[] = [];
  readonly forms: string[] = [];
  /** Static instruction count. */
  insns = 0;
  private pending = new Map<string, number>();
  private labelSeq = 0;
  /** Generates `n` random items here (set by the case generator; control items use it for bodies). */
  fill: (n: number) => void = () => {};

  constructor(readonly rng: Rng, readonly caseIndex: number, espOff: number) {
    this.espOff = espOff;
  }

  // ------------------------------------------------------------------ emitting

  /**
   * Emits one instruction. If it reads a flag that is undefined here, a `cmp` first gives all
   * status flags defined values, so undefined flags never reach registers or memory.
   */
  insn(text: string, info: InsnInfo): void {
    const reads = info.reads ?? 0;
    if (this.reachable && (reads & this.undef) !== 0) this.sanitizeFlags();
    this.lines.push('\t' + text);
    this.insns++;
    const eff = info.flagsUnchanged ? { defined: 0, undef: 0 } : flagEffect(info.mnem, info);
    this.undef = (this.undef & ~eff.defined) | eff.undef;
    this.mnems.push(info.mnem);
  }

  /** A register load that sets up an operand (mov changes no flags). */
  setReg(size: Size, r: number, value: number): void {
    if (!this.canWrite(fullReg(size, r))) throw new Error(`generator bug: item loads ${reg(size, r)}, which must not change here`);
    this.insn(`mov ${'$0x' + (value >>> 0).toString(16)}, ${reg(size, r)}`, { mnem: 'mov' });
  }

  /** CMP writes all six status flags with defined values (SDM, CMP: "Flags Affected"). */
  sanitizeFlags(): void {
    const a = this.rng.int(0, 7), b = this.rng.int(0, 7);
    this.lines.push(`\tcmp ${reg(4, a)}, ${reg(4, b)}`);
    this.insns++;
    this.mnems.push('cmp');
    this.undef = 0;
  }

  comment(text: string): void {
    this.lines.push('\t# ' + text);
  }

  form(name: string): void {
    this.forms.push(name);
  }

  // ------------------------------------------------------------------ registers

  canWrite(r32: number): boolean {
    return (this.noWrite & (1 << r32)) === 0;
  }

  canWriteAll(regs: readonly number[]): boolean {
    return regs.every((r) => this.canWrite(r));
  }

  /** A register the item may overwrite, at `size`; `avoid` are 32-bit registers it must not use. */
  dst(size: Size, avoid: readonly number[] = []): number {
    const ok: number[] = [];
    for (let r = 0; r < 8; r++) {
      const full = fullReg(size, r);
      if (this.canWrite(full) && !avoid.includes(full)) ok.push(r);
    }
    if (ok.length === 0) throw new Error('no writable register');
    return this.rng.pick(ok);
  }

  /** Any register as a source (esp included at 16 and 32 bits: its value is a known address). */
  src(size: Size, avoid: readonly number[] = []): number {
    const ok: number[] = [];
    for (let r = 0; r < 8; r++) if (!avoid.includes(fullReg(size, r))) ok.push(r);
    return this.rng.pick(ok);
  }

  // ------------------------------------------------------------------ stack

  /** Absolute esp. */
  get esp(): number {
    return STACK_WIN + this.espOff;
  }

  /** Whether esp may move by `delta` bytes here and stay inside the window's safe band. */
  canMoveEsp(delta: number): boolean {
    if (this.noStack && delta !== 0) return false;
    const n = this.espOff + delta;
    return n >= STACK_LOW && n <= STACK_HIGH;
  }

  moveEsp(delta: number): void {
    this.espOff += delta;
  }

  /** Whether [off, off+size) of the stack window may be written (no pending return address there). */
  stackWritable(off: number, size: number): boolean {
    return this.protectedStack.every((p) => off + size <= p.lo || off >= p.hi);
  }

  // ------------------------------------------------------------------ control flow

  label(): string {
    return `.Lc${this.caseIndex}_${this.labelSeq++}`;
  }

  /** Records a jump to a forward label: the flags undefined here are undefined there too. */
  jumpTo(label: string, conditional: boolean): void {
    if (this.reachable) this.pending.set(label, (this.pending.get(label) ?? 0) | this.undef);
    if (!conditional) this.reachable = false;
  }

  /** Places a forward label: the state there is the union of all paths reaching it. */
  place(label: string): void {
    this.lines.push(label + ':');
    const fromJumps = this.pending.get(label);
    this.pending.delete(label);
    if (fromJumps === undefined) return;
    this.undef = (this.reachable ? this.undef : 0) | fromJumps;
    this.reachable = true;
  }

  /** Runs `fn` with some restrictions, restoring them after. */
  restricted<T>(r: { noWrite?: number; noStack?: boolean; noBranch?: boolean }, fn: () => T): T {
    const saved = { noWrite: this.noWrite, noStack: this.noStack, noBranch: this.noBranch };
    this.noWrite |= r.noWrite ?? 0;
    if (r.noStack) this.noStack = true;
    if (r.noBranch) this.noBranch = true;
    try {
      return fn();
    } finally {
      Object.assign(this, saved);
    }
  }

  // ------------------------------------------------------------------ items

  /** Runs an item generator; if it declines (returns false), everything it emitted is undone. */
  attempt(fn: () => boolean): boolean {
    const s: Snapshot = {
      lines: this.lines.length, funcs: this.funcs.length, espOff: this.espOff, undef: this.undef,
      reachable: this.reachable, pending: new Map(this.pending), mnems: this.mnems.length,
      forms: this.forms.length, insns: this.insns,
    };
    const savedLines = this.lines;
    if (fn()) return true;
    this.lines = savedLines;
    this.lines.length = s.lines;
    this.funcs.length = s.funcs;
    this.espOff = s.espOff;
    this.undef = s.undef;
    this.reachable = s.reachable;
    this.pending = s.pending;
    this.mnems.length = s.mnems;
    this.forms.length = s.forms;
    this.insns = s.insns;
    return false;
  }
}
