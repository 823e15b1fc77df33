/* Segment-register loads and their descriptor checks (SDM vol. 2, MOV: "IF SS is loaded ...",
   "IF DS, ES, FS, or GS is loaded with non-NULL selector"). The error code is the selector with
   RPL cleared; a fault leaves the register unchanged. */
#include "probe.h"

extern char load_ss[], load_ss_at[], load_ds[], load_ds_at[];
extern char u_load_ds[], u_load_ds_at[], u_load_ss[], u_load_ss_at[];
extern volatile uint32_t seg_selector;

static void k_load(const char *what, int ss, uint32_t selector) {
  seg_selector = selector;
  kprintf("%s %s <- 0x%x: ", what, ss ? "ss" : "ds", selector);
  set_site(ss ? "load_ss_at" : "load_ds_at", ss ? load_ss_at : load_ds_at);
  if (try_call((void (*)(void))(ss ? load_ss : load_ds)) == -1) kprintf("ok\n");
}

static void u_load(const char *what, int ss, uint32_t selector) {
  kprintf("%s %s <- 0x%x in ring 3: ", what, ss ? "ss" : "ds", selector);
  set_site(ss ? "u_load_ss_at" : "u_load_ds_at", ss ? u_load_ss_at : u_load_ds_at);
  if (run_user(ss ? u_load_ss : u_load_ds, USTACK_TOP, 0x2, selector) == 0x31) kprintf("ok\n");
}

void t_segments(void) {
  k_load("null selector", 1, 0);
  k_load("null selector, RPL 3", 1, 3);
  k_load("index beyond the GDT limit", 1, 0x1f8);
  k_load("index beyond the GDT limit", 0, 0x1f8);
  k_load("index beyond the GDT limit, RPL 3", 0, 0x1fb);
  k_load("LDT selector, no LDT loaded", 0, 0x0c);
  k_load("DPL 3 data at CPL 0", 1, UDATA & ~3);
  k_load("RPL 3 selector at CPL 0", 1, KDATA | 3);
  k_load("read-only data", 1, RODATA);
  k_load("code segment", 1, KCODE);
  k_load("not-present data", 1, NPSTACK);
  k_load("not-present data", 0, NPDATA);
  k_load("execute-only code", 0, XOCODE);
  k_load("TSS descriptor", 0, TSSSEL);
  k_load("readable code", 0, KCODE);
  k_load("DPL 3 data at CPL 0", 0, UDATA);
  k_load("null selector", 0, 0);
  k_load("ring 0 data", 1, KDATA);
  u_load("DPL 0 data", 0, KDATA | 3);
  u_load("DPL 0 data", 1, KDATA | 3);
  u_load("DPL 3 data, RPL 0", 1, UDATA & ~3);
  u_load("DPL 3 data", 0, UDATA);
  u_load("DPL 3 data", 1, UDATA);
}
