/* Waiting for a child environment created with fork(). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

/* Waits for any child to end; stores its exit status in *status (if status is not NULL).
 * Returns the child's id, or -1 with errno ECHILD when there is no child to wait for. */
pid_t wait(int *status);

/* Waits for child `pid` (or any child when pid is -1). `options` must be 0. */
pid_t waitpid(pid_t pid, int *status, int options);

#endif
