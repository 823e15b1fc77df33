// Register numbering follows the ModRM encoding, so decoded fields index these arrays directly.
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
/** Index of an always-zero slot in the register file: "no base" / "no index" in an address reads it. */
export const NO_REG = 8;

export const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
/** Segment override absent: the instruction uses its default segment. */
export const NO_SEG = -1;

export const REG32_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export const REG16_NAMES = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;
export const REG8_NAMES = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'] as const;
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

/**
 * Byte offset of an 8-bit register inside the little-endian 32-bit register file:
 * AL..BL are the low bytes of EAX..EBX, AH..BH the second bytes.
 */
export const REG8_OFFSET = new Uint8Array([0, 4, 8, 12, 1, 5, 9, 13]);
