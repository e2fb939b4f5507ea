/* SPDX-License-Identifier: MIT */
/*
 * Every other way a pending IOCTL_XFER_WAIT_CHANGE ends: CancelIo,
 * CancelIoEx (of one request, or from another thread), the thread that
 * sent it ending, its handle closed
 * (Wine sends CLOSE while it pends, and no CLEANUP), and a hundred of them
 * at once; a change racing a cancel, or a close, round after round. Each
 * ends exactly once, with its change or ERROR_OPERATION_ABORTED, and the
 * driver's pending count returns to 0. The waiting process dying and the
 * driver stopping are test_wait_exit.c's.
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"
#include "xfer/compat.h"

#define MANY 100
#define RACE_ROUNDS 300

static uint64_t generation_now(HANDLE h)
{
    struct xfer_info info;

    return xfer_get_info(h, &info) == ERROR_SUCCESS ? info.generation : UINT64_MAX;
}

TEST(test_wait_cancel_cancel_io)
{
    struct xfer_wait wait;
    HANDLE h;

    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &h), 0);
    ASSERT_EQ(xfer_wait_start(h, generation_now(h), &wait), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    ASSERT_TRUE(CancelIo(h));
    ASSERT_EQ(xfer_wait_finish(h, &wait, 1, NULL), ERROR_OPERATION_ABORTED);
    ASSERT_EQ(e2e_wait_pending(h, 0), 0);
    CloseHandle(h);
    e2e_check_no_waiters();
}

/* CancelIoEx of one request leaves the other on the same handle pending,
 * and a change then completes that one. */
TEST(test_wait_cancel_cancel_io_ex_one_of_two)
{
    struct xfer_wait first, second;
    struct xfer_change change;
    uint64_t generation;
    HANDLE h, writer;

    ASSERT_EQ(xfer_open_overlapped(XFER_DIRECT, GENERIC_READ, &h), 0);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_WRITE | GENERIC_READ, &writer), 0);
    generation = generation_now(h);
    ASSERT_EQ(xfer_wait_start(h, generation, &first), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_wait_start(h, generation, &second), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 2), 0);
    ASSERT_EQ(xfer_wait_cancel(h, &first), 0);
    ASSERT_EQ(xfer_wait_finish(h, &first, 1, NULL), ERROR_OPERATION_ABORTED);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    ASSERT_EQ(xfer_wait_finish(h, &second, 0, NULL), ERROR_IO_INCOMPLETE);
    ASSERT_EQ(xfer_set_size(writer, 77), 0);
    ASSERT_EQ(xfer_wait_finish(h, &second, 1, &change), 0);
    ASSERT_EQ_U64(change.generation, generation + 1);
    ASSERT_EQ(change.kind, XFER_CHANGE_RESIZE);
    ASSERT_EQ(xfer_wait_cancel(h, &second), ERROR_NOT_FOUND);   /* over already */
    CloseHandle(h);
    CloseHandle(writer);
    e2e_check_no_waiters();
}

struct blocked {
    HANDLE handle;
    uint64_t generation;
    DWORD error;
};

static DWORD WINAPI wait_blocking(void *arg)
{
    struct blocked *b = arg;
    struct xfer_change change;

    b->error = xfer_wait_change(b->handle, b->generation, &change);
    return 0;
}

/* A thread blocked in a wait on a synchronous handle is freed by
 * CancelIoEx from another thread. */
TEST(test_wait_cancel_cancel_io_ex_other_thread)
{
    struct blocked b;
    HANDLE thread;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &b.handle), 0);
    b.generation = generation_now(b.handle);
    b.error = 0xDEADBEEF;
    thread = CreateThread(NULL, 0, wait_blocking, &b, 0, NULL);
    ASSERT_TRUE(thread != NULL);
    ASSERT_EQ(e2e_wait_pending(b.handle, 1), 0);
    ASSERT_TRUE(xfer_cancel_io_ex(b.handle, NULL));
    ASSERT_EQ(WaitForSingleObject(thread, 20000), WAIT_OBJECT_0);
    CloseHandle(thread);
    ASSERT_EQ(b.error, ERROR_OPERATION_ABORTED);
    CloseHandle(b.handle);
    e2e_check_no_waiters();
}

static struct xfer_wait exited_wait;

static DWORD WINAPI start_wait_and_exit(void *arg)
{
    struct blocked *b = arg;

    b->error = xfer_wait_start(b->handle, b->generation, &exited_wait);
    return 0;   /* with the wait pending: the thread's end cancels it */
}

/* Direct's errors among "other IOCTLs", read through the Buffered device. */
static uint64_t direct_control_errors(HANDLE buffered)
{
    static struct xfer_stats stats;

    if (xfer_get_stats(buffered, &stats, 0) != ERROR_SUCCESS)
        return UINT64_MAX;
    return stats.device[XFER_DIRECT][XFER_PATH_IOCTL_CONTROL].errors;
}

/* A thread that ends with a wait pending takes the wait with it: the I/O
 * manager cancels the IRPs a thread issued when it exits, and the driver
 * completes the wait once, as cancelled (its error counter says so).
 * Windows also writes the status block; Wine may not, once the thread is
 * gone (seen on 32-bit Wine: the event is set, the status still pending). */
TEST(test_wait_cancel_thread_exits)
{
    uint64_t errors;
    struct blocked b;
    HANDLE thread, buffered;
    ULONG_PTR status;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &buffered), 0);
    errors = direct_control_errors(buffered);
    ASSERT_EQ(xfer_open_overlapped(XFER_DIRECT, GENERIC_READ, &b.handle), 0);
    b.generation = generation_now(b.handle);
    thread = CreateThread(NULL, 0, start_wait_and_exit, &b, 0, NULL);
    ASSERT_TRUE(thread != NULL);
    ASSERT_EQ(WaitForSingleObject(thread, 20000), WAIT_OBJECT_0);
    CloseHandle(thread);
    ASSERT_EQ(b.error, ERROR_IO_PENDING);
    ASSERT_EQ(WaitForSingleObject(exited_wait.overlapped.hEvent, 20000), WAIT_OBJECT_0);
    status = exited_wait.overlapped.Internal;
    CloseHandle(exited_wait.overlapped.hEvent);
    if (!(status == 0xC0000120u || (e2e_is_wine() && status == 0x103u)))  /* CANCELLED, PENDING */
        unit_fail(__FILE__, __LINE__, "the wait's status block says 0x%lx", (unsigned long)status);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(e2e_wait_pending(b.handle, 0), 0);
    ASSERT_EQ_U64(direct_control_errors(buffered), errors + 1);
    CloseHandle(b.handle);
    CloseHandle(buffered);
    e2e_check_no_waiters();
}

/* Closing a handle ends its waits and only its own: a wait on another
 * handle of the same device stays pending until the next change. */
TEST(test_wait_cancel_handle_closed)
{
    struct xfer_wait mine[2], other;
    struct xfer_change change;
    uint64_t generation;
    HANDLE h, keep;
    int i;

    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &h), 0);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &keep), 0);
    generation = generation_now(h);
    for (i = 0; i < 2; i++)
        ASSERT_EQ(xfer_wait_start(h, generation, &mine[i]), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_wait_start(keep, generation, &other), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(keep, 3), 0);
    ASSERT_TRUE(CloseHandle(h));
    for (i = 0; i < 2; i++) {
        /* The handle is gone: the event and the status block tell. */
        ASSERT_EQ(WaitForSingleObject(mine[i].overlapped.hEvent, 20000), WAIT_OBJECT_0);
        ASSERT_EQ_U64(mine[i].overlapped.Internal, 0xC0000120u);   /* STATUS_CANCELLED */
        ASSERT_EQ_U64(mine[i].overlapped.InternalHigh, 0);
        CloseHandle(mine[i].overlapped.hEvent);
    }
    ASSERT_EQ(e2e_wait_pending(keep, 1), 0);
    ASSERT_EQ(xfer_zero(keep), 0);
    ASSERT_EQ(xfer_wait_finish(keep, &other, 1, &change), 0);
    ASSERT_EQ(change.kind, XFER_CHANGE_ZERO);
    CloseHandle(keep);
    e2e_check_no_waiters();
}

/* A hundred waits on handles of all three devices: one change completes
 * every one with that change; a hundred more end with their handles. */
TEST(test_wait_cancel_hundred_waiters)
{
    static HANDLE handles[MANY];
    static struct xfer_wait waits[MANY];
    struct xfer_change change;
    uint64_t generation;
    uint8_t byte = 9;
    DWORD done;
    int i;

    for (i = 0; i < MANY; i++)
        ASSERT_EQ(xfer_open_overlapped((xfer_mechanism)(i % XFER_MECHANISM_COUNT),
                                       GENERIC_READ | GENERIC_WRITE, &handles[i]), 0);
    generation = generation_now(handles[0]);
    for (i = 0; i < MANY; i++)
        ASSERT_EQ(xfer_wait_start(handles[i], generation, &waits[i]), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(handles[0], MANY), 0);
    ASSERT_EQ(xfer_write_at(handles[MANY - 1], 123, &byte, 1, &done), 0);
    for (i = 0; i < MANY; i++) {
        ASSERT_EQ(xfer_wait_finish(handles[i], &waits[i], 1, &change), 0);
        ASSERT_EQ_U64(change.generation, generation + 1);
        ASSERT_EQ_U64(change.offset, 123);
        ASSERT_EQ_U64(change.length, 1);
    }
    ASSERT_EQ(e2e_wait_pending(handles[0], 0), 0);

    for (i = 0; i < MANY; i++)
        ASSERT_EQ(xfer_wait_start(handles[i], generation + 1, &waits[i]), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(handles[0], MANY), 0);
    for (i = 0; i < MANY; i++)
        CloseHandle(handles[i]);
    for (i = 0; i < MANY; i++) {
        ASSERT_EQ(WaitForSingleObject(waits[i].overlapped.hEvent, 20000), WAIT_OBJECT_0);
        ASSERT_EQ_U64(waits[i].overlapped.Internal, 0xC0000120u);
        CloseHandle(waits[i].overlapped.hEvent);
    }
    e2e_check_no_waiters();
}

/* Racing a wait's end: thread 0 changes the store, thread 1 cancels the
 * wait (or closes its handle); both start at one signal. */
struct racer {
    HANDLE go, waiter, writer;
    struct xfer_wait *wait;
    int close;      /* thread 1 closes the handle instead of cancelling */
    int role;
    DWORD error;
};

static DWORD WINAPI race(void *arg)
{
    struct racer *r = arg;
    uint8_t byte = 1;
    DWORD done;

    WaitForSingleObject(r->go, INFINITE);
    if (r->role == 0)
        r->error = xfer_write_at(r->writer, 0, &byte, 1, &done);
    else if (r->close)
        r->error = CloseHandle(r->waiter) ? 0 : GetLastError();
    else if (!xfer_cancel_io_ex(r->waiter, &r->wait->overlapped) && GetLastError() != ERROR_NOT_FOUND)
        r->error = GetLastError();   /* ERROR_NOT_FOUND: the write won */
    return 0;
}

static void race_rounds(int close)
{
    struct racer racers[2];
    struct xfer_wait wait;
    HANDLE writer, go;
    int round, changed = 0, cancelled = 0, i;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ | GENERIC_WRITE, &writer), 0);
    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    ASSERT_TRUE(go != NULL);
    for (round = 0; round < RACE_ROUNDS && !unit_failed(); round++) {
        HANDLE waiter;
        uint64_t generation = generation_now(writer);
        DWORD error;

        ASSERT_EQ(xfer_open_overlapped((xfer_mechanism)(round % 3), GENERIC_READ, &waiter), 0);
        ASSERT_EQ(xfer_wait_start(waiter, generation, &wait), ERROR_IO_PENDING);
        ASSERT_EQ(e2e_wait_pending(writer, 1), 0);
        ResetEvent(go);
        for (i = 0; i < 2; i++)
            racers[i] = (struct racer){ go, waiter, writer, &wait, close, i, 0 };
        {
            HANDLE threads[2];

            for (i = 0; i < 2; i++)
                threads[i] = CreateThread(NULL, 0, race, &racers[i], 0, NULL);
            SetEvent(go);
            WaitForMultipleObjects(2, threads, TRUE, INFINITE);
            for (i = 0; i < 2; i++)
                CloseHandle(threads[i]);
        }
        ASSERT_EQ(racers[0].error, 0);
        ASSERT_EQ(racers[1].error, 0);
        /* Exactly one ending: the change, or the cancel. */
        ASSERT_EQ(WaitForSingleObject(wait.overlapped.hEvent, 20000), WAIT_OBJECT_0);
        error = (DWORD)wait.overlapped.Internal;
        if (error == 0) {
            ASSERT_EQ_U64(wait.out.generation, generation + 1);
            ASSERT_EQ_U64(wait.overlapped.InternalHigh, sizeof(struct xfer_change));
            changed++;
        } else {
            ASSERT_EQ_U64(error, 0xC0000120u);
            cancelled++;
        }
        CloseHandle(wait.overlapped.hEvent);
        if (!close)
            CloseHandle(waiter);
        ASSERT_EQ(e2e_wait_pending(writer, 0), 0);
    }
    CloseHandle(go);
    CloseHandle(writer);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(changed + cancelled, RACE_ROUNDS);
    e2e_check_no_waiters();
}

TEST(test_wait_cancel_race_change_and_cancel)
{
    race_rounds(0);
}

TEST(test_wait_cancel_race_change_and_close)
{
    race_rounds(1);
}
