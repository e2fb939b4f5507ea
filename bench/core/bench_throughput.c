/* SPDX-License-Identifier: MIT */
/*
 * Read and write throughput of the store against memcpy.
 *
 * A 64 MiB working set is held in a store (64 KiB chunks, filled in order
 * before timing, so a write overwrites and allocates nothing) on
 * bench_pool, the driver-like allocator, whose chunks then lie back to back
 * in one region: the memcpy baseline runs over that same region, so both
 * move the very same bytes of the very same pages. A second store on
 * malloc, for comparison, holds a copy. Each case moves blocks of one size
 * between the working set and one user buffer of the block's size, at the
 * same offsets for all three (in order, or in one shuffled order). All are
 * warmed up, then timed in rotation (each goes first in a third of the
 * rounds), and each one's median is taken. The ratio is store throughput
 * over memcpy's.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define WORKING_SET (64 * MIB)
#define PASSES 4              /* per sample: 256 MiB moved */
#define SMALL_SET (512 * KIB)
#define SAMPLES 11
#define QUICK_SAMPLES 3
#ifndef FILL_BLOCK
#define FILL_BLOCK (64 * KIB)
#endif

/* Called through a volatile pointer, so the compiler cannot drop or merge
 * copies whose results it never sees read. */
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;

struct tp_case {
    size_t block;
    int random;
    int write;
};

static const struct tp_case cases[] = {
    { 4 * KIB, 0, 0 }, { 4 * KIB, 0, 1 }, { 4 * KIB, 1, 0 }, { 4 * KIB, 1, 1 },
    { 64 * KIB, 0, 0 }, { 64 * KIB, 0, 1 }, { 64 * KIB, 1, 0 }, { 64 * KIB, 1, 1 },
    { MIB, 0, 0 }, { MIB, 0, 1 }, { MIB, 1, 0 }, { MIB, 1, 1 },
};

struct tp_ctx {
    struct xfer_store store;      /* on bench_pool */
    struct xfer_store mstore;     /* on bench_malloc */
    uint8_t *flat;                /* the pool store's chunk region */
    int passes;                   /* over the working set, per sample */
    uint8_t *user;
    uint64_t *offsets;
};

static double time_store(struct tp_ctx *c, struct xfer_store *store,
                         const struct tp_case *tc, size_t n)
{
    double t0 = bench_now();
    size_t i, done;
    int p;

    for (p = 0; p < c->passes; p++) {
        for (i = 0; i < n; i++) {
            xfer_status st = tc->write
                ? xfer_store_write(store, c->offsets[i], c->user, tc->block)
                : xfer_store_read(store, c->offsets[i], c->user, tc->block, &done);

            if (st != XFER_OK)
                abort();
        }
    }
    return bench_now() - t0;
}

static double time_memcpy(struct tp_ctx *c, const struct tp_case *tc, size_t n)
{
    double t0 = bench_now();
    size_t i;
    int p;

    for (p = 0; p < c->passes; p++) {
        for (i = 0; i < n; i++) {
            if (tc->write)
                copy_fn(c->flat + c->offsets[i], c->user, tc->block);
            else
                copy_fn(c->user, c->flat + c->offsets[i], tc->block);
        }
    }
    return bench_now() - t0;
}

/* Block offsets in order, or shuffled by a fixed xorshift seed. */
static void make_offsets(uint64_t *offsets, size_t n, size_t block, int random)
{
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    size_t i;

    for (i = 0; i < n; i++)
        offsets[i] = (uint64_t)i * block;
    for (i = n - 1; random && i > 0; i--) {
        size_t j;
        uint64_t t;

        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        j = (size_t)(rng % (i + 1));
        t = offsets[i];
        offsets[i] = offsets[j];
        offsets[j] = t;
    }
}

static void fill_store(struct xfer_store *store, const struct xfer_allocator *alloc,
                       const uint8_t *data, size_t bytes)
{
    size_t off;

    if (xfer_store_init(store, alloc, WORKING_SET, XFER_CHUNK_SHIFT_DEFAULT) != XFER_OK)
        abort();
    for (off = 0; off < bytes; off += FILL_BLOCK) {
        if (xfer_store_write(store, off, data + off, FILL_BLOCK) != XFER_OK)
            abort();
    }
}

/* The store's own cost per call: 4 KiB blocks in order over a working set
 * that stays in the L2 cache, in nanoseconds per block, against memcpy over
 * the same pages. Informative; no target. */
static void overhead(struct bench_out *out, struct tp_ctx *c, int samples)
{
    static const struct tp_case small[] = { { 4 * KIB, 0, 0 }, { 4 * KIB, 0, 1 } };
    size_t n = SMALL_SET / (4 * KIB), k;
    uint8_t *data = bench_alloc_buffer(SMALL_SET);

    bench_pool_reset();
    fill_store(&c->store, &bench_pool, data, SMALL_SET);
    c->flat = bench_pool_region((size_t)1 << XFER_CHUNK_SHIFT_DEFAULT);
    c->passes = (int)(WORKING_SET / SMALL_SET);
    make_offsets(c->offsets, n, 4 * KIB, 0);
    fprintf(out->md, "\nThe store's own cost per call, where memory is not the "
            "limit: 4 KiB blocks in order over a %zu KiB working set (in the L2 "
            "cache), median of %d samples.\n\n| op | store ns/call | memcpy ns/call "
            "| difference |\n|---|---:|---:|---:|\n", SMALL_SET / KIB, samples);
    for (k = 0; k < 2; k++) {
        double ts[SAMPLES], tm[SAMPLES], calls = (double)n * c->passes, st, mt;
        int r;

        (void)time_store(c, &c->store, &small[k], n);
        (void)time_memcpy(c, &small[k], n);
        for (r = 0; r < samples; r++) {
            if (r % 2 == 0) {
                ts[r] = time_store(c, &c->store, &small[k], n);
                tm[r] = time_memcpy(c, &small[k], n);
            } else {
                tm[r] = time_memcpy(c, &small[k], n);
                ts[r] = time_store(c, &c->store, &small[k], n);
            }
        }
        st = bench_median(ts, (size_t)samples) / calls * 1e9;
        mt = bench_median(tm, (size_t)samples) / calls * 1e9;
        fprintf(out->md, "| %s | %.1f | %.1f | %+.1f |\n", k ? "write" : "read", st, mt,
                st - mt);
        printf("  4 KiB %s in cache: store %.1f ns, memcpy %.1f ns per call\n",
               k ? "write" : "read", st, mt);
    }
    xfer_store_destroy(&c->store);
    free(data);
}

void bench_throughput(struct bench_out *out)
{
    struct tp_ctx c;
    int samples = out->quick ? QUICK_SAMPLES : SAMPLES;
    uint8_t *data;
    size_t k;

    data = bench_alloc_buffer(WORKING_SET);
    for (k = 0; k < WORKING_SET; k++)
        data[k] = (uint8_t)(k * 7u + (k >> 16));
    c.user = bench_alloc_buffer(MIB);
    c.offsets = malloc(WORKING_SET / (4 * KIB) * sizeof(uint64_t));
    if (c.offsets == NULL)
        abort();
    bench_pool_reset();
    fill_store(&c.store, &bench_pool, data, WORKING_SET);
    fill_store(&c.mstore, &bench_malloc, data, WORKING_SET);
    c.passes = PASSES;
    /* The pool store's chunks, back to back: the baseline's flat buffer. */
    c.flat = bench_pool_region((size_t)1 << XFER_CHUNK_SHIFT_DEFAULT);
    if (c.flat == NULL || memcmp(c.flat, data, WORKING_SET) != 0) {
        fprintf(stderr, "bench_store: the store's chunks are not laid out in order\n");
        exit(1);
    }
    free(data);

    fprintf(out->md,
            "### Throughput\n\n"
            "64 MiB working set; stores with 64 KiB chunks; median of %d "
            "samples of %d MiB each per side, taken in rotation. *Store*: on "
            "an allocator that lays out blocks as the kernel pool does "
            "(page-aligned, back to back), and memcpy runs over the very "
            "pages that hold its chunks; *on malloc*: the same store on "
            "glibc's malloc, for comparison (not a target).\n\n"
            "| block | order | op | store GB/s | memcpy GB/s | store / memcpy "
            "| target | met | on malloc / memcpy |\n"
            "|---|---|---|---:|---:|---:|---:|---|---:|\n",
            samples, PASSES * (int)(WORKING_SET / MIB));
    fprintf(out->throughput_dat, "# case label ratio store_GBps memcpy_GBps target "
            "malloc_ratio\n");
    printf("throughput (%d samples per side):\n", samples);
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct tp_case *tc = &cases[k];
        size_t n = WORKING_SET / tc->block;
        double ts[SAMPLES], tmal[SAMPLES], tm[SAMPLES], store_s, malloc_s, memcpy_s;
        double bytes = (double)PASSES * (double)WORKING_SET, ratio, target;
        char size[16];
        int r, side;

        make_offsets(c.offsets, n, tc->block, tc->random);
        (void)time_store(&c, &c.store, tc, n);    /* warm up all three */
        (void)time_store(&c, &c.mstore, tc, n);
        (void)time_memcpy(&c, tc, n);
        for (r = 0; r < samples; r++) {
            for (side = 0; side < 3; side++) {
                switch ((r + side) % 3) {
                case 0: ts[r] = time_store(&c, &c.store, tc, n); break;
                case 1: tmal[r] = time_store(&c, &c.mstore, tc, n); break;
                default: tm[r] = time_memcpy(&c, tc, n); break;
                }
            }
        }
        store_s = bench_median(ts, (size_t)samples);
        malloc_s = bench_median(tmal, (size_t)samples);
        memcpy_s = bench_median(tm, (size_t)samples);
        ratio = memcpy_s / store_s;
        target = tc->block >= 64 * KIB ? 0.9 : 0.7;
        if (tc->block >= MIB)
            snprintf(size, sizeof(size), "%zu MiB", tc->block / MIB);
        else
            snprintf(size, sizeof(size), "%zu KiB", tc->block / KIB);
        fprintf(out->md, "| %s | %s | %s | %.2f | %.2f | %.3f | >= %.1f | %s | %.3f |\n",
                size, tc->random ? "random" : "sequential",
                tc->write ? "write" : "read", bytes / store_s / 1e9,
                bytes / memcpy_s / 1e9, ratio, target,
                bench_target(out, ratio >= target), memcpy_s / malloc_s);
        fprintf(out->throughput_dat, "%zu \"%s %s %s\" %.4f %.3f %.3f %.1f %.4f\n", k,
                size, tc->random ? "rand" : "seq", tc->write ? "write" : "read",
                ratio, bytes / store_s / 1e9, bytes / memcpy_s / 1e9, target,
                memcpy_s / malloc_s);
        printf("  %-7s %-10s %-5s store %6.2f GB/s  memcpy %6.2f GB/s  ratio %.3f"
               "  (on malloc %.3f)\n", size, tc->random ? "random" : "sequential",
               tc->write ? "write" : "read", bytes / store_s / 1e9,
               bytes / memcpy_s / 1e9, ratio, memcpy_s / malloc_s);
        fflush(stdout);
    }
    xfer_store_destroy(&c.store);   /* and with it the baseline's memory */
    xfer_store_destroy(&c.mstore);
    overhead(out, &c, samples);
    free(c.user);
    free(c.offsets);
}
