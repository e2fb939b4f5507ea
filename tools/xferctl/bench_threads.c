/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench --threads: several clients on one path at once, each with
 * a handle and a buffer of its own, all started together and stopped at one
 * deadline; the aggregate throughput is every byte moved over the wall time.
 * Client k takes the window's slots k, k + threads, ... so that no two
 * clients write the same bytes.
 */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

struct client {
    const struct bench_path *path;
    const struct bench_plan *plan;
    HANDLE device, go;
    DWORD length, error;
    uint64_t first, step, requests;
    int64_t deadline;
    uint8_t *buffer;
};

static DWORD WINAPI client_main(void *argument)
{
    struct client *client = argument;
    LARGE_INTEGER now;
    uint64_t n = client->first;

    WaitForSingleObject(client->go, INFINITE);
    do {
        client->error = bench_request(client->device, client->path,
                                      bench_offset(client->plan, client->length, n),
                                      client->buffer, client->length);
        if (client->error != ERROR_SUCCESS)
            break;
        client->requests++;
        n += client->step;
        QueryPerformanceCounter(&now);
    } while (now.QuadPart < client->deadline);
    return 0;
}

static DWORD start_client(struct client *client, const struct bench_target *target,
                          HANDLE *thread)
{
    DWORD error = xfer_open_path(target->paths[client->path->device],
                                 GENERIC_READ | GENERIC_WRITE, &client->device);

    if (error != ERROR_SUCCESS)
        return error;
    client->buffer = malloc(client->length ? client->length : 1);
    if (client->buffer == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    memset(client->buffer, 0x5A, client->length);
    *thread = CreateThread(NULL, 0, client_main, client, 0, NULL);
    return *thread == NULL ? GetLastError() : ERROR_SUCCESS;
}

DWORD bench_concurrent_run(const struct bench_target *target, const struct bench_path *path,
                           uint64_t threads, DWORD length, const struct bench_plan *plan,
                           struct bench_concurrent *row)
{
    struct client *clients = calloc(threads, sizeof(*clients));
    HANDLE *handles = calloc(threads, sizeof(*handles)), go;
    LARGE_INTEGER start, end;
    DWORD error = ERROR_SUCCESS;
    uint64_t k, started = 0;

    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (clients == NULL || handles == NULL || go == NULL) {
        /* Nothing started: the rest below assumes both arrays exist. */
        if (go != NULL)
            CloseHandle(go);
        free(clients);
        free(handles);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (k = 0; k < threads && error == ERROR_SUCCESS; k++) {
        clients[k] = (struct client){ .path = path, .plan = plan, .go = go, .length = length,
                                      .first = k, .step = threads,
                                      .device = INVALID_HANDLE_VALUE };
        error = start_client(&clients[k], target, &handles[k]);
        if (handles[k] != NULL)
            started++;
    }
    /* The deadline is set once every client is ready; then all go. */
    QueryPerformanceCounter(&start);
    for (k = 0; k < started; k++)
        clients[k].deadline =
            start.QuadPart + (int64_t)(plan->seconds / (double)plan->rounds / bench_tick_seconds());
    SetEvent(go);
    if (started > 0)
        WaitForMultipleObjects((DWORD)started, handles, TRUE, INFINITE);
    QueryPerformanceCounter(&end);
    for (k = 0; k < threads; k++) {
        if (error == ERROR_SUCCESS)
            error = clients[k].error;
        row->requests += clients[k].requests;
        row->bytes += clients[k].requests * length;
        if (handles[k] != NULL)
            CloseHandle(handles[k]);
        if (clients[k].device != INVALID_HANDLE_VALUE)
            CloseHandle(clients[k].device);
        free(clients[k].buffer);
    }
    row->threads = threads;
    row->seconds += (double)(end.QuadPart - start.QuadPart) * bench_tick_seconds();
    row->mb_per_s = row->seconds > 0 ? (double)row->bytes / row->seconds / 1e6 : 0;
    CloseHandle(go);
    free(clients);
    free(handles);
    return error;
}
