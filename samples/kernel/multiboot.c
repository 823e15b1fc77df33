/*
 * Reading what the boot loader left: memory size, the kernel command line and the modules.
 *
 * This runs before the page allocator exists, on entry_pgdir (which maps the first 256 MiB
 * of physical memory at KERNBASE), and copies everything it needs into kernel variables:
 * the boot information lies in low memory that page_init() then hands out as free pages.
 */
#include "kernel.h"
#include "memlayout.h"
#include "multiboot.h"

/* Physical to virtual before mem_init: KADDR() needs npages, which is not known yet. */
#define BOOT_KADDR(pa) ((void *) ((physaddr_t) (pa) + KERNBASE))

struct Module modules[MAXMODULES];
int nmodules;
char kernel_cmdline[256];
uint32_t boot_mem_upper_kib;

/* "dir/sub/hello.elf" -> "hello" */
void
module_basename(const char *path, char *name, int size)
{
	const char *base = path;
	int n;

	for (const char *p = path; *p && *p != ' '; p++)
		if (*p == '/')
			base = p + 1;
	for (n = 0; base[n] && base[n] != ' '; n++)
		;
	if (n > 4 && strncmp(base + n - 4, ".elf", 4) == 0)
		n -= 4;
	if (n > size - 1)
		n = size - 1;
	memcpy(name, base, n);
	name[n] = '\0';
}

/*
 * Check the boot loader's magic, copy the command line and the module list, and return
 * the first physical address after the kernel and all modules.
 */
physaddr_t
multiboot_init(uint32_t magic, physaddr_t mbi_pa)
{
	extern char end[];
	physaddr_t reserved_end = (physaddr_t) end - KERNBASE;
	struct multiboot_info *mbi = BOOT_KADDR(mbi_pa);

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot boot loader (eax = %08x)", magic);

	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		boot_mem_upper_kib = mbi->mem_upper;
	else
		boot_mem_upper_kib = 3 * 1024;	/* assume 4 MiB */

	if ((mbi->flags & MULTIBOOT_INFO_CMDLINE) && mbi->cmdline)
		strlcpy(kernel_cmdline, BOOT_KADDR(mbi->cmdline), sizeof(kernel_cmdline));

	if (mbi->flags & MULTIBOOT_INFO_MODS) {
		struct multiboot_mod_list *mods = BOOT_KADDR(mbi->mods_addr);

		for (uint32_t i = 0; i < mbi->mods_count && nmodules < MAXMODULES; i++) {
			struct Module *m = &modules[nmodules++];
			const char *s = mods[i].cmdline ? BOOT_KADDR(mods[i].cmdline) : "";
			const char *args = strchr(s, ' ');

			module_basename(s, m->name, sizeof(m->name));
			if (!m->name[0])
				snprintf(m->name, sizeof(m->name), "module%d", (int) i);
			if (args) {
				while (*args == ' ')
					args++;
				strlcpy(m->args, args, sizeof(m->args));
			}
			m->start = mods[i].mod_start;
			m->end = mods[i].mod_end;
			if (m->end > reserved_end)
				reserved_end = m->end;
		}
	}
	return ROUNDUP(reserved_end, PGSIZE);
}

/* Find a module by name: "hello", "hello.elf" and "dir/hello.elf" all find "hello". */
const struct Module *
module_find(const char *name)
{
	char base[MODNAMELEN];

	module_basename(name, base, sizeof(base));
	for (int i = 0; i < nmodules; i++)
		if (strcmp(modules[i].name, base) == 0)
			return &modules[i];
	return NULL;
}

/*
 * The value of `key=value` in the kernel command line (the words after the kernel's file
 * name), copied into buf; NULL if the option is absent.
 */
const char *
cmdline_option(const char *key, char *buf, int size)
{
	const char *p = kernel_cmdline;
	int klen = strlen(key);

	/* Skip the kernel's own file name (if the loader put it there: it has no '='). */
	for (const char *q = p; *q && *q != ' '; q++) {
		if (*q == '=')
			break;
		if (q[1] == ' ' || q[1] == '\0') {
			p = q + 1;
			break;
		}
	}
	while (*p) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			int n = 0;

			p += klen + 1;
			while (p[n] && p[n] != ' ' && n < size - 1) {
				buf[n] = p[n];
				n++;
			}
			buf[n] = '\0';
			return buf;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}
