// Real IA-32 instructions that the Ringside emulator does not execute: the x87 FPU, MMX, SSE..SSE4,
// AVX, and a few integer and system instructions outside the emulator contract (DESIGN.md). The
// language server flags them, because on Ringside each one is an invalid opcode (#UD).
//
// These are names, not behaviour, so they are listed here rather than derived from the opcode
// table (which only holds what the emulator implements). test/extension/lsp-foreign.test.ts checks
// the names against gas: every one must be an instruction gas knows. The hint NOPs that a CPU
// without the extension runs as NOPs (prefetch*, endbr32, rdsspd, MPX's bnd*) are table entries
// (emulator/cpu/ops/hint-nop.ts), so they are not listed here.

export type Family = 'x87 floating point' | 'MMX' | 'SSE' | 'AVX' | 'integer or system';

export interface ForeignInstruction {
  family: Family;
  /** Written with the emulator's spelling, when gas's name differs from the stem (fildl: fild). */
  stem: string;
}

const words = (s: string): string[] => s.trim().split(/\s+/);

const X87 = words(`
  f2xm1 fabs fadd faddp fbld fbstp fchs fclex fnclex fcmovb fcmovbe fcmove fcmovnb fcmovnbe fcmovne
  fcmovnu fcmovu fcom fcomi fcomip fcomp fcompp fcos fdecstp fdiv fdivp fdivr fdivrp ffree ffreep
  fiadd ficom ficomp fidiv fidivr fild fimul fincstp finit fninit fist fistp fisttp fisub fisubr fld
  fld1 fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul fmulp fnop fpatan fprem fprem1 fptan
  frndint frstor fsave fnsave fscale fsin fsincos fsqrt fst fstcw fnstcw fstenv fnstenv fstp fstsw
  fnstsw fsub fsubp fsubr fsubrp ftst fucom fucomi fucomip fucomp fucompp fwait wait fxam fxch fxtract
  fyl2x fyl2xp1 fxsave fxrstor
`);
/**
 * gas's x87 memory-operand size suffixes: s (float, or int16 for the fi- forms), l (double, int32),
 * t (80-bit), ll and q (int64).
 */
const X87_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  fld: ['s', 'l', 't'], fstp: ['s', 'l', 't'], fst: ['s', 'l'],
  fild: ['s', 'l', 'll', 'q'], fistp: ['s', 'l', 'll', 'q'], fisttp: ['s', 'l', 'll', 'q'], fist: ['s', 'l'],
  fadd: ['s', 'l'], fsub: ['s', 'l'], fsubr: ['s', 'l'], fmul: ['s', 'l'], fdiv: ['s', 'l'], fdivr: ['s', 'l'],
  fcom: ['s', 'l'], fcomp: ['s', 'l'],
  fiadd: ['s', 'l'], fisub: ['s', 'l'], fisubr: ['s', 'l'], fimul: ['s', 'l'], fidiv: ['s', 'l'], fidivr: ['s', 'l'],
  ficom: ['s', 'l'], ficomp: ['s', 'l'],
};

const MMX_ONLY = words('emms movq2dq movdq2q maskmovq movntq pshufw femms');

/** Integer SIMD (MMX on %mm, SSE2 on %xmm): the p-prefixed operations. */
const PACKED_INT = words(`
  paddb paddw paddd paddq paddsb paddsw paddusb paddusw psubb psubw psubd psubq psubsb psubsw psubusb
  psubusw pmullw pmulld pmulhw pmulhuw pmuludq pmuldq pmaddwd pmaddubsw psadbw pand pandn por pxor
  psllw pslld psllq psrlw psrld psrlq psraw psrad pslldq psrldq pcmpeqb pcmpeqw pcmpeqd pcmpeqq
  pcmpgtb pcmpgtw pcmpgtd pcmpgtq packsswb packssdw packuswb packusdw punpckhbw punpckhwd punpckhdq
  punpckhqdq punpcklbw punpcklwd punpckldq punpcklqdq pshufd pshufhw pshuflw pshufb pextrb pextrw
  pextrd pinsrb pinsrw pinsrd pmovmskb pminsb pminsw pminsd pminub pminuw pminud pmaxsb pmaxsw pmaxsd
  pmaxub pmaxuw pmaxud pavgb pavgw pabsb pabsw pabsd psignb psignw psignd palignr ptest phaddw phaddd
  phaddsw phsubw phsubd phsubsw pmulhrsw pblendw pblendvb pmovsxbw pmovsxbd pmovsxbq pmovsxwd
  pmovsxwq pmovsxdq pmovzxbw pmovzxbd pmovzxbq pmovzxwd pmovzxwq pmovzxdq pcmpestri pcmpestrm
  pcmpistri pcmpistrm phminposuw mpsadbw pclmulqdq movd movq
`);

/** Floating-point SSE operations and the type suffixes each one takes. */
const FLOAT_OPS: readonly [string, string][] = [
  ['add sub mul div min max sqrt', 'ps pd ss sd'],
  ['rcp rsqrt', 'ps ss'],
  ['and andn or xor mova movu movh movl movnt movmsk shuf unpckh unpckl', 'ps pd'],
  ['hadd hsub addsub blend blendv dp', 'ps pd'],
  ['round', 'ps pd ss sd'],
  ['comi ucomi', 'ss sd'],
  ['cmp cmpeq cmplt cmple cmpunord cmpneq cmpnlt cmpnle cmpord', 'ps pd ss sd'],
];

/** Other SSE-era instructions that also have a VEX (v-prefixed) form. */
const SSE_VEX = words(`
  movss movsd movhlps movlhps movddup movshdup movsldup insertps extractps movdqa movdqu movntdq
  movntdqa maskmovdqu lddqu ldmxcsr stmxcsr
  cvtdq2pd cvtdq2ps cvtpd2dq cvtpd2ps cvtps2dq cvtps2pd cvtsd2si cvtsd2ss cvtsi2sd cvtsi2ss cvtss2sd
  cvtss2si cvttpd2dq cvttps2dq cvttsd2si cvttss2si cvtsi2sdl cvtsi2ssl
  aesenc aesenclast aesdec aesdeclast aesimc aeskeygenassist
`);

/** SSE-era instructions without a VEX form (MMX-register conversions, fences, hashes, ...). */
const SSE_ONLY = words(`
  cvtpd2pi cvtpi2pd cvtpi2ps cvtps2pi cvttpd2pi cvttps2pi movnti lfence mfence sfence clflush
  crc32 crc32b crc32w crc32l popcnt sha1rnds4 sha1nexte
  sha1msg1 sha1msg2 sha256rnds2 sha256msg1 sha256msg2
`);

const AVX_ONLY = words(`
  vzeroupper vzeroall vbroadcastss vbroadcastsd vbroadcastf128 vinsertf128 vextractf128 vperm2f128
  vpermilps vpermilpd vmaskmovps vmaskmovpd vtestps vtestpd vpbroadcastb vpbroadcastw vpbroadcastd
  vpbroadcastq vpermd vpermq vperm2i128 vinserti128 vextracti128 vgatherdps vgatherdpd vpgatherdd
  vfmadd132ps vfmadd213ps vfmadd231ps vfmadd132pd vfmadd213pd vfmadd231pd vfmadd132ss vfmadd213ss
  vfmadd231ss vfmadd132sd vfmadd213sd vfmadd231sd vcvtph2ps vcvtps2ph
`);

/** Integer and system instructions of IA-32 (and later CPUs) that the emulator leaves out. */
const OTHER = words(`
  aaa aad aam aas daa das bound arpl int1 rsm rdpmc rdtscp syscall sysret monitor mwait xgetbv xsetbv
  xsave xrstor xsaveopt rdrand rdseed movbe andn bextr blsi blsmsk blsr bzhi pdep pext rorx sarx shlx
  shrx adcx adox prefetchw clflushopt clwb invpcid clac stac ud1 ud0 getsec vmcall
  vmlaunch vmresume vmxoff vmxon vmread vmwrite vmptrld vmptrst vmclear invept invvpid xabort xbegin
  xend xtest rdpid serialize invlpga rstorssp xrstors xsaves xsavec enclu encls enclv swapgs skinit clgi
  stgi vmrun vmload vmsave vmmcall rdpkru wrpkru saveprevssp setssbsy clrssbsy incsspd wrssd
  wrussd pconfig mcommit monitorx mwaitx clzero rdpru vmfunc invlpgb tlbsync
`);

/** AMD's XOP extension (8F-prefixed, like VEX). */
const XOP = words(`
  vprotb vprotw vprotd vprotq vpshab vpshaw vpshad vpshaq vpshlb vpshlw vpshld vpshlq vpcomb vpcomw
  vpcomd vpcomq vpcomub vpcomuw vpcomud vpcomuq vpmacssww vpmacsww vpmacsswd vpmacswd vpmacssdd
  vpmacsdd vpmacssdql vpmacsdql vpmacssdqh vpmacsdqh vpmadcsswd vpmadcswd vfrczps vfrczpd vfrczss
  vfrczsd vpperm vpcmov vphaddbw vphaddbd vphaddbq vphaddwd vphaddwq vphadddq vphaddubw vphaddubd
  vphaddubq vphadduwd vphadduwq vphaddudq vphsubbw vphsubwd vphsubdq vpermil2ps vpermil2pd
`);

function buildForeign(): ReadonlyMap<string, ForeignInstruction> {
  const map = new Map<string, ForeignInstruction>();
  const put = (name: string, family: Family, stem = name): void => {
    if (!map.has(name)) map.set(name, { family, stem });
  };
  for (const f of X87) {
    put(f, 'x87 floating point');
    for (const suffix of X87_SUFFIXES[f] ?? []) put(f + suffix, 'x87 floating point', f);
  }
  for (const m of MMX_ONLY) put(m, 'MMX');
  const vexable: string[] = [...PACKED_INT, ...SSE_VEX];
  for (const [ops, types] of FLOAT_OPS) for (const op of words(ops)) for (const t of words(types)) vexable.push(op + t);
  for (const s of [...vexable, ...SSE_ONLY]) put(s, 'SSE');
  for (const s of vexable) put('v' + s, 'AVX');
  for (const a of [...AVX_ONLY, ...XOP]) put(a, 'AVX');
  for (const o of OTHER) put(o, 'integer or system');
  // AT&T operand-size suffixes on the integer ones gas accepts them on (popcntl, movbel, crc32 has its own).
  for (const o of ['popcnt', 'movbe', 'andn', 'bextr', 'blsi', 'blsmsk', 'blsr', 'bzhi', 'pdep', 'pext', 'rorx', 'sarx', 'shlx', 'shrx', 'adcx', 'adox', 'rdrand', 'rdseed']) {
    for (const s of ['w', 'l']) put(o + s, map.get(o)!.family, o);
  }
  return map;
}

const FOREIGN = buildForeign();

/** The family of a real instruction the emulator does not implement, or undefined. */
export function foreignInstruction(word: string): ForeignInstruction | undefined {
  return FOREIGN.get(word.toLowerCase());
}

/** Every name the classifier knows (for the gas cross-check test). */
export function foreignNames(): string[] {
  return [...FOREIGN.keys()];
}
