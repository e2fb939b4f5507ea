/* SPDX-License-Identifier: MIT */
/*
 * The radix tree under xfer_store: lookup, two-phase growth (reserve, then
 * install) and freeing. See xfer_store_internal.h for the layout.
 */
#include "xfer_store_internal.h"

/* Slot for `chunk` in a node of height `height` (1..depth). */
static unsigned slot_of(uint64_t chunk, uint32_t height)
{
    return (unsigned)((chunk >> (XFER_NODE_SHIFT * (height - 1u))) &
                      XFER__SLOT_MASK);
}

/* Chunks under one node of height `height`, minus one: a mask. */
static uint64_t span_mask(uint32_t height)
{
    return ((uint64_t)1 << (XFER_NODE_SHIFT * height)) - 1u;
}

static void push(void **list, void *block)
{
    *(void **)block = *list;
    *list = block;
}

static void *pop(void **list)
{
    void *block = *list;

    *list = *(void **)block;
    return block;
}

/* Walks toward the leaf of `chunk`. Returns 0 and sets *leaf when the leaf
 * exists; otherwise returns h >= 1 such that the nodes of heights h..1 on
 * the path are missing (*leaf is then NULL). */
static uint32_t missing_height(const struct xfer_store *store, uint64_t chunk,
                               void ***leaf)
{
    void **node = store->root;
    uint32_t height = store->depth;

    while (node != NULL && height > 1u) {
        node = node[slot_of(chunk, height)];
        height--;
    }
    *leaf = node;
    return node == NULL ? height : 0u;
}

void **xfer__leaf(const struct xfer_store *store, uint64_t chunk)
{
    void **leaf;

    (void)missing_height(store, chunk, &leaf);
    return leaf;
}

/* Adds to *nodes and *chunks what chunks lo..hi (one leaf's worth, inside a
 * write starting at chunk `first`) lack. A missing node is counted once: at
 * the first chunk of the write that it covers, which is either `first` or
 * the first chunk of the node's span. */
static void count_missing(const struct xfer_store *store, uint64_t first,
                          uint64_t lo, uint64_t hi, size_t *nodes,
                          size_t *chunks)
{
    void **leaf;
    uint32_t height = missing_height(store, lo, &leaf);
    uint64_t c;

    if (leaf == NULL) {
        for (; height >= 1u; height--) {
            if (lo == first || (lo & span_mask(height)) == 0)
                (*nodes)++;
        }
        *chunks += (size_t)(hi - lo + 1u);
        return;
    }
    for (c = lo; c <= hi; c++) {
        if (leaf[c & XFER__SLOT_MASK] == NULL)
            (*chunks)++;
    }
}

/* Frees a list built by take(). */
static void give_back(struct xfer_store *store, void **list, size_t bytes)
{
    while (*list != NULL)
        store->alloc.free(store->alloc.ctx, pop(list), bytes);
}

/* Allocates `count` blocks of `bytes` onto *list; 0 if one fails (the
 * blocks already taken stay on *list for give_back). */
static int take(struct xfer_store *store, void **list, size_t count,
                size_t bytes)
{
    for (; count > 0; count--) {
        void *block = store->alloc.alloc(store->alloc.ctx, bytes);

        if (block == NULL)
            return 0;
        push(list, block);
    }
    return 1;
}

xfer_status xfer__reserve(struct xfer_store *store, uint64_t first,
                          uint64_t last, struct xfer__reserve *res)
{
    size_t nodes = 0, chunks = 0;
    size_t chunk_bytes = xfer__chunk_bytes(store);
    uint64_t lo = first;

    res->nodes = NULL;
    res->chunks = NULL;
    for (;;) {
        uint64_t hi = lo | XFER__SLOT_MASK;

        if (hi > last)
            hi = last;
        count_missing(store, first, lo, hi, &nodes, &chunks);
        if (hi == last)
            break;
        lo = hi + 1u;
    }
    if (!take(store, &res->nodes, nodes, XFER__NODE_BYTES) ||
        !take(store, &res->chunks, chunks, chunk_bytes)) {
        give_back(store, &res->nodes, XFER__NODE_BYTES);
        give_back(store, &res->chunks, chunk_bytes);
        return XFER_ERR_NO_MEMORY;
    }
    store->bytes_allocated += (uint64_t)nodes * XFER__NODE_BYTES +
                              (uint64_t)chunks * chunk_bytes;
    return XFER_OK;
}

void **xfer__leaf_make(struct xfer_store *store, uint64_t chunk,
                       struct xfer__reserve *res)
{
    void **slot = &store->root;
    uint32_t height;

    for (height = store->depth;; height--) {
        if (*slot == NULL) {
            *slot = pop(&res->nodes);
            __builtin_memset(*slot, 0, XFER__NODE_BYTES);
        }
        if (height == 1u)
            return *slot;
        slot = &((void **)*slot)[slot_of(chunk, height)];
    }
}

uint8_t *xfer__chunk_make(struct xfer_store *store, void **slot,
                          struct xfer__reserve *res, size_t from, size_t to)
{
    uint8_t *chunk = *slot;

    if (chunk == NULL) {
        /* Zero only what the caller will not overwrite. */
        chunk = pop(&res->chunks);
        __builtin_memset(chunk, 0, from);
        __builtin_memset(chunk + to, 0, xfer__chunk_bytes(store) - to);
        *slot = chunk;
    }
    return chunk;
}

static void free_block(struct xfer_store *store, void *block, size_t bytes)
{
    store->alloc.free(store->alloc.ctx, block, bytes);
    store->bytes_allocated -= bytes;
}

/* Frees the subtree `block` of height `height` (0: a chunk). */
static void free_subtree(struct xfer_store *store, void *block,
                         uint32_t height)
{
    void **node = block;
    unsigned i;

    if (height == 0u) {
        free_block(store, block, xfer__chunk_bytes(store));
        return;
    }
    for (i = 0; i < XFER_NODE_SLOTS; i++) {
        if (node[i] != NULL)
            free_subtree(store, node[i], height - 1u);
    }
    free_block(store, block, XFER__NODE_BYTES);
}

static int node_empty(void *const *node)
{
    unsigned i;

    for (i = 0; i < XFER_NODE_SLOTS; i++) {
        if (node[i] != NULL)
            return 0;
    }
    return 1;
}

/* Frees the chunks with index >= `from` under *slot, a pointer of height
 * `height` whose span starts at chunk `base`; frees and clears *slot when
 * nothing is left under it. Recursion depth is at most depth + 1 (<= 8). */
static void prune(struct xfer_store *store, void **slot, uint32_t height,
                  uint64_t base, uint64_t from)
{
    void **node = *slot;
    uint32_t child_shift;
    unsigned i;

    if (node == NULL)
        return;
    if (from <= base) {
        free_subtree(store, node, height);
        *slot = NULL;
        return;
    }
    /* Wholly below `from`: stays. This also ends the recursion at chunks
     * (height 0), whose span mask is 0. */
    if (from - base > span_mask(height))
        return;
    child_shift = XFER_NODE_SHIFT * (height - 1u);
    for (i = slot_of(from, height); i < XFER_NODE_SLOTS; i++) {
        prune(store, &node[i], height - 1u,
              base + ((uint64_t)i << child_shift), from);
    }
    if (node_empty(node)) {
        free_block(store, node, XFER__NODE_BYTES);
        *slot = NULL;
    }
}

void xfer__free_from(struct xfer_store *store, uint64_t first)
{
    prune(store, &store->root, store->depth, 0, first);
}

void xfer__free_all(struct xfer_store *store)
{
    if (store->root != NULL)
        free_subtree(store, store->root, store->depth);
    store->root = NULL;
    store->bytes_allocated = 0;
}
