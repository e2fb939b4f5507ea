/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"

DWORD e2e_open_all(struct e2e_devices *devices)
{
    DWORD error = ERROR_SUCCESS;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        devices->handle[m] = INVALID_HANDLE_VALUE;
    for (m = 0; m < XFER_MECHANISM_COUNT && error == ERROR_SUCCESS; m++)
        error = xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &devices->handle[m]);
    if (error != ERROR_SUCCESS)
        e2e_close_all(devices);
    return error;
}

void e2e_close_all(struct e2e_devices *devices)
{
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        if (devices->handle[m] != INVALID_HANDLE_VALUE)
            CloseHandle(devices->handle[m]);
        devices->handle[m] = INVALID_HANDLE_VALUE;
    }
}

uint8_t e2e_pattern_byte(uint32_t seed, uint64_t index)
{
    uint64_t x = (index + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ull;

    x ^= x >> 31;
    return (uint8_t)((x & 0xFF) ? (x & 0xFF) : 1);
}

void e2e_fill_pattern(uint8_t *buffer, size_t length, uint32_t seed, uint64_t first_index)
{
    size_t i;

    for (i = 0; i < length; i++)
        buffer[i] = e2e_pattern_byte(seed, first_index + i);
}

DWORD e2e_read_store(HANDLE device, uint8_t **bytes, uint64_t *size)
{
    DWORD error, done;

    *bytes = NULL;
    error = xfer_get_size(device, size);
    if (error != ERROR_SUCCESS)
        return error;
    if (*size > 256u * 1024 * 1024)
        return ERROR_NOT_ENOUGH_MEMORY;   /* no test makes a store that large */
    *bytes = malloc((size_t)*size + 1);
    if (*bytes == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    /* Ask for one byte more than the size: the read must stop at the end. */
    error = xfer_read_at(device, 0, *bytes, (DWORD)*size + 1, &done);
    if (error == ERROR_SUCCESS && done != *size)
        error = ERROR_INVALID_DATA;
    if (error != ERROR_SUCCESS) {
        free(*bytes);
        *bytes = NULL;
    }
    return error;
}

DWORD e2e_store_digest(HANDLE device, uint64_t *size, uint64_t *digest)
{
    uint8_t *bytes;
    uint64_t hash = 0xcbf29ce484222325ull;
    uint64_t i;
    DWORD error = e2e_read_store(device, &bytes, size);

    if (error != ERROR_SUCCESS)
        return error;
    for (i = 0; i < *size; i++)
        hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    free(bytes);
    *digest = hash;
    return ERROR_SUCCESS;
}

int e2e_untouched_from(const uint8_t *buffer, size_t length, size_t from)
{
    size_t i;

    for (i = from; i < length; i++)
        if (buffer[i] != E2E_SENTINEL)
            return 0;
    return 1;
}

DWORD e2e_restart_driver(uint64_t max_size)
{
    DWORD error = xfer_service_stop();

    if (error == ERROR_SUCCESS)
        error = xfer_service_set_max_size(max_size);
    if (error == ERROR_SUCCESS)
        error = xfer_service_start();
    return error;
}
