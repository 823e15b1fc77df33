/* Console, descriptor tables, paging and the trap dispatcher of the test kernel. Everything the
   sub-tests print goes through kprintf to COM1, which is what the harness compares with QEMU. */
#include "runtime.h"

/* ------------------------------------------------------------------ console */

#define COM1 0x3f8

static void serial_init(void) {
  outb(COM1 + 1, 0x00); /* no UART interrupts */
  outb(COM1 + 3, 0x80); /* DLAB */
  outb(COM1 + 0, 0x01); /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8N1 */
  outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
  outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void putc(char c) {
  while (!(inb(COM1 + 5) & 0x20)) {
  }
  outb(COM1, (uint8_t)c);
}

static void puthex(uint32_t v, int width) {
  char buf[8];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v && n < 8);
  while (n < width) buf[n++] = '0';
  while (n) putc(buf[--n]);
}

static void putdec(uint32_t v) {
  char buf[10];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putc(buf[--n]);
}

/* %x %Nx (zero-padded to N digits) %d (unsigned) %s %c: all the tests need. */
void kprintf(const char *fmt, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      putc(*p);
      continue;
    }
    int width = 0;
    while (p[1] >= '0' && p[1] <= '9') width = width * 10 + (*++p - '0');
    switch (*++p) {
      case 'x': puthex(__builtin_va_arg(ap, uint32_t), width); break;
      case 'd': putdec(__builtin_va_arg(ap, uint32_t)); break;
      case 's': for (const char *s = __builtin_va_arg(ap, const char *); *s; s++) putc(*s); break;
      case 'c': putc((char)__builtin_va_arg(ap, int)); break;
      default: putc('%'); putc(*p); break;
    }
  }
  __builtin_va_end(ap);
}

void qemu_exit(int code) {
  outb(0xf4, (uint8_t)code);
  for (;;) __asm__ volatile("cli; hlt");
}

/* ------------------------------------------------------------------ GDT, TSS, IDT */

uint64_t gdt[GDT_ENTRIES];
uint64_t idt[256];
struct tss tss;
static uint64_t segdesc(uint32_t base, uint32_t limit, uint32_t access, uint32_t flags) {
  uint32_t lo = (limit & 0xffff) | (base << 16);
  uint32_t hi = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
  return ((uint64_t)hi << 32) | lo;
}

static void gdt_init(void) {
  gdt[0] = 0;
  gdt[1] = segdesc(0, 0xfffff, 0x9a, 0xc);          /* ring 0 code */
  gdt[2] = segdesc(0, 0xfffff, 0x92, 0xc);          /* ring 0 data */
  gdt[3] = segdesc(0, 0xfffff, 0xfa, 0xc);          /* ring 3 code */
  gdt[4] = segdesc(0, 0xfffff, 0xf2, 0xc);          /* ring 3 data */
  gdt[5] = segdesc((uint32_t)&tss, sizeof tss - 1, 0x89, 0x0); /* 32-bit TSS, available */
  gdt[6] = segdesc(0, 0xfffff, 0xba, 0xc);          /* ring 1 code */
  gdt[7] = segdesc(0, 0xfffff, 0xb2, 0xc);          /* ring 1 data */
  gdt[8] = segdesc(0, 0xfffff, 0x12, 0xc);          /* data, not present */
  gdt[9] = segdesc(0, 0xfffff, 0x98, 0xc);          /* code, execute-only */
  gdt[10] = segdesc(0, 0xfffff, 0x90, 0xc);         /* data, read-only */
  gdt[11] = segdesc(0, 0xfffff, 0x12, 0xc);         /* data, not present (for SS) */
  struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof gdt - 1, (uint32_t)gdt };
  __asm__ volatile("lgdt %0" : : "m"(d));
  __asm__ volatile(
      "ljmp %0, $1f\n1:\n"
      "mov %1, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%fs\n mov %%ax, %%gs\n mov %%ax, %%ss\n"
      : : "i"(KCODE), "i"(KDATA) : "eax", "memory");
  tss.ss0 = KDATA;
  tss.esp0 = (uint32_t)trapstack_top;
  tss.ss1 = R1DATA;
  tss.esp1 = (uint32_t)ring1stack_top;
  /* The bitmap offset is the TSS limit + 1: no I/O permission bitmap, so ring 3 I/O needs IOPL. */
  tss.iomap = sizeof tss;
  __asm__ volatile("ltr %w0" : : "r"(TSSSEL));
  /* A null LDTR, as a kernel sets it: LDT selectors then fault (the reset state has base 0, limit 0xffff). */
  __asm__ volatile("lldt %w0" : : "r"(0));
}

extern const uint32_t stub_table[];

void (*stub_for(int vector))(void) {
  for (const uint32_t *p = stub_table; p[0] != 0xffffffffu; p += 2)
    if ((int)p[0] == vector) return (void (*)(void))p[1];
  return 0;
}

void set_gate(int vector, void (*entry)(void), uint16_t selector, int trap, int dpl, int present) {
  uint32_t off = (uint32_t)entry;
  uint32_t lo = (off & 0xffff) | ((uint32_t)selector << 16);
  uint32_t hi = (off & 0xffff0000) | ((present ? 1u : 0u) << 15) | ((uint32_t)dpl << 13) | ((trap ? 0xfu : 0xeu) << 8);
  idt[vector] = ((uint64_t)hi << 32) | lo;
}

void set_gate_selector(int vector, uint16_t selector) {
  idt[vector] = (idt[vector] & ~0xffff0000ull) | ((uint64_t)selector << 16);
}

static void idt_init(void) {
  for (const uint32_t *p = stub_table; p[0] != 0xffffffffu; p += 2) {
    int v = (int)p[0];
    /* int3, into and the two system calls may be raised from ring 3 (as in JOS). */
    int dpl = (v == 3 || v == 4 || v == 0x30 || v == 0x31) ? 3 : 0;
    set_gate(v, (void (*)(void))p[1], KCODE, v == 0x41, dpl, v != 0x50);
  }
  struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof idt - 1, (uint32_t)idt };
  __asm__ volatile("lidt %0" : : "m"(d));
}

/* ------------------------------------------------------------------ paging */

uint32_t pgdir[1024] __attribute__((aligned(4096)));
static uint32_t lowtables[2][1024] __attribute__((aligned(4096)));
static uint32_t next_table = TABLE_POOL;

static void zero_page(uint32_t pa) {
  uint32_t *p = (uint32_t *)pa;
  for (int i = 0; i < 1024; i++) p[i] = 0;
}

uint32_t *pte_slot(uint32_t va, uint32_t pde_flags) {
  uint32_t *pde = &pgdir[va >> 22];
  if (!(*pde & PTE_P) || (*pde & PTE_PS)) {
    zero_page(next_table);
    *pde = next_table | pde_flags;
    next_table += 4096;
  }
  return (uint32_t *)(*pde & ~0xfffu) + ((va >> 12) & 0x3ff);
}

void map_page(uint32_t va, uint32_t pa, uint32_t pte_flags) {
  *pte_slot(va, PTE_P | PTE_W | PTE_U) = pa | pte_flags;
  invlpg(va);
}

void unmap_page(uint32_t va) {
  *pte_slot(va, PTE_P | PTE_W | PTE_U) = 0;
  invlpg(va);
}

uint32_t frame(int k) { return FRAME_POOL + (uint32_t)k * 4096; }

static void paging_init(void) {
  for (uint32_t i = 0; i < 2048; i++) lowtables[i / 1024][i % 1024] = (i << 12) | PTE_P | PTE_W | PTE_U;
  lowtables[0][0] = 0; /* null pointers fault */
  pgdir[0] = (uint32_t)lowtables[0] | PTE_P | PTE_W | PTE_U;
  pgdir[1] = (uint32_t)lowtables[1] | PTE_P | PTE_W | PTE_U;
  lcr3((uint32_t)pgdir);
  lcr0(rcr0() | CR0_PG | CR0_WP);
}

/* ------------------------------------------------------------------ 8259 PIC */

void pic_remap_and_mask(void) {
  outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
  outb(0xa0, 0x11); outb(0xa1, 0x28); outb(0xa1, 0x02); outb(0xa1, 0x01);
  outb(0x21, 0xff);
  outb(0xa1, 0xff);
}

void pic_eoi(int irq) {
  if (irq >= 8) outb(0xa0, 0x20);
  outb(0x20, 0x20);
}

/* ------------------------------------------------------------------ traps */

trap_hook_t trap_hook;
void (*irq_hook)(int irq);
volatile uint32_t irq_count[16];
extern int recover_armed;

static const char *const names[32] = {
  "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
  "#MF", "#AC", "#MC", "#XM", "#VE", "#21", "#22", "#23", "#24", "#25", "#26", "#27", "#28", "#29", "#30", "#31",
};

const char *vector_name(uint32_t vector) { return vector < 32 ? names[vector] : "int"; }

int has_error_code(uint32_t v) { return v == 8 || (v >= 10 && v <= 14) || v == 17; }

static const char *site_name;
static uint32_t site_addr;

void set_site(const char *name, const void *addr) {
  site_name = name;
  site_addr = (uint32_t)addr;
}

void print_eip(uint32_t eip) {
  if (site_name && eip >= site_addr && eip < site_addr + 64) {
    kprintf("%s", site_name);
    if (eip != site_addr) kprintf("+%d", eip - site_addr);
  } else {
    kprintf("0x%8x", eip);
  }
}

/* One line per trap: what the CPU delivered and what it pushed. #DF's CS:EIP are undefined (SDM). */
void report(struct trapframe *tf) {
  uint32_t v = tf->vector;
  kprintf("%s vec=%d", vector_name(v), v);
  if (has_error_code(v)) kprintf(" err=0x%x", tf->err);
  if (v == 14) kprintf(" cr2=0x%8x", rcr2());
  if (v != 8) {
    kprintf(" eip=");
    print_eip(tf->eip);
    kprintf(" cs=0x%x", tf->cs & 0xffff);
    if (tf->cs & 3) kprintf(" ss:esp=0x%x:0x%8x", tf->ss & 0xffff, tf->esp);
  }
  kprintf("\n");
}

void trap(struct trapframe *tf) {
  uint32_t v = tf->vector;
  if (v >= 32 && v < 48) {
    irq_count[v - 32]++;
    if (irq_hook) irq_hook((int)v - 32);
    pic_eoi((int)v - 32);
    return;
  }
  if (v == 0x31 && recover_armed) recover(0x31); /* ring 3's "back to the kernel" */
  if (trap_hook && trap_hook(tf)) return;
  report(tf);
  if (recover_armed) recover((int)v);
  kprintf("unexpected trap with no recovery point\n");
  qemu_exit(3);
}

/* ------------------------------------------------------------------ entry */

struct multiboot_info { uint32_t flags, mem_lower, mem_upper, boot_device, cmdline; };
extern const struct subtest subtests[];

static int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

void kmain(uint32_t magic, struct multiboot_info *mbi) {
  serial_init();
  gdt_init();
  idt_init();
  paging_init();
  pic_remap_and_mask();
  /* The sub-test is the last word of the command line ("kernel.elf pf-notpresent"). */
  const char *name = "";
  if (magic == 0x2badb002 && (mbi->flags & 4)) {
    const char *s = (const char *)mbi->cmdline;
    for (name = s; *s; s++)
      if (*s == ' ' && s[1]) name = s + 1;
  }
  for (const struct subtest *t = subtests; t->name; t++) {
    if (streq(t->name, name)) {
      kprintf("== %s\n", name);
      t->run();
      kprintf("== done\n");
      qemu_exit(0);
    }
  }
  kprintf("unknown sub-test '%s'\n", name);
  qemu_exit(2);
}
