/* SPDX-License-Identifier: MIT */
/*
 * Lifecycle and exhaustion. The store removed and then read, sized and
 * fetched; removed twice; zeroed when empty; handles closed while others
 * stay open; a store at its limit (the default 64 MiB, reached by
 * SET_SIZE, which costs no memory) refusing every write past it; a
 * thousand handles open at once. Stopping and starting the driver is
 * test_lifecycle.c's, and the trace ring's overflow test_ioctl_trace.c's.
 *
 * The file position of a synchronous handle and IRP_MJ_CLEANUP exist on
 * Windows only: those tests run there and are skipped under Wine.
 */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define STORE_SIZE 5000u
#define SEED 111u
#define LIMIT XFER_DEFAULT_MAX_SIZE
#define HANDLES 1000

/* Every read path on every device finds the store empty. */
static void check_empty(struct e2e_devices *devices)
{
    struct xfer_info info;
    uint8_t buffer[64];
    DWORD done, returned;
    uint64_t size;
    int m, p;

    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        HANDLE h = devices->handle[m];

        for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++) {
            memset(buffer, E2E_SENTINEL, sizeof(buffer));
            ASSERT_EQ(e2e_read_via(h, (enum e2e_path)p, 0, buffer, sizeof(buffer), &done), 0);
            ASSERT_EQ(done, 0);
            ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), 0));
        }
        ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);
        ASSERT_EQ_U64(size, 0);
        e2e_expect_refused(h, IOCTL_XFER_GET_BUFFER, NULL, 0, 1, ERROR_INVALID_PARAMETER);
        ASSERT_EQ(e2e_ioctl(h, IOCTL_XFER_GET_BUFFER, NULL, 0, buffer, 0, &returned), 0);
        ASSERT_EQ(returned, 0);
        ASSERT_EQ(xfer_get_info(h, &info), ERROR_SUCCESS);
        ASSERT_EQ_U64(info.size, 0);
        ASSERT_EQ_U64(info.bytes_allocated, 0);
    }
}

TEST(test_bad_lifecycle_remove_then_read_size_get)
{
    struct e2e_devices devices;
    uint8_t model[STORE_SIZE], back[16], data[3] = { 'n', 'e', 'w' };
    DWORD done;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_DIRECT], model, STORE_SIZE, SEED), 0);
    ASSERT_EQ(xfer_remove(devices.handle[XFER_NEITHER]), ERROR_SUCCESS);
    check_empty(&devices);
    UNIT_RETURN_IF_FAILED();
    /* A write after it starts from nothing: the gap before it is zeros,
     * not the old bytes. */
    ASSERT_EQ(xfer_ioctl_write(devices.handle[XFER_BUFFERED], XFER_DIRECT, 8, data, 3), 0);
    memset(back, E2E_SENTINEL, sizeof(back));
    ASSERT_EQ(xfer_read_at(devices.handle[XFER_DIRECT], 0, back, sizeof(back), &done), 0);
    ASSERT_EQ(done, 11);
    ASSERT_MEM_EQ(back, "\0\0\0\0\0\0\0\0new", 11);
    e2e_close_all(&devices);
}

TEST(test_bad_lifecycle_remove_twice_zero_empty)
{
    struct e2e_devices devices;
    uint8_t model[STORE_SIZE];
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_remove(devices.handle[m]), ERROR_SUCCESS);
        ASSERT_EQ(xfer_remove(devices.handle[m]), ERROR_SUCCESS);
        ASSERT_EQ(xfer_zero(devices.handle[m]), ERROR_SUCCESS);
        ASSERT_EQ(xfer_set_size(devices.handle[m], 0), ERROR_SUCCESS);
        check_empty(&devices);
    }
    e2e_close_all(&devices);
}

/* ZERO keeps the size and frees the memory: every byte reads as zero
 * through every path. */
TEST(test_bad_lifecycle_zero_keeps_the_size)
{
    static uint8_t model[3 * E2E_CHUNK], back[3 * E2E_CHUNK], zeros[3 * E2E_CHUNK];
    struct e2e_devices devices;
    struct xfer_info info;
    DWORD done;
    int p;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_NEITHER], model, sizeof(model), SEED), 0);
    ASSERT_EQ(xfer_zero(devices.handle[XFER_DIRECT]), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(devices.handle[XFER_BUFFERED], &info), ERROR_SUCCESS);
    ASSERT_EQ_U64(info.size, sizeof(model));
    ASSERT_EQ_U64(info.bytes_allocated, 0);
    for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++) {
        memset(back, E2E_SENTINEL, sizeof(back));
        ASSERT_EQ(e2e_read_via(devices.handle[p % XFER_MECHANISM_COUNT], (enum e2e_path)p, 0,
                               back, sizeof(back), &done), 0);
        ASSERT_EQ(done, sizeof(back));
        ASSERT_MEM_EQ(back, zeros, sizeof(back));
    }
    e2e_close_all(&devices);
}

TEST(test_bad_lifecycle_handle_closed_while_others_stay_open)
{
    HANDLE first, second;
    uint8_t back[5], data[5] = { 's', 't', 'i', 'l', 'l' };
    DWORD done;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &first), 0);
        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ, &second), 0);
        ASSERT_EQ(xfer_remove(first), ERROR_SUCCESS);
        ASSERT_EQ(xfer_ioctl_write(first, XFER_NEITHER, 0, data, 5), ERROR_SUCCESS);
        CloseHandle(first);
        ASSERT_EQ(xfer_ioctl_read(second, XFER_BUFFERED, 0, back, sizeof(back), &done), 0);
        ASSERT_EQ(done, 5);
        ASSERT_MEM_EQ(back, "still", 5);
        CloseHandle(second);
    }
}

/* On Windows the I/O manager passes a synchronous handle's file position
 * as the offset, and the driver moves it on: consecutive reads walk. */
TEST(test_bad_lifecycle_file_position_walks_the_store)
{
    LARGE_INTEGER start = { .QuadPart = 0 };
    char back[4];
    DWORD done;
    HANDLE h;

    E2E_WINDOWS_ONLY("Wine keeps no file position for a device (SetFilePointerEx fails, the "
                     "offset is 0 unless given)");
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    ASSERT_TRUE(WriteFile(h, "abcdef", 6, &done, NULL));
    ASSERT_TRUE(WriteFile(h, "gh", 2, &done, NULL));   /* at 6, where the first ended */
    ASSERT_TRUE(SetFilePointerEx(h, start, NULL, FILE_BEGIN));
    ASSERT_TRUE(ReadFile(h, back, 3, &done, NULL));
    ASSERT_EQ(done, 3);
    ASSERT_MEM_EQ(back, "abc", 3);
    ASSERT_TRUE(ReadFile(h, back, 4, &done, NULL));
    ASSERT_EQ(done, 4);
    ASSERT_MEM_EQ(back, "defg", 4);
    ASSERT_TRUE(ReadFile(h, back, 4, &done, NULL));
    ASSERT_EQ(done, 1);
    ASSERT_TRUE(ReadFile(h, back, 4, &done, NULL));
    ASSERT_EQ(done, 0);   /* end of file */
    CloseHandle(h);
}

/* On Windows the last CloseHandle of a file object sends CLEANUP, then
 * CLOSE: both traced. */
TEST(test_bad_lifecycle_cleanup_then_close)
{
    static const char *const lines[] = { "Create", "Cleanup", "Close" };
    struct e2e_trace trace = { 0 };
    HANDLE drainer, h;

    E2E_WINDOWS_ONLY("Wine sends no IRP_MJ_CLEANUP (test_wdm1_replay checks its lone Close)");
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &drainer), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_drain(drainer, &trace), ERROR_SUCCESS);
    e2e_trace_free(&trace);
    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &h), ERROR_SUCCESS);
    CloseHandle(h);
    ASSERT_EQ(e2e_trace_drain(drainer, &trace), ERROR_SUCCESS);
    e2e_check_trace(&trace, XFER_DIRECT, lines, 3);
    e2e_trace_free(&trace);
    CloseHandle(drainer);
}

/* A store grown to the limit by SET_SIZE: every write past it is refused
 * on every path and device, the last byte can still be written. */
TEST(test_bad_exhaustion_store_at_its_limit)
{
    static const struct { uint64_t offset; DWORD length; } full[] = {
        { LIMIT, 1 }, { LIMIT - 1, 2 }, { LIMIT - E2E_CHUNK, E2E_CHUNK + 1 }, { LIMIT + 4096, 16 },
    };
    struct e2e_devices devices;
    uint8_t *data = malloc(E2E_CHUNK + 1);
    uint8_t back[16];
    uint64_t size, digest_before, digest_after;
    DWORD done;
    size_t i;
    int m, p;

    ASSERT_TRUE(data != NULL);
    memset(data, 0x5C, E2E_CHUNK + 1);
    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(devices.handle[XFER_BUFFERED]), ERROR_SUCCESS);
    ASSERT_EQ(xfer_set_size(devices.handle[XFER_BUFFERED], LIMIT), ERROR_SUCCESS);
    ASSERT_EQ(e2e_write_via(devices.handle[XFER_NEITHER], E2E_PATH_FILE, 0, data, 16), 0);
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_DIRECT], &size, &digest_before), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++)
        for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++)
            for (i = 0; i < sizeof(full) / sizeof(full[0]) && !unit_failed(); i++)
                ASSERT_EQ(e2e_write_via(devices.handle[m], (enum e2e_path)p, full[i].offset,
                                        data, full[i].length), ERROR_DISK_FULL);
    ASSERT_EQ(xfer_set_size(devices.handle[XFER_DIRECT], LIMIT + 1), ERROR_DISK_FULL);
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_NEITHER], &size, &digest_after), 0);
    ASSERT_EQ_U64(size, LIMIT);
    ASSERT_EQ_U64(digest_after, digest_before);
    /* Up to the limit is fine. */
    ASSERT_EQ(xfer_ioctl_write(devices.handle[XFER_DIRECT], XFER_NEITHER, LIMIT - 16, data, 16), 0);
    ASSERT_EQ(xfer_ioctl_read(devices.handle[XFER_BUFFERED], XFER_DIRECT, LIMIT - 16, back,
                              sizeof(back), &done), 0);
    ASSERT_EQ(done, 16);
    ASSERT_MEM_EQ(back, data, 16);
    ASSERT_EQ(xfer_remove(devices.handle[XFER_BUFFERED]), ERROR_SUCCESS);
    e2e_close_all(&devices);
    free(data);
}

/* A thousand handles at once on the three devices, all served; none of
 * their CREATEs and CLOSEs is counted as a request. */
TEST(test_bad_exhaustion_a_thousand_handles)
{
    static HANDLE handles[HANDLES];
    struct xfer_stats stats;
    uint64_t size, requests = 0;
    int i, opened = 0, served = 0, d, p;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &handles[0]), 0);
    ASSERT_EQ(xfer_get_stats(handles[0], NULL, 1), ERROR_SUCCESS);
    for (opened = 1; opened < HANDLES; opened++)
        if (xfer_open((xfer_mechanism)(opened % XFER_MECHANISM_COUNT),
                      opened % 2 ? GENERIC_READ : GENERIC_READ | GENERIC_WRITE,
                      &handles[opened]) != ERROR_SUCCESS)
            break;
    for (i = 0; i < opened; i += 100)
        served += xfer_get_size(handles[i], &size) == ERROR_SUCCESS;
    for (i = 1; i < opened; i++)
        CloseHandle(handles[i]);
    ASSERT_EQ(opened, HANDLES);
    ASSERT_EQ(served, HANDLES / 100);
    ASSERT_EQ(xfer_get_stats(handles[0], &stats, 0), ERROR_SUCCESS);
    ASSERT_EQ_U64(stats.device[XFER_BUFFERED][XFER_PATH_IOCTL_CONTROL].requests, 1 + 4);
    ASSERT_EQ_U64(stats.device[XFER_DIRECT][XFER_PATH_IOCTL_CONTROL].requests, 3);
    ASSERT_EQ_U64(stats.device[XFER_NEITHER][XFER_PATH_IOCTL_CONTROL].requests, 3);
    for (d = 0; d < XFER_DEVICE_COUNT; d++)
        for (p = 0; p < XFER_PATH_COUNT; p++)
            requests += stats.device[d][p].requests;
    ASSERT_EQ_U64(requests, 1 + HANDLES / 100);
    CloseHandle(handles[0]);
}
