/* SPDX-License-Identifier: MIT */
/*
 * The exception handling around every user-memory access, proven on the
 * platform the suite runs on. Under Wine no client request can make the
 * driver fault (it is handed copies of every buffer), so the driver is
 * restarted with Parameters\SelfTest, which makes DriverEntry copy from and
 * to a reserved, uncommitted user page through probe.c. Both copies must
 * come back STATUS_ACCESS_VIOLATION (0xc0000005), with the driver alive;
 * copies to and from the page once committed must succeed; and the x86
 * exception registration chain (probe.c's frame on x86) must be as it was.
 * On x86, a fault under a frame that passes it on must also be caught, with
 * that frame unwound once on the way.
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define FROM_LINE "SelfTest: copy from an unmapped user page: status 0xc0000005"
#define TO_LINE "SelfTest: copy to an unmapped user page: status 0xc0000005"
#define BOTH_LINE "SelfTest: copy to and from a committed user page: status 0x00000000"
#define LIST_LINE "SelfTest: exception list as before every copy"
#define UNWIND_LINE "SelfTest: fault under a frame that passes it on: status 0xc0000005, " \
                    "that frame unwound 1 time(s)"

struct self_test_lines {
    int from, to, both, list, unwind;
};

/* Reads the whole trace ring; sets each flag of *seen whose line is there. */
static DWORD drain_for_self_test(HANDLE device, struct self_test_lines *seen)
{
    static union {
        struct xfer_trace_batch batch;
        unsigned char bytes[sizeof(struct xfer_trace_batch) + 64 * sizeof(struct xfer_trace_record)];
    } out;
    const struct xfer_trace_record *records =
        (const struct xfer_trace_record *)(out.bytes + sizeof(struct xfer_trace_batch));
    struct xfer_trace_read in = { 0, 0 };   /* from the oldest record */
    DWORD returned;
    uint32_t i;

    memset(seen, 0, sizeof(*seen));
    do {
        if (!DeviceIoControl(device, IOCTL_XFER_READ_TRACE, &in, sizeof(in), &out, sizeof(out),
                             &returned, NULL))
            return GetLastError();
        if (out.batch.count != 0)
            in.after = records[out.batch.count - 1].sequence;
        for (i = 0; i < out.batch.count; i++) {
            if (records[i].device != XFER_TRACE_DEVICE_DRIVER)
                continue;
            seen->from |= strcmp(records[i].text, FROM_LINE) == 0;
            seen->to |= strcmp(records[i].text, TO_LINE) == 0;
            seen->both |= strcmp(records[i].text, BOTH_LINE) == 0;
            seen->list |= strcmp(records[i].text, LIST_LINE) == 0;
            seen->unwind |= strcmp(records[i].text, UNWIND_LINE) == 0;
        }
    } while (out.batch.count != 0);
    return ERROR_SUCCESS;
}

static void check_self_test(void)
{
    uint8_t byte = 0x5A, back = 0;
    HANDLE device;
    struct self_test_lines seen;
    DWORD done, error;

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &device), ERROR_SUCCESS);
    error = drain_for_self_test(device, &seen);
    /* And the driver that took the faults still serves. */
    if (error == ERROR_SUCCESS)
        error = xfer_write_at(device, 0, &byte, 1, &done);
    if (error == ERROR_SUCCESS)
        error = xfer_read_at(device, 0, &back, 1, &done);
    CloseHandle(device);
    ASSERT_EQ(error, ERROR_SUCCESS);
    ASSERT_TRUE(seen.from);
    ASSERT_TRUE(seen.to);
    ASSERT_TRUE(seen.both);
    ASSERT_TRUE(seen.list);
#if defined(__i386__)
    ASSERT_TRUE(seen.unwind);   /* x86 only: guard.S's frame-based handler */
#endif
    ASSERT_EQ(back, byte);
}

TEST(test_selftest_probe_helper_survives_faults)
{
    ASSERT_EQ(xfer_service_set_parameter(XFER_REG_SELF_TEST, 1), ERROR_SUCCESS);
    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);
    check_self_test();
    /* Back to a plain driver whatever happened, for the tests after. */
    ASSERT_EQ(xfer_service_set_parameter(XFER_REG_SELF_TEST, 0), ERROR_SUCCESS);
    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);
}
