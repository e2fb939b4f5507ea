/* SPDX-License-Identifier: MIT */
/*
 * Fixtures of the Plug and Play tests (tests/pnp/check runs them under
 * Wine, in a prefix of their own, with xfer.sys, xfer.inf and the test
 * programs in C:\xfer).
 */
#ifndef XFER_PNP_TEST_H
#define XFER_PNP_TEST_H

#include "unit.h"
#include "xfer/xfer.h"

#define PNP_INF L"C:\\xfer\\xfer.inf"

/* Polls (for up to about 20 s, never asserting on time) until `mechanism`
 * has `wanted` started devices; returns the last count seen. Removal and
 * start run on the PnP manager's thread, not the caller's. */
unsigned pnp_wait_interfaces(xfer_mechanism mechanism, unsigned wanted);

/* Opens the device of `mechanism` through its interface, read/write. */
DWORD pnp_open(xfer_mechanism mechanism, HANDLE *handle);

/* Writes `length` bytes of pattern `seed` at `offset` through `device`
 * and reads them back through `other`; 0 when both match, else the
 * failing call's error or ERROR_INVALID_DATA for different bytes. */
DWORD pnp_round_trip(HANDLE device, HANDLE other, uint64_t offset, DWORD length, unsigned seed);

/* test_pnp_inf.c: a step of test_pnp_remove's. */
void test_pnp_inf_sets_max_size(void);

/* Steps registered in the order given (TEST registers tests in an order
 * the toolchain picks): PNP_STEPS(table) in a file of steps. */
struct pnp_step {
    const char *name;
    unit_fn fn;
};
#define PNP_STEPS(table)                                                  \
    __attribute__((constructor)) static void register_steps(void)         \
    {                                                                     \
        size_t i_;                                                        \
        for (i_ = 0; i_ < sizeof(table) / sizeof((table)[0]); i_++)       \
            unit_register((table)[i_].name, (table)[i_].fn);              \
    }

#endif /* XFER_PNP_TEST_H */
