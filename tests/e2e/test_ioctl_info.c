/* SPDX-License-Identifier: MIT */
/*
 * GET_INFO and SET_SIZE: the fields GET_INFO reports and how they move
 * (the generation on every change and never on a read, the memory held
 * after a write, a resize, ZERO and REMOVE), and SET_SIZE truncating,
 * extending with zeros, and refusing past the limit and past 2^63 - 1.
 */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define BASE_SIZE 200000u
#define SEED 41u

static void check_generation_delta(HANDLE device, const struct e2e_state *before, int delta,
                                   const char *what)
{
    struct e2e_state now;

    ASSERT_EQ(e2e_get_state(device, &now), ERROR_SUCCESS);
    if (now.generation != before->generation + (uint64_t)delta)
        unit_fail(__FILE__, __LINE__, "%s: generation moved by %lld, expected %d", what,
                  (long long)(now.generation - before->generation), delta);
}

static uint64_t bytes_allocated(HANDLE device)
{
    struct xfer_info info;

    return xfer_get_info(device, &info) == ERROR_SUCCESS ? info.bytes_allocated : UINT64_MAX;
}

TEST(test_ioctl_info_fields_on_every_device)
{
    struct e2e_devices devices;
    uint8_t out[sizeof(struct xfer_info) + 16];
    struct xfer_info info;
    uint64_t size;
    DWORD returned;
    size_t i;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(xfer_set_size(devices.handle[XFER_BUFFERED], 12345), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        memset(out, E2E_SENTINEL, sizeof(out));
        ASSERT_EQ(e2e_ioctl(devices.handle[m], IOCTL_XFER_GET_INFO, NULL, 0, out, sizeof(out),
                            &returned), ERROR_SUCCESS);
        ASSERT_EQ(returned, sizeof(info));
        ASSERT_TRUE(e2e_untouched_from(out, sizeof(out), sizeof(info)));
        memcpy(&info, out, sizeof(info));
        ASSERT_EQ(info.version, XFER_INTERFACE_VERSION);
        ASSERT_EQ(info.chunk_size, E2E_CHUNK);
        ASSERT_EQ_U64(info.limit, XFER_DEFAULT_MAX_SIZE);
        ASSERT_EQ_U64(info.size, 12345);
        ASSERT_EQ(xfer_get_size(devices.handle[m], &size), ERROR_SUCCESS);
        ASSERT_EQ_U64(info.size, size);
        for (i = 0; i < sizeof(info.reserved) / sizeof(info.reserved[0]); i++)
            ASSERT_EQ_U64(info.reserved[i], 0);
    }
    e2e_close_all(&devices);
}

/* Every change moves the generation by one; reads, zero-length writes and
 * refused requests do not move it. */
TEST(test_ioctl_info_generation_moves_on_changes_only)
{
    static uint8_t data[4096];
    struct e2e_devices devices;
    struct e2e_state before;
    struct xfer_stats stats;
    uint8_t trace[sizeof(struct xfer_trace_batch) + sizeof(struct xfer_trace_record)];
    uint64_t size;
    DWORD done;
    int m, p;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], data, sizeof(data), SEED), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        HANDLE h = devices.handle[m];

        for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++) {
            ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
            ASSERT_EQ(e2e_write_via(h, (enum e2e_path)p, 100, data, 10), ERROR_SUCCESS);
            check_generation_delta(h, &before, 1, "a write");
            ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
            ASSERT_EQ(e2e_write_via(h, (enum e2e_path)p, 100, data, 0), ERROR_SUCCESS);
            ASSERT_EQ(e2e_write_via(h, (enum e2e_path)p, 1u << 30, data, 0), ERROR_SUCCESS);
            ASSERT_EQ(e2e_write_via(h, (enum e2e_path)p, XFER_DEFAULT_MAX_SIZE, data, 1),
                      ERROR_DISK_FULL);
            ASSERT_EQ(e2e_read_via(h, (enum e2e_path)p, 0, data, sizeof(data), &done), 0);
            check_generation_delta(h, &before, 0, "zero-length and refused writes, a read");
        }
        ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_buffer(h, data, 16, &done), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_stats(h, &stats, 0), ERROR_SUCCESS);
        ASSERT_EQ(xfer_read_trace(h, 0, trace, sizeof(trace), &done), ERROR_SUCCESS);
        ASSERT_EQ(xfer_set_size(h, XFER_DEFAULT_MAX_SIZE + 1), ERROR_DISK_FULL);
        check_generation_delta(h, &before, 0, "the IOCTLs that only look");

        ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
        ASSERT_EQ(xfer_set_size(h, size + 1000), ERROR_SUCCESS);
        check_generation_delta(h, &before, 1, "SET_SIZE");
        ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
        ASSERT_EQ(xfer_zero(h), ERROR_SUCCESS);
        check_generation_delta(h, &before, 1, "ZERO");
        ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
        ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
        check_generation_delta(h, &before, 1, "REMOVE");
        ASSERT_EQ(e2e_reset_store(h, data, sizeof(data), SEED), 0);
    }
    e2e_close_all(&devices);
}

/* Memory is held only for what was written: a resize, ZERO and REMOVE
 * cost or hold none. */
TEST(test_ioctl_info_bytes_allocated_follows_the_data)
{
    static uint8_t data[1u << 20];
    struct e2e_devices devices;
    HANDLE h;
    uint64_t held;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    h = devices.handle[XFER_DIRECT];
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    ASSERT_EQ_U64(bytes_allocated(h), 0);

    /* One byte far out: one chunk and its index, nothing for the hole. */
    ASSERT_EQ(xfer_ioctl_write(h, XFER_NEITHER, 10u << 20, data, 1), ERROR_SUCCESS);
    held = bytes_allocated(h);
    ASSERT_TRUE(held >= E2E_CHUNK && held < 2 * E2E_CHUNK);
    ASSERT_EQ(xfer_set_size(h, XFER_DEFAULT_MAX_SIZE), ERROR_SUCCESS);
    ASSERT_EQ_U64(bytes_allocated(h), held);
    ASSERT_EQ(xfer_zero(h), ERROR_SUCCESS);
    ASSERT_EQ_U64(bytes_allocated(h), 0);

    e2e_fill_pattern(data, sizeof(data), SEED, 0);
    ASSERT_EQ(xfer_ioctl_write(h, XFER_BUFFERED, 0, data, sizeof(data)), ERROR_SUCCESS);
    held = bytes_allocated(h);
    ASSERT_TRUE(held >= sizeof(data) && held < sizeof(data) + E2E_CHUNK);
    /* Truncating frees the chunks wholly past the new end. */
    ASSERT_EQ(xfer_set_size(h, E2E_CHUNK + 1), ERROR_SUCCESS);
    held = bytes_allocated(h);
    ASSERT_TRUE(held >= 2 * E2E_CHUNK && held < 3 * E2E_CHUNK);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    ASSERT_EQ_U64(bytes_allocated(h), 0);
    e2e_close_all(&devices);
}

/* The whole store, read through `device`, is the model's first `size`
 * bytes. */
static void check_store_is(HANDLE device, const uint8_t *model, uint64_t size)
{
    uint8_t *bytes;
    uint64_t got;

    ASSERT_EQ(e2e_read_store(device, &bytes, &got), ERROR_SUCCESS);
    if (got != size)
        unit_fail(__FILE__, __LINE__, "store size %llu, expected %llu", (unsigned long long)got,
                  (unsigned long long)size);
    else if (unit_mem_diff(bytes, model, (size_t)size) != (size_t)-1)
        unit_fail(__FILE__, __LINE__, "store byte %zu differs from the model",
                  unit_mem_diff(bytes, model, (size_t)size));
    free(bytes);
}

/* Truncating and extending again reads zeros where the old bytes were:
 * truncation really forgets them, in the chunk of the new end too. */
TEST(test_ioctl_set_size_truncates_and_extends_with_zeros)
{
    static const uint64_t cuts[] = { 5000, E2E_CHUNK, E2E_CHUNK + 1, 70001, 0 };
    struct e2e_devices devices;
    uint8_t *model = calloc(1, 2 * BASE_SIZE);
    size_t i;

    ASSERT_TRUE(model != NULL);
    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]) && !unit_failed(); i++) {
        HANDLE resizer = devices.handle[i % XFER_MECHANISM_COUNT];
        HANDLE reader = devices.handle[(i + 1) % XFER_MECHANISM_COUNT];

        ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, BASE_SIZE, SEED), 0);
        ASSERT_EQ(xfer_set_size(resizer, cuts[i]), ERROR_SUCCESS);
        check_store_is(reader, model, cuts[i]);
        UNIT_RETURN_IF_FAILED();

        memset(model + cuts[i], 0, 2 * BASE_SIZE - cuts[i]);
        ASSERT_EQ(xfer_set_size(resizer, 2 * BASE_SIZE), ERROR_SUCCESS);
        check_store_is(reader, model, 2 * BASE_SIZE);
    }
    e2e_close_all(&devices);
    free(model);
}

TEST(test_ioctl_set_size_limits)
{
    static const struct {
        uint64_t size;
        DWORD error;
    } refused[] = {
        { XFER_DEFAULT_MAX_SIZE + 1, ERROR_DISK_FULL },
        { 1ull << 40, ERROR_DISK_FULL },
        { 0x7FFFFFFFFFFFFFFFull, ERROR_DISK_FULL },
        { 0x8000000000000000ull, ERROR_INVALID_PARAMETER },
        { 0xFFFFFFFFFFFFFFFFull, ERROR_INVALID_PARAMETER },
    };
    struct e2e_devices devices;
    uint8_t model[100], back[16];
    uint64_t size;
    DWORD done;
    size_t i;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        HANDLE h = devices.handle[m];

        ASSERT_EQ(e2e_reset_store(h, model, sizeof(model), SEED), 0);
        for (i = 0; i < sizeof(refused) / sizeof(refused[0]) && !unit_failed(); i++) {
            struct xfer_set_size in = { refused[i].size };

            e2e_expect_refused(h, IOCTL_XFER_SET_SIZE, &in, sizeof(in), 0, refused[i].error);
        }
        UNIT_RETURN_IF_FAILED();
        /* Exactly the limit is allowed, and a hole costs nothing. */
        ASSERT_EQ(xfer_set_size(h, XFER_DEFAULT_MAX_SIZE), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);
        ASSERT_EQ_U64(size, XFER_DEFAULT_MAX_SIZE);
        ASSERT_TRUE(bytes_allocated(h) < 2 * E2E_CHUNK);
        memset(back, E2E_SENTINEL, sizeof(back));
        ASSERT_EQ(xfer_read_at(h, XFER_DEFAULT_MAX_SIZE - 8, back, sizeof(back), &done), 0);
        ASSERT_EQ(done, 8);
        ASSERT_MEM_EQ(back, "\0\0\0\0\0\0\0\0", 8);
        ASSERT_TRUE(e2e_untouched_from(back, sizeof(back), 8));
        ASSERT_EQ(xfer_read_at(h, 0, back, sizeof(back), &done), 0);
        ASSERT_MEM_EQ(back, model, sizeof(back));
    }
    ASSERT_EQ(xfer_remove(devices.handle[XFER_BUFFERED]), ERROR_SUCCESS);
    e2e_close_all(&devices);
}
