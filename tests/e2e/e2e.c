/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

const struct e2e_offset e2e_matrix_offsets[E2E_MATRIX_OFFSETS] = {
    { "zero", 0 },
    { "odd", 7777 },
    { "chunk", E2E_CHUNK },
    { "end", E2E_MATRIX_BASE },
    { "past_end", E2E_MATRIX_BASE + 4097 },
};

DWORD e2e_open_all(struct e2e_devices *devices)
{
    DWORD error = ERROR_SUCCESS;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        devices->handle[m] = INVALID_HANDLE_VALUE;
    for (m = 0; m < XFER_MECHANISM_COUNT && error == ERROR_SUCCESS; m++)
        error = xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &devices->handle[m]);
    if (error != ERROR_SUCCESS)
        e2e_close_all(devices);
    return error;
}

void e2e_close_all(struct e2e_devices *devices)
{
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        if (devices->handle[m] != INVALID_HANDLE_VALUE)
            CloseHandle(devices->handle[m]);
        devices->handle[m] = INVALID_HANDLE_VALUE;
    }
}

uint8_t e2e_pattern_byte(uint32_t seed, uint64_t index)
{
    uint64_t x = (index + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ull;

    x ^= x >> 31;
    return (uint8_t)((x & 0xFF) ? (x & 0xFF) : 1);
}

void e2e_fill_pattern(uint8_t *buffer, size_t length, uint32_t seed, uint64_t first_index)
{
    size_t i;

    for (i = 0; i < length; i++)
        buffer[i] = e2e_pattern_byte(seed, first_index + i);
}

DWORD e2e_read_store(HANDLE device, uint8_t **bytes, uint64_t *size)
{
    DWORD error, done;

    *bytes = NULL;
    error = xfer_get_size(device, size);
    if (error != ERROR_SUCCESS)
        return error;
    if (*size > 256u * 1024 * 1024)
        return ERROR_NOT_ENOUGH_MEMORY;   /* no test makes a store that large */
    *bytes = malloc((size_t)*size + 1);
    if (*bytes == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    /* Ask for one byte more than the size: the read must stop at the end. */
    error = xfer_read_at(device, 0, *bytes, (DWORD)*size + 1, &done);
    if (error == ERROR_SUCCESS && done != *size)
        error = ERROR_INVALID_DATA;
    if (error != ERROR_SUCCESS) {
        free(*bytes);
        *bytes = NULL;
    }
    return error;
}

DWORD e2e_store_digest(HANDLE device, uint64_t *size, uint64_t *digest)
{
    uint8_t *bytes;
    uint64_t hash = 0xcbf29ce484222325ull;
    uint64_t i;
    DWORD error = e2e_read_store(device, &bytes, size);

    if (error != ERROR_SUCCESS)
        return error;
    for (i = 0; i < *size; i++)
        hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    free(bytes);
    *digest = hash;
    return ERROR_SUCCESS;
}

int e2e_untouched_from(const uint8_t *buffer, size_t length, size_t from)
{
    size_t i;

    for (i = from; i < length; i++)
        if (buffer[i] != E2E_SENTINEL)
            return 0;
    return 1;
}

/* The last trace sequence e2e_trace_drain has seen. */
static uint64_t trace_seen;

DWORD e2e_restart_driver(uint64_t max_size)
{
    DWORD error = xfer_service_stop();

    trace_seen = 0;   /* a new driver numbers its records from 1 */

    if (error == ERROR_SUCCESS)
        error = xfer_service_set_max_size(max_size);
    if (error == ERROR_SUCCESS)
        error = xfer_service_start();
    return error;
}

int e2e_is_wine(void)
{
    static int known, wine;

    if (!known) {
        HMODULE ntdll = GetModuleHandleA("ntdll.dll");

        wine = ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
        known = 1;
    }
    return wine;
}

DWORD e2e_ioctl(HANDLE device, DWORD code, const void *in, DWORD in_length,
                void *out, DWORD out_length, DWORD *returned)
{
    *returned = E2E_RETURNED_UNSET;
    SetLastError(0xDEADBEEF);
    /* DeviceIoControl never writes through lpInBuffer. */
    if (DeviceIoControl(device, code, (void *)in, in_length, out, out_length, returned, NULL))
        return ERROR_SUCCESS;
    return GetLastError();
}

DWORD e2e_get_state(HANDLE device, struct e2e_state *state)
{
    struct xfer_info info;
    DWORD error = xfer_get_info(device, &info);
    HANDLE reader;

    /* GET_INFO needs read access: a handle without it (an access test's)
     * asks through a read handle of its own, on the same store. */
    if (error == ERROR_ACCESS_DENIED) {
        error = xfer_open(XFER_BUFFERED, GENERIC_READ, &reader);
        if (error == ERROR_SUCCESS) {
            error = xfer_get_info(reader, &info);
            CloseHandle(reader);
        }
    }

    state->size = error == ERROR_SUCCESS ? info.size : 0;
    state->generation = error == ERROR_SUCCESS ? info.generation : 0;
    return error;
}

void e2e_check_unchanged(HANDLE device, const struct e2e_state *before)
{
    struct e2e_state now;

    ASSERT_EQ(e2e_get_state(device, &now), ERROR_SUCCESS);
    ASSERT_EQ_U64(now.size, before->size);
    ASSERT_EQ_U64(now.generation, before->generation);
}

void e2e_expect_refused(HANDLE device, DWORD code, const void *in, DWORD in_length,
                        DWORD out_length, DWORD expected)
{
    struct e2e_state before;
    uint8_t *out = NULL;
    DWORD returned, error;

    ASSERT_EQ(e2e_get_state(device, &before), ERROR_SUCCESS);
    if (out_length != 0) {
        out = malloc(out_length);
        ASSERT_TRUE(out != NULL);
        memset(out, E2E_SENTINEL, out_length);
    }
    error = e2e_ioctl(device, code, in, in_length, out, out_length, &returned);
    if (error != expected)
        unit_fail(__FILE__, __LINE__, "IOCTL 0x%08lX in %lu out %lu: error %lu, expected %lu",
                  (unsigned long)code, (unsigned long)in_length, (unsigned long)out_length,
                  (unsigned long)error, (unsigned long)expected);
    else if (!e2e_returned_nothing(returned))
        unit_fail(__FILE__, __LINE__, "IOCTL 0x%08lX in %lu out %lu: refused, but returned %lu",
                  (unsigned long)code, (unsigned long)in_length, (unsigned long)out_length,
                  (unsigned long)returned);
    else if (out != NULL && !e2e_untouched_from(out, out_length, 0))
        unit_fail(__FILE__, __LINE__, "IOCTL 0x%08lX in %lu out %lu: refused, but wrote output",
                  (unsigned long)code, (unsigned long)in_length, (unsigned long)out_length);
    free(out);
    UNIT_RETURN_IF_FAILED();
    e2e_check_unchanged(device, &before);
}

const char *e2e_path_name(enum e2e_path path)
{
    static const char *const names[E2E_PATH_COUNT] = {
        [E2E_PATH_FILE] = "file",
        [E2E_PATH_IOCTL_BUFFERED] = "ioctl_buffered",
        [E2E_PATH_IOCTL_DIRECT] = "ioctl_direct",
        [E2E_PATH_IOCTL_NEITHER] = "ioctl_neither",
    };

    return (unsigned)path < E2E_PATH_COUNT ? names[path] : "?";
}

enum xfer_path e2e_stats_path(enum e2e_path path, int write)
{
    if (path == E2E_PATH_FILE)
        return write ? XFER_PATH_WRITE_FILE : XFER_PATH_READ_FILE;
    return (enum xfer_path)((write ? XFER_PATH_IOCTL_WRITE_BUFFERED : XFER_PATH_IOCTL_READ_BUFFERED) +
                            (path - E2E_PATH_IOCTL_BUFFERED));
}

/* The transfer IOCTL paths are numbered as the mechanisms are. */
static xfer_mechanism path_method(enum e2e_path path)
{
    return (xfer_mechanism)(path - E2E_PATH_IOCTL_BUFFERED);
}

DWORD e2e_read_via(HANDLE device, enum e2e_path path, uint64_t offset, void *buffer,
                   DWORD length, DWORD *done)
{
    if (path == E2E_PATH_FILE)
        return xfer_read_at(device, offset, buffer, length, done);
    return xfer_ioctl_read(device, path_method(path), offset, buffer, length, done);
}

DWORD e2e_write_via(HANDLE device, enum e2e_path path, uint64_t offset, const void *buffer,
                    DWORD length)
{
    DWORD done, error;

    if (path != E2E_PATH_FILE)
        return xfer_ioctl_write(device, path_method(path), offset, buffer, length);
    error = xfer_write_at(device, offset, buffer, length, &done);
    if (error == ERROR_SUCCESS && done != length)
        error = ERROR_INVALID_DATA;   /* writes are all or nothing */
    return error;
}

DWORD e2e_reset_store(HANDLE device, uint8_t *model, uint32_t size, uint32_t seed)
{
    DWORD error = xfer_remove(device);

    e2e_fill_pattern(model, size, seed, 0);
    if (error == ERROR_SUCCESS && size != 0)
        error = e2e_write_via(device, E2E_PATH_FILE, 0, model, size);
    return error;
}

static void append_record(void *context, const struct xfer_trace_record *record)
{
    struct e2e_trace *trace = context;

    if (trace->count == trace->capacity) {
        size_t capacity = trace->capacity != 0 ? 2 * trace->capacity : 256;
        struct xfer_trace_record *grown =
            realloc(trace->records, capacity * sizeof(*trace->records));

        if (grown == NULL) {
            trace->out_of_memory = 1;
            return;
        }
        trace->records = grown;
        trace->capacity = capacity;
    }
    trace->records[trace->count++] = *record;
}

DWORD e2e_trace_drain(HANDLE device, struct e2e_trace *trace)
{
    uint64_t dropped;
    DWORD error = xfer_drain_trace(device, &trace_seen, append_record, trace, &dropped);

    trace->dropped += dropped;
    if (error == ERROR_SUCCESS && trace->out_of_memory)
        error = ERROR_NOT_ENOUGH_MEMORY;
    return error;
}

void e2e_trace_free(struct e2e_trace *trace)
{
    free(trace->records);
    memset(trace, 0, sizeof(*trace));
}

DWORD e2e_trace_skip(HANDLE device, uint64_t *newest)
{
    struct e2e_trace trace = { 0 };
    DWORD error = e2e_trace_drain(device, &trace);

    e2e_trace_free(&trace);
    *newest = trace_seen;
    return error;
}

void e2e_check_trace(const struct e2e_trace *trace, uint32_t device,
                     const char *const *lines, size_t count)
{
    size_t i;

    for (i = 0; i < trace->count && i < count; i++) {
        const struct xfer_trace_record *r = &trace->records[i];

        ASSERT_TRUE(memchr(r->text, '\0', sizeof(r->text)) != NULL);
        if (r->device != device || strcmp(r->text, lines[i]) != 0) {
            unit_fail(__FILE__, __LINE__,
                      "trace record %zu: device 0x%x \"%s\", expected device 0x%x \"%s\"", i,
                      (unsigned)r->device, r->text, (unsigned)device, lines[i]);
            return;
        }
        ASSERT_EQ_U64(r->sequence, trace->records[0].sequence + i);
        ASSERT_EQ(r->reserved, 0);
    }
    if (trace->count > count)
        unit_fail(__FILE__, __LINE__, "trace: %zu records, expected %zu; the first extra: \"%s\"",
                  trace->count, count, trace->records[count].text);
    else if (trace->count < count)
        unit_fail(__FILE__, __LINE__, "trace: %zu records, expected %zu; the first missing: \"%s\"",
                  trace->count, count, lines[trace->count]);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ_U64(trace->dropped, 0);
}

DWORD e2e_run_threads(unsigned count, LPTHREAD_START_ROUTINE fn, void *args, size_t arg_size)
{
    HANDLE threads[MAXIMUM_WAIT_OBJECTS];
    DWORD result = ERROR_SUCCESS, code;
    unsigned started, i;

    if (count > MAXIMUM_WAIT_OBJECTS)
        return ERROR_INVALID_PARAMETER;
    for (started = 0; started < count; started++) {
        threads[started] = CreateThread(NULL, 0, fn, (uint8_t *)args + started * arg_size, 0,
                                        NULL);
        if (threads[started] == NULL) {
            result = GetLastError();
            break;
        }
    }
    if (started != 0)
        WaitForMultipleObjects(started, threads, TRUE, INFINITE);
    for (i = 0; i < started; i++) {
        if (GetExitCodeThread(threads[i], &code) && code != 0 && result == ERROR_SUCCESS)
            result = code;
        CloseHandle(threads[i]);
    }
    return result;
}

DWORD e2e_wait_pending(HANDLE device, uint64_t count)
{
    DWORD start = GetTickCount(), error;
    struct xfer_info info;

    for (;;) {
        error = xfer_get_info(device, &info);
        if (error != ERROR_SUCCESS || info.pending_waiters == count)
            return error;
        if (GetTickCount() - start > 20000)
            return ERROR_TIMEOUT;
        Sleep(1);
    }
}

void e2e_check_no_waiters(void)
{
    static const uint8_t data[3] = { 'a', 'b', 'c' };
    struct xfer_change change;
    struct xfer_wait wait;
    struct xfer_info info;
    uint8_t back[3];
    HANDLE h;
    DWORD done;

    ASSERT_EQ(xfer_open_overlapped(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), 0);
    ASSERT_EQ(e2e_wait_pending(h, 0), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(h, &info), ERROR_SUCCESS);
    ASSERT_EQ(xfer_wait_start(h, info.generation, &wait), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_write_at(h, 0, data, sizeof(data), &done), ERROR_SUCCESS);
    ASSERT_EQ(xfer_wait_finish(h, &wait, 1, &change), ERROR_SUCCESS);
    ASSERT_EQ_U64(change.generation, info.generation + 1);
    ASSERT_EQ(change.kind, XFER_CHANGE_WRITE);
    ASSERT_EQ(xfer_read_at(h, 0, back, sizeof(back), &done), ERROR_SUCCESS);
    ASSERT_EQ(done, sizeof(back));
    ASSERT_MEM_EQ(back, data, sizeof(data));
    ASSERT_EQ(xfer_get_info(h, &info), ERROR_SUCCESS);
    ASSERT_EQ_U64(info.pending_waiters, 0);
    CloseHandle(h);
}
