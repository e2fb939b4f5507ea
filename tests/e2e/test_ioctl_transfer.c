/* SPDX-License-Identifier: MIT */
/*
 * The six transfer IOCTLs, table-driven: each write method x sizes around
 * the chunk size x offsets at the interesting places, on a device that
 * rotates through the three (the IOCTL's method, not the device's flag,
 * decides where the data is). Each case starts from the same store, writes
 * through one write IOCTL, and reads back through every read path
 * (ReadFile and the three read IOCTLs) on the other devices: the new bytes,
 * the old ones around them, zeros in any gap, reads truncated at the end
 * and nothing at or past it. The generation moves by one on a write, not
 * at all on a zero-length one or on a read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define BASE_SIZE E2E_MATRIX_BASE
#define BASE_SEED 31u
#define DATA_SEED 32u
#define SLACK 16u           /* sentinel bytes after every read buffer */

static const uint32_t sizes[] = { 0, 1, 4095, E2E_CHUNK, E2E_CHUNK + 1, 1u << 20 };

#define SIZE_COUNT (sizeof(sizes) / sizeof(sizes[0]))
#define OFFSET_COUNT E2E_MATRIX_OFFSETS
/* The largest store a case makes, plus the byte past it and the slack. */
#define MODEL_CAPACITY (BASE_SIZE + 4097 + (1u << 20) + 1 + SLACK)

struct transfer_case {
    xfer_mechanism method;   /* of the write IOCTL */
    xfer_mechanism device;   /* the device it is sent to */
    uint32_t size;
    uint64_t offset;
    enum e2e_path whole_path;   /* the path that reads the whole store back */
    char name[96];
};

static struct transfer_case cases[XFER_MECHANISM_COUNT * SIZE_COUNT * OFFSET_COUNT];

struct fixture {
    struct e2e_devices devices;
    uint8_t *model;
    uint64_t model_size;
    uint8_t *scratch;   /* a read buffer with SLACK sentinel bytes after it */
};

/* Reads `length` bytes at `offset` through `path` on `device`, expecting
 * the model's bytes (truncated at the model's end) and the sentinel after
 * them where the platform shows it. */
static void check_read(struct fixture *f, HANDLE device, enum e2e_path path, uint64_t offset,
                       DWORD length)
{
    uint64_t available = offset < f->model_size ? f->model_size - offset : 0;
    DWORD expected = available < length ? (DWORD)available : length;
    DWORD done;

    memset(f->scratch, E2E_SENTINEL, (size_t)length + SLACK);
    if (e2e_read_via(device, path, offset, f->scratch, length, &done) != ERROR_SUCCESS ||
        done != expected) {
        unit_fail(__FILE__, __LINE__, "%s read of %lu at %llu: error %lu, done %lu, expected %lu",
                  e2e_path_name(path), (unsigned long)length, (unsigned long long)offset,
                  (unsigned long)GetLastError(), (unsigned long)done, (unsigned long)expected);
        return;
    }
    if (expected != 0 && unit_mem_diff(f->scratch, f->model + offset, expected) != (size_t)-1) {
        size_t at = unit_mem_diff(f->scratch, f->model + offset, expected);

        unit_fail(__FILE__, __LINE__, "%s read at %llu: store byte %llu is 0x%02x, expected 0x%02x",
                  e2e_path_name(path), (unsigned long long)offset,
                  (unsigned long long)(offset + at), f->scratch[at], f->model[offset + at]);
        return;
    }
    /* Nothing written past what was returned (see e2e_expect_refused on
     * why this holds for direct and neither output under Wine too). */
    ASSERT_TRUE(e2e_untouched_from(f->scratch, (size_t)length + SLACK, expected));
}

/* Every read path, each on another device than the writer's where it can. */
static void check_all_paths(struct fixture *f, const struct transfer_case *c)
{
    int p;

    for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++) {
        HANDLE reader = f->devices.handle[(c->device + 1 + p) % XFER_MECHANISM_COUNT];

        /* The range just written, whole; then reads that straddle the end,
         * start at it, and start past it. */
        check_read(f, reader, (enum e2e_path)p, c->offset, c->size);
        check_read(f, reader, (enum e2e_path)p, f->model_size - 3, SLACK);
        check_read(f, reader, (enum e2e_path)p, f->model_size, SLACK);
        check_read(f, reader, (enum e2e_path)p, f->model_size + 12345, SLACK);
    }
    /* The whole store, one byte more than it holds. */
    if (!unit_failed())
        check_read(f, f->devices.handle[(c->device + 2) % XFER_MECHANISM_COUNT], c->whole_path, 0,
                   (DWORD)f->model_size + 1);
}

static void run_case(const void *arg)
{
    const struct transfer_case *c = arg;
    struct fixture f = { .model_size = BASE_SIZE };
    uint8_t *data = malloc((size_t)c->size + 1);
    struct e2e_state before, after;
    DWORD error;

    f.model = calloc(1, MODEL_CAPACITY);
    f.scratch = malloc(MODEL_CAPACITY);
    if (data == NULL || f.model == NULL || f.scratch == NULL) {
        unit_fail(__FILE__, __LINE__, "out of memory");
        goto out;
    }
    if (e2e_open_all(&f.devices) != ERROR_SUCCESS) {
        unit_fail(__FILE__, __LINE__, "cannot open the devices");
        goto out;
    }
    if (e2e_reset_store(f.devices.handle[XFER_BUFFERED], f.model, BASE_SIZE, BASE_SEED) != 0 ||
        e2e_get_state(f.devices.handle[XFER_BUFFERED], &before) != 0) {
        unit_fail(__FILE__, __LINE__, "cannot set up the store");
        goto out_close;
    }

    e2e_fill_pattern(data, c->size, DATA_SEED, c->offset);
    error = xfer_ioctl_write(f.devices.handle[c->device], c->method, c->offset, data, c->size);
    if (error != ERROR_SUCCESS) {
        unit_fail(__FILE__, __LINE__, "write of %lu bytes at %llu: error %lu",
                  (unsigned long)c->size, (unsigned long long)c->offset, (unsigned long)error);
        goto out_close;
    }
    if (c->size != 0) {   /* a zero-length write changes nothing, even past the end */
        memcpy(f.model + c->offset, data, c->size);
        if (c->offset + c->size > f.model_size)
            f.model_size = c->offset + c->size;
    }
    if (e2e_get_state(f.devices.handle[XFER_NEITHER], &after) != ERROR_SUCCESS)
        unit_fail(__FILE__, __LINE__, "GET_INFO failed");
    else if (after.size != f.model_size || after.generation != before.generation + (c->size != 0))
        unit_fail(__FILE__, __LINE__, "size %llu generation +%lld, expected %llu and +%d",
                  (unsigned long long)after.size,
                  (long long)(after.generation - before.generation),
                  (unsigned long long)f.model_size, c->size != 0);
    if (!unit_failed())
        check_all_paths(&f, c);
    /* Reads changed nothing. */
    if (!unit_failed())
        e2e_check_unchanged(f.devices.handle[XFER_DIRECT], &after);

out_close:
    e2e_close_all(&f.devices);
out:
    free(data);
    free(f.model);
    free(f.scratch);
}

__attribute__((constructor)) static void register_transfer_matrix(void)
{
    size_t i = 0, s, o;
    int w;

    for (w = 0; w < XFER_MECHANISM_COUNT; w++) {
        for (s = 0; s < SIZE_COUNT; s++) {
            for (o = 0; o < OFFSET_COUNT; o++, i++) {
                struct transfer_case *c = &cases[i];

                c->method = (xfer_mechanism)w;
                c->device = (xfer_mechanism)((w + s + o) % XFER_MECHANISM_COUNT);
                c->size = sizes[s];
                c->offset = e2e_matrix_offsets[o].offset;
                c->whole_path = (enum e2e_path)(i % E2E_PATH_COUNT);
                snprintf(c->name, sizeof(c->name), "test_ioctl_write_%s_on_%s_%lu_at_%s",
                         xfer_mechanism_name(c->method), xfer_mechanism_name(c->device),
                         (unsigned long)c->size, e2e_matrix_offsets[o].name);
                unit_register_case(c->name, run_case, c);
            }
        }
    }
}
