/**
 * The Multiboot information structure (MBI, Multiboot Specification 0.6.96, 3.3) and what hangs
 * off it: the module list, the BIOS-style memory map and the strings. Built as one byte block
 * for one physical address, so the caller can check it fits before writing anything.
 */

/** MBI flags: which fields are valid. */
const INFO_MEMORY = 1 << 0;
const INFO_CMDLINE = 1 << 2;
const INFO_MODS = 1 << 3;
const INFO_MEM_MAP = 1 << 6;
const INFO_BOOT_LOADER_NAME = 1 << 9;
const INFO_FRAMEBUFFER = 1 << 12;

/** Size of the MBI up to and including the framebuffer fields. */
const MBI_SIZE = 116;
const MODULE_ENTRY_SIZE = 16;
/** An mmap entry is a 4-byte size field followed by `size` (20) bytes. */
const MMAP_ENTRY_SIZE = 24;

/** The PC's conventional memory ends where the extended BIOS data area starts. */
export const EBDA_START = 0x9fc00;
const BIOS_ROM_START = 0xf0000;
const ONE_MIB = 0x100000;

const AVAILABLE = 1;
const RESERVED = 2;

export interface BootModule {
  readonly start: number;
  /** One past the last byte (GRUB and QEMU report it so). */
  readonly end: number;
  readonly string: string;
}

export interface BootInfoInput {
  readonly memorySize: number;
  readonly cmdline: string;
  readonly modules: readonly BootModule[];
  readonly bootLoaderName: string;
  /** Describe the console as a framebuffer (the kernel set header flags bit 2). */
  readonly video: boolean;
}

interface MemoryRange {
  readonly base: number;
  readonly length: number;
  readonly type: number;
}

/** The memory map a PC BIOS reports (e820), for a machine with `memorySize` bytes of RAM. */
export function memoryMap(memorySize: number): MemoryRange[] {
  return [
    { base: 0, length: EBDA_START, type: AVAILABLE },
    { base: EBDA_START, length: 0xa0000 - EBDA_START, type: RESERVED },
    // 0xa0000-0xf0000 (VGA memory, option ROMs) is a hole: not RAM, so not listed.
    { base: BIOS_ROM_START, length: ONE_MIB - BIOS_ROM_START, type: RESERVED },
    { base: ONE_MIB, length: memorySize - ONE_MIB, type: AVAILABLE },
  ];
}

/** Lays the structure out for physical address `base`; every pointer in it is absolute. */
export function buildBootInfo(input: BootInfoInput, base: number): Uint8Array {
  const encoder = new TextEncoder();
  const strings = [input.cmdline, ...input.modules.map((m) => m.string), input.bootLoaderName].map(
    (s) => encoder.encode(s + '\0'),
  );
  const map = memoryMap(input.memorySize);
  const modsAt = MBI_SIZE;
  const mmapAt = modsAt + input.modules.length * MODULE_ENTRY_SIZE;
  const stringsAt = mmapAt + map.length * MMAP_ENTRY_SIZE;
  const size = stringsAt + strings.reduce((n, s) => n + s.length, 0);

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const u32 = (at: number, v: number): void => view.setUint32(at, v >>> 0, true);
  const u64 = (at: number, v: number): void => {
    u32(at, v % 2 ** 32);
    u32(at + 4, Math.floor(v / 2 ** 32));
  };

  // Strings first, so the fields below can point at them.
  const stringAddress: number[] = [];
  let at = stringsAt;
  for (const s of strings) {
    bytes.set(s, at);
    stringAddress.push(base + at);
    at += s.length;
  }
  const [cmdlineAddress, ...rest] = stringAddress;
  const loaderNameAddress = rest[rest.length - 1];

  let flags = INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MEM_MAP | INFO_BOOT_LOADER_NAME;
  // mem_lower is 640 KiB as QEMU reports it (the kernels this runs are developed on QEMU);
  // mem_upper is the RAM from 1 MiB to the top, there being no hole below it here.
  u32(4, 640);
  u32(8, Math.floor((input.memorySize - ONE_MIB) / 1024));
  u32(16, cmdlineAddress ?? 0);
  u32(20, input.modules.length);
  u32(24, base + modsAt);
  u32(44, map.length * MMAP_ENTRY_SIZE);
  u32(48, base + mmapAt);
  u32(64, loaderNameAddress ?? 0);
  if (input.video) {
    // EGA text mode at 0xb8000, 80x25 characters of 2 bytes: the spec lets a loader give a
    // text mode whatever the kernel preferred, and it is the console a PC starts with.
    flags |= INFO_FRAMEBUFFER;
    u64(88, 0xb8000);
    u32(96, 160);
    u32(100, 80);
    u32(104, 25);
    bytes[108] = 16;
    bytes[109] = 2;
  }
  u32(0, flags);

  input.modules.forEach((m, i) => {
    const e = modsAt + i * MODULE_ENTRY_SIZE;
    u32(e, m.start);
    u32(e + 4, m.end);
    u32(e + 8, rest[i] ?? 0);
  });
  map.forEach((r, i) => {
    const e = mmapAt + i * MMAP_ENTRY_SIZE;
    u32(e, MMAP_ENTRY_SIZE - 4);
    u64(e + 4, r.base);
    u64(e + 12, r.length);
    u32(e + 20, r.type);
  });
  return bytes;
}
