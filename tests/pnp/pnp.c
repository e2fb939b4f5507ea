/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "pnp.h"

unsigned pnp_wait_interfaces(xfer_mechanism mechanism, unsigned wanted)
{
    unsigned count = 0;
    int tries;

    for (tries = 0; tries < 200; tries++) {
        if (xfer_interface_count(mechanism, &count) == ERROR_SUCCESS && count == wanted)
            break;
        Sleep(100);
    }
    return count;
}

DWORD pnp_open(xfer_mechanism mechanism, HANDLE *handle)
{
    wchar_t path[XFER_INTERFACE_PATH_MAX];
    DWORD error = xfer_interface_path(mechanism, path, XFER_INTERFACE_PATH_MAX);

    *handle = INVALID_HANDLE_VALUE;
    return error != ERROR_SUCCESS ? error
                                  : xfer_open_path(path, GENERIC_READ | GENERIC_WRITE, handle);
}

DWORD pnp_round_trip(HANDLE device, HANDLE other, uint64_t offset, DWORD length, unsigned seed)
{
    unsigned char *out = malloc(length), *in = malloc(length);
    DWORD done, error, i;

    if (out == NULL || in == NULL) {
        free(out);
        free(in);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < length; i++)
        out[i] = (unsigned char)(seed * 131u + i * 7u + 1u);
    memset(in, 0, length);
    error = xfer_write_at(device, offset, out, length, &done);
    if (error == ERROR_SUCCESS)
        error = xfer_read_at(other, offset, in, length, &done);
    if (error == ERROR_SUCCESS && (done != length || memcmp(in, out, length) != 0))
        error = ERROR_INVALID_DATA;
    free(out);
    free(in);
    return error;
}
