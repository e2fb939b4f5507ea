/* SPDX-License-Identifier: MIT */
/*
 * xfer-demo: one message written through one transfer mechanism and read
 * back through the other two, to show that the three devices are windows
 * onto one store. Run by `make demo` with the driver loaded.
 */
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"

static int fail(const char *what, DWORD error)
{
    fprintf(stderr, "xfer-demo: %s failed: Win32 error %lu\n", what, (unsigned long)error);
    return 1;
}

int main(void)
{
    static const char message[] = "Hello through Buffered I/O";
    HANDLE devices[XFER_MECHANISM_COUNT];
    char back[sizeof(message)];
    uint64_t size = 0;
    DWORD done, error;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        error = xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &devices[m]);
        if (error != ERROR_SUCCESS)
            return fail("opening a device", error);
    }

    printf("WriteFile  -> %-9s offset 0: \"%s\"\n", "buffered", message);
    error = xfer_write_at(devices[XFER_BUFFERED], 0, message, sizeof(message) - 1, &done);
    if (error != ERROR_SUCCESS)
        return fail("WriteFile", error);

    for (m = XFER_DIRECT; m < XFER_MECHANISM_COUNT; m++) {
        memset(back, 0, sizeof(back));
        error = xfer_read_at(devices[m], 0, back, sizeof(back) - 1, &done);
        if (error != ERROR_SUCCESS)
            return fail("ReadFile", error);
        printf("ReadFile   <- %-9s offset 0: \"%.*s\" (%lu bytes)\n",
               xfer_mechanism_name((xfer_mechanism)m), (int)done, back, (unsigned long)done);
        if (done != sizeof(message) - 1 || memcmp(back, message, done) != 0)
            return fail("comparing what was read", ERROR_INVALID_DATA);
    }

    error = xfer_get_size(devices[XFER_NEITHER], &size);
    if (error != ERROR_SUCCESS)
        return fail("IOCTL_XFER_GET_SIZE", error);
    printf("GET_SIZE   <- %-9s %llu bytes\n", "neither", (unsigned long long)size);

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        CloseHandle(devices[m]);
    return 0;
}
