/* The sub-tests, selected by the last word of the multiboot command line. */
#include "runtime.h"

#define T(fn) void fn(void);
T(t_pf_notpresent) T(t_pf_protection) T(t_pf_fetch) T(t_pf_straddle) T(t_pf_restart)
T(t_int_dpl) T(t_gates_if) T(t_sysenter) T(t_priv_ring3)
T(t_exceptions) T(t_double_fault) T(t_triple_fault)
T(t_pit) T(t_pse_ad) T(t_tlb) T(t_segments) T(t_inspect)
#undef T

const struct subtest subtests[] = {
  { "pf-notpresent", t_pf_notpresent },
  { "pf-protection", t_pf_protection },
  { "pf-fetch", t_pf_fetch },
  { "pf-straddle", t_pf_straddle },
  { "pf-restart", t_pf_restart },
  { "int-dpl", t_int_dpl },
  { "gates-if", t_gates_if },
  { "sysenter", t_sysenter },
  { "priv-ring3", t_priv_ring3 },
  { "exceptions", t_exceptions },
  { "double-fault", t_double_fault },
  { "triple-fault", t_triple_fault },
  { "pit", t_pit },
  { "pse-ad", t_pse_ad },
  { "tlb", t_tlb },
  { "segments", t_segments },
  { "inspect", t_inspect },
  { 0, 0 },
};
