/* SPDX-License-Identifier: MIT */
/*
 * Bad offsets on every path (ReadFile, WriteFile and the six transfer
 * IOCTLs) on every device: offsets past 2^63 - 1 (negative as a LONGLONG),
 * offset + length past 2^63 - 1 or wrapping 64 bits, writes whose end
 * passes the limit by one byte or more, offsets that only look small in 32
 * bits, and transfer headers whose reserved field is not 0. Each refusal is
 * exact, moves nothing, leaves the caller's buffer alone and the store as
 * it was; reads at, just before and far past the end are not errors.
 *
 * An offset past 2^63 - 1 is refused whatever the length, 0 included: it
 * is not an offset at all. (ReadFile/WriteFile's -1 and -2 are the I/O
 * manager's markers on Windows and never reach the driver as such: they
 * are left out for that path.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define STORE_SIZE 1000u
#define SEED 71u
#define MAX_LENGTH 64u
#define LIMIT XFER_DEFAULT_MAX_SIZE

struct bad_range {
    uint64_t offset;
    DWORD length;
    DWORD read_error;    /* what a read gets */
    DWORD write_error;   /* what a write gets */
    int file_too;        /* also sent through ReadFile/WriteFile */
};

static const struct bad_range ranges[] = {
    /* Past 2^63 - 1: negative offsets, with and without a length. */
    { 0x8000000000000000ull, 16, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0x8000000000000000ull, 0, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0x8000000000000001ull, 1, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0xFFFFFFFF00000000ull, 16, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0xFFFFFFFFFFFFFFFBull, 4, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0xFFFFFFFFFFFFFFFEull, 4, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 0 },
    { 0xFFFFFFFFFFFFFFFFull, 4, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 0 },
    /* offset + length past 2^63 - 1, or wrapping 64 bits. */
    { 0x7FFFFFFFFFFFFFFFull, 1, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0x7FFFFFFFFFFFFFFEull, 4, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0x7FFFFFFFFFFFFFC0ull, 64, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0x7FFFFFFFFFFFFFC1ull, 64, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 1 },
    { 0xFFFFFFFFFFFFFFF0ull, 32, ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, 0 },
    /* Ends past the limit: a read there is past the end, a write is full. */
    { LIMIT - 10, 11, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },
    { LIMIT, 1, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },
    { LIMIT + 4096, 10, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },
    { 0, (DWORD)MAX_LENGTH, ERROR_SUCCESS, ERROR_SUCCESS, 1 },   /* the control: fine */
    /* Small in 32 bits, not in 64: 4 GiB + 5 is not 5. */
    { 0x100000005ull, 16, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },
    { 0x7FFFFFFF00000000ull, 8, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },
    { 0x7FFFFFFFFFFFFFBFull, 64, ERROR_SUCCESS, ERROR_DISK_FULL, 1 },   /* ends at 2^63 - 1 */
};

#define RANGE_COUNT (sizeof(ranges) / sizeof(ranges[0]))

struct offset_case {
    enum e2e_path path;
    int write;
    xfer_mechanism device;
    char name[64];
};

static struct offset_case cases[E2E_PATH_COUNT * 2 * XFER_MECHANISM_COUNT];

/* The transfer IOCTL's input (header, and for WRITE_BUFFERED the data)
 * for `length` bytes at `offset`; returns its length. */
static DWORD transfer_input(uint8_t *in, const struct offset_case *c, uint64_t offset,
                            uint64_t reserved, DWORD length)
{
    struct xfer_transfer_header header = { offset, reserved };

    memcpy(in, &header, sizeof(header));
    if (!(c->write && c->path == E2E_PATH_IOCTL_BUFFERED))
        return sizeof(header);
    e2e_fill_pattern(in + sizeof(header), length, SEED + 1, 0);
    return (DWORD)sizeof(header) + length;
}

/* One request that must be refused with `expected`, through the case's
 * path; everything checked as after every refusal. */
static void deny(HANDLE h, const struct offset_case *c, uint64_t offset, uint64_t reserved,
                   DWORD length, DWORD expected)
{
    uint8_t in[sizeof(struct xfer_transfer_header) + MAX_LENGTH], buffer[MAX_LENGTH];
    struct e2e_state before;
    DWORD done = E2E_RETURNED_UNSET, error, code, in_length, out_length;

    if (c->path != E2E_PATH_FILE) {
        code = xfer_transfer_code((xfer_mechanism)(c->path - E2E_PATH_IOCTL_BUFFERED), c->write);
        in_length = transfer_input(in, c, offset, reserved, length);
        out_length = c->write && c->path == E2E_PATH_IOCTL_BUFFERED ? 0 : length;
        e2e_expect_refused(h, code, in, in_length, out_length, expected);
        return;
    }
    ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
    memset(buffer, E2E_SENTINEL, sizeof(buffer));
    error = c->write ? xfer_write_at(h, offset, buffer, length, &done)
                     : xfer_read_at(h, offset, buffer, length, &done);
    if (error != expected)
        unit_fail(__FILE__, __LINE__, "%s at 0x%llx length %lu: error %lu, expected %lu",
                  c->write ? "WriteFile" : "ReadFile", (unsigned long long)offset,
                  (unsigned long)length, (unsigned long)error, (unsigned long)expected);
    ASSERT_EQ(done, 0);
    ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), 0));
    e2e_check_unchanged(h, &before);
}

/* A request that must succeed: a read moves what is left from `offset`
 * (nothing past the end), a write (only the control) stores its bytes. */
static void allow(HANDLE h, const struct offset_case *c, const uint8_t *model,
                   uint64_t offset, DWORD length)
{
    uint8_t buffer[MAX_LENGTH + 16];
    DWORD expected = offset < STORE_SIZE ? (DWORD)(STORE_SIZE - offset) : 0, done;

    if (expected > length)
        expected = length;
    if (c->write) {
        /* The control rewrites bytes the store already holds. */
        ASSERT_EQ(e2e_write_via(h, c->path, offset, model + offset, length), ERROR_SUCCESS);
        return;
    }
    memset(buffer, E2E_SENTINEL, sizeof(buffer));
    ASSERT_EQ(e2e_read_via(h, c->path, offset, buffer, length, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, expected);
    ASSERT_MEM_EQ(buffer, model + (offset < STORE_SIZE ? offset : 0), expected);
    ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), expected));
}

static void run_case(const void *arg)
{
    const struct offset_case *c = arg;
    static const uint64_t reserved[] = { 1, 0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull };
    uint64_t size, digest_before, digest_after;
    uint8_t model[STORE_SIZE];
    HANDLE h;
    size_t i;

    ASSERT_EQ(xfer_open(c->device, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(h, model, STORE_SIZE, SEED), ERROR_SUCCESS);
    ASSERT_EQ(e2e_store_digest(h, &size, &digest_before), ERROR_SUCCESS);

    for (i = 0; i < RANGE_COUNT && !unit_failed(); i++) {
        const struct bad_range *r = &ranges[i];
        DWORD expected = c->write ? r->write_error : r->read_error;

        if (c->path == E2E_PATH_FILE && !r->file_too)
            continue;
        if (expected == ERROR_SUCCESS)
            allow(h, c, model, r->offset, r->length);
        else
            deny(h, c, r->offset, 0, r->length, expected);
    }
    /* A good offset with a reserved field that is not 0 (IOCTLs only). */
    for (i = 0; c->path != E2E_PATH_FILE && i < sizeof(reserved) / sizeof(reserved[0]) &&
                !unit_failed(); i++) {
        deny(h, c, 0, reserved[i], 16, ERROR_INVALID_PARAMETER);
        deny(h, c, 0, reserved[i], 0, ERROR_INVALID_PARAMETER);
    }
    UNIT_RETURN_IF_FAILED();

    ASSERT_EQ(e2e_store_digest(h, &size, &digest_after), ERROR_SUCCESS);
    ASSERT_EQ_U64(size, STORE_SIZE);
    ASSERT_EQ_U64(digest_after, digest_before);
    CloseHandle(h);
}

__attribute__((constructor)) static void register_offsets(void)
{
    size_t i = 0;
    int p, w, m;

    for (p = 0; p < E2E_PATH_COUNT; p++) {
        for (w = 0; w < 2; w++) {
            for (m = 0; m < XFER_MECHANISM_COUNT; m++, i++) {
                struct offset_case *c = &cases[i];

                c->path = (enum e2e_path)p;
                c->write = w;
                c->device = (xfer_mechanism)m;
                snprintf(c->name, sizeof(c->name), "test_bad_offset_%s_%s_on_%s",
                         e2e_path_name(c->path), w ? "write" : "read",
                         xfer_mechanism_name(c->device));
                unit_register_case(c->name, run_case, c);
            }
        }
    }
}
