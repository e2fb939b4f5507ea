/* SPDX-License-Identifier: MIT */
/*
 * Aliasing. METHOD_BUFFERED input and output share one system buffer, so a
 * read must capture its header before it writes data over it; the caller
 * may also pass one buffer as both input and output, for every method.
 * And a header the caller keeps changing while the request runs is read
 * once: the offset used is the offset validated. (Under Wine the driver
 * gets copies, so the race cannot hurt there; on Windows it exercises the
 * Neither path's single capture.)
 */
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define STORE_SIZE 200000u
#define SEED 101u
#define OFFSET_A 1000u
#define OFFSET_B 150000u
/* Past 2^63 - 1, with OFFSET_A's low half: see race_method. */
#define OFFSET_BAD (0x8000000000000000ull | OFFSET_A)
#define RACE_LENGTH 64u
#define RACE_ROUNDS 1000

/* READ_* with lpInBuffer == lpOutBuffer: the data at the header's offset
 * lands at the start of the buffer, over the header; what is past the
 * bytes returned is as the caller left it. */
TEST(test_bad_alias_read_header_and_output_in_one_buffer)
{
    static const DWORD lengths[] = { 16, 17, 64, 4096, 70000 };
    static uint8_t buffer[70000 + 16], model[STORE_SIZE];
    struct xfer_transfer_header header = { OFFSET_A, 0 };
    struct e2e_devices devices;
    DWORD returned;
    size_t l;
    int m, method;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        for (method = 0; method < XFER_MECHANISM_COUNT && !unit_failed(); method++) {
            for (l = 0; l < sizeof(lengths) / sizeof(lengths[0]) && !unit_failed(); l++) {
                memset(buffer, E2E_SENTINEL, sizeof(buffer));
                memcpy(buffer, &header, sizeof(header));
                ASSERT_EQ(e2e_ioctl(devices.handle[m], xfer_transfer_code(method, 0), buffer,
                                    sizeof(header), buffer, lengths[l], &returned), 0);
                ASSERT_EQ(returned, lengths[l]);
                ASSERT_MEM_EQ(buffer, model + OFFSET_A, lengths[l]);
                ASSERT_TRUE(e2e_untouched_from(buffer, sizeof(buffer), lengths[l]));
            }
        }
    }
    e2e_close_all(&devices);
}

/* WRITE_DIRECT/NEITHER with the data buffer starting at the header: the
 * header's bytes are data too, stored at the header's offset. */
TEST(test_bad_alias_write_header_inside_the_data)
{
    static uint8_t buffer[4096], model[STORE_SIZE], back[4096];
    struct xfer_transfer_header header = { OFFSET_B, 0 };
    struct e2e_devices devices;
    DWORD returned, done;
    int m, method;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        for (method = XFER_DIRECT; method <= XFER_NEITHER && !unit_failed(); method++) {
            ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
            e2e_fill_pattern(buffer, sizeof(buffer), SEED + 1 + (uint32_t)method, 0);
            memcpy(buffer, &header, sizeof(header));
            ASSERT_EQ(e2e_ioctl(devices.handle[m], xfer_transfer_code(method, 1), buffer,
                                sizeof(header), buffer, sizeof(buffer), &returned), 0);
            ASSERT_EQ(returned, 0);
            ASSERT_EQ(xfer_read_at(devices.handle[(m + 1) % XFER_MECHANISM_COUNT], OFFSET_B,
                                   back, sizeof(back), &done), 0);
            ASSERT_EQ(done, sizeof(back));
            ASSERT_MEM_EQ(back, buffer, sizeof(back));
            /* Nowhere else. */
            ASSERT_EQ(xfer_read_at(devices.handle[m], OFFSET_A, back, sizeof(back), &done), 0);
            ASSERT_MEM_EQ(back, model + OFFSET_A, sizeof(back));
        }
    }
    e2e_close_all(&devices);
}

/* The caller's header flips between a valid offset, OFFSET_A, and an
 * invalid one, OFFSET_BAD, while requests use it. Only the offset changes,
 * and only in its high half (the two share their low 32 bits), so a
 * capture sees one offset or the other even where a 64-bit store or load
 * is two 32-bit ones, as on x86: any mix of halves is OFFSET_A or
 * OFFSET_BAD. */
struct flipper {
    volatile struct xfer_transfer_header *header;
    volatile LONG stop;
};

static DWORD WINAPI flip(void *arg)
{
    struct flipper *f = arg;

    while (!f->stop) {
        f->header->offset = OFFSET_BAD;
        f->header->offset = OFFSET_A;
    }
    return 0;
}

/* Each request either used the valid offset, or was refused: never an
 * offset that was not the one checked. The writes store the bytes the
 * store already holds there, so the store stays as the model says. */
static void race_method(HANDLE h, xfer_mechanism method, const uint8_t *model)
{
    struct xfer_transfer_header *header;
    struct flipper f = { NULL, 0 };
    uint8_t *page, out[RACE_LENGTH];
    HANDLE thread;
    DWORD error, returned;
    int i, write;

    page = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ASSERT_TRUE(page != NULL);
    header = (struct xfer_transfer_header *)page;
    header->offset = OFFSET_A;
    f.header = header;
    thread = CreateThread(NULL, 0, flip, &f, 0, NULL);
    ASSERT_TRUE(thread != NULL);
    for (i = 0; i < RACE_ROUNDS && !unit_failed(); i++) {
        write = i % 2;
        memset(out, 0, sizeof(out));
        if (write && method == XFER_BUFFERED)
            continue;   /* its header is in a buffer of the caller's making */
        error = write ? e2e_ioctl(h, xfer_transfer_code(method, 1), header, sizeof(*header),
                                  (void *)(model + OFFSET_A), RACE_LENGTH, &returned)
                      : e2e_ioctl(h, xfer_transfer_code(method, 0), header, sizeof(*header),
                                  out, sizeof(out), &returned);
        if (error == ERROR_INVALID_PARAMETER)
            continue;
        if (error != ERROR_SUCCESS || (!write && (returned != RACE_LENGTH ||
                                                  memcmp(out, model + OFFSET_A, RACE_LENGTH) != 0)))
            unit_fail(__FILE__, __LINE__, "%s %s %d: error %lu, or data not from the offset "
                      "validated", xfer_mechanism_name(method), write ? "write" : "read", i,
                      (unsigned long)error);
    }
    InterlockedExchange(&f.stop, 1);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    VirtualFree(page, 0, MEM_RELEASE);
}

TEST(test_bad_alias_header_changing_during_the_call)
{
    static uint8_t model[STORE_SIZE];
    uint64_t size, digest_before, digest_after;
    struct e2e_devices devices;
    int method;

    ASSERT_EQ(e2e_open_all(&devices), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(devices.handle[XFER_BUFFERED], model, STORE_SIZE, SEED), 0);
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_BUFFERED], &size, &digest_before), 0);
    for (method = 0; method < XFER_MECHANISM_COUNT && !unit_failed(); method++)
        race_method(devices.handle[XFER_NEITHER], (xfer_mechanism)method, model);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(e2e_store_digest(devices.handle[XFER_DIRECT], &size, &digest_after), 0);
    ASSERT_EQ_U64(size, STORE_SIZE);
    ASSERT_EQ_U64(digest_after, digest_before);
    e2e_close_all(&devices);
}
