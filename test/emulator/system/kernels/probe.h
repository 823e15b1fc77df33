/* Probing one access from ring 0 or ring 3 and printing what happened. */
#ifndef PROBE_H
#define PROBE_H
#include "runtime.h"

enum access { READ, WRITE, EXEC };
extern volatile uint32_t probe_addr, probe_value;
extern char k_read[], k_read_at[], k_write[], k_write_at[], k_write16[], k_write16_at[], k_exec[];
extern char u_read[], u_read_at[], u_write[], u_write_at[], u_exec[];

/* Prints "<label>: " then the trap report, or "ok". Returns 1 when the access faulted. */
int probe(const char *label, int cpl, enum access a, uint32_t va);
/* Runs a ring 0 snippet; the site for reports is `site`. */
int kernel(const char *label, void (*fn)(void), const char *site_name, void *site);
#endif
