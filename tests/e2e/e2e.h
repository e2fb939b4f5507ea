/* SPDX-License-Identifier: MIT */
/*
 * Fixtures of the end-to-end tests, which run under Wine (or Windows) with
 * xfer.sys started: handles on the three devices, a model of what the store
 * must hold, and checks of the store against it; raw IOCTLs and the checks
 * every refused request gets; reads and writes through every path; the
 * driver's trace; threads.
 */
#ifndef XFER_E2E_H
#define XFER_E2E_H

#include <stddef.h>
#include <stdint.h>
#include "xfer/xfer.h"

#define E2E_CHUNK 65536u   /* the driver's chunk size: boundaries worth testing */

/* The transfer matrices' places to write at, in a store that starts with
 * E2E_MATRIX_BASE bytes: its start, an odd offset, a chunk boundary, its
 * end, and past its end (leaving a gap). */
#define E2E_MATRIX_BASE 100000u   /* past the first chunk boundary */
#define E2E_MATRIX_OFFSETS 5
struct e2e_offset {
    const char *name;
    uint64_t offset;
};
extern const struct e2e_offset e2e_matrix_offsets[E2E_MATRIX_OFFSETS];

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

/* Nonzero under Wine (ntdll exports wine_get_version). */
int e2e_is_wine(void);
/* In a test that only Windows can show: under Wine, marks it skipped for
 * `reason` (unit_skip, unit.h) and returns from it. */
#define E2E_WINDOWS_ONLY(reason)   \
    do {                           \
        if (e2e_is_wine()) {       \
            unit_skip(reason);     \
            return;                \
        }                          \
    } while (0)

/* One DeviceIoControl, as raw as it gets: the last error is set to a marker
 * first and *returned to E2E_RETURNED_UNSET; 0 or the error. On an error
 * DeviceIoControl may leave *returned alone (Wine does) or copy the
 * driver's Information, which must then be 0: see e2e_returned_nothing. */
#define E2E_RETURNED_UNSET 0xCCCCCCCCu
DWORD e2e_ioctl(HANDLE device, DWORD code, const void *in, DWORD in_length,
                void *out, DWORD out_length, DWORD *returned);
#define e2e_returned_nothing(returned) ((returned) == 0 || (returned) == E2E_RETURNED_UNSET)

/* The method and the required access of an IOCTL code. */
#define E2E_METHOD(code) ((code) & 3u)
#define E2E_ACCESS(code) (((code) >> 14) & 3u)

/* What a refused request must not change: GET_INFO's size and generation
 * (the generation moves on every change of the store). */
struct e2e_state {
    uint64_t size;
    uint64_t generation;
};
DWORD e2e_get_state(HANDLE device, struct e2e_state *state);
/* Asserts that the store is still as `before` says, which also proves that
 * the driver still serves requests. Call UNIT_RETURN_IF_FAILED() after. */
void e2e_check_unchanged(HANDLE device, const struct e2e_state *before);

/* Sends `code` with `in` and an output buffer of `out_length` sentinel
 * bytes, and asserts that it is refused with exactly `expected` (a Win32
 * error): nothing returned, the output untouched, the store unchanged, the
 * driver still serving.
 *
 * The output check holds for every method under Wine too: Wine copies a
 * direct or neither IOCTL's whole output buffer back to the caller, even
 * on error, but the copy it hands the driver starts out as the caller's
 * own bytes, so only what the driver wrote can differ (as on Windows,
 * where the driver writes the caller's pages themselves). */
void e2e_expect_refused(HANDLE device, DWORD code, const void *in, DWORD in_length,
                        DWORD out_length, DWORD expected);

/* The four ways to read (or write) at an offset: ReadFile/WriteFile, and the
 * transfer IOCTL of each method. */
enum e2e_path {
    E2E_PATH_FILE = 0,
    E2E_PATH_IOCTL_BUFFERED,
    E2E_PATH_IOCTL_DIRECT,
    E2E_PATH_IOCTL_NEITHER,
    E2E_PATH_COUNT
};
const char *e2e_path_name(enum e2e_path path);
/* GET_STATS's path of a read or write through `path`. */
enum xfer_path e2e_stats_path(enum e2e_path path, int write);
DWORD e2e_read_via(HANDLE device, enum e2e_path path, uint64_t offset, void *buffer,
                   DWORD length, DWORD *done);
DWORD e2e_write_via(HANDLE device, enum e2e_path path, uint64_t offset, const void *buffer,
                    DWORD length);

/* REMOVE, then `size` bytes of pattern `seed` written through `device`;
 * model (at least `size` bytes) gets the same bytes. 0 or a Win32 error. */
DWORD e2e_reset_store(HANDLE device, uint8_t *model, uint32_t size, uint32_t seed);

/* The trace records drained so far, and the dropped counts reported. */
struct e2e_trace {
    struct xfer_trace_record *records;
    size_t count;
    size_t capacity;
    uint64_t dropped;
    int out_of_memory;
};
/* Appends to *trace (zero it first) the records the driver traced since
 * the last e2e_trace_drain of this process (or since the driver started,
 * after e2e_restart_driver): the suite's one reader keeps its place in the
 * ring by sequence number, as any reader does; the ring itself is not
 * changed by reading it. */
DWORD e2e_trace_drain(HANDLE device, struct e2e_trace *trace);
void e2e_trace_free(struct e2e_trace *trace);
/* Moves this process's place in the ring past every record there is, and
 * puts the newest record's sequence in *newest: a READ_TRACE after it
 * returns nothing until another request is traced. */
DWORD e2e_trace_skip(HANDLE device, uint64_t *newest);
/* Asserts that `trace` holds exactly `count` records, all of `device`, with
 * consecutive sequence numbers and the texts of `lines`, in order. */
void e2e_check_trace(const struct e2e_trace *trace, uint32_t device,
                     const char *const *lines, size_t count);

/* Waits until GET_INFO's pending_waiters is `count`, polling: a pending
 * request gets to the driver, and a cancelled or killed one is ended, a
 * little after the call that caused it returns. 0, or ERROR_TIMEOUT after
 * 20 s (which no test expects: it stands for a request that never ends). */
DWORD e2e_wait_pending(HANDLE device, uint64_t count);
/* What every test of a pending wait ends with: no waiter left (after
 * e2e_wait_pending), and the driver still serving: a write and a read back
 * through a fresh handle, and a new wait that the write completes. */
void e2e_check_no_waiters(void);

/* Runs `count` threads of `fn`, thread i with `args + i * arg_size`, and
 * waits for them all. 0, or the first nonzero exit code. */
DWORD e2e_run_threads(unsigned count, LPTHREAD_START_ROUTINE fn, void *args, size_t arg_size);

#endif /* XFER_E2E_H */
