/* SPDX-License-Identifier: MIT */
#include "fail_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define FA_MAGIC 0x6661696c616c6c6fULL /* "failallo" */
#define FA_DEAD 0x646561646465616dULL  /* "deaddeam" */

/* Precedes every block; 16 bytes keep the block 16-aligned like malloc. */
struct fa_header {
    uint64_t magic;
    uint64_t bytes;
};

static void *fa_alloc(void *ctx, size_t bytes)
{
    struct fail_alloc *fa = ctx;
    struct fa_header *h;

    fa->calls++;
    if (fa->fail_at != 0 && (fa->calls == fa->fail_at ||
                             (fa->fail_rest && fa->calls > fa->fail_at))) {
        fa->failures++;
        return NULL;
    }
    h = malloc(sizeof(*h) + bytes);
    if (h == NULL) {
        unit_fail(__FILE__, __LINE__, "malloc(%zu) failed", bytes);
        return NULL;
    }
    h->magic = FA_MAGIC;
    h->bytes = bytes;
    memset(h + 1, 0xA5, bytes);
    fa->live_blocks++;
    fa->live_bytes += bytes;
    return h + 1;
}

static void fa_free(void *ctx, void *block, size_t bytes)
{
    struct fail_alloc *fa = ctx;
    struct fa_header *h = (struct fa_header *)block - 1;

    if (block == NULL || h->magic != FA_MAGIC) {
        fa->bad_frees++;
        unit_fail(__FILE__, __LINE__, "free of a foreign block");
        return;
    }
    if (h->bytes != bytes) {
        fa->bad_frees++;
        unit_fail(__FILE__, __LINE__, "free size %zu != allocated size %llu",
                  bytes, (unsigned long long)h->bytes);
    }
    fa->live_blocks--;
    fa->live_bytes -= h->bytes;
    h->magic = FA_DEAD;
    free(h);
}

void fail_alloc_init(struct fail_alloc *fa)
{
    memset(fa, 0, sizeof(*fa));
    fa->allocator.alloc = fa_alloc;
    fa->allocator.free = fa_free;
    fa->allocator.ctx = fa;
}

void fail_alloc_fail_nth(struct fail_alloc *fa, uint64_t n)
{
    fa->fail_at = fa->calls + n;
    fa->fail_rest = 0;
}

void fail_alloc_fail_from(struct fail_alloc *fa, uint64_t n)
{
    fa->fail_at = fa->calls + n;
    fa->fail_rest = 1;
}

void fail_alloc_fail_none(struct fail_alloc *fa)
{
    fa->fail_at = 0;
    fa->fail_rest = 0;
}

int fail_alloc_check_clean(const struct fail_alloc *fa)
{
    if (fa->live_blocks != 0) {
        unit_fail(__FILE__, __LINE__, "leak: %llu blocks, %llu bytes live",
                  (unsigned long long)fa->live_blocks,
                  (unsigned long long)fa->live_bytes);
        return 0;
    }
    if (fa->bad_frees != 0) {
        unit_fail(__FILE__, __LINE__, "%llu bad frees",
                  (unsigned long long)fa->bad_frees);
        return 0;
    }
    return 1;
}
