// The inspectors: pure functions over machine state, the only way the adapter reads it
// (DESIGN.md, "Emulator contract"). Nothing here writes memory, sets accessed/dirty bits, fills
// the TLB or raises a fault.

export { hex, hex4, hex8, hexAddr } from './hex.js';
export { physReader, type PhysReader, type PhysSource, type RamLike } from './phys.js';
export { decodePde, decodePte, reservedMask, rightsText, RINGSIDE_PAGING, type EntryKind, type PagingEntry, type PagingModel } from './entry.js';
export { checkRights, type Access, type Level, type LevelRights, type RightsCheck, type RightsQuery, type RightsViolation } from './rights.js';
export {
  translate, type EntryStep, type FaultCheck, type IdentityStep, type PagingRegisters, type TranslateOptions,
  type Translation, type TranslationFault, type TranslationOk, type TranslationUnsupported, type WalkStep,
} from './translate.js';
export { linearReader, type LinearMemory, type LinearReader } from './linear.js';
export {
  defaultSwapSlot, JOS_PTE_COW, listDirectory, listTable, mappings, pageTableTree,
  type DirectoryEntryInfo, type Mapping, type PageTableOptions, type PageTableTree, type TableEntryInfo,
} from './pagetables.js';
export { foldedView, foldMappings, formatRun, type FoldedRun } from './fold.js';
export {
  decodePageFaultError, decodeSelectorError, describeErrorCode, pageFaultErrorCode, pageFaultErrorFields,
  selectorErrorFields, type PageFaultErrorFields, type SelectorErrorFields,
} from './errorcode.js';
export { vectorMnemonic, vectorName, VECTORS_WITH_ERROR_CODE } from './vectors.js';
export { decodeDescriptor, type Descriptor, type GateDescriptor, type ReservedDescriptor, type SegmentDescriptor } from './descriptor.js';
export { decodeIdt, decodeIdtEntry, entriesWithin, type IdtEntry, type IdtOptions } from './idt.js';
export { decodeGdt, decodeLdt, descriptorForSelector, type DescriptorTables, type GdtEntry, type SelectorLookup } from './gdt.js';
export { decodeTss, type Tss32, type TssResult } from './tss.js';
export { decodeEflags, type DecodedEflags } from './eflags.js';
export { decodeCr0, decodeCr3, decodeCr4, type DecodedControl, type DecodedCr3 } from './control.js';
export { decodeSelector, type DecodedSelector } from './selector.js';
export type { BitDef, DecodedBits, FlagBit } from './flagbits.js';
