/* SPDX-License-Identifier: MIT */
/*
 * xferctl: moving bytes: write (stdin), read (stdout), load FILE, dump FILE.
 *
 * A transfer goes through one path, --via's device with ReadFile/WriteFile
 * or (--ioctl) with the transfer IOCTL of that method, in requests of at
 * most XFERCTL_CHUNK bytes. Each write request is all or nothing, so after
 * a failure exactly the bytes of the requests before it are stored.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include "xferctl.h"

struct path {
    HANDLE device;
    xfer_mechanism via;
    int ioctl;
};

const char *cli_transfer_request(xfer_mechanism via, int ioctl, int write)
{
    static const char *const codes[XFER_MECHANISM_COUNT][2] = {
        [XFER_BUFFERED] = { "IOCTL_XFER_READ_BUFFERED", "IOCTL_XFER_WRITE_BUFFERED" },
        [XFER_DIRECT] = { "IOCTL_XFER_READ_DIRECT", "IOCTL_XFER_WRITE_DIRECT" },
        [XFER_NEITHER] = { "IOCTL_XFER_READ_NEITHER", "IOCTL_XFER_WRITE_NEITHER" },
    };

    if (!ioctl)
        return write ? "WriteFile" : "ReadFile";
    return (unsigned)via < XFER_MECHANISM_COUNT ? codes[via][write != 0] : "?";
}

static DWORD path_write(const struct path *path, uint64_t offset, const void *buffer,
                        DWORD length)
{
    DWORD done, error;

    if (path->ioctl)
        return xfer_ioctl_write(path->device, path->via, offset, buffer, length);
    error = xfer_write_at(path->device, offset, buffer, length, &done);
    if (error == ERROR_SUCCESS && done != length)
        return ERROR_WRITE_FAULT;   /* a driver that broke all-or-nothing */
    return error;
}

static DWORD path_read(const struct path *path, uint64_t offset, void *buffer, DWORD length,
                       DWORD *done)
{
    if (path->ioctl)
        return xfer_ioctl_read(path->device, path->via, offset, buffer, length, done);
    return xfer_read_at(path->device, offset, buffer, length, done);
}

/* "WriteFile of 1048576 bytes at offset 0" */
static void describe_request(const struct path *path, int write, DWORD length, uint64_t offset,
                             char *text, size_t size)
{
    snprintf(text, size, "%s of %lu bytes at offset %llu",
             cli_transfer_request(path->via, path->ioctl, write), (unsigned long)length,
             (unsigned long long)offset);
}

/* Reads up to `want` bytes; fewer only at the end of `in` or on an error. */
static size_t read_full(FILE *in, uint8_t *buffer, size_t want)
{
    size_t got = 0, n;

    while (got < want) {
        n = fread(buffer + got, 1, want - got, in);
        if (n == 0)
            break;
        got += n;
    }
    return got;
}

/* The bytes left in `in` when it is a file, for the progress bar. */
static int remaining_bytes(FILE *in, uint64_t *bytes)
{
    HANDLE handle = (HANDLE)_get_osfhandle(_fileno(in));
    LARGE_INTEGER size, here, zero = { 0 };

    if (handle == INVALID_HANDLE_VALUE || GetFileType(handle) != FILE_TYPE_DISK ||
        !GetFileSizeEx(handle, &size) || !SetFilePointerEx(handle, zero, &here, FILE_CURRENT) ||
        here.QuadPart > size.QuadPart)
        return 0;
    *bytes = (uint64_t)(size.QuadPart - here.QuadPart);
    return 1;
}

/* Writes `in` (to its end, or cli->length bytes at most) into the store at
 * cli->offset. *stored gets the bytes stored. */
static int store_from(const struct cli *cli, FILE *in, const char *source, uint64_t *stored)
{
    uint64_t limit = (cli->given & OPT_LENGTH) ? cli->length : UINT64_MAX, total;
    struct progress progress;
    struct path path = { NULL, cli->via, cli->ioctl };
    char request[128];
    uint8_t *buffer;
    size_t want, got;
    DWORD error;
    int known = remaining_bytes(in, &total), result = XFERCTL_OK;

    *stored = 0;
    if (known && total > limit)
        total = limit;
    if (!known && limit != UINT64_MAX) {
        total = limit;
        known = 1;
    }
    if (known && total > XFERCTL_MAX_OFFSET - cli->offset)
        return cli_usage(cli, "offset %llu + %llu bytes passes the store's end (2^63 - 1)",
                         (unsigned long long)cli->offset, (unsigned long long)total);
    if (cli_open(cli->via, GENERIC_READ | GENERIC_WRITE, &path.device) != XFERCTL_OK)
        return XFERCTL_FAILED;
    buffer = malloc(XFERCTL_CHUNK);
    if (buffer == NULL) {
        CloseHandle(path.device);
        cli_message("out of memory");
        return XFERCTL_FAILED;
    }
    progress_begin(&progress, "writing", known ? total : 0, known);
    while (*stored < limit) {
        want = limit - *stored < XFERCTL_CHUNK ? (size_t)(limit - *stored) : XFERCTL_CHUNK;
        got = read_full(in, buffer, want);
        if (got == 0)
            break;
        error = path_write(&path, cli->offset + *stored, buffer, (DWORD)got);
        if (error != ERROR_SUCCESS) {
            progress_end(&progress);
            describe_request(&path, 1, (DWORD)got, cli->offset + *stored, request,
                             sizeof(request));
            cli_failure(cli->via, request, error);
            if (*stored == 0)
                cli_message("nothing was stored");
            else
                cli_message("%llu bytes were stored (offsets %llu to %llu) before the failing "
                            "request, which stored nothing",
                            (unsigned long long)*stored, (unsigned long long)cli->offset,
                            (unsigned long long)(cli->offset + *stored));
            cli_hint(cli->via, error);
            result = XFERCTL_FAILED;
            break;
        }
        *stored += got;
        progress_update(&progress, *stored);
        if (got < want)
            break;
    }
    progress_end(&progress);
    if (result == XFERCTL_OK && ferror(in)) {
        cli_message("reading %s failed: %s (%llu bytes were stored)", source, strerror(errno),
                    (unsigned long long)*stored);
        result = XFERCTL_FAILED;
    }
    /* As read says when the store ends first. */
    if (result == XFERCTL_OK && limit != UINT64_MAX && *stored < limit)
        cli_message("%s ended after %llu of the %llu bytes asked: %llu bytes were stored",
                    source, (unsigned long long)*stored, (unsigned long long)limit,
                    (unsigned long long)*stored);
    free(buffer);
    CloseHandle(path.device);
    return result;
}

/* A read of the store, checked and with its device open before anything
 * is written anywhere: fetch_open, then fetch_run, then fetch_close. */
struct fetch {
    struct path path;
    uint64_t length;   /* bytes to read: --length, or up to the store's end */
};

/* Checks the options, opens the device and finds how much to read.
 * XFERCTL_OK, or the exit code after a message. */
static int fetch_open(const struct cli *cli, struct fetch *fetch)
{
    uint64_t size;
    DWORD error;

    fetch->path = (struct path){ NULL, cli->via, cli->ioctl };
    fetch->length = cli->length;
    if ((cli->given & OPT_LENGTH) && fetch->length > XFERCTL_MAX_OFFSET - cli->offset)
        return cli_usage(cli, "offset %llu + %llu bytes passes the store's end (2^63 - 1)",
                         (unsigned long long)cli->offset, (unsigned long long)fetch->length);
    if (cli_open(cli->via, GENERIC_READ, &fetch->path.device) != XFERCTL_OK)
        return XFERCTL_FAILED;
    if (!(cli->given & OPT_LENGTH)) {
        error = xfer_get_size(fetch->path.device, &size);
        if (error != ERROR_SUCCESS) {
            CloseHandle(fetch->path.device);
            return cli_failed(cli->via, "IOCTL_XFER_GET_SIZE", error);
        }
        fetch->length = size > cli->offset ? size - cli->offset : 0;
    }
    return XFERCTL_OK;
}

static void fetch_close(struct fetch *fetch)
{
    CloseHandle(fetch->path.device);
}

/* Writes fetch->length bytes of the store from cli->offset (fewer where
 * the store ends) to `out`. *fetched gets the bytes written out. */
static int fetch_run(const struct cli *cli, struct fetch *fetch, FILE *out, const char *target,
                     uint64_t *fetched)
{
    const struct path *path = &fetch->path;
    struct progress progress;
    uint64_t length = fetch->length;
    char request[128];
    uint8_t *buffer;
    DWORD want, got, error;
    int result = XFERCTL_OK;

    *fetched = 0;
    buffer = malloc(XFERCTL_CHUNK);
    if (buffer == NULL) {
        cli_message("out of memory");
        return XFERCTL_FAILED;
    }
    progress_begin(&progress, "reading", length, 1);
    while (*fetched < length) {
        want = length - *fetched < XFERCTL_CHUNK ? (DWORD)(length - *fetched) : XFERCTL_CHUNK;
        error = path_read(path, cli->offset + *fetched, buffer, want, &got);
        if (error != ERROR_SUCCESS) {
            progress_end(&progress);
            describe_request(path, 0, want, cli->offset + *fetched, request, sizeof(request));
            cli_failure(cli->via, request, error);
            if (*fetched != 0)
                cli_message("%llu bytes were read before it", (unsigned long long)*fetched);
            cli_hint(cli->via, error);
            result = XFERCTL_FAILED;
            break;
        }
        if (got == 0)
            break;   /* the end of the store */
        if (fwrite(buffer, 1, got, out) != got) {
            progress_end(&progress);
            result = cli_output_failed(out, target);
            break;
        }
        *fetched += got;
        progress_update(&progress, *fetched);
        if (got < want)
            break;
    }
    progress_end(&progress);
    if (result == XFERCTL_OK && (cli->given & OPT_LENGTH) && *fetched < length)
        cli_message("the store ends at offset %llu: %llu of the %llu bytes asked were read",
                    (unsigned long long)(cli->offset + *fetched), (unsigned long long)*fetched,
                    (unsigned long long)length);
    free(buffer);
    return result;
}

/* "through WriteFile on \\.\XferDirect" */
static void describe_path(const struct cli *cli, int write, char *text, size_t size)
{
    snprintf(text, size, "through %s on %s", cli_transfer_request(cli->via, cli->ioctl, write),
             cli_device(cli->via));
}

int cmd_write(struct cli *cli)
{
    uint64_t stored;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;

    _setmode(_fileno(stdin), _O_BINARY);
    if (in != NULL && in != INVALID_HANDLE_VALUE && GetConsoleMode(in, &mode) &&
        !(cli->given & OPT_LENGTH))
        cli_message("writing what you type until the end of input (Ctrl+Z, then Enter)");
    return store_from(cli, stdin, "stdin", &stored);
}

int cmd_read(struct cli *cli)
{
    struct fetch fetch;
    uint64_t fetched;
    int result;

    _setmode(_fileno(stdout), _O_BINARY);
    result = fetch_open(cli, &fetch);
    if (result != XFERCTL_OK)
        return result;
    result = fetch_run(cli, &fetch, stdout, "stdout", &fetched);
    fetch_close(&fetch);
    return result;
}

int cmd_load(struct cli *cli)
{
    const char *name = cli->args[0];
    char how[96], size[32];
    uint64_t stored;
    FILE *in = fopen(name, "rb");
    int result;

    if (in == NULL) {
        cli_message("cannot open %s: %s", name, strerror(errno));
        return XFERCTL_FAILED;
    }
    result = store_from(cli, in, name, &stored);
    fclose(in);
    if (result == XFERCTL_OK) {
        describe_path(cli, 1, how, sizeof(how));
        cli_message("loaded %llu bytes (%s) from %s at offset %llu %s",
                    (unsigned long long)stored, xferctl_format_size(stored, size, sizeof(size)),
                    name, (unsigned long long)cli->offset, how);
    }
    return result;
}

/* Whether `name` is something other than a file on a disk (a device such
 * as NUL, a pipe): it has no contents to lose, nor can it be replaced. */
static int is_not_a_file(const char *name)
{
    HANDLE handle = CreateFileA(name, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    DWORD type;

    if (handle == INVALID_HANDLE_VALUE)
        return 0;
    type = GetFileType(handle);
    CloseHandle(handle);
    return type != FILE_TYPE_DISK;
}

/* dump's output goes to a file of its own beside FILE, which replaces FILE
 * only once the dump is whole: a failed dump leaves FILE as it was. A
 * device or pipe is written directly (*temporary is then ""). */
static FILE *create_beside(const char *name, char *temporary, size_t size)
{
    if (is_not_a_file(name)) {
        temporary[0] = '\0';
        return fopen(name, "wb");
    }
    snprintf(temporary, size, "%s.xferctl-%lu.tmp", name, (unsigned long)GetCurrentProcessId());
    return fopen(temporary, "wb");
}

int cmd_dump(struct cli *cli)
{
    const char *name = cli->args[0];
    char how[96], size[32], temporary[MAX_PATH + 32];
    struct fetch fetch;
    uint64_t fetched;
    FILE *out;
    int result = fetch_open(cli, &fetch);

    if (result != XFERCTL_OK)
        return result;
    out = create_beside(name, temporary, sizeof(temporary));
    if (out == NULL) {
        cli_message("cannot create %s: %s", temporary[0] ? temporary : name, strerror(errno));
        fetch_close(&fetch);
        return XFERCTL_FAILED;
    }
    result = fetch_run(cli, &fetch, out, name, &fetched);
    fetch_close(&fetch);
    if (fclose(out) != 0 && result == XFERCTL_OK) {
        cli_message("writing %s failed: %s", temporary[0] ? temporary : name, strerror(errno));
        result = XFERCTL_FAILED;
    }
    if (temporary[0] == '\0')
        ;   /* written in place */
    else if (result != XFERCTL_OK)
        remove(temporary);   /* FILE itself was never touched */
    else if (!MoveFileExA(temporary, name, MOVEFILE_REPLACE_EXISTING)) {
        cli_failure(-1, "replacing the dump's file", GetLastError());
        cli_message("the dump is whole in %s", temporary);
        return XFERCTL_FAILED;
    }
    if (result != XFERCTL_OK)
        return result;
    describe_path(cli, 0, how, sizeof(how));
    cli_message("dumped %llu bytes (%s) from offset %llu into %s %s",
                (unsigned long long)fetched, xferctl_format_size(fetched, size, sizeof(size)),
                (unsigned long long)cli->offset, name, how);
    return XFERCTL_OK;
}
