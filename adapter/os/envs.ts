// The teaching kernel's process table, read through its symbols: `envs` (struct Env[NENV]) and
// `curenv`. The layout comes from the kernel's DWARF (struct Env), so a rebuilt kernel with other
// offsets still reads right; samples/kernel/README.md documents the fields.
import type { Machine } from '../../emulator/machine.js';
import { findMember, sizeOf, strip, type ProgramSymbols } from '../symbols/index.js';
import { readVirtual, readVirtual32 } from '../vm.js';

export const ENV_STATUS = ['free', 'dying', 'runnable', 'running', 'blocked', 'zombie', 'embryo'];

export interface EnvInfo {
  index: number;
  id: number;
  parentId: number;
  status: number;
  statusText: string;
  name: string;
  cr3: number;
  /** Kernel address of env_tf, the registers saved when it last entered the kernel. */
  trapFrame: number;
}

interface Layout {
  envsAddr: number;
  curenvAddr: number;
  count: number;
  size: number;
  off: { id: number; parent: number; status: number; cr3: number; name: number; nameLen: number; tf: number };
}

/** Reads the environments of a kernel that has `envs` and `curenv`; null for other kernels. */
export class EnvTable {
  private readonly layout: Layout | null;

  constructor(private readonly kernel: ProgramSymbols) {
    this.layout = EnvTable.findLayout(kernel);
  }

  get available(): boolean {
    return this.layout !== null;
  }

  private static findLayout(k: ProgramSymbols): Layout | null {
    const envs = k.globalNamed('envs');
    const cur = k.globalNamed('curenv');
    const envsAddr = envs ? k.elf.symbols.find((s) => s.name === 'envs')?.value : undefined;
    const curAddr = cur ? k.elf.symbols.find((s) => s.name === 'curenv')?.value : undefined;
    if (!envs || envsAddr === undefined || curAddr === undefined) return null;
    const arr = strip(envs.type);
    if (arr.kind !== 'array') return null;
    const elem = arr.element;
    const size = sizeOf(elem);
    const count = arr.count ?? Math.floor((k.elf.symbols.find((s) => s.name === "envs")?.size ?? 0) / (size ?? 1));
    const m = (n: string): number | undefined => findMember(elem, n)?.offset;
    const off = { id: m('env_id'), parent: m('env_parent_id'), status: m('env_status'), cr3: m('env_cr3'), name: m('env_name'), tf: m('env_tf') };
    if (size === undefined || Object.values(off).some((v) => v === undefined)) return null;
    const nameMember = findMember(elem, 'env_name');
    const nameType = nameMember ? strip(nameMember.member.type) : undefined;
    const nameLen = nameType && nameType.kind === "array" ? (nameType.count ?? 32) : 32;
    return { envsAddr, curenvAddr: curAddr, count, size, off: { ...(off as Record<keyof typeof off, number>), nameLen } };
  }

  /** Every environment that is not free. */
  list(m: Machine): EnvInfo[] {
    const L = this.layout;
    if (!L) return [];
    const kernelCr3 = null; // kernel addresses are mapped in every address space
    const out: EnvInfo[] = [];
    const bytes = readVirtual(m, L.envsAddr, L.size * L.count, kernelCr3);
    if (!bytes) return [];
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < L.count; i++) {
      const base = i * L.size;
      const status = dv.getUint32(base + L.off.status, true);
      if (status === 0) continue;
      let name = '';
      for (let c = 0; c < L.off.nameLen; c++) {
        const ch = bytes[base + L.off.name + c];
        if (!ch) break;
        name += String.fromCharCode(ch);
      }
      out.push({
        index: i,
        id: dv.getUint32(base + L.off.id, true),
        parentId: dv.getUint32(base + L.off.parent, true),
        status,
        statusText: ENV_STATUS[status] ?? `status ${status}`,
        name,
        cr3: dv.getUint32(base + L.off.cr3, true),
        trapFrame: (L.envsAddr + base + L.off.tf) >>> 0,
      });
    }
    return out;
  }

  /** The environment on the CPU (curenv), or undefined in pure kernel context. */
  current(m: Machine): EnvInfo | undefined {
    const L = this.layout;
    if (!L) return undefined;
    const p = readVirtual32(m, L.curenvAddr);
    if (!p) return undefined;
    const index = Math.round((p - L.envsAddr) / L.size);
    return this.list(m).find((e) => e.index === index);
  }
}
