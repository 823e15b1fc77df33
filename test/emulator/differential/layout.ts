// Where the differential harness puts things in the 32-bit address space. The native program and
// the emulator use the same addresses, so pointer values (esp, addresses in registers, return
// addresses pushed by call) compare equal without translation.

/** Text segment of every harness ELF (ld -Ttext-segment): low, so it fits the emulator's RAM. */
export const TEXT_BASE = 0x200000;

/**
 * The data window: memory operands of the generated instructions point here. Fixed by a linker
 * option (section .windows) so the generator knows absolute addresses while it writes assembly.
 */
export const DATA_WIN = 0x100000;
export const DATA_SIZE = 512;

/** The stack window: esp starts inside it. Page aligned, so the generator knows esp's alignment. */
export const STACK_WIN = 0x101000;
export const STACK_SIZE = 1024;
/** Bounds the generator keeps esp (as an offset into the stack window) within, with room for pusha/enter. */
export const STACK_LOW = 160;
export const STACK_HIGH = 880;

/**
 * The low window, below 64 KiB, for memory operands with 16-bit addressing (0x67): their offsets
 * wrap at 64 KiB, so they can only reach memory there. The host must allow mappings this low
 * (vm.mmap_min_addr); where it does not, the generator leaves those forms out.
 */
export const LOW_WIN = 0x8000;
export const LOW_SIZE = 512;

/** Emulator only: a GDT and IDT the harness installs so exceptions can be caught before delivery. */
export const SYS_TABLES = 0x20000;
export const SYS_TABLES_SIZE = 0x1000;

/** Guest RAM for the emulator runs: 64 MiB, flat, paging off. */
export const GUEST_MEMORY = 64 << 20;

/** One machine state as the runner stores it: eax..edi, eflags, the data, stack and low windows. */
export const REGS_BYTES = 9 * 4;
export const STATE_BYTES = REGS_BYTES + DATA_SIZE + STACK_SIZE + LOW_SIZE;

/** Native output header: magic, case count, then the six selectors ES CS SS DS FS GS (u16 each). */
export const OUT_MAGIC = 0x46445352; // "RSDF"
export const HEADER_BYTES = 8 + 6 * 2 + 4;

/** Status flags plus DF: the only EFLAGS bits a case may set (never TF, IF changes, AC, NT, IOPL). */
export const CASE_FLAGS = 0x0cd5;
/** Bits that always read as set in user mode: bit 1 and IF. */
export const USER_FIXED_FLAGS = 0x0202;
