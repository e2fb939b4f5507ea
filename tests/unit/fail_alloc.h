/* SPDX-License-Identifier: MIT */
/*
 * A checking test allocator over malloc for struct xfer_allocator.
 *
 * Counts calls, can fail a chosen call (or every call from one on), keeps
 * live block and byte counts, fills new blocks with garbage so code relying
 * on fresh memory being zero fails, and fails the running test when a block
 * is freed with a size other than the one asked for or when blocks are
 * still live at fail_alloc_check_clean().
 */
#ifndef FAIL_ALLOC_H
#define FAIL_ALLOC_H

#include <stdint.h>

#include "xfer_store.h"

struct fail_alloc {
    struct xfer_allocator allocator; /* hand this to xfer_store_init */
    uint64_t calls;        /* alloc calls so far, failed ones included */
    uint64_t fail_at;      /* call number to fail (1-based); 0: none */
    int fail_rest;         /* fail every call after fail_at as well */
    uint64_t failures;     /* calls that returned NULL */
    uint64_t live_blocks;
    uint64_t live_bytes;   /* sum of the sizes asked for, of live blocks */
    uint64_t bad_frees;    /* frees with a wrong size or foreign block */
};

void fail_alloc_init(struct fail_alloc *fa);

/* Fails only the n-th alloc call from now (n = 1: the next one). */
void fail_alloc_fail_nth(struct fail_alloc *fa, uint64_t n);

/* Fails the n-th alloc call from now and every one after it. n = 1 fails
 * every call. */
void fail_alloc_fail_from(struct fail_alloc *fa, uint64_t n);

/* Stops failing. */
void fail_alloc_fail_none(struct fail_alloc *fa);

/* Fails the running test (and returns 0) when blocks are live or a free
 * was wrong; returns 1 otherwise. */
int fail_alloc_check_clean(const struct fail_alloc *fa);

#endif /* FAIL_ALLOC_H */
