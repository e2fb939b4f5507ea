/* SPDX-License-Identifier: MIT */
/*
 * The driver stopped and started inside the suite: unload frees the store
 * (the harness fails the run if DriverUnload reports leaked memory), a
 * fresh start serves an empty store, and Parameters\MaxSize is read at
 * start and enforced on every device, all or nothing.
 *
 * These tests restart the driver, so each opens its own handles after the
 * restart and leaves the driver running with the default limit.
 */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define LIMIT (1048576u + 3u)   /* not a multiple of any chunk size */

TEST(test_lifecycle_stop_start_serves_empty_store)
{
    struct e2e_devices devices;
    uint8_t data[5000], back[5000];
    uint64_t size;
    HANDLE handle;
    DWORD done;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    e2e_fill_pattern(data, sizeof(data), 11, 0);
    ASSERT_EQ(xfer_write_at(devices.handle[XFER_DIRECT], 70000, data, sizeof(data), &done), 0);
    e2e_close_all(&devices);

    ASSERT_EQ(xfer_service_stop(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &handle), ERROR_FILE_NOT_FOUND);
    ASSERT_EQ(xfer_service_start(), ERROR_SUCCESS);

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_size(devices.handle[XFER_NEITHER], &size), ERROR_SUCCESS);
    ASSERT_EQ_U64(size, 0);
    ASSERT_EQ(xfer_write_at(devices.handle[XFER_NEITHER], 3, data, sizeof(data), &done), 0);
    ASSERT_EQ(xfer_read_at(devices.handle[XFER_BUFFERED], 3, back, sizeof(back), &done), 0);
    ASSERT_EQ(done, sizeof(back));
    ASSERT_MEM_EQ(back, data, sizeof(data));
    e2e_close_all(&devices);
}

/* With the store at `size` bytes, a write of `length` at `offset` through
 * every device is refused with ERROR_DISK_FULL and changes nothing. */
static void check_full(struct e2e_devices *devices, uint64_t offset, DWORD length)
{
    uint64_t size_before, digest_before, size_after, digest_after;
    uint8_t *data = malloc(length);
    DWORD done;
    int m;

    ASSERT_TRUE(data != NULL);
    e2e_fill_pattern(data, length, 13, offset);
    ASSERT_EQ(e2e_store_digest(devices->handle[XFER_BUFFERED], &size_before, &digest_before), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_write_at(devices->handle[m], offset, data, length, &done), ERROR_DISK_FULL);
        ASSERT_EQ(done, 0);
    }
    free(data);
    ASSERT_EQ(e2e_store_digest(devices->handle[XFER_NEITHER], &size_after, &digest_after), 0);
    ASSERT_EQ_U64(size_after, size_before);
    ASSERT_EQ_U64(digest_after, digest_before);
}

/* Runs with the driver restarted at LIMIT; returns early on a failure. */
static void check_limit(void)
{
    struct e2e_devices devices;
    static uint8_t data[LIMIT];
    uint64_t size;
    DWORD done;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);

    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        /* Fill to exactly the limit through this device. */
        ASSERT_EQ(xfer_remove(devices.handle[m]), ERROR_SUCCESS);
        e2e_fill_pattern(data, LIMIT, 17 + (uint32_t)m, 0);
        ASSERT_EQ(xfer_write_at(devices.handle[m], 0, data, LIMIT - 100, &done), 0);
        ASSERT_EQ(xfer_write_at(devices.handle[m], LIMIT - 100, data + LIMIT - 100, 100, &done), 0);
        ASSERT_EQ(done, 100);
        ASSERT_EQ(xfer_get_size(devices.handle[m], &size), 0);
        ASSERT_EQ_U64(size, LIMIT);

        check_full(&devices, LIMIT - 100, 101);   /* ends one byte past */
        check_full(&devices, LIMIT, 1);           /* starts at the limit */
        check_full(&devices, 0, LIMIT + 1);       /* one byte too long */
        check_full(&devices, LIMIT + 4096, 10);   /* far past */
    }
    /* A shrunk store grows back up to the limit, not past it. */
    ASSERT_EQ(xfer_remove(devices.handle[XFER_BUFFERED]), ERROR_SUCCESS);
    ASSERT_EQ(xfer_write_at(devices.handle[XFER_DIRECT], LIMIT - 1, data, 1, &done), 0);
    ASSERT_EQ(xfer_get_size(devices.handle[XFER_NEITHER], &size), 0);
    ASSERT_EQ_U64(size, LIMIT);
    check_full(&devices, LIMIT - 1, 2);

    e2e_close_all(&devices);
}

TEST(test_lifecycle_max_size_enforced)
{
    ASSERT_EQ(e2e_restart_driver(LIMIT), ERROR_SUCCESS);
    check_limit();
    /* Back to the default limit whatever happened, for the tests after. */
    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);
}
