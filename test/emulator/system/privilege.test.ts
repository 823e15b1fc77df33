// Privilege levels (SDM vol. 3, 5.x, 6.12): int n against the gate's DPL, the ring 3 -> 0 frame
// with the TSS stack switch and iret back, sysenter/sysexit, privileged instructions in ring 3
// (#GP(0)), and popf's silent IF/IOPL rules.
import { expect } from 'vitest';
import { lines, systemSuite } from './suite.js';

systemSuite('privilege', [
  {
    test: 'int-dpl',
    title: 'int n from ring 3: #GP(vector*8+2) through a DPL 0 gate; the frame and iret through a DPL 3 gate',
    // #GP for the gate check is a fault: EIP stays on the int instruction. The int $0x30 frame is
    // five words (no error code) ending at tss.esp0; the #PF frame six, error code lowest. iret
    // to ring 3 nulls DS/ES/GS when they hold DPL 0 selectors (SDM vol. 2, IRET).
    expected: lines(`
      int $0x32 (gate DPL 0) from ring 3: #GP vec=13 err=0x192 eip=u_int32 cs=0x1b ss:esp=0x23:0x00800000
      int $0x30 (gate DPL 3) from ring 3:
        handler runs with cs=0x8 ss=0x10 (ss0 from the TSS)
        CPU frame at tss.esp0-0x14: eip=u_int30_at+2 cs=0x1b eflags=0x246 esp=0x00800000 ss=0x23
        EFLAGS.IF in the handler: 0
        back in ring 3 after iret: cs=0x1b ss=0x23 ds=0x23 esp=0x00800000 eax=0x1234
      int $0x30 whose handler returns with ds=es=gs=0x10: ring 3 sees ds=0x0 es=0x0 gs=0x0
      #PF from ring 3:
        CPU frame at tss.esp0-0x18, low to high:
        error code 0x4
        eip u_read_at
        cs 0x1b
        eflags 0x2
        esp 0x00800000
        ss 0x23
    `),
    check(run) {
      const gp = run.events.find((e) => e.vector === 13);
      expect(gp && [gp.errorCode, gp.cplBefore, gp.cplAfter]).toEqual([0x32 * 8 + 2, 3, 0]);
      const sc = run.events.find((e) => e.vector === 0x30);
      expect(sc && [sc.errorCode, sc.cplBefore, sc.cplAfter]).toEqual([-1, 3, 0]);
    },
  },
  {
    test: 'sysenter',
    title: 'sysenter/sysexit: MSRs 0x174-0x176, CS/SS from IA32_SYSENTER_CS (+0, +8, +16|3, +24|3), IF cleared',
    // sysexit leaves EFLAGS alone, so IF stays 0 after the round trip (a kernel does sti first).
    expected: lines(`
      IA32_SYSENTER_CS=0x8, ESP is sysstack_top: yes, EIP is sysenter_entry: yes
      after sysenter: cs=0x8 ss=0x10 esp is sysstack_top: yes IF=0 eax=0x77
      after sysexit: cs=0x1b ss=0x23 esp=0x00800000 IF=0 eax=0x78
      sysexit from ring 3: #GP vec=13 err=0x0 eip=sysenter_entry+31 cs=0x1b ss:esp=0x23:0x00800000
      sysenter with IA32_SYSENTER_CS=0: #GP vec=13 err=0x0 eip=u_sysenter_at cs=0x1b ss:esp=0x23:0x00800000
    `),
  },
  {
    test: 'priv-ring3',
    title: 'privileged instructions in ring 3 raise #GP(0); popf keeps IF and IOPL',
    // "name+N": the snippet sets up registers first; EIP is on the privileged instruction.
    expected: lines(`
      cli: #GP vec=13 err=0x0 eip=cli cs=0x1b ss:esp=0x23:0x007ffff0
      sti: #GP vec=13 err=0x0 eip=sti cs=0x1b ss:esp=0x23:0x007ffff0
      hlt: #GP vec=13 err=0x0 eip=hlt cs=0x1b ss:esp=0x23:0x007ffff0
      in_imm: #GP vec=13 err=0x0 eip=in_imm cs=0x1b ss:esp=0x23:0x007ffff0
      out_imm: #GP vec=13 err=0x0 eip=out_imm cs=0x1b ss:esp=0x23:0x007ffff0
      in_dx: #GP vec=13 err=0x0 eip=in_dx+4 cs=0x1b ss:esp=0x23:0x007ffff0
      out_dx: #GP vec=13 err=0x0 eip=out_dx+4 cs=0x1b ss:esp=0x23:0x007ffff0
      mov_from_cr0: #GP vec=13 err=0x0 eip=mov_from_cr0 cs=0x1b ss:esp=0x23:0x007ffff0
      mov_to_cr0: #GP vec=13 err=0x0 eip=mov_to_cr0 cs=0x1b ss:esp=0x23:0x007ffff0
      mov_from_cr3: #GP vec=13 err=0x0 eip=mov_from_cr3 cs=0x1b ss:esp=0x23:0x007ffff0
      mov_to_cr3: #GP vec=13 err=0x0 eip=mov_to_cr3 cs=0x1b ss:esp=0x23:0x007ffff0
      mov_to_dr7: #GP vec=13 err=0x0 eip=mov_to_dr7 cs=0x1b ss:esp=0x23:0x007ffff0
      lgdt: #GP vec=13 err=0x0 eip=lgdt cs=0x1b ss:esp=0x23:0x007ffff0
      lidt: #GP vec=13 err=0x0 eip=lidt cs=0x1b ss:esp=0x23:0x007ffff0
      ltr: #GP vec=13 err=0x0 eip=ltr+4 cs=0x1b ss:esp=0x23:0x007ffff0
      lldt: #GP vec=13 err=0x0 eip=lldt+2 cs=0x1b ss:esp=0x23:0x007ffff0
      invlpg: #GP vec=13 err=0x0 eip=invlpg cs=0x1b ss:esp=0x23:0x007ffff0
      wrmsr: #GP vec=13 err=0x0 eip=wrmsr+9 cs=0x1b ss:esp=0x23:0x007ffff0
      rdmsr: #GP vec=13 err=0x0 eip=rdmsr+5 cs=0x1b ss:esp=0x23:0x007ffff0
      clts: #GP vec=13 err=0x0 eip=clts cs=0x1b ss:esp=0x23:0x007ffff0
      popf 0x3203 with EFLAGS 0x0002: before 0x0002 after 0x0003
      popf 0x0001 with EFLAGS 0x0202: before 0x0202 after 0x0203
      popf 0x0203 with EFLAGS 0x3002: before 0x3002 after 0x3203
      with IOPL 3: cli ok, out ok
    `),
    check(run) {
      // The 20 privileged instructions: each one #GP(0) from ring 3.
      const gps = run.events.filter((e) => e.vector === 13);
      expect(gps.length).toBe(20);
      expect(gps.every((e) => e.errorCode === 0 && e.cplBefore === 3)).toBe(true);
    },
  },
]);
