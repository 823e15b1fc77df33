#!/bin/sh
# Fails if an ELF contains anything but IA-32 integer and system instructions: x87
# floating point (f... mnemonics, %st registers), MMX (%mm), SSE/AVX (%xmm, %ymm, and the
# instructions that manage their state). Ringside's emulator implements the integer set.
# usage: check-isa.sh FILE.elf
elf="$1"
bad=$(${OBJDUMP:-objdump} -d --no-show-raw-insn "$elf" |
	awk -F'\t' 'NF >= 2 && $1 ~ /^ *[0-9a-f]+:$/ {
		insn = $2
		split(insn, w, " ")
		m = w[1]
		if (m ~ /^(rep|repz|repnz|repe|repne|lock|data16|addr16)$/) m = w[2]
		if (m ~ /^f/ || m ~ /^(emms|ldmxcsr|stmxcsr|xsave|xrstor|vzeroupper)/ || insn ~ /%(st|mm[0-7]|xmm|ymm|zmm)/)
			print $1 "\t" insn
	}')
if [ -n "$bad" ]; then
	echo "$elf: instructions outside the IA-32 integer set:" >&2
	echo "$bad" >&2
	exit 1
fi
