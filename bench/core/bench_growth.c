/* SPDX-License-Identifier: MIT */
/*
 * Growth: a store filled from empty by appending 4 KiB writes, against the
 * book's Wdm1Write doing the same. Memory: what the store holds for what
 * was written, dense and sparse.
 *
 * Wdm1Write, on every write that ends past the buffer, allocates a buffer
 * of exactly the new size, zeroes all of it, copies the old contents over
 * and frees the old buffer; then it copies the write in. Filling n bytes in
 * 4 KiB steps thus moves about n^2 / 4 KiB bytes: it is run only up to
 * --wdm1-max-mib, and its time at larger sizes is extrapolated from the
 * largest size run, as time grows with the square of the size.
 *
 * The store (on bench_pool) is timed twice over. With fresh memory: before
 * each run the pool hands all its memory back to the kernel, so every page
 * the run uses is faulted in and zeroed by the kernel, as on a first fill;
 * Wdm1 (on malloc, which can grow and coalesce buffers) is timed the same
 * way, after malloc_trim. With recycled memory: the pool reuses the blocks
 * freed by the previous run, so no page faults are left and the time is
 * the store's own work (finding slots, allocating, copying).
 */
#define _GNU_SOURCE   /* malloc_trim */
#include "bench.h"

#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define APPEND (4 * KIB)
#define GROWTH_LIMIT ((uint64_t)1 << 30)   /* every store run: same depth */
#define STORE_SAMPLES 3

static const unsigned sizes_mib[] = { 1, 2, 4, 8, 16, 32, 64, 256, 1024 };
#define NSIZES (sizeof(sizes_mib) / sizeof(sizes_mib[0]))

/* Through volatile pointers: Wdm1 zeroes the whole new buffer, and the
 * compiler must not trim the zeroing to what the copy leaves. */
static void *(*volatile zero_fn)(void *, int, size_t) = memset;
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;

static double grow_store(size_t total, uint64_t limit, struct xfer_store_info *info)
{
    static uint8_t src[APPEND];
    struct xfer_store s;
    double t0, t;
    size_t off;

    memset(src, 0x3C, sizeof(src));
    if (xfer_store_init(&s, &bench_pool, limit, XFER_CHUNK_SHIFT_DEFAULT) != XFER_OK)
        abort();
    t0 = bench_now();
    for (off = 0; off < total; off += APPEND) {
        if (xfer_store_write(&s, off, src, APPEND) != XFER_OK)
            abort();
    }
    t = bench_now() - t0;
    xfer_store_get_info(&s, info);
    xfer_store_destroy(&s);
    return t;
}

static double grow_wdm1(size_t total)
{
    static uint8_t src[APPEND];
    uint8_t *buffer = NULL;
    size_t size = 0, off;
    double t0, t;

    memset(src, 0x3C, sizeof(src));
    t0 = bench_now();
    for (off = 0; off < total; off += APPEND) {
        if (off + APPEND > size) {
            uint8_t *grown = malloc(off + APPEND);

            if (grown == NULL)
                abort();
            zero_fn(grown, 0, off + APPEND);
            if (buffer != NULL) {
                copy_fn(grown, buffer, size);
                free(buffer);
            }
            buffer = grown;
            size = off + APPEND;
        }
        copy_fn(buffer + off, src, APPEND);
    }
    t = bench_now() - t0;
    free(buffer);
    return t;
}

/* Median time of grow_store over `samples` runs; `fresh`: memory handed
 * back to the kernel before each. */
static double time_store(size_t total, int samples, int fresh)
{
    struct xfer_store_info info;
    double t[STORE_SAMPLES];
    int r;

    for (r = 0; r < samples; r++) {
        if (fresh)
            bench_pool_reset();
        t[r] = grow_store(total, GROWTH_LIMIT, &info);
    }
    return bench_median(t, (size_t)samples);
}

void bench_growth(struct bench_out *out)
{
    double store_s[NSIZES], recycled_s[NSIZES], wdm1_s[NSIZES];
    double wdm1_base_s = 0, wdm1_base_mib = 0, speedup_64 = 0;
    int speedup_64_measured = 0;
    struct xfer_store_info info;
    size_t k;

    printf("growth (4 KiB appends from empty):\n");
    /* Untimed: under a hypervisor, the first touch of guest memory costs
     * far more than any later one; get that over with first. */
    (void)grow_store(1024 * MIB, GROWTH_LIMIT, &info);
    for (k = 0; k < NSIZES; k++) {
        size_t total = (size_t)sizes_mib[k] * MIB;
        int samples = out->quick ? 1 : STORE_SAMPLES;

        store_s[k] = time_store(total, samples, 1);
        wdm1_s[k] = NAN;
        if (sizes_mib[k] <= out->wdm1_max_mib) {
            malloc_trim(0);
            wdm1_s[k] = grow_wdm1(total);
            wdm1_base_s = wdm1_s[k];
            wdm1_base_mib = sizes_mib[k];
        }
        printf("  %5u MiB  store %9.4f s   Wdm1 %s%.4f s\n", sizes_mib[k], store_s[k],
               isnan(wdm1_s[k]) ? "~" : "",
               isnan(wdm1_s[k]) ? wdm1_base_s * pow(sizes_mib[k] / wdm1_base_mib, 2)
                                : wdm1_s[k]);
        fflush(stdout);
    }
    /* Recycled memory: the pool keeps what the last run freed. */
    (void)grow_store(1024 * MIB, GROWTH_LIMIT, &info);
    for (k = 0; k < NSIZES; k++) {
        int samples = out->quick ? 1 : STORE_SAMPLES;

        recycled_s[k] = time_store((size_t)sizes_mib[k] * MIB, samples, 0);
        printf("  %5u MiB  store, recycled memory %9.4f s\n", sizes_mib[k], recycled_s[k]);
    }

    fprintf(out->md,
            "\n### Growth\n\n"
            "4 KiB writes appended to an empty store until it holds the size "
            "shown (limit 1 GiB, 64 KiB chunks; median of %d run%s), and the "
            "same writes through Wdm1Write's "
            "algorithm (one run each, fresh memory, on malloc). *Fresh*: every "
            "page is faulted in from the kernel during the run; *recycled*: "
            "the allocator reuses the blocks of the previous run, so the time "
            "is the store's own work. Wdm1 ran up to %u MiB; a time marked ~ is "
            "extrapolated from its %g MiB run as t x (size / %g MiB)^2.\n\n"
            "| size | store, fresh | per MiB | store, recycled | per MiB "
            "| Wdm1, fresh | Wdm1 / store (fresh) |\n"
            "|---:|---:|---:|---:|---:|---:|---:|\n",
            out->quick ? 1 : STORE_SAMPLES, out->quick ? "" : "s", out->wdm1_max_mib,
            wdm1_base_mib,
            wdm1_base_mib);
    fprintf(out->growth_dat, "# size_mib store_fresh_s wdm1_measured_s "
            "wdm1_extrapolated_s store_recycled_s\n");
    for (k = 0; k < NSIZES; k++) {
        int measured = !isnan(wdm1_s[k]);
        double wdm1 = measured ? wdm1_s[k]
                               : wdm1_base_s * pow(sizes_mib[k] / wdm1_base_mib, 2);
        /* The extrapolated line starts at the last measured point. */
        int on_line = !measured || sizes_mib[k] == wdm1_base_mib;

        fprintf(out->md, "| %u MiB | %.4f s | %.3f ms | %.4f s | %.3f ms | %s%.*f s "
                "| %s%.0f |\n", sizes_mib[k], store_s[k], store_s[k] * 1e3 / sizes_mib[k],
                recycled_s[k], recycled_s[k] * 1e3 / sizes_mib[k],
                measured ? "" : "~", wdm1 >= 100 ? 0 : 3, wdm1, measured ? "" : "~",
                wdm1 / store_s[k]);
        fprintf(out->growth_dat, "%u %.6f %.6f %.6f %.6f\n", sizes_mib[k], store_s[k],
                measured ? wdm1 : NAN, on_line ? wdm1 : NAN, recycled_s[k]);
        if (sizes_mib[k] == 64) {
            speedup_64 = wdm1 / store_s[k];
            speedup_64_measured = measured;
        }
    }
    fprintf(out->md, "\nTarget: at 64 MiB the store grows >= 1000 x faster than "
            "Wdm1: %s%.0f x%s; met: %s.\n", speedup_64_measured ? "" : "~",
            speedup_64, speedup_64_measured ? "" : " (Wdm1 extrapolated)",
            bench_target(out, speedup_64 >= 1000));
    /* How time grows with size, as an exponent (1: linear, 2: quadratic),
     * from 64 MiB (past the caches) to 1 GiB for the store, and between
     * the two largest sizes Wdm1 ran at. */
    fprintf(out->md, "\nGrowth exponent e in time ~ size^e (1 is linear, 2 quadratic), "
            "from 64 MiB to 1 GiB: store %.2f with fresh memory, %.2f with recycled "
            "memory.", log(store_s[NSIZES - 1] / store_s[6]) / log(16.0),
            log(recycled_s[NSIZES - 1] / recycled_s[6]) / log(16.0));
    for (k = 1; k < NSIZES; k++) {
        if (sizes_mib[k] == wdm1_base_mib && !isnan(wdm1_s[k - 1]))
            fprintf(out->md, " Wdm1 from %u to %u MiB: %.2f%s", sizes_mib[k - 1],
                    sizes_mib[k], log(wdm1_s[k] / wdm1_s[k - 1]) /
                    log((double)sizes_mib[k] / sizes_mib[k - 1]),
                    wdm1_s[k] / wdm1_s[k - 1] > 4.0
                        ? ", steeper than the square its extrapolation assumes, "
                          "which so understates it." : ".");
    }
    fprintf(out->md, "\n");
}

/* One byte at 4 GiB - 1: the store must hold one chunk and one node per
 * index level, whatever the limit. */
static void sparse_case(struct bench_out *out, uint64_t limit, const char *what)
{
    struct xfer_store s;
    struct xfer_store_info info;
    uint64_t want;

    if (xfer_store_init(&s, &bench_pool, limit, XFER_CHUNK_SHIFT_DEFAULT) != XFER_OK ||
        xfer_store_write(&s, ((uint64_t)4 << 30) - 1u, "x", 1) != XFER_OK)
        abort();
    xfer_store_get_info(&s, &info);
    want = info.chunk_size + (uint64_t)info.depth * XFER_NODE_SLOTS * sizeof(void *);
    fprintf(out->md, "| 1 byte at 4 GiB - 1, limit %s | 1 B | %llu B | one 64 KiB chunk "
            "+ %u index node%s of 4 KiB = %llu B | %s |\n", what,
            (unsigned long long)info.bytes_allocated, info.depth,
            info.depth == 1 ? "" : "s", (unsigned long long)want,
            bench_target(out, info.bytes_allocated == want));
    printf("  sparse, limit %s: %llu bytes allocated for 1 byte (depth %u)\n", what,
           (unsigned long long)info.bytes_allocated, info.depth);
    xfer_store_destroy(&s);
}

static void dense_case(struct bench_out *out, unsigned mib, const char *what)
{
    struct xfer_store_info info;
    double ratio;

    (void)grow_store((size_t)mib * MIB, (uint64_t)mib * MIB, &info);
    ratio = (double)info.bytes_allocated / ((double)mib * MIB);
    fprintf(out->md, "| dense: %u MiB written from 0, limit %s | %u MiB | %llu B | "
            "ratio <= 1.01: %.5f | %s |\n", mib, what, mib,
            (unsigned long long)info.bytes_allocated, ratio,
            bench_target(out, ratio <= 1.01));
    printf("  dense %u MiB: %.5f bytes allocated per byte written\n", mib, ratio);
}

void bench_memory(struct bench_out *out)
{
    printf("memory:\n");
    fprintf(out->md, "\n### Memory\n\n"
            "bytes_allocated is what the store holds from its allocator: chunks "
            "and index nodes (the allocator's own headers are not counted).\n\n"
            "| case | written | allocated | target | met |\n|---|---:|---:|---|---|\n");
    dense_case(out, 64, "64 MiB (the driver's default)");
    dense_case(out, 1024, "1 GiB");
    sparse_case(out, (uint64_t)8 << 30, "8 GiB");
    sparse_case(out, XFER_OFFSET_MAX, "2^63 - 1");
}
