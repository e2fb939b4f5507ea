/* SPDX-License-Identifier: MIT */
/*
 * Each WAIT_CHANGE completed exactly once, seen from the driver's side: its
 * counters (GET_STATS counts a request when it completes, so a request
 * completed twice would count twice) and its trace (one line when it is
 * queued, one when it ends). Waits go to the Neither device only and
 * everything else to the Buffered one, so Neither's counters are the
 * waits' alone.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define WAIT_STATUS_LINE "DeviceIoControl: Control code 0x8E7F60C0 InputLength 16 OutputLength 40"

/* Neither's "other IOCTLs" counter, read through `h` (a Buffered handle). */
static void neither_counter(HANDLE h, struct xfer_counter *counter)
{
    static struct xfer_stats stats;

    memset(counter, 0xFF, sizeof(*counter));
    ASSERT_EQ(xfer_get_stats(h, &stats, 0), 0);
    *counter = stats.device[XFER_NEITHER][XFER_PATH_IOCTL_CONTROL];
}

/* Five waits end five ways: a change, at once (one behind), CancelIoEx,
 * the handle closed, refused (a short output). */
TEST(test_wait_counted_once_each)
{
    struct xfer_counter before, after;
    struct xfer_wait_change in = { 0, 0 };
    struct xfer_wait first, second, third;
    struct xfer_change change;
    struct xfer_info info;
    uint8_t byte = 7, small[39];
    HANDLE h, waiter, doomed;
    DWORD done, returned;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &waiter), 0);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &doomed), 0);
    neither_counter(h, &before);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(xfer_get_info(h, &info), 0);

    ASSERT_EQ(xfer_wait_start(waiter, info.generation, &first), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    ASSERT_EQ(xfer_write_at(h, 0, &byte, 1, &done), 0);
    ASSERT_EQ(xfer_wait_finish(waiter, &first, 1, &change), 0);
    /* One change behind: answered at once, with that change. */
    ASSERT_EQ(xfer_wait_change(waiter, info.generation, &change), 0);
    ASSERT_EQ(change.kind, XFER_CHANGE_WRITE);

    ASSERT_EQ(xfer_wait_start(waiter, info.generation + 1, &second), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_wait_start(doomed, info.generation + 1, &third), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 2), 0);
    ASSERT_EQ(xfer_wait_cancel(waiter, &second), 0);
    ASSERT_EQ(xfer_wait_finish(waiter, &second, 1, NULL), ERROR_OPERATION_ABORTED);
    CloseHandle(doomed);
    ASSERT_EQ(WaitForSingleObject(third.overlapped.hEvent, 20000), WAIT_OBJECT_0);
    CloseHandle(third.overlapped.hEvent);
    in.generation = info.generation + 1;
    ASSERT_EQ(e2e_ioctl(waiter, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), small, sizeof(small),
                        &returned), ERROR_INSUFFICIENT_BUFFER);
    ASSERT_EQ(e2e_wait_pending(h, 0), 0);

    neither_counter(h, &after);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ_U64(after.requests - before.requests, 5);
    ASSERT_EQ_U64(after.errors - before.errors, 3);
    ASSERT_EQ_U64(after.bytes - before.bytes, 2 * sizeof(struct xfer_change));
    CloseHandle(waiter);
    CloseHandle(h);
    e2e_check_no_waiters();
}

/* The Neither device's trace of a wait that pends and is completed by a
 * change made through the Buffered device. */
TEST(test_wait_counted_traced)
{
    struct e2e_trace trace;
    struct xfer_wait wait;
    struct xfer_info info;
    char ended[XFER_TRACE_TEXT];
    const char *expected[3];
    uint8_t byte = 3;
    HANDLE h, waiter;
    size_t i, n = 0;
    DWORD done;

    memset(&trace, 0, sizeof(trace));
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &waiter), 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ(e2e_trace_drain(h, &trace), 0);
    e2e_trace_free(&trace);

    ASSERT_EQ(xfer_wait_start(waiter, info.generation, &wait), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    ASSERT_EQ(xfer_write_at(h, 11, &byte, 1, &done), 0);
    ASSERT_EQ(xfer_wait_finish(waiter, &wait, 1, NULL), 0);
    ASSERT_EQ(e2e_trace_drain(h, &trace), 0);

    snprintf(ended, sizeof(ended), "WaitChange: generation %llu, kind 1, 1 bytes at offset 11",
             (unsigned long long)info.generation + 1);
    expected[0] = WAIT_STATUS_LINE;
    expected[1] = "DeviceIoControl: pending";
    expected[2] = ended;
    for (i = 0; i < trace.count && !unit_failed(); i++) {
        if (trace.records[i].device != XFER_NEITHER)
            continue;
        if (n == 3 || strcmp(trace.records[i].text, expected[n]) != 0)
            unit_fail(__FILE__, __LINE__, "Neither's trace line %zu: \"%s\", expected \"%s\"", n,
                      trace.records[i].text, n < 3 ? expected[n] : "(none)");
        n++;
    }
    e2e_trace_free(&trace);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(n, 3);
    CloseHandle(waiter);
    CloseHandle(h);
    e2e_check_no_waiters();
}
