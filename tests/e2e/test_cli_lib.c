/* SPDX-License-Identifier: MIT */
/*
 * libxfer's service management and error text, which xferctl is built on:
 * the service's state, install refused while installed, a whole uninstall
 * and install cycle with a MaxSize (the device gone and back, the limit
 * applied), and xfer_error_message's text, fallback and truncation.
 *
 * The cycle leaves the driver installed from the xfer.sys beside the test
 * program and running with the default limit, as the suite expects.
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define CYCLE_LIMIT (2u * 1048576u + 5u)

TEST(test_cli_lib_status_of_the_running_driver)
{
    DWORD state = 0;

    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);
}

TEST(test_cli_lib_install_refused_when_installed)
{
    struct xfer_info info;
    HANDLE device;
    DWORD state = 0;

    ASSERT_EQ(xfer_service_install(NULL, 4096), ERROR_SERVICE_EXISTS);
    /* Nothing changed: the driver still runs and serves. */
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    CloseHandle(device);
    ASSERT_EQ_U64(info.limit, XFER_DEFAULT_MAX_SIZE);
}

/* Reinstalls and starts the driver with the default limit. */
static void restore_driver(void)
{
    xfer_service_uninstall();
    xfer_service_install(NULL, 0);
    xfer_service_start();
}

static void uninstall_install_cycle(void)
{
    struct xfer_info info;
    HANDLE device;
    DWORD state = 0;
    wchar_t missing[MAX_PATH];

    ASSERT_EQ(xfer_service_uninstall(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SERVICE_DOES_NOT_EXIST);
    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &device), ERROR_FILE_NOT_FOUND);
    ASSERT_EQ(xfer_service_uninstall(), ERROR_SERVICE_DOES_NOT_EXIST);
    ASSERT_EQ(xfer_service_start(), ERROR_SERVICE_DOES_NOT_EXIST);

    /* A driver file that is not there: nothing is installed. */
    ASSERT_TRUE(GetTempPathW(MAX_PATH - 32, missing) != 0);
    wcscat(missing, L"xfer-no-such-driver.sys");
    ASSERT_EQ(xfer_service_install(missing, 0), ERROR_FILE_NOT_FOUND);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SERVICE_DOES_NOT_EXIST);

    ASSERT_EQ(xfer_service_install(NULL, CYCLE_LIMIT), ERROR_SUCCESS);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_STOPPED);
    ASSERT_EQ(xfer_service_install(NULL, 0), ERROR_SERVICE_EXISTS);
    ASSERT_EQ(xfer_service_start(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    CloseHandle(device);
    ASSERT_EQ_U64(info.limit, CYCLE_LIMIT);
    ASSERT_EQ_U64(info.size, 0);

    /* Installing with 0 leaves no MaxSize behind: the default applies. */
    ASSERT_EQ(xfer_service_uninstall(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_service_install(NULL, 0), ERROR_SUCCESS);
    ASSERT_EQ(xfer_service_start(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    CloseHandle(device);
    ASSERT_EQ_U64(info.limit, XFER_DEFAULT_MAX_SIZE);
}

TEST(test_cli_lib_uninstall_install_cycle)
{
    DWORD state = 0;

    uninstall_install_cycle();
    if (unit_failed())
        restore_driver();
    /* Whatever happened, the suite goes on with a running driver. */
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);
}

/* No trailing period, space or line end. */
static int trimmed(const char *text)
{
    size_t length = strlen(text);

    return length > 0 && strchr(" .\r\n\t", text[length - 1]) == NULL &&
           strchr(text, '\n') == NULL && strchr(text, '\r') == NULL;
}

TEST(test_cli_lib_error_message)
{
    static const DWORD known[] = { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_DISK_FULL,
                                   ERROR_SERVICE_EXISTS, ERROR_SERVICE_DOES_NOT_EXIST,
                                   ERROR_INVALID_PARAMETER };
    char text[256], small[8];
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        ASSERT_EQ(xfer_error_message(known[i], text, sizeof(text)), ERROR_SUCCESS);
        if (!trimmed(text))
            unit_fail(__FILE__, __LINE__, "error %lu: \"%s\" is not trimmed",
                      (unsigned long)known[i], text);
        ASSERT_TRUE(strncmp(text, "Win32 error", 11) != 0);
    }
    /* A code with no message. */
    ASSERT_EQ(xfer_error_message(0x2000FFFFu, text, sizeof(text)), ERROR_SUCCESS);
    ASSERT_TRUE(strcmp(text, "Win32 error 536936447") == 0);
    /* Cut short, always terminated. */
    ASSERT_EQ(xfer_error_message(0x2000FFFFu, small, sizeof(small)), ERROR_INSUFFICIENT_BUFFER);
    ASSERT_TRUE(strcmp(small, "Win32 e") == 0);
    ASSERT_EQ(xfer_error_message(ERROR_ACCESS_DENIED, small, 1), ERROR_INSUFFICIENT_BUFFER);
    ASSERT_EQ(small[0], '\0');
    ASSERT_EQ(xfer_error_message(ERROR_ACCESS_DENIED, small, 0), ERROR_INVALID_PARAMETER);
    ASSERT_EQ(xfer_error_message(ERROR_ACCESS_DENIED, NULL, 8), ERROR_INVALID_PARAMETER);
}
