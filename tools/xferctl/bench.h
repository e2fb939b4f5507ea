/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench, inside: the paths it times, the targets it times them on
 * (xfer.sys, and with --null the null driver, whose cost is the platform's
 * floor), and what a measurement keeps.
 *
 *   bench.c          the command: plan, window, the interleaved rounds
 *   bench_run.c      one timed run of one path; a measurement's statistics
 *   bench_threads.c  several client threads on one path at once
 *   bench_print.c    the table and --json
 */
#ifndef XFERCTL_BENCH_H
#define XFERCTL_BENCH_H

#include "xferctl.h"

enum bench_kind { BENCH_READ_FILE, BENCH_WRITE_FILE, BENCH_IOCTL_READ, BENCH_IOCTL_WRITE,
                  BENCH_GET_SIZE };

struct bench_path {
    const char *name;           /* "WriteFile", "IOCTL READ_DIRECT" */
    xfer_mechanism device;      /* the device the request goes to */
    enum bench_kind kind;
};

extern const struct bench_path bench_paths[];
extern const size_t bench_path_count;
/* GET_SIZE, the smallest request there is, moves no data: its length is its
 * answer's, whatever the sizes asked for. */
#define BENCH_GET_SIZE_LENGTH 8u

enum { BENCH_XFER, BENCH_NULL, BENCH_TARGET_COUNT };

struct bench_target {
    const char *name;                        /* "xfer", "null" */
    const wchar_t *paths[XFER_MECHANISM_COUNT];
    HANDLE devices[XFER_MECHANISM_COUNT];
};

/* How much each measurement (one path, one size, one target) gets: at most
 * `count` requests and `seconds`, split evenly over `rounds` runs. */
struct bench_plan {
    uint64_t count, rounds, offset, window;
    double seconds;
    uint64_t sizes[XFERCTL_MAX_LIST];
    size_t size_count;
    uint64_t threads[XFERCTL_MAX_LIST];
    size_t thread_count;
    DWORD thread_length;        /* the size of the concurrency runs */
    int targets;                /* 1: xfer only; 2: xfer and null */
};

/* Every request's time of one measurement, over its runs. */
struct bench_samples {
    int64_t *ticks;
    uint64_t count, capacity;
};

struct bench_stats {
    uint64_t requests, bytes;
    double seconds, mb_per_s, us_min, us_mean, us_p50, us_p99;
};

/* One row of the concurrency run: `threads` clients on one path at once. */
struct bench_concurrent {
    uint64_t threads, requests, bytes;
    double seconds, mb_per_s;
};

/* bench_run.c */
/* The offset of the n-th request of `length` bytes: requests cycle through
 * the plan's window. */
uint64_t bench_offset(const struct bench_plan *plan, DWORD length, uint64_t n);
/* One request on `device` of `path`; reads must come back whole. */
DWORD bench_request(HANDLE device, const struct bench_path *path, uint64_t offset,
                    uint8_t *buffer, DWORD length);
/* One untimed request, then one run: requests until the run's share of
 * the plan's count or seconds is used, each timed and added to *samples.
 * On error, *error_offset gets the failed request's offset. */
DWORD bench_run(HANDLE device, const struct bench_path *path, DWORD length,
                const struct bench_plan *plan, uint8_t *buffer, struct bench_samples *samples,
                uint64_t *error_offset);
void bench_summarize(struct bench_samples *samples, DWORD length, struct bench_stats *stats);
void bench_samples_free(struct bench_samples *samples);
/* Seconds per QueryPerformanceCounter tick. */
double bench_tick_seconds(void);

/* bench_threads.c: `threads` clients, each on a handle of its own to the
 * device of `path` on `target`, each running requests of `length` bytes
 * for the plan's seconds / rounds; adds to *row. */
DWORD bench_concurrent_run(const struct bench_target *target, const struct bench_path *path,
                           uint64_t threads, DWORD length, const struct bench_plan *plan,
                           struct bench_concurrent *row);

/* bench_print.c. stats[target][path][size]; GET_SIZE's are at size 0. */
struct bench_report {
    const struct bench_plan *plan;
    struct bench_stats (*stats)[XFERCTL_MAX_LIST];      /* [target * paths + path][size] */
    const struct bench_path *const *concurrent_paths;
    size_t concurrent_path_count;
    struct bench_concurrent *concurrent;                /* [target][path][thread count] */
};
void bench_print_table(const struct bench_report *report);
void bench_print_json(const struct bench_report *report);

#endif /* XFERCTL_BENCH_H */
