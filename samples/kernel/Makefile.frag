# The teaching kernel: included by samples/Makefile (run make in samples/).
#
#   build/kernel/kernel.elf          the multiboot kernel
#   build/kernel/tests/ktest.elf     a self-contained program that exercises it (no libc)

KERNEL_DIR := kernel
KERNEL_OUT := $(BUILD)/kernel

KERNEL_CFLAGS := $(BASE_CFLAGS) -mno-mmx -mno-80387 -I$(KERNEL_DIR) -Iinclude
KERNEL_ASFLAGS := $(KERNEL_CFLAGS) -D__ASSEMBLER__

# In reading order (see kernel/README.md); entry.o first so the multiboot header is early.
KERNEL_SRCS := entry.S init.c multiboot.c console.c printf.c string.c \
	trapentry.S trap.c syscall.c usercopy.S uaccess.c fault.c \
	pmap.c env.c sched.c swap.c picirq.c timer.c
KERNEL_OBJS := $(patsubst %,$(KERNEL_OUT)/%.o,$(basename $(KERNEL_SRCS)))
KERNEL_HDRS := $(wildcard $(KERNEL_DIR)/*.h) include/abi.h

$(KERNEL_OUT)/%.o: $(KERNEL_DIR)/%.c $(KERNEL_HDRS) | $(KERNEL_OUT)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(KERNEL_OUT)/%.o: $(KERNEL_DIR)/%.S $(KERNEL_HDRS) | $(KERNEL_OUT)
	$(CC) $(KERNEL_ASFLAGS) -c -o $@ $<

$(KERNEL_OUT)/kernel.elf: $(KERNEL_OBJS) $(KERNEL_DIR)/kernel.ld
	$(LD) -m elf_i386 -nostdlib -T $(KERNEL_DIR)/kernel.ld -o $@ $(KERNEL_OBJS)

$(KERNEL_OUT):
	mkdir -p $@

# A test program for the kernel alone (no C library): kernel/tests/ktest.c, one scenario
# per argument. Linked at 0x800020 like every user program.
KTEST_DIR := $(KERNEL_DIR)/tests
KTEST_OUT := $(KERNEL_OUT)/tests
KTEST_CFLAGS := $(BASE_CFLAGS) -Iinclude

$(KTEST_OUT)/%.o: $(KTEST_DIR)/%.c include/abi.h | $(KTEST_OUT)
	$(CC) $(KTEST_CFLAGS) -c -o $@ $<

$(KTEST_OUT)/%.o: $(KTEST_DIR)/%.S include/abi.h | $(KTEST_OUT)
	$(CC) $(KTEST_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(KTEST_OUT)/ktest.elf: $(KTEST_OUT)/start.o $(KTEST_OUT)/ktest.o $(KTEST_DIR)/ktest.ld
	$(LD) -m elf_i386 -nostdlib -T $(KTEST_DIR)/ktest.ld -o $@ $(KTEST_OUT)/start.o $(KTEST_OUT)/ktest.o

$(KTEST_OUT):
	mkdir -p $@

.PHONY: kernel
kernel: $(KERNEL_OUT)/kernel.elf $(KTEST_OUT)/ktest.elf
