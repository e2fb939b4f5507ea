/* SPDX-License-Identifier: MIT */
/*
 * Fixtures of the end-to-end tests, which run under Wine (or Windows) with
 * xfer.sys started: handles on the three devices, a model of what the store
 * must hold, and checks of the store against it.
 */
#ifndef XFER_E2E_H
#define XFER_E2E_H

#include <stddef.h>
#include <stdint.h>
#include "xfer/xfer.h"

#define E2E_CHUNK 65536u   /* the driver's chunk size: boundaries worth testing */

struct e2e_devices {
    HANDLE handle[XFER_MECHANISM_COUNT];   /* each opened for read and write */
};

/* Opens all three devices read/write; 0 or a Win32 error. */
DWORD e2e_open_all(struct e2e_devices *devices);
void e2e_close_all(struct e2e_devices *devices);

/* Byte `index` of pattern `seed`: position-dependent, so that a byte
 * landing at the wrong offset is seen. Never 0 for seed != 0. */
uint8_t e2e_pattern_byte(uint32_t seed, uint64_t index);
void e2e_fill_pattern(uint8_t *buffer, size_t length, uint32_t seed, uint64_t first_index);

/* Reads the whole store through `device` into a fresh buffer (caller
 * frees); *size gets GET_SIZE's answer. 0 or a Win32 error. */
DWORD e2e_read_store(HANDLE device, uint8_t **bytes, uint64_t *size);

/* FNV-1a of the whole store, and its size, through `device`. */
DWORD e2e_store_digest(HANDLE device, uint64_t *size, uint64_t *digest);

/* Fills a buffer with a sentinel byte and tells whether it still holds it
 * from `from` on: what a refused request must leave alone. */
#define E2E_SENTINEL 0xA5
int e2e_untouched_from(const uint8_t *buffer, size_t length, size_t from);

/* Restarts the driver with Parameters\MaxSize = max_size (0: default). */
DWORD e2e_restart_driver(uint64_t max_size);

#endif /* XFER_E2E_H */
