/* bench-run.c: run a command, report its wall time, CPU time and peak RSS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-run COMMAND [ARG...]
 *
 * Runs COMMAND (stdin, stdout and stderr inherited), waits for it with
 * wait4 () and prints on stderr, last:
 *
 *   bench-run: status=S wall=SECONDS cpu=SECONDS maxrss_kib=K
 *
 * Why a launcher: on Linux, a process's ru_maxrss starts at the peak RSS of
 * the address space it replaced at exec. A contender started straight from
 * the Python driver would report at least the interpreter's RSS (~13 MiB);
 * started from this small program it reports its own.
 *
 * Deliberately plain C, no GLib: its own footprint must stay tiny.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  struct rusage ru;
  double start;
  int status;
  pid_t pid;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-run COMMAND [ARG...]\n");
      return 2;
    }

  start = now ();
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "bench-run: fork: %s\n", strerror (errno));
      return 2;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      fprintf (stderr, "bench-run: %s: %s\n", argv[1], strerror (errno));
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &ru) < 0)
    {
      if (errno != EINTR)
        {
          fprintf (stderr, "bench-run: wait4: %s\n", strerror (errno));
          return 2;
        }
    }

  fprintf (stderr, "bench-run: status=%d wall=%.6f cpu=%.6f maxrss_kib=%ld\n",
           WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status), now () - start,
           (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6 +
             (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6,
           ru.ru_maxrss);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}
