/*
 * The boot loader's information (Multiboot Specification 0.6.96) and the table of user
 * programs the kernel keeps from it: every multiboot module is an ELF program.
 */
#ifndef KERN_MULTIBOOT_H
#define KERN_MULTIBOOT_H

#include "types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

#define MULTIBOOT_INFO_MEMORY	0x00000001
#define MULTIBOOT_INFO_CMDLINE	0x00000004
#define MULTIBOOT_INFO_MODS	0x00000008

/* What EBX points to at entry (only the fields this kernel reads are named). */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;	/* KiB below 1 MiB */
	uint32_t mem_upper;	/* KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;	/* physical address of the kernel's command line */
	uint32_t mods_count;
	uint32_t mods_addr;	/* physical address of struct multiboot_mod_list[mods_count] */
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
};

struct multiboot_mod_list {
	uint32_t mod_start;	/* physical address of the module's first byte */
	uint32_t mod_end;	/* one past its last byte */
	uint32_t cmdline;	/* physical address of its string: "path/hello.elf arg1 arg2" */
	uint32_t pad;
};

#define MAXMODULES	32
#define MODNAMELEN	32
#define MODARGSLEN	128

/* A user program the boot loader loaded into memory. */
struct Module {
	char name[MODNAMELEN];	/* "hello": the file name without directories and ".elf" */
	char args[MODARGSLEN];	/* the rest of the module's string ("" if none) */
	physaddr_t start;	/* the ELF file, in physical memory */
	physaddr_t end;
};

extern struct Module modules[MAXMODULES];
extern int nmodules;
extern char kernel_cmdline[256];
extern uint32_t boot_mem_upper_kib;

physaddr_t multiboot_init(uint32_t magic, physaddr_t mbi_pa);
const struct Module *module_find(const char *name);
const char *cmdline_option(const char *key, char *buf, int size);
void module_basename(const char *path, char *name, int size);

#endif
