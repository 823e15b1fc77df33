/**
 * Finding and checking the multiboot v1 header (Multiboot Specification 0.6.96, 3.1): a 32-bit
 * aligned block in the first 8192 bytes of the file that starts with 0x1BADB002, followed by the
 * flags and a checksum that makes the three words sum to zero.
 */
import { hex } from './elf-error.js';
import { MultibootError } from './multiboot-error.js';

export const HEADER_MAGIC = 0x1badb002;
/** How far into the file a boot loader looks for the header. */
export const SEARCH_LIMIT = 8192;

/** Header flags (bits 0-15 are requirements, bits 16-31 optional features). */
export const FLAG_PAGE_ALIGN = 1 << 0;
export const FLAG_MEMORY_INFO = 1 << 1;
export const FLAG_VIDEO_MODE = 1 << 2;
export const FLAG_AOUT_KLUDGE = 1 << 16;
/** The required bits this loader knows how to meet. */
const KNOWN_REQUIREMENTS = FLAG_PAGE_ALIGN | FLAG_MEMORY_INFO | FLAG_VIDEO_MODE;

/** The a.out-kludge fields, valid when flags bit 16 is set. All are physical addresses. */
export interface AddressFields {
  readonly headerAddr: number;
  readonly loadAddr: number;
  /** 0: the text and data run to the end of the file. */
  readonly loadEndAddr: number;
  /** 0: no bss. */
  readonly bssEndAddr: number;
  readonly entryAddr: number;
}

export interface MultibootHeader {
  /** File offset of the magic word. */
  readonly offset: number;
  readonly flags: number;
  readonly address: AddressFields | null;
  /** Flags bit 2: the kernel wants video mode information. The preferred mode is only a hint. */
  readonly wantsVideo: boolean;
}

const MAIN_SIZE = 12;
const ADDRESS_END = 32;
const VIDEO_END = 48;

/**
 * Returns the header, or null when the file has none (it may still be a plain ELF executable).
 * A magic word with a wrong checksum, or a header placed where no loader looks, is an error
 * rather than "no header": the author clearly meant the file to be a multiboot kernel.
 */
export function findHeader(bytes: Uint8Array, file: string): MultibootHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (at: number): number => view.getUint32(at, true);
  const checksumOk = (at: number): boolean => ((word(at) + word(at + 4) + word(at + 8)) >>> 0) === 0;
  const limit = Math.min(bytes.length, SEARCH_LIMIT);

  let badChecksumAt = -1;
  for (let at = 0; at + MAIN_SIZE <= limit; at += 4) {
    if (word(at) !== HEADER_MAGIC) continue;
    if (checksumOk(at)) return readHeader(word, at, bytes.length, file);
    if (badChecksumAt < 0) badChecksumAt = at;
  }
  if (badChecksumAt >= 0) {
    const flags = word(badChecksumAt + 4);
    const checksum = word(badChecksumAt + 8);
    const expected = (-(HEADER_MAGIC + flags)) >>> 0;
    throw new MultibootError(
      file,
      `multiboot header at offset ${hex(badChecksumAt)} has a bad checksum: magic + flags + checksum must be 0 ` +
        `(mod 2^32), but flags ${hex(flags)} and checksum ${hex(checksum)} give ` +
        `${hex((HEADER_MAGIC + flags + checksum) >>> 0)}; the checksum should be ${hex(expected)}`,
    );
  }
  // Not found where it must be: look further only to explain the mistake.
  for (let at = 1; at + MAIN_SIZE <= limit; at++) {
    if (at % 4 !== 0 && word(at) === HEADER_MAGIC && checksumOk(at)) {
      throw new MultibootError(file, `multiboot header at offset ${hex(at)} is not 32-bit aligned (use .p2align 2)`);
    }
  }
  for (let at = 0; at + MAIN_SIZE <= bytes.length; at += 4) {
    if (at + MAIN_SIZE > limit && word(at) === HEADER_MAGIC && checksumOk(at)) {
      throw new MultibootError(
        file,
        `multiboot header found at offset ${hex(at)}, but it must lie within the first ${SEARCH_LIMIT} bytes ` +
          'of the file, where boot loaders search for it: place the header section first in the first loaded segment',
      );
    }
  }
  return null;
}

function readHeader(word: (at: number) => number, at: number, fileLength: number, file: string): MultibootHeader {
  const flags = word(at + 4);
  const unknown = flags & 0xffff & ~KNOWN_REQUIREMENTS;
  if (unknown !== 0) {
    const bits = [...Array(16).keys()].filter((b) => unknown & (1 << b));
    throw new MultibootError(
      file,
      `the multiboot header (flags ${hex(flags)}) requires features this loader does not know: ` +
        `bit${bits.length > 1 ? 's' : ''} ${bits.join(', ')}. Bits 0-15 are requirements that a loader must refuse ` +
        'when it cannot meet them; Ringside supports bits 0 (page-aligned modules), 1 (memory information) ' +
        'and 2 (video mode information)',
    );
  }
  const aout = (flags & FLAG_AOUT_KLUDGE) !== 0;
  const wantsVideo = (flags & FLAG_VIDEO_MODE) !== 0;
  // Each field a flag enables must be present, and inside the search area like the rest.
  const needed = at + (wantsVideo ? VIDEO_END : aout ? ADDRESS_END : MAIN_SIZE);
  if (needed > Math.min(fileLength, SEARCH_LIMIT)) {
    const why = wantsVideo ? 'flags bit 2 needs the graphics fields' : 'flags bit 16 needs the address fields';
    const where = needed > fileLength ? `the end of the file (${fileLength} bytes)` : `the first ${SEARCH_LIMIT} bytes`;
    throw new MultibootError(
      file,
      `multiboot header at offset ${hex(at)} is cut off: ${why}, up to offset ${hex(needed)}, past ${where}`,
    );
  }
  const address = aout
    ? {
        headerAddr: word(at + 12),
        loadAddr: word(at + 16),
        loadEndAddr: word(at + 20),
        bssEndAddr: word(at + 24),
        entryAddr: word(at + 28),
      }
    : null;
  return { offset: at, flags, address, wantsVideo };
}
