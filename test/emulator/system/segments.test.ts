// Segment-register loads (SDM vol. 2, MOV and POP: "IF SS is loaded", "IF DS, ES, FS, or GS is
// loaded"): null SS is #GP(0), a selector beyond the table limit #GP(sel), SS needs RPL = DPL =
// CPL and a writable data segment, a not-present segment is #NP(sel) (#SS(sel) for SS), and a
// code segment must be readable to go into DS. Error codes carry the selector without its RPL.
import { lines, systemSuite } from './suite.js';

systemSuite('segments', [
  {
    test: 'segments',
    title: 'descriptor checks of mov to SS and DS from ring 0 and ring 3',
    // The kernel loads a null LDTR first, so an LDT selector faults (#GP) instead of reading
    // the reset-state LDT at linear 0.
    expected: lines(`
      null selector ss <- 0x0: #GP vec=13 err=0x0 eip=load_ss_at cs=0x8
      null selector, RPL 3 ss <- 0x3: #GP vec=13 err=0x0 eip=load_ss_at cs=0x8
      index beyond the GDT limit ss <- 0x1f8: #GP vec=13 err=0x1f8 eip=load_ss_at cs=0x8
      index beyond the GDT limit ds <- 0x1f8: #GP vec=13 err=0x1f8 eip=load_ds_at cs=0x8
      index beyond the GDT limit, RPL 3 ds <- 0x1fb: #GP vec=13 err=0x1f8 eip=load_ds_at cs=0x8
      LDT selector, no LDT loaded ds <- 0xc: #GP vec=13 err=0xc eip=load_ds_at cs=0x8
      DPL 3 data at CPL 0 ss <- 0x20: #GP vec=13 err=0x20 eip=load_ss_at cs=0x8
      RPL 3 selector at CPL 0 ss <- 0x13: #GP vec=13 err=0x10 eip=load_ss_at cs=0x8
      read-only data ss <- 0x50: #GP vec=13 err=0x50 eip=load_ss_at cs=0x8
      code segment ss <- 0x8: #GP vec=13 err=0x8 eip=load_ss_at cs=0x8
      not-present data ss <- 0x58: #SS vec=12 err=0x58 eip=load_ss_at cs=0x8
      not-present data ds <- 0x40: #NP vec=11 err=0x40 eip=load_ds_at cs=0x8
      execute-only code ds <- 0x48: #GP vec=13 err=0x48 eip=load_ds_at cs=0x8
      TSS descriptor ds <- 0x28: #GP vec=13 err=0x28 eip=load_ds_at cs=0x8
      readable code ds <- 0x8: ok
      DPL 3 data at CPL 0 ds <- 0x23: ok
      null selector ds <- 0x0: ok
      ring 0 data ss <- 0x10: ok
      DPL 0 data ds <- 0x13 in ring 3: #GP vec=13 err=0x10 eip=u_load_ds_at cs=0x1b ss:esp=0x23:0x00800000
      DPL 0 data ss <- 0x13 in ring 3: #GP vec=13 err=0x10 eip=u_load_ss_at cs=0x1b ss:esp=0x23:0x00800000
      DPL 3 data, RPL 0 ss <- 0x20 in ring 3: #GP vec=13 err=0x20 eip=u_load_ss_at cs=0x1b ss:esp=0x23:0x00800000
      DPL 3 data ds <- 0x23 in ring 3: ok
      DPL 3 data ss <- 0x23 in ring 3: ok
    `),
  },
]);
