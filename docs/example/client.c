/* SPDX-License-Identifier: MIT */
/*
 * A complete xfer client, written from docs/interface.md and
 * include/xfer/ioctl.h alone (no libxfer). docs/client.md shows how to
 * build it and run it; `make docs-check` does exactly that.
 *
 * It writes a message into the store with WriteFile on \\.\XferBuffered,
 * reads it back through another device with IOCTL_XFER_READ_DIRECT, and
 * asks the driver about its store with IOCTL_XFER_GET_INFO. Exit status 0
 * when the bytes came back equal, 1 otherwise.
 */
#include <stdio.h>
#include <string.h>
#include <xfer/ioctl.h>   /* includes <windows.h> itself */

static int failed(const char *what)
{
    fprintf(stderr, "client: %s failed: Win32 error %lu\n", what, GetLastError());
    return 1;
}

int main(void)
{
    static const char message[] = "Hello from my own client";
    const DWORD length = sizeof(message) - 1;
    const ULONGLONG offset = 4096;
    struct xfer_transfer_header header = { offset, 0 };
    struct xfer_info info;
    OVERLAPPED at = { 0 };
    char back[sizeof(message)] = "";
    HANDLE buffered, direct;
    DWORD done = 0;

    buffered = CreateFileW(XFER_WIN32_BUFFERED, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (buffered == INVALID_HANDLE_VALUE)
        return failed("opening \\\\.\\XferBuffered");
    /* The offset goes in an OVERLAPPED: Wine keeps no file position. */
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    if (!WriteFile(buffered, message, length, &done, &at) || done != length)
        return failed("WriteFile");
    printf("wrote %lu bytes at offset %lu through \\\\.\\XferBuffered\n", done,
           (unsigned long)offset);
    CloseHandle(buffered);

    direct = CreateFileW(XFER_WIN32_DIRECT, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (direct == INVALID_HANDLE_VALUE)
        return failed("opening \\\\.\\XferDirect");
    /* In: the header. Out: the data; the length asked for is its size. */
    if (!DeviceIoControl(direct, IOCTL_XFER_READ_DIRECT, &header, sizeof(header), back, length,
                         &done, NULL))
        return failed("IOCTL_XFER_READ_DIRECT");
    printf("read back %lu bytes through IOCTL_XFER_READ_DIRECT: %.*s\n", done, (int)done, back);

    if (!DeviceIoControl(direct, IOCTL_XFER_GET_INFO, NULL, 0, &info, sizeof(info), &done, NULL))
        return failed("IOCTL_XFER_GET_INFO");
    printf("the store: %lu bytes, generation %lu\n", (unsigned long)info.size,
           (unsigned long)info.generation);
    CloseHandle(direct);

    return strcmp(back, message) == 0 ? 0 : 1;
}
