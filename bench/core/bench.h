/* SPDX-License-Identifier: MIT */
/*
 * bench_store: the store core's benchmark (make bench-core). Shared helpers
 * of its three parts: throughput against memcpy, growth against Wdm1's
 * reallocate-and-copy, and memory use.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xfer_store.h"

#define KIB ((size_t)1024)
#define MIB (1024 * KIB)

/* Where the results go: a log for people, data files for the plot, and a
 * Markdown fragment for docs/benchmarks.md. */
struct bench_out {
    FILE *md;
    FILE *throughput_dat;
    FILE *growth_dat;
    int targets, targets_met;
    int quick;                 /* fewer repetitions and sizes: a smoke run */
    unsigned wdm1_max_mib;     /* largest size Wdm1's algorithm is run at */
};

double bench_now(void);                        /* seconds, monotonic */
double bench_median(double *values, size_t n); /* sorts values */
void *bench_alloc_buffer(size_t bytes);        /* 64-aligned, pages touched */

/* Allocators for the store (bench_pool.c): bench_pool behaves as the kernel
 * pool does for the driver (page-aligned blocks, one size back to back, no
 * inline headers); bench_pool_reset gives all its memory back to the kernel, and
 * may be called only when no block is live. bench_malloc is plain malloc. */
extern const struct xfer_allocator bench_pool;
extern const struct xfer_allocator bench_malloc;
void bench_pool_reset(void);
/* Start of bench_pool's region of `bytes`-sized blocks. */
uint8_t *bench_pool_region(size_t bytes);

/* Records a target and whether it was met; returns "yes" or "no". */
const char *bench_target(struct bench_out *out, int met);

void bench_throughput(struct bench_out *out);
void bench_growth(struct bench_out *out);
void bench_memory(struct bench_out *out);

#endif /* BENCH_H */
