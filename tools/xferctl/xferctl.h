/* SPDX-License-Identifier: MIT */
/*
 * xferctl: the command line of the xfer driver. One file per concern:
 *
 *   main.c       the command table, help, and dispatch
 *   options.c    the options of a command line
 *   report.c     error messages with what to do about them; opening devices
 *   lifecycle.c  install, uninstall, start, stop, status
 *   pnp.c        install --pnp: the driver from xfer.inf
 *   query.c      info, stats, trace
 *   store.c      zero, remove, resize
 *   transfer.c   write, read, load, dump
 *   progress.c   the progress bar of large transfers (its text: progress_bar.c,
 *                portable, unit-tested natively)
 *   bench.c      bench
 *   watch.c      watch
 *   size.c       sizes ("4K", "1M"): portable, unit-tested natively
 *
 * Exit codes: 0 success, 1 a failed operation, 2 bad usage. Data goes to
 * stdout, every message to stderr.
 */
#ifndef XFERCTL_H
#define XFERCTL_H

#include <stdint.h>
#include <stdio.h>
#include "xfer/xfer.h"
#include "size.h"

#define XFERCTL_OK 0
#define XFERCTL_FAILED 1
#define XFERCTL_USAGE 2

/* The largest store offset the driver accepts, 2^63 - 1. */
#define XFERCTL_MAX_OFFSET 0x7FFFFFFFFFFFFFFFull
/* Bytes per request of a large transfer. */
#define XFERCTL_CHUNK (1024u * 1024u)

/* Options; a command accepts a set of them (struct command.options). */
enum {
    OPT_VIA = 1u << 0,
    OPT_IOCTL = 1u << 1,
    OPT_OFFSET = 1u << 2,
    OPT_LENGTH = 1u << 3,
    OPT_JSON = 1u << 4,
    OPT_RESET = 1u << 5,
    OPT_FOLLOW = 1u << 6,
    OPT_MAX_SIZE = 1u << 7,
    OPT_FORCE = 1u << 8,
    OPT_DRIVER = 1u << 9,
    OPT_COUNT = 1u << 10,
    OPT_SECONDS = 1u << 11,
    OPT_SIZES = 1u << 12,
    OPT_NULL = 1u << 13,
    OPT_ROUNDS = 1u << 14,
    OPT_THREADS = 1u << 15,
    OPT_CHANGES = 1u << 16,
    OPT_PNP = 1u << 17,
};

/* The most values a list option (--sizes, --threads) takes. */
#define XFERCTL_MAX_LIST 16

struct cli;

struct command {
    const char *name;
    const char *args;        /* positional arguments in the usage line: "FILE", "" */
    int min_args, max_args;
    unsigned options;        /* OPT_* accepted */
    const char *summary;     /* one line, for the list of commands */
    const char *help;        /* paragraphs after the usage line (--help) */
    int (*run)(struct cli *cli);
};

/* One parsed command line. */
struct cli {
    const struct command *command;
    unsigned given;          /* OPT_* present on the command line */
    xfer_mechanism via;      /* --via, default XFER_BUFFERED */
    int ioctl, json, reset, follow, force, null, pnp;
    uint64_t offset, length, max_size, count, rounds, changes;
    double seconds;
    uint64_t sizes[XFERCTL_MAX_LIST], threads[XFERCTL_MAX_LIST];
    size_t size_count, thread_count;
    const char *driver;      /* --driver PATH */
    const char *args[2];
    int arg_count;
};

/* options.c: parses argv[first..] for `command` into *cli. XFERCTL_OK, or
 * the exit code to leave with: XFERCTL_USAGE after a message, or -1 when
 * --help was asked for (the caller prints it and exits 0). */
int cli_parse(const struct command *command, int argc, char **argv, int first,
              struct cli *cli);
/* The --help text of a command, on `out`. */
void cli_print_help(const struct command *command, FILE *out);

/* report.c */
/* "xferctl: " + the message + "\n", on stderr. */
void cli_message(const char *format, ...) __attribute__((format(gnu_printf, 1, 2)));
/* A usage error of the running command: the message, a pointer to its
 * --help, and XFERCTL_USAGE to return. */
int cli_usage(const struct cli *cli, const char *format, ...)
    __attribute__((format(gnu_printf, 2, 3)));
/* "stopped", "running"...: a service state (SERVICE_*). */
const char *cli_state_name(DWORD state);
/* "\\.\XferBuffered" and its siblings. */
const char *cli_device(xfer_mechanism mechanism);
/* "Access is denied (Win32 error 5)" into `buffer`. */
const char *cli_status(DWORD error, char *buffer, size_t size);
/* Reports a failed request: "xferctl: REQUEST on DEVICE failed: STATUS",
 * then what to do about it, if anything is known. `mechanism` < 0: no
 * device (a service request). Returns XFERCTL_FAILED. */
int cli_failed(int mechanism, const char *request, DWORD error);
/* cli_failed in two parts: the failure line, then what to do. */
void cli_failure(int mechanism, const char *request, DWORD error);
void cli_hint(int mechanism, DWORD error);
/* Opens the device of `mechanism`; on failure reports why (the driver not
 * installed, not running...) and what to do, and returns XFERCTL_FAILED. */
int cli_open(xfer_mechanism mechanism, DWORD access, HANDLE *handle);
/* cli_open's report of what opening returned: XFERCTL_OK for 0. */
int cli_report_open(xfer_mechanism mechanism, DWORD error);
/* The store's limit for a message after ERROR_DISK_FULL (GET_INFO on a
 * handle of its own; 0 if unknown). */
uint64_t cli_store_limit(void);
/* What to say after ERROR_DISK_FULL: the limit and how to raise it. */
void cli_disk_full_hint(void);
/* After a failed write to `out` (stdout or a file named `target`): when
 * its reader has gone (a closed pipe, as in `xferctl read | head -c 10`),
 * nothing is said, as Unix tools say nothing; else what failed. Returns
 * XFERCTL_FAILED. */
int cli_output_failed(FILE *out, const char *target);
/* After a failed write to `out`: whether it was its reader going away. */
int cli_reader_gone(FILE *out);

/* lifecycle.c: --driver as a full path, in wide characters; a usage error
 * when it cannot be one. */
int cli_driver_path(const struct cli *cli, wchar_t *path, DWORD capacity);

/* transfer.c: the request names of a transfer path. */
const char *cli_transfer_request(xfer_mechanism via, int ioctl, int write);

/* progress.c: a progress bar on stderr, drawn only when stderr is a
 * terminal and the transfer is large. */
struct progress {
    int enabled, drawn;
    int total_known;
    uint64_t total, done;
    uint64_t start_ms, last_ms;
    const char *label;
};
void progress_begin(struct progress *progress, const char *label, uint64_t total,
                    int total_known);
void progress_update(struct progress *progress, uint64_t done);
void progress_end(struct progress *progress);
/* Whether stderr is a terminal (console). */
int cli_stderr_is_terminal(void);

/* The commands. */
int cmd_install(struct cli *cli);
int cmd_uninstall(struct cli *cli);
/* pnp.c: install --pnp. */
int cmd_install_pnp(struct cli *cli);
int cmd_start(struct cli *cli);
int cmd_stop(struct cli *cli);
int cmd_status(struct cli *cli);
int cmd_info(struct cli *cli);
int cmd_stats(struct cli *cli);
int cmd_trace(struct cli *cli);
int cmd_write(struct cli *cli);
int cmd_read(struct cli *cli);
int cmd_load(struct cli *cli);
int cmd_dump(struct cli *cli);
int cmd_zero(struct cli *cli);
int cmd_remove(struct cli *cli);
int cmd_resize(struct cli *cli);
int cmd_bench(struct cli *cli);
int cmd_watch(struct cli *cli);

#endif /* XFERCTL_H */
