/* SPDX-License-Identifier: MIT */
#include "byte_model.h"

#include <stdlib.h>
#include <string.h>

#define MODEL_NODE_BYTES ((uint64_t)XFER_NODE_SLOTS * sizeof(void *))

/* The smallest depth >= 1 whose tree spans `limit` bytes, as documented in
 * docs/design.md: each level multiplies the span by XFER_NODE_SLOTS. */
static uint32_t model_depth(uint64_t limit, uint32_t chunk_shift)
{
    uint32_t depth = 1, bits = chunk_shift + XFER_NODE_SHIFT;

    while (bits < 64u && ((uint64_t)1 << bits) < limit) {
        depth++;
        bits += XFER_NODE_SHIFT;
    }
    return depth;
}

int byte_model_init(struct byte_model *m, uint64_t base, uint64_t limit,
                    uint32_t chunk_shift)
{
    memset(m, 0, sizeof(*m));
    if (base > limit)
        return 0;
    m->base = base;
    m->limit = limit;
    m->chunk_shift = chunk_shift;
    m->depth = model_depth(limit, chunk_shift);
    m->first_chunk = base >> chunk_shift;
    m->chunks = limit > base ? ((limit - 1u) >> chunk_shift) - m->first_chunk + 1u
                             : 0;
    m->window = calloc(1, (size_t)(limit - base) + 1u);
    m->chunk_held = calloc(1, (size_t)m->chunks + 1u);
    if (m->window == NULL || m->chunk_held == NULL) {
        byte_model_free(m);
        return 0;
    }
    return 1;
}

void byte_model_free(struct byte_model *m)
{
    free(m->window);
    free(m->chunk_held);
    m->window = NULL;
    m->chunk_held = NULL;
}

xfer_status byte_model_check_read(const struct byte_model *m, uint64_t offset,
                                  size_t length)
{
    (void)m;
    if (offset > XFER_OFFSET_MAX || (uint64_t)length > XFER_OFFSET_MAX - offset)
        return XFER_ERR_INVALID;
    return XFER_OK;
}

xfer_status byte_model_check_write(const struct byte_model *m, uint64_t offset,
                                   size_t length)
{
    if (byte_model_check_read(m, offset, length) != XFER_OK)
        return XFER_ERR_INVALID;
    if (length != 0 && offset + length > m->limit)
        return XFER_ERR_FULL;
    return XFER_OK;
}

xfer_status byte_model_read(const struct byte_model *m, uint64_t offset,
                            uint8_t *dst, size_t length, size_t *done)
{
    size_t i;

    *done = 0;
    if (byte_model_check_read(m, offset, length) != XFER_OK)
        return XFER_ERR_INVALID;
    if (offset >= m->size)
        return XFER_OK;
    if ((uint64_t)length > m->size - offset)
        length = (size_t)(m->size - offset);
    /* Below base, zeros; from base on, the window. */
    i = offset >= m->base ? 0
        : (uint64_t)length < m->base - offset ? length : (size_t)(m->base - offset);
    memset(dst, 0, i);
    if (length > i)
        memcpy(dst + i, m->window + (offset + i - m->base), length - i);
    *done = length;
    return XFER_OK;
}

xfer_status byte_model_write(struct byte_model *m, uint64_t offset,
                             const uint8_t *src, size_t length)
{
    xfer_status status = byte_model_check_write(m, offset, length);
    uint64_t c;

    if (status != XFER_OK || length == 0)
        return status;
    if (offset < m->base)
        abort();   /* the model has no room below base: a test bug */
    memcpy(m->window + (offset - m->base), src, length);
    for (c = offset >> m->chunk_shift; c <= (offset + length - 1u) >> m->chunk_shift; c++)
        m->chunk_held[c - m->first_chunk] = 1;
    if (offset + length > m->size)
        m->size = offset + length;
    m->generation++;
    return XFER_OK;
}

xfer_status byte_model_set_size(struct byte_model *m, uint64_t size)
{
    uint64_t keep, c;

    if (size > XFER_OFFSET_MAX)
        return XFER_ERR_INVALID;
    if (size > m->limit)
        return XFER_ERR_FULL;
    if (size < m->size) {
        /* Bytes past the new end are gone; so is every chunk that no
         * longer holds a byte below it. */
        uint64_t from = size > m->base ? size : m->base;

        if (m->size > from)
            memset(m->window + (from - m->base), 0, (size_t)(m->size - from));
        keep = (size + ((uint64_t)1 << m->chunk_shift) - 1u) >> m->chunk_shift;
        for (c = 0; c < m->chunks; c++) {
            if (m->first_chunk + c >= keep)
                m->chunk_held[c] = 0;
        }
    }
    m->size = size;
    m->generation++;
    return XFER_OK;
}

void byte_model_zero(struct byte_model *m)
{
    memset(m->window, 0, (size_t)(m->limit - m->base));
    memset(m->chunk_held, 0, (size_t)m->chunks);
    m->generation++;
}

void byte_model_remove(struct byte_model *m)
{
    byte_model_zero(m);
    m->size = 0;
}

uint64_t byte_model_bytes_allocated(const struct byte_model *m)
{
    uint64_t total = 0, last[8] = { 0 }, c;
    int have = 0;
    uint32_t h;

    /* A node of height h covers the chunks sharing chunk >> (9 h): walking
     * the chunks held in order, count each distinct prefix once. */
    for (c = 0; c < m->chunks; c++) {
        uint64_t chunk = m->first_chunk + c;

        if (!m->chunk_held[c])
            continue;
        total += (uint64_t)1 << m->chunk_shift;
        for (h = 1; h <= m->depth && h <= 7u; h++) {
            uint32_t shift = XFER_NODE_SHIFT * h;
            uint64_t node = shift < 64u ? chunk >> shift : 0;

            if (!have || node != last[h])
                total += MODEL_NODE_BYTES;
            last[h] = node;
        }
        have = 1;
    }
    return total;
}
