/* SPDX-License-Identifier: MIT */
/*
 * The book's Wdm1Test program, replayed on each device: the sequence of
 * Listing 7.1 (ReadFile/WriteFile, then the four Wdm1 IOCTLs, then an
 * unknown code), with every result and every byte checked, and the
 * driver's own trace of the sequence compared line by line with what
 * Listing 7.1 says, in xfer's words.
 *
 * The sequence runs on a handle of its own, so its Create and Close are in
 * the trace too; a second handle empties the store and drains the trace
 * before and after (READ_TRACE is not itself traced).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

/* Wdm1Test's fifth code, one past its four: here the function after
 * GET_BUFFER, which xfer does not define. */
#define IOCTL_UNKNOWN XFER_CTL(0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define MAX_LINES 40
#define LINE_LENGTH XFER_TRACE_TEXT

struct expected_trace {
    char text[MAX_LINES][LINE_LENGTH];
    const char *lines[MAX_LINES];
    size_t count;
};

static void expect_line(struct expected_trace *expected, const char *format, ...)
    __attribute__((format(gnu_printf, 2, 3)));

static void expect_line(struct expected_trace *expected, const char *format, ...)
{
    va_list ap;

    if (expected->count == MAX_LINES)
        return;   /* replay() checks the count */
    va_start(ap, format);
    vsnprintf(expected->text[expected->count], LINE_LENGTH, format, ap);
    va_end(ap);
    expected->lines[expected->count] = expected->text[expected->count];
    expected->count++;
}

static void expect_control(struct expected_trace *expected, DWORD code, DWORD in, DWORD out)
{
    expect_line(expected, "DeviceIoControl: Control code 0x%08lX InputLength %lu OutputLength %lu",
                (unsigned long)code, (unsigned long)in, (unsigned long)out);
}

static void expect_write(struct expected_trace *expected, const char *data, uint64_t offset,
                         HANDLE device)
{
    DWORD done;

    expect_line(expected, "Write %zu bytes at offset %llu", strlen(data),
                (unsigned long long)offset);
    expect_line(expected, "Write: %zu bytes written", strlen(data));
    ASSERT_EQ(xfer_write_at(device, offset, data, (DWORD)strlen(data), &done), ERROR_SUCCESS);
    ASSERT_EQ(done, strlen(data));
}

static void expect_read(struct expected_trace *expected, uint64_t offset, const char *data,
                        HANDLE device)
{
    char back[16];
    DWORD done;

    memset(back, E2E_SENTINEL, sizeof(back));
    expect_line(expected, "Read %zu bytes from offset %llu", strlen(data),
                (unsigned long long)offset);
    expect_line(expected, "Read: %zu bytes returned", strlen(data));
    ASSERT_EQ(xfer_read_at(device, offset, back, (DWORD)strlen(data), &done), ERROR_SUCCESS);
    ASSERT_EQ(done, strlen(data));
    ASSERT_MEM_EQ(back, data, strlen(data));
    ASSERT_TRUE(e2e_untouched_from((uint8_t *)back, sizeof(back), strlen(data)));
}

static void expect_size(struct expected_trace *expected, uint64_t size, HANDLE device)
{
    uint64_t got;

    expect_control(expected, IOCTL_XFER_GET_SIZE, 0, sizeof(got));
    expect_line(expected, "DeviceIoControl: %zu bytes written", sizeof(got));
    ASSERT_EQ(xfer_get_size(device, &got), ERROR_SUCCESS);
    ASSERT_EQ_U64(got, size);
}

static void expect_buffer(struct expected_trace *expected, const void *bytes, DWORD length,
                          HANDLE device)
{
    uint8_t back[16];
    DWORD done;

    memset(back, E2E_SENTINEL, sizeof(back));
    expect_control(expected, IOCTL_XFER_GET_BUFFER, 0, length);
    expect_line(expected, "DeviceIoControl: %lu bytes written", (unsigned long)length);
    ASSERT_EQ(xfer_get_buffer(device, back, length, &done), ERROR_SUCCESS);
    ASSERT_EQ(done, length);
    ASSERT_MEM_EQ(back, bytes, length);
    ASSERT_TRUE(e2e_untouched_from(back, sizeof(back), length));
}

static void expect_no_output(struct expected_trace *expected, DWORD code, HANDLE device)
{
    expect_control(expected, code, 0, 0);
    expect_line(expected, "DeviceIoControl: 0 bytes written");
    ASSERT_EQ(code == IOCTL_XFER_ZERO_BUFFER ? xfer_zero(device) : xfer_remove(device),
              ERROR_SUCCESS);
}

/* A request the driver refuses, with its status in the trace. (The store
 * is not looked at here, which would add lines to the trace: the requests
 * that follow show it, and the bad-input suite checks it after each.) */
static void expect_refusal(struct expected_trace *expected, HANDLE device, DWORD code,
                           DWORD out_length, DWORD error, unsigned long status)
{
    uint8_t out[16];
    DWORD returned;

    expect_control(expected, code, 0, out_length);
    expect_line(expected, "DeviceIoControl: failed, status 0x%08lx", status);
    memset(out, E2E_SENTINEL, sizeof(out));
    ASSERT_TRUE(out_length <= sizeof(out));
    ASSERT_EQ(e2e_ioctl(device, code, NULL, 0, out, out_length, &returned), error);
    ASSERT_TRUE(e2e_returned_nothing(returned));
    ASSERT_TRUE(e2e_untouched_from(out, sizeof(out), 0));
}

/* Listing 7.1's requests, in its order; `expected` gets their lines. */
static void run_sequence(struct expected_trace *expected, HANDLE device)
{
    static const uint8_t zeros[7];

    expect_write(expected, "abcd", 0, device);
    expect_read(expected, 0, "abcd", device);
    expect_write(expected, "efgh", 0, device);
    expect_read(expected, 3, "h", device);
    expect_write(expected, "ijkl", 3, device);
    expect_size(expected, 7, device);
    expect_buffer(expected, "efgijkl", 7, device);
    /* One byte more than the store holds: refused, as in Wdm1. */
    expect_refusal(expected, device, IOCTL_XFER_GET_BUFFER, 8, ERROR_INVALID_PARAMETER,
                   0xc000000dul);
    expect_no_output(expected, IOCTL_XFER_ZERO_BUFFER, device);
    expect_buffer(expected, zeros, 7, device);
    expect_no_output(expected, IOCTL_XFER_REMOVE_BUFFER, device);
    expect_size(expected, 0, device);
    expect_refusal(expected, device, IOCTL_UNKNOWN, 0, ERROR_INVALID_FUNCTION, 0xc0000010ul);
    expect_write(expected, "mnop", 0, device);
}

static void replay(const void *arg)
{
    xfer_mechanism mechanism = *(const xfer_mechanism *)arg;
    struct expected_trace expected = { .count = 0 };
    struct e2e_trace trace = { 0 };
    HANDLE control, device = INVALID_HANDLE_VALUE;
    uint8_t back[8];
    DWORD done;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &control), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(control), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_drain(control, &trace), ERROR_SUCCESS);
    e2e_trace_free(&trace);

    expect_line(&expected, "Create");
    if (xfer_open(mechanism, GENERIC_READ | GENERIC_WRITE, &device) != ERROR_SUCCESS)
        unit_fail(__FILE__, __LINE__, "cannot open the %s device", xfer_mechanism_name(mechanism));
    else
        run_sequence(&expected, device);
    if (device != INVALID_HANDLE_VALUE)
        CloseHandle(device);
    /* Windows sends CLEANUP as the last handle of a file object closes;
     * Wine sends only CLOSE. */
    if (!e2e_is_wine())
        expect_line(&expected, "Cleanup");
    expect_line(&expected, "Close");

    if (!unit_failed() && e2e_trace_drain(control, &trace) != ERROR_SUCCESS)
        unit_fail(__FILE__, __LINE__, "cannot drain the trace");
    if (!unit_failed() && expected.count == MAX_LINES)
        unit_fail(__FILE__, __LINE__, "raise MAX_LINES");
    if (!unit_failed())
        e2e_check_trace(&trace, (uint32_t)mechanism, expected.lines, expected.count);
    e2e_trace_free(&trace);

    /* The last write is in the store, through another device. */
    if (!unit_failed()) {
        memset(back, E2E_SENTINEL, sizeof(back));
        if (xfer_read_at(control, 0, back, sizeof(back), &done) != ERROR_SUCCESS || done != 4 ||
            memcmp(back, "mnop", 4) != 0)
            unit_fail(__FILE__, __LINE__, "the store does not hold the last write");
    }
    CloseHandle(control);
}

__attribute__((constructor)) static void register_replay(void)
{
    static const xfer_mechanism mechanisms[XFER_MECHANISM_COUNT] = {
        XFER_BUFFERED, XFER_DIRECT, XFER_NEITHER,
    };
    static char names[XFER_MECHANISM_COUNT][48];
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        snprintf(names[m], sizeof(names[m]), "test_wdm1_replay_%s",
                 xfer_mechanism_name(mechanisms[m]));
        unit_register_case(names[m], replay, &mechanisms[m]);
    }
}
