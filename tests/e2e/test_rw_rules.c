/* SPDX-License-Identifier: MIT */
/*
 * The rules of ReadFile/WriteFile on every device: zero length, bad
 * offsets, offsets that only look small in 32 bits, handle access, names
 * below a device, and the store's limit. Every refused request is checked
 * for its exact error, 0 bytes moved, the caller's buffer untouched, and
 * the store's size and bytes unchanged.
 */
#include <string.h>
#include <wchar.h>
#include "e2e.h"
#include "unit.h"

#define SEED 7u
#define PROBE_LENGTH 64u

/* A store of `size` pattern bytes, written through the Buffered device. */
static void prepare_store(struct e2e_devices *devices, uint32_t size)
{
    static uint8_t data[200000];
    DWORD done;

    ASSERT_TRUE(size <= sizeof(data));
    ASSERT_EQ(xfer_remove(devices->handle[XFER_BUFFERED]), ERROR_SUCCESS);
    e2e_fill_pattern(data, size, SEED, 0);
    ASSERT_EQ(xfer_write_at(devices->handle[XFER_BUFFERED], 0, data, size, &done), ERROR_SUCCESS);
}

/* A read and a write at `offset` are both refused with `error` on every
 * device, moving nothing and changing nothing. */
static void check_refused(struct e2e_devices *devices, uint64_t offset, DWORD length,
                          DWORD expected_error)
{
    uint8_t buffer[PROBE_LENGTH];
    uint64_t size_before, digest_before, size_after, digest_after;
    DWORD done;
    int m;

    ASSERT_TRUE(length <= sizeof(buffer));
    ASSERT_EQ(e2e_store_digest(devices->handle[XFER_BUFFERED], &size_before, &digest_before),
              ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        memset(buffer, E2E_SENTINEL, sizeof(buffer));
        ASSERT_EQ(xfer_read_at(devices->handle[m], offset, buffer, length, &done), expected_error);
        ASSERT_EQ(done, 0);
        ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), 0));

        e2e_fill_pattern(buffer, sizeof(buffer), SEED + 1, 0);
        ASSERT_EQ(xfer_write_at(devices->handle[m], offset, buffer, length, &done), expected_error);
        ASSERT_EQ(done, 0);
    }
    ASSERT_EQ(e2e_store_digest(devices->handle[XFER_DIRECT], &size_after, &digest_after),
              ERROR_SUCCESS);
    ASSERT_EQ_U64(size_after, size_before);
    ASSERT_EQ_U64(digest_after, digest_before);
}

TEST(test_rw_negative_offsets_refused)
{
    /* -1 and -2 are the I/O manager's "end of file" and "file position"
     * markers on Windows; every other negative offset reaches the driver. */
    static const uint64_t negatives[] = {
        0x8000000000000000ull, 0xFFFFFFFFFFFFFFFBull, 0xFFFFFFFF00000000ull, 0x8000000000000001ull,
    };
    struct e2e_devices devices;
    size_t i;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    prepare_store(&devices, 1000);
    for (i = 0; i < sizeof(negatives) / sizeof(negatives[0]) && !unit_failed(); i++)
        check_refused(&devices, negatives[i], 16, ERROR_INVALID_PARAMETER);
    e2e_close_all(&devices);
}

TEST(test_rw_offset_plus_length_past_int64_refused)
{
    static const struct { uint64_t offset; DWORD length; } ranges[] = {
        { 0x7FFFFFFFFFFFFFFFull, 1 },
        { 0x7FFFFFFFFFFFFFFEull, 4 },
        { 0x7FFFFFFFFFFFFFC1ull, 64 },
    };
    struct e2e_devices devices;
    size_t i;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    prepare_store(&devices, 1000);
    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]) && !unit_failed(); i++)
        check_refused(&devices, ranges[i].offset, ranges[i].length, ERROR_INVALID_PARAMETER);
    e2e_close_all(&devices);
}

/* An offset whose low 32 bits are small must not land at those low bits:
 * with the default 64 MiB limit, a write at 4 GiB + 5 is past the limit,
 * and a read there is past the end. Offset 5 keeps its byte. */
TEST(test_rw_offset_not_truncated_to_32_bits)
{
    static const uint64_t high = 0x100000005ull;
    struct e2e_devices devices;
    uint8_t buffer[PROBE_LENGTH], expected[PROBE_LENGTH];
    DWORD done;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    prepare_store(&devices, 1000);
    check_refused(&devices, high, 0, ERROR_SUCCESS);   /* zero length: fine anywhere */
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        e2e_fill_pattern(buffer, sizeof(buffer), SEED + 2, 0);
        ASSERT_EQ(xfer_write_at(devices.handle[m], high, buffer, 16, &done), ERROR_DISK_FULL);
        ASSERT_EQ(done, 0);
        memset(buffer, E2E_SENTINEL, sizeof(buffer));
        ASSERT_EQ(xfer_read_at(devices.handle[m], high, buffer, 16, &done), ERROR_SUCCESS);
        ASSERT_EQ(done, 0);
        ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), 0));
        ASSERT_EQ(xfer_read_at(devices.handle[m], 5, buffer, 16, &done), ERROR_SUCCESS);
        e2e_fill_pattern(expected, 16, SEED, 5);
        ASSERT_MEM_EQ(buffer, expected, 16);
    }
    e2e_close_all(&devices);
}

TEST(test_rw_zero_length_changes_nothing)
{
    static const uint64_t where[] = { 0, 999, 1000, 1001, 1u << 20, 0x7FFFFFFFFFFFFFFFull };
    struct e2e_devices devices;
    size_t i;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    prepare_store(&devices, 1000);
    /* check_refused with ERROR_SUCCESS: success, 0 bytes, store unchanged. */
    for (i = 0; i < sizeof(where) / sizeof(where[0]) && !unit_failed(); i++)
        check_refused(&devices, where[i], 0, ERROR_SUCCESS);
    e2e_close_all(&devices);
}

TEST(test_rw_read_only_handle_cannot_write)
{
    uint8_t data[32] = "must not land";
    uint64_t size_before, digest_before, size_after, digest_after;
    struct e2e_devices devices;
    HANDLE handle;
    DWORD done;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    prepare_store(&devices, 1000);
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_BUFFERED], &size_before, &digest_before), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ, &handle), ERROR_SUCCESS);
        ASSERT_EQ(xfer_write_at(handle, 0, data, sizeof(data), &done), ERROR_ACCESS_DENIED);
        ASSERT_EQ(done, 0);
        ASSERT_EQ(xfer_write_at(handle, 5000, data, sizeof(data), &done), ERROR_ACCESS_DENIED);
        ASSERT_EQ(xfer_read_at(handle, 0, data, sizeof(data), &done), ERROR_SUCCESS);
        ASSERT_EQ(done, sizeof(data));
        CloseHandle(handle);

        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_WRITE, &handle), ERROR_SUCCESS);
        ASSERT_EQ(xfer_read_at(handle, 0, data, sizeof(data), &done), ERROR_ACCESS_DENIED);
        ASSERT_EQ(done, 0);
        CloseHandle(handle);
    }
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_BUFFERED], &size_after, &digest_after), 0);
    ASSERT_EQ_U64(size_after, size_before);
    ASSERT_EQ_U64(digest_after, digest_before);
    e2e_close_all(&devices);
}

/* Below each device, whichever way it is reached: its Plug and Play
 * interface path or the plain service's \\.\Xfer* name. */
TEST(test_rw_names_below_a_device_refused)
{
    static const wchar_t *suffixes[XFER_MECHANISM_COUNT] = { L"\\file", L"\\a\\b", L"\\x" };
    wchar_t name[XFER_INTERFACE_PATH_MAX + 8];
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        HANDLE handle;
        DWORD error;

        if (xfer_interface_path((xfer_mechanism)m, name, XFER_INTERFACE_PATH_MAX) != ERROR_SUCCESS)
            wcscpy(name, xfer_device_path((xfer_mechanism)m));
        wcscat(name, suffixes[m]);
        handle = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        error = GetLastError();
        if (handle != INVALID_HANDLE_VALUE)
            CloseHandle(handle);
        ASSERT_TRUE(handle == INVALID_HANDLE_VALUE);
        ASSERT_EQ(error, ERROR_FILE_NOT_FOUND);
    }
}
