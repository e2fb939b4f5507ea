/* SPDX-License-Identifier: MIT */
/*
 * What the driver settles when it starts, for a shared machine: the
 * descriptor of its control devices (the default, and an administrator's
 * override through the device class's key), and MaxSize's ceiling
 * (XFER_MAX_SIZE_CEILING, per architecture): a registry value above it
 * makes the driver refuse to start, with a debugger line that says why
 * (the e2e-check recipe looks for it in the driver's log: this program
 * cannot read the debugger's output); the ceiling itself is accepted and
 * becomes the store's limit. Restarts the plain service, so not run
 * through the Plug and Play devices.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "class_security.h"
#include "unit.h"

static const char *const device_names[XFER_MECHANISM_COUNT] = { "Buffered", "Direct", "Neither" };

/* Whether the driver's start traced, for every control device, `source`
 * and the DACL `dacl` read back from it. Restarts the driver first. */
static void check_security_traced(const char *source, const char *dacl)
{
    struct e2e_trace trace = { 0 };
    char line[XFER_TRACE_TEXT];
    unsigned found_source = 0, found_dacl = 0;
    size_t i;
    HANDLE h;
    int m;

    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_drain(h, &trace), ERROR_SUCCESS);
    CloseHandle(h);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        for (i = 0; i < trace.count; i++) {
            if (trace.records[i].device != XFER_TRACE_DEVICE_DRIVER)
                continue;
            snprintf(line, sizeof(line), "Security of %s: %s, status 0x00000000",
                     device_names[m], source);
            found_source += strcmp(trace.records[i].text, line) == 0;
            snprintf(line, sizeof(line), "Security of %s is %s", device_names[m], dacl);
            found_dacl += strcmp(trace.records[i].text, line) == 0;
        }
    }
    if (found_source != XFER_MECHANISM_COUNT || found_dacl != XFER_MECHANISM_COUNT)
        unit_fail(__FILE__, __LINE__, "\"%s\" traced %u times and \"%s\" %u times, of 3 devices; "
                  "the first record: \"%s\"", source, found_source, dacl, found_dacl,
                  trace.count != 0 ? trace.records[0].text : "");
    e2e_trace_free(&trace);
}

/* By default SYSTEM and Administrators only, protected: read back from
 * each device object by the driver itself, which is what Wine can show
 * (test_security_devices_open_to_system_and_administrators_only reads it
 * from a handle, on Windows). */
TEST(test_lifecycle_security_default_descriptor)
{
    ASSERT_EQ(xfer_test_set_class_security(NULL, NULL, 0), ERROR_SUCCESS);
    check_security_traced("default: SYSTEM and Administrators only", "D:P(A;;FA;;;SY)(A;;FA;;;BA)");
}

/* An administrator widens it through the class key: here, read access for
 * Everyone. Removing the value brings the default back at the next start.
 * A value that is no descriptor stops the driver from starting. */
TEST(test_lifecycle_security_class_override)
{
    static const BYTE junk[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    DWORD widened, junked, state = 0;

    ASSERT_EQ(xfer_test_set_class_security(L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;WD)", NULL, 0),
              ERROR_SUCCESS);
    check_security_traced("the device class's Security value",
                          "D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x00120089;;;S-1-1-0)");
    ASSERT_EQ(xfer_test_set_class_security(NULL, junk, sizeof(junk)), ERROR_SUCCESS);
    junked = e2e_restart_driver(0);
    xfer_service_status(&state);
    widened = xfer_test_set_class_security(NULL, NULL, 0);
    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);   /* the default again */
    ASSERT_EQ(widened, ERROR_SUCCESS);
    ASSERT_TRUE(junked != ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_STOPPED);
}

TEST(test_lifecycle_max_size_above_the_ceiling_refused)
{
    struct xfer_info info = { 0 };
    DWORD above, status, state = 0, opened, at, info_error = ERROR_INVALID_DATA;
    HANDLE h;

    above = e2e_restart_driver(XFER_MAX_SIZE_CEILING + 1);
    status = xfer_service_status(&state);
    opened = xfer_open(XFER_BUFFERED, GENERIC_READ, &h);
    if (opened == ERROR_SUCCESS)
        CloseHandle(h);
    at = e2e_restart_driver(XFER_MAX_SIZE_CEILING);
    if (at == ERROR_SUCCESS && xfer_open(XFER_BUFFERED, GENERIC_READ, &h) == ERROR_SUCCESS) {
        info_error = xfer_get_info(h, &info);
        CloseHandle(h);
    }
    /* Back to the default limit before any assertion can return, for the
     * tests after. */
    ASSERT_EQ(e2e_restart_driver(0), ERROR_SUCCESS);

    ASSERT_TRUE(above != ERROR_SUCCESS);
    ASSERT_EQ(status, ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_STOPPED);
    ASSERT_EQ(opened, ERROR_FILE_NOT_FOUND);
    ASSERT_EQ(at, ERROR_SUCCESS);
    ASSERT_EQ(info_error, ERROR_SUCCESS);
    ASSERT_EQ_U64(info.limit, XFER_MAX_SIZE_CEILING);
    ASSERT_EQ_U64(info.bytes_allocated, 0);   /* a limit, not an allocation */
}
