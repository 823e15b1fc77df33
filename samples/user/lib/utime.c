/*
 * The UTIME page: a page the kernel maps read-only into every environment at UTIME and updates
 * on every timer interrupt (the vDSO idea). Reading the time there is an ordinary memory load,
 * with no trip into the kernel. Writing to it is a page fault: the page is user-readable, not
 * user-writable.
 */
#include <ringside.h>

const struct utime_page *utime(void)
{
	return (const struct utime_page *)UTIME;
}
