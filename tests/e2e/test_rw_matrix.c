/* SPDX-License-Identifier: MIT */
/*
 * ReadFile/WriteFile, table-driven: every device as writer × sizes around
 * the interesting lengths × offsets at the interesting places. Each case
 * starts from the same store (BASE_SIZE bytes of one pattern), writes
 * another pattern through one device, and checks through all three devices
 * that the store holds exactly what a flat model of it holds: the new
 * bytes, the old ones around them, zeros in any gap, and the end of file in
 * the right place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define BASE_SIZE E2E_MATRIX_BASE
#define BASE_SEED 1u
#define DATA_SEED 2u

static const uint32_t sizes[] = {
    0, 1, 511, 4096, E2E_CHUNK - 1, E2E_CHUNK, E2E_CHUNK + 1, 1u << 20,
};

#define SIZE_COUNT (sizeof(sizes) / sizeof(sizes[0]))
#define OFFSET_COUNT E2E_MATRIX_OFFSETS

struct matrix_case {
    xfer_mechanism writer;
    uint32_t size;
    uint64_t offset;
    char name[80];
};

static struct matrix_case cases[XFER_MECHANISM_COUNT * SIZE_COUNT * OFFSET_COUNT];

/* The store every case starts from, written through the Buffered device. */
static void reset_store(struct e2e_devices *devices, uint8_t *model)
{
    DWORD done;

    ASSERT_EQ(xfer_remove(devices->handle[XFER_BUFFERED]), ERROR_SUCCESS);
    e2e_fill_pattern(model, BASE_SIZE, BASE_SEED, 0);
    ASSERT_EQ(xfer_write_at(devices->handle[XFER_BUFFERED], 0, model, BASE_SIZE, &done),
              ERROR_SUCCESS);
    ASSERT_EQ(done, BASE_SIZE);
}

/* The whole store, through `reader`, equals the model. */
static void check_store(HANDLE reader, const uint8_t *model, uint64_t model_size)
{
    uint8_t *bytes;
    uint64_t size;

    ASSERT_EQ(e2e_read_store(reader, &bytes, &size), ERROR_SUCCESS);
    if (size != model_size)
        free(bytes);
    ASSERT_EQ_U64(size, model_size);
    if (unit_mem_diff(bytes, model, (size_t)size) != (size_t)-1) {
        size_t at = unit_mem_diff(bytes, model, (size_t)size);
        unit_fail(__FILE__, __LINE__, "store byte %zu is 0x%02x, expected 0x%02x",
                  at, bytes[at], model[at]);
    }
    free(bytes);
}

/* Reads that start inside the data, straddle the end, and start at it. */
static void check_reads(HANDLE reader, const uint8_t *model, uint64_t model_size,
                        const struct matrix_case *c, uint8_t *scratch)
{
    DWORD done;

    memset(scratch, E2E_SENTINEL, c->size + 16);
    ASSERT_EQ(xfer_read_at(reader, c->offset, scratch, c->size, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, c->size);
    ASSERT_MEM_EQ(scratch, model + c->offset, c->size);
    ASSERT_TRUE(e2e_untouched_from(scratch, c->size + 16, c->size));

    memset(scratch, E2E_SENTINEL, 16);
    ASSERT_EQ(xfer_read_at(reader, model_size - 3, scratch, 16, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, 3);
    ASSERT_MEM_EQ(scratch, model + model_size - 3, 3);
    ASSERT_TRUE(e2e_untouched_from(scratch, 16, 3));

    memset(scratch, E2E_SENTINEL, 16);
    ASSERT_EQ(xfer_read_at(reader, model_size, scratch, 16, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, 0);
    ASSERT_EQ(xfer_read_at(reader, model_size + 12345, scratch, 16, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, 0);
    ASSERT_TRUE(e2e_untouched_from(scratch, 16, 0));
}

static void run_case(const void *arg)
{
    const struct matrix_case *c = arg;
    size_t model_capacity = BASE_SIZE + 4097 + (1u << 20) + 16;
    uint8_t *model = calloc(1, model_capacity);
    uint8_t *data = malloc(c->size + 1);
    uint8_t *scratch = malloc(c->size + 16 > 16 ? c->size + 16 : 16);
    uint64_t model_size = BASE_SIZE;
    struct e2e_devices devices;
    DWORD done;
    int m;

    ASSERT_TRUE(model != NULL && data != NULL && scratch != NULL);
    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    reset_store(&devices, model);

    if (!unit_failed()) {
        e2e_fill_pattern(data, c->size, DATA_SEED, c->offset);
        if (xfer_write_at(devices.handle[c->writer], c->offset, data, c->size, &done) !=
                ERROR_SUCCESS || done != c->size)
            unit_fail(__FILE__, __LINE__, "write of %lu bytes at %llu: done %lu, error %lu",
                      (unsigned long)c->size, (unsigned long long)c->offset,
                      (unsigned long)done, (unsigned long)GetLastError());
        /* A zero-length write changes nothing, even past the end. */
        if (c->size != 0) {
            memcpy(model + c->offset, data, c->size);
            if (c->offset + c->size > model_size)
                model_size = c->offset + c->size;
        }
    }
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        check_store(devices.handle[m], model, model_size);
        if (!unit_failed() && c->offset + c->size <= model_size)
            check_reads(devices.handle[m], model, model_size, c, scratch);
    }

    e2e_close_all(&devices);
    free(model);
    free(data);
    free(scratch);
}

__attribute__((constructor)) static void register_matrix(void)
{
    size_t i = 0, s, o;
    int w;

    for (w = 0; w < XFER_MECHANISM_COUNT; w++) {
        for (s = 0; s < SIZE_COUNT; s++) {
            for (o = 0; o < OFFSET_COUNT; o++, i++) {
                struct matrix_case *c = &cases[i];

                c->writer = (xfer_mechanism)w;
                c->size = sizes[s];
                c->offset = e2e_matrix_offsets[o].offset;
                snprintf(c->name, sizeof(c->name), "test_rw_write_%s_%lu_at_%s",
                         xfer_mechanism_name(c->writer), (unsigned long)c->size,
                         e2e_matrix_offsets[o].name);
                unit_register_case(c->name, run_case, c);
            }
        }
    }
}
