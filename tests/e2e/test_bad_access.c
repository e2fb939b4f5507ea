/* SPDX-License-Identifier: MIT */
/*
 * Access control. Each IOCTL code carries the access it needs, and the I/O
 * manager checks it against the handle before the driver sees the request:
 * what reveals the store's contents, size, counters, changes or the trace
 * needs read access (FILE_READ_DATA); what changes the store or the
 * counters needs write access (FILE_WRITE_DATA); no code is
 * FILE_ANY_ACCESS, so a handle opened for neither (FILE_READ_ATTRIBUTES,
 * or no access at all) can send none. The table below is the one in
 * docs/interface.md. And the dispatch compares whole codes: every known
 * function rebuilt with another method or another access value, or under
 * another device type, is an unknown code.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define STORE_SIZE 4096u
#define SEED 91u
#define LENGTH 16u

/* A request as the access tests send it: the code and what it needs. */
struct request {
    const char *name;
    DWORD code;
    DWORD in_length;    /* of a valid input: a header, a size, or none */
    DWORD out_length;   /* of a valid output (the data of WRITE_DIRECT/NEITHER) */
};

static const struct request requests[] = {
    { "zero", IOCTL_XFER_ZERO_BUFFER, 0, 0 },
    { "remove", IOCTL_XFER_REMOVE_BUFFER, 0, 0 },
    { "get_size", IOCTL_XFER_GET_SIZE, 0, sizeof(uint64_t) },
    { "get_buffer", IOCTL_XFER_GET_BUFFER, 0, LENGTH },
    { "read_buffered", IOCTL_XFER_READ_BUFFERED, sizeof(struct xfer_transfer_header), LENGTH },
    { "read_direct", IOCTL_XFER_READ_DIRECT, sizeof(struct xfer_transfer_header), LENGTH },
    { "read_neither", IOCTL_XFER_READ_NEITHER, sizeof(struct xfer_transfer_header), LENGTH },
    { "write_buffered", IOCTL_XFER_WRITE_BUFFERED, sizeof(struct xfer_transfer_header) + LENGTH,
      0 },
    { "write_direct", IOCTL_XFER_WRITE_DIRECT, sizeof(struct xfer_transfer_header), LENGTH },
    { "write_neither", IOCTL_XFER_WRITE_NEITHER, sizeof(struct xfer_transfer_header), LENGTH },
    { "set_size", IOCTL_XFER_SET_SIZE, sizeof(struct xfer_set_size), 0 },
    { "get_info", IOCTL_XFER_GET_INFO, 0, sizeof(struct xfer_info) },
    { "get_stats", IOCTL_XFER_GET_STATS, 0, sizeof(struct xfer_stats) },
    { "reset_stats", IOCTL_XFER_RESET_STATS, 0, sizeof(struct xfer_stats) },
    { "read_trace", IOCTL_XFER_READ_TRACE, sizeof(struct xfer_trace_read),
      sizeof(struct xfer_trace_batch) + sizeof(struct xfer_trace_record) },
    { "wait_change", IOCTL_XFER_WAIT_CHANGE, sizeof(struct xfer_wait_change),
      sizeof(struct xfer_change) },
};

/* The access each code needs, as docs/interface.md states it: written out
 * here, not taken from the code, so that a code whose access bits change
 * fails this test. */
static const struct {
    DWORD code;
    DWORD access;
} needs[] = {
    { IOCTL_XFER_ZERO_BUFFER, FILE_WRITE_DATA },   { IOCTL_XFER_REMOVE_BUFFER, FILE_WRITE_DATA },
    { IOCTL_XFER_GET_SIZE, FILE_READ_DATA },       { IOCTL_XFER_GET_BUFFER, FILE_READ_DATA },
    { IOCTL_XFER_READ_BUFFERED, FILE_READ_DATA },  { IOCTL_XFER_READ_DIRECT, FILE_READ_DATA },
    { IOCTL_XFER_READ_NEITHER, FILE_READ_DATA },   { IOCTL_XFER_WRITE_BUFFERED, FILE_WRITE_DATA },
    { IOCTL_XFER_WRITE_DIRECT, FILE_WRITE_DATA },  { IOCTL_XFER_WRITE_NEITHER, FILE_WRITE_DATA },
    { IOCTL_XFER_SET_SIZE, FILE_WRITE_DATA },      { IOCTL_XFER_GET_INFO, FILE_READ_DATA },
    { IOCTL_XFER_GET_STATS, FILE_READ_DATA },      { IOCTL_XFER_RESET_STATS, FILE_WRITE_DATA },
    { IOCTL_XFER_READ_TRACE, FILE_READ_DATA },     { IOCTL_XFER_WAIT_CHANGE, FILE_READ_DATA },
};

#define REQUEST_COUNT (sizeof(requests) / sizeof(requests[0]))

/* A valid input for every code at once: a header at offset 0 (whose first
 * eight bytes, as a struct xfer_set_size, resize to 0; as a struct
 * xfer_trace_read or xfer_wait_change, read from the oldest record or wait
 * from generation 0, which the store has left), then data. */
static const uint8_t valid_input[sizeof(struct xfer_transfer_header) + LENGTH];

static DWORD needed(DWORD code)
{
    size_t i;

    for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
        if (needs[i].code == code)
            return needs[i].access;
    return ~0u;   /* not in the table: allowed to no one */
}

#define CAN_READ(access) (((access) & (GENERIC_READ | FILE_READ_DATA)) != 0)
#define CAN_WRITE(access) (((access) & (GENERIC_WRITE | FILE_WRITE_DATA)) != 0)

/* Whether a handle opened with `access` may send `code`. */
static int allowed(DWORD access, DWORD code)
{
    DWORD need = needed(code);

    if (need == ~0u)
        return 0;
    if ((need & FILE_READ_DATA) && !CAN_READ(access))
        return 0;
    if ((need & FILE_WRITE_DATA) && !CAN_WRITE(access))
        return 0;
    return 1;
}

/* The table and the codes agree, and no code is FILE_ANY_ACCESS. */
TEST(test_bad_access_table_matches_the_codes)
{
    size_t i;

    ASSERT_EQ(sizeof(needs) / sizeof(needs[0]), REQUEST_COUNT);
    for (i = 0; i < REQUEST_COUNT; i++) {
        ASSERT_EQ(E2E_ACCESS(requests[i].code), needed(requests[i].code));
        ASSERT_TRUE(E2E_ACCESS(requests[i].code) != FILE_ANY_ACCESS);
    }
}

/* Every code on a handle of `access` on every device: the ones it lacks
 * the access for are refused with ERROR_ACCESS_DENIED and change nothing;
 * the others go through. So do ReadFile and WriteFile. */
static void check_access(DWORD access)
{
    struct e2e_devices devices;
    uint8_t model[STORE_SIZE], out[sizeof(struct xfer_stats)];
    DWORD returned, done;
    HANDLE h;
    size_t i;
    int m;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_open((xfer_mechanism)m, access, &h), ERROR_SUCCESS);
        for (i = 0; i < REQUEST_COUNT && !unit_failed(); i++) {
            const struct request *r = &requests[i];

            /* The store the allowed requests work on, again each time. */
            ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
            if (!allowed(access, r->code)) {
                e2e_expect_refused(h, r->code, valid_input, r->in_length, r->out_length,
                                   ERROR_ACCESS_DENIED);
                continue;
            }
            memset(out, 0, sizeof(out));
            if (e2e_ioctl(h, r->code, valid_input, r->in_length, out, r->out_length,
                          &returned) != ERROR_SUCCESS)
                unit_fail(__FILE__, __LINE__, "%s on a handle of access 0x%lx: error %lu",
                          r->name, (unsigned long)access, (unsigned long)GetLastError());
        }
        UNIT_RETURN_IF_FAILED();
        memset(out, E2E_SENTINEL, sizeof(out));
        done = E2E_RETURNED_UNSET;
        ASSERT_EQ(xfer_read_at(h, 0, out, LENGTH, &done),
                  CAN_READ(access) ? ERROR_SUCCESS : ERROR_ACCESS_DENIED);
        ASSERT_EQ(done, CAN_READ(access) ? LENGTH : 0);
        ASSERT_TRUE(e2e_untouched_from(out, sizeof(out), done));
        ASSERT_EQ(xfer_write_at(h, 0, model, LENGTH, &done),
                  CAN_WRITE(access) ? ERROR_SUCCESS : ERROR_ACCESS_DENIED);
        CloseHandle(h);
    }
    e2e_close_all(&devices);
}

TEST(test_bad_access_read_only_handle)
{
    check_access(GENERIC_READ);
}

TEST(test_bad_access_write_only_handle)
{
    check_access(GENERIC_WRITE);
}

TEST(test_bad_access_handle_without_access)
{
    check_access(0);
}

TEST(test_bad_access_read_data_only_handle)
{
    check_access(FILE_READ_DATA);
}

TEST(test_bad_access_write_data_only_handle)
{
    check_access(FILE_WRITE_DATA);
}

TEST(test_bad_access_read_attributes_only_handle)
{
    check_access(FILE_READ_ATTRIBUTES);
}

TEST(test_bad_access_read_write_handle)
{
    check_access(GENERIC_READ | GENERIC_WRITE);
}

/* The known functions, rebuilt with every other method and access value,
 * and the Wdm1 sample's own codes: all unknown. */
TEST(test_bad_access_rebuilt_codes_are_unknown)
{
    static const DWORD wdm1_codes[] = {
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS),
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS),
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS),
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS),
    };
    struct e2e_devices devices;
    uint8_t model[STORE_SIZE];
    DWORD method, access, code;
    size_t i, tried = 0;
    HANDLE h;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
    for (i = 0; i < REQUEST_COUNT && !unit_failed(); i++) {
        DWORD function = (requests[i].code >> 2) & 0xFFFu;

        h = devices.handle[i % XFER_MECHANISM_COUNT];
        for (method = 0; method < 4 && !unit_failed(); method++) {
            for (access = 0; access < 4 && !unit_failed(); access++) {
                code = XFER_CTL(function, method, access);
                if (code == requests[i].code)
                    continue;
                e2e_expect_refused(h, code, valid_input, requests[i].in_length,
                                   requests[i].out_length, ERROR_INVALID_FUNCTION);
                tried++;
            }
        }
        /* The same function under another device type. */
        code = CTL_CODE(FILE_DEVICE_UNKNOWN, function, E2E_METHOD(requests[i].code),
                        E2E_ACCESS(requests[i].code));
        if (!unit_failed())
            e2e_expect_refused(h, code, valid_input, requests[i].in_length,
                               requests[i].out_length, ERROR_INVALID_FUNCTION);
    }
    for (i = 0; i < sizeof(wdm1_codes) / sizeof(wdm1_codes[0]) && !unit_failed(); i++)
        e2e_expect_refused(devices.handle[XFER_DIRECT], wdm1_codes[i], NULL, 0, 8,
                           ERROR_INVALID_FUNCTION);
    ASSERT_EQ(tried, REQUEST_COUNT * 15);
    e2e_close_all(&devices);
}
