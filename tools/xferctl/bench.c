/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench: the throughput and latency of every transfer path, each
 * request timed on its own with QueryPerformanceCounter.
 *
 * The paths are ReadFile and WriteFile on each device, and each transfer
 * IOCTL on the device of its own method. Requests of --length bytes cycle
 * through a window of at most BENCH_WINDOW bytes from --offset, which is
 * written once before the first measurement (so that reads read stored
 * bytes and writes find their chunks allocated); every path gets one
 * untimed request first.
 */
#include <stdlib.h>
#include <string.h>
#include "xferctl.h"

#define BENCH_WINDOW (4u * 1024 * 1024)
#define BENCH_DEFAULT_LENGTH (64u * 1024)
#define BENCH_DEFAULT_COUNT 256u
#define BENCH_MAX_LENGTH (64u * 1024 * 1024)

struct bench_path {
    const char *name;           /* "WriteFile", "IOCTL READ_DIRECT" */
    xfer_mechanism device;      /* the device the request goes to */
    int ioctl;                  /* the transfer IOCTL of the device's method */
    int write;
};

static const struct bench_path paths[] = {
    { "WriteFile", XFER_BUFFERED, 0, 1 },        { "ReadFile", XFER_BUFFERED, 0, 0 },
    { "WriteFile", XFER_DIRECT, 0, 1 },          { "ReadFile", XFER_DIRECT, 0, 0 },
    { "WriteFile", XFER_NEITHER, 0, 1 },         { "ReadFile", XFER_NEITHER, 0, 0 },
    { "IOCTL WRITE_BUFFERED", XFER_BUFFERED, 1, 1 }, { "IOCTL READ_BUFFERED", XFER_BUFFERED, 1, 0 },
    { "IOCTL WRITE_DIRECT", XFER_DIRECT, 1, 1 },     { "IOCTL READ_DIRECT", XFER_DIRECT, 1, 0 },
    { "IOCTL WRITE_NEITHER", XFER_NEITHER, 1, 1 },   { "IOCTL READ_NEITHER", XFER_NEITHER, 1, 0 },
};
#define PATH_COUNT (sizeof(paths) / sizeof(paths[0]))

struct bench_config {
    DWORD length;
    uint64_t count;             /* requests per path, or 0: run for `seconds` */
    uint64_t seconds;
    uint64_t offset;            /* the window's start */
    uint64_t slots;             /* requests that fit in the window */
};

struct bench_result {
    uint64_t requests, bytes;
    double seconds, mb_per_s, us_mean, us_p50, us_p99;
};

static DWORD one_request(HANDLE device, const struct bench_path *path, uint64_t offset,
                         uint8_t *buffer, DWORD length)
{
    DWORD done = 0, error;

    if (path->ioctl && path->write)
        return xfer_ioctl_write(device, path->device, offset, buffer, length);
    if (path->ioctl)
        error = xfer_ioctl_read(device, path->device, offset, buffer, length, &done);
    else if (path->write)
        error = xfer_write_at(device, offset, buffer, length, &done);
    else
        error = xfer_read_at(device, offset, buffer, length, &done);
    if (error == ERROR_SUCCESS && done != length)
        return ERROR_INVALID_DATA;   /* the window was written: reads are whole */
    return error;
}

static int compare_ticks(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Runs one path; *error_offset gets a failed request's offset. */
static DWORD run_path(HANDLE device, const struct bench_path *path,
                      const struct bench_config *config, uint8_t *buffer,
                      struct bench_result *result, uint64_t *error_offset)
{
    LARGE_INTEGER frequency, start, before, after;
    uint64_t capacity = config->count ? config->count : 4096, n = 0, offset;
    int64_t *ticks = malloc(capacity * sizeof(*ticks)), total = 0, deadline;
    DWORD error;

    memset(result, 0, sizeof(*result));
    if (ticks == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    QueryPerformanceFrequency(&frequency);
    *error_offset = config->offset;
    error = one_request(device, path, config->offset, buffer, config->length);   /* warm-up */
    QueryPerformanceCounter(&start);
    before = start;
    deadline = start.QuadPart + (int64_t)config->seconds * frequency.QuadPart;
    while (error == ERROR_SUCCESS) {
        if (config->count ? n >= config->count : before.QuadPart >= deadline)
            break;
        if (n == capacity) {
            int64_t *more = realloc(ticks, 2 * capacity * sizeof(*ticks));

            if (more == NULL) {
                error = ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            ticks = more;
            capacity *= 2;
        }
        offset = config->offset + (n % config->slots) * config->length;
        QueryPerformanceCounter(&before);
        error = one_request(device, path, offset, buffer, config->length);
        QueryPerformanceCounter(&after);
        if (error != ERROR_SUCCESS)
            *error_offset = offset;
        ticks[n] = after.QuadPart - before.QuadPart;
        total += ticks[n];
        before = after;
        n++;
    }
    if (error == ERROR_SUCCESS && n > 0) {
        double us_per_tick = 1e6 / (double)frequency.QuadPart;

        qsort(ticks, n, sizeof(*ticks), compare_ticks);
        result->requests = n;
        result->bytes = n * config->length;
        result->seconds = (double)total / (double)frequency.QuadPart;
        result->mb_per_s = result->seconds > 0 ? (double)result->bytes / result->seconds / 1e6 : 0;
        result->us_mean = (double)total * us_per_tick / (double)n;
        result->us_p50 = (double)ticks[(n - 1) / 2] * us_per_tick;
        result->us_p99 = (double)ticks[(n - 1) * 99 / 100] * us_per_tick;
    }
    free(ticks);
    return error;
}

/* Fills the window once, through the buffered device. */
static DWORD fill_window(HANDLE device, const struct bench_config *config, uint8_t *buffer)
{
    uint64_t slot;
    DWORD done, error = ERROR_SUCCESS;

    for (slot = 0; slot < config->slots && error == ERROR_SUCCESS; slot++)
        error = xfer_write_at(device, config->offset + slot * config->length, buffer,
                              config->length, &done);
    return error;
}

static int configure(const struct cli *cli, struct bench_config *config)
{
    uint64_t length = (cli->given & OPT_LENGTH) ? cli->length : BENCH_DEFAULT_LENGTH;

    if (length == 0 || length > BENCH_MAX_LENGTH)
        return cli_usage(cli, "--length: from 1 byte to 64M");
    if ((cli->given & OPT_COUNT) && (cli->given & OPT_SECONDS))
        return cli_usage(cli, "--count and --seconds: one or the other");
    config->length = (DWORD)length;
    config->seconds = cli->seconds;
    config->count = (cli->given & OPT_SECONDS) ? 0
                    : (cli->given & OPT_COUNT) ? cli->count : BENCH_DEFAULT_COUNT;
    config->offset = cli->offset;
    config->slots = length >= BENCH_WINDOW ? 1 : BENCH_WINDOW / length;
    return XFERCTL_OK;
}

static void print_results(const struct cli *cli, const struct bench_config *config,
                          const struct bench_result *results)
{
    char size[32];
    size_t i;

    if (cli->json) {
        printf("{\"length\": %lu, \"count\": %llu, \"seconds\": %llu, \"offset\": %llu, "
               "\"results\": [",
               (unsigned long)config->length, (unsigned long long)config->count,
               (unsigned long long)config->seconds, (unsigned long long)config->offset);
        for (i = 0; i < PATH_COUNT; i++)
            printf("%s\n  {\"path\": \"%s\", \"device\": \"%s\", \"requests\": %llu, "
                   "\"bytes\": %llu, \"seconds\": %.6f, \"mb_per_s\": %.3f, "
                   "\"us_mean\": %.3f, \"us_p50\": %.3f, \"us_p99\": %.3f}",
                   i ? "," : "", paths[i].name, xfer_mechanism_name(paths[i].device),
                   (unsigned long long)results[i].requests, (unsigned long long)results[i].bytes,
                   results[i].seconds, results[i].mb_per_s, results[i].us_mean,
                   results[i].us_p50, results[i].us_p99);
        printf("\n]}\n");
        return;
    }
    printf("%s requests, ", xferctl_format_size(config->length, size, sizeof(size)));
    if (config->count)
        printf("%llu per path\n\n", (unsigned long long)config->count);
    else
        printf("%llu s per path\n\n", (unsigned long long)config->seconds);
    printf("%-21s %-9s %9s %10s %10s %10s %10s\n", "path", "device", "requests", "MB/s",
           "mean us", "median us", "p99 us");
    for (i = 0; i < PATH_COUNT; i++)
        printf("%-21s %-9s %9llu %10.1f %10.1f %10.1f %10.1f\n", paths[i].name,
               xfer_mechanism_name(paths[i].device), (unsigned long long)results[i].requests,
               results[i].mb_per_s, results[i].us_mean, results[i].us_p50, results[i].us_p99);
}

int cmd_bench(struct cli *cli)
{
    struct bench_result results[PATH_COUNT];
    struct bench_config config = { 0 };
    struct xfer_info info = { 0 };
    HANDLE devices[XFER_MECHANISM_COUNT] = { NULL, NULL, NULL };
    uint64_t window, error_offset = 0;
    uint8_t *buffer = NULL;
    char request[128], size[32];
    DWORD error = ERROR_SUCCESS;
    size_t i;
    int m, result = configure(cli, &config);

    if (result != XFERCTL_OK)
        return result;
    for (m = 0; m < XFER_MECHANISM_COUNT && result == XFERCTL_OK; m++)
        result = cli_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &devices[m]);
    if (result == XFERCTL_OK) {
        error = xfer_get_info(devices[XFER_BUFFERED], &info);
        if (error != ERROR_SUCCESS)
            result = cli_failed(XFER_BUFFERED, "IOCTL_XFER_GET_INFO", error);
    }
    window = config.slots * config.length;
    if (result == XFERCTL_OK &&
        (config.offset > info.limit || window > info.limit - config.offset)) {
        cli_message("bench needs %llu bytes of store from offset %llu, but the limit is %s",
                    (unsigned long long)window, (unsigned long long)config.offset,
                    xferctl_format_size(info.limit, size, sizeof(size)));
        result = XFERCTL_USAGE;
    }
    if (result == XFERCTL_OK && (buffer = malloc(config.length)) == NULL) {
        cli_message("out of memory");
        result = XFERCTL_FAILED;
    }
    if (result == XFERCTL_OK) {
        memset(buffer, 0x5A, config.length);
        error = fill_window(devices[XFER_BUFFERED], &config, buffer);
        if (error != ERROR_SUCCESS)
            result = cli_failed(XFER_BUFFERED, "WriteFile (filling the bench window)", error);
    }
    for (i = 0; i < PATH_COUNT && result == XFERCTL_OK; i++) {
        error = run_path(devices[paths[i].device], &paths[i], &config, buffer, &results[i],
                         &error_offset);
        if (error != ERROR_SUCCESS) {
            snprintf(request, sizeof(request), "%s of %lu bytes at offset %llu",
                     cli_transfer_request(paths[i].device, paths[i].ioctl, paths[i].write),
                     (unsigned long)config.length, (unsigned long long)error_offset);
            result = cli_failed(paths[i].device, request, error);
        }
    }
    if (result == XFERCTL_OK)
        print_results(cli, &config, results);
    free(buffer);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        if (devices[m] != NULL && devices[m] != INVALID_HANDLE_VALUE)
            CloseHandle(devices[m]);
    return result;
}
