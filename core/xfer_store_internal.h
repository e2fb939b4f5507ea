/* SPDX-License-Identifier: MIT */
/*
 * Private to core/: the radix tree under struct xfer_store.
 *
 * Layout. Chunk index c = offset >> chunk_shift. A pointer of height h points
 * to an index node of height h (h >= 1, XFER_NODE_SLOTS slots of height h - 1)
 * or to a chunk (h == 0). store->root has height store->depth. A node of
 * height 1 is a leaf: its slots point to chunks. The slot for chunk c in a
 * node of height h is (c >> (XFER_NODE_SHIFT * (h - 1))) % XFER_NODE_SLOTS,
 * so a leaf covers the XFER_NODE_SLOTS chunks sharing c >> XFER_NODE_SHIFT.
 *
 * Invariants kept by every function here and in xfer_store.c:
 *  - no chunk starts at or past store->size;
 *  - every byte at or past store->size in an allocated chunk is zero;
 *  - no index node is empty (a node with no children is freed);
 *  - bytes_allocated is the sum of the sizes of all chunks and nodes held.
 */
#ifndef XFER_STORE_INTERNAL_H
#define XFER_STORE_INTERNAL_H

#include "xfer_store.h"

#define XFER__NODE_BYTES ((size_t)XFER_NODE_SLOTS * sizeof(void *))
#define XFER__SLOT_MASK ((uint64_t)XFER_NODE_SLOTS - 1u)

static inline size_t xfer__chunk_bytes(const struct xfer_store *store)
{
    return (size_t)1 << store->chunk_shift;
}

/* Blocks taken from the allocator for one write before it changes anything,
 * kept on two singly linked lists threaded through each block's first word
 * (every block is at least 16 bytes and 8-aligned, so a pointer fits). */
struct xfer__reserve {
    void *nodes;
    void *chunks;
};

/* Allocates every node and chunk that a write of chunks first..last lacks.
 * On XFER_OK, bytes_allocated already counts them and xfer__leaf_make /
 * xfer__chunk_make for each chunk first..last in order use them all up.
 * On XFER_ERR_NO_MEMORY nothing was kept and the store is unchanged. */
xfer_status xfer__reserve(struct xfer_store *store, uint64_t first,
                          uint64_t last, struct xfer__reserve *res);

/* Returns the slots of the leaf for `chunk`, or NULL when it is a hole. */
void **xfer__leaf(const struct xfer_store *store, uint64_t chunk);

/* Returns the slots of the leaf for `chunk`, installing missing nodes from
 * `res` (zeroed). Cannot fail when `res` came from xfer__reserve over a
 * range holding `chunk`. */
void **xfer__leaf_make(struct xfer_store *store, uint64_t chunk,
                       struct xfer__reserve *res);

/* Returns the chunk in *slot, installing one from `res` if it is empty.
 * A new chunk gets zeros everywhere except [from, to), which the caller is
 * about to overwrite. */
uint8_t *xfer__chunk_make(struct xfer_store *store, void **slot,
                          struct xfer__reserve *res, size_t from, size_t to);

/* Frees every chunk with index >= `first`, and every node left empty. */
void xfer__free_from(struct xfer_store *store, uint64_t first);

/* Frees every chunk and node; root becomes NULL, bytes_allocated 0. */
void xfer__free_all(struct xfer_store *store);

#endif /* XFER_STORE_INTERNAL_H */
