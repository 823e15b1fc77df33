import { registerName } from './dwarf-constants.js';
import { DEFAULT_FORMAT, decodeExpr, type ExprFormat, type Op } from './expr-ops.js';

/**
 * An expression as readelf prints it ("DW_OP_fbreg: -20", "DW_OP_breg5 (ebp): 8",
 * "DW_OP_addr: 804a01c", operations joined by "; "). The same text the student sees from
 * binutils, so a hover or a debug-console command can show where a variable lives, and the
 * tests can compare with readelf directly.
 */
export function formatExpr(expr: Uint8Array, file = '<expression>', fmt: ExprFormat = DEFAULT_FORMAT): string {
  return decodeExpr(expr, file, fmt).map((op) => formatOp(op, file, fmt)).join('; ');
}

function formatOp(op: Op, file: string, fmt: ExprFormat): string {
  const n = `DW_OP_${op.name}`;
  const [a, b] = op.args;
  const code = op.code;
  if (code >= 0x50 && code <= 0x6f) return `${n} (${registerName(code - 0x50)})`;
  if (code >= 0x70 && code <= 0x8f) return `${n} (${registerName(code - 0x70)}): ${String(a)}`;
  switch (op.name) {
    case 'addr':
      return `${n}: ${a!.toString(16)}`;
    case 'regx':
      return `${n}: ${String(a)} (${registerName(Number(a))})`;
    case 'bregx':
      return `${n}: ${String(a)} (${registerName(Number(a))}) ${String(b)}`;
    case 'bit_piece':
      return `${n}: size: ${String(a)} offset: ${String(b)} `;
    case 'implicit_value':
      return `${n} ${op.block!.length} byte block: ${[...op.block!].map((x) => x.toString(16)).join(' ')} `;
    case 'entry_value':
    case 'GNU_entry_value':
      return `${n}: (${formatExpr(op.block!, file, fmt)})`;
    case 'call2':
    case 'call4':
    case 'call_ref':
    case 'convert':
    case 'GNU_convert':
    case 'reinterpret':
    case 'GNU_reinterpret':
    case 'GNU_variable_value':
      return `${n} <0x${a!.toString(16)}>`;
    case 'implicit_pointer':
    case 'GNU_implicit_pointer':
      return `${n}: <0x${a!.toString(16)}> ${String(b)}`;
    case 'regval_type':
    case 'GNU_regval_type':
      return `${n}: ${String(a)} (${registerName(Number(a))}) <0x${b!.toString(16)}>`;
    case 'deref_type':
    case 'GNU_deref_type':
      return `${n}: ${String(a)} <0x${b!.toString(16)}>`;
    default:
      return a === undefined ? n : `${n}: ${op.args.map(String).join(' ')}`;
  }
}
