// Runs a batch program on the host CPU and decodes what it printed: a header with the segment
// selectors, then one final machine state per case.
import type { MachineState } from './gen/case.js';
import { DATA_SIZE, HEADER_BYTES, LOW_SIZE, OUT_MAGIC, REGS_BYTES, STACK_SIZE, STATE_BYTES } from './layout.js';
import { run } from './toolchain.js';

export interface NativeResult {
  /** ES CS SS DS FS GS as the host set them (push %ds etc. must push these in the emulator too). */
  selectors: number[];
  states: MachineState[];
  /** Set when the program died: the case after the last complete record is the culprit. */
  crash?: string;
}

export function decodeState(buf: Uint8Array, offset: number): MachineState {
  const dv = new DataView(buf.buffer, buf.byteOffset + offset, STATE_BYTES);
  const regs: number[] = [];
  for (let r = 0; r < 8; r++) regs.push(dv.getUint32(4 * r, true));
  const part = (from: number, len: number): Uint8Array => buf.slice(offset + from, offset + from + len);
  return {
    regs,
    eflags: dv.getUint32(32, true),
    data: part(REGS_BYTES, DATA_SIZE),
    stack: part(REGS_BYTES + DATA_SIZE, STACK_SIZE),
    low: part(REGS_BYTES + DATA_SIZE + STACK_SIZE, LOW_SIZE),
  };
}

export function runNative(elfPath: string, expectedCases: number): NativeResult {
  const r = run(elfPath, []);
  const out = new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength);
  if (out.length < HEADER_BYTES) {
    throw new Error(`native run printed ${out.length} bytes (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  }
  const dv = new DataView(out.buffer, out.byteOffset, HEADER_BYTES);
  if (dv.getUint32(0, true) !== OUT_MAGIC) throw new Error('native run: bad output header');
  const count = dv.getUint32(4, true);
  if (count !== expectedCases) throw new Error(`native run reports ${count} cases, expected ${expectedCases}`);
  const selectors: number[] = [];
  for (let k = 0; k < 6; k++) selectors.push(dv.getUint16(8 + 2 * k, true));
  const states: MachineState[] = [];
  for (let o = HEADER_BYTES; o + STATE_BYTES <= out.length; o += STATE_BYTES) states.push(decodeState(out, o));
  const result: NativeResult = { selectors, states };
  if (r.status !== 0 || states.length !== count) {
    result.crash = `native program stopped in case ${states.length} (status ${r.status}, signal ${r.signal})`;
  }
  return result;
}
