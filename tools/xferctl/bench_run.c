/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench: one timed run of one path, and a measurement's statistics.
 * Each request is timed on its own with QueryPerformanceCounter, so that
 * latency (min, median, p99) and throughput come from the same requests.
 */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

const struct bench_path bench_paths[] = {
    { "IOCTL GET_SIZE", XFER_BUFFERED, BENCH_GET_SIZE },
    { "WriteFile", XFER_BUFFERED, BENCH_WRITE_FILE },
    { "ReadFile", XFER_BUFFERED, BENCH_READ_FILE },
    { "WriteFile", XFER_DIRECT, BENCH_WRITE_FILE },
    { "ReadFile", XFER_DIRECT, BENCH_READ_FILE },
    { "WriteFile", XFER_NEITHER, BENCH_WRITE_FILE },
    { "ReadFile", XFER_NEITHER, BENCH_READ_FILE },
    { "IOCTL WRITE_BUFFERED", XFER_BUFFERED, BENCH_IOCTL_WRITE },
    { "IOCTL READ_BUFFERED", XFER_BUFFERED, BENCH_IOCTL_READ },
    { "IOCTL WRITE_DIRECT", XFER_DIRECT, BENCH_IOCTL_WRITE },
    { "IOCTL READ_DIRECT", XFER_DIRECT, BENCH_IOCTL_READ },
    { "IOCTL WRITE_NEITHER", XFER_NEITHER, BENCH_IOCTL_WRITE },
    { "IOCTL READ_NEITHER", XFER_NEITHER, BENCH_IOCTL_READ },
};
const size_t bench_path_count = sizeof(bench_paths) / sizeof(bench_paths[0]);

double bench_tick_seconds(void)
{
    LARGE_INTEGER frequency;

    QueryPerformanceFrequency(&frequency);
    return 1.0 / (double)frequency.QuadPart;
}

uint64_t bench_offset(const struct bench_plan *plan, DWORD length, uint64_t n)
{
    uint64_t slots = length == 0 || length >= plan->window ? 1 : plan->window / length;

    return plan->offset + (n % slots) * length;
}

DWORD bench_request(HANDLE device, const struct bench_path *path, uint64_t offset,
                    uint8_t *buffer, DWORD length)
{
    uint64_t size;
    DWORD done = 0, error;

    switch (path->kind) {
    case BENCH_GET_SIZE:
        return xfer_get_size(device, &size);
    case BENCH_IOCTL_WRITE:
        return xfer_ioctl_write(device, path->device, offset, buffer, length);
    case BENCH_IOCTL_READ:
        error = xfer_ioctl_read(device, path->device, offset, buffer, length, &done);
        break;
    case BENCH_WRITE_FILE:
        error = xfer_write_at(device, offset, buffer, length, &done);
        break;
    default:
        error = xfer_read_at(device, offset, buffer, length, &done);
        break;
    }
    if (error == ERROR_SUCCESS && done != length)
        return ERROR_INVALID_DATA;   /* the window was written: reads are whole */
    return error;
}

static DWORD add_sample(struct bench_samples *samples, int64_t ticks)
{
    if (samples->count == samples->capacity) {
        uint64_t capacity = samples->capacity ? 2 * samples->capacity : 1024;
        int64_t *more = realloc(samples->ticks, capacity * sizeof(*more));

        if (more == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        samples->ticks = more;
        samples->capacity = capacity;
    }
    samples->ticks[samples->count++] = ticks;
    return ERROR_SUCCESS;
}

DWORD bench_run(HANDLE device, const struct bench_path *path, DWORD length,
                const struct bench_plan *plan, uint8_t *buffer, struct bench_samples *samples,
                uint64_t *error_offset)
{
    uint64_t n = 0, budget = (plan->count + plan->rounds - 1) / plan->rounds;
    LARGE_INTEGER before, after;
    int64_t deadline;
    DWORD error;

    *error_offset = bench_offset(plan, length, 0);
    error = bench_request(device, path, *error_offset, buffer, length);   /* warm-up */
    QueryPerformanceCounter(&before);
    deadline = before.QuadPart +
               (int64_t)(plan->seconds / (double)plan->rounds / bench_tick_seconds());
    /* At least one request a run, however short the time. */
    while (error == ERROR_SUCCESS && n < budget && (n == 0 || before.QuadPart < deadline)) {
        uint64_t offset = bench_offset(plan, length, n);

        QueryPerformanceCounter(&before);
        error = bench_request(device, path, offset, buffer, length);
        QueryPerformanceCounter(&after);
        if (error != ERROR_SUCCESS)
            *error_offset = offset;
        else
            error = add_sample(samples, after.QuadPart - before.QuadPart);
        before = after;
        n++;
    }
    return error;
}

static int compare_ticks(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void bench_summarize(struct bench_samples *samples, DWORD length, struct bench_stats *stats)
{
    double us_per_tick = 1e6 * bench_tick_seconds();
    uint64_t i, n = samples->count;
    int64_t total = 0;

    memset(stats, 0, sizeof(*stats));
    if (n == 0)
        return;
    qsort(samples->ticks, n, sizeof(*samples->ticks), compare_ticks);
    for (i = 0; i < n; i++)
        total += samples->ticks[i];
    stats->requests = n;
    stats->bytes = n * length;
    stats->seconds = (double)total * us_per_tick / 1e6;
    stats->mb_per_s = stats->seconds > 0 ? (double)stats->bytes / stats->seconds / 1e6 : 0;
    stats->us_min = (double)samples->ticks[0] * us_per_tick;
    stats->us_mean = (double)total * us_per_tick / (double)n;
    stats->us_p50 = (double)samples->ticks[(n - 1) / 2] * us_per_tick;
    stats->us_p99 = (double)samples->ticks[(n - 1) * 99 / 100] * us_per_tick;
}

void bench_samples_free(struct bench_samples *samples)
{
    free(samples->ticks);
    memset(samples, 0, sizeof(*samples));
}
