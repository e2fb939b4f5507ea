/* SPDX-License-Identifier: MIT */
/*
 * xfer_store under allocation failure, across a whole workload.
 *
 * test_store_model.c fails the allocations of one write in turn. Here a
 * realistic sequence of writes, truncations, extensions, zero and remove,
 * spanning many chunks and every level of a deep index, runs once without
 * failures (the reference, recorded after each step) and then once for every
 * n with only its n-th allocation failing, until a run has none left to fail.
 * In each run the step that meets the failure must answer XFER_ERR_NO_MEMORY
 * and leave size, generation, bytes_allocated and every byte exactly as the
 * reference had them before that step; the workload then goes on (the step
 * is retried) and must end exactly where the reference ended.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fail_alloc.h"
#include "unit.h"
#include "xfer_store.h"

enum op_kind { OP_WRITE, OP_SET_SIZE, OP_ZERO, OP_REMOVE };

/* Regions are KiB-sized windows around the tree's edges; every step stays
 * inside one, so the bytes elsewhere are holes. */
enum region { R_START, R_LEAF, R_LEVEL2, R_4GIB, R_LEVEL3, R_TOP, REGIONS };
#define REGION_BYTES (24u * 1024u)
#define BELOW_EDGE (8u * 1024u)   /* a region starts this far before its edge */

struct op {
    enum op_kind kind;
    enum region region;
    uint32_t at;       /* offset in the region; for OP_SET_SIZE the size */
    uint32_t length;   /* OP_WRITE only */
};

static const struct op workload[] = {
    { OP_WRITE, R_START, 0, 10000 },
    { OP_WRITE, R_LEAF, 100, 16000 },       /* across a leaf's end */
    { OP_WRITE, R_4GIB, 5, 12000 },         /* across 2^32 */
    { OP_WRITE, R_START, 5000, 8000 },      /* half over chunks held */
    { OP_SET_SIZE, R_4GIB, 6000, 0 },       /* cut inside the last write */
    { OP_WRITE, R_TOP, 8000, 100 },         /* far away: a new subtree */
    { OP_WRITE, R_LEVEL2, 8100, 300 },      /* across a level-2 node */
    { OP_WRITE, R_LEVEL3, 8100, 300 },      /* across a level-3 node */
    { OP_SET_SIZE, R_LEVEL2, 8200, 0 },     /* frees 4 GiB and above */
    { OP_SET_SIZE, R_TOP, REGION_BYTES, 0 },/* extends: allocates nothing */
    { OP_WRITE, R_4GIB, 0, REGION_BYTES },
    { OP_WRITE, R_LEVEL3, 1, REGION_BYTES - 2 },
    { OP_ZERO, R_START, 0, 0 },
    { OP_WRITE, R_LEAF, 0, REGION_BYTES },
    { OP_WRITE, R_START, 255, 2 },          /* two chunks for two bytes */
    { OP_WRITE, R_TOP, 0, REGION_BYTES },
    { OP_REMOVE, R_START, 0, 0 },
    { OP_WRITE, R_TOP, 1, 5000 },
    { OP_WRITE, R_LEVEL2, 0, REGION_BYTES },
    { OP_WRITE, R_START, 7, REGION_BYTES - 7 },
    { OP_SET_SIZE, R_LEVEL2, 9000, 0 },
    { OP_WRITE, R_LEVEL2, 8190, 700 },      /* over the cut chunk's tail */
};
#define STEPS (sizeof(workload) / sizeof(workload[0]))

struct config {
    uint64_t limit;
    uint32_t shift;
    uint64_t region_start[REGIONS];
};

/* What a step leaves behind: the store's counters and every region. */
struct state {
    struct xfer_store_info info;
    uint8_t bytes[REGIONS][REGION_BYTES];
};

struct reference {
    struct state before_all;
    struct state after[STEPS];
    uint64_t allocs[STEPS];   /* allocations each step made */
};

static void config_init(struct config *c, uint64_t limit, uint32_t shift)
{
    uint64_t leaf_span = (uint64_t)1 << (shift + XFER_NODE_SHIFT);

    c->limit = limit;
    c->shift = shift;
    c->region_start[R_START] = 0;
    c->region_start[R_LEAF] = leaf_span - BELOW_EDGE;
    c->region_start[R_LEVEL2] = (leaf_span << XFER_NODE_SHIFT) - BELOW_EDGE;
    c->region_start[R_4GIB] = ((uint64_t)1 << 32) - BELOW_EDGE;
    c->region_start[R_LEVEL3] = (leaf_span << (2 * XFER_NODE_SHIFT)) - BELOW_EDGE;
    c->region_start[R_TOP] = limit - REGION_BYTES;
}

static void fill(uint8_t *buf, size_t n, size_t step)
{
    size_t i;

    for (i = 0; i < n; i++)
        buf[i] = (uint8_t)((step * 37u + i * 11u) | 1u);
}

static xfer_status run_step(struct xfer_store *s, const struct config *c,
                            size_t step, uint8_t *buf)
{
    const struct op *op = &workload[step];
    uint64_t at = c->region_start[op->region] + op->at;

    switch (op->kind) {
    case OP_WRITE:
        fill(buf, op->length, step);
        return xfer_store_write(s, at, buf, op->length);
    case OP_SET_SIZE:
        return xfer_store_set_size(s, at);
    case OP_ZERO:
        xfer_store_zero(s);
        return XFER_OK;
    case OP_REMOVE:
        xfer_store_remove(s);
        return XFER_OK;
    }
    return XFER_ERR_INVALID;
}

static void take_state(const struct xfer_store *s, const struct config *c,
                       struct state *st)
{
    int r;

    xfer_store_get_info(s, &st->info);
    for (r = 0; r < REGIONS; r++) {
        size_t done = 0;

        /* Past the end reads nothing: leave the canary there. */
        memset(st->bytes[r], 0xEE, REGION_BYTES);
        if (xfer_store_read(s, c->region_start[r], st->bytes[r], REGION_BYTES,
                            &done) != XFER_OK)
            unit_fail(__FILE__, __LINE__, "region %d unreadable", r);
    }
}

/* Compares the store with a recorded state; `full` also compares bytes. */
static void same_state(const struct xfer_store *s, const struct config *c,
                       const struct state *want, int full, struct state *scratch)
{
    int r;

    xfer_store_get_info(s, &scratch->info);
    ASSERT_EQ_U64(scratch->info.size, want->info.size);
    ASSERT_EQ_U64(scratch->info.generation, want->info.generation);
    ASSERT_EQ_U64(scratch->info.bytes_allocated, want->info.bytes_allocated);
    if (!full)
        return;
    take_state(s, c, scratch);
    UNIT_RETURN_IF_FAILED();
    for (r = 0; r < REGIONS; r++)
        ASSERT_MEM_EQ(scratch->bytes[r], want->bytes[r], REGION_BYTES);
}

/* The run without failures; checks that each write reads back. Returns the
 * total number of allocations. */
static uint64_t record(const struct config *c, struct reference *ref, uint8_t *buf,
                       uint8_t *out)
{
    struct fail_alloc fa;
    struct xfer_store s;
    uint64_t calls;
    size_t step;

    fail_alloc_init(&fa);
    if (xfer_store_init(&s, &fa.allocator, c->limit, c->shift) != XFER_OK) {
        unit_fail(__FILE__, __LINE__, "init failed");
        return 0;
    }
    take_state(&s, c, &ref->before_all);
    for (step = 0; step < STEPS; step++) {
        const struct op *op = &workload[step];
        size_t done = 0;

        calls = fa.calls;
        if (run_step(&s, c, step, buf) != XFER_OK)
            unit_fail(__FILE__, __LINE__, "step %zu failed", step);
        ref->allocs[step] = fa.calls - calls;
        if (op->kind != OP_WRITE && ref->allocs[step] != 0)
            unit_fail(__FILE__, __LINE__, "step %zu allocated", step);
        if (op->kind == OP_WRITE &&
            (xfer_store_read(&s, c->region_start[op->region] + op->at, out,
                             op->length, &done) != XFER_OK ||
             done != op->length || memcmp(out, buf, op->length) != 0))
            unit_fail(__FILE__, __LINE__, "step %zu does not read back", step);
        take_state(&s, c, &ref->after[step]);
        if (unit_failed())
            break;
    }
    xfer_store_destroy(&s);
    fail_alloc_check_clean(&fa);
    return fa.calls;
}

/* One run with only allocation n failing. Sets *failed when it met it. */
static void run_failing(const struct config *c, const struct reference *ref,
                        uint64_t n, uint8_t *buf, struct state *scratch,
                        int *failed)
{
    struct fail_alloc fa;
    struct xfer_store s;
    uint64_t calls_before = 0;
    size_t step;

    *failed = 0;
    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, c->limit, c->shift), XFER_OK);
    fail_alloc_fail_nth(&fa, n);
    for (step = 0; step < STEPS; step++) {
        const struct state *before = step == 0 ? &ref->before_all : &ref->after[step - 1];
        xfer_status st = run_step(&s, c, step, buf);
        int hit = fa.failures != 0 && !*failed;

        /* The failure lands in the step whose allocations include the
         * n-th, and nowhere else. */
        ASSERT_EQ(hit, n > calls_before && n <= calls_before + ref->allocs[step]);
        calls_before += ref->allocs[step];
        if (hit) {
            *failed = 1;
            ASSERT_EQ(st, XFER_ERR_NO_MEMORY);
            ASSERT_EQ_U64(fa.live_bytes, s.bytes_allocated);
            same_state(&s, c, before, 1, scratch);
            UNIT_RETURN_IF_FAILED();
            st = run_step(&s, c, step, buf);   /* and the workload goes on */
            ASSERT_EQ(fa.failures, 1);
        }
        ASSERT_EQ(st, XFER_OK);
        ASSERT_EQ_U64(fa.live_bytes, s.bytes_allocated);
        same_state(&s, c, &ref->after[step], hit || step + 1 == STEPS, scratch);
        UNIT_RETURN_IF_FAILED();
    }
    xfer_store_destroy(&s);
    ASSERT_TRUE(fail_alloc_check_clean(&fa));
}

static void check_all_failures(const struct config *c, struct reference *ref,
                               struct state *scratch, uint8_t *buf, uint8_t *out,
                               uint64_t min_allocs)
{
    uint64_t total, n;
    int failed = 1;

    total = record(c, ref, buf, out);
    UNIT_RETURN_IF_FAILED();
    ASSERT_TRUE(total >= min_allocs);   /* the workload is not trivial */
    for (n = 1; failed; n++) {
        run_failing(c, ref, n, buf, scratch, &failed);
        if (unit_failed()) {
            unit_fail(__FILE__, __LINE__, "with allocation %llu failing",
                      (unsigned long long)n);
            return;
        }
    }
    /* The last run failed nothing: every allocation had its turn. */
    ASSERT_EQ_U64(n - 2u, total);
}

static void check_workload(uint64_t limit, uint32_t shift, uint64_t min_allocs)
{
    struct config c;
    struct reference *ref = malloc(sizeof(*ref));
    struct state *scratch = malloc(sizeof(*scratch));
    uint8_t *buf = malloc(REGION_BYTES), *out = malloc(REGION_BYTES);

    config_init(&c, limit, shift);
    if (ref != NULL && scratch != NULL && buf != NULL && out != NULL)
        check_all_failures(&c, ref, scratch, buf, out, min_allocs);
    else
        unit_fail(__FILE__, __LINE__, "out of test memory");
    free(ref);
    free(scratch);
    free(buf);
    free(out);
}

/* 256-byte chunks, depth 4: hundreds of chunks per pass over the regions. */
TEST(test_store_faults_workload_shift8_depth4)
{
    struct xfer_store s;
    struct fail_alloc fa;

    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, 1ull << 40, 8), XFER_OK);
    ASSERT_EQ(s.depth, 4);
    check_workload(1ull << 40, 8, 800);
}

/* 4 KiB chunks under the largest limit: depth 6, the top near 2^63. */
TEST(test_store_faults_workload_shift12_depth6)
{
    struct xfer_store s;
    struct fail_alloc fa;

    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, XFER_OFFSET_MAX, 12), XFER_OK);
    ASSERT_EQ(s.depth, 6);
    check_workload(XFER_OFFSET_MAX, 12, 100);
}
