/* SPDX-License-Identifier: MIT */
/*
 * libxfer's service management and error text, which xferctl is built on:
 * the service's state, install refused while installed, a whole uninstall
 * and install cycle with a MaxSize (the device gone and back, the limit
 * applied), and xfer_error_message's text, fallback and truncation.
 *
 * The cycle puts the service back as it found it: the same driver image
 * (saved aside first, since the cycle installs the xfer.sys beside the test
 * program), the same MaxSize, running. On a Windows test machine that
 * image lives in %SystemRoot%\System32\drivers, so what the suite found
 * there is what it leaves, and the suite can be run again.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"
#include "xfer/compat.h"

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

#define PARAMETERS_KEY L"System\\CurrentControlSet\\Services\\" XFER_SERVICE_NAME L"\\Parameters"

/* What the cycle must put back. */
struct found_service {
    wchar_t image_copy[MAX_PATH];   /* the installed xfer.sys, saved aside */
    uint64_t max_size;              /* Parameters\MaxSize; 0: none */
};

/* %SystemRoot%\System32\drivers\xfer.sys, as libxfer installs it. */
static DWORD installed_image(wchar_t *path)
{
    UINT length = GetSystemDirectoryW(path, MAX_PATH - 32);

    if (length == 0 || length >= MAX_PATH - 32)
        return ERROR_FILENAME_EXCED_RANGE;
    wcscat(path, L"\\drivers\\xfer.sys");
    return ERROR_SUCCESS;
}

static DWORD save_service(struct found_service *found)
{
    wchar_t image[MAX_PATH], dir[MAX_PATH];
    DWORD size = sizeof(found->max_size), type;
    LSTATUS status;

    found->max_size = 0;
    status = xfer_reg_get_value(HKEY_LOCAL_MACHINE, PARAMETERS_KEY, XFER_REG_MAX_SIZE,
                                RRF_RT_REG_QWORD, &type, &found->max_size, &size);
    if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND)
        return (DWORD)status;
    if (installed_image(image) != ERROR_SUCCESS || GetTempPathW(MAX_PATH, dir) == 0 ||
        GetTempFileNameW(dir, L"xfr", 0, found->image_copy) == 0)
        return GetLastError();
    if (!CopyFileW(image, found->image_copy, FALSE)) {
        DWORD error = GetLastError();

        DeleteFileW(found->image_copy);
        return error;
    }
    return ERROR_SUCCESS;
}

/* Reinstalls and starts the driver found: its image and its MaxSize. */
static void restore_service(const struct found_service *found)
{
    DWORD error;

    xfer_service_uninstall();
    error = xfer_service_install(found->image_copy, found->max_size);
    if (error == ERROR_SUCCESS)
        error = xfer_service_start();
    if (error != ERROR_SUCCESS)
        unit_fail(__FILE__, __LINE__, "the driver found could not be put back: error %lu",
                  (unsigned long)error);
    DeleteFileW(found->image_copy);
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
    struct found_service found;
    struct xfer_info info;
    DWORD state = 0;
    HANDLE device;
    int failed;

    ASSERT_EQ(save_service(&found), ERROR_SUCCESS);
    uninstall_install_cycle();
    failed = unit_failed();
    restore_service(&found);
    if (failed)
        return;
    /* As found: running, with the limit it had. */
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    CloseHandle(device);
    ASSERT_EQ_U64(info.limit, found.max_size != 0 ? found.max_size : XFER_DEFAULT_MAX_SIZE);
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
