/* SPDX-License-Identifier: MIT */
/*
 * IOCTL_XFER_WAIT_CHANGE completed by a change: each kind of change and the
 * range it reports, on waiters of every device; an answer at once when the
 * store has moved on (one change behind: that change; more: "many");
 * changes that change nothing wake nobody; malformed requests refused.
 * How a wait ends otherwise is test_wait_cancel.c's.
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define BASE 10000u   /* the store's size before each change */

struct change_case {
    const char *name;
    xfer_mechanism waiter;   /* the device the wait is sent to */
    xfer_mechanism changer;  /* the device the change is sent to */
    int kind;
    enum e2e_path path;      /* a write's path */
    uint64_t offset, length; /* a write's range, a resize's new size */
    struct xfer_change expect;   /* generation: how far past the one before */
};

/* Makes the change of `c` through `h`. */
static DWORD make_change(HANDLE h, const struct change_case *c)
{
    static uint8_t data[70000];

    switch (c->kind) {
    case XFER_CHANGE_WRITE:
        e2e_fill_pattern(data, (size_t)c->length, 5, c->offset);
        return e2e_write_via(h, c->path, c->offset, data, (DWORD)c->length);
    case XFER_CHANGE_ZERO:
        return xfer_zero(h);
    case XFER_CHANGE_REMOVE:
        return xfer_remove(h);
    default:
        return xfer_set_size(h, c->length);
    }
}

static void run_change(const void *arg)
{
    const struct change_case *c = arg;
    uint8_t model[BASE];
    struct xfer_change change;
    struct xfer_wait wait;
    struct xfer_info info;
    HANDLE waiter, changer;

    ASSERT_EQ(xfer_open_overlapped(c->waiter, GENERIC_READ, &waiter), 0);
    ASSERT_EQ(xfer_open(c->changer, GENERIC_READ | GENERIC_WRITE, &changer), 0);
    ASSERT_EQ(e2e_reset_store(changer, model, BASE, 3), 0);
    ASSERT_EQ(xfer_get_info(waiter, &info), 0);
    ASSERT_EQ(xfer_wait_start(waiter, info.generation, &wait), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(changer, 1), 0);
    ASSERT_EQ(make_change(changer, c), 0);
    /* The change completed the wait before its own request returned. */
    ASSERT_TRUE(WaitForSingleObject(wait.overlapped.hEvent, 0) == WAIT_OBJECT_0);
    ASSERT_EQ(xfer_wait_finish(waiter, &wait, 1, &change), 0);
    ASSERT_EQ_U64(change.generation, info.generation + 1);
    ASSERT_EQ(change.kind, c->expect.kind);
    ASSERT_EQ_U64(change.offset, c->expect.offset);
    ASSERT_EQ_U64(change.length, c->expect.length);
    ASSERT_EQ_U64(change.size, c->expect.size);
    ASSERT_EQ(change.reserved, 0);
    CloseHandle(waiter);
    CloseHandle(changer);
    e2e_check_no_waiters();
}

#define EXPECT(k, o, l, s) { 0, (o), (l), (s), (k), 0 }
static const struct change_case change_cases[] = {
    { "test_wait_change_write_file", XFER_BUFFERED, XFER_DIRECT, XFER_CHANGE_WRITE,
      E2E_PATH_FILE, 4096, 10, EXPECT(XFER_CHANGE_WRITE, 4096, 10, BASE) },
    { "test_wait_change_write_ioctl_buffered", XFER_DIRECT, XFER_DIRECT, XFER_CHANGE_WRITE,
      E2E_PATH_IOCTL_BUFFERED, 7, 3, EXPECT(XFER_CHANGE_WRITE, 7, 3, BASE) },
    { "test_wait_change_write_ioctl_direct_grows", XFER_NEITHER, XFER_NEITHER, XFER_CHANGE_WRITE,
      E2E_PATH_IOCTL_DIRECT, BASE + 5, 65536,
      EXPECT(XFER_CHANGE_WRITE, BASE + 5, 65536, BASE + 5 + 65536) },
    { "test_wait_change_write_ioctl_neither", XFER_BUFFERED, XFER_BUFFERED, XFER_CHANGE_WRITE,
      E2E_PATH_IOCTL_NEITHER, 0, 1, EXPECT(XFER_CHANGE_WRITE, 0, 1, BASE) },
    { "test_wait_change_zero", XFER_DIRECT, XFER_BUFFERED, XFER_CHANGE_ZERO, E2E_PATH_FILE, 0, 0,
      EXPECT(XFER_CHANGE_ZERO, 0, BASE, BASE) },
    { "test_wait_change_remove", XFER_NEITHER, XFER_DIRECT, XFER_CHANGE_REMOVE, E2E_PATH_FILE,
      0, 0, EXPECT(XFER_CHANGE_REMOVE, 0, BASE, 0) },
    { "test_wait_change_resize_shrink", XFER_BUFFERED, XFER_NEITHER, XFER_CHANGE_RESIZE,
      E2E_PATH_FILE, 0, 100, EXPECT(XFER_CHANGE_RESIZE, 100, BASE - 100, 100) },
    { "test_wait_change_resize_grow", XFER_DIRECT, XFER_DIRECT, XFER_CHANGE_RESIZE,
      E2E_PATH_FILE, 0, 3 * BASE, EXPECT(XFER_CHANGE_RESIZE, BASE, 2 * BASE, 3 * BASE) },
    { "test_wait_change_resize_same", XFER_NEITHER, XFER_BUFFERED, XFER_CHANGE_RESIZE,
      E2E_PATH_FILE, 0, BASE, EXPECT(XFER_CHANGE_RESIZE, BASE, 0, BASE) },
};

__attribute__((constructor)) static void register_change_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof(change_cases) / sizeof(change_cases[0]); i++)
        unit_register_case(change_cases[i].name, run_change, &change_cases[i]);
}

/* Behind by one: that change, exactly. Behind by more, or ahead (a
 * generation of an earlier run of the driver): at once, "many". */
TEST(test_wait_change_at_once_when_behind)
{
    static const uint8_t data[5] = "hello";
    struct xfer_change change;
    struct xfer_info info;
    HANDLE h;
    DWORD done;

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ(xfer_write_at(h, 300, data, sizeof(data), &done), 0);
    ASSERT_EQ(xfer_wait_change(h, info.generation, &change), 0);   /* a synchronous handle */
    ASSERT_EQ_U64(change.generation, info.generation + 1);
    ASSERT_EQ(change.kind, XFER_CHANGE_WRITE);
    ASSERT_EQ_U64(change.offset, 300);
    ASSERT_EQ_U64(change.length, sizeof(data));

    ASSERT_EQ(xfer_zero(h), 0);
    ASSERT_EQ(xfer_wait_change(h, info.generation, &change), 0);
    ASSERT_EQ_U64(change.generation, info.generation + 2);
    ASSERT_EQ(change.kind, XFER_CHANGE_MANY);
    ASSERT_EQ_U64(change.offset, 0);
    ASSERT_EQ_U64(change.length, 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ_U64(change.size, info.size);

    ASSERT_EQ(xfer_wait_change(h, info.generation + 1000, &change), 0);
    ASSERT_EQ_U64(change.generation, info.generation);
    ASSERT_EQ(change.kind, XFER_CHANGE_MANY);
    ASSERT_EQ_U64(info.pending_waiters, 0);
    CloseHandle(h);
}

/* A zero-length write, a write past the limit and a refused SET_SIZE leave
 * the generation alone, and so the waiter waiting. */
TEST(test_wait_change_no_change_wakes_nobody)
{
    struct xfer_wait wait;
    struct xfer_info info;
    uint8_t byte = 1;
    HANDLE waiter, h;
    DWORD done;

    ASSERT_EQ(xfer_open_overlapped(XFER_DIRECT, GENERIC_READ, &waiter), 0);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ(xfer_wait_start(waiter, info.generation, &wait), ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(h, 1), 0);
    ASSERT_EQ(xfer_write_at(h, 5, &byte, 0, &done), 0);
    ASSERT_EQ(xfer_write_at(h, info.limit, &byte, 1, &done), ERROR_DISK_FULL);
    ASSERT_EQ(xfer_set_size(h, info.limit + 1), ERROR_DISK_FULL);
    ASSERT_EQ(xfer_ioctl_write(h, XFER_DIRECT, 0, &byte, 0), 0);
    ASSERT_EQ(xfer_wait_finish(waiter, &wait, 0, NULL), ERROR_IO_INCOMPLETE);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    ASSERT_EQ_U64(info.pending_waiters, 1);
    ASSERT_EQ(xfer_wait_cancel(waiter, &wait), 0);
    ASSERT_EQ(xfer_wait_finish(waiter, &wait, 1, NULL), ERROR_OPERATION_ABORTED);
    CloseHandle(waiter);
    CloseHandle(h);
    e2e_check_no_waiters();
}

/* Malformed waits are refused at once and change nothing; the code needs
 * read access. */
TEST(test_wait_change_bad_requests)
{
    struct xfer_wait_change in = { 0, 0 };
    uint8_t big[17] = { 0 };
    struct xfer_info info;
    HANDLE h, write_only;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(xfer_get_info(h, &info), 0);
    in.generation = info.generation;
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in) - 1, 40, ERROR_INVALID_PARAMETER);
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, big, sizeof(big), 40, ERROR_INVALID_PARAMETER);
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, NULL, 0, 40, ERROR_INVALID_PARAMETER);
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), 39, ERROR_INSUFFICIENT_BUFFER);
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), 0, ERROR_INSUFFICIENT_BUFFER);
    in.reserved = 1;
    e2e_expect_refused(h, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), 40, ERROR_INVALID_PARAMETER);
    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_WRITE, &write_only), 0);
    in.reserved = 0;
    e2e_expect_refused(write_only, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), 40,
                       ERROR_ACCESS_DENIED);
    CloseHandle(write_only);
    CloseHandle(h);
    e2e_check_no_waiters();
}
