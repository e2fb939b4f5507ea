/* SPDX-License-Identifier: MIT */
/*
 * READ_TRACE: the records of each request and its result, in Listing 7.1's
 * words, under the device the handle was opened on; oldest first, with
 * consecutive sequence numbers, those after the caller's sequence number,
 * as many whole records as fit, left in the ring for every other reader;
 * READ_TRACE itself not recorded; and a ring that stays bounded when it
 * overflows, counting what a reader lost. The ring's capacity is not
 * assumed: the overflow test doubles its load until records drop.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "e2e_platform.h"
#include "unit.h"

#define MAX_LINES 16
#define RECORD_SIZE sizeof(struct xfer_trace_record)
#define BATCH_SIZE sizeof(struct xfer_trace_batch)
#define MAX_OVERFLOW_REQUESTS 65536

/* Drains the ring and forgets what it held. */
static void clear_trace(HANDLE device)
{
    struct e2e_trace trace = { 0 };

    ASSERT_EQ(e2e_trace_drain(device, &trace), ERROR_SUCCESS);
    e2e_trace_free(&trace);
}

struct lines {
    char text[MAX_LINES][XFER_TRACE_TEXT];
    const char *line[MAX_LINES];
    size_t count;
};

static void add_line(struct lines *lines, const char *text)
{
    if (lines->count < MAX_LINES) {
        snprintf(lines->text[lines->count], XFER_TRACE_TEXT, "%s", text);
        lines->line[lines->count] = lines->text[lines->count];
        lines->count++;
    }
}

/* A request that succeeds and one that fails on each path, on device m;
 * `lines` gets what the trace must say. */
static void traced_requests(HANDLE h, int m, struct lines *lines)
{
    char text[XFER_TRACE_TEXT];
    uint8_t data[16] = "trace me";
    DWORD done;

    ASSERT_EQ(xfer_write_at(h, 0, data, 9, &done), ERROR_SUCCESS);
    add_line(lines, "Write 9 bytes at offset 0");
    add_line(lines, "Write: 9 bytes written");
    ASSERT_EQ(xfer_read_at(h, 5, data, sizeof(data), &done), ERROR_SUCCESS);
    add_line(lines, "Read 16 bytes from offset 5");
    add_line(lines, "Read: 4 bytes returned");
    ASSERT_EQ(xfer_read_at(h, 0x8000000000000000ull, data, 3, &done), ERROR_INVALID_PARAMETER);
    if (e2e_negative_file_offset_reaches_driver()) {
        add_line(lines, "Read 3 bytes from offset -9223372036854775808");
        add_line(lines, "Read: failed, status 0xc000000d");
    }
    ASSERT_EQ(xfer_write_at(h, XFER_DEFAULT_MAX_SIZE, data, 1, &done), ERROR_DISK_FULL);
    add_line(lines, "Write 1 bytes at offset 67108864");
    add_line(lines, "Write: failed, status 0xc000007f");
    ASSERT_EQ(xfer_ioctl_read(h, (xfer_mechanism)m, 2, data, 5, &done), ERROR_SUCCESS);
    snprintf(text, sizeof(text), "DeviceIoControl: Control code 0x%08lX InputLength 16 OutputLength 5",
             (unsigned long)xfer_transfer_code((xfer_mechanism)m, 0));
    add_line(lines, text);
    add_line(lines, "DeviceIoControl: 5 bytes written");
    ASSERT_EQ(xfer_set_size(h, 1ull << 62), ERROR_DISK_FULL);
    add_line(lines, "DeviceIoControl: Control code 0x8E7FA080 InputLength 8 OutputLength 0");
    add_line(lines, "DeviceIoControl: failed, status 0xc000007f");
}

TEST(test_ioctl_trace_records_each_request_and_result)
{
    struct e2e_trace trace = { 0 };
    HANDLE drainer, h;
    size_t i;
    int m;

    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ | GENERIC_WRITE, &drainer), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(drainer), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        struct lines lines = { .count = 0 };

        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
        clear_trace(drainer);
        traced_requests(h, m, &lines);
        ASSERT_EQ(e2e_trace_drain(drainer, &trace), ERROR_SUCCESS);
        CloseHandle(h);
        e2e_check_trace(&trace, (uint32_t)m, lines.line, lines.count);
        for (i = 1; i < trace.count && !unit_failed(); i++)
            ASSERT_TRUE(trace.records[i].time_100ns >= trace.records[i - 1].time_100ns);
        e2e_trace_free(&trace);
    }
    CloseHandle(drainer);
}

/* Reading is not traced: after the newest record, a read finds nothing,
 * however often it is repeated. */
TEST(test_ioctl_trace_reading_is_not_traced)
{
    uint8_t out[BATCH_SIZE + 4 * RECORD_SIZE];
    struct xfer_trace_batch batch;
    uint64_t newest;
    DWORD returned;
    HANDLE h;
    int i;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_skip(h, &newest), ERROR_SUCCESS);
    for (i = 0; i < 3; i++) {
        ASSERT_EQ(xfer_read_trace(h, newest, out, sizeof(out), &returned), ERROR_SUCCESS);
        ASSERT_EQ(returned, BATCH_SIZE);
        memcpy(&batch, out, sizeof(batch));
        ASSERT_EQ(batch.count, 0);
        ASSERT_EQ_U64(batch.dropped, 0);
        ASSERT_EQ(batch.reserved, 0);
    }
    CloseHandle(h);
}

/* A batch holds as many whole records as fit, oldest first; room for no
 * whole record when there is one to read is too small (a reader looping
 * until a batch of 0 would otherwise stop early); and reading takes
 * nothing out of the ring. */
TEST(test_ioctl_trace_batches_take_whole_records_oldest_first)
{
    uint8_t out[BATCH_SIZE + 2 * RECORD_SIZE];
    struct xfer_trace_record first, again;
    struct xfer_trace_batch batch;
    struct e2e_trace rest = { 0 };
    uint64_t size, newest;
    DWORD returned;
    HANDLE h;
    int i;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_skip(h, &newest), ERROR_SUCCESS);
    for (i = 0; i < 3; i++)
        ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);   /* six records */

    /* Room for the header only, or for less than a record: too small. */
    memset(out, E2E_SENTINEL, sizeof(out));
    returned = E2E_RETURNED_UNSET;
    ASSERT_EQ(xfer_read_trace(h, newest, out, BATCH_SIZE, &returned), ERROR_INSUFFICIENT_BUFFER);
    ASSERT_TRUE(e2e_returned_nothing(returned));
    ASSERT_EQ(xfer_read_trace(h, newest, out, BATCH_SIZE + RECORD_SIZE - 1, &returned),
              ERROR_INSUFFICIENT_BUFFER);
    ASSERT_TRUE(e2e_untouched_from(out, sizeof(out), 0));

    /* Room for one record and most of another: one. */
    ASSERT_EQ(xfer_read_trace(h, newest, out, BATCH_SIZE + 2 * RECORD_SIZE - 1, &returned), 0);
    ASSERT_EQ(returned, BATCH_SIZE + RECORD_SIZE);
    memcpy(&batch, out, sizeof(batch));
    ASSERT_EQ(batch.count, 1);
    ASSERT_EQ_U64(batch.dropped, 0);
    ASSERT_TRUE(e2e_untouched_from(out, sizeof(out) - 1, BATCH_SIZE + RECORD_SIZE));
    memcpy(&first, out + BATCH_SIZE, sizeof(first));
    ASSERT_EQ_U64(first.sequence, newest + 1);
    ASSERT_EQ(first.device, XFER_BUFFERED);
    ASSERT_TRUE(strcmp(first.text, "DeviceIoControl: Control code 0x8E7F6008 InputLength 0 "
                                   "OutputLength 8") == 0);

    /* The same read again gives the same record: it was not taken out. */
    ASSERT_EQ(xfer_read_trace(h, newest, out, BATCH_SIZE + RECORD_SIZE, &returned), 0);
    memcpy(&again, out + BATCH_SIZE, sizeof(again));
    ASSERT_MEM_EQ(&again, &first, sizeof(first));

    /* The other five follow it. */
    ASSERT_EQ(e2e_trace_drain(h, &rest), ERROR_SUCCESS);
    ASSERT_EQ(rest.count, 6);
    ASSERT_MEM_EQ(&rest.records[0], &first, sizeof(first));
    ASSERT_EQ_U64(rest.records[1].sequence, first.sequence + 1);
    ASSERT_TRUE(strcmp(rest.records[1].text, "DeviceIoControl: 8 bytes written") == 0);
    ASSERT_EQ_U64(rest.records[5].sequence, first.sequence + 5);
    e2e_trace_free(&rest);
    CloseHandle(h);
}

/* Two readers, on two devices, read the same records: one reading does
 * not hide them from the other. */
TEST(test_ioctl_trace_two_readers_see_the_same_records)
{
    uint8_t one[BATCH_SIZE + 8 * RECORD_SIZE], two[sizeof(one)];
    struct xfer_trace_batch a, b;
    uint64_t newest, size;
    DWORD got_one, got_two;
    HANDLE first, second;
    int i;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &first), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open(XFER_NEITHER, GENERIC_READ, &second), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_skip(first, &newest), ERROR_SUCCESS);
    for (i = 0; i < 2; i++)
        ASSERT_EQ(xfer_get_size(first, &size), ERROR_SUCCESS);
    ASSERT_EQ(xfer_read_trace(first, newest, one, sizeof(one), &got_one), ERROR_SUCCESS);
    ASSERT_EQ(xfer_read_trace(second, newest, two, sizeof(two), &got_two), ERROR_SUCCESS);
    ASSERT_EQ(got_one, BATCH_SIZE + 4 * RECORD_SIZE);
    ASSERT_EQ(got_two, got_one);
    memcpy(&a, one, sizeof(a));
    memcpy(&b, two, sizeof(b));
    ASSERT_EQ(a.count, 4);
    ASSERT_EQ(b.count, 4);
    ASSERT_MEM_EQ(one + BATCH_SIZE, two + BATCH_SIZE, 4 * RECORD_SIZE);
    CloseHandle(first);
    CloseHandle(second);
}

/* A sequence number past the newest record (kept from an earlier run of
 * the driver) reads as 0: from the oldest record. A reserved field that
 * is not 0 is refused. */
TEST(test_ioctl_trace_sequence_ahead_reads_from_the_oldest)
{
    uint8_t out[BATCH_SIZE + RECORD_SIZE], from_zero[sizeof(out)];
    struct xfer_trace_read in = { 0, 1 };
    uint64_t newest;
    DWORD returned;
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_skip(h, &newest), ERROR_SUCCESS);
    ASSERT_EQ(xfer_read_trace(h, 0, from_zero, sizeof(from_zero), &returned), ERROR_SUCCESS);
    ASSERT_EQ(returned, sizeof(from_zero));
    ASSERT_EQ(xfer_read_trace(h, newest + 1, out, sizeof(out), &returned), ERROR_SUCCESS);
    ASSERT_EQ(returned, sizeof(out));
    ASSERT_MEM_EQ(out, from_zero, sizeof(out));
    ASSERT_EQ(xfer_read_trace(h, ~0ull, out, sizeof(out), &returned), ERROR_SUCCESS);
    ASSERT_MEM_EQ(out, from_zero, sizeof(out));
    e2e_expect_refused(h, IOCTL_XFER_READ_TRACE, &in, sizeof(in), sizeof(out),
                       ERROR_INVALID_PARAMETER);
    CloseHandle(h);
}

/* Issues `requests` GET_SIZEs (two records each) and drains: the records
 * kept and the ones dropped add up, and the kept ones are the newest, in
 * order. *last_sequence is the sequence before, then after. */
static void overflow_round(HANDLE h, uint32_t requests, uint64_t *last_sequence,
                           uint64_t *kept, uint64_t *dropped)
{
    struct e2e_trace trace = { 0 };
    uint64_t size, first;
    uint32_t i;

    for (i = 0; i < requests; i++)
        ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_drain(h, &trace), ERROR_SUCCESS);
    *kept = trace.count;
    *dropped = trace.dropped;
    first = *last_sequence + 1 + trace.dropped;
    if (trace.count + trace.dropped != 2ull * requests)
        unit_fail(__FILE__, __LINE__, "%llu kept + %llu dropped != %lu records made",
                  (unsigned long long)trace.count, (unsigned long long)trace.dropped,
                  (unsigned long)(2 * requests));
    for (i = 0; i < trace.count && !unit_failed(); i++) {
        ASSERT_EQ_U64(trace.records[i].sequence, first + i);
        ASSERT_EQ(trace.records[i].device, XFER_DIRECT);
        /* The first kept record may be either line of a request. */
        ASSERT_TRUE(strcmp(trace.records[i].text, (first + i) % 2 == (*last_sequence + 1) % 2
                                                      ? "DeviceIoControl: Control code 0x8E7F6008 "
                                                        "InputLength 0 OutputLength 8"
                                                      : "DeviceIoControl: 8 bytes written") == 0);
    }
    *last_sequence += 2ull * requests;
    e2e_trace_free(&trace);
}

TEST(test_ioctl_trace_overflow_is_bounded_and_counted)
{
    struct e2e_trace trace = { 0 };
    uint64_t last, kept = 0, dropped = 0, size;
    uint32_t requests;
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &h), ERROR_SUCCESS);
    /* Where the sequence stands: the last record of one request. */
    clear_trace(h);
    ASSERT_EQ(xfer_get_size(h, &size), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_drain(h, &trace), ERROR_SUCCESS);
    ASSERT_EQ(trace.count, 2);
    last = trace.records[1].sequence;
    e2e_trace_free(&trace);

    for (requests = 512; requests <= MAX_OVERFLOW_REQUESTS && dropped == 0; requests *= 2) {
        overflow_round(h, requests, &last, &kept, &dropped);
        UNIT_RETURN_IF_FAILED();
    }
    if (dropped == 0)
        unit_fail(__FILE__, __LINE__, "%lu records in a row were all kept: is the ring bounded?",
                  (unsigned long)(2 * MAX_OVERFLOW_REQUESTS));
    UNIT_RETURN_IF_FAILED();
    printf("note: the trace ring kept %llu records and dropped %llu\n", (unsigned long long)kept,
           (unsigned long long)dropped);

    /* The same bound again, and the drop count starts over at each drain. */
    overflow_round(h, (uint32_t)kept, &last, &kept, &dropped);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ_U64(dropped, kept);
    overflow_round(h, 1, &last, &kept, &dropped);
    ASSERT_EQ_U64(kept, 2);
    ASSERT_EQ_U64(dropped, 0);
    CloseHandle(h);
}
