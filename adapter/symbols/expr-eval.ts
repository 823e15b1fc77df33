import { SymbolError } from './error.js';
import { DEFAULT_FORMAT, decodeExpr, type ExprFormat, type Op } from './expr-ops.js';

/** What the evaluator may ask of the stopped machine. Register numbers are DWARF i386 numbers. */
export interface EvalContext {
  /** Value of DWARF register n (0 eax, 1 ecx, 2 edx, 3 ebx, 4 esp, 5 ebp, 6 esi, 7 edi, 8 eip). */
  reg(n: number): number;
  /** `len` bytes of the current address space at `addr`, or undefined when unreadable. */
  readMemory(addr: number, len: number): Uint8Array | undefined;
  /** The enclosing function's frame base (DW_AT_frame_base), for DW_OP_fbreg. */
  frameBase(): number;
  /** The canonical frame address (DW_OP_call_frame_cfa); absent: cannot be evaluated. */
  cfa?(): number;
  /** Resolves DW_OP_addrx / constx indices through .debug_addr. */
  addrIndex?(index: number): number;
}

/** Where an object is (DWARF 5 section 2.6), after evaluating its location expression. */
export type Location =
  | { readonly kind: 'memory'; readonly addr: number }
  | { readonly kind: 'register'; readonly reg: number }
  /** The object is not stored anywhere; this is its value (DW_OP_stack_value). */
  | { readonly kind: 'value'; readonly value: number }
  /** The object's bytes are given literally (DW_OP_implicit_value). */
  | { readonly kind: 'implicit'; readonly bytes: Uint8Array }
  /** The object is split in parts (DW_OP_piece / DW_OP_bit_piece), in order from its start. */
  | { readonly kind: 'pieces'; readonly pieces: readonly Piece[] }
  /** Optimised out here (empty expression, or no location-list entry covers the pc). */
  | { readonly kind: 'optimized-out' }
  /** The expression needs something the debugger cannot know (entry values, TLS...). */
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface Piece {
  /** Size of this part in bits (a DW_OP_piece of n bytes is 8n bits). */
  readonly bits: number;
  /** Bit offset within the location the part comes from (DW_OP_bit_piece). */
  readonly offsetBits: number;
  readonly location: Location;
}

export interface EvalOptions extends Partial<ExprFormat> {
  /** File name for error messages. */
  readonly file?: string;
  /** Values to push before evaluation (DWARF CFI expressions start with the CFA pushed). */
  readonly initialStack?: readonly number[];
}

const MAX_STEPS = 10_000; // DW_OP_skip / DW_OP_bra can loop; real expressions run a handful of ops

/**
 * Thrown by an EvalContext callback (or inside the evaluator) when a value the expression
 * needs cannot be had; evalLocation turns it into { kind: 'unavailable', reason }.
 */
export class LocationUnavailable extends Error {
  override readonly name = 'LocationUnavailable';
}

/**
 * Evaluates a location expression. Arithmetic is on 32-bit values (the i386 generic type):
 * results wrap to unsigned 32 bits, comparisons and division are signed as DWARF says.
 * A malformed expression (stack underflow, bad branch) is a SymbolError.
 */
export function evalLocation(expr: Uint8Array, ctx: EvalContext, opts: EvalOptions = {}): Location {
  const file = opts.file ?? '<expression>';
  const fmt = { addrSize: opts.addrSize ?? DEFAULT_FORMAT.addrSize, offsetSize: opts.offsetSize ?? DEFAULT_FORMAT.offsetSize };
  if (expr.length === 0) return { kind: 'optimized-out' };
  const ops = decodeExpr(expr, file, fmt);
  try {
    return run(ops, ctx, file, opts.initialStack ?? []);
  } catch (e) {
    if (e instanceof LocationUnavailable) return { kind: 'unavailable', reason: e.message };
    throw e;
  }
}

/**
 * The value of a DW_AT_frame_base expression: the address it describes (call_frame_cfa,
 * breg5), or the contents of the register it names (older gcc wrote DW_OP_reg5 to mean
 * "the frame base is ebp").
 */
export function evalFrameBase(expr: Uint8Array, ctx: Omit<EvalContext, 'frameBase'>, opts: EvalOptions = {}): number | undefined {
  const loc = evalLocation(expr, { ...ctx, frameBase: () => { throw new LocationUnavailable('DW_OP_fbreg inside a frame base'); } }, opts);
  switch (loc.kind) {
    case 'memory': return loc.addr;
    case 'register': return ctx.reg(loc.reg) >>> 0;
    case 'value': return loc.value;
    default: return undefined;
  }
}

function run(ops: readonly Op[], ctx: EvalContext, file: string, initial: readonly number[]): Location {
  const stack: number[] = initial.map((v) => v >>> 0);
  const fail = (op: Op, problem: string): never => {
    throw new SymbolError(file, `DWARF expression at offset ${op.offset} (DW_OP_${op.name}): ${problem}`);
  };
  const pop = (op: Op): number => {
    const v = stack.pop();
    return v === undefined ? fail(op, 'stack underflow') : v;
  };
  const num = (v: number | bigint | undefined): number => (typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : (v ?? 0));
  const read = (addr: number, len: number): number => {
    const bytes = ctx.readMemory(addr >>> 0, len);
    if (bytes === undefined || bytes.length < len) throw new LocationUnavailable(`cannot read memory at 0x${(addr >>> 0).toString(16)}`);
    let v = 0;
    for (let i = len - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    return v >>> 0;
  };
  const byOffset = new Map(ops.map((op, i) => [op.offset, i]));
  const endOffset = ops.length === 0 ? 0 : ops[ops.length - 1]!.offset + 1;

  const pieces: Piece[] = [];
  let pending: Location | undefined; // a register / value / implicit part awaiting its piece
  let steps = 0;
  for (let i = 0; i < ops.length; i++) {
    if (++steps > MAX_STEPS) fail(ops[i]!, `more than ${MAX_STEPS} operations executed (a loop?)`);
    const op = ops[i]!;
    const c = op.code;
    const a = op.args[0];
    if (c >= 0x30 && c <= 0x4f) { stack.push(c - 0x30); continue; }
    if (c >= 0x50 && c <= 0x6f) { pending = { kind: 'register', reg: c - 0x50 }; continue; }
    if (c >= 0x70 && c <= 0x8f) { stack.push((ctx.reg(c - 0x70) + num(a)) >>> 0); continue; }
    switch (op.name) {
      case 'addr': case 'const1u': case 'const1s': case 'const2u': case 'const2s': case 'const4u': case 'const4s':
      case 'const8u': case 'const8s': case 'constu': case 'consts':
        stack.push(num(a) >>> 0);
        break;
      case 'addrx': case 'constx': case 'GNU_addr_index': case 'GNU_const_index':
        if (ctx.addrIndex === undefined) throw new LocationUnavailable(`DW_OP_${op.name} without .debug_addr`);
        stack.push(ctx.addrIndex(num(a)) >>> 0);
        break;
      case 'fbreg':
        stack.push((ctx.frameBase() + num(a)) >>> 0);
        break;
      case 'bregx':
        stack.push((ctx.reg(num(a)) + num(op.args[1])) >>> 0);
        break;
      case 'regx':
        pending = { kind: 'register', reg: num(a) };
        break;
      case 'call_frame_cfa':
        if (ctx.cfa === undefined) throw new LocationUnavailable('the canonical frame address is not known here');
        stack.push(ctx.cfa() >>> 0);
        break;
      case 'dup': { const v = pop(op); stack.push(v, v); break; }
      case 'drop': pop(op); break;
      case 'over': { if (stack.length < 2) fail(op, 'stack underflow'); stack.push(stack[stack.length - 2]!); break; }
      case 'pick': { const k = num(a); if (k >= stack.length) fail(op, 'stack underflow'); stack.push(stack[stack.length - 1 - k]!); break; }
      case 'swap': { const x = pop(op); const y = pop(op); stack.push(x, y); break; }
      case 'rot': { const x = pop(op); const y = pop(op); const z = pop(op); stack.push(x, z, y); break; }
      case 'deref': stack.push(read(pop(op), 4)); break;
      case 'deref_size': { const n = num(a); if (n < 1 || n > 4) fail(op, `size ${n}`); stack.push(read(pop(op), n)); break; }
      case 'abs': { const v = pop(op) | 0; stack.push(Math.abs(v) >>> 0); break; }
      case 'neg': stack.push(-pop(op) >>> 0); break;
      case 'not': stack.push(~pop(op) >>> 0); break;
      case 'plus_uconst': stack.push((pop(op) + num(a)) >>> 0); break;
      case 'and': case 'div': case 'minus': case 'mod': case 'mul': case 'or': case 'plus': case 'shl': case 'shr':
      case 'shra': case 'xor': case 'eq': case 'ge': case 'gt': case 'le': case 'lt': case 'ne': {
        const y = pop(op);
        const x = pop(op);
        stack.push(binary(op, x, y, fail) >>> 0);
        break;
      }
      case 'skip': case 'bra': {
        if (op.name === 'bra' && pop(op) === 0) break;
        const target = op.offset + 3 + num(a);
        if (target === endOffset) { i = ops.length; break; }
        const j = byOffset.get(target) ?? fail(op, `branch to offset ${target}, which is not an operation`);
        i = j - 1;
        break;
      }
      case 'nop': break;
      case 'stack_value': pending = { kind: 'value', value: pop(op) }; break;
      case 'implicit_value': pending = { kind: 'implicit', bytes: op.block! }; break;
      case 'piece': case 'bit_piece': {
        const bits = op.name === 'piece' ? num(a) * 8 : num(a);
        const offsetBits = op.name === 'piece' ? 0 : num(op.args[1]);
        const top = stack.pop();
        const location: Location = pending ?? (top !== undefined ? { kind: 'memory', addr: top } : { kind: 'optimized-out' });
        pieces.push({ bits, offsetBits, location });
        pending = undefined;
        stack.length = 0;
        break;
      }
      default:
        // entry values, TLS, typed stack operations, implicit pointers: not computable here.
        throw new LocationUnavailable(`DW_OP_${op.name} is not supported`);
    }
  }
  if (pieces.length > 0) return { kind: 'pieces', pieces };
  if (pending !== undefined) return pending;
  const top = stack[stack.length - 1];
  return top === undefined ? { kind: 'optimized-out' } : { kind: 'memory', addr: top };
}

function binary(op: Op, x: number, y: number, fail: (op: Op, p: string) => never): number {
  const sx = x | 0;
  const sy = y | 0;
  switch (op.name) {
    case 'and': return x & y;
    case 'or': return x | y;
    case 'xor': return x ^ y;
    case 'plus': return x + y;
    case 'minus': return x - y;
    case 'mul': return Math.imul(x, y);
    case 'div': if (sy === 0) fail(op, 'division by zero'); return Math.trunc(sx / sy);
    case 'mod': if (y === 0) fail(op, 'division by zero'); return x % y;
    case 'shl': return y >= 32 ? 0 : x << y;
    case 'shr': return y >= 32 ? 0 : x >>> y;
    case 'shra': return sx >> Math.min(y, 31);
    case 'eq': return sx === sy ? 1 : 0;
    case 'ne': return sx !== sy ? 1 : 0;
    case 'lt': return sx < sy ? 1 : 0;
    case 'le': return sx <= sy ? 1 : 0;
    case 'gt': return sx > sy ? 1 : 0;
    case 'ge': return sx >= sy ? 1 : 0;
    default: return fail(op, 'not a binary operation');
  }
}
