/* The test kernel's runtime: console, descriptor tables, paging, traps. */
#ifndef RUNTIME_H
#define RUNTIME_H
#include <stdint.h>
#include "layout.h"

struct trapframe {
  uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax; /* pushal */
  uint32_t gs, fs, es, ds;
  uint32_t vector, err;        /* err is 0 when the CPU pushes none */
  uint32_t eip, cs, eflags;    /* pushed by the CPU */
  uint32_t esp, ss;            /* pushed by the CPU only on a privilege change */
};

struct tss {
  uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
  uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
  uint32_t es, cs, ss, ds, fs, gs, ldt;
  uint16_t trap, iomap;
};

/* Console (COM1) and the end of a run (QEMU's isa-debug-exit at 0xf4). */
void kprintf(const char *fmt, ...);
void qemu_exit(int code) __attribute__((noreturn));

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t rcr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t rcr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t rcr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t rcr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void lcr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void lcr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void lcr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
static inline void wrmsr(uint32_t msr, uint32_t lo, uint32_t hi) { __asm__ volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(hi)); }
static inline uint32_t rdmsr_lo(uint32_t msr) { uint32_t lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr)); return lo; }
static inline uint32_t read_eflags(void) { uint32_t v; __asm__ volatile("pushfl; popl %0" : "=r"(v)); return v; }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }

#define CR0_WP (1u << 16)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define PTE_P 1u
#define PTE_W 2u
#define PTE_U 4u
#define PTE_A 0x20u
#define PTE_D 0x40u
#define PTE_PS 0x80u
#define FL_IF 0x200u
#define FL_IOPL(n) ((uint32_t)(n) << 12)

/* Descriptor tables (runtime.c fills them; the inspector test reads them back). */
extern uint64_t gdt[GDT_ENTRIES];
extern uint64_t idt[256];
extern struct tss tss;
extern uint8_t trapstack_top[], ring1stack_top[], sysstack_top[];
void set_gate(int vector, void (*entry)(void), uint16_t selector, int trap, int dpl, int present);
void set_gate_selector(int vector, uint16_t selector);
void (*stub_for(int vector))(void);

/* Paging: 0-8 MiB identity-mapped user rw (page 0 absent); more mappings on demand. */
extern uint32_t pgdir[1024];
uint32_t *pte_slot(uint32_t va, uint32_t pde_flags);   /* creates the page table if missing */
void map_page(uint32_t va, uint32_t pa, uint32_t pte_flags); /* PDE gets P|W|U; invlpg done */
void unmap_page(uint32_t va);
uint32_t frame(int k);                                 /* k-th spare physical page (zeroed once) */

/* Traps. A hook returning 1 has handled the trap (the frame is resumed by iret). */
typedef int (*trap_hook_t)(struct trapframe *tf);
extern trap_hook_t trap_hook;
extern void (*irq_hook)(int irq);
extern volatile uint32_t irq_count[16];
void report(struct trapframe *tf);
const char *vector_name(uint32_t vector);
int has_error_code(uint32_t vector);
/* Names the instruction expected to trap, so reports print "eip=name+N" instead of raw addresses. */
void set_site(const char *name, const void *addr);
void print_eip(uint32_t eip);

int try_call(void (*fn)(void));
int run_user(const void *eip, uint32_t esp, uint32_t eflags, uint32_t eax);
void recover(int value) __attribute__((noreturn));

void pic_remap_and_mask(void);
void pic_eoi(int irq);

/* Sub-tests: name, function (registered in tests.c). */
struct subtest { const char *name; void (*run)(void); };

#endif
