/* The platform test kernel: what an SMP-aware course kernel (xv6) does with the PC at startup,
   written from the specifications (MP spec 1.4, Intel SDM vol. 3A ch. 10, 82093AA, MC146818,
   8042, ATA-4, QEMU's fw_cfg), run on Ringside and on QEMU and compared byte for byte:
     - find the MP floating pointer (EBDA, end of base memory, BIOS ROM) and read the table;
     - read the BIOS data area and the CMOS memory sizes and clock;
     - mask both 8259As, program the local APIC (timer periodic and one-shot, IPIs, TPR) and the
       I/O APIC (COM1 on IRQ 4, the keyboard on IRQ 1, the disk on IRQ 14);
     - read, write and re-read sectors of the slave IDE disk with interrupts;
     - write to the CGA screen and move its cursor; probe fw_cfg.
   Results go to COM1; the run ends through port 0xF4. With "bench" on the command line it
   counts local APIC timer interrupts during a fixed amount of work instead (npm run bench). */
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void insl(u16 port, void *dst, u32 n) {
  __asm__ volatile("cld; rep insl" : "+D"(dst), "+c"(n) : "d"(port) : "memory");
}
static inline void outsl(u16 port, const void *src, u32 n) {
  __asm__ volatile("cld; rep outsl" : "+S"(src), "+c"(n) : "d"(port) : "memory");
}
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }

/* ------------------------------------------------------------------ console */

#define COM1 0x3f8

static void serial_init(void) {
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x80);
  outb(COM1 + 0, 0x01);
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03);
  outb(COM1 + 2, 0xc7);
  outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2: the card's IRQ line reaches the bus */
}

#include "console.h"

static int memeq(const void *a, const void *b, u32 n) {
  const u8 *x = a, *y = b;
  for (u32 i = 0; i < n; i++)
    if (x[i] != y[i]) return 0;
  return 1;
}

static u8 sum8(const void *p, u32 n) {
  const u8 *b = p;
  u8 s = 0;
  for (u32 i = 0; i < n; i++) s = (u8)(s + b[i]);
  return s;
}

/* ------------------------------------------------------------------ GDT and IDT */

static uint64_t gdt[3];
static uint64_t idt[256];
extern const u32 vector_stubs[65];

static void gdt_idt_init(void) {
  gdt[0] = 0;
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

/* ------------------------------------------------------------------ the 8259As: remapped, then all masked */

static void pic_mask_all(void) {
  outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
  outb(0xa0, 0x11); outb(0xa1, 0x28); outb(0xa1, 0x02); outb(0xa1, 0x01);
  outb(0x21, 0xff);
  outb(0xa1, 0xff);
}

/* ------------------------------------------------------------------ local APIC (SDM vol. 3A, ch. 10) */

#define L_ID 0x020
#define L_VER 0x030
#define L_TPR 0x080
#define L_PPR 0x0a0
#define L_EOI 0x0b0
#define L_SVR 0x0f0
#define L_ESR 0x280
#define L_ICRLO 0x300
#define L_ICRHI 0x310
#define L_TIMER 0x320
#define L_PCINT 0x340
#define L_LINT0 0x350
#define L_LINT1 0x360
#define L_ERROR 0x370
#define L_TICR 0x380
#define L_TCCR 0x390
#define L_TDCR 0x3e0
#define MASKED 0x10000u
#define PERIODIC 0x20000u
#define DELIVS 0x1000u

#define T_IRQ0 32
#define V_TIMER (T_IRQ0 + 0)
#define V_KBD (T_IRQ0 + 1)
#define V_COM1 (T_IRQ0 + 4)
#define V_IDE (T_IRQ0 + 14)
#define V_ONESHOT 40
#define V_IPI 48
#define V_IPI_TPR 49
#define V_ERROR (T_IRQ0 + 19)
#define V_SPURIOUS (T_IRQ0 + 31)

static volatile u32 *lapic;
static volatile u32 count[256];

static u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
static void lapic_write(u32 reg, u32 v) {
  lapic[reg / 4] = v;
  (void)lapic[L_ID / 4]; /* wait for the write to finish, by reading */
}

/* ------------------------------------------------------------------ keyboard decoding (set 1) */

static const char plain[0x40] = {
  0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
  'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
  'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
  'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ', 0, 0, 0, 0, 0, 0,
};
static const char shifted[0x40] = {
  0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
  'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0, 'A', 'S',
  'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
  'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ', 0, 0, 0, 0, 0, 0,
};
static int kbd_shift;
static char typed[32];
static u32 ntyped;

/* As a kbd driver's interrupt path: read while the output buffer is full. */
static void kbd_intr(void) {
  while (inb(0x64) & 0x01) {
    u8 sc = inb(0x60);
    if (sc == 0x2a || sc == 0x36) kbd_shift = 1;
    else if (sc == 0xaa || sc == 0xb6) kbd_shift = 0;
    else if (!(sc & 0x80) && sc < 0x40) {
      char c = kbd_shift ? shifted[sc] : plain[sc];
      if (c && ntyped < sizeof typed - 1) typed[ntyped++] = c;
    }
  }
}

/* ------------------------------------------------------------------ traps */

static volatile int uart_thre_seen;

void trap(u32 vector, u32 err) {
  if (vector < 32) {
    kprintf("unexpected exception %d err %x\n", vector, err);
    qemu_exit(3);
  }
  count[vector]++;
  if (vector == V_SPURIOUS) return; /* no EOI for the spurious vector (SDM 10.9) */
  if (vector == V_KBD) kbd_intr();
  if (vector == V_COM1) {
    u8 iir = inb(COM1 + 2);
    if ((iir & 0x0f) == 0x02) uart_thre_seen++;
    outb(COM1 + 1, 0x00); /* no more UART interrupts */
  }
  lapic_write(L_EOI, 0);
}

/* Waits with interrupts enabled until count[v] reaches n, or gives up; returns whether it did.
   The loop's branch gives the processor an instruction boundary to take interrupts at. */
static int wait_for(int v, u32 n) {
  sti();
  for (u32 i = 0; i < 100000000u && count[v] < n; i++) {
  }
  cli();
  return count[v] >= n;
}

static void spin(u32 n) {
  for (volatile u32 i = 0; i < n; i++) {
  }
}

/* ------------------------------------------------------------------ MP tables (MP spec 1.4, ch. 4) */

struct mp {             /* floating pointer */
  u8 signature[4];      /* "_MP_" */
  u32 physaddr;         /* configuration table */
  u8 length;            /* 1 */
  u8 specrev;
  u8 checksum;
  u8 type;              /* default configuration, or 0 */
  u8 imcrp;
  u8 reserved[3];
};

struct mpconf {
  u8 signature[4];      /* "PCMP" */
  u16 length;
  u8 version;
  u8 checksum;
  u8 product[20];
  u32 oemtable;
  u16 oemlength;
  u16 entry;
  u32 lapicaddr;
  u16 xlength;
  u8 xchecksum;
  u8 reserved;
};

static const char *mp_where;
static u32 ioapic_table_id = 0xffffffffu;
static u32 ioapic_addr;

static struct mp *mp_scan(u32 a, u32 len) {
  for (u32 p = a; p + sizeof(struct mp) <= a + len; p += 16)
    if (memeq((void *)p, "_MP_", 4) && sum8((void *)p, sizeof(struct mp)) == 0) return (struct mp *)p;
  return 0;
}

static struct mp *mp_search(void) {
  u8 *bda = (u8 *)0x400;
  u32 ebda = (u32)((bda[0x0f] << 8) | bda[0x0e]) << 4;
  struct mp *mp;
  if (ebda && (mp = mp_scan(ebda, 1024))) { mp_where = "the EBDA"; return mp; }
  u32 base = (u32)((bda[0x14] << 8) | bda[0x13]) * 1024;
  if ((mp = mp_scan(base - 1024, 1024))) { mp_where = "the last KiB of base memory"; return mp; }
  if ((mp = mp_scan(0xf0000, 0x10000))) { mp_where = "the BIOS ROM area"; return mp; }
  return 0;
}

static void t_mp(void) {
  struct mp *mp = mp_search();
  if (!mp) {
    kprintf("mp: no floating pointer\n");
    qemu_exit(2);
  }
  kprintf("mp: floating pointer in %s, 16-byte aligned: %s, spec 1.%d, IMCR: %s\n", mp_where,
          yes(((u32)mp & 15) == 0), mp->specrev, yes(mp->imcrp & 0x80));
  struct mpconf *conf = (struct mpconf *)mp->physaddr;
  int ok = memeq(conf->signature, "PCMP", 4) && sum8(conf, conf->length) == 0;
  kprintf("mp: config table PCMP with a valid checksum: %s, version %d, no extended entries: %s, local APIC at %x\n",
          yes(ok), conf->version, yes(conf->xlength == 0), conf->lapicaddr);
  lapic = (volatile u32 *)conf->lapicaddr;
  u32 cpus = 0, bsp = 0xff, ioapics = 0, isa_bus = 0xff, extint_lint0 = 0, nmi_lint1 = 0;
  u32 pin_of[16];
  for (int i = 0; i < 16; i++) pin_of[i] = 0xff;
  u8 *p = (u8 *)(conf + 1), *e = (u8 *)conf + conf->length;
  /* Two passes: the ISA bus id is needed to read the interrupt entries. */
  for (u8 *q = p; q < e; q += (*q == 0 ? 20 : 8))
    if (*q == 1 && memeq(q + 2, "ISA   ", 6)) isa_bus = q[1];
  for (; p < e; p += (*p == 0 ? 20 : 8)) {
    switch (*p) {
      case 0: /* processor */
        cpus++;
        if (p[3] & 0x02) bsp = p[1];
        break;
      case 2: /* I/O APIC */
        ioapics++;
        ioapic_table_id = p[1];
        ioapic_addr = *(u32 *)(p + 4);
        break;
      case 3: /* I/O interrupt assignment */
        if (p[4] == isa_bus && p[1] == 0 && p[5] < 16) pin_of[p[5]] = p[7];
        break;
      case 4: /* local interrupt assignment */
        if (p[1] == 3 && p[7] == 0) extint_lint0 = 1;
        if (p[1] == 1 && p[7] == 1) nmi_lint1 = 1;
        break;
    }
  }
  kprintf("mp: %d processor, bootstrap processor's APIC id %d, ISA bus: %s, %d I/O APIC at %x\n", cpus, bsp,
          yes(isa_bus != 0xff), ioapics, ioapic_addr);
  kprintf("mp: ISA IRQ 0 -> INTIN%d, IRQ 1 -> INTIN%d, IRQ 4 -> INTIN%d, IRQ 14 -> INTIN%d\n", pin_of[0], pin_of[1],
          pin_of[4], pin_of[14]);
  kprintf("mp: 8259A as ExtINT on LINT0: %s, NMI on LINT1: %s\n", yes(extint_lint0), yes(nmi_lint1));
}

/* ------------------------------------------------------------------ BIOS data area and CMOS (MC146818) */

static u8 cmos(u8 reg) {
  outb(0x70, reg);
  return inb(0x71);
}

static int bcd_ok(u8 v, u32 lo, u32 hi) {
  if ((v & 0x0f) > 9 || (v >> 4) > 9) return 0;
  u32 d = (v >> 4) * 10u + (v & 0x0fu);
  return d >= lo && d <= hi;
}

static void t_bda_cmos(void) {
  u16 *bda = (u16 *)0x400;
  kprintf("bda: COM1 at %x, EBDA at segment %x, base memory %d KiB\n", bda[0], *(u16 *)0x40e, *(u16 *)0x413);
  u32 base = cmos(0x15) | (u32)cmos(0x16) << 8;
  u32 ext = cmos(0x17) | (u32)cmos(0x18) << 8;
  u32 ext2 = cmos(0x30) | (u32)cmos(0x31) << 8;
  u32 ext16 = cmos(0x34) | (u32)cmos(0x35) << 8;
  kprintf("cmos: base %d KiB, extended %d KiB (again at 0x30: %d), above 16 MiB %d x 64 KiB: %d MiB in all\n", base,
          ext, ext2, ext16, 16 + ext16 / 16);
  u8 a = cmos(0x0a), b = cmos(0x0b), d = cmos(0x0d);
  kprintf("rtc: A=%2x (without UIP) B=%2x D=%2x\n", a & 0x7f, b, d);
  /* xv6's cmostime: read until two readings agree and UIP was clear between them. */
  u8 t1[6], t2[6];
  const u8 regs[6] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09};
  for (int tries = 0; tries < 100; tries++) {
    for (int i = 0; i < 6; i++) t1[i] = cmos(regs[i]);
    if (cmos(0x0a) & 0x80) continue;
    for (int i = 0; i < 6; i++) t2[i] = cmos(regs[i]);
    if (memeq(t1, t2, 6)) break;
  }
  int valid = bcd_ok(t1[0], 0, 59) && bcd_ok(t1[1], 0, 59) && bcd_ok(t1[2], 0, 23) && bcd_ok(t1[3], 1, 31) &&
              bcd_ok(t1[4], 1, 12) && bcd_ok(t1[5], 24, 99);
  kprintf("rtc: date and time are BCD and in range (year 20%2x or later): %s, century %2x\n", 0x24, yes(valid),
          cmos(0x32));
}

/* ------------------------------------------------------------------ local APIC */

static void t_lapic(void) {
  u32 ver = lapic_read(L_VER);
  kprintf("lapic: id %d, version %2x, max LVT entry %d\n", lapic_read(L_ID) >> 24, ver & 0xff, (ver >> 16) & 0xff);
  /* xv6's lapicinit, in its order. */
  lapic_write(L_SVR, 0x100 | V_SPURIOUS);
  lapic_write(L_TDCR, 0x0b); /* divide by 1 */
  lapic_write(L_TIMER, PERIODIC | V_TIMER);
  lapic_write(L_TICR, 1000000);
  lapic_write(L_LINT0, MASKED);
  lapic_write(L_LINT1, MASKED);
  if (((lapic_read(L_VER) >> 16) & 0xff) >= 4) lapic_write(L_PCINT, MASKED);
  lapic_write(L_ERROR, V_ERROR);
  lapic_write(L_ESR, 0);
  lapic_write(L_ESR, 0);
  lapic_write(L_EOI, 0);
  lapic_write(L_ICRHI, 0);
  lapic_write(L_ICRLO, 0x00080000 | 0x500 | 0x8000); /* all including self, INIT, level de-assert */
  while (lapic_read(L_ICRLO) & DELIVS) {
  }
  lapic_write(L_TPR, 0);
  kprintf("lapic: enabled with spurious vector %d: %s, LINT0 masked: %s\n", lapic_read(L_SVR) & 0xff,
          yes(lapic_read(L_SVR) & 0x100), yes(lapic_read(L_LINT0) & MASKED));

  int got = wait_for(V_TIMER, 5);
  u32 ccr = lapic_read(L_TCCR);
  kprintf("lapic timer: periodic, 5 interrupts at vector %d: %s, current count within the initial: %s\n", V_TIMER,
          yes(got), yes(ccr > 0 && ccr <= 1000000));
  lapic_write(L_TIMER, MASKED | PERIODIC | V_TIMER);
  /* An expiry that came while interrupts were off (QEMU's timer runs in real time, so one may
     fall during the kprintf above) is already in IRR: let it in before counting. */
  sti();
  spin(1000);
  cli();
  u32 before = count[V_TIMER];
  sti();
  spin(300000);
  cli();
  kprintf("lapic timer: masked, no more interrupts: %s\n", yes(count[V_TIMER] == before));

  /* Stop the periodic count (initial count 0) while still masked, before reprogramming: on QEMU
     the timer is a host timer, and an expiry already on its way would otherwise be delivered
     through the new LVT entry. */
  lapic_write(L_TICR, 0);
  spin(1000);
  lapic_write(L_TDCR, 0x03); /* divide by 16 */
  lapic_write(L_TIMER, V_ONESHOT);
  lapic_write(L_TICR, 50000);
  got = wait_for(V_ONESHOT, 1);
  while (lapic_read(L_TCCR) != 0) {
  }
  sti();
  spin(300000);
  cli();
  kprintf("lapic timer: one-shot, divide %x: %d interrupt at vector %d (%s), then the count stays 0: %s\n",
          lapic_read(L_TDCR), count[V_ONESHOT], V_ONESHOT, yes(got), yes(lapic_read(L_TCCR) == 0));
  lapic_write(L_TICR, 0);

  lapic_write(L_ICRHI, 0);
  lapic_write(L_ICRLO, 0x00040000 | V_IPI); /* self, fixed */
  got = wait_for(V_IPI, 1);
  kprintf("lapic: fixed IPI to self at vector %d: %d delivered, delivery status idle: %s\n", V_IPI, count[V_IPI],
          yes(!(lapic_read(L_ICRLO) & DELIVS)));

  lapic_write(L_TPR, 0x40);
  lapic_write(L_ICRHI, 0u << 24); /* physical destination: APIC id 0 */
  lapic_write(L_ICRLO, V_IPI_TPR);
  sti();
  spin(100000);
  cli();
  u32 held = count[V_IPI_TPR];
  u32 ppr = lapic_read(L_PPR);
  lapic_write(L_TPR, 0);
  got = wait_for(V_IPI_TPR, 1);
  kprintf("lapic: TPR %x holds vector %x back (%d taken, PPR %x), TPR 0 lets it in: %s\n", 0x40, V_IPI_TPR, held, ppr,
          yes(got && count[V_IPI_TPR] == 1));
}

/* ------------------------------------------------------------------ I/O APIC (82093AA) */

static volatile u32 *ioapic;

static u32 ioapic_read(u32 reg) {
  ioapic[0] = reg;
  return ioapic[4];
}
static void ioapic_write(u32 reg, u32 v) {
  ioapic[0] = reg;
  ioapic[4] = v;
}
static void ioapic_enable(int irq, int pin, int cpu) {
  ioapic_write(0x10 + 2 * pin, (u32)(T_IRQ0 + irq));
  ioapic_write(0x11 + 2 * pin, (u32)cpu << 24);
}

static void t_ioapic(void) {
  ioapic = (volatile u32 *)ioapic_addr;
  u32 maxintr = (ioapic_read(1) >> 16) & 0xff;
  u32 id = ioapic_read(0) >> 24;
  kprintf("ioapic: max redirection entry %d, id matches the MP table: %s\n", maxintr, yes(id == ioapic_table_id));
  for (u32 i = 0; i <= maxintr; i++) {
    ioapic_write(0x10 + 2 * i, 0x10000u | (T_IRQ0 + i));
    ioapic_write(0x11 + 2 * i, 0);
  }
  kprintf("ioapic: entries masked and read back: %s\n", yes(ioapic_read(0x10 + 2 * 5) == (0x10000u | (T_IRQ0 + 5))));

  /* COM1 on IRQ 4: the transmitter-empty interrupt comes at once when enabled. */
  ioapic_enable(4, 4, 0);
  outb(COM1 + 1, 0x02);
  int got = wait_for(V_COM1, 1);
  kprintf("ioapic: COM1 transmitter-empty interrupt through INTIN4 at vector %d: %s (%d, THRE: %s)\n", V_COM1,
          yes(got), count[V_COM1], yes(uart_thre_seen == 1));
  ioapic_write(0x10 + 2 * 4, 0x10000u | V_COM1);

  /* The keyboard controller, then the keyboard on IRQ 1. */
  outb(0x64, 0x20);
  while (!(inb(0x64) & 1)) {
  }
  u8 ccb = inb(0x60);
  outb(0x64, 0xaa);
  while (!(inb(0x64) & 1)) {
  }
  u8 selftest = inb(0x60);
  kprintf("8042: command byte %2x, self-test %2x, output buffer empty after: %s\n", ccb, selftest, yes(!(inb(0x64) & 1)));
  ioapic_enable(1, 1, 0);
  /* "Hi!" and enter, as make and break codes, each through the controller's 0xD2 command. */
  static const u8 codes[] = {0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97, 0x2a, 0x02, 0x82, 0xaa, 0x1c, 0x9c};
  int all = 1;
  for (u32 i = 0; i < sizeof codes; i++) {
    outb(0x64, 0xd2);
    outb(0x60, codes[i]);
    all &= wait_for(V_KBD, i + 1);
  }
  int enter = ntyped > 0 && typed[ntyped - 1] == '\n';
  typed[enter ? ntyped - 1 : ntyped] = 0;
  kprintf("8042: %d scan codes in %d interrupts through INTIN1 (%s), decoded \"%s\", then enter: %s\n",
          (u32)sizeof codes, count[V_KBD], yes(all), typed, yes(enter));
}

/* ------------------------------------------------------------------ IDE (ATA-4 PIO) on the slave disk */

#define IDE_BSY 0x80
#define IDE_DRDY 0x40
#define IDE_DF 0x20
#define IDE_DRQ 0x08
#define IDE_ERR 0x01

static u32 sector[128];

static int idewait(int checkerr) {
  int r;
  while (((r = inb(0x1f7)) & (IDE_BSY | IDE_DRDY)) != IDE_DRDY) {
  }
  if (checkerr && (r & (IDE_DF | IDE_ERR)) != 0) return -1;
  return 0;
}

static void ide_command(u32 lba, u32 n, u8 cmd) {
  idewait(0);
  outb(0x3f6, 0); /* interrupts on */
  outb(0x1f2, (u8)n);
  outb(0x1f3, lba & 0xff);
  outb(0x1f4, (lba >> 8) & 0xff);
  outb(0x1f5, (lba >> 16) & 0xff);
  outb(0x1f6, 0xe0 | (1 << 4) | ((lba >> 24) & 0x0f));
  outb(0x1f7, cmd);
}

static u32 sector_sum(void) {
  u32 s = 0;
  for (int i = 0; i < 128; i++) s = s * 31 + sector[i];
  return s;
}

static void t_ide(void) {
  ioapic_enable(14, 14, 0);
  /* xv6's check for disk 1: select it, and look for a status that is not 0. */
  outb(0x1f6, 0xe0 | (1 << 4));
  int disk1 = 0;
  for (int i = 0; i < 1000; i++)
    if (inb(0x1f7) != 0) {
      disk1 = 1;
      break;
    }
  kprintf("ide: disk 1 present: %s\n", yes(disk1));

  u32 n = count[V_IDE];
  idewait(0);
  outb(0x3f6, 0);
  outb(0x1f7, 0xec); /* IDENTIFY DEVICE */
  int got = wait_for(V_IDE, n + 1);
  idewait(0);
  u16 id[256];
  for (int i = 0; i < 256; i++) id[i] = inw(0x1f0);
  kprintf("ide: identify: interrupt %s, %d sectors, LBA: %s, data done: %s\n", yes(got), id[60] | (u32)id[61] << 16,
          yes(id[49] & 0x200), yes(!(inb(0x1f7) & IDE_DRQ)));

  n = count[V_IDE];
  ide_command(5, 1, 0x20);
  got = wait_for(V_IDE, n + 1);
  int ok = idewait(1) >= 0;
  insl(0x1f0, sector, 128);
  kprintf("ide: read sector 5: interrupt %s, status ok %s, tag %d, hash %8x\n", yes(got), yes(ok), sector[0],
          sector_sum());

  for (int i = 0; i < 128; i++) sector[i] = 0x5a000000u + (u32)i * 0x01010101u;
  u32 written = sector_sum();
  n = count[V_IDE];
  ide_command(7, 1, 0x30);
  ok = idewait(0) >= 0 && (inb(0x1f7) & IDE_DRQ);
  outsl(0x1f0, sector, 128);
  got = wait_for(V_IDE, n + 1);
  int okw = idewait(1) >= 0;
  for (int i = 0; i < 128; i++) sector[i] = 0;
  n = count[V_IDE];
  ide_command(7, 1, 0x20);
  wait_for(V_IDE, n + 1);
  idewait(1);
  insl(0x1f0, sector, 128);
  kprintf("ide: write sector 7: DRQ before data %s, completion interrupt %s, status ok %s, read back equal: %s\n",
          yes(ok), yes(got), yes(okw), yes(sector_sum() == written));

  n = count[V_IDE];
  ide_command(10, 3, 0x20);
  u32 tags = 0;
  int irqs_ok = 1;
  for (u32 s = 0; s < 3; s++) {
    irqs_ok &= wait_for(V_IDE, n + s + 1);
    idewait(1);
    insl(0x1f0, sector, 128);
    tags = tags * 100 + sector[0];
  }
  kprintf("ide: read 3 sectors from 10: one interrupt per sector %s (%d), tags %d, done: %s\n", yes(irqs_ok),
          count[V_IDE] - n, tags, yes(!(inb(0x1f7) & IDE_DRQ)));

  n = count[V_IDE];
  ide_command(1000, 1, 0x20);
  got = wait_for(V_IDE, n + 1);
  kprintf("ide: read beyond the disk: interrupt %s, ERR: %s\n", yes(got), yes(inb(0x1f7) & IDE_ERR));

  n = count[V_IDE];
  idewait(0);
  outb(0x3f6, 0x02); /* nIEN */
  outb(0x1f2, 1);
  outb(0x1f3, 3);
  outb(0x1f4, 0);
  outb(0x1f5, 0);
  outb(0x1f6, 0xe0 | (1 << 4));
  outb(0x1f7, 0x20);
  while ((inb(0x1f7) & (IDE_BSY | IDE_DRQ)) != IDE_DRQ) {
  }
  insl(0x1f0, sector, 128);
  sti();
  spin(100000);
  cli();
  kprintf("ide: with nIEN set: no interrupt %s, data by polling, tag %d\n", yes(count[V_IDE] == n), sector[0]);
  outb(0x3f6, 0);
}

/* ------------------------------------------------------------------ CGA text screen */

static void t_cga(void) {
  volatile u16 *cga = (volatile u16 *)0xb8000;
  const char *msg = "RINGSIDE";
  u32 at = 5 * 80 + 10;
  for (int i = 0; msg[i]; i++) cga[at + i] = (u16)(0x1f00 | (u8)msg[i]);
  int same = 1;
  for (int i = 0; msg[i]; i++) same &= cga[at + i] == (u16)(0x1f00 | (u8)msg[i]);
  u32 pos = at + 8;
  outb(0x3d4, 14);
  outb(0x3d5, (u8)(pos >> 8));
  outb(0x3d4, 15);
  outb(0x3d5, (u8)pos);
  outb(0x3d4, 14);
  u32 back = (u32)inb(0x3d5) << 8;
  outb(0x3d4, 15);
  back |= inb(0x3d5);
  kprintf("cga: 8 cells written and read back: %s, cursor set to %d, reads %d (row %d, column %d)\n", yes(same), pos,
          back, back / 80, back % 80);
}

/* ------------------------------------------------------------------ QEMU's fw_cfg */

static void fwcfg_select(u16 key) { __asm__ volatile("outw %0, %1" : : "a"(key), "Nd"((u16)0x510)); }

static u32 fwcfg_read(u32 n) {
  u32 v = 0;
  for (u32 i = 0; i < n; i++) v |= (u32)inb(0x511) << (8 * i);
  return v;
}

static void t_fwcfg(void) {
  fwcfg_select(0);
  char sig[5];
  for (int i = 0; i < 4; i++) sig[i] = (char)inb(0x511);
  sig[4] = 0;
  fwcfg_select(1);
  u32 id = fwcfg_read(4);
  fwcfg_select(3);
  u32 lo = fwcfg_read(4), hi = fwcfg_read(4);
  fwcfg_select(5);
  u32 ncpu = fwcfg_read(2);
  kprintf("fw_cfg: signature %s, traditional interface: %s, RAM %x%8x, %d CPU\n", sig, yes(id & 1), hi, lo, ncpu);
}

/* ------------------------------------------------------------------ bench: LAPIC timer interrupts during work */

static void bench(void) {
  lapic_write(L_SVR, 0x100 | V_SPURIOUS);
  lapic_write(L_TDCR, 0x0b);
  lapic_write(L_TIMER, PERIODIC | V_TIMER);
  lapic_write(L_TICR, 2000);
  u32 x = 1;
  sti();
  for (u32 i = 0; i < 25000000u; i++) x = x * 1103515245u + 12345u;
  cli();
  lapic_write(L_TIMER, MASKED);
  kprintf("bench: %d timer interrupts, x=%8x\n", count[V_TIMER], x);
}

/* ------------------------------------------------------------------ entry */

static int cmdline_has(u32 *mbi, const char *word) {
  if (!(mbi[0] & 4)) return 0;
  const char *s = (const char *)mbi[4];
  for (; *s; s++) {
    int i = 0;
    while (word[i] && s[i] == word[i]) i++;
    if (!word[i] && (s[i] == 0 || s[i] == ' ')) return 1;
  }
  return 0;
}

void kmain(u32 *mbi) {
  serial_init();
  gdt_idt_init();
  pic_mask_all();
  if (cmdline_has(mbi, "bench")) {
    lapic = (volatile u32 *)0xfee00000;
    bench();
    qemu_exit(0);
  }
  kprintf("== platform\n");
  t_mp();
  t_bda_cmos();
  t_lapic();
  t_ioapic();
  t_ide();
  t_cga();
  t_fwcfg();
  kprintf("== done\n");
  qemu_exit(0);
}
