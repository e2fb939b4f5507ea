/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench: the cost of every transfer path, each request timed on
 * its own.
 *
 * The paths are GET_SIZE (the smallest request), ReadFile and WriteFile on
 * each device, and each transfer IOCTL on the device of its own method. With
 * --null, every measurement is also made on the null driver (bench/null),
 * whose requests cost only the transport, in alternating runs: round by
 * round, one then the other, the order swapped each time, so that a noisy
 * machine weighs on both alike. Requests cycle through a window of the
 * store from --offset, written once first so that reads read stored bytes
 * and writes find their chunks allocated; every run starts with one
 * untimed request.
 */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#define BENCH_WINDOW (4u * 1024 * 1024)
#define BENCH_DEFAULT_LENGTH (64u * 1024)
#define BENCH_DEFAULT_COUNT 256u
#define BENCH_DEFAULT_SECONDS 2.0
#define BENCH_NULL_ROUNDS 5u
#define BENCH_MAX_LENGTH (64u * 1024 * 1024)

static struct bench_target targets[BENCH_TARGET_COUNT] = {
    [BENCH_XFER] = { "xfer", { XFER_WIN32_BUFFERED, XFER_WIN32_DIRECT, XFER_WIN32_NEITHER },
                     { NULL, NULL, NULL } },
    [BENCH_NULL] = { "null", { XFER_NULL_WIN32_BUFFERED, XFER_NULL_WIN32_DIRECT,
                               XFER_NULL_WIN32_NEITHER },
                     { NULL, NULL, NULL } },
};

/* The concurrency run's paths: ReadFile and WriteFile on each device. */
static const struct bench_path *const concurrent_paths[] = {
    &bench_paths[1], &bench_paths[2], &bench_paths[3],
    &bench_paths[4], &bench_paths[5], &bench_paths[6],
};
#define CONCURRENT_PATH_COUNT (sizeof(concurrent_paths) / sizeof(concurrent_paths[0]))

static int configure(const struct cli *cli, struct bench_plan *plan)
{
    size_t i;

    if ((cli->given & OPT_LENGTH) && (cli->given & OPT_SIZES))
        return cli_usage(cli, "--length and --sizes: one or the other");
    plan->sizes[0] = (cli->given & OPT_LENGTH) ? cli->length : BENCH_DEFAULT_LENGTH;
    plan->size_count = 1;
    if (cli->given & OPT_SIZES) {
        memcpy(plan->sizes, cli->sizes, sizeof(plan->sizes));
        plan->size_count = cli->size_count;
    }
    plan->window = BENCH_WINDOW;
    for (i = 0; i < plan->size_count; i++) {
        if (plan->sizes[i] > BENCH_MAX_LENGTH)
            return cli_usage(cli, "request sizes: from 0 bytes to 64M");
        if (plan->sizes[i] > plan->window)
            plan->window = plan->sizes[i];
    }
    plan->count = (cli->given & OPT_COUNT) ? cli->count : BENCH_DEFAULT_COUNT;
    plan->seconds = (cli->given & OPT_SECONDS) ? cli->seconds : BENCH_DEFAULT_SECONDS;
    plan->targets = cli->null ? 2 : 1;
    plan->rounds = (cli->given & OPT_ROUNDS) ? cli->rounds : cli->null ? BENCH_NULL_ROUNDS : 1;
    plan->offset = cli->offset;
    memcpy(plan->threads, cli->threads, sizeof(plan->threads));
    plan->thread_count = cli->thread_count;
    plan->thread_length = (DWORD)((cli->given & OPT_LENGTH) ? cli->length : BENCH_DEFAULT_LENGTH);
    return XFERCTL_OK;
}

static int open_targets(const struct bench_plan *plan)
{
    int m, result = XFERCTL_OK;
    DWORD error;

    for (m = 0; m < XFER_MECHANISM_COUNT && result == XFERCTL_OK; m++)
        result = cli_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE,
                          &targets[BENCH_XFER].devices[m]);
    for (m = 0; m < XFER_MECHANISM_COUNT && result == XFERCTL_OK && plan->targets > 1; m++) {
        error = xfer_open_path(targets[BENCH_NULL].paths[m], GENERIC_READ | GENERIC_WRITE,
                               &targets[BENCH_NULL].devices[m]);
        if (error != ERROR_SUCCESS) {
            cli_message("cannot open the null driver's %ls: %s", targets[BENCH_NULL].paths[m],
                        cli_status(error, (char[128]){ 0 }, 128));
            cli_message("--null needs xfernull.sys (bench/null) loaded: `make bench` does it");
            result = XFERCTL_FAILED;
        }
    }
    return result;
}

static void close_targets(void)
{
    int t, m;

    for (t = 0; t < BENCH_TARGET_COUNT; t++)
        for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
            HANDLE *device = &targets[t].devices[m];

            if (*device != NULL && *device != INVALID_HANDLE_VALUE)
                CloseHandle(*device);
            *device = NULL;
        }
}

/* Whether the window fits below the store's limit; then writes it once. */
static int fill_window(const struct bench_plan *plan, uint8_t *buffer, DWORD chunk)
{
    HANDLE device = targets[BENCH_XFER].devices[XFER_BUFFERED];
    struct xfer_info info = { 0 };
    uint64_t at;
    DWORD done, error = xfer_get_info(device, &info);
    char text[32];

    if (error != ERROR_SUCCESS)
        return cli_failed(XFER_BUFFERED, "IOCTL_XFER_GET_INFO", error);
    if (plan->offset > info.limit || plan->window > info.limit - plan->offset) {
        cli_message("bench needs %llu bytes of store from offset %llu, but the limit is %s",
                    (unsigned long long)plan->window, (unsigned long long)plan->offset,
                    xferctl_format_size(info.limit, text, sizeof(text)));
        return XFERCTL_USAGE;
    }
    /* The last piece only up to the window's end: a window need not be a
     * multiple of the chunk (--length 5M+1). */
    for (at = 0; at < plan->window && error == ERROR_SUCCESS; at += chunk)
        error = xfer_write_at(device, plan->offset + at, buffer,
                              plan->window - at < chunk ? (DWORD)(plan->window - at) : chunk,
                              &done);
    if (error != ERROR_SUCCESS)
        return cli_failed(XFER_BUFFERED, "WriteFile (filling the bench window)", error);
    return XFERCTL_OK;
}

static int report_failure(int target, const struct bench_path *path, uint64_t length,
                          uint64_t offset, DWORD error)
{
    char request[160];

    snprintf(request, sizeof(request), "%s%s of %llu bytes at offset %llu",
             target == BENCH_NULL ? "(null driver) " : "",
             path->kind == BENCH_GET_SIZE
                 ? "IOCTL_XFER_GET_SIZE"
                 : cli_transfer_request(path->device, path->kind >= BENCH_IOCTL_READ,
                                        path->kind == BENCH_WRITE_FILE ||
                                            path->kind == BENCH_IOCTL_WRITE),
             (unsigned long long)length, (unsigned long long)offset);
    return cli_failed(path->device, request, error);
}

/* The interleaved rounds; samples[target * paths + path][size]. */
static int measure(const struct bench_plan *plan, uint8_t *buffer,
                   struct bench_samples (*samples)[XFERCTL_MAX_LIST])
{
    uint64_t round, error_offset;
    size_t size, path;
    int order, target;

    for (round = 0; round < plan->rounds; round++)
        for (size = 0; size < plan->size_count; size++)
            for (path = 0; path < bench_path_count; path++) {
                const struct bench_path *p = &bench_paths[path];
                DWORD length = p->kind == BENCH_GET_SIZE ? BENCH_GET_SIZE_LENGTH
                                                          : (DWORD)plan->sizes[size];

                if (p->kind == BENCH_GET_SIZE && size > 0)
                    continue;
                for (order = 0; order < plan->targets; order++) {
                    DWORD error;

                    target = plan->targets == 1 ? BENCH_XFER : (int)((round + path + order) % 2);
                    error = bench_run(targets[target].devices[p->device], p, length, plan,
                                      buffer, &samples[(size_t)target * bench_path_count + path]
                                                      [p->kind == BENCH_GET_SIZE ? 0 : size],
                                      &error_offset);
                    if (error != ERROR_SUCCESS)
                        return report_failure(target, p, length, error_offset, error);
                }
            }
    return XFERCTL_OK;
}

static int measure_concurrency(const struct bench_plan *plan, struct bench_concurrent *rows)
{
    uint64_t round;
    size_t p, t;
    int order, target;

    for (round = 0; round < plan->rounds; round++)
        for (t = 0; t < plan->thread_count; t++)
            for (p = 0; p < CONCURRENT_PATH_COUNT; p++)
                for (order = 0; order < plan->targets; order++) {
                    DWORD error;

                    target = plan->targets == 1 ? BENCH_XFER : (int)((round + p + order) % 2);
                    error = bench_concurrent_run(
                        &targets[target], concurrent_paths[p], plan->threads[t],
                        plan->thread_length, plan,
                        &rows[((size_t)target * CONCURRENT_PATH_COUNT + p) * plan->thread_count +
                              t]);
                    if (error != ERROR_SUCCESS)
                        return report_failure(target, concurrent_paths[p], plan->thread_length,
                                              plan->offset, error);
                }
    return XFERCTL_OK;
}

int cmd_bench(struct cli *cli)
{
    size_t rows = BENCH_TARGET_COUNT * bench_path_count, i, size;
    struct bench_samples (*samples)[XFERCTL_MAX_LIST] = calloc(rows, sizeof(*samples));
    struct bench_stats (*stats)[XFERCTL_MAX_LIST] = calloc(rows, sizeof(*stats));
    struct bench_concurrent *concurrent =
        calloc(BENCH_TARGET_COUNT * CONCURRENT_PATH_COUNT * XFERCTL_MAX_LIST, sizeof(*concurrent));
    struct bench_plan plan = { 0 };
    uint8_t *buffer = NULL;
    DWORD chunk;
    int result = configure(cli, &plan);

    chunk = (DWORD)(plan.window < XFERCTL_CHUNK ? plan.window : XFERCTL_CHUNK);
    if (result == XFERCTL_OK && (samples == NULL || stats == NULL || concurrent == NULL ||
                                 (buffer = malloc(plan.window)) == NULL)) {
        cli_message("out of memory");
        result = XFERCTL_FAILED;
    }
    if (result == XFERCTL_OK) {
        memset(buffer, 0x5A, plan.window);
        result = open_targets(&plan);
    }
    if (result == XFERCTL_OK)
        result = fill_window(&plan, buffer, chunk);
    if (result == XFERCTL_OK)
        result = measure(&plan, buffer, samples);
    if (result == XFERCTL_OK)
        result = measure_concurrency(&plan, concurrent);
    if (result == XFERCTL_OK) {
        struct bench_report report = { &plan, stats, concurrent_paths, CONCURRENT_PATH_COUNT,
                                       concurrent };

        for (i = 0; i < rows; i++)
            for (size = 0; size < plan.size_count; size++)
                bench_summarize(&samples[i][size],
                                bench_paths[i % bench_path_count].kind == BENCH_GET_SIZE
                                    ? BENCH_GET_SIZE_LENGTH
                                    : (DWORD)plan.sizes[size],
                                &stats[i][size]);
        if (cli->json)
            bench_print_json(&report);
        else
            bench_print_table(&report);
    }
    for (i = 0; samples != NULL && i < rows; i++)
        for (size = 0; size < XFERCTL_MAX_LIST; size++)
            bench_samples_free(&samples[i][size]);
    close_targets();
    free(samples);
    free(stats);
    free(concurrent);
    free(buffer);
    return result;
}
