/*
 * read_efault: the kernel checks the pointers a program hands it.
 *
 * read(0, buf, 512) asks the kernel to write up to 512 bytes of console input at buf. If the
 * kernel wrote wherever it was told, a program could pass the address of kernel memory and
 * overwrite the kernel with its keyboard input, which the MMU would allow, since the kernel
 * runs in ring 0. So sys_read checks that [buf, buf + 512) is user memory the environment may
 * write (user_mem_check) before touching it, and fails with EFAULT otherwise.
 *
 * The lecture's test, and its output when you type asdfzxcv and Enter:
 *     Read to stack memory returns: 9
 *     Read to kernel memory returns: -1
 *     Reason for the error:: Bad address
 * The lecture's kernel address, 0xffffffff01000000, is an x86-64 one; on IA-32 a pointer has
 * 32 bits, so we use the kernel's own code at KERNBASE + 1 MiB, 0xf0100000 (the lecture's
 * "kernel_address = KERNBASE + 0x100000").
 *
 * In the debugger: break in the kernel's sys_read and step to the pointer check: the first
 * call passes, the second fails before any byte is copied. In the program, watch ret become 9,
 * then -1, and errno 14 (EFAULT).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	// buffer at the stack
	char buf[512];
	// read 512 bytes from standard input to stack
	int ret = read(0, buf, 512);

	printf("Read to stack memory returns: %d\n", ret);

	// read 512 bytes from standard input to kernel memory
	ret = read(0, (void *)0xf0100000, 512);

	printf("Read to kernel memory returns: %d\n", ret);
	perror("Reason for the error:");
	return 0;
}
