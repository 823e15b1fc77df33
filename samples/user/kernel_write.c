/*
 * kernel_write: a user program writes to kernel memory, and the CPU says no.
 *
 * The lecture's page-fault example: 0xf0100000 is where the kernel's code is mapped (KERNBASE
 * + 1 MiB). The page is present and writable, but its PTE lacks PTE_U, so a ring 3 access is a
 * protection violation: #PF with
 *     cr2 0xf0100064                       the address of the access
 *     err 0x00000007 [user, write, protection]
 *     eip 0x00800039                       the faulting movb, as in the lecture
 * The kernel cannot fix this one, so it prints the trap frame and destroys the environment
 * ("free env"). The instruction never completes: kernel memory is unchanged.
 *
 * Built with -O1 (see Makefile.frag), as JOS builds its programs, so that the assignment is the
 * one instruction of the slide:
 *     0x00800039   movb $0x21, 0xf0100064
 * (kernel_memory itself then lives in no register or stack slot: the debug information
 * records it as the constant 0xf0100000.)
 *
 * In the debugger: break on the kernel_memory[100] line and step into it: the next stop is
 * the kernel's page-fault entry; the call stack shows the trap frame
 * "#PF page fault from ring 3, err 0x7 [user, write, protection], cr2 0xf0100064" under it.
 * The Page Tables view shows the PTE of 0xf0100000 without the U bit.
 */
int main(void)
{
	char *kernel_memory = (char *)0xf0100000;

	// I am a bad guy, and I would like to change
	// some contents in kernel memory
	kernel_memory[100] = '!';
	return 0;
}
