/* SPDX-License-Identifier: MIT */
/*
 * xferctl: what the driver tells about itself: info, stats, trace.
 */
#include "xferctl.h"

#define FOLLOW_POLL_MS 200

int cmd_info(struct cli *cli)
{
    struct xfer_info info;
    char text[32];
    HANDLE device;
    DWORD error;

    if (cli_open(cli->via, GENERIC_READ, &device) != XFERCTL_OK)
        return XFERCTL_FAILED;
    error = xfer_get_info(device, &info);
    CloseHandle(device);
    if (error != ERROR_SUCCESS)
        return cli_failed(cli->via, "IOCTL_XFER_GET_INFO", error);
    if (cli->json) {
        printf("{\"version\": %lu, \"chunk_size\": %lu, \"size\": %llu, \"limit\": %llu, "
               "\"bytes_allocated\": %llu, \"generation\": %llu, \"pending_waiters\": %llu, "
               "\"open_handles\": %llu}\n",
               (unsigned long)info.version, (unsigned long)info.chunk_size,
               (unsigned long long)info.size, (unsigned long long)info.limit,
               (unsigned long long)info.bytes_allocated, (unsigned long long)info.generation,
               (unsigned long long)info.pending_waiters, (unsigned long long)info.open_handles);
        return XFERCTL_OK;
    }
    printf("size          %llu bytes", (unsigned long long)info.size);
    if (info.size >= 1024)
        printf(" (%s)", xferctl_format_size(info.size, text, sizeof(text)));
    printf("\nlimit         %llu bytes (%s)\n", (unsigned long long)info.limit,
           xferctl_format_size(info.limit, text, sizeof(text)));
    printf("memory held   %llu bytes", (unsigned long long)info.bytes_allocated);
    if (info.bytes_allocated >= 1024)
        printf(" (%s)", xferctl_format_size(info.bytes_allocated, text, sizeof(text)));
    printf("\nchunk size    %lu bytes\n", (unsigned long)info.chunk_size);
    printf("generation    %llu\n", (unsigned long long)info.generation);
    printf("waiters       %llu pending\n", (unsigned long long)info.pending_waiters);
    if (info.version >= 3)
        printf("handles       %llu open (this one included)\n",
               (unsigned long long)info.open_handles);
    printf("interface     version %lu\n", (unsigned long)info.version);
    return XFERCTL_OK;
}

static const struct {
    const char *name;   /* in the table */
    const char *key;    /* in JSON */
} paths[XFER_PATH_COUNT] = {
    [XFER_PATH_READ_FILE] = { "ReadFile", "read_file" },
    [XFER_PATH_WRITE_FILE] = { "WriteFile", "write_file" },
    [XFER_PATH_IOCTL_READ_BUFFERED] = { "IOCTL READ_BUFFERED", "ioctl_read_buffered" },
    [XFER_PATH_IOCTL_READ_DIRECT] = { "IOCTL READ_DIRECT", "ioctl_read_direct" },
    [XFER_PATH_IOCTL_READ_NEITHER] = { "IOCTL READ_NEITHER", "ioctl_read_neither" },
    [XFER_PATH_IOCTL_WRITE_BUFFERED] = { "IOCTL WRITE_BUFFERED", "ioctl_write_buffered" },
    [XFER_PATH_IOCTL_WRITE_DIRECT] = { "IOCTL WRITE_DIRECT", "ioctl_write_direct" },
    [XFER_PATH_IOCTL_WRITE_NEITHER] = { "IOCTL WRITE_NEITHER", "ioctl_write_neither" },
    [XFER_PATH_IOCTL_CONTROL] = { "other IOCTLs", "ioctl_other" },
};

static void print_stats_json(const struct xfer_stats *stats)
{
    int d, p;

    printf("{");
    for (d = 0; d < XFER_DEVICE_COUNT; d++) {
        printf("%s\n  \"%s\": {", d ? "," : "", xfer_mechanism_name((xfer_mechanism)d));
        for (p = 0; p < XFER_PATH_COUNT; p++) {
            const struct xfer_counter *c = &stats->device[d][p];

            printf("%s\n    \"%s\": {\"requests\": %llu, \"bytes\": %llu, \"errors\": %llu}",
                   p ? "," : "", paths[p].key, (unsigned long long)c->requests,
                   (unsigned long long)c->bytes, (unsigned long long)c->errors);
        }
        printf("\n  }");
    }
    printf("\n}\n");
}

static void print_stats_table(const struct xfer_stats *stats)
{
    int d, p, rows = 0;

    for (d = 0; d < XFER_DEVICE_COUNT; d++) {
        for (p = 0; p < XFER_PATH_COUNT; p++) {
            const struct xfer_counter *c = &stats->device[d][p];

            if (c->requests == 0 && c->bytes == 0 && c->errors == 0)
                continue;
            if (rows++ == 0)
                printf("%-9s %-21s %10s %14s %8s\n", "device", "path", "requests", "bytes",
                       "errors");
            printf("%-9s %-21s %10llu %14llu %8llu\n", xfer_mechanism_name((xfer_mechanism)d),
                   paths[p].name, (unsigned long long)c->requests,
                   (unsigned long long)c->bytes, (unsigned long long)c->errors);
        }
    }
    if (rows == 0)
        printf("no requests counted since the driver started or the counters were reset\n");
}

int cmd_stats(struct cli *cli)
{
    struct xfer_stats stats;
    HANDLE device;
    DWORD error;

    /* RESET_STATS needs write access (the I/O manager checks it). */
    if (cli_open(cli->via, cli->reset ? GENERIC_READ | GENERIC_WRITE : GENERIC_READ, &device) !=
        XFERCTL_OK)
        return XFERCTL_FAILED;
    error = xfer_get_stats(device, &stats, cli->reset);
    CloseHandle(device);
    if (error != ERROR_SUCCESS)
        return cli_failed(cli->via, cli->reset ? "IOCTL_XFER_RESET_STATS" : "IOCTL_XFER_GET_STATS",
                          error);
    if (cli->json)
        print_stats_json(&stats);
    else
        print_stats_table(&stats);
    if (cli->reset)
        cli_message("the counters are reset");
    return XFERCTL_OK;
}

static const char *trace_device(uint32_t device)
{
    switch (device) {
    case XFER_BUFFERED: return "Buffered";
    case XFER_DIRECT: return "Direct";
    case XFER_NEITHER: return "Neither";
    case XFER_TRACE_DEVICE_DRIVER: return "driver";
    default: return "?";
    }
}

static void print_record(void *context, const struct xfer_trace_record *record)
{
    int *printed = context;

    printf("%12.6f  %-8s  %.*s\n", (double)record->time_100ns / 1e7,
           trace_device(record->device), (int)sizeof(record->text), record->text);
    (*printed)++;
}

static volatile LONG interrupted;

static BOOL WINAPI on_console_event(DWORD event)
{
    if (event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT || event == CTRL_CLOSE_EVENT) {
        InterlockedExchange(&interrupted, 1);
        return TRUE;
    }
    return FALSE;
}

/* Prints every record the ring holds, then (--follow) the ones that come
 * after the last printed. Reading leaves the ring as it was: another
 * reader, or a second `trace`, sees the same records. */
int cmd_trace(struct cli *cli)
{
    uint64_t after = 0, dropped = 0, total_dropped = 0;
    HANDLE device;
    DWORD error;
    int printed = 0, output_failed = 0;

    if (cli_open(cli->via, GENERIC_READ, &device) != XFERCTL_OK)
        return XFERCTL_FAILED;
    if (cli->follow)
        SetConsoleCtrlHandler(on_console_event, TRUE);
    for (;;) {
        error = xfer_drain_trace(device, &after, print_record, &printed, &dropped);
        /* With --follow, the one way to notice that the reader is gone
         * (`trace --follow | head -n 1`): else it would poll forever. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            output_failed = 1;
            break;
        }
        if (error != ERROR_SUCCESS)
            break;
        if (dropped != 0 && cli->follow)
            cli_message("%llu trace records were lost (the ring keeps the last 1024)",
                        (unsigned long long)dropped);
        total_dropped += dropped;
        if (!cli->follow)
            break;
        /* Sleep in short steps: Ctrl+C ends the wait promptly. */
        for (int waited = 0; waited < FOLLOW_POLL_MS && !interrupted; waited += 20)
            Sleep(20);
        if (interrupted)
            break;
    }
    CloseHandle(device);
    if (output_failed)
        return cli_output_failed(stdout, "stdout");
    if (error != ERROR_SUCCESS)
        return cli_failed(cli->via, "IOCTL_XFER_READ_TRACE", error);
    if (!cli->follow && total_dropped != 0)
        cli_message("%llu older trace records were lost (the ring keeps the last 1024)",
                    (unsigned long long)total_dropped);
    if (!cli->follow && printed == 0)
        cli_message("the trace is empty");
    return XFERCTL_OK;
}
