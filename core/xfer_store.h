/* SPDX-License-Identifier: MIT */
/*
 * xfer_store: the byte store behind every xfer device.
 *
 * A sparse, chunked byte array. Memory is taken in fixed-size chunks only
 * where bytes were written; a radix tree of pointer nodes indexes them, so
 * growth never copies existing data and a hole (never written, zeroed or
 * truncated away) reads as zeros without allocating.
 *
 * Portable C: no OS headers, no libc. All memory comes from the allocator
 * handed to xfer_store_init(). The driver maps xfer_status to NTSTATUS in one
 * place, the library to Win32 errors in one place.
 *
 * Concurrency contract: the store has no lock of its own. The caller holds a
 * shared (reader) lock around xfer_store_read/size/get_info and an exclusive
 * (writer) lock around every other call. No function here sleeps or waits;
 * only the allocator may.
 *
 * Failure contract: a call that returns an error changed nothing: size,
 * bytes, generation and bytes_allocated are exactly as before it.
 */
#ifndef XFER_STORE_H
#define XFER_STORE_H

#include <stddef.h>
#include <stdint.h>

/* Highest end offset a request may reach: offsets are LONGLONG on Windows. */
#define XFER_OFFSET_MAX ((uint64_t)INT64_MAX)

#define XFER_CHUNK_SHIFT_MIN 4u          /* 16 B: tests walk many chunks */
#define XFER_CHUNK_SHIFT_MAX 24u         /* 16 MiB */
#define XFER_CHUNK_SHIFT_DEFAULT 16u     /* 64 KiB */
#define XFER_NODE_SHIFT 9u               /* 512 slots per index node */
#define XFER_NODE_SLOTS (1u << XFER_NODE_SHIFT)

typedef enum xfer_status {
    XFER_OK = 0,
    XFER_ERR_INVALID,   /* bad argument: offset/end beyond XFER_OFFSET_MAX, bad config */
    XFER_ERR_FULL,      /* the end of a write or a new size would pass the limit */
    XFER_ERR_NO_MEMORY  /* the allocator failed; nothing changed */
} xfer_status;

struct xfer_allocator {
    /* Returns a block of at least `bytes` bytes aligned to 8, or NULL.
     * The block's contents are undefined; the store zeroes what it needs. */
    void *(*alloc)(void *ctx, size_t bytes);
    /* Frees a block from alloc(); `bytes` is the size it was asked for. */
    void (*free)(void *ctx, void *block, size_t bytes);
    void *ctx;
};

struct xfer_store_info {
    uint64_t size;            /* bytes in the store (end of file) */
    uint64_t limit;           /* the store never grows past this */
    uint64_t bytes_allocated; /* chunks + index nodes now held */
    uint64_t generation;      /* +1 on every successful change */
    uint32_t chunk_size;      /* bytes per chunk */
    uint32_t depth;           /* levels of index nodes above the chunks */
};

/* Fields are private to core/; the struct is public only so that the driver
 * can embed it in its extension without another allocation. */
struct xfer_store {
    struct xfer_allocator alloc;
    void *root;               /* top index node, NULL while nothing is stored */
    uint64_t size;
    uint64_t limit;
    uint64_t bytes_allocated;
    uint64_t generation;
    uint32_t chunk_shift;
    uint32_t depth;
};

/* Sets up an empty store. `limit` may be 0..XFER_OFFSET_MAX; `chunk_shift`
 * XFER_CHUNK_SHIFT_MIN..MAX. Allocates nothing. XFER_ERR_INVALID on a bad
 * argument (then the store must not be used). */
xfer_status xfer_store_init(struct xfer_store *store,
                            const struct xfer_allocator *alloc,
                            uint64_t limit, uint32_t chunk_shift);

/* Frees every chunk and node. The store is then empty and may be reused. */
void xfer_store_destroy(struct xfer_store *store);

/* Copies up to `length` bytes from `offset` into `dst`; `*done` is set to the
 * count copied: less than `length` when the store ends first, 0 at or past
 * the end (end of file, not an error). Holes read as zeros.
 * XFER_ERR_INVALID when offset + length passes XFER_OFFSET_MAX (then *done
 * is 0). Reader lock. */
xfer_status xfer_store_read(const struct xfer_store *store, uint64_t offset,
                            void *dst, size_t length, size_t *done);

/* Stores all `length` bytes at `offset`, growing the store (the gap reads as
 * zeros) when the end passes the size. All or nothing: XFER_ERR_INVALID past
 * XFER_OFFSET_MAX, XFER_ERR_FULL past the limit, XFER_ERR_NO_MEMORY when a
 * chunk or node cannot be had; each leaves the store unchanged. A zero-length
 * write succeeds, allocates nothing and changes nothing. Writer lock. */
xfer_status xfer_store_write(struct xfer_store *store, uint64_t offset,
                             const void *src, size_t length);

/* Truncates (freeing what lies past the new end) or extends with zeros to
 * exactly `size`. XFER_ERR_INVALID past XFER_OFFSET_MAX, XFER_ERR_FULL past
 * the limit. Never allocates. Writer lock. */
xfer_status xfer_store_set_size(struct xfer_store *store, uint64_t size);

/* Every byte reads as zero afterwards; the size is unchanged. Frees all
 * chunks (zeros need no memory). Writer lock. */
void xfer_store_zero(struct xfer_store *store);

/* Frees everything; the size becomes 0. Writer lock. */
void xfer_store_remove(struct xfer_store *store);

/* What xfer_store_read(store, offset, ..., length, ...) would answer before
 * it looks at memory: XFER_ERR_INVALID when offset + length passes
 * XFER_OFFSET_MAX, else XFER_OK. No lock needed. */
xfer_status xfer_store_check_read(const struct xfer_store *store, uint64_t offset,
                                  size_t length);

/* What xfer_store_write(store, offset, <length bytes>) would answer before
 * it looks at memory: XFER_ERR_INVALID, XFER_ERR_FULL or XFER_OK. Lets a
 * caller refuse a write before it captures the data. Needs no lock: it
 * reads only the limit, which never changes. */
xfer_status xfer_store_check_write(const struct xfer_store *store, uint64_t offset,
                                   size_t length);

/* The limit given to xfer_store_init; constant, so no lock is needed. */
uint64_t xfer_store_limit(const struct xfer_store *store);

uint64_t xfer_store_size(const struct xfer_store *store);
void xfer_store_get_info(const struct xfer_store *store,
                         struct xfer_store_info *info);

/* A short English name for a status ("out of memory"), for messages. */
const char *xfer_status_name(xfer_status status);

#endif /* XFER_STORE_H */
