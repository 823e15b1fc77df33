/*
 * The parts of the ELF format the program loader reads: the file header and the program
 * headers (segments). User programs are ELF32 executables for i386, linked at 0x800020.
 */
#ifndef KERN_ELF_H
#define KERN_ELF_H

#include "types.h"

#define ELF_MAGIC 0x464C457FU	/* "\x7FELF" in little endian */

struct Elf {
	uint32_t e_magic;	/* must equal ELF_MAGIC */
	uint8_t e_elf[12];	/* class (1 = 32-bit), data (1 = little endian), version ... */
	uint16_t e_type;	/* 2 = executable */
	uint16_t e_machine;	/* 3 = Intel 80386 */
	uint32_t e_version;
	uint32_t e_entry;	/* where execution starts */
	uint32_t e_phoff;	/* file offset of the program headers */
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;	/* size of one program header */
	uint16_t e_phnum;	/* number of program headers */
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct Proghdr {
	uint32_t p_type;	/* ELF_PROG_LOAD: a segment to load */
	uint32_t p_offset;	/* where its bytes are in the file */
	uint32_t p_va;		/* where they go in memory */
	uint32_t p_pa;
	uint32_t p_filesz;	/* bytes in the file */
	uint32_t p_memsz;	/* bytes in memory (the rest is zero: .bss) */
	uint32_t p_flags;	/* ELF_PROG_FLAG_* */
	uint32_t p_align;
};

#define ELF_CLASS_32		1
#define ELF_MACHINE_386		3
#define ELF_PROG_LOAD		1
#define ELF_PROG_FLAG_EXEC	1
#define ELF_PROG_FLAG_WRITE	2
#define ELF_PROG_FLAG_READ	4

#endif
