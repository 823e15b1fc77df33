// The trap log: the recent traps and system calls, strace-style
// ("read(0, 0xffffffff01000000, 512) = -1 EFAULT (Bad address)"), recorded from the vector hook
// and completed when the environment returns to ring 3.
import { VECTOR_MNEMONICS, VECTOR_NAMES } from '../emulator/cpu/fault.js';
import { Source, type VectorEvent } from '../emulator/cpu/interrupts.js';
import type { Machine } from '../emulator/machine.js';
import { decodePageFaultError } from '../emulator/inspect/index.js';

/** Linux i386 numbers, as samples/include/abi.h defines them, with each call's argument count. */
const SYSCALLS: Record<number, [string, number]> = {
  1: ['exit', 1], 2: ['fork', 0], 3: ['read', 3], 4: ['write', 3], 7: ['wait', 1], 11: ['exec', 2],
  13: ['time', 0], 20: ['getpid', 0], 45: ['sbrk', 1], 158: ['yield', 0],
};
const ERRNO: Record<number, [string, string]> = {
  1: ['EPERM', 'Operation not permitted'], 2: ['ENOENT', 'No such file or directory'], 3: ['ESRCH', 'No such process'],
  4: ['EINTR', 'Interrupted system call'], 5: ['EIO', 'Input/output error'], 9: ['EBADF', 'Bad file descriptor'],
  10: ['ECHILD', 'No child processes'], 11: ['EAGAIN', 'Resource temporarily unavailable'], 12: ['ENOMEM', 'Cannot allocate memory'],
  14: ['EFAULT', 'Bad address'], 22: ['EINVAL', 'Invalid argument'], 38: ['ENOSYS', 'Function not implemented'],
};

export interface TrapLogEntry {
  /** Instruction count when it happened (the machine clock). */
  icount: number;
  vector: number;
  /** Page directory of the environment it came from. */
  cr3: number;
  fromRing: number;
  eip: number;
  /** "read(0, 0xffffffff01000000, 512) = -1 EFAULT (Bad address)" or "#PF ... cr2 ..." */
  text: string;
  done: boolean;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

export class TrapLog {
  readonly entries: TrapLogEntry[] = [];
  private open = new Map<number, { entry: TrapLogEntry; call: string; number: number }>();

  constructor(private readonly limit = 1000) {}

  record(m: Machine, e: VectorEvent): void {
    const cpu = m.cpu;
    const r = cpu.regs;
    let text: string;
    let syscall = false;
    if (e.source === Source.Software && (e.vector === 0x30 || e.vector === 0x80)) {
      // JOS's int $0x30 passes arguments in edx, ecx, ebx, edi, esi; Linux's int $0x80 in ebx, ecx, edx, esi, edi.
      const order = e.vector === 0x30 ? [2, 1, 3, 7, 6] : [3, 1, 2, 6, 7];
      const n = r[0] >>> 0;
      const [name, argc] = SYSCALLS[n] ?? [`syscall_${n}`, 3];
      const args = order.slice(0, argc).map((k, i) => (name === 'read' || name === 'write') && i === 1 ? hex(r[k]) : String(r[k] | 0));
      text = `${name}(${args.join(', ')})`;
      syscall = true;
    } else {
      const mnem = VECTOR_MNEMONICS[e.vector] ?? (e.source === Source.External ? `IRQ ${e.vector - 32}` : `int ${hex(e.vector)}`);
      text = `${mnem} ${VECTOR_NAMES[e.vector] ?? ''}`.trim();
      if (e.vector === 14) text += ` err ${hex(e.errorCode)} ${decodePageFaultError(e.errorCode)} cr2 0x${e.cr2.toString(16).padStart(8, '0')}`;
      else if (e.errorCode >= 0) text += ` err ${hex(e.errorCode)}`;
    }
    const entry: TrapLogEntry = { icount: e.icount, vector: e.vector, cr3: cpu.cr3 >>> 0, fromRing: e.cplBefore, eip: e.eip, text, done: !syscall };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    if (syscall && e.cplBefore === 3) this.open.set(cpu.cr3 >>> 0, { entry, call: text, number: r[0] >>> 0 });
  }

  /** A return to ring 3: completes the pending system call of that address space with its result. */
  returned(m: Machine): void {
    const cr3 = m.cpu.cr3 >>> 0;
    const o = this.open.get(cr3);
    if (!o) return;
    this.open.delete(cr3);
    const v = m.cpu.regs[0] | 0;
    if (v < 0 && v >= -133) {
      const [name, words] = ERRNO[-v] ?? [`E${-v}`, `error ${-v}`];
      o.entry.text = `${o.call} = -1 ${name} (${words})`;
    } else {
      o.entry.text = `${o.call} = ${v}`;
    }
    o.entry.done = true;
  }
}
