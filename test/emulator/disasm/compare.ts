// Compares disassemble() and the decoder's lengths with objdump's listing, line by line.
import { decode } from '../../../emulator/cpu/decode.js';
import { OPCODE_TABLE } from '../../../emulator/cpu/optable.js';
import type { Machine } from '../../../emulator/machine.js';
import { disassemble } from '../../../emulator/disasm.js';
import { prefixBytesFromInsn, prefixBytesOf } from '../../../emulator/disasm/prefixes.js';
import type { ObjdumpLine } from './objdump.js';

export interface Mismatch {
  addr: number;
  bytes: string;
  objdump: string;
  ours: string;
  objdumpLen: number;
  ourLen: number;
}

export interface Comparison {
  /** Instructions whose text (and length) were compared. */
  compared: number;
  /** objdump decoded them, the table has no entry for them yet. */
  skipped: number;
  skippedSamples: string[];
  mismatches: Mismatch[];
}

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

/**
 * Whether the opcode table has an entry for these bytes (opcode, ModRM.reg group, reg/mem form,
 * mandatory prefix). When it has none, an undecoded instruction is "not in the table yet".
 */
export function tableKnows(bytes: readonly number[]): boolean {
  let p = 0;
  const prefixes: number[] = [];
  while (p < bytes.length && PREFIXES.has(bytes[p])) prefixes.push(bytes[p++]);
  let opcode = bytes[p++];
  if (opcode === 0x0f) opcode = 0x0f00 | bytes[p++];
  const modrm = bytes[p];
  return OPCODE_TABLE.some((d) => {
    if (d.opcode !== opcode) return false;
    if (d.ext !== undefined && (modrm === undefined || ((modrm >> 3) & 7) !== d.ext)) return false;
    if (d.modIs === 'reg' && (modrm === undefined || modrm < 0xc0)) return false;
    if (d.modIs === 'mem' && (modrm === undefined || modrm >= 0xc0)) return false;
    if (d.rm !== undefined && (modrm === undefined || (modrm & 7) !== d.rm)) return false;
    if (d.mandatory !== undefined && !prefixes.includes(d.mandatory)) return false;
    return true;
  });
}

function hexBytes(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Decodes every line's address in `m` and compares with objdump's text and byte count. */
export function compareListing(m: Machine, lines: readonly ObjdumpLine[]): Comparison {
  const res: Comparison = { compared: 0, skipped: 0, skippedSamples: [], mismatches: [] };
  for (const line of lines) {
    let ours: string;
    let ourLen: number;
    let known: boolean;
    try {
      const insn = decode(m.cpu, line.addr);
      ourLen = insn.len;
      known = insn.def !== null;
      const bytes = Array.from(m.mem.u8.subarray(line.addr, line.addr + insn.len));
      ours = disassemble(insn, line.addr, bytes);
      // Without the bytes, prefixes are rebuilt in gas's order: the same text when they are in it.
      if (String(prefixBytesOf(bytes, insn.len)) === String(prefixBytesFromInsn(insn))) {
        const alone = disassemble(insn, line.addr);
        if (alone !== ours) ours = `${ours} / without bytes: ${alone}`;
      }
    } catch (e) {
      ours = `threw: ${(e as Error).message}`;
      ourLen = 0;
      known = false;
    }
    const isBad = /\(bad\)$/.test(line.text);
    if (!known && !isBad && !tableKnows(line.bytes)) {
      res.skipped++;
      if (res.skippedSamples.length < 400) res.skippedSamples.push(`${hexBytes(line.bytes)}  ${line.text}`);
      continue;
    }
    res.compared++;
    // objdump's length for an undecodable instruction is its own business (often just the opcode).
    const lenOk = ourLen === line.bytes.length || (isBad && ours.endsWith('(bad)'));
    // When both reject the bytes, which prefixes objdump names in front of "(bad)" is beyond what
    // the decoder accepts, so only the rejection itself is compared.
    const textOk = ours === line.text || (!known && isBad && ours.endsWith('(bad)'));
    if (!textOk || !lenOk) {
      res.mismatches.push({
        addr: line.addr, bytes: hexBytes(line.bytes), objdump: line.text, ours, objdumpLen: line.bytes.length, ourLen,
      });
    }
  }
  return res;
}

export function formatMismatches(ms: readonly Mismatch[], max = 60): string {
  return ms.slice(0, max).map((x) =>
    `${x.addr.toString(16)}: ${x.bytes.padEnd(30)} objdump: ${JSON.stringify(x.objdump)} (${x.objdumpLen})  ours: ${JSON.stringify(x.ours)} (${x.ourLen})`,
  ).join('\n');
}
