/* SPDX-License-Identifier: MIT */
/*
 * IOCTL_XFER_VERIFY: the verifier build's control (driver/verify.h).
 * Only a driver built with -DXFER_VERIFIER knows the code; any other
 * answers STATUS_INVALID_DEVICE_REQUEST (ERROR_INVALID_FUNCTION).
 */
#ifndef XFER_VERIFY_IOCTL_H
#define XFER_VERIFY_IOCTL_H

#include "xfer/ioctl.h"

/* REG_DWORD under Parameters, read at DriverEntry by the verifier build:
 * N (1, 2, ...) fails the N-th fault point from the start (low resources
 * simulation of DriverEntry itself); 0 or absent, none. */
#define XFER_REG_VERIFIER_FAIL_AT L"VerifierFailAt"

enum xfer_verify_op {
    XFER_VERIFY_QUERY = 0,        /* the state only */
    XFER_VERIFY_ARM = 1,          /* fail the fail_at-th fault point from now; 0 disarms */
    /* A test-only build (-DXFER_VERIFY_BREAK) breaks a rule on purpose,
     * to show the verifier catches it; any other build refuses these. */
    XFER_VERIFY_BREAK_LEAK = 16,            /* allocate a block and lose it */
    XFER_VERIFY_BREAK_DOUBLE_COMPLETION = 17,  /* complete this request twice */
    XFER_VERIFY_BREAK_PROBE_LOCKED = 18     /* touch user memory under the store lock */
};

/* In. */
struct xfer_verify_request {
    uint32_t op;        /* enum xfer_verify_op */
    uint32_t fail_at;   /* XFER_VERIFY_ARM: 1, 2, ...; else 0 */
};

/* Out, after the op. */
struct xfer_verify_state {
    uint32_t fault_points;   /* fault points met since the last ARM */
    uint32_t faults;         /* faults injected since the last ARM */
    uint64_t pool_blocks;    /* blocks the driver holds now */
    uint64_t pool_bytes;     /* their bytes */
    uint32_t irps_owned;     /* requests the driver owns now, this one included */
    uint32_t reports;        /* rules broken since DriverEntry */
    char fault_site[64];     /* "driver/file.c:line" of the last fault injected, or "" */
};

#define IOCTL_XFER_VERIFY XFER_CTL(0x8F0, METHOD_BUFFERED, FILE_WRITE_DATA)

#endif /* XFER_VERIFY_IOCTL_H */
