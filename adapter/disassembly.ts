// Disassembly for the client's Disassembly view: AT&T text from the emulator's own decoder, with
// symbols and source lines, read side-effect free through the current address space.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { disassemble } from '../emulator/disasm.js';
import { decode } from '../emulator/cpu/decode.js';
import { Machine } from '../emulator/machine.js';
import { readVirtualPartial } from './vm.js';
import type { Runtime } from './runtime.js';

const MAX_INSN = 15;

/**
 * Decodes from a private scratch machine holding a copy of the bytes, so decoding never touches
 * the guest (no TLB fill, no A bits, no faults).
 */
let scratch: Machine | null = null;
function decodeCopy(bytes: Uint8Array, addr: number): { text: string; len: number } {
  scratch ??= new Machine({ memory: 1 << 20 });
  const at = 0x1000;
  scratch.mem.u8.fill(0, at, at + 32);
  scratch.mem.u8.set(bytes.subarray(0, MAX_INSN), at);
  const insn = decode(scratch.cpu, at);
  // Relative targets are printed against the real address.
  return { text: disassemble(insn, addr, Array.from(bytes.subarray(0, insn.len))), len: insn.len };
}

export function disassembleRange(rt: Runtime, address: number, instructionOffset: number, count: number, symbols: boolean): DebugProtocol.DisassembledInstruction[] {
  // Negative instruction offsets: walk back from known instruction starts (function starts).
  let addr = address;
  if (instructionOffset < 0) addr = findStartBefore(rt, address, -instructionOffset);
  else if (instructionOffset > 0) {
    for (let k = 0; k < instructionOffset; k++) addr = (addr + decodeAt(rt, addr).len) >>> 0;
  }
  const out: DebugProtocol.DisassembledInstruction[] = [];
  let lastLine = '';
  for (let k = 0; k < count; k++) {
    const d = decodeAt(rt, addr);
    const sym = rt.symbolsAt(addr);
    const loc = sym?.lineForAddress(addr);
    const ins: DebugProtocol.DisassembledInstruction = {
      address: '0x' + addr.toString(16).padStart(8, '0'),
      instructionBytes: d.bytes,
      instruction: d.text,
    };
    const fn = symbols ? sym?.functionAt(addr) : undefined;
    if (fn && fn.start === addr) ins.symbol = fn.name;
    if (loc) {
      const key = `${loc.file}:${loc.line}`;
      if (key !== lastLine) {
        ins.location = { path: loc.file, name: loc.file.split('/').pop() };
        ins.line = loc.line;
        lastLine = key;
      }
    }
    if (d.unreadable) ins.presentationHint = 'invalid';
    out.push(ins);
    addr = (addr + d.len) >>> 0;
  }
  return out;
}

function decodeAt(rt: Runtime, addr: number): { text: string; len: number; bytes: string; unreadable: boolean } {
  const { bytes, readable } = readVirtualPartial(rt.machine, addr, MAX_INSN);
  if (readable === 0) return { text: '(unmapped)', len: 1, bytes: '', unreadable: true };
  const d = decodeCopy(bytes, addr);
  const len = Math.min(d.len, readable) || 1;
  return { text: d.text, len, bytes: Array.from(bytes.subarray(0, len), (b) => b.toString(16).padStart(2, '0')).join(' '), unreadable: false };
}

function findStartBefore(rt: Runtime, address: number, back: number): number {
  const sym = rt.symbolsAt(address);
  const fn = sym?.functionAt(address);
  let start = fn ? fn.start : Math.max(0, address - back * 4);
  const starts: number[] = [];
  for (let a = start; a < address && starts.length < 100000; ) {
    starts.push(a);
    a = (a + decodeAt(rt, a).len) >>> 0;
  }
  if (starts.length >= back) return starts[starts.length - back];
  // Not enough instructions before: pad with whatever decodes from further back.
  start = Math.max(0, (starts[0] ?? address) - (back - starts.length) * 2);
  return start >>> 0;
}
