/* SPDX-License-Identifier: MIT */
/*
 * Neither I/O's own rules (driver/buffers.c, transfer.c, locked.c):
 *  - a user-mode caller's whole declared buffer is checked before anything
 *    else, so a bad one is refused alike whether the store is empty, holds
 *    bytes at the offset, or ends before it;
 *  - kernel memory follows what is real: a read's bounce buffer is sized by
 *    what the store holds, not by the length asked for, and a bad pointer
 *    with a huge length costs nothing;
 *  - transfers on both sides of the locked-pages threshold (64 KiB) and of
 *    the bounce buffer's piece (1 MiB) move exactly the right bytes. On
 *    Windows the large ones run on locked and mapped pages; under Wine,
 *    which cannot map a driver's own MDL, they fall back to the bounce
 *    path, read in pieces: both must be right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"
#include "xfer/verify.h"

#define PAGE 4096u
#define THRESHOLD 65536u        /* driver/locked.c's XFER_LOCK_THRESHOLD */
#define PIECE (1024u * 1024u)   /* driver's XFER_BOUNCE_PIECE */
#define SEED 151u
#if defined(_WIN64)
#define KERNEL_ADDRESS ((void *)(uintptr_t)0xFFFFF80000000000ull)
#else
#define KERNEL_ADDRESS ((void *)(uintptr_t)0x80001000u)
#endif

/* The ways a Neither request carries a user pointer. */
enum neither_way { WAY_FILE, WAY_IOCTL, WAY_COUNT };

static DWORD neither_raw(HANDLE h, enum neither_way way, int write, uint64_t offset,
                         void *data, DWORD length, DWORD *done)
{
    struct xfer_transfer_header header = { offset, 0 };
    OVERLAPPED at = { 0 };
    BOOL ok;

    if (way == WAY_IOCTL)
        return e2e_ioctl(h, write ? IOCTL_XFER_WRITE_NEITHER : IOCTL_XFER_READ_NEITHER,
                         &header, sizeof(header), data, length, done);
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    *done = E2E_RETURNED_UNSET;
    SetLastError(0xDEADBEEF);
    ok = write ? WriteFile(h, data, length, done, &at) : ReadFile(h, data, length, done, &at);
    return ok ? ERROR_SUCCESS : GetLastError();
}

/* One bad buffer, refused with exactly ERROR_NOACCESS, nothing returned,
 * the store as it was. */
static void refused_alike(HANDLE h, enum neither_way way, int write, uint64_t offset,
                          void *data, DWORD length, const char *what)
{
    struct e2e_state before;
    DWORD error, done;

    ASSERT_EQ(e2e_get_state(h, &before), ERROR_SUCCESS);
    error = neither_raw(h, way, write, offset, data, length, &done);
    if (error != ERROR_NOACCESS)
        unit_fail(__FILE__, __LINE__, "%s %s of %lu bytes at offset %llu into %s: error %lu, "
                  "expected 998", way == WAY_FILE ? "ReadFile/WriteFile" : "IOCTL",
                  write ? "write" : "read", (unsigned long)length,
                  (unsigned long long)offset, what, (unsigned long)error);
    UNIT_RETURN_IF_FAILED();
    ASSERT_TRUE(e2e_returned_nothing(done));
    e2e_check_unchanged(h, &before);
}

/* Every bad buffer on every Neither way, at `offset`. */
static void refuse_every_bad_buffer(HANDLE h, uint64_t offset, uint8_t *freed,
                                    uint8_t *read_only, DWORD length)
{
    int way, write;

    for (way = 0; way < WAY_COUNT && !unit_failed(); way++) {
        for (write = 0; write < 2 && !unit_failed(); write++) {
            refused_alike(h, (enum neither_way)way, write, offset, KERNEL_ADDRESS, length,
                          "a kernel address");
            if (!unit_failed())
                refused_alike(h, (enum neither_way)way, write, offset, freed, length,
                              "freed memory");
            /* Read-only memory is a good source, a bad destination. */
            if (!write && !unit_failed())
                refused_alike(h, (enum neither_way)way, write, offset, read_only, length,
                              "a read-only page");
        }
    }
}

/* Finding 1 of issue 15: the store's contents must not decide whether a
 * bad buffer is noticed. Empty store; bytes at the offset; the offset past
 * the end; and lengths on both sides of the locked-pages threshold. */
TEST(test_neither_bad_buffer_refused_whatever_the_store_holds)
{
    static const DWORD lengths[] = { 16, THRESHOLD + 16 };
    uint8_t *freed, *read_only, model[4096];
    DWORD old;
    HANDLE h;
    size_t i;

    E2E_WINDOWS_ONLY("Wine hands the driver copies of every buffer and checks the caller's "
                     "pointers in the client, so a bad pointer never reaches the driver");
    freed = VirtualAlloc(NULL, 2 * THRESHOLD, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    read_only = VirtualAlloc(NULL, 2 * THRESHOLD, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ASSERT_TRUE(freed != NULL && read_only != NULL);
    ASSERT_TRUE(VirtualFree(freed, 0, MEM_RELEASE));
    ASSERT_TRUE(VirtualProtect(read_only, 2 * THRESHOLD, PAGE_READONLY, &old));
    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]) && !unit_failed(); i++) {
        ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
        refuse_every_bad_buffer(h, 0, freed, read_only, lengths[i]);
        UNIT_RETURN_IF_FAILED();
        ASSERT_EQ(e2e_reset_store(h, model, sizeof(model), SEED), ERROR_SUCCESS);
        refuse_every_bad_buffer(h, 0, freed, read_only, lengths[i]);
        refuse_every_bad_buffer(h, sizeof(model), freed, read_only, lengths[i]);
        refuse_every_bad_buffer(h, sizeof(model) + 12345, freed, read_only, lengths[i]);
    }
    CloseHandle(h);
    VirtualFree(read_only, 0, MEM_RELEASE);
}

/* What the driver holds: GET_INFO's bytes_allocated. */
static uint64_t bytes_held(HANDLE h)
{
    struct xfer_info info;

    if (xfer_get_info(h, &info) != ERROR_SUCCESS)
        return UINT64_MAX;
    return info.bytes_allocated;
}

/* The pool the driver holds, where it can tell: the verifier build answers
 * IOCTL_XFER_VERIFY (make verify-check runs this suite against it); any
 * other build refuses the code, and then UINT64_MAX. */
static uint64_t pool_bytes(HANDLE h)
{
    struct xfer_verify_request in = { XFER_VERIFY_QUERY, 0 };
    struct xfer_verify_state out;
    DWORD returned;

    if (e2e_ioctl(h, IOCTL_XFER_VERIFY, &in, sizeof(in), &out, sizeof(out), &returned) !=
        ERROR_SUCCESS)
        return UINT64_MAX;
    return out.pool_bytes;
}

#define POOL_SLACK 65536u   /* what else may come and go meanwhile */

/* A read of 4 GiB - 1 with a NULL or junk pointer on an empty store, and a
 * write of as much from junk: each fails, the store holds no more memory
 * than before, the driver's pool (where it can tell) grows by no more than
 * a small bound, and the next request is served. (The driver would
 * otherwise size a read's bounce buffer by the length asked for: 4 GiB of
 * paged pool per request.) */
TEST(test_neither_huge_length_with_bad_pointer_costs_nothing)
{
    static void *const pointers[] = { NULL, (void *)(uintptr_t)0x10000u, KERNEL_ADDRESS };
    uint8_t back[16], data[16];
    uint64_t held_before, pool_before;
    DWORD error, done;
    int way;
    size_t i;
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    held_before = bytes_held(h);
    ASSERT_TRUE(held_before != UINT64_MAX);
    pool_before = pool_bytes(h);
    for (way = 0; way < WAY_COUNT && !unit_failed(); way++) {
        for (i = 0; i < sizeof(pointers) / sizeof(pointers[0]) && !unit_failed(); i++) {
            error = neither_raw(h, (enum neither_way)way, 0, 0, pointers[i], 0xFFFFFFFFu, &done);
            if (error == ERROR_SUCCESS)
                unit_fail(__FILE__, __LINE__, "read of 4 GiB - 1 into %p: accepted",
                          pointers[i]);
            error = neither_raw(h, (enum neither_way)way, 1, 0, pointers[i], 0xFFFFFFFFu, &done);
            if (error == ERROR_SUCCESS)
                unit_fail(__FILE__, __LINE__, "write of 4 GiB - 1 from %p: accepted",
                          pointers[i]);
            UNIT_RETURN_IF_FAILED();
            ASSERT_EQ_U64(bytes_held(h), held_before);
            if (pool_before != UINT64_MAX)
                ASSERT_TRUE(pool_bytes(h) <= pool_before + POOL_SLACK);
        }
    }
    /* The next normal request works. */
    e2e_fill_pattern(data, sizeof(data), SEED, 0);
    ASSERT_EQ(xfer_write_at(h, 0, data, sizeof(data), &done), ERROR_SUCCESS);
    ASSERT_EQ(xfer_read_at(h, 0, back, sizeof(back), &done), ERROR_SUCCESS);
    ASSERT_EQ(done, sizeof(back));
    ASSERT_MEM_EQ(back, data, sizeof(data));
    CloseHandle(h);
}

/* A read of far more than the store holds returns what it holds: the
 * bounce buffer is sized by the store, not by the 64 MiB asked for. */
TEST(test_neither_read_far_past_what_the_store_holds)
{
    const DWORD asked = 4u * 1024 * 1024, stored = 3000;
    uint8_t model[3000], *buffer;
    DWORD done;
    int way;
    HANDLE h;

    buffer = VirtualAlloc(NULL, asked, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ASSERT_TRUE(buffer != NULL);
    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(h, model, stored, SEED), ERROR_SUCCESS);
    for (way = 0; way < WAY_COUNT && !unit_failed(); way++) {
        memset(buffer, E2E_SENTINEL, PAGE);
        ASSERT_EQ(neither_raw(h, (enum neither_way)way, 0, 100, buffer, asked, &done),
                  ERROR_SUCCESS);
        ASSERT_EQ(done, stored - 100);
        ASSERT_MEM_EQ(buffer, model + 100, stored - 100);
        ASSERT_TRUE(e2e_untouched_from(buffer, PAGE, stored - 100));
        /* At the end, and past it: nothing, and no error. */
        ASSERT_EQ(neither_raw(h, (enum neither_way)way, 0, stored, buffer, asked, &done),
                  ERROR_SUCCESS);
        ASSERT_EQ(done, 0);
        ASSERT_EQ(neither_raw(h, (enum neither_way)way, 0, stored + PIECE, buffer, asked,
                              &done), ERROR_SUCCESS);
        ASSERT_EQ(done, 0);
    }
    CloseHandle(h);
    VirtualFree(buffer, 0, MEM_RELEASE);
}

/* Lengths around the threshold and the piece, at an odd offset: written
 * through one Neither way, read back through the other and through the
 * Buffered device, byte for byte; a read asking for more than the store
 * holds past a piece boundary returns exactly what it holds. */
TEST(test_neither_sizes_around_the_locked_threshold)
{
    static const DWORD lengths[] = {
        THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, PIECE - 1, PIECE + 3, 2 * PIECE + 4097,
    };
    const uint64_t offset = 4099;
    struct e2e_devices devices;
    uint8_t *data, *back;
    DWORD done, max = 2 * PIECE + 4097 + PAGE;
    size_t i;
    int way;

    data = malloc(max);
    back = malloc(max);
    ASSERT_TRUE(data != NULL && back != NULL);
    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]) && !unit_failed(); i++) {
        for (way = 0; way < WAY_COUNT && !unit_failed(); way++) {
            HANDLE h = devices.handle[XFER_NEITHER];
            DWORD length = lengths[i];

            e2e_fill_pattern(data, length, SEED + (uint32_t)(2 * i + way), 0);
            ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
            ASSERT_EQ(neither_raw(h, (enum neither_way)way, 1, offset, data, length, &done),
                      ERROR_SUCCESS);
            /* Back through the other Neither way, asking for a page more. */
            memset(back, E2E_SENTINEL, length + PAGE);
            ASSERT_EQ(neither_raw(h, (enum neither_way)(1 - way), 0, offset, back,
                                  length + PAGE, &done), ERROR_SUCCESS);
            ASSERT_EQ(done, length);
            if (memcmp(back, data, length) != 0)
                unit_fail(__FILE__, __LINE__, "%lu bytes: Neither read differs",
                          (unsigned long)length);
            ASSERT_TRUE(e2e_untouched_from(back, length + PAGE, length));
            /* And through the Buffered device: the bytes are in the store. */
            memset(back, 0, length);
            ASSERT_EQ(xfer_read_at(devices.handle[XFER_BUFFERED], offset, back, length, &done),
                      ERROR_SUCCESS);
            ASSERT_EQ(done, length);
            if (memcmp(back, data, length) != 0)
                unit_fail(__FILE__, __LINE__, "%lu bytes: Buffered read differs",
                          (unsigned long)length);
            /* The gap before the offset reads as zeros. */
            ASSERT_EQ(neither_raw(h, (enum neither_way)way, 0, 0, back, (DWORD)offset, &done),
                      ERROR_SUCCESS);
            ASSERT_EQ(done, (DWORD)offset);
            ASSERT_TRUE(back[0] == 0 && back[offset - 1] == 0);
        }
    }
    e2e_close_all(&devices);
    free(data);
    free(back);
}

struct page_toggler {
    uint8_t *pages;
    size_t length;
    volatile LONG stop;
};

static DWORD WINAPI toggle_pages(void *arg)
{
    struct page_toggler *t = arg;
    DWORD old;

    while (!t->stop) {
        VirtualProtect(t->pages, t->length, PAGE_NOACCESS, &old);
        VirtualProtect(t->pages, t->length, PAGE_READWRITE, &old);
    }
    return 0;
}

/* Large Neither reads and writes (the locked path on Windows) whose pages
 * turn inaccessible while the request runs: each succeeds whole or is
 * refused with ERROR_NOACCESS, a write lands whole or not at all, and the
 * pages can be freed afterwards (nothing left locked). */
TEST(test_neither_locked_pages_turning_bad_mid_call)
{
    const size_t length = 4 * THRESHOLD;
    struct page_toggler t = { NULL, 4 * THRESHOLD, 0 };
    uint8_t *check;
    HANDLE h, thread;
    DWORD error, done;
    int i;

    E2E_WINDOWS_ONLY("Wine copies the caller's buffer before the driver runs, so its pages "
                     "cannot change under the driver");
    t.pages = VirtualAlloc(NULL, length, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    check = malloc(length);
    ASSERT_TRUE(t.pages != NULL && check != NULL);
    memset(t.pages, E2E_SENTINEL, length);
    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    thread = CreateThread(NULL, 0, toggle_pages, &t, 0, NULL);
    ASSERT_TRUE(thread != NULL);
    for (i = 0; i < 200 && !unit_failed(); i++) {
        error = neither_raw(h, (enum neither_way)(i % 2), i % 4 < 2, 0, t.pages,
                            (DWORD)length, &done);
        if (error != ERROR_SUCCESS && error != ERROR_NOACCESS)
            unit_fail(__FILE__, __LINE__, "request %d: error %lu", i, (unsigned long)error);
    }
    InterlockedExchange(&t.stop, 1);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    ASSERT_EQ(xfer_read_at(h, 0, check, (DWORD)length, &done), ERROR_SUCCESS);
    ASSERT_TRUE(done == 0 || (done == length && e2e_untouched_from(check, done, 0)));
    CloseHandle(h);
    ASSERT_TRUE(VirtualFree(t.pages, 0, MEM_RELEASE));
    free(check);
}
