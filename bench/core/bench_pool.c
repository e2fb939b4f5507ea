/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's allocators for the store.
 *
 * bench_pool stands in for the kernel pool that feeds the driver's store:
 * blocks are page-aligned and carry no header inline, so blocks of one size
 * taken one after another lie back to back, as the pool's page allocations
 * do. It carves each size from a region of its own in one large
 * reservation and keeps freed blocks on a list per size for reuse;
 * bench_pool_reset hands all of it back to the kernel (the next use faults
 * pages in afresh). bench_pool_region lets the throughput benchmark run its
 * memcpy baseline over the very memory that holds the store's chunks.
 *
 * bench_malloc is plain malloc, 16-byte aligned with a header before each
 * block, for comparison.
 */
#define _GNU_SOURCE   /* MAP_NORESERVE */
#include "bench.h"

#include <stdlib.h>
#include <sys/mman.h>

#define PAGE ((size_t)4096)
#define CLASSES 8
#define CLASS_SPAN ((size_t)8 << 30)   /* address space only */

/* One region per block size, as a slab allocator keeps them: the store's
 * chunks lie back to back in theirs, in the order they were taken. */
static struct {
    uint8_t *base;
    size_t live;                 /* bytes handed out and not freed */
    struct {
        size_t bytes;            /* block size of this class; 0: unused */
        size_t used;             /* bytes carved from the region */
        void *head;              /* freed blocks, for reuse */
    } cls[CLASSES];
} pool;

static int class_of(size_t size)
{
    int i;

    if (pool.base == NULL) {
        void *p = mmap(NULL, CLASS_SPAN * CLASSES, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

        if (p == MAP_FAILED)
            return -1;
        pool.base = p;
    }
    for (i = 0; i < CLASSES; i++) {
        if (pool.cls[i].bytes == 0)
            pool.cls[i].bytes = size;
        if (pool.cls[i].bytes == size)
            return i;
    }
    return -1;   /* the store uses two sizes: never */
}

static void *pool_alloc(void *ctx, size_t bytes)
{
    size_t size = (bytes + PAGE - 1) & ~(PAGE - 1);
    int i = class_of(size);
    void *block;

    (void)ctx;
    if (i < 0)
        return NULL;
    if (pool.cls[i].head != NULL) {
        block = pool.cls[i].head;
        pool.cls[i].head = *(void **)block;
    } else {
        if (CLASS_SPAN - pool.cls[i].used < size)
            return NULL;
        block = pool.base + (size_t)i * CLASS_SPAN + pool.cls[i].used;
        pool.cls[i].used += size;
    }
    pool.live += size;
    return block;
}

static void pool_free(void *ctx, void *block, size_t bytes)
{
    size_t size = (bytes + PAGE - 1) & ~(PAGE - 1);
    int i = class_of(size);

    (void)ctx;
    if (i < 0)
        abort();
    *(void **)block = pool.cls[i].head;
    pool.cls[i].head = block;
    pool.live -= size;
}

void bench_pool_reset(void)
{
    int i;

    if (pool.live != 0)
        abort();
    for (i = 0; i < CLASSES; i++) {
        if (pool.cls[i].used != 0 &&
            madvise(pool.base + (size_t)i * CLASS_SPAN, pool.cls[i].used,
                    MADV_DONTNEED) != 0)
            abort();
        pool.cls[i].used = 0;
        pool.cls[i].head = NULL;
    }
}

uint8_t *bench_pool_region(size_t bytes)
{
    int i = class_of((bytes + PAGE - 1) & ~(PAGE - 1));

    return i < 0 ? NULL : pool.base + (size_t)i * CLASS_SPAN;
}

const struct xfer_allocator bench_pool = { pool_alloc, pool_free, NULL };

static void *malloc_alloc(void *ctx, size_t bytes)
{
    (void)ctx;
    return malloc(bytes);
}

static void malloc_free(void *ctx, void *block, size_t bytes)
{
    (void)ctx;
    (void)bytes;
    free(block);
}

const struct xfer_allocator bench_malloc = { malloc_alloc, malloc_free, NULL };
