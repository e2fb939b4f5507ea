/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzzer for xfer_store (libFuzzer).
 *
 * Each input is decoded into a store configuration and a sequence of
 * operations, applied to the store and to the flat-array model of
 * tests/unit/byte_model.c. Every status, done count, size, generation,
 * bytes_allocated figure and byte must agree; the first disagreement
 * aborts with a message naming the operation.
 *
 * Input format (missing bytes read as 0; at most MAX_OPS operations):
 *
 *   byte 0     configuration: bits 0-2 chunk shift (4, 4, 5, 6, 7, 8, 12,
 *              16); bits 3-4 window size (64 KiB, 64 KiB + 1000, 128 KiB,
 *              256 KiB - 24); bits 5-6 where the window lies (0, 0,
 *              across 2^32, just below XFER_OFFSET_MAX). The store's limit
 *              is the window's end.
 *   then per operation:
 *     kind     byte % 16: 0-4 write, 5-8 read, 9-10 set_size, 11 zero,
 *              12 remove, 13 write with the n-th allocation failing,
 *              14 write with every allocation from the n-th failing (n is
 *              the next byte % 8 + 1), 15 compare every byte
 *     offset   selector byte + 3 parameter bytes (see pick_offset)
 *     length   selector byte + 3 parameter bytes (writes and reads)
 *     seed     one byte: the written data (writes only)
 *
 * Allocation failure uses tests/unit/fail_alloc.c; its checks report
 * through unit_fail(), which aborts here.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byte_model.h"
#include "fail_alloc.h"
#include "unit.h"
#include "xfer_store.h"

#define MAX_OPS 512
#define BUF_CAP ((size_t)256 * 1024 + 64)   /* >= every window */
#define CANARY 0x5A

void unit_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

int unit_failed(void)
{
    return 0;
}

struct input {
    const uint8_t *data;
    size_t left;
};

static uint64_t take(struct input *in, unsigned bytes)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < bytes; i++) {
        uint64_t b = 0;

        if (in->left > 0) {
            b = *in->data++;
            in->left--;
        }
        v |= b << (8u * i);
    }
    return v;
}

struct fuzz {
    struct xfer_store store;
    struct fail_alloc fa;
    struct byte_model model;
    uint8_t *buf;    /* what the store returns or is given */
    uint8_t *want;   /* what the model returns */
    int op;          /* index of the current operation, for messages */
    uint64_t counted_generation;   /* bytes_allocated last compared at */
};

/* FUZZ_STORE_TRACE=1 in the environment prints each operation: replaying a
 * crash input with it shows the sequence that led there. */
static int tracing = -1;

static void trace(const struct fuzz *f, const char *what, uint64_t a, uint64_t b,
                  xfer_status status)
{
    if (tracing < 0)
        tracing = getenv("FUZZ_STORE_TRACE") != NULL;
    if (tracing)
        fprintf(stderr, "op %d: %s 0x%llx 0x%llx -> %s (size 0x%llx)\n", f->op,
                what, (unsigned long long)a, (unsigned long long)b,
                xfer_status_name(status), (unsigned long long)f->model.size);
}

#define CHECK(f, cond)                                                     \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_store: op %d: mismatch: %s (line %d)\n", \
                    (f)->op, #cond, __LINE__);                             \
            abort();                                                       \
        }                                                                  \
    } while (0)

static uint64_t chunk_bytes(const struct fuzz *f)
{
    return (uint64_t)1 << f->model.chunk_shift;
}

/* Offsets gather where the store has edges: chunk and leaf boundaries, the
 * window's ends, the current size, 2^32, XFER_OFFSET_MAX and 2^64. */
static uint64_t pick_offset(struct fuzz *f, struct input *in)
{
    const struct byte_model *m = &f->model;
    uint64_t sel = take(in, 1), p = take(in, 3);
    uint64_t window = m->limit - m->base, cb = chunk_bytes(f);
    uint64_t delta = (sel >> 4) % 5u;   /* -2..+2 once 2 is taken off */

    switch ((sel & 15u) % 10u) {
    case 0: return m->base + (p % (window / cb + 1u)) * cb + delta - 2u;
    case 1: return m->base + p % (window + 1u);
    case 2: return m->limit - 4u + (sel >> 4);
    case 3: return ((uint64_t)1 << 32) - 4u + (sel >> 4);
    case 4: return XFER_OFFSET_MAX - 4u + (sel >> 4);
    case 5: return UINT64_MAX - (sel >> 4);
    case 6: return m->base + (p % (window / (cb << XFER_NODE_SHIFT) + 1u)) *
                   (cb << XFER_NODE_SHIFT) + delta - 2u;
    case 7: return m->base - 1u - (sel >> 4);   /* wraps when base is 0 */
    case 8: return sel >> 4;
    default: return m->size + delta - 2u;
    }
}

/* Lengths: zero, one, around a chunk or several, anything in the window,
 * exactly up to (or one past) the limit, XFER_OFFSET_MAX or the size, and
 * huge ones that wrap. */
static size_t pick_length(struct fuzz *f, struct input *in, uint64_t offset)
{
    const struct byte_model *m = &f->model;
    uint64_t sel = take(in, 1), p = take(in, 3);
    uint64_t cb = chunk_bytes(f), delta = (sel >> 4) % 3u;   /* -1..+1 */

    switch ((sel & 15u) % 10u) {
    case 0: return 0;
    case 1: return (size_t)(1u + (sel >> 4) % 8u);
    case 2: return (size_t)(cb + (sel >> 4) % 5u - 2u);
    case 3: return (size_t)((1u + p % 8u) * cb + (sel >> 4) % 5u - 2u);
    case 4: return (size_t)(p % (3u * cb + 1u));
    case 5: return (size_t)(p % (m->limit - m->base + 1u));
    case 6: return (size_t)(m->limit - offset + delta - 1u);
    case 7: return (size_t)(XFER_OFFSET_MAX - offset + delta - 1u);
    case 8: return (sel >> 4) & 1u ? SIZE_MAX - (p & 0xFFu)
                                   : (size_t)((uint64_t)1 << 63) + (p & 0xFFu);
    default: return (size_t)(m->size - offset + delta - 1u);
    }
}

static void check_counters(struct fuzz *f)
{
    struct xfer_store_info info;

    xfer_store_get_info(&f->store, &info);
    CHECK(f, info.size == f->model.size);
    CHECK(f, xfer_store_size(&f->store) == f->model.size);
    CHECK(f, info.generation == f->model.generation);
    CHECK(f, info.bytes_allocated == f->fa.live_bytes);
    /* The model counts chunk by chunk: only after a change. */
    if (f->model.generation != f->counted_generation) {
        CHECK(f, info.bytes_allocated == byte_model_bytes_allocated(&f->model));
        f->counted_generation = f->model.generation;
    }
}

/* Reads the whole window back from both and compares. */
static void check_bytes(struct fuzz *f)
{
    const struct byte_model *m = &f->model;
    size_t length = (size_t)(m->limit - m->base), done = 1, want_done = 2;

    CHECK(f, xfer_store_read(&f->store, m->base, f->buf, length, &done) ==
                 byte_model_read(m, m->base, f->want, length, &want_done));
    CHECK(f, done == want_done);
    CHECK(f, memcmp(f->buf, f->want, done) == 0);
}

static void do_read(struct fuzz *f, struct input *in)
{
    uint64_t offset = pick_offset(f, in);
    size_t length = pick_length(f, in, offset), done = 1, want_done = 2, i;
    xfer_status want = byte_model_check_read(&f->model, offset, length);

    CHECK(f, xfer_store_check_read(&f->store, offset, length) == want);
    /* A valid read may ask for more than the buffers hold (from below a
     * high window, say): ask for what fits, the answer is no less exact. */
    if (want == XFER_OK && length > BUF_CAP)
        length = BUF_CAP;
    memset(f->buf, CANARY, length < BUF_CAP - 64u ? length + 64u : BUF_CAP);
    want = byte_model_read(&f->model, offset, f->want, length, &want_done);
    trace(f, "read", offset, length, want);
    CHECK(f, xfer_store_read(&f->store, offset, f->buf, length, &done) == want);
    CHECK(f, done == want_done);
    CHECK(f, memcmp(f->buf, f->want, done) == 0);
    /* Nothing past what was read is touched. */
    for (i = done; i < BUF_CAP && i < done + 64u; i++)
        CHECK(f, f->buf[i] == CANARY);
}

static void do_write(struct fuzz *f, struct input *in, int kind)
{
    uint64_t offset = pick_offset(f, in), fail_n = 0, failures = f->fa.failures;
    size_t length, i;
    xfer_status want, got;
    uint8_t seed;

    /* The model has no room below a high window: move such writes up. */
    length = pick_length(f, in, offset);
    if (offset < f->model.base &&
        byte_model_check_write(&f->model, offset, length) == XFER_OK)
        offset = f->model.base + (offset & 0xFFFu);
    seed = (uint8_t)take(in, 1);
    if (kind != 0)
        fail_n = take(in, 1) % 8u + 1u;
    want = byte_model_check_write(&f->model, offset, length);
    CHECK(f, xfer_store_check_write(&f->store, offset, length) == want);
    /* Only a valid write has data to store; it lies in the window. */
    if (want == XFER_OK && length > BUF_CAP)
        abort();
    for (i = 0; want == XFER_OK && i < length; i++)
        f->buf[i] = (uint8_t)(seed + i * 131u + (i >> 8));
    if (kind == 1)
        fail_alloc_fail_nth(&f->fa, fail_n);
    else if (kind == 2)
        fail_alloc_fail_from(&f->fa, fail_n);
    got = xfer_store_write(&f->store, offset, f->buf, length);
    fail_alloc_fail_none(&f->fa);
    if (got == XFER_ERR_NO_MEMORY) {
        /* Only when an allocation failed; then nothing changed at all. */
        trace(f, "write, failed", offset, length, got);
        CHECK(f, kind != 0 && f->fa.failures > failures);
        f->counted_generation = UINT64_MAX;   /* compare memory use too */
        check_counters(f);
        check_bytes(f);
        return;
    }
    want = byte_model_write(&f->model, offset, f->buf, length);
    trace(f, kind == 0 ? "write" : kind == 1 ? "write, failing one allocation"
                                             : "write, failing allocations",
          offset, length, got);
    CHECK(f, got == want);
}

static void do_set_size(struct fuzz *f, struct input *in)
{
    uint64_t size = pick_offset(f, in);
    xfer_status want = byte_model_set_size(&f->model, size);

    CHECK(f, xfer_store_set_size(&f->store, size) == want);
    trace(f, "set_size", size, 0, want);
}

static uint8_t buf_store[BUF_CAP], buf_model[BUF_CAP];
static const uint32_t shifts[8] = { 4, 4, 5, 6, 7, 8, 12, 16 };
static const uint64_t windows[4] = { 65536, 65536 + 1000, 131072, 262144 - 24 };

static void setup(struct fuzz *f, uint8_t config)
{
    uint32_t shift = shifts[config & 7u];
    uint64_t window = windows[(config >> 3) & 3u], base = 0;

    if (((config >> 5) & 3u) == 2u)
        base = ((uint64_t)1 << 32) - window / 2u;
    else if (((config >> 5) & 3u) == 3u)
        base = XFER_OFFSET_MAX - window;
    memset(f, 0, sizeof(*f));
    fail_alloc_init(&f->fa);
    /* Every use writes the buffers first; keeping them saves page faults. */
    f->buf = buf_store;
    f->want = buf_model;
    if (!byte_model_init(&f->model, base, base + window, shift))
        abort();
    CHECK(f, xfer_store_init(&f->store, &f->fa.allocator, base + window, shift) ==
                 XFER_OK);
    CHECK(f, f->store.depth == f->model.depth);
    trace(f, "init: limit, chunk shift", base + window, shift, XFER_OK);
}

static void teardown(struct fuzz *f)
{
    xfer_store_destroy(&f->store);
    CHECK(f, f->store.bytes_allocated == 0);
    fail_alloc_check_clean(&f->fa);   /* aborts on a leak or a bad free */
    byte_model_free(&f->model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size };
    struct fuzz f;

    if (size == 0)
        return 0;
    setup(&f, (uint8_t)take(&in, 1));
    for (f.op = 0; in.left > 0 && f.op < MAX_OPS; f.op++) {
        uint8_t kind = (uint8_t)(take(&in, 1) % 16u);

        if (kind <= 4)
            do_write(&f, &in, 0);
        else if (kind <= 8)
            do_read(&f, &in);
        else if (kind <= 10)
            do_set_size(&f, &in);
        else if (kind == 11) {
            trace(&f, "zero", 0, 0, XFER_OK);
            xfer_store_zero(&f.store);
            byte_model_zero(&f.model);
        } else if (kind == 12) {
            trace(&f, "remove", 0, 0, XFER_OK);
            xfer_store_remove(&f.store);
            byte_model_remove(&f.model);
        } else if (kind <= 14)
            do_write(&f, &in, kind - 12);
        else
            check_bytes(&f);
        check_counters(&f);
    }
    check_bytes(&f);
    teardown(&f);
    return 0;
}
