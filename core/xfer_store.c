/* SPDX-License-Identifier: MIT */
/*
 * xfer_store public API: argument checks, copying in and out chunk by
 * chunk, size changes. The tree itself is in xfer_store_tree.c.
 */
#include "xfer_store_internal.h"

/* 1 when [offset, offset + length) ends at or before XFER_OFFSET_MAX,
 * written so that nothing wraps. */
static int range_ok(uint64_t offset, size_t length)
{
    return offset <= XFER_OFFSET_MAX &&
           (uint64_t)length <= XFER_OFFSET_MAX - offset;
}

/* Index node levels needed so that the tree spans `limit` bytes: the
 * smallest depth >= 1 with XFER_NODE_SLOTS^depth chunks >= limit bytes.
 * Once the span needs 64 bits or more it covers any limit. */
static uint32_t depth_for(uint64_t limit, uint32_t chunk_shift)
{
    uint32_t depth = 1;

    while (chunk_shift + XFER_NODE_SHIFT * depth < 64u &&
           ((uint64_t)1 << (chunk_shift + XFER_NODE_SHIFT * depth)) < limit)
        depth++;
    return depth;
}

xfer_status xfer_store_init(struct xfer_store *store,
                            const struct xfer_allocator *alloc,
                            uint64_t limit, uint32_t chunk_shift)
{
    if (store == NULL)
        return XFER_ERR_INVALID;
    /* Leave a store that destroy() accepts even when the arguments fail. */
    __builtin_memset(store, 0, sizeof(*store));
    if (alloc == NULL || alloc->alloc == NULL || alloc->free == NULL ||
        chunk_shift < XFER_CHUNK_SHIFT_MIN ||
        chunk_shift > XFER_CHUNK_SHIFT_MAX || limit > XFER_OFFSET_MAX)
        return XFER_ERR_INVALID;
    store->alloc = *alloc;
    store->limit = limit;
    store->chunk_shift = chunk_shift;
    store->depth = depth_for(limit, chunk_shift);
    return XFER_OK;
}

void xfer_store_destroy(struct xfer_store *store)
{
    xfer__free_all(store);
    store->size = 0;
}

/* Copies `length` bytes from `offset` (all below size) into dst. Looks up
 * one leaf per XFER_NODE_SLOTS chunks; holes become memset. */
static void copy_out(const struct xfer_store *store, uint64_t offset,
                     uint8_t *dst, size_t length)
{
    size_t chunk_bytes = xfer__chunk_bytes(store);
    uint64_t mask = (uint64_t)chunk_bytes - 1u;
    void **leaf = NULL;
    int have_leaf = 0;

    while (length > 0) {
        uint64_t chunk = offset >> store->chunk_shift;
        size_t in = (size_t)(offset & mask);
        size_t n = chunk_bytes - in < length ? chunk_bytes - in : length;
        const uint8_t *src;

        if (!have_leaf || (chunk & XFER__SLOT_MASK) == 0) {
            leaf = xfer__leaf(store, chunk);
            have_leaf = 1;
        }
        src = leaf != NULL ? leaf[chunk & XFER__SLOT_MASK] : NULL;
        if (src != NULL)
            __builtin_memcpy(dst, src + in, n);
        else
            __builtin_memset(dst, 0, n);
        offset += n;
        dst += n;
        length -= n;
    }
}

xfer_status xfer_store_read(const struct xfer_store *store, uint64_t offset,
                            void *dst, size_t length, size_t *done)
{
    uint64_t avail;

    *done = 0;
    if (xfer_store_check_read(store, offset, length) != XFER_OK)
        return XFER_ERR_INVALID;
    if (length == 0 || offset >= store->size)
        return XFER_OK;
    avail = store->size - offset;
    if ((uint64_t)length > avail)
        length = (size_t)avail;   /* avail < length: fits in size_t */
    copy_out(store, offset, dst, length);
    *done = length;
    return XFER_OK;
}

/* Second phase of a write: installs the reserved blocks and copies. Cannot
 * fail: xfer__reserve() took every block this range needs. */
static void copy_in(struct xfer_store *store, uint64_t offset,
                    const uint8_t *src, size_t length,
                    struct xfer__reserve *res)
{
    size_t chunk_bytes = xfer__chunk_bytes(store);
    uint64_t mask = (uint64_t)chunk_bytes - 1u;
    void **leaf = NULL;

    while (length > 0) {
        uint64_t chunk = offset >> store->chunk_shift;
        size_t in = (size_t)(offset & mask);
        size_t n = chunk_bytes - in < length ? chunk_bytes - in : length;
        uint8_t *dst;

        if (leaf == NULL || (chunk & XFER__SLOT_MASK) == 0)
            leaf = xfer__leaf_make(store, chunk, res);
        dst = xfer__chunk_make(store, &leaf[chunk & XFER__SLOT_MASK], res,
                               in, in + n);
        __builtin_memcpy(dst + in, src, n);
        offset += n;
        src += n;
        length -= n;
    }
}

xfer_status xfer_store_write(struct xfer_store *store, uint64_t offset,
                             const void *src, size_t length)
{
    struct xfer__reserve res;
    uint64_t end;
    xfer_status status;

    status = xfer_store_check_write(store, offset, length);
    if (status != XFER_OK || length == 0)
        return status;
    end = offset + length;
    status = xfer__reserve(store, offset >> store->chunk_shift,
                           (end - 1u) >> store->chunk_shift, &res);
    if (status != XFER_OK)
        return status;
    copy_in(store, offset, src, length, &res);
    if (end > store->size)
        store->size = end;
    store->generation++;
    return XFER_OK;
}

/* Shrinks to `size` < store->size: zeroes the tail of the chunk holding
 * the new end (keeping the zeros-past-size invariant) and frees every
 * chunk wholly past it. */
static void truncate_to(struct xfer_store *store, uint64_t size)
{
    size_t chunk_bytes = xfer__chunk_bytes(store);
    uint64_t mask = (uint64_t)chunk_bytes - 1u;
    uint64_t chunk = size >> store->chunk_shift;
    size_t in = (size_t)(size & mask);

    if (in != 0) {
        void **leaf = xfer__leaf(store, chunk);
        uint8_t *data = leaf != NULL ? leaf[chunk & XFER__SLOT_MASK] : NULL;
        /* Bytes past the old size are zero already. */
        uint64_t old_in = store->size - (chunk << store->chunk_shift);
        size_t to = old_in < chunk_bytes ? (size_t)old_in : chunk_bytes;

        if (data != NULL)
            __builtin_memset(data + in, 0, to - in);
        chunk++;
    }
    xfer__free_from(store, chunk);
}

xfer_status xfer_store_set_size(struct xfer_store *store, uint64_t size)
{
    if (size > XFER_OFFSET_MAX)
        return XFER_ERR_INVALID;
    if (size > store->limit)
        return XFER_ERR_FULL;
    /* Growing needs nothing: bytes past the old size are zero or holes. */
    if (size < store->size)
        truncate_to(store, size);
    store->size = size;
    store->generation++;
    return XFER_OK;
}

void xfer_store_zero(struct xfer_store *store)
{
    xfer__free_all(store);
    store->generation++;
}

void xfer_store_remove(struct xfer_store *store)
{
    xfer__free_all(store);
    store->size = 0;
    store->generation++;
}

xfer_status xfer_store_check_read(const struct xfer_store *store, uint64_t offset,
                                  size_t length)
{
    (void)store;   /* every store takes the same offsets; kept for symmetry */
    return range_ok(offset, length) ? XFER_OK : XFER_ERR_INVALID;
}

xfer_status xfer_store_check_write(const struct xfer_store *store, uint64_t offset,
                                   size_t length)
{
    if (!range_ok(offset, length))
        return XFER_ERR_INVALID;
    /* A zero-length write stores nothing, so no limit can refuse it. */
    if (length != 0 && offset + length > store->limit)
        return XFER_ERR_FULL;
    return XFER_OK;
}

uint64_t xfer_store_limit(const struct xfer_store *store)
{
    return store->limit;
}

uint64_t xfer_store_size(const struct xfer_store *store)
{
    return store->size;
}

void xfer_store_get_info(const struct xfer_store *store,
                         struct xfer_store_info *info)
{
    info->size = store->size;
    info->limit = store->limit;
    info->bytes_allocated = store->bytes_allocated;
    info->generation = store->generation;
    info->chunk_size = (uint32_t)1 << store->chunk_shift;
    info->depth = store->depth;
}

const char *xfer_status_name(xfer_status status)
{
    switch (status) {
    case XFER_OK:
        return "success";
    case XFER_ERR_INVALID:
        return "invalid argument";
    case XFER_ERR_FULL:
        return "store limit reached";
    case XFER_ERR_NO_MEMORY:
        return "out of memory";
    }
    return "unknown status";
}
