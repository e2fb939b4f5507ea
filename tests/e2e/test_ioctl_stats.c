/* SPDX-License-Identifier: MIT */
/*
 * GET_STATS and RESET_STATS: every request counted once, when it
 * completes, under the device its handle was opened on and its path
 * (ReadFile, WriteFile, each transfer IOCTL, every other IOCTL together):
 * requests, errors, and the bytes (Information) of those that succeeded.
 * A snapshot does not include the GET_STATS that takes it; CREATE and
 * CLOSE, and requests the I/O manager refuses before the driver sees them,
 * are not counted. Exact with many threads at once. A reset needs write
 * access.
 */
#include <string.h>
#include "e2e.h"
#include "e2e_platform.h"
#include "unit.h"

#define SEED 51u
#define BAD_OFFSET 0x8000000000000000ull   /* past 2^63 - 1 on every path */
#define THREADS 4
#define REQUESTS_PER_THREAD 500
#define THREAD_LENGTH 64u

static const char *const path_names[XFER_PATH_COUNT] = {
    "read_file", "write_file", "read_buffered", "read_direct", "read_neither",
    "write_buffered", "write_direct", "write_neither", "control",
};

static void count(struct xfer_stats *expected, int device, enum xfer_path path, int ok,
                  uint64_t bytes)
{
    struct xfer_counter *c = &expected->device[device][path];

    c->requests++;
    if (ok)
        c->bytes += bytes;
    else
        c->errors++;
}

/* Every counter as expected; names the first that is not. */
static void check_stats(const struct xfer_stats *got, const struct xfer_stats *expected)
{
    int d, p;

    for (d = 0; d < XFER_DEVICE_COUNT; d++) {
        for (p = 0; p < XFER_PATH_COUNT; p++) {
            const struct xfer_counter *g = &got->device[d][p], *e = &expected->device[d][p];

            if (g->requests != e->requests || g->bytes != e->bytes || g->errors != e->errors) {
                unit_fail(__FILE__, __LINE__,
                          "%s/%s: requests %llu bytes %llu errors %llu, expected %llu %llu %llu",
                          xfer_mechanism_name((xfer_mechanism)d), path_names[p],
                          (unsigned long long)g->requests, (unsigned long long)g->bytes,
                          (unsigned long long)g->errors, (unsigned long long)e->requests,
                          (unsigned long long)e->bytes, (unsigned long long)e->errors);
                return;
            }
        }
    }
}

/* Resets the counters through `device` (on mechanism `m`, no output):
 * `expected` then holds just that reset, counted as it completes. */
static void reset(HANDLE device, int m, struct xfer_stats *expected)
{
    memset(expected, 0, sizeof(*expected));
    ASSERT_EQ(xfer_get_stats(device, NULL, 1), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, 0);
}

/* Reads and writes through `path` on device `m`: some succeed, some are
 * refused by the driver. */
static void transfers(HANDLE device, int m, enum e2e_path path, struct xfer_stats *expected)
{
    uint8_t data[100];
    enum xfer_path r = e2e_stats_path(path, 0), w = e2e_stats_path(path, 1);
    int file = path == E2E_PATH_FILE;   /* WriteFile reports the bytes written */
    DWORD done;

    e2e_fill_pattern(data, sizeof(data), SEED, 0);
    ASSERT_EQ(e2e_write_via(device, path, 0, data, sizeof(data)), ERROR_SUCCESS);
    count(expected, m, w, 1, file ? sizeof(data) : 0);
    ASSERT_EQ(e2e_write_via(device, path, XFER_DEFAULT_MAX_SIZE - 10, data, 11), ERROR_DISK_FULL);
    count(expected, m, w, 0, 0);
    ASSERT_EQ(e2e_write_via(device, path, 7, data, 0), ERROR_SUCCESS);
    count(expected, m, w, 1, 0);
    ASSERT_EQ(e2e_read_via(device, path, 10, data, 50, &done), ERROR_SUCCESS);
    count(expected, m, r, 1, 50);
    ASSERT_EQ(e2e_read_via(device, path, 90, data, 50, &done), ERROR_SUCCESS);
    count(expected, m, r, 1, 10);
    ASSERT_EQ(e2e_read_via(device, path, 1000, data, 50, &done), ERROR_SUCCESS);
    count(expected, m, r, 1, 0);
    ASSERT_EQ(e2e_read_via(device, path, BAD_OFFSET, data, 50, &done), ERROR_INVALID_PARAMETER);
    if (!file || e2e_negative_file_offset_reaches_driver())
        count(expected, m, r, 0, 0);
}

/* The other IOCTLs, all under XFER_PATH_IOCTL_CONTROL. */
static void controls(HANDLE device, int m, struct xfer_stats *expected)
{
    static uint8_t ring[sizeof(struct xfer_trace_batch) +
                        XFER_TRACE_CAPACITY * sizeof(struct xfer_trace_record)];
    uint8_t out[sizeof(struct xfer_trace_batch)];
    struct xfer_trace_batch batch;
    uint64_t newest;
    struct xfer_info info;
    uint64_t size;
    DWORD returned;

    ASSERT_EQ(xfer_get_size(device, &size), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, sizeof(size));
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, sizeof(info));
    ASSERT_EQ(xfer_get_buffer(device, out, 5, &returned), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, 5);
    ASSERT_EQ(xfer_get_buffer(device, out, sizeof(out), &returned), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, sizeof(out));
    /* The whole ring in one request, then nothing after its newest
     * record: a batch header alone. */
    ASSERT_EQ(xfer_read_trace(device, 0, ring, sizeof(ring), &returned), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, returned);
    memcpy(&batch, ring, sizeof(batch));
    ASSERT_TRUE(batch.count > 0);
    memcpy(&newest, ring + sizeof(batch) + (batch.count - 1) * sizeof(struct xfer_trace_record),
           sizeof(newest));   /* sequence is the record's first field */
    ASSERT_EQ(xfer_read_trace(device, newest, out, sizeof(out), &returned), ERROR_SUCCESS);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 1, sizeof(struct xfer_trace_batch));
    ASSERT_EQ(e2e_ioctl(device, XFER_CTL(0x8FF, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL, 0, out,
                        sizeof(out), &returned), ERROR_INVALID_FUNCTION);
    count(expected, m, XFER_PATH_IOCTL_CONTROL, 0, 0);
}

TEST(test_ioctl_stats_exact_after_a_known_sequence)
{
    struct xfer_stats expected, got, again;
    struct e2e_devices devices;
    uint8_t byte = 1;
    HANDLE reader;
    DWORD done;
    int m, p;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    reset(devices.handle[XFER_BUFFERED], XFER_BUFFERED, &expected);
    ASSERT_EQ(xfer_remove(devices.handle[XFER_DIRECT]), ERROR_SUCCESS);
    count(&expected, XFER_DIRECT, XFER_PATH_IOCTL_CONTROL, 1, 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        for (p = 0; p < E2E_PATH_COUNT && !unit_failed(); p++)
            transfers(devices.handle[m], m, (enum e2e_path)p, &expected);
        controls(devices.handle[m], m, &expected);
        /* Neither a new handle nor a write the I/O manager refuses for
         * want of access reaches the counters. */
        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ, &reader), ERROR_SUCCESS);
        ASSERT_EQ(xfer_write_at(reader, 0, &byte, 1, &done), ERROR_ACCESS_DENIED);
        ASSERT_EQ(xfer_ioctl_write(reader, XFER_DIRECT, 0, &byte, 1), ERROR_ACCESS_DENIED);
        CloseHandle(reader);
    }
    UNIT_RETURN_IF_FAILED();

    ASSERT_EQ(xfer_get_stats(devices.handle[XFER_NEITHER], &got, 0), ERROR_SUCCESS);
    check_stats(&got, &expected);
    UNIT_RETURN_IF_FAILED();
    /* The snapshot did not count itself; the next one counts it. */
    count(&expected, XFER_NEITHER, XFER_PATH_IOCTL_CONTROL, 1, sizeof(got));
    ASSERT_EQ(xfer_get_stats(devices.handle[XFER_DIRECT], &again, 0), ERROR_SUCCESS);
    check_stats(&again, &expected);
    e2e_close_all(&devices);
}

TEST(test_ioctl_stats_reset_returns_the_snapshot_then_zeroes)
{
    struct xfer_stats expected, before, snapshot, after;
    struct e2e_devices devices;
    uint64_t size;
    DWORD returned;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_size(devices.handle[XFER_DIRECT], &size), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_stats(devices.handle[XFER_BUFFERED], &before, 0), ERROR_SUCCESS);

    /* RESET_STATS with an output: the snapshot is what GET_STATS would
     * have said, which now includes the GET_STATS above. */
    memset(&snapshot, E2E_SENTINEL, sizeof(snapshot));
    ASSERT_EQ(e2e_ioctl(devices.handle[XFER_NEITHER], IOCTL_XFER_RESET_STATS, NULL, 0, &snapshot,
                        sizeof(snapshot), &returned), ERROR_SUCCESS);
    ASSERT_EQ(returned, sizeof(snapshot));
    count(&before, XFER_BUFFERED, XFER_PATH_IOCTL_CONTROL, 1, sizeof(before));
    check_stats(&snapshot, &before);
    UNIT_RETURN_IF_FAILED();

    /* Then only the reset itself is left, counted as it completed. */
    memset(&expected, 0, sizeof(expected));
    count(&expected, XFER_NEITHER, XFER_PATH_IOCTL_CONTROL, 1, sizeof(snapshot));
    ASSERT_EQ(xfer_get_stats(devices.handle[XFER_DIRECT], &after, 0), ERROR_SUCCESS);
    check_stats(&after, &expected);
    UNIT_RETURN_IF_FAILED();

    /* Without an output buffer: nothing returned, and zeroed just the same. */
    ASSERT_EQ(e2e_ioctl(devices.handle[XFER_DIRECT], IOCTL_XFER_RESET_STATS, NULL, 0, NULL, 0,
                        &returned), ERROR_SUCCESS);
    ASSERT_EQ(returned, 0);
    memset(&expected, 0, sizeof(expected));
    count(&expected, XFER_DIRECT, XFER_PATH_IOCTL_CONTROL, 1, 0);
    ASSERT_EQ(xfer_get_stats(devices.handle[XFER_BUFFERED], &after, 0), ERROR_SUCCESS);
    check_stats(&after, &expected);
    e2e_close_all(&devices);
}

/* A handle without write access may look (GET_STATS) but not reset: the
 * I/O manager refuses RESET_STATS, so the driver neither resets nor
 * counts it. */
TEST(test_ioctl_stats_reset_needs_write_access)
{
    static const DWORD accesses[] = { GENERIC_READ, 0 };
    struct xfer_stats expected, got;
    HANDLE writer, h;
    size_t a;
    int m, count_as;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ | GENERIC_WRITE, &writer), ERROR_SUCCESS);
    reset(writer, XFER_DIRECT, &expected);
    for (a = 0; a < sizeof(accesses) / sizeof(accesses[0]) && !unit_failed(); a++) {
        for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
            ASSERT_EQ(xfer_open((xfer_mechanism)m, accesses[a], &h), ERROR_SUCCESS);
            ASSERT_EQ(xfer_get_stats(h, NULL, 1), ERROR_ACCESS_DENIED);
            ASSERT_EQ(xfer_get_stats(h, &got, 1), ERROR_ACCESS_DENIED);
            if (accesses[a] & GENERIC_READ) {
                ASSERT_EQ(xfer_get_stats(h, &got, 0), ERROR_SUCCESS);
                count_as = m;
            } else {
                /* GET_STATS needs read access too: asked through the writer. */
                ASSERT_EQ(xfer_get_stats(h, &got, 0), ERROR_ACCESS_DENIED);
                ASSERT_EQ(xfer_get_stats(writer, &got, 0), ERROR_SUCCESS);
                count_as = XFER_DIRECT;
            }
            CloseHandle(h);
            check_stats(&got, &expected);
            count(&expected, count_as, XFER_PATH_IOCTL_CONTROL, 1, sizeof(got));
        }
    }
    CloseHandle(writer);
}

struct worker {
    xfer_mechanism device;
    enum e2e_path path;
    uint64_t base;   /* the worker's own range */
};

/* Request i of a worker: even ones write, odd ones read, and every tenth
 * read asks for a bad offset. Returns the error it must get. */
static DWORD worker_request(HANDLE h, const struct worker *w, int i, uint8_t *data)
{
    uint64_t at = w->base + (uint64_t)(i % 16) * THREAD_LENGTH;
    DWORD done;

    if (i % 2 == 0)
        return e2e_write_via(h, w->path, at, data, THREAD_LENGTH);
    if (i % 10 == 1)
        return e2e_read_via(h, w->path, BAD_OFFSET, data, THREAD_LENGTH, &done);
    return e2e_read_via(h, w->path, at, data, THREAD_LENGTH, &done) == ERROR_SUCCESS &&
                   done == THREAD_LENGTH ? ERROR_SUCCESS : ERROR_INVALID_DATA;
}

static DWORD WINAPI run_worker(void *arg)
{
    const struct worker *w = arg;
    uint8_t data[THREAD_LENGTH];
    HANDLE h;
    int i;

    if (xfer_open(w->device, GENERIC_READ | GENERIC_WRITE, &h) != ERROR_SUCCESS)
        return 1;
    e2e_fill_pattern(data, sizeof(data), SEED, w->base);
    for (i = 0; i < REQUESTS_PER_THREAD; i++) {
        DWORD expected = i % 10 == 1 ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;

        if (worker_request(h, w, i, data) != expected)
            break;
    }
    CloseHandle(h);
    return i == REQUESTS_PER_THREAD ? 0 : 2;
}

TEST(test_ioctl_stats_exact_under_concurrency)
{
    struct worker workers[THREADS];
    struct xfer_stats expected, got;
    HANDLE h;
    int t, i;

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    /* Every read of a worker's range finds bytes, written yet or not. */
    ASSERT_EQ(xfer_set_size(h, THREADS * 4096), ERROR_SUCCESS);
    reset(h, XFER_NEITHER, &expected);
    for (t = 0; t < THREADS; t++) {
        workers[t].device = (xfer_mechanism)(t % XFER_MECHANISM_COUNT);
        workers[t].path = (enum e2e_path)(t % E2E_PATH_COUNT);
        workers[t].base = (uint64_t)t * 4096;
        for (i = 0; i < REQUESTS_PER_THREAD; i++) {
            int write = i % 2 == 0, bad = i % 10 == 1;

            if (bad && workers[t].path == E2E_PATH_FILE &&
                !e2e_negative_file_offset_reaches_driver())
                continue;   /* refused before the driver: not counted */
            count(&expected, workers[t].device, e2e_stats_path(workers[t].path, write), !bad,
                  bad || (write && workers[t].path != E2E_PATH_FILE) ? 0 : THREAD_LENGTH);
        }
    }
    ASSERT_EQ(e2e_run_threads(THREADS, run_worker, workers, sizeof(workers[0])), 0);
    ASSERT_EQ(xfer_get_stats(h, &got, 0), ERROR_SUCCESS);
    check_stats(&got, &expected);
    CloseHandle(h);
}
