/* SPDX-License-Identifier: MIT */
/* xfer_store: limit, offset range, zero length, set_size, zero, remove,
 * generation. */
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

#define ASSERT_ACCOUNTED(f) \
    ASSERT_EQ_U64((f)->s.bytes_allocated, (f)->fa.live_bytes)

#define FX_DONE(f)                                                        \
    do {                                                                  \
        ASSERT_ACCOUNTED(f);                                              \
        xfer_store_destroy(&(f)->s);                                      \
        ASSERT_EQ_U64((f)->s.bytes_allocated, 0);                         \
        ASSERT_TRUE(fail_alloc_check_clean(&(f)->fa));                    \
    } while (0)

/* The observable state of a store, to check that a call changed nothing. */
struct snap {
    struct xfer_store_info info;
    uint8_t bytes[4096];
    size_t done;
};

static void take_snap(const struct xfer_store *s, struct snap *sn)
{
    xfer_store_get_info(s, &sn->info);
    memset(sn->bytes, 0xEE, sizeof(sn->bytes));
    sn->done = 0;
    (void)xfer_store_read(s, 0, sn->bytes, sizeof(sn->bytes), &sn->done);
}

#define ASSERT_UNCHANGED(s, before)                                        \
    do {                                                                   \
        struct snap after_;                                                \
        take_snap((s), &after_);                                           \
        ASSERT_EQ_U64(after_.info.size, (before)->info.size);              \
        ASSERT_EQ_U64(after_.info.generation, (before)->info.generation);  \
        ASSERT_EQ_U64(after_.info.bytes_allocated,                         \
                      (before)->info.bytes_allocated);                     \
        ASSERT_EQ(after_.done, (before)->done);                            \
        ASSERT_MEM_EQ(after_.bytes, (before)->bytes, sizeof(after_.bytes)); \
    } while (0)

static int all_zero(const uint8_t *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (buf[i] != 0)
            return 0;
    }
    return 1;
}

TEST(test_store_limit_exact_and_one_over)
{
    struct fx f;
    struct snap before;
    uint8_t buf[64];

    memset(buf, 'x', sizeof(buf));
    FX_INIT(&f, 1000, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 936, buf, 64), XFER_OK);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 1000);
    take_snap(&f.s, &before);
    ASSERT_EQ(xfer_store_write(&f.s, 937, buf, 64), XFER_ERR_FULL);
    ASSERT_UNCHANGED(&f.s, &before);
    ASSERT_EQ(xfer_store_write(&f.s, 1000, buf, 1), XFER_ERR_FULL);
    ASSERT_EQ(xfer_store_write(&f.s, 5000, buf, 1), XFER_ERR_FULL);
    ASSERT_UNCHANGED(&f.s, &before);
    ASSERT_EQ(xfer_store_write(&f.s, 999, "y", 1), XFER_OK);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 1000);
    FX_DONE(&f);

    FX_INIT(&f, 0, 4);   /* limit 0: nothing fits */
    ASSERT_EQ(xfer_store_write(&f.s, 0, buf, 1), XFER_ERR_FULL);
    ASSERT_EQ(xfer_store_set_size(&f.s, 0), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, 1), XFER_ERR_FULL);
    FX_DONE(&f);
}

TEST(test_store_offset_range_overflow)
{
    struct fx f;
    uint8_t buf[8] = "abcdefg";
    size_t done = 77;

    FX_INIT(&f, XFER_OFFSET_MAX, 4);
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX, buf, 1),
              XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX - 4, buf, 4), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX - 4, buf, 5),
              XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX + 1u, buf, 0),
              XFER_ERR_INVALID);
    /* offset + length wraps uint64: must not look small. */
    ASSERT_EQ(xfer_store_write(&f.s, UINT64_MAX - 1u, buf, 4),
              XFER_ERR_INVALID);
#if SIZE_MAX > 0xFFFFFFFFu
    ASSERT_EQ(xfer_store_write(&f.s, 1, buf, SIZE_MAX), XFER_ERR_INVALID);
#endif
    ASSERT_EQ(xfer_store_read(&f.s, UINT64_MAX - 1u, buf, 4, &done),
              XFER_ERR_INVALID);
    ASSERT_EQ(done, 0);
    done = 77;
    ASSERT_EQ(xfer_store_read(&f.s, XFER_OFFSET_MAX, buf, 1, &done),
              XFER_ERR_INVALID);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_store_read(&f.s, XFER_OFFSET_MAX - 6, buf, 6, &done),
              XFER_OK);
    ASSERT_EQ(done, 6);
    ASSERT_MEM_EQ(buf, "\0\0abcd", 6);
    ASSERT_EQ(xfer_store_read(&f.s, XFER_OFFSET_MAX - 1, buf, 1, &done),
              XFER_OK);
    ASSERT_EQ(done, 1);
    ASSERT_EQ(buf[0], 'd');
    ASSERT_EQ(xfer_store_set_size(&f.s, XFER_OFFSET_MAX + 1u),
              XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_set_size(&f.s, UINT64_MAX), XFER_ERR_INVALID);
    ASSERT_EQ_U64(xfer_store_size(&f.s), XFER_OFFSET_MAX);
    FX_DONE(&f);
}

/* An offset that truncates to 5 in 32 bits must land at 4 GiB + 5. */
TEST(test_store_offset_above_4gib)
{
    struct fx f;
    const uint64_t off = 0x100000000ull + 5u;
    uint8_t out[16];
    size_t done = 0;

    FX_INIT(&f, 8ull << 30, 12);
    ASSERT_EQ(xfer_store_write(&f.s, off, "hello", 5), XFER_OK);
    ASSERT_EQ_U64(xfer_store_size(&f.s), off + 5u);
    ASSERT_EQ(xfer_store_read(&f.s, off, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 5);
    ASSERT_MEM_EQ(out, "hello", 5);
    ASSERT_EQ(xfer_store_read(&f.s, 5, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, sizeof(out));
    ASSERT_TRUE(all_zero(out, sizeof(out)));
    /* Depth 3 at 4 KiB chunks (1 GiB per level-2 node): one node per
     * level and one chunk. */
    ASSERT_EQ(f.s.depth, 3);
    ASSERT_EQ_U64(f.s.bytes_allocated, 3u * NODE_BYTES + 4096u);
    FX_DONE(&f);
}

TEST(test_store_zero_length_changes_nothing)
{
    struct fx f;
    struct snap before;
    size_t done = 5;

    FX_INIT(&f, 1000, 4);
    fail_alloc_fail_from(&f.fa, 1);
    take_snap(&f.s, &before);
    ASSERT_EQ(xfer_store_write(&f.s, 0, NULL, 0), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 500, NULL, 0), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 1000, NULL, 0), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 5000, NULL, 0), XFER_OK); /* > limit */
    ASSERT_EQ(xfer_store_write(&f.s, XFER_OFFSET_MAX, NULL, 0), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 0, NULL, 0, &done), XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_store_read(&f.s, XFER_OFFSET_MAX, NULL, 0, &done), XFER_OK);
    ASSERT_EQ_U64(f.fa.calls, 0);
    ASSERT_UNCHANGED(&f.s, &before);
    fail_alloc_fail_none(&f.fa);
    ASSERT_EQ(xfer_store_write(&f.s, 10, "ab", 2), XFER_OK);
    take_snap(&f.s, &before);
    ASSERT_EQ(xfer_store_write(&f.s, 100, NULL, 0), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 1, NULL, 0, &done), XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_UNCHANGED(&f.s, &before);
    FX_DONE(&f);
}

TEST(test_store_set_size_truncate_then_extend_reads_zeros)
{
    struct fx f;
    uint8_t in[300], out[300];
    size_t done = 0;
    uint64_t cut, nodes;

    for (cut = 0; cut <= 300; cut += 1u + cut / 8u) {
        size_t i;

        for (i = 0; i < sizeof(in); i++)
            in[i] = (uint8_t)(i | 1u);
        FX_INIT(&f, 100000, 4);
        ASSERT_EQ(xfer_store_write(&f.s, 0, in, sizeof(in)), XFER_OK);
        ASSERT_EQ(xfer_store_set_size(&f.s, cut), XFER_OK);
        ASSERT_EQ_U64(xfer_store_size(&f.s), cut);
        /* Only the chunks below the cut stay, and root + leaf if any does. */
        nodes = cut != 0 ? 2u * NODE_BYTES : 0;
        ASSERT_EQ_U64(f.s.bytes_allocated, (cut + 15u) / 16u * 16u + nodes);
        ASSERT_ACCOUNTED(&f);
        ASSERT_EQ(xfer_store_set_size(&f.s, 300), XFER_OK);
        ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
        ASSERT_EQ(done, 300);
        ASSERT_MEM_EQ(out, in, (size_t)cut);
        ASSERT_TRUE(all_zero(out + cut, 300 - (size_t)cut));
        /* A write past the end also sees zeros in the gap. */
        ASSERT_EQ(xfer_store_set_size(&f.s, cut), XFER_OK);
        ASSERT_EQ(xfer_store_write(&f.s, 299, "z", 1), XFER_OK);
        ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
        ASSERT_MEM_EQ(out, in, (size_t)cut);
        if (cut < 299)
            ASSERT_TRUE(all_zero(out + cut, 299 - (size_t)cut));
        ASSERT_EQ(out[299], 'z');
        FX_DONE(&f);
    }
}

TEST(test_store_set_size_frees_nodes)
{
    struct fx f;
    uint8_t out[2];
    size_t done = 0;

    FX_INIT(&f, XFER_OFFSET_MAX, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "a", 1), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 1ull << 40, "b", 1), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 9600, "c", 1), XFER_OK); /* leaf 1 */
    ASSERT_EQ_U64(f.s.bytes_allocated, 12u * NODE_BYTES + 3u * 16u);
    /* Leaf 1 starts below the cut but holds nothing below it: freed. */
    ASSERT_EQ(xfer_store_set_size(&f.s, 9000), XFER_OK);
    ASSERT_EQ_U64(f.s.bytes_allocated, 7u * NODE_BYTES + 16u);
    ASSERT_ACCOUNTED(&f);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, 2, &done), XFER_OK);
    ASSERT_MEM_EQ(out, "a", 2);
    ASSERT_EQ(xfer_store_set_size(&f.s, 0), XFER_OK);
    ASSERT_EQ_U64(f.s.bytes_allocated, 0);
    ASSERT_TRUE(f.s.root == NULL);
    FX_DONE(&f);
}

/* A cut inside the last chunk the tree can span must keep everything
 * below it (the first chunk to free lies just past the root's span). */
TEST(test_store_set_size_cut_in_last_chunk_of_span)
{
    enum { LIMIT = 8192 };   /* exactly one leaf of 512 16-byte chunks */
    struct fx f;
    uint8_t in[LIMIT], out[LIMIT];
    size_t done = 0, i;

    for (i = 0; i < LIMIT; i++)
        in[i] = (uint8_t)(i % 251u + 1u);
    FX_INIT(&f, LIMIT, 4);
    ASSERT_EQ(f.s.depth, 1);
    ASSERT_EQ(xfer_store_write(&f.s, 0, in, LIMIT), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, LIMIT - 1), XFER_OK);
    ASSERT_EQ_U64(f.s.bytes_allocated, NODE_BYTES + LIMIT);
    ASSERT_EQ(xfer_store_set_size(&f.s, LIMIT), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, LIMIT, &done), XFER_OK);
    ASSERT_EQ(done, LIMIT);
    ASSERT_MEM_EQ(out, in, LIMIT - 1);
    ASSERT_EQ(out[LIMIT - 1], 0);
    FX_DONE(&f);

    FX_INIT(&f, (uint64_t)LIMIT * 512u, 4);   /* depth 2, full span */
    ASSERT_EQ(f.s.depth, 2);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "x", 1), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, LIMIT * 512u - 16u, in, 16), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, LIMIT * 512u - 1u), XFER_OK);
    ASSERT_EQ_U64(f.s.bytes_allocated, 3u * NODE_BYTES + 32u);
    ASSERT_EQ(xfer_store_read(&f.s, LIMIT * 512u - 16u, out, 16, &done),
              XFER_OK);
    ASSERT_EQ(done, 15);
    ASSERT_MEM_EQ(out, in, 15);
    FX_DONE(&f);
}

TEST(test_store_set_size_past_limit_is_full)
{
    struct fx f;
    struct snap before;

    FX_INIT(&f, 4096, 6);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "abc", 3), XFER_OK);
    take_snap(&f.s, &before);
    ASSERT_EQ(xfer_store_set_size(&f.s, 4097), XFER_ERR_FULL);
    ASSERT_UNCHANGED(&f.s, &before);
    ASSERT_EQ(xfer_store_set_size(&f.s, 4096), XFER_OK);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 4096);
    FX_DONE(&f);
}

TEST(test_store_set_size_never_allocates)
{
    struct fx f;
    uint64_t calls;

    FX_INIT(&f, 1u << 20, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "0123456789abcdefXYZ", 19), XFER_OK);
    fail_alloc_fail_from(&f.fa, 1);
    calls = f.fa.calls;
    ASSERT_EQ(xfer_store_set_size(&f.s, 1u << 20), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, 5), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, 100000), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, 0), XFER_OK);
    ASSERT_EQ(xfer_store_set_size(&f.s, 77), XFER_OK);
    ASSERT_EQ_U64(f.fa.calls, calls);
    FX_DONE(&f);
}

TEST(test_store_zero_keeps_size_frees_memory)
{
    struct fx f;
    uint8_t out[5000];
    size_t done = 0;

    FX_INIT(&f, 1u << 20, 8);
    memset(out, 'q', sizeof(out));
    ASSERT_EQ(xfer_store_write(&f.s, 0, out, sizeof(out)), XFER_OK);
    xfer_store_zero(&f.s);
    ASSERT_EQ_U64(xfer_store_size(&f.s), sizeof(out));
    ASSERT_EQ_U64(f.s.bytes_allocated, 0);
    ASSERT_EQ_U64(f.fa.live_blocks, 0);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, sizeof(out));
    ASSERT_TRUE(all_zero(out, sizeof(out)));
    xfer_store_zero(&f.s);   /* on an empty tree too */
    ASSERT_EQ_U64(xfer_store_size(&f.s), sizeof(out));
    FX_DONE(&f);
}

TEST(test_store_remove_frees_and_empties)
{
    struct fx f;
    uint8_t out[8];
    size_t done = 9;

    FX_INIT(&f, 1u << 20, 8);
    ASSERT_EQ(xfer_store_write(&f.s, 70000, "data", 4), XFER_OK);
    xfer_store_remove(&f.s);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 0);
    ASSERT_EQ_U64(f.s.bytes_allocated, 0);
    ASSERT_EQ_U64(f.fa.live_blocks, 0);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_store_write(&f.s, 2, "ok", 2), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(done, 4);
    ASSERT_MEM_EQ(out, "\0\0ok", 4);
    FX_DONE(&f);
}

TEST(test_store_generation_counts_changes)
{
    struct fx f;
    uint8_t out[8];
    size_t done = 0;

    FX_INIT(&f, 100, 4);
    ASSERT_EQ_U64(f.s.generation, 0);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "a", 1), XFER_OK);
    ASSERT_EQ_U64(f.s.generation, 1);
    ASSERT_EQ(xfer_store_write(&f.s, 0, "a", 1), XFER_OK);   /* same bytes */
    ASSERT_EQ_U64(f.s.generation, 2);
    ASSERT_EQ(xfer_store_write(&f.s, 5, "a", 0), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 0, out, sizeof(out), &done), XFER_OK);
    ASSERT_EQ(xfer_store_write(&f.s, 100, "a", 1), XFER_ERR_FULL);
    ASSERT_EQ(xfer_store_write(&f.s, UINT64_MAX, "a", 1), XFER_ERR_INVALID);
    ASSERT_EQ(xfer_store_set_size(&f.s, 101), XFER_ERR_FULL);
    ASSERT_EQ(xfer_store_set_size(&f.s, UINT64_MAX), XFER_ERR_INVALID);
    ASSERT_EQ_U64(f.s.generation, 2);
    fail_alloc_fail_from(&f.fa, 1);
    ASSERT_EQ(xfer_store_write(&f.s, 50, "a", 1), XFER_ERR_NO_MEMORY);
    ASSERT_EQ_U64(f.s.generation, 2);
    fail_alloc_fail_none(&f.fa);
    ASSERT_EQ(xfer_store_set_size(&f.s, 1), XFER_OK);   /* same size */
    ASSERT_EQ_U64(f.s.generation, 3);
    ASSERT_EQ(xfer_store_set_size(&f.s, 50), XFER_OK);
    ASSERT_EQ_U64(f.s.generation, 4);
    xfer_store_zero(&f.s);
    ASSERT_EQ_U64(f.s.generation, 5);
    xfer_store_remove(&f.s);
    ASSERT_EQ_U64(f.s.generation, 6);
    xfer_store_remove(&f.s);
    ASSERT_EQ_U64(f.s.generation, 7);
    FX_DONE(&f);
}

TEST(test_store_destroy_then_reuse)
{
    struct fx f;
    uint8_t out[4];
    size_t done = 0;

    FX_INIT(&f, 1u << 20, 4);
    ASSERT_EQ(xfer_store_write(&f.s, 300, "abcd", 4), XFER_OK);
    xfer_store_destroy(&f.s);
    ASSERT_EQ_U64(f.fa.live_blocks, 0);
    ASSERT_EQ_U64(xfer_store_size(&f.s), 0);
    ASSERT_EQ(xfer_store_write(&f.s, 1, "wxyz", 4), XFER_OK);
    ASSERT_EQ(xfer_store_read(&f.s, 1, out, 4, &done), XFER_OK);
    ASSERT_MEM_EQ(out, "wxyz", 4);
    xfer_store_destroy(&f.s);
    xfer_store_destroy(&f.s);   /* twice is harmless */
    FX_DONE(&f);
}

TEST(test_store_status_names)
{
    ASSERT_TRUE(strcmp(xfer_status_name(XFER_OK), "success") == 0);
    ASSERT_TRUE(strcmp(xfer_status_name(XFER_ERR_NO_MEMORY),
                       "out of memory") == 0);
    ASSERT_TRUE(xfer_status_name(XFER_ERR_INVALID)[0] != '\0');
    ASSERT_TRUE(xfer_status_name(XFER_ERR_FULL)[0] != '\0');
    ASSERT_TRUE(xfer_status_name((xfer_status)42)[0] != '\0');
}

/* xfer_store_check_read/write answer exactly what xfer_store_read/write
 * would, and allocate nothing: the driver relies on them to refuse a
 * request before it allocates a bounce buffer or captures caller data. */
TEST(test_store_check_agrees_with_read_and_write)
{
    static const uint64_t offsets[] = {
        0, 1, 999, 1000, 1001, 0x100000005ull, XFER_OFFSET_MAX - 1, XFER_OFFSET_MAX,
        XFER_OFFSET_MAX + 1, UINT64_MAX - 1, UINT64_MAX,
    };
    static const size_t lengths[] = { 0, 1, 2, 64, 1000, 1001 };
    static uint8_t buf[1001];
    struct fx f;
    size_t o, l;

    FX_INIT(&f, 1000, 4);
    ASSERT_EQ_U64(xfer_store_limit(&f.s), 1000);
    for (o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
        for (l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
            uint64_t calls = f.fa.calls;
            xfer_status checked = xfer_store_check_write(&f.s, offsets[o], lengths[l]);

            size_t done;

            ASSERT_EQ_U64(f.fa.calls, calls);
            ASSERT_EQ(xfer_store_write(&f.s, offsets[o], buf, lengths[l]), checked);
            checked = xfer_store_check_read(&f.s, offsets[o], lengths[l]);
            ASSERT_EQ(xfer_store_read(&f.s, offsets[o], buf, lengths[l], &done), checked);
            xfer_store_remove(&f.s);
        }
    }
    FX_DONE(&f);
}
