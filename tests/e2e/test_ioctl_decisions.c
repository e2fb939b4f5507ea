/* SPDX-License-Identifier: MIT */
/*
 * The rules docs/interface.md settles where a first reading found it
 * ambiguous ("Decisions"), each as the driver behaves: which error wins
 * when a request breaks two rules, zero-length requests far out, commands
 * on the whole store that change no byte. (RESET_STATS counting itself is
 * test_ioctl_stats_reset_returns_the_snapshot_then_zeroes's.)
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define ABOVE_INT64 0x8000000000000000ull
#define LAST_OFFSET 0x7FFFFFFFFFFFFFFFull

/* A transfer IOCTL of `method` with the header's offset as given. */
static DWORD transfer(HANDLE h, int write, xfer_mechanism method, uint64_t offset, void *data,
                      DWORD length)
{
    struct xfer_transfer_header header = { offset, 0 };
    uint8_t in[sizeof(header) + 8];
    DWORD returned, code = xfer_transfer_code(method, write);

    memcpy(in, &header, sizeof(header));
    if (write && method == XFER_BUFFERED) {
        memcpy(in + sizeof(header), data, length);
        return e2e_ioctl(h, code, in, sizeof(header) + length, NULL, 0, &returned);
    }
    return e2e_ioctl(h, code, in, sizeof(header), data, length, &returned);
}

/* Above 2^63 - 1 and past MaxSize at once: the offset's rule is checked
 * first, so ERROR_INVALID_PARAMETER, never ERROR_DISK_FULL. Zero-length
 * requests: above 2^63 - 1, refused the same way (the offset itself is
 * invalid); anywhere up to 2^63 - 1, past MaxSize too, success with
 * nothing changed. Offset 2^63 - 1 with 1 byte ends past 2^63 - 1:
 * refused. */
TEST(test_ioctl_decisions_offset_rule_wins)
{
    struct e2e_state before;
    uint8_t data[8] = "12345678";
    HANDLE h;
    int m;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(h, data, 8, 3), ERROR_SUCCESS);
    ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        xfer_mechanism method = (xfer_mechanism)m;

        ASSERT_EQ(transfer(h, 1, method, ABOVE_INT64, data, 1), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 1, method, ~0ull, data, 8), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 1, method, LAST_OFFSET, data, 1), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 0, method, LAST_OFFSET, data, 1), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 1, method, ABOVE_INT64, data, 0), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 0, method, ABOVE_INT64, data, 0), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(transfer(h, 1, method, XFER_DEFAULT_MAX_SIZE, data, 1), ERROR_DISK_FULL);
        ASSERT_EQ(transfer(h, 1, method, XFER_DEFAULT_MAX_SIZE + 100, data, 0), ERROR_SUCCESS);
        ASSERT_EQ(transfer(h, 1, method, LAST_OFFSET, data, 0), ERROR_SUCCESS);
        ASSERT_EQ(transfer(h, 0, method, LAST_OFFSET, data, 0), ERROR_SUCCESS);
        e2e_check_unchanged(h, &before);
    }
    CloseHandle(h);
}

/* ZERO and REMOVE on an empty store, and SET_SIZE to the size the store
 * has, are changes: each is a command on the whole store, so the
 * generation moves and a waiter learns of it (with an empty range). */
TEST(test_ioctl_decisions_whole_store_commands_are_changes)
{
    static const struct { const char *name; uint32_t kind; } steps[] = {
        { "zero", XFER_CHANGE_ZERO }, { "remove", XFER_CHANGE_REMOVE },
        { "set_size", XFER_CHANGE_RESIZE },
    };
    struct xfer_change change;
    struct xfer_wait wait;
    struct xfer_info info;
    HANDLE h, waiter;
    size_t i;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &waiter), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && !unit_failed(); i++) {
        ASSERT_EQ(xfer_get_info(h, &info), ERROR_SUCCESS);
        ASSERT_EQ_U64(info.size, 0);
        ASSERT_EQ(xfer_wait_start(waiter, info.generation, &wait), ERROR_IO_PENDING);
        if (steps[i].kind == XFER_CHANGE_ZERO)
            ASSERT_EQ(xfer_zero(h), ERROR_SUCCESS);
        else if (steps[i].kind == XFER_CHANGE_REMOVE)
            ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
        else
            ASSERT_EQ(xfer_set_size(h, 0), ERROR_SUCCESS);
        ASSERT_EQ(xfer_wait_finish(waiter, &wait, 1, &change), ERROR_SUCCESS);
        ASSERT_EQ_U64(change.generation, info.generation + 1);
        ASSERT_EQ(change.kind, steps[i].kind);
        ASSERT_EQ_U64(change.length, 0);
        ASSERT_EQ_U64(change.size, 0);
    }
    CloseHandle(waiter);
    CloseHandle(h);
}
