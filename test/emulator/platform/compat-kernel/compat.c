/* The compatibility test kernel: what course kernels written for QEMU take for granted about the
   PC, run on Ringside and on QEMU and compared. One part per command-line word:
     window       where a pending interrupt is taken after sti, popf, iret, mov ss and pop ss
                  (a self-IPI made pending with IF clear, then the instruction sequence: the
                  handler reports EAX, counted by the incl instructions, and the saved EIP);
     cpuid        CPUID leaves 0 and 1, IA32_APIC_BASE, and a probe of each feature bit
                  (does the instruction it stands for run, or fault);
     shadow       sequences with IF set where the test (Ringside only: QEMU cannot be stopped
                  between two instructions) makes an interrupt pending at a breakpoint right
                  after sti, mov ss, pop ss or a plain instruction, and sees where it is taken;
     memory       the RAM size as the multiboot information and the CMOS report it, and a
                  write and read back at the top of RAM and at xv6's PHYSTOP (224 MiB);
     uart-pic     COM1 set up as xv6's uartinit and JOS's serial_init do (MCR = 0: OUT2 clear)
     uart-ioapic  with receive interrupts through the 8259A or through the I/O APIC: the
                  transmitter-empty interrupt inside an sti window, then every byte received is
                  echoed until a line "quit"; then some work after the input has ended.
                  With "kbd" the 8042 keyboard's scan codes are decoded into the same input; with
                  "hang" the kernel goes on echoing and waiting for interrupts instead of exiting.
   Results go to COM1; the run ends through port 0xF4 (status 0: QEMU exits with 1). */
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* ------------------------------------------------------------------ console (polled output) */

#define COM1 0x3f8

#include "console.h"

/* ------------------------------------------------------------------ GDT, IDT, traps */

struct frame {
  u32 edi, esi, ebp, oesp, ebx, edx, ecx, eax; /* pushal */
  u32 vector, err;
  u32 eip, cs, eflags;
};

static uint64_t gdt[3];
static uint64_t idt[256];
extern const u32 vector_stubs[65];

static void gdt_idt_init(void) {
  gdt[1] = 0x00cf9a000000ffffull; /* flat ring 0 code */
  gdt[2] = 0x00cf92000000ffffull; /* flat ring 0 data */
  struct { u16 limit; u32 base; } __attribute__((packed)) g = { sizeof gdt - 1, (u32)gdt };
  __asm__ volatile("lgdt %0" : : "m"(g));
  __asm__ volatile("ljmp $0x08, $1f\n1:\n mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n"
                   " mov %%ax, %%ss\n mov %%ax, %%fs\n mov %%ax, %%gs\n" ::: "eax", "memory");
  for (int i = 0; i < 65; i++) {
    int v = i < 64 ? i : 255;
    u32 off = vector_stubs[i];
    idt[v] = ((uint64_t)((off & 0xffff0000u) | 0x8e00u) << 32) | (0x08u << 16) | (off & 0xffffu);
  }
  struct { u16 limit; u32 base; } __attribute__((packed)) d = { sizeof idt - 1, (u32)idt };
  __asm__ volatile("lidt %0" : : "m"(d));
}

#define T_IRQ0 32
#define V_KBD (T_IRQ0 + 1)
#define V_COM1 (T_IRQ0 + 4)
#define V_IPI 48
#define V_SPURIOUS 63

/* Probes: an instruction that faults resumes at recover_eip, with the vector in `faulted`. */
volatile u32 recover_eip;
static volatile u32 faulted;

/* The window tests' handler records what the interrupted code had done. */
static volatile u32 hits, seen_eax, seen_eip;
/* The shadow tests' handler logs each interrupted EIP. */
static volatile u32 sh_log[8], sh_n;

/* Console input, from the UART or the keyboard. */
static volatile char ring[256];
static volatile u32 ring_w;
static u32 ring_r;
static volatile u32 com1_interrupts, kbd_interrupts;
static volatile u32 thre_hits, thre_eax, thre_eip;
static int use_ioapic;

static volatile u32 *const lapic = (volatile u32 *)0xfee00000;
static volatile u32 *const ioapic = (volatile u32 *)0xfec00000;

#define L_ID 0x020
#define L_VER 0x030
#define L_EOI 0x0b0
#define L_SVR 0x0f0
#define L_ICRLO 0x300
#define L_ICRHI 0x310
#define L_LINT0 0x350
#define DELIVS 0x1000u

static u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
static void lapic_write(u32 reg, u32 v) {
  lapic[reg / 4] = v;
  (void)lapic[L_ID / 4];
}

static void ioapic_route(int pin, int vector) {
  ioapic[0] = 0x10 + 2 * pin;
  ioapic[4] = (u32)vector; /* edge, active high, fixed, unmasked */
  ioapic[0] = 0x11 + 2 * pin;
  ioapic[4] = 0; /* to APIC id 0 */
}

static void eoi(int isa) {
  if (isa && !use_ioapic) outb(0x20, 0x20);
  else lapic_write(L_EOI, 0);
}

/* Set-1 scan codes of the keys the keyboard test types. */
static const char keymap[0x3a] = {
  0, 0, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0, 0,
  'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
  'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
  'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};

void trap(struct frame *f) {
  u32 v = f->vector;
  if (v < 32) {
    if (recover_eip) {
      faulted = v;
      f->eip = recover_eip;
      return;
    }
    kprintf("unexpected exception %d err %x at %x\n", v, f->err, f->eip);
    qemu_exit(3);
  }
  if (v == V_SPURIOUS) return;
  if (v == V_IPI) {
    if (sh_n < 8) sh_log[sh_n++] = f->eip;
    hits++;
    seen_eax = f->eax;
    seen_eip = f->eip;
    eoi(0);
    return;
  }
  if (v == V_COM1) {
    com1_interrupts++;
    u8 iir = inb(COM1 + 2);
    if ((iir & 0x0f) == 0x02) {
      thre_hits++;
      thre_eax = f->eax;
      thre_eip = f->eip;
      outb(COM1 + 1, inb(COM1 + 1) & ~0x02); /* one is enough */
    }
    while (inb(COM1 + 5) & 0x01) ring[ring_w++ & 255] = (char)inb(COM1);
    eoi(1);
    return;
  }
  if (v == V_KBD) {
    kbd_interrupts++;
    while (inb(0x64) & 0x01) {
      u8 sc = inb(0x60);
      if (sc < sizeof keymap && keymap[sc]) ring[ring_w++ & 255] = keymap[sc];
    }
    eoi(1);
    return;
  }
  kprintf("unexpected interrupt %d\n", v);
  qemu_exit(3);
}

/* ------------------------------------------------------------------ interrupt controllers */

static void pic_init(u8 unmasked_master) {
  outb(0x20, 0x11); outb(0x21, T_IRQ0); outb(0x21, 0x04); outb(0x21, 0x01);
  outb(0xa0, 0x11); outb(0xa1, T_IRQ0 + 8); outb(0xa1, 0x02); outb(0xa1, 0x01);
  outb(0x21, (u8)~unmasked_master);
  outb(0xa1, 0xff);
}

static void lapic_on(void) {
  lapic_write(L_SVR, 0x100 | V_SPURIOUS);
}

/* ------------------------------------------------------------------ window: which boundary takes the interrupt */

extern char a1[], a2[], a3[], b1[], c1[], c2[], c3[], d1[], d2[], d3[], e1[], e2[], f1[], f2[], f3[];
extern char g1[], g2[], g3[], h1[], h2[], h3[], i1[], i2[], i3[], t1[], t2[], t3[];
static const struct { const char *name; const char *at; } labels[] = {
  {"a1", a1}, {"a2", a2}, {"a3", a3}, {"b1", b1}, {"c1", c1}, {"c2", c2}, {"c3", c3},
  {"d1", d1}, {"d2", d2}, {"d3", d3}, {"e1", e1}, {"e2", e2}, {"f1", f1}, {"f2", f2}, {"f3", f3},
  {"g1", g1}, {"g2", g2}, {"g3", g3}, {"h1", h1}, {"h2", h2}, {"h3", h3}, {"i1", i1}, {"i2", i2},
  {"i3", i3}, {"t1", t1}, {"t2", t2}, {"t3", t3},
};

static const char *where(u32 eip) {
  for (u32 k = 0; k < sizeof labels / sizeof labels[0]; k++)
    if ((u32)labels[k].at == eip) return labels[k].name;
  return "(elsewhere)";
}

/* A self-IPI sent with IF clear: pending in IRR until the processor takes it. */
static void pend(void) {
  lapic_write(L_ICRHI, 0);
  lapic_write(L_ICRLO, 0x44000u | V_IPI); /* shorthand self, assert, fixed */
  while (lapic_read(L_ICRLO) & DELIVS) {
  }
}

static void report(const char *what) {
  if (hits) {
    kprintf("%s: taken, eax=%d, eip at %s\n", what, seen_eax, where(seen_eip));
  } else {
    __asm__ volatile("sti; nop; nop; cli" ::: "memory");
    kprintf("%s: not taken (after a later sti: %s)\n", what, yes(hits));
  }
  hits = 0;
}

/* Each sequence in a function of its own, called once, so its labels are defined once. */
__attribute__((noinline)) static void w_sti(void) {
  __asm__ volatile("xor %%eax, %%eax\n sti\n a1: incl %%eax\n a2: incl %%eax\n a3: cli" ::: "eax", "memory");
}
__attribute__((noinline)) static void w_sti_hlt(void) {
  __asm__ volatile("xor %%eax, %%eax\n sti\n hlt\n b1: cli" ::: "eax", "memory");
}
__attribute__((noinline)) static void w_popf(void) {
  __asm__ volatile("xor %%eax, %%eax\n pushf\n orl $0x200, (%%esp)\n popf\n c1: incl %%eax\n c2: incl %%eax\n c3: cli"
                   ::: "eax", "memory", "cc");
}
__attribute__((noinline)) static void w_iret(void) {
  __asm__ volatile("xor %%eax, %%eax\n pushf\n orl $0x200, (%%esp)\n push %%cs\n push $d1\n iret\n"
                   " d1: incl %%eax\n d2: incl %%eax\n d3: cli" ::: "eax", "memory", "cc");
}
__attribute__((noinline)) static void w_sti_cli(void) {
  __asm__ volatile("sti\n cli" ::: "memory");
}
__attribute__((noinline)) static void w_sti_nop(void) {
  __asm__ volatile("sti\n e1: nop\n e2: cli" ::: "memory");
}
__attribute__((noinline)) static void w_sti_sti(void) {
  __asm__ volatile("xor %%eax, %%eax\n sti\n f1: sti\n f2: incl %%eax\n f3: cli" ::: "eax", "memory");
}
__attribute__((noinline)) static void w_sti_movss(void) {
  __asm__ volatile("xor %%eax, %%eax\n mov %%ss, %%dx\n sti\n mov %%dx, %%ss\n g1: incl %%eax\n g2: incl %%eax\n g3: cli"
                   ::: "eax", "edx", "memory");
}
__attribute__((noinline)) static void w_sti_popss(void) {
  __asm__ volatile("xor %%eax, %%eax\n push %%ss\n sti\n pop %%ss\n h1: incl %%eax\n h2: incl %%eax\n h3: cli"
                   ::: "eax", "memory");
}
__attribute__((noinline)) static void w_movss_sti(void) {
  __asm__ volatile("xor %%eax, %%eax\n mov %%ss, %%dx\n mov %%dx, %%ss\n sti\n i1: incl %%eax\n i2: incl %%eax\n i3: cli"
                   ::: "eax", "edx", "memory");
}
/* For the UART's transmitter-empty interrupt (raised with IF clear). */
__attribute__((noinline)) static void w_sti_thre(void) {
  __asm__ volatile("xor %%eax, %%eax\n sti\n t1: incl %%eax\n t2: incl %%eax\n t3: cli" ::: "eax", "memory");
}

/* Breakpoints at the labels sh_*1: the test makes a self-IPI pending there. Global: the test finds them. */
__attribute__((noinline)) static void s_sequences(void) {
  __asm__ volatile(
      "xor %%eax, %%eax\n cli\n sti\n .globl sh_sti1\n sh_sti1: incl %%eax\n .globl sh_sti2\n sh_sti2: incl %%eax\n"
      " .globl sh_sti3\n sh_sti3: nop\n"
      " mov %%ss, %%dx\n mov %%dx, %%ss\n .globl sh_movss1\n sh_movss1: incl %%eax\n .globl sh_movss2\n sh_movss2: incl %%eax\n"
      " .globl sh_movss3\n sh_movss3: nop\n"
      " push %%ss\n pop %%ss\n .globl sh_popss1\n sh_popss1: incl %%eax\n .globl sh_popss2\n sh_popss2: incl %%eax\n"
      " .globl sh_popss3\n sh_popss3: nop\n"
      " nop\n .globl sh_nop1\n sh_nop1: incl %%eax\n .globl sh_nop2\n sh_nop2: incl %%eax\n .globl sh_nop3\n sh_nop3: cli"
      ::: "eax", "edx", "memory");
}
extern char sh_sti1[], sh_sti2[], sh_sti3[], sh_movss1[], sh_movss2[], sh_movss3[], sh_popss1[], sh_popss2[];
extern char sh_popss3[], sh_nop1[], sh_nop2[], sh_nop3[];
static const struct { const char *name; const char *at; } sh_labels[] = {
  {"sh_sti1", sh_sti1}, {"sh_sti2", sh_sti2}, {"sh_sti3", sh_sti3}, {"sh_movss1", sh_movss1},
  {"sh_movss2", sh_movss2}, {"sh_movss3", sh_movss3}, {"sh_popss1", sh_popss1}, {"sh_popss2", sh_popss2},
  {"sh_popss3", sh_popss3}, {"sh_nop1", sh_nop1}, {"sh_nop2", sh_nop2}, {"sh_nop3", sh_nop3},
};

static void t_shadow(void) {
  pic_init(0);
  lapic_on();
  s_sequences();
  kprintf("shadow: %d interrupt(s) taken at:", sh_n);
  for (u32 i = 0; i < sh_n; i++) {
    const char *name = "(elsewhere)";
    for (u32 k = 0; k < sizeof sh_labels / sizeof sh_labels[0]; k++)
      if ((u32)sh_labels[k].at == sh_log[i]) name = sh_labels[k].name;
    kprintf(" %s", name);
  }
  kprintf("\n");
}

static void t_window(void) {
  pic_init(0);
  lapic_on();
  kprintf("window: a self-IPI made pending with IF clear, then:\n");
  pend(); w_sti(); report("sti; incl; incl; cli");
  pend(); w_sti_hlt(); report("sti; hlt");
  pend(); w_popf(); report("popf (IF=1); incl; incl; cli");
  pend(); w_iret(); report("iret (IF=1); incl; incl; cli");
  pend(); w_sti_cli(); kprintf("sti; cli: taken %d time(s)\n", hits);
  w_sti_nop(); report("(still pending) sti; nop; cli");
  pend(); w_sti_sti(); report("sti; sti; incl; cli");
  pend(); w_sti_movss(); report("sti; mov ss; incl; incl; cli");
  pend(); w_sti_popss(); report("sti; pop ss; incl; incl; cli");
  pend(); w_movss_sti(); report("mov ss; sti; incl; incl; cli");
}

/* ------------------------------------------------------------------ cpuid and IA32_APIC_BASE */

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d) {
  __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

#define PROBE(code, ...)                                                                   \
  ({                                                                                       \
    faulted = 0xff;                                                                        \
    __asm__ volatile("movl $1f, recover_eip\n" code "\n1: movl $0, recover_eip" __VA_ARGS__); \
    faulted;                                                                               \
  })

/* Global: the probes' asm names them. */
volatile u32 msr_lo, msr_hi;
static u32 rdmsr_probe(u32 msr) {
  return PROBE("rdmsr\n movl %%eax, msr_lo\n movl %%edx, msr_hi", : : "c"(msr) : "eax", "edx", "memory");
}
static u32 wrmsr_probe(u32 msr, u32 lo, u32 hi) {
  return PROBE("wrmsr", : : "c"(msr), "a"(lo), "d"(hi) : "memory");
}

static const char *fault_name(u32 v) {
  switch (v) {
    case 0xff: return "ok";
    case 0xfd: return "fails";
    case 6: return "#UD";
    case 7: return "#NM";
    case 13: return "#GP";
    default: return "other fault";
  }
}

static u32 cr4(void) { u32 v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static void set_cr4(u32 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

/* Operands of the probes, global because only asm names them. */
uint64_t qword = 0x1122334455667788ull;
u8 fxarea[512] __attribute__((aligned(16)));
u32 probe_word = 5;

/* Runs the instruction a leaf-1 EDX feature bit stands for; returns the fault vector, 0xff when it
   works, 0xfd when it runs but does not do its job, 0xfe when there is no probe for the bit. */
static u32 probe_feature(int bit) {
  switch (bit) {
    case 0: return PROBE("fninit\n fnstsw %%ax", : : : "eax", "memory");
    case 3: {
      u32 old = cr4();
      set_cr4(old | 0x10);
      u32 ok = (cr4() & 0x10) != 0;
      set_cr4(old);
      return ok ? 0xff : 0xfd;
    }
    case 4: return PROBE("rdtsc", : : : "eax", "edx", "memory");
    case 5: return rdmsr_probe(0x10);
    case 8: return PROBE("movl $0x55667788, %%eax\n movl $0x11223344, %%edx\n xor %%ebx, %%ebx\n xor %%ecx, %%ecx\n"
                         " lock cmpxchg8b qword", : : : "eax", "ebx", "ecx", "edx", "memory", "cc");
    case 9: return lapic_read(L_VER) == 0xffffffffu ? 0xfd : 0xff; /* nothing answers there */
    case 11: {
      u32 f = wrmsr_probe(0x174, 0x08, 0);
      if (f == 0xff) f = rdmsr_probe(0x174);
      if (f == 0xff && msr_lo != 0x08) f = 0xfd;
      wrmsr_probe(0x174, 0, 0);
      return f;
    }
    case 12: return rdmsr_probe(0xfe);  /* MTRRcap */
    case 14: return rdmsr_probe(0x179); /* MCG_CAP */
    case 15: return PROBE("xor %%eax, %%eax\n cmp %%eax, %%eax\n cmove probe_word, %%eax", : : : "eax", "memory", "cc");
    case 16: return rdmsr_probe(0x277); /* PAT */
    case 19: return PROBE("clflush probe_word", : : : "memory");
    case 23: return PROBE("emms", : : : "memory");
    case 24: return PROBE("fxsave fxarea", : : : "memory");
    case 25: return PROBE("xorps %%xmm0, %%xmm0", : : : "memory");
    case 26: return PROBE("pxor %%xmm0, %%xmm0", : : : "memory");
    default: return 0xfe; /* no probe */
  }
}

static const char *const feature_names[32] = {
  "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "10", "sep", "mtrr", "pge", "mca", "cmov",
  "pat", "pse36", "psn", "clfsh", "20", "ds", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "htt", "tm", "30", "pbe",
};

static void t_cpuid(void) {
  u32 a, b, c, d;
  cpuid(0, &a, &b, &c, &d);
  char vendor[13];
  *(u32 *)&vendor[0] = b;
  *(u32 *)&vendor[4] = d;
  *(u32 *)&vendor[8] = c;
  vendor[12] = 0;
  kprintf("cpuid 0: vendor %s, highest leaf at least 1: %s\n", vendor, yes(a >= 1));
  cpuid(1, &a, &b, &c, &d);
  kprintf("cpuid 1: eax %8x ebx %8x ecx %8x edx %8x\n", a, b, c, d);
  u32 lid = lapic_read(L_ID) >> 24;
  kprintf("cpuid 1: initial APIC id %d, local APIC id register %d\n", b >> 24, lid);
  /* Before the probes touch CR4: SSE needs OSFXSR, as an OS sets it. */
  set_cr4(cr4() | 0x200);
  for (int bit = 0; bit < 32; bit++) {
    u32 f = probe_feature(bit);
    if (f == 0xfe) continue;
    kprintf("cpuid 1 edx bit %d %s: claimed %s, probe %s\n", bit, feature_names[bit], yes(d & (1u << bit)), fault_name(f));
  }
  u32 f = rdmsr_probe(0x1b);
  kprintf("rdmsr IA32_APIC_BASE: %s, %8x:%8x\n", fault_name(f), msr_hi, msr_lo);
  u32 lo = msr_lo, hi = msr_hi;
  kprintf("wrmsr IA32_APIC_BASE, the value read: %s\n", fault_name(wrmsr_probe(0x1b, lo, hi)));
  kprintf("wrmsr IA32_APIC_BASE with reserved bit 0 set: %s\n", fault_name(wrmsr_probe(0x1b, lo | 1, hi)));
  kprintf("wrmsr IA32_APIC_BASE with address bit 32 set: %s\n", fault_name(wrmsr_probe(0x1b, lo, hi | 1)));
  rdmsr_probe(0x1b);
  kprintf("IA32_APIC_BASE afterwards: %8x:%8x; local APIC version register at its base: %2x\n", msr_hi, msr_lo,
          lapic_read(L_VER) & 0xff);
  /* Legal on hardware; Ringside refuses them (#GP) rather than ignore them. Each is undone at once. */
  kprintf("wrmsr IA32_APIC_BASE moving the APIC to fed00000: %s\n", fault_name(wrmsr_probe(0x1b, 0xfed00900, 0)));
  wrmsr_probe(0x1b, lo, hi);
  kprintf("wrmsr IA32_APIC_BASE with the global enable bit clear: %s\n", fault_name(wrmsr_probe(0x1b, lo & ~0x800u, hi)));
  wrmsr_probe(0x1b, lo, hi);
}

/* ------------------------------------------------------------------ uart: receive interrupts with OUT2 clear */

static int line_is_quit(const char *line, u32 n) {
  return n == 4 && line[0] == 'q' && line[1] == 'u' && line[2] == 'i' && line[3] == 't';
}

static void t_uart(int kbd, int hang) {
  if (use_ioapic) {
    pic_init(0);
    lapic_on();
    lapic_write(L_LINT0, 0x10000); /* masked, as xv6 does: the 8259A is not used */
    ioapic_route(4, V_COM1);
    if (kbd) ioapic_route(1, V_KBD);
  } else {
    pic_init((u8)(0x10 | (kbd ? 0x02 : 0)));
  }
  /* xv6's uartinit: FIFO off, 9600 baud, 8N1, MCR 0 (OUT2 clear), receive interrupts on. */
  outb(COM1 + 2, 0);
  outb(COM1 + 3, 0x80);
  outb(COM1 + 0, 115200 / 9600);
  outb(COM1 + 1, 0);
  outb(COM1 + 3, 0x03);
  outb(COM1 + 4, 0);
  const char *path = use_ioapic ? "the I/O APIC" : "the 8259A";
  /* The transmitter-empty interrupt, raised with IF clear, then an sti window. */
  outb(COM1 + 1, 0x02);
  w_sti_thre();
  kprintf("uart: transmitter-empty interrupt through %s with MCR %2x: taken %d time(s), eax=%d, eip at %s\n", path,
          inb(COM1 + 4), thre_hits, thre_eax, where(thre_eip));
  outb(COM1 + 1, 0x01);
  kprintf("uart: receive interrupts on (IER %2x, MCR %2x), through %s; type lines, \"quit\" ends\n", inb(COM1 + 1),
          inb(COM1 + 4), path);
  char line[64];
  u32 n = 0, lines = 0, bytes = 0;
  int done = 0;
  __asm__ volatile("cli");
  while (!done) {
    while (ring_r != ring_w) {
      char ch = ring[ring_r++ & 255];
      bytes++;
      if (ch == '\r') ch = '\n';
      putc(ch);
      if (ch != '\n') {
        if (n < sizeof line) line[n++] = ch;
        continue;
      }
      lines++;
      if (line_is_quit(line, n)) done = 1;
      n = 0;
    }
    if (!done) __asm__ volatile("sti; hlt; cli" ::: "memory"); /* the sti shadow covers the hlt */
  }
  u32 irqs = kbd ? kbd_interrupts : com1_interrupts;
  /* How many interrupts brought them depends on timing (QEMU's) and on how much a handler drains. */
  kprintf("uart: %d line(s), %d byte(s) received, through interrupts: %s\n", lines, bytes, yes(irqs > 0));
  for (volatile u32 i = 0; i < 2000000; i++) {
  }
  kprintf("uart: still running after the input\n");
  if (hang) {
    kprintf("uart: waiting for interrupts\n");
    for (;;) {
      while (ring_r != ring_w) putc(ring[ring_r++ & 255]); /* still echoing */
      __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
  }
}

/* ------------------------------------------------------------------ memory: size and the top of RAM */

static u8 cmos(u8 reg) {
  outb(0x70, reg);
  return inb(0x71);
}

static const char *write_read(u32 addr) {
  volatile u32 *p = (volatile u32 *)addr;
  *p = 0x5a5aa5a5u ^ addr;
  return *p == (0x5a5aa5a5u ^ addr) ? "ok" : "lost";
}

static void t_memory(u32 *mbi) {
  u32 ext16 = cmos(0x34) | (u32)cmos(0x35) << 8;
  u32 ext = cmos(0x17) | (u32)cmos(0x18) << 8;
  kprintf("memory: CMOS extended %d KiB, above 16 MiB %d x 64 KiB\n", ext, ext16);
  /* What loaders tell differs (QEMU keeps the top 128 KiB and the EBDA's KiB for itself): a line of its own. */
  kprintf("memory: multiboot lower %d KiB, upper %d KiB\n", mbi[1], mbi[2]);
  u32 top = ext16 ? 0x1000000 + ext16 * 0x10000 : 0x100000 + ext * 1024; /* as JOS's i386_detect_memory */
  kprintf("memory: last dword below %x: %s\n", top, write_read(top - 4));
  if (top >= 0xe000000) kprintf("memory: last dword below xv6's PHYSTOP 0xe000000: %s\n", write_read(0xe000000 - 4));
}

/* ------------------------------------------------------------------ entry */

static int cmdline_has(u32 *mbi, const char *word) {
  if (!(mbi[0] & 4)) return 0;
  const char *s = (const char *)mbi[4];
  for (; *s; s++) {
    const char *p = s, *w = word;
    while (*w && *p == *w) p++, w++;
    if (!*w && (*p == 0 || *p == ' ') && (s == (const char *)mbi[4] || s[-1] == ' ')) return 1;
  }
  return 0;
}

void kmain(u32 *mbi) {
  gdt_idt_init();
  if (cmdline_has(mbi, "window")) t_window();
  if (cmdline_has(mbi, "cpuid")) t_cpuid();
  if (cmdline_has(mbi, "memory")) t_memory(mbi);
  if (cmdline_has(mbi, "shadow")) t_shadow();
  if (cmdline_has(mbi, "uart-pic") || cmdline_has(mbi, "uart-ioapic")) {
    use_ioapic = cmdline_has(mbi, "uart-ioapic");
    t_uart(cmdline_has(mbi, "kbd"), cmdline_has(mbi, "hang"));
  }
  kprintf("done\n");
  qemu_exit(0);
}
