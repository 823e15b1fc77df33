/*
 * Error messages. The kernel returns -EFAULT; the wrapper turns it into errno = EFAULT and -1;
 * perror() prints the words. The words are Linux's (glibc's), so the output matches the
 * lecture's: "Reason for the error:: Bad address".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static char *const messages[] = {
	[0] = "Success",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EFAULT] = "Bad address",
	[EINVAL] = "Invalid argument",
	[ENOSYS] = "Function not implemented",
};

char *strerror(int errnum)
{
	static char unknown[32];

	if (errnum >= 0 && errnum < (int)(sizeof(messages) / sizeof(messages[0])) && messages[errnum] != NULL)
		return messages[errnum];
	snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
	return unknown;
}

void perror(const char *s)
{
	/* Read errno first: nothing below may change it before it is printed. */
	const char *message = strerror(errno);

	/* One fprintf, so one write(2, ...) system call, as glibc's perror makes. */
	if (s != NULL && *s != '\0')
		fprintf(stderr, "%s: %s\n", s, message);
	else
		fprintf(stderr, "%s\n", message);
}
