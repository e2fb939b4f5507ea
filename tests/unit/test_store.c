/* SPDX-License-Identifier: MIT */
/* xfer_store: configuration, reads, writes, holes, limits and offsets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fail_alloc.h"
#include "unit.h"
#include "xfer_store.h"

#define NODE_BYTES ((uint64_t)XFER_NODE_SLOTS * sizeof(void *))

struct fx {
    struct fail_alloc fa;
    struct xfer_store s;
};

#define FX_INIT(f, limit, shift)                                          \
    do {                                                                  \
        fail_alloc_init(&(f)->fa);                                        \
        ASSERT_EQ(xfer_store_init(&(f)->s, &(f)->fa.allocator, (limit),   \
                                  (shift)),                               \
                  XFER_OK);                                               \
    } while (0)

/* The store's count must match what the allocator handed out. */
#define ASSERT_ACCOUNTED(f) \
    ASSERT_EQ_U64((f)->s.bytes_allocated, (f)->fa.live_bytes)

#define FX_DONE(f)                                                        \
    do {                                                                  \
        ASSERT_ACCOUNTED(f);                                              \
        xfer_store_destroy(&(f)->s);                                      \
        ASSERT_EQ_U64((f)->s.bytes_allocated, 0);                         \
        ASSERT_TRUE(fail_alloc_check_clean(&(f)->fa));                    \
    } while (0)

static void pattern(uint8_t *buf, size_t n, uint32_t seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        buf[i] = (uint8_t)((i * 131u + seed * 7u + (i >> 8)) | 1u);
}

static int all_zero(const uint8_t *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (buf[i] != 0)
            return 0;
    }
    return 1;
}

TEST(test_store_init_validation)
{
    struct fail_alloc fa;
    struct xfer_allocator bad;
    struct xfer_store s;
    struct xfer_store_info info;

    fail_alloc_init(&fa);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, 1024, 3), XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, 1024, 25), XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, XFER_OFFSET_MAX + 1u, 16),
              XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, UINT64_MAX, 16),
              XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_init(&s, NULL, 1024, 16), XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_init(NULL, &fa.allocator, 1024, 16), XFER_ERR_INVALID);
    bad = fa.allocator;
    bad.alloc = NULL;
    ASSERT_EQ(xfer_store_init(&s, &bad, 1024, 16), XFER_ERR_INVALID);
    bad = fa.allocator;
    bad.free = NULL;
    ASSERT_EQ(xfer_store_init(&s, &bad, 1024, 16), XFER_ERR_INVALID);

    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, 0, XFER_CHUNK_SHIFT_MIN),
              XFER_OK);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, XFER_OFFSET_MAX,
                              XFER_CHUNK_SHIFT_MAX), XFER_OK);
    ASSERT_EQ(xfer_store_init(&s, &fa.allocator, 5000, 12), XFER_OK);
    xfer_store_get_info(&s, &info);
    ASSERT_EQ_U64(info.size, 0);
    ASSERT_EQ_U64(info.limit, 5000);
    ASSERT_EQ_U64(info.bytes_allocated, 0);
    ASSERT_EQ_U64(info.generation, 0);
    ASSERT_EQ_U64(info.chunk_size, 4096);
    ASSERT_EQ_U64(xfer_store_size(&s), 0);
    ASSERT_EQ_U64(fa.calls, 0);
    xfer_store_destroy(&s);
    ASSERT_TRUE(fail_alloc_check_clean(&fa));
}

static uint32_t depth_of(uint64_t limit, uint32_t shift)
{
    struct fail_alloc fa;
    struct xfer_store s;
    struct xfer_store_info info;

    fail_alloc_init(&fa);
    if (xfer_store_init(&s, &fa.allocator, limit, shift) != XFER_OK)
        return 0;
    xfer_store_get_info(&s, &info);
    return info.depth;
}

TEST(test_store_depth_from_limit)
{
    /* One level spans 512 chunks: 32 MiB at 64 KiB chunks. */
    ASSERT_EQ(depth_of(32u << 20, 16), 1);
    ASSERT_EQ(depth_of((32u << 20) + 1u, 16), 2);
    ASSERT_EQ(depth_of(64u << 20, 16), 2);
    ASSERT_EQ(depth_of(4ull << 30, 16), 2);
    ASSERT_EQ(depth_of(16ull << 30, 16), 2);
    ASSERT_EQ(depth_of((16ull << 30) + 1u, 16), 3);
    ASSERT_EQ(depth_of(0, 4), 1);
    ASSERT_EQ(depth_of(8192, 4), 1);
    ASSERT_EQ(depth_of(8193, 4), 2);
    ASSERT_EQ(depth_of(XFER_OFFSET_MAX, 4), 7);
    ASSERT_EQ(depth_of(XFER_OFFSET_MAX, 16), 6);
    ASSERT_EQ(depth_of(XFER_OFFSET_MAX, 24), 5);
}

TEST(test_store_empty_read_is_eof)
{
    struct fx f;
    uint8_t buf[64];
    size_t done = 99;

    FX_INIT(&f, 1u << 20, 12);
    ASSERT_EQ(xfer_store_read(&f.s, 0, buf, sizeof(buf), &done), XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_store_read(&f.s, 12345, buf, sizeof(buf), &done), XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_EQ_U64(f.fa.calls, 0);
    FX_DONE(&f);
}

TEST(test_store_write_read_back)
{
    struct fx f;
    uint8_t in[10000], out[10000];
    size_t done = 0;

    FX_INIT(&f, 1u << 20, 12);
    pattern(in, sizeof(in), 1);
    ASSERT_EQ(xfer_store_write(&f.s, 100, in, sizeof(in)), XFER_OK);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 100 + sizeof(in));
    ASSERT_EQ(xfer_store_read(&f.s, 100, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, sizeof(out));
    ASSERT_MEM_EQ(out, in, sizeof(in));
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, 100, &done), XFER_OK);
    ASSERT_EQ(done, 100);
    ASSERT_TRUE(all_zero(out, 100));
    /* Overwrite the middle: neighbours stay. */
    ASSERT_EQ(xfer_store_write(&f.s, 4000, "abcdef", 6), XFER_OK);
    memcpy(in + 3900, "abcdef", 6);
    ASSERT_EQ(xfer_store_read(&f.s, 100, out, sizeof(out), &done), XFER_OK);
    ASSERT_MEM_EQ(out, in, sizeof(in));
    ASSERT_EQ_U64(xfer_store_size(&f.s), 100 + sizeof(in));
    FX_DONE(&f);
}

TEST(test_store_read_truncated_at_size)
{
    struct fx f;
    uint8_t in[300], out[1000];
    size_t done = 0;

    FX_INIT(&f, 1u << 20, 4);
    pattern(in, sizeof(in), 2);
    ASSERT_EQ(xfer_store_write(&f.s, 0, in, sizeof(in)), XFER_OK);
    memset(out, 0xEE, sizeof(out));
    ASSERT_EQ(xfer_store_read(&f.s, 250, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 50);
    ASSERT_MEM_EQ(out, in + 250, 50);
    ASSERT_EQ(out[50], 0xEE);  /* nothing past done is touched */
    FX_DONE(&f);
}

TEST(test_store_read_at_or_past_end)
{
    struct fx f;
    uint8_t out[16];
    size_t done = 7;

    FX_INIT(&f, 1u << 20, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "0123456789", 10), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 10, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 0);
    done = 7;
    ASSERT_EQ(xfer_store_read(&f.s, 11, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 0);
    done = 7;
    ASSERT_EQ(xfer_store_read(&f.s, 1u << 30, out, sizeof(out), &done),
              XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_store_read(&f.s, 9, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 1);
    ASSERT_EQ(out[0], '9');
    FX_DONE(&f);
}

TEST(test_store_holes_read_zero)
{
    struct fx f;
    uint8_t in[100];
    uint8_t *out = malloc(600100);
    size_t done = 0;

    ASSERT_TRUE(out != NULL);
    FX_INIT(&f, 1u << 20, 12);   /* depth 1: one node */
    pattern(in, sizeof(in), 3);
    ASSERT_EQ(xfer_store_write(&f.s, 600000, in, sizeof(in)), XFER_OK);
    /* 600000..600099 lies in chunk 146 only. */
    ASSERT_EQ_U64(f.s.bytes_allocated, NODE_BYTES + 4096);
    ASSERT_ACCOUNTED(&f);
    memset(out, 0xEE, 600100);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, 600100, &done), XFER_OK);
    ASSERT_EQ(done, 600100);
    ASSERT_TRUE(all_zero(out, 600000));
    ASSERT_MEM_EQ(out + 600000, in, sizeof(in));
    free(out);
    FX_DONE(&f);
}

/* White-box peek at the tree (private to core/): the chunk with index
 * `chunk`, or NULL for a hole. */
static void *chunk_ptr(const struct xfer_store *s, uint64_t chunk)
{
    void **node = s->root;
    uint32_t h;

    for (h = s->depth; node != NULL && h >= 1u; h--)
        node = node[(chunk >> (XFER_NODE_SHIFT * (h - 1u))) &
                    (XFER_NODE_SLOTS - 1u)];
    return node;
}

TEST(test_store_growth_keeps_data_in_place)
{
    struct fx f;
    enum { STEP = 37, STEPS = 3000 };
    uint8_t *model = malloc((size_t)STEP * STEPS);
    uint8_t *out = malloc((size_t)STEP * STEPS);
    void *chunk0, *chunk1;
    size_t done = 0, i;

    ASSERT_TRUE(model != NULL && out != NULL);
    FX_INIT(&f, 1u << 20, 6);   /* 64 B chunks, depth 2 */
    pattern(model, (size_t)STEP * STEPS, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 0, model, STEP), XFER_OK);
    chunk0 = chunk_ptr(&f.s, 0);
    chunk1 = chunk_ptr(&f.s, 1);
    ASSERT_TRUE(chunk0 != NULL && chunk1 == NULL);
    for (i = 1; i < STEPS; i++) {
        ASSERT_EQ(xfer_store_write(&f.s, i * STEP, model + i * STEP, STEP),
                  XFER_OK);
        if (i == 1)
            chunk1 = chunk_ptr(&f.s, 1);
        if (i % 500 == 0 || i == STEPS - 1) {
            ASSERT_EQ(xfer_store_read(&f.s, 0, out, (i + 1) * STEP, &done),
                      XFER_OK);
            ASSERT_EQ(done, (i + 1) * STEP);
            ASSERT_MEM_EQ(out, model, done);
        }
    }
    /* Growth past several leaves moved neither chunk. */
    ASSERT_TRUE(chunk_ptr(&f.s, 0) == chunk0);
    ASSERT_TRUE(chunk_ptr(&f.s, 1) == chunk1);
    ASSERT_EQ_U64(xfer_store_size(&f.s), (uint64_t)STEP * STEPS);
    free(model);
    free(out);
    FX_DONE(&f);
}

/* Writes every (offset, length) pair around the first few chunk
 * boundaries of a 16-byte-chunk store and checks the whole store against a
 * flat copy after each. */
TEST(test_store_chunk_boundaries)
{
    static const size_t lens[] = { 1, 15, 16, 17, 31, 32, 33, 200, 1000 };
    static const uint64_t offs[] = { 0, 1, 15, 16, 17, 31, 32, 33, 47, 48,
                                     8191, 8192, 8193 };
    enum { SPAN = 10000 };
    struct fx f;
    uint8_t *model = calloc(1, SPAN), *out = malloc(SPAN), src[1000];
    size_t i, j, done = 0;
    uint64_t size = 0;

    ASSERT_TRUE(model != NULL && out != NULL);
    FX_INIT(&f, 1u << 20, 4);   /* depth 2: 8 KiB per leaf */
    for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
            uint64_t end = offs[i] + lens[j];

            pattern(src, lens[j], (uint32_t)(i * 16 + j));
            ASSERT_EQ(xfer_store_write(&f.s, offs[i], src, lens[j]), XFER_OK);
            memcpy(model + offs[i], src, lens[j]);
            size = end > size ? end : size;
            ASSERT_EQ_U64(xfer_store_size(&f.s), size);
            ASSERT_EQ(xfer_store_read(&f.s, 0, out, SPAN, &done), XFER_OK);
            ASSERT_EQ_U64(done, size);
            ASSERT_MEM_EQ(out, model, done);
            ASSERT_ACCOUNTED(&f);
        }
    }
    free(model);
    free(out);
    FX_DONE(&f);
}

TEST(test_store_many_chunks_one_write)
{
    enum { LEN = 1 << 20 };
    struct fx f;
    uint8_t *in = malloc(LEN), *out = malloc(LEN);
    size_t done = 0;

    ASSERT_TRUE(in != NULL && out != NULL);
    pattern(in, LEN, 5);
    FX_INIT(&f, 4u << 20, 4);   /* 65536 chunks + 1 across leaves */
    ASSERT_EQ(xfer_store_write(&f.s, 7, in, LEN), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 7, out, LEN, &done), XFER_OK);
    ASSERT_EQ(done, LEN);
    ASSERT_MEM_EQ(out, in, LEN);
    /* 65537 chunks, 129 leaves, 1 root (depth 2 at 16 B chunks, 4 MiB). */
    ASSERT_EQ_U64(f.s.bytes_allocated, 65537u * 16u + 130u * NODE_BYTES);
    ASSERT_ACCOUNTED(&f);
    FX_DONE(&f);
    FX_INIT(&f, 4u << 20, 16);
    ASSERT_EQ(xfer_store_write(&f.s, 65535, in, LEN), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 65535, out, LEN, &done), XFER_OK);
    ASSERT_MEM_EQ(out, in, LEN);
    ASSERT_EQ_U64(f.s.bytes_allocated, 17u * 65536u + NODE_BYTES);
    free(in);
    free(out);
    FX_DONE(&f);
}

TEST(test_store_multilevel_depth)
{
    struct fx f;
    uint8_t in[100], out[4096];
    size_t done = 0;
    const uint64_t far = (1ull << 40) - 3;

    FX_INIT(&f, XFER_OFFSET_MAX, 4);
    ASSERT_EQ(f.s.depth, 7);
    pattern(in, sizeof(in), 6);
    /* Ends exactly at the limit: 7 nodes + 64 B over 5 chunks. */
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX - 64, in, 64), XFER_OK);
    ASSERT_EQ_U64(f.s.bytes_allocated, 7u * NODE_BYTES + 5u * 16u);
    ASSERT_EQ_U64(xfer_store_size(&f.s), XFER_OFFSET_MAX);
    ASSERT_EQ(xfer_store_write(&f.s, far, in, sizeof(in)), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 0, in, 10), XFER_OK);
    ASSERT_ACCOUNTED(&f);
    ASSERT_EQ(xfer_store_read(&f.s, far, out, sizeof(in), &done), XFER_OK);
    ASSERT_EQ(done, sizeof(in));
    ASSERT_MEM_EQ(out, in, sizeof(in));
    ASSERT_EQ(xfer_store_read(&f.s, XFER_OFFSET_MAX - 64, out, 64, &done),
              XFER_OK);
    ASSERT_EQ(done, 64);
    ASSERT_MEM_EQ(out, in, 64);
    ASSERT_EQ(xfer_store_read(&f.s, 1ull << 50, out, sizeof(out), &done),
              XFER_OK);
    ASSERT_EQ(done, sizeof(out));
    ASSERT_TRUE(all_zero(out, sizeof(out)));
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, 16, &done), XFER_OK);
    ASSERT_MEM_EQ(out, in, 10);
    ASSERT_TRUE(all_zero(out + 10, 6));
    FX_DONE(&f);
}
