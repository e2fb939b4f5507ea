/* SPDX-License-Identifier: MIT */
/*
 * A trivially correct reference for xfer_store: a flat byte array.
 *
 * The model holds the window [base, limit) of the offset space as plain
 * bytes; every byte below `base` reads as zero, and callers never write
 * there (base is 0 unless a test wants the window high up, near 2^32 or
 * XFER_OFFSET_MAX). Each operation answers what xfer_store's contract in
 * core/xfer_store.h says it must, in the most direct way.
 *
 * The model also tracks which chunks the store must hold, so a test can
 * compare the store's bytes_allocated with the exact figure: a chunk exists
 * once a write touched it, until zero/remove or a truncation below it; an
 * index node exists while a chunk under it does.
 *
 * Shared by the differential unit test and the fuzzer.
 */
#ifndef BYTE_MODEL_H
#define BYTE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "xfer_store.h"

struct byte_model {
    uint8_t *window;       /* bytes [base, limit); zero at and past size */
    uint8_t *chunk_held;   /* one flag per chunk of the window */
    uint64_t base;
    uint64_t limit;
    uint64_t size;
    uint64_t generation;
    uint64_t first_chunk;  /* base >> chunk_shift */
    uint64_t chunks;       /* flags in chunk_held */
    uint32_t chunk_shift;
    uint32_t depth;        /* index levels a store of this limit has */
};

/* Sets up an empty model of a store with this limit and chunk shift,
 * holding bytes [base, limit). Returns 0 when out of memory. */
int byte_model_init(struct byte_model *m, uint64_t base, uint64_t limit,
                    uint32_t chunk_shift);
void byte_model_free(struct byte_model *m);

xfer_status byte_model_check_read(const struct byte_model *m, uint64_t offset,
                                  size_t length);
xfer_status byte_model_check_write(const struct byte_model *m, uint64_t offset,
                                   size_t length);

/* As xfer_store_read: fills dst[0, *done) and touches nothing past it. */
xfer_status byte_model_read(const struct byte_model *m, uint64_t offset,
                            uint8_t *dst, size_t length, size_t *done);

/* As xfer_store_write with an allocator that never fails. A write that
 * would succeed must not start below base (the model aborts). */
xfer_status byte_model_write(struct byte_model *m, uint64_t offset,
                             const uint8_t *src, size_t length);

xfer_status byte_model_set_size(struct byte_model *m, uint64_t size);
void byte_model_zero(struct byte_model *m);
void byte_model_remove(struct byte_model *m);

/* Bytes of chunks and index nodes the store must hold right now. */
uint64_t byte_model_bytes_allocated(const struct byte_model *m);

#endif /* BYTE_MODEL_H */
