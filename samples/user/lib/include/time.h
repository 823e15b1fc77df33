/* time(): seconds since the machine booted, through the SYS_time system call. */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

/* Returns the time in seconds, and stores it in *tloc unless tloc is NULL. */
time_t time(time_t *tloc);

#endif
