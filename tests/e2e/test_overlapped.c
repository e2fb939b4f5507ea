/* SPDX-License-Identifier: MIT */
/*
 * Overlapped handles (FILE_FLAG_OVERLAPPED) on every path: ReadFile and
 * WriteFile and every IOCTL at explicit offsets, through libxfer, which
 * waits for a request that pends and takes the result of one that does
 * not; all of it while a WAIT_CHANGE pends on the same handle, so that a
 * request ending can never be mistaken for another's.
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define LENGTH 3000u
#define OFFSET 70000u   /* past the first chunk */

/* Writes through each path and reads back through each, at offsets of
 * their own; the first write also ends the pending wait. */
static void check_paths(HANDLE h, struct xfer_wait *wait, uint64_t generation)
{
    static uint8_t data[LENGTH], back[LENGTH];
    struct xfer_change change;
    DWORD done;
    int w, r;

    for (w = 0; w < E2E_PATH_COUNT; w++) {
        uint64_t offset = OFFSET + (uint64_t)w * LENGTH;

        e2e_fill_pattern(data, LENGTH, 40 + (uint32_t)w, offset);
        ASSERT_EQ(e2e_write_via(h, (enum e2e_path)w, offset, data, LENGTH), 0);
        if (w == 0) {
            ASSERT_EQ(xfer_wait_finish(h, wait, 1, &change), 0);
            ASSERT_EQ_U64(change.generation, generation + 1);
            ASSERT_EQ_U64(change.offset, offset);
            ASSERT_EQ_U64(change.length, LENGTH);
        }
        for (r = 0; r < E2E_PATH_COUNT; r++) {
            memset(back, E2E_SENTINEL, sizeof(back));
            ASSERT_EQ(e2e_read_via(h, (enum e2e_path)r, offset, back, LENGTH, &done), 0);
            ASSERT_EQ(done, LENGTH);
            ASSERT_MEM_EQ(back, data, LENGTH);
        }
    }
    /* The high half of the offset travels too: 4 GiB + 5 is past the end,
     * not offset 5. */
    ASSERT_EQ(xfer_read_at(h, 0x100000005ull, back, 16, &done), 0);
    ASSERT_EQ(done, 0);
}

/* Every IOCTL beyond the transfers, on the overlapped handle. */
static void check_ioctls(HANDLE h)
{
    static struct xfer_stats stats;
    static uint8_t trace[4096];
    struct xfer_info info;
    uint8_t head[8];
    uint64_t size;
    DWORD done;

    ASSERT_EQ(xfer_set_size(h, 9000), 0);
    ASSERT_EQ(xfer_get_size(h, &size), 0);
    ASSERT_EQ_U64(size, 9000);
    ASSERT_EQ(xfer_get_buffer(h, head, sizeof(head), &done), 0);
    ASSERT_EQ(done, sizeof(head));
    ASSERT_EQ(xfer_zero(h), 0);
    ASSERT_EQ(xfer_get_buffer(h, head, sizeof(head), &done), 0);
    ASSERT_MEM_EQ(head, "\0\0\0\0\0\0\0\0", sizeof(head));
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ_U64(info.size, 9000);
    ASSERT_EQ_U64(info.pending_waiters, 0);   /* SET_SIZE ended the wait */
    ASSERT_EQ(xfer_get_stats(h, &stats, 0), 0);
    ASSERT_EQ(xfer_get_stats(h, &stats, 1), 0);
    ASSERT_EQ(xfer_read_trace(h, 0, trace, sizeof(trace), &done), 0);
    ASSERT_TRUE(done >= sizeof(struct xfer_trace_batch));
    ASSERT_EQ(xfer_remove(h), 0);
    ASSERT_EQ(xfer_get_size(h, &size), 0);
    ASSERT_EQ_U64(size, 0);
    /* Refusals come back as on a synchronous handle. */
    ASSERT_EQ(xfer_set_size(h, XFER_DEFAULT_MAX_SIZE + 1), ERROR_DISK_FULL);
    ASSERT_EQ(xfer_get_buffer(h, head, 1, &done), ERROR_INVALID_PARAMETER);
    ASSERT_EQ(done, 0);
}

static void run_overlapped(const void *arg)
{
    xfer_mechanism m = (xfer_mechanism)(uintptr_t)arg;
    struct xfer_wait wait;
    struct xfer_change change;
    struct xfer_info info;
    HANDLE h;

    ASSERT_EQ(xfer_open_overlapped(m, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_remove(h), 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ(xfer_wait_start(h, info.generation, &wait), ERROR_IO_PENDING);
    check_paths(h, &wait, info.generation);
    UNIT_RETURN_IF_FAILED();

    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ(xfer_wait_start(h, info.generation, &wait), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    check_ioctls(h);
    UNIT_RETURN_IF_FAILED();
    /* SET_SIZE, the first change after it started, ended it. */
    ASSERT_EQ(xfer_wait_finish(h, &wait, 1, &change), 0);
    ASSERT_EQ(change.kind, XFER_CHANGE_RESIZE);
    ASSERT_EQ_U64(change.generation, info.generation + 1);
    CloseHandle(h);
    e2e_check_no_waiters();
}

__attribute__((constructor)) static void register_overlapped(void)
{
    unit_register_case("test_overlapped_buffered", run_overlapped, (void *)XFER_BUFFERED);
    unit_register_case("test_overlapped_direct", run_overlapped, (void *)XFER_DIRECT);
    unit_register_case("test_overlapped_neither", run_overlapped, (void *)XFER_NEITHER);
}
