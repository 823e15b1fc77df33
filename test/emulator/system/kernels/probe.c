#include "probe.h"

static const char *const access_name[] = { "read", "write", "exec" };

int probe(const char *label, int cpl, enum access a, uint32_t va) {
  kprintf("%s ring%d %s 0x%8x: ", label, cpl, access_name[a], va);
  int faulted;
  if (cpl == 0) {
    static void (*const fns[])(void) = { (void (*)(void))k_read, (void (*)(void))k_write, (void (*)(void))k_exec };
    static char *const sites[] = { k_read_at, k_write_at, 0 };
    probe_addr = va;
    if (a == EXEC) set_site("target", (void *)va);
    else set_site(a == READ ? "k_read_at" : "k_write_at", sites[a]);
    faulted = try_call(fns[a]) != -1;
  } else {
    static char *const entries[] = { u_read, u_write, u_exec };
    if (a == EXEC) set_site("target", (void *)va);
    else set_site(a == READ ? "u_read_at" : "u_write_at", entries[a]);
    faulted = run_user(entries[a], USTACK_TOP, 0x2, va) != 0x31;
  }
  if (!faulted) kprintf("ok\n");
  return faulted;
}

int kernel(const char *label, void (*fn)(void), const char *site_name, void *site) {
  kprintf("%s: ", label);
  set_site(site_name, site);
  int v = try_call(fn);
  if (v == -1) kprintf("ok\n");
  return v;
}
