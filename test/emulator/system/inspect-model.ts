// The probe matrix of kernels/inspect.c and its expected output, from the SDM's rules (vol. 3,
// 4.6 access rights, 4.7 error code), written independently of the emulator and its inspectors.

export type ProbeAccess = 'read' | 'write' | 'exec';

export interface ProbeSpec {
  wp: 0 | 1;
  cpl: 0 | 3;
  access: ProbeAccess;
  /** The address accessed: the page itself for fetches, page + 0x10 for data. */
  va: number;
}

/** One address of the matrix: rights of its PDE and PTE (no PTE for a 4 MiB page), or absent. */
interface Target {
  page: number;
  pde: { present: boolean; user: boolean; writable: boolean };
  pte?: { present: boolean; user: boolean; writable: boolean };
}

const COMBO_BASE = 0x48000000, NP_PDE = 0x49000000, BIG_BASE = 0x4a000000;
const rights = (combo: number) => ({ present: true, user: (combo & 1) !== 0, writable: (combo & 2) !== 0 });

/** Same order as inspect.c: 16 PDE x PTE combinations, a missing PTE, a missing PDE, 4 MiB pages. */
export const TARGETS: readonly Target[] = [
  ...[0, 1, 2, 3].flatMap((c) => [0, 1, 2, 3].map((d) => ({ page: COMBO_BASE + c * 0x400000 + d * 0x1000, pde: rights(c), pte: rights(d) }))),
  { page: COMBO_BASE + 0x4000, pde: rights(0), pte: { present: false, user: false, writable: false } },
  { page: NP_PDE, pde: { present: false, user: false, writable: false } },
  ...[0, 1, 2, 3].map((k) => ({ page: BIG_BASE + k * 0x400000, pde: rights(k) })),
];

export function probeSpecs(): Array<ProbeSpec & { target: Target }> {
  const out: Array<ProbeSpec & { target: Target }> = [];
  for (const wp of [1, 0] as const)
    for (const target of TARGETS)
      for (const cpl of [0, 3] as const)
        for (const access of ['read', 'write', 'exec'] as const)
          out.push({ wp, cpl, access, va: access === 'exec' ? target.page : target.page + 0x10, target });
  return out;
}

/** The #PF error code for a probe, or null when the access succeeds. */
export function sdmErrorCode(p: ProbeSpec & { target: Target }): number | null {
  const write = p.access === 'write' ? 2 : 0;
  const user = p.cpl === 3 ? 4 : 0;
  const levels = p.target.pte ? [p.target.pde, p.target.pte] : [p.target.pde];
  if (levels.some((l) => !l.present)) return write | user;
  const isUser = levels.every((l) => l.user);
  const isWritable = levels.every((l) => l.writable);
  // User mode: user pages only, writes need R/W everywhere. Supervisor: writes need it with WP.
  const denied = p.cpl === 3 ? !isUser || (write !== 0 && !isWritable) : write !== 0 && !isWritable && p.wp === 1;
  return denied ? 1 | write | user : null;
}

const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** The line the kernel prints for a probe (probe.c and runtime.c's report()). */
export function expectedLine(p: ProbeSpec & { target: Target }): string {
  const head = `wp=${p.wp} ring${p.cpl} ${p.access} 0x${hex8(p.va)}: `;
  const err = sdmErrorCode(p);
  if (err === null) return head + 'ok';
  const site = p.access === 'exec' ? 'target' : `${p.cpl === 3 ? 'u' : 'k'}_${p.access}_at`;
  // A ring 3 fetch comes from "call *%eax", which has pushed its return address.
  const user = p.cpl === 3 ? ` ss:esp=0x23:0x${hex8(p.access === 'exec' ? 0x7ffffc : 0x800000)}` : '';
  return `${head}#PF vec=14 err=0x${err.toString(16)} cr2=0x${hex8(p.va)} eip=${site} cs=0x${p.cpl === 3 ? '1b' : '8'}${user}`;
}

/** A printed probe line, parsed back. */
export interface ProbeResult extends ProbeSpec {
  line: string;
  errorCode: number | null;
  cr2: number | null;
}

export function parseProbes(output: string): ProbeResult[] {
  const re = /^wp=([01]) ring([03]) (read|write|exec) 0x([0-9a-f]{8}): (?:ok|#PF vec=14 err=0x([0-9a-f]+) cr2=0x([0-9a-f]{8}) .*)$/;
  const out: ProbeResult[] = [];
  for (const line of output.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    out.push({
      line,
      wp: m[1] === '1' ? 1 : 0,
      cpl: m[2] === '3' ? 3 : 0,
      access: m[3] as ProbeAccess,
      va: parseInt(m[4]!, 16),
      errorCode: m[5] === undefined ? null : parseInt(m[5], 16),
      cr2: m[6] === undefined ? null : parseInt(m[6], 16),
    });
  }
  return out;
}
