# User programs and their C library, included by samples/Makefile (run make from samples/).
#
#   make user                      every program: build/user/NAME.elf (and NAME.asm, the
#                                  disassembly interleaved with the source)
#   make build/user/hello.elf      one program
#
# Each program is user/NAME.c or user/NAME.S. C programs are linked as
#   lib/crt0.o  NAME.o  libc.a
# so _start (crt0) is at 0x800020 and the program's own first function follows it directly.
# Assembly programs (hello_asm.S) bring their own _start and use no library.

USER_CC      ?= gcc
USER_LD      ?= ld
USER_AR      ?= ar
USER_OBJDUMP ?= objdump

USER_DIR   := user
USER_BUILD := build/user

# -O0 and frame pointers: every C line has its own instructions and every local lives on the
# stack, which is what a student stepping through wants. -mgeneral-regs-only (besides
# -mno-sse): integer registers only, no x87 or SSE/MMX code. -nostdinc: only our headers,
# plus gcc's own freestanding ones (stdarg.h, stddef.h, stdint.h).
USER_CFLAGS := -m32 -std=gnu11 -g -O0 -fno-omit-frame-pointer -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -nostdlib -mno-sse -mgeneral-regs-only -fno-builtin \
	-fno-asynchronous-unwind-tables -fcf-protection=none -Wall \
	-nostdinc -isystem $(shell $(USER_CC) -print-file-name=include) \
	-I$(USER_DIR)/lib/include -Iinclude -MMD -MP
USER_ASFLAGS := -m32 -g -nostdinc -Iinclude -I$(USER_DIR)/lib/include -MMD -MP
USER_LDFLAGS := -m elf_i386 -nostdlib --build-id=none -T $(USER_DIR)/user.ld

# Per-program flags. kernel_write is built at -O1, as JOS builds its user programs: only then
# does gcc fold kernel_memory[100] into the single instruction of the lecture,
# `movb $0x21,0xf0100064` (at -O0 it goes through a local variable and %eax).
USER_CFLAGS_kernel_write := -O1

USER_LIB_SRCS := $(wildcard $(USER_DIR)/lib/*.c)
USER_LIB_OBJS := $(patsubst $(USER_DIR)/lib/%.c,$(USER_BUILD)/lib/%.o,$(USER_LIB_SRCS)) \
	$(USER_BUILD)/lib/sysenter.o
USER_LIBC := $(USER_BUILD)/lib/libc.a
USER_CRT0 := $(USER_BUILD)/lib/crt0.o

USER_C_PROGS   := $(basename $(notdir $(wildcard $(USER_DIR)/*.c)))
USER_ASM_PROGS := $(basename $(notdir $(wildcard $(USER_DIR)/*.S)))
USER_PROGS     := $(USER_C_PROGS) $(USER_ASM_PROGS)
USER_ELFS      := $(USER_PROGS:%=$(USER_BUILD)/%.elf)

.PHONY: user user-clean
user: $(USER_ELFS) $(USER_ELFS:.elf=.asm)

$(USER_BUILD)/lib/%.o: $(USER_DIR)/lib/%.c
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -c -o $@ $<

$(USER_BUILD)/lib/%.o: $(USER_DIR)/lib/%.S
	@mkdir -p $(@D)
	$(USER_CC) $(USER_ASFLAGS) -c -o $@ $<

$(USER_LIBC): $(USER_LIB_OBJS)
	@rm -f $@
	$(USER_AR) rcs $@ $^

$(USER_BUILD)/%.o: $(USER_DIR)/%.c
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) $(USER_CFLAGS_$*) -c -o $@ $<

$(USER_BUILD)/%.o: $(USER_DIR)/%.S
	@mkdir -p $(@D)
	$(USER_CC) $(USER_ASFLAGS) -c -o $@ $<

$(USER_C_PROGS:%=$(USER_BUILD)/%.elf): $(USER_BUILD)/%.elf: $(USER_BUILD)/%.o $(USER_CRT0) $(USER_LIBC) $(USER_DIR)/user.ld
	$(USER_LD) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $< $(USER_LIBC)

$(USER_ASM_PROGS:%=$(USER_BUILD)/%.elf): $(USER_BUILD)/%.elf: $(USER_BUILD)/%.o $(USER_DIR)/user.ld
	$(USER_LD) $(USER_LDFLAGS) -o $@ $<

# The disassembly with source lines, for reading; and the check that every instruction is
# plain IA-32 integer code (the build fails otherwise).
$(USER_BUILD)/%.asm: $(USER_BUILD)/%.elf $(USER_DIR)/check-isa.sh
	$(USER_OBJDUMP) -d -S $< > $@
	sh $(USER_DIR)/check-isa.sh $<

user-clean:
	rm -rf $(USER_BUILD)

-include $(wildcard $(USER_BUILD)/*.d $(USER_BUILD)/lib/*.d)
