/*
 * cow_fork: fork() with copy-on-write.
 *
 * fork() does not copy the parent's memory. The kernel maps every writable page of the parent
 * into the child as well, and marks the PTE read-only (and copy-on-write) in both. Whichever
 * process writes a page first takes a page fault, err 0x7 [user, write, protection]; the kernel
 * sees the copy-on-write mark, gives that process a private copy of the page, makes it writable
 * and returns. The other process keeps the original. Each process then sees its own values.
 *
 * Here the child writes a .data variable, a .bss variable and a stack variable, and prints
 * them; the parent waits for the child, prints its own copies (unchanged), then writes them
 * itself. When each environment ends, the kernel prints how many copy-on-write faults it
 * resolved for it ("[00001001] paging: 3 copy-on-write faults, ...").
 *
 * In the debugger: put a breakpoint on `data_value = 100` in the child and step: it lands in
 * the page-fault handler (err 0x7, cr2 = &data_value); the Page Tables view marks the page
 * copy-on-write before the fault and shows a new physical frame after it. Compare the frame
 * of the same address in the parent's thread.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int data_value = 1;	/* .data: initialised, so stored in the ELF */
int bss_value;		/* .bss: zero, not stored in the ELF */

int main(void)
{
	int stack_value = 3;
	pid_t child;

	printf("before fork: data_value = %d, bss_value = %d, stack_value = %d\n", data_value,
	       bss_value, stack_value);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		/* Each first write to a shared page is a copy-on-write fault. */
		data_value = 100;
		bss_value = 200;
		stack_value = 300;
		printf("child:  data_value = %d, bss_value = %d, stack_value = %d\n", data_value,
		       bss_value, stack_value);
		return 0;
	}

	wait(NULL);
	printf("parent: data_value = %d, bss_value = %d, stack_value = %d (the child's writes "
	       "went to its own copies)\n", data_value, bss_value, stack_value);
	data_value = 10;
	bss_value = 20;
	stack_value = 30;
	printf("parent: data_value = %d, bss_value = %d, stack_value = %d\n", data_value, bss_value,
	       stack_value);
	return 0;
}
