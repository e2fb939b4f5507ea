/* SPDX-License-Identifier: MIT */
/* xfer_store: allocation failure rollback, and a randomized differential
 * test against a flat byte array. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byte_model.h"
#include "fail_alloc.h"
#include "unit.h"
#include "xfer_store.h"

/* ---- allocation failure: all or nothing ---- */

struct span {
    uint64_t offset;
    size_t length;
};

struct snap {
    struct xfer_store_info info;
    uint8_t *bytes;   /* [0, size) */
};

static void fill(uint8_t *buf, size_t n, uint32_t seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        buf[i] = (uint8_t)((i * 29u + seed) | 0x80u);
}

/* Reads the whole store (small in these tests) into sn. */
static void take_snap(const struct xfer_store *s, struct snap *sn)
{
    size_t done = 0;

    xfer_store_get_info(s, &sn->info);
    sn->bytes = malloc((size_t)sn->info.size + 1u);
    if (sn->bytes == NULL) {
        unit_fail(__FILE__, __LINE__, "out of test memory");
        return;
    }
    if (xfer_store_read(s, 0, sn->bytes, (size_t)sn->info.size, &done) !=
            XFER_OK ||
        done != sn->info.size)
        unit_fail(__FILE__, __LINE__, "snapshot read failed");
}

static void same_as_snap(const struct xfer_store *s, const struct snap *sn)
{
    struct snap now;

    take_snap(s, &now);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ_U64(now.info.size, sn->info.size);
    ASSERT_EQ_U64(now.info.generation, sn->info.generation);
    ASSERT_EQ_U64(now.info.bytes_allocated, sn->info.bytes_allocated);
    ASSERT_MEM_EQ(now.bytes, sn->bytes, (size_t)now.info.size);
    free(now.bytes);
}

/* Sets up a store with the `setup` writes, then for n = 1, 2, ... fails the
 * n-th allocation (or, with `fail_rest`, every one from the n-th) of the
 * write [offset, offset + length): each must fail with nothing changed and
 * nothing leaked, until n passes `expect_allocs` and the write succeeds. */
static void check_rollback(uint64_t limit, uint32_t shift,
                           const struct span *setup, size_t nsetup,
                           uint64_t offset, size_t length,
                           uint64_t expect_allocs, int fail_rest)
{
    struct fail_alloc fa;
    struct xfer_store s;
    struct snap before;
    uint8_t *src = malloc(length), *out = malloc(length);
    uint64_t n, calls = 0;
    xfer_status st = XFER_ERR_NO_MEMORY;
    size_t i, done = 0;

    ASSERT_TRUE(src != NULL && out != NULL);
    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, limit, shift), XFER_OK);
    for (i = 0; i < nsetup; i++) {
        uint8_t data[256];

        ASSERT_TRUE(setup[i].length <= sizeof(data));
        fill(data, setup[i].length, (uint32_t)i);
        ASSERT_EQ(xfer_store_write(&s, setup[i].offset, data, setup[i].length),
                  XFER_OK);
    }
    take_snap(&s, &before);
    UNIT_RETURN_IF_FAILED();
    fill(src, length, 99);
    for (n = 1; st != XFER_OK; n++) {
        uint64_t failures = fa.failures;

        ASSERT_TRUE(n <= expect_allocs + 1u);
        if (fail_rest)
            fail_alloc_fail_from(&fa, n);
        else
            fail_alloc_fail_nth(&fa, n);
        calls = fa.calls;
        st = xfer_store_write(&s, offset, src, length);
        if (st == XFER_OK)
            break;
        ASSERT_EQ(st, XFER_ERR_NO_MEMORY);
        ASSERT_EQ_U64(fa.failures, failures + 1u);
        ASSERT_EQ_U64(fa.live_bytes, s.bytes_allocated);
        same_as_snap(&s, &before);
        UNIT_RETURN_IF_FAILED();
    }
    ASSERT_EQ_U64(n - 1u, expect_allocs);
    ASSERT_EQ_U64(fa.calls - calls, expect_allocs);
    ASSERT_EQ_U64(fa.live_bytes, s.bytes_allocated);
    ASSERT_EQ_U64(xfer_store_size(&s), before.info.size > offset + length
                                           ? before.info.size
                                           : offset + length);
    ASSERT_EQ(xfer_store_read(&s, offset, out, length, &done), XFER_OK);
    ASSERT_EQ(done, length);
    ASSERT_MEM_EQ(out, src, length);
    xfer_store_destroy(&s);
    ASSERT_TRUE(fail_alloc_check_clean(&fa));
    free(before.bytes);
    free(src);
    free(out);
}

TEST(test_store_alloc_failure_changes_nothing)
{
    /* Chunks 5..515 of 16 B: 505 missing in leaf 0, leaf 1 + 4 chunks. */
    static const struct span setup[] = { { 0, 100 }, { 20000, 100 } };
    int rest;

    for (rest = 0; rest <= 1; rest++) {
        /* Empty depth-7 tree, across a leaf edge: 6 shared nodes, 2 leaves,
         * 2 chunks. */
        check_rollback(XFER_OFFSET_MAX, 4, NULL, 0, 8180, 20, 10, rest);
        UNIT_RETURN_IF_FAILED();
        check_rollback(XFER_OFFSET_MAX, 4, setup, 2, 90, 8242 - 90, 510, rest);
        UNIT_RETURN_IF_FAILED();
        /* Depth 2, 64 KiB chunks, across the first leaf's end. */
        check_rollback(64u << 20, 16, NULL, 0, (32u << 20) - 10, 20, 5, rest);
        UNIT_RETURN_IF_FAILED();
        /* Everything present already: needs nothing, cannot fail. */
        check_rollback(1u << 20, 6, setup, 2, 20, 60, 0, rest);
        UNIT_RETURN_IF_FAILED();
    }
}

/* ---- randomized differential test ---- */

enum { MODEL_LIMIT = 64 * 1024 };

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64: deterministic, good enough to spread test cases. */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return n == 0 ? 0 : rnd() % n;
}

/* Mostly near a chunk boundary, sometimes anywhere, rarely out of range. */
static uint64_t pick_offset(uint32_t chunk_bytes)
{
    uint64_t r = below(100);

    if (r < 2)
        return UINT64_MAX - below(8);
    if (r < 4)
        return XFER_OFFSET_MAX - below(8);
    if (r < 8)
        return MODEL_LIMIT - 8 + below(24);
    if (r < 60) {
        uint64_t edge = below(MODEL_LIMIT / chunk_bytes + 1u) * chunk_bytes;
        uint64_t delta = below(5);

        return edge + delta >= 2 ? edge + delta - 2 : 0;
    }
    return below(MODEL_LIMIT);
}

static size_t pick_length(uint32_t chunk_bytes)
{
    switch (below(8)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return chunk_bytes - 1u;
    case 3: return chunk_bytes;
    case 4: return chunk_bytes + 1u;
    case 5: return (size_t)below(3u * chunk_bytes);
    case 6: return (size_t)below(600);
    default: return (size_t)below(5000);
    }
}

/* One random write; with a failing allocator armed now and then. */
static void step_write(struct xfer_store *s, struct fail_alloc *fa,
                       struct byte_model *m, uint32_t chunk_bytes, uint8_t *buf)
{
    uint64_t offset = pick_offset(chunk_bytes);
    size_t length = pick_length(chunk_bytes);
    uint64_t failures = fa->failures;
    xfer_status got;
    size_t i;

    for (i = 0; i < length; i++)
        buf[i] = (uint8_t)rnd();
    if (below(10) == 0)
        fail_alloc_fail_nth(fa, 1u + below(4));
    got = xfer_store_write(s, offset, buf, length);
    fail_alloc_fail_none(fa);
    if (got == XFER_ERR_NO_MEMORY) {
        /* Allowed only when an allocation really failed; model unchanged. */
        ASSERT_EQ_U64(fa->failures, failures + 1u);
        return;
    }
    ASSERT_EQ(got, byte_model_write(m, offset, buf, length));
}

static void step_read(const struct xfer_store *s, const struct byte_model *m,
                      uint32_t chunk_bytes, uint8_t *buf, uint8_t *want)
{
    uint64_t offset = pick_offset(chunk_bytes);
    size_t length = pick_length(chunk_bytes), done = 12345, want_done = 0;
    xfer_status expect = byte_model_read(m, offset, want, length, &want_done);

    ASSERT_EQ(xfer_store_read(s, offset, buf, length, &done), expect);
    ASSERT_EQ(done, want_done);
    ASSERT_MEM_EQ(buf, want, want_done);
}

static void check_all(const struct xfer_store *s, const struct byte_model *m,
                      uint8_t *buf)
{
    size_t done = 0;

    ASSERT_EQ(xfer_store_read(s, 0, buf, MODEL_LIMIT, &done), XFER_OK);
    ASSERT_EQ_U64(done, m->size);
    ASSERT_MEM_EQ(buf, m->window, done);
}

static void run_differential(uint32_t shift, uint64_t seed, int ops)
{
    struct fail_alloc fa;
    struct xfer_store s;
    struct byte_model m;
    uint8_t *buf = malloc(MODEL_LIMIT + 8192);
    uint8_t *want = malloc(MODEL_LIMIT + 8192);
    uint32_t chunk_bytes = 1u << shift;
    int i;

    ASSERT_TRUE(buf != NULL && want != NULL);
    ASSERT_TRUE(byte_model_init(&m, 0, MODEL_LIMIT, shift));
    rng_state = seed;
    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, MODEL_LIMIT, shift), XFER_OK);
    ASSERT_EQ(s.depth, m.depth);
    for (i = 0; i < ops; i++) {
        uint64_t r = below(100), size;

        if (r < 45) {
            step_write(&s, &fa, &m, chunk_bytes, buf);
        } else if (r < 80) {
            step_read(&s, &m, chunk_bytes, buf, want);
        } else if (r < 95) {
            size = below(4) == 0 ? pick_offset(chunk_bytes)
                                 : below(MODEL_LIMIT + 1u);
            ASSERT_EQ(xfer_store_set_size(&s, size), byte_model_set_size(&m, size));
        } else if (r < 98) {
            xfer_store_zero(&s);
            byte_model_zero(&m);
        } else {
            xfer_store_remove(&s);
            byte_model_remove(&m);
        }
        UNIT_RETURN_IF_FAILED();
        ASSERT_EQ_U64(xfer_store_size(&s), m.size);
        ASSERT_EQ_U64(s.generation, m.generation);
        ASSERT_EQ_U64(s.bytes_allocated, fa.live_bytes);
        ASSERT_EQ_U64(s.bytes_allocated, byte_model_bytes_allocated(&m));
        if (i % 64 == 0) {
            check_all(&s, &m, buf);
            UNIT_RETURN_IF_FAILED();
        }
    }
    check_all(&s, &m, buf);
    UNIT_RETURN_IF_FAILED();
    xfer_store_destroy(&s);
    ASSERT_TRUE(fail_alloc_check_clean(&fa));
    byte_model_free(&m);
    free(buf);
    free(want);
}

TEST(test_store_differential_shift4)
{
    run_differential(4, 0x5EED0001u, 20000);
}

TEST(test_store_differential_shift6)
{
    run_differential(6, 0x5EED0002u, 20000);
}

TEST(test_store_differential_shift12)
{
    run_differential(12, 0x5EED0003u, 5000);
}
