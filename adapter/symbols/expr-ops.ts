import { Cursor } from './cursor.js';

/**
 * DWARF expression opcodes (DWARF 5 section 7.7.1 plus the GNU ones gcc emits) and a decoder
 * that splits an expression into operations with their operands. The evaluator and the
 * readelf-style formatter both work on the decoded form.
 */

/** How an opcode's operands are encoded. */
type Operands =
  | 'none' | 'addr' | 'u1' | 's1' | 'u2' | 's2' | 'u4' | 's4' | 'u8' | 's8' | 'uleb' | 'sleb'
  | 'uleb,sleb' | 'uleb,uleb' | 'block' | 'offset' | 'offset,sleb' | 'uleb,u1block' | 'u1,uleb';

const TABLE: Record<number, [string, Operands]> = {
  0x03: ['addr', 'addr'],
  0x06: ['deref', 'none'],
  0x08: ['const1u', 'u1'],
  0x09: ['const1s', 's1'],
  0x0a: ['const2u', 'u2'],
  0x0b: ['const2s', 's2'],
  0x0c: ['const4u', 'u4'],
  0x0d: ['const4s', 's4'],
  0x0e: ['const8u', 'u8'],
  0x0f: ['const8s', 's8'],
  0x10: ['constu', 'uleb'],
  0x11: ['consts', 'sleb'],
  0x12: ['dup', 'none'],
  0x13: ['drop', 'none'],
  0x14: ['over', 'none'],
  0x15: ['pick', 'u1'],
  0x16: ['swap', 'none'],
  0x17: ['rot', 'none'],
  0x18: ['xderef', 'none'],
  0x19: ['abs', 'none'],
  0x1a: ['and', 'none'],
  0x1b: ['div', 'none'],
  0x1c: ['minus', 'none'],
  0x1d: ['mod', 'none'],
  0x1e: ['mul', 'none'],
  0x1f: ['neg', 'none'],
  0x20: ['not', 'none'],
  0x21: ['or', 'none'],
  0x22: ['plus', 'none'],
  0x23: ['plus_uconst', 'uleb'],
  0x24: ['shl', 'none'],
  0x25: ['shr', 'none'],
  0x26: ['shra', 'none'],
  0x27: ['xor', 'none'],
  0x28: ['bra', 's2'],
  0x29: ['eq', 'none'],
  0x2a: ['ge', 'none'],
  0x2b: ['gt', 'none'],
  0x2c: ['le', 'none'],
  0x2d: ['lt', 'none'],
  0x2e: ['ne', 'none'],
  0x2f: ['skip', 's2'],
  0x90: ['regx', 'uleb'],
  0x91: ['fbreg', 'sleb'],
  0x92: ['bregx', 'uleb,sleb'],
  0x93: ['piece', 'uleb'],
  0x94: ['deref_size', 'u1'],
  0x95: ['xderef_size', 'u1'],
  0x96: ['nop', 'none'],
  0x97: ['push_object_address', 'none'],
  0x98: ['call2', 'u2'],
  0x99: ['call4', 'u4'],
  0x9a: ['call_ref', 'offset'],
  0x9b: ['form_tls_address', 'none'],
  0x9c: ['call_frame_cfa', 'none'],
  0x9d: ['bit_piece', 'uleb,uleb'],
  0x9e: ['implicit_value', 'block'],
  0x9f: ['stack_value', 'none'],
  0xa0: ['implicit_pointer', 'offset,sleb'],
  0xa1: ['addrx', 'uleb'],
  0xa2: ['constx', 'uleb'],
  0xa3: ['entry_value', 'block'],
  0xa4: ['const_type', 'uleb,u1block'],
  0xa5: ['regval_type', 'uleb,uleb'],
  0xa6: ['deref_type', 'u1,uleb'],
  0xa7: ['xderef_type', 'u1,uleb'],
  0xa8: ['convert', 'uleb'],
  0xa9: ['reinterpret', 'uleb'],
  0xe0: ['GNU_push_tls_address', 'none'],
  0xf0: ['GNU_uninit', 'none'],
  0xf2: ['GNU_implicit_pointer', 'offset,sleb'],
  0xf3: ['GNU_entry_value', 'block'],
  0xf4: ['GNU_const_type', 'uleb,u1block'],
  0xf5: ['GNU_regval_type', 'uleb,uleb'],
  0xf6: ['GNU_deref_type', 'u1,uleb'],
  0xf7: ['GNU_convert', 'uleb'],
  0xf9: ['GNU_reinterpret', 'uleb'],
  0xfa: ['GNU_parameter_ref', 'u4'],
  0xfb: ['GNU_addr_index', 'uleb'],
  0xfc: ['GNU_const_index', 'uleb'],
  0xfd: ['GNU_variable_value', 'offset'],
};

export const OP = {
  addr: 0x03, deref: 0x06, lit0: 0x30, lit31: 0x4f, reg0: 0x50, reg31: 0x6f, breg0: 0x70, breg31: 0x8f,
  regx: 0x90, fbreg: 0x91, bregx: 0x92, piece: 0x93, call_frame_cfa: 0x9c, bit_piece: 0x9d,
  implicit_value: 0x9e, stack_value: 0x9f, entry_value: 0xa3, GNU_entry_value: 0xf3,
} as const;

export interface Op {
  readonly code: number;
  /** Name without the DW_OP_ prefix, e.g. "fbreg", "breg5", "lit0". */
  readonly name: string;
  /** Offset of the opcode byte within the expression (branch targets are offsets). */
  readonly offset: number;
  /** Numeric operands in encoding order (8-byte constants as bigint). */
  readonly args: readonly (number | bigint)[];
  /** Block operand (implicit_value, entry_value, const_type). */
  readonly block?: Uint8Array;
}

export interface ExprFormat {
  readonly addrSize: number;
  readonly offsetSize: 4 | 8;
}

export const DEFAULT_FORMAT: ExprFormat = { addrSize: 4, offsetSize: 4 };

export function opName(code: number): string | undefined {
  if (code >= 0x30 && code <= 0x4f) return `lit${code - 0x30}`;
  if (code >= 0x50 && code <= 0x6f) return `reg${code - 0x50}`;
  if (code >= 0x70 && code <= 0x8f) return `breg${code - 0x70}`;
  return TABLE[code]?.[0];
}

/**
 * Splits an expression into operations. Malformed bytes (an unknown opcode, a truncated
 * operand) throw a SymbolError naming `file`.
 */
export function decodeExpr(expr: Uint8Array, file: string, fmt: ExprFormat = DEFAULT_FORMAT): Op[] {
  const c = new Cursor(expr, file, 'DWARF expression');
  const ops: Op[] = [];
  while (!c.atEnd) {
    const offset = c.pos;
    const code = c.u8();
    const name = opName(code) ?? c.fail(`unknown DW_OP 0x${code.toString(16)}`, offset);
    let kind: Operands = TABLE[code]?.[1] ?? 'none';
    if (code >= 0x70 && code <= 0x8f) kind = 'sleb';
    const args: (number | bigint)[] = [];
    let block: Uint8Array | undefined;
    switch (kind) {
      case 'none': break;
      case 'addr': args.push(c.uN(fmt.addrSize)); break;
      case 'u1': args.push(c.u8()); break;
      case 's1': args.push(c.i8()); break;
      case 'u2': args.push(c.u16()); break;
      case 's2': args.push(c.i16()); break;
      case 'u4': args.push(c.u32()); break;
      case 's4': args.push(c.i32()); break;
      case 'u8': args.push(c.u64big()); break;
      case 's8': args.push(BigInt.asIntN(64, c.u64big())); break;
      case 'uleb': args.push(c.ulebBig()); break;
      case 'sleb': args.push(c.slebBig()); break;
      case 'uleb,sleb': args.push(c.uleb(), c.slebBig()); break;
      case 'uleb,uleb': args.push(c.uleb(), c.uleb()); break;
      case 'block': block = c.bytesOf(c.uleb()); break;
      case 'offset': args.push(c.uN(fmt.offsetSize)); break;
      case 'offset,sleb': args.push(c.uN(fmt.offsetSize), c.slebBig()); break;
      case 'uleb,u1block': args.push(c.uleb()); block = c.bytesOf(c.u8()); break;
      case 'u1,uleb': args.push(c.u8(), c.uleb()); break;
    }
    ops.push({ code, name, offset, args: args.map(narrow), ...(block ? { block } : {}) });
  }
  return ops;
}

/** LEB operands as numbers when they fit (nearly always), bigint otherwise. */
function narrow(v: number | bigint): number | bigint {
  if (typeof v === 'number') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
