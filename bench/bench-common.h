/* bench-common.h: clocks, resource usage and the result line of the
 * end-to-end benchmark programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every contender program streams one relation once and prints one line of
 * key=value pairs on stdout, read by bench/bench.py:
 *
 *   rows=N bytes=B wall=S cpu=S maxrss_kib=K check=X
 *
 * wall: seconds from sending the query until the last row was consumed (the
 * connection is opened before the clock starts); cpu: user + system seconds
 * of the process over the same interval (getrusage (RUSAGE_SELF)); maxrss_kib:
 * peak resident set size of the process (ru_maxrss); bytes: bytes of JSON
 * text handed to the consumer; check: a value derived from the bytes, printed
 * so that the compiler cannot skip touching them.
 */

#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

typedef struct {
  double wall;
  double cpu;
} BenchClock;

static inline double
bench_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static inline double
bench_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6 +
         (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
}

static inline long
bench_maxrss_kib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static inline BenchClock
bench_clock_start (void)
{
  BenchClock clock = { bench_now (), bench_cpu () };

  return clock;
}

static inline void
bench_report (const BenchClock *start,
              unsigned long long rows,
              unsigned long long bytes,
              unsigned long long check)
{
  double wall = bench_now () - start->wall;
  double cpu = bench_cpu () - start->cpu;

  printf ("rows=%llu bytes=%llu wall=%.6f cpu=%.6f maxrss_kib=%ld check=%llu\n", rows, bytes, wall,
          cpu, bench_maxrss_kib (), check);
  fflush (stdout);
}

/* Ends the program with "@program: @what: @message" on stderr. */
static inline void __attribute__ ((noreturn))
bench_die (const char *program, const char *what, const char *message)
{
  fprintf (stderr, "%s: %s: %s\n", program, what, message);
  exit (1);
}

static inline int
bench_compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Sorts the @n samples (n > 0) and returns their median. */
static inline double
bench_median (double *samples, size_t n)
{
  qsort (samples, n, sizeof (double), bench_compare_doubles);
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}
