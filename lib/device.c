/* SPDX-License-Identifier: MIT */
/*
 * libxfer: opening the devices, reading and writing at an offset, and the
 * Wdm1 IOCTLs.
 */
#include "xfer_lib.h"

static const struct {
    const char *name;
    const wchar_t *path;
} mechanisms[XFER_MECHANISM_COUNT] = {
    [XFER_BUFFERED] = { "buffered", XFER_WIN32_BUFFERED },
    [XFER_DIRECT] = { "direct", XFER_WIN32_DIRECT },
    [XFER_NEITHER] = { "neither", XFER_WIN32_NEITHER },
};

const char *xfer_mechanism_name(xfer_mechanism mechanism)
{
    return (unsigned)mechanism < XFER_MECHANISM_COUNT ? mechanisms[mechanism].name : "?";
}

const wchar_t *xfer_device_path(xfer_mechanism mechanism)
{
    return (unsigned)mechanism < XFER_MECHANISM_COUNT ? mechanisms[mechanism].path : NULL;
}

static DWORD open_path(const wchar_t *path, DWORD access, DWORD flags, HANDLE *handle)
{
    *handle = INVALID_HANDLE_VALUE;
    if (path == NULL)
        return ERROR_INVALID_PARAMETER;
    *handle = CreateFileW(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                          OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | flags, NULL);
    return *handle == INVALID_HANDLE_VALUE ? GetLastError() : ERROR_SUCCESS;
}

DWORD xfer_open_path(const wchar_t *path, DWORD access, HANDLE *handle)
{
    return open_path(path, access, 0, handle);
}

/* The Plug and Play device of `mechanism` through its interface when one
 * is started; the plain service's \\.\Xfer* device otherwise. */
static DWORD open_mechanism(xfer_mechanism mechanism, DWORD access, DWORD flags, HANDLE *handle)
{
    wchar_t path[XFER_INTERFACE_PATH_MAX];

    if (xfer_interface_path(mechanism, path, XFER_INTERFACE_PATH_MAX) == ERROR_SUCCESS &&
        open_path(path, access, flags, handle) == ERROR_SUCCESS)
        return ERROR_SUCCESS;
    return open_path(xfer_device_path(mechanism), access, flags, handle);
}

DWORD xfer_open(xfer_mechanism mechanism, DWORD access, HANDLE *handle)
{
    return open_mechanism(mechanism, access, 0, handle);
}

DWORD xfer_open_overlapped(xfer_mechanism mechanism, DWORD access, HANDLE *handle)
{
    return open_mechanism(mechanism, access, FILE_FLAG_OVERLAPPED, handle);
}

/* ReadFile or WriteFile at `offset` (the OVERLAPPED's), on either kind of
 * handle (overlapped.c). */
static DWORD transfer_at(HANDLE device, uint64_t offset, void *buffer, DWORD length,
                         DWORD *done, BOOL write)
{
    OVERLAPPED at;
    DWORD error = xfer__overlapped(&at, offset);
    BOOL ok;

    *done = 0;
    if (error != ERROR_SUCCESS)
        return error;
    ok = write ? WriteFile(device, buffer, length, NULL, &at)
               : ReadFile(device, buffer, length, NULL, &at);
    return xfer__finish(device, ok, &at, done);
}

DWORD xfer_read_at(HANDLE device, uint64_t offset, void *buffer, DWORD length, DWORD *done)
{
    return transfer_at(device, offset, buffer, length, done, FALSE);
}

DWORD xfer_write_at(HANDLE device, uint64_t offset, const void *buffer, DWORD length,
                    DWORD *done)
{
    /* WriteFile only reads the buffer; the cast serves the shared helper. */
    return transfer_at(device, offset, (void *)buffer, length, done, TRUE);
}

DWORD xfer_control(HANDLE device, DWORD code, void *in, DWORD in_length,
                   void *out, DWORD out_length, DWORD *returned)
{
    OVERLAPPED overlapped;
    DWORD ignored, error;
    BOOL ok;

    if (returned == NULL)
        returned = &ignored;
    *returned = 0;
    error = xfer__overlapped(&overlapped, 0);
    if (error != ERROR_SUCCESS)
        return error;
    ok = DeviceIoControl(device, code, in, in_length, out, out_length, NULL, &overlapped);
    return xfer__finish(device, ok, &overlapped, returned);
}

DWORD xfer_zero(HANDLE device)
{
    return xfer_control(device, IOCTL_XFER_ZERO_BUFFER, NULL, 0, NULL, 0, NULL);
}

DWORD xfer_remove(HANDLE device)
{
    return xfer_control(device, IOCTL_XFER_REMOVE_BUFFER, NULL, 0, NULL, 0, NULL);
}

DWORD xfer_get_size(HANDLE device, uint64_t *size)
{
    DWORD returned;
    DWORD error = xfer_control(device, IOCTL_XFER_GET_SIZE, NULL, 0, size, sizeof(*size),
                               &returned);

    if (error == ERROR_SUCCESS && returned != sizeof(*size))
        return ERROR_INVALID_DATA;   /* a driver that broke its contract */
    return error;
}

DWORD xfer_get_buffer(HANDLE device, void *buffer, DWORD length, DWORD *done)
{
    return xfer_control(device, IOCTL_XFER_GET_BUFFER, NULL, 0, buffer, length, done);
}
