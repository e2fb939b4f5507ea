/* SPDX-License-Identifier: MIT */
/*
 * xferctl: messages. Every failure names the request, the device and the
 * status, and says what to do when something useful can be said.
 */
#include <errno.h>
#include <io.h>
#include <stdarg.h>
#include <string.h>
#include "xferctl.h"

void cli_message(const char *format, ...)
{
    va_list args;

    fflush(stdout);
    fputs("xferctl: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
}

int cli_usage(const struct cli *cli, const char *format, ...)
{
    const char *name = cli->command->name;
    va_list args;

    fprintf(stderr, "xferctl %s: ", name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fprintf(stderr, ": see `xferctl %s --help`\n", name);
    fflush(stderr);
    return XFERCTL_USAGE;
}

/* The device xfer_open opens: a started Plug and Play device's interface
 * path, else the plain service's name. */
const char *cli_device(xfer_mechanism mechanism)
{
    static const char *const names[XFER_MECHANISM_COUNT] = {
        [XFER_BUFFERED] = "\\\\.\\XferBuffered",
        [XFER_DIRECT] = "\\\\.\\XferDirect",
        [XFER_NEITHER] = "\\\\.\\XferNeither",
    };
    static char found[XFER_MECHANISM_COUNT][XFER_INTERFACE_PATH_MAX];
    wchar_t path[XFER_INTERFACE_PATH_MAX];

    if ((unsigned)mechanism >= XFER_MECHANISM_COUNT)
        return "?";
    if (xfer_interface_path(mechanism, path, XFER_INTERFACE_PATH_MAX) == ERROR_SUCCESS &&
        WideCharToMultiByte(CP_ACP, 0, path, -1, found[mechanism], XFER_INTERFACE_PATH_MAX,
                            NULL, NULL) > 0)
        return found[mechanism];
    return names[mechanism];
}

const char *cli_status(DWORD error, char *buffer, size_t size)
{
    char text[256], bare[32];

    /* Without a system message the text is "Win32 error N" already. */
    xfer_error_message(error, text, sizeof(text));
    snprintf(bare, sizeof(bare), "Win32 error %lu", (unsigned long)error);
    if (strcmp(text, bare) == 0)
        snprintf(buffer, size, "%s", text);
    else
        snprintf(buffer, size, "%s (Win32 error %lu)", text, (unsigned long)error);
    return buffer;
}

/* A write to a pipe fails only when nobody reads it any more. Windows
 * says ERROR_NO_DATA ("the pipe is being closed"), Wine
 * ERROR_PIPE_NOT_CONNECTED, but the C runtime keeps neither: it leaves
 * EINVAL in errno and 0 in GetLastError. So the kind of handle decides. */
int cli_reader_gone(FILE *out)
{
    HANDLE handle = (HANDLE)_get_osfhandle(_fileno(out));

    return handle != INVALID_HANDLE_VALUE && GetFileType(handle) == FILE_TYPE_PIPE;
}

int cli_output_failed(FILE *out, const char *target)
{
    int saved = errno;

    if (!cli_reader_gone(out))
        cli_message("writing to %s failed: %s", target, strerror(saved));
    return XFERCTL_FAILED;
}

const char *cli_state_name(DWORD state)
{
    switch (state) {
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "starting";
    case SERVICE_STOP_PENDING: return "stopping";
    case SERVICE_RUNNING: return "running";
    case SERVICE_CONTINUE_PENDING: return "continuing";
    case SERVICE_PAUSE_PENDING: return "pausing";
    case SERVICE_PAUSED: return "paused";
    default: return "in an unknown state";
    }
}

uint64_t cli_store_limit(void)
{
    struct xfer_info info;
    HANDLE device;
    uint64_t limit = 0;

    if (xfer_open(XFER_BUFFERED, GENERIC_READ, &device) != ERROR_SUCCESS)
        return 0;
    if (xfer_get_info(device, &info) == ERROR_SUCCESS)
        limit = info.limit;
    CloseHandle(device);
    return limit;
}

void cli_disk_full_hint(void)
{
    uint64_t limit = cli_store_limit();
    char size[32];

    if (limit != 0)
        cli_message("the store's limit is %s (%llu bytes)",
                    xferctl_format_size(limit, size, sizeof(size)), (unsigned long long)limit);
    else
        cli_message("the request would take the store past its limit");
    cli_message("to raise it: `xferctl install --force --max-size N` then `xferctl start` "
                "(this empties the store)");
}

/* What to do after `error`, or NULL. `device`: a device request, not a
 * service one. */
static const char *hint(DWORD error, int device)
{
    switch (error) {
    case ERROR_ACCESS_DENIED:
        return device ? "the request needs access this handle or user lacks: run xferctl as "
                        "Administrator"
                      : "managing the driver needs administrator rights: run xferctl from an "
                        "elevated prompt";
    case ERROR_SERVICE_DOES_NOT_EXIST:
        return "the driver is not installed: run `xferctl install`";
    case ERROR_SERVICE_EXISTS:
        return "the driver is already installed: run `xferctl uninstall` first, or "
               "`xferctl install --force` to reinstall it";
    case ERROR_SERVICE_MARKED_FOR_DELETE:
        return "the service is being deleted: close every program that has an xfer device "
               "open, then try again";
    case ERROR_SERVICE_REQUEST_TIMEOUT:
        return "the driver did not change state within 10 s: a program may still have a "
               "device open; see `xferctl status`";
    case ERROR_SERVICE_NOT_ACTIVE:
        return "the driver is not running: run `xferctl start`";
    case ERROR_SERVICE_DISABLED:
        return "the service is disabled: reinstall it with `xferctl install --force`";
    case ERROR_INVALID_FUNCTION:
        return "the driver does not know this request: an older xfer.sys may be installed; "
               "`xferctl install --force` reinstalls it";
    case ERROR_NO_SYSTEM_RESOURCES:
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return "the system is short of memory: free some (`xferctl remove` frees the store)";
    case ERROR_INVALID_HANDLE:
    case ERROR_OPERATION_ABORTED:
    case ERROR_DEVICE_REMOVED:
    case ERROR_FILE_NOT_FOUND:
        return device ? "the driver may have stopped: see `xferctl status`" : NULL;
    default:
        return NULL;
    }
}

void cli_failure(int mechanism, const char *request, DWORD error)
{
    char status[320];

    if (mechanism >= 0)
        cli_message("%s on %s failed: %s", request, cli_device((xfer_mechanism)mechanism),
                    cli_status(error, status, sizeof(status)));
    else
        cli_message("%s failed: %s", request, cli_status(error, status, sizeof(status)));
}

void cli_hint(int mechanism, DWORD error)
{
    const char *what;

    if (error == ERROR_DISK_FULL) {
        cli_disk_full_hint();
        return;
    }
    what = hint(error, mechanism >= 0);
    if (what != NULL)
        cli_message("%s", what);
}

int cli_failed(int mechanism, const char *request, DWORD error)
{
    cli_failure(mechanism, request, error);
    cli_hint(mechanism, error);
    return XFERCTL_FAILED;
}

/* Why a device does not exist: the service's state. */
static const char *why_no_device(char *buffer, size_t size)
{
    DWORD state, error = xfer_service_status(&state);
    char status[320];

    if (error == ERROR_SERVICE_DOES_NOT_EXIST)
        return "the driver is not installed: run `xferctl install`, then `xferctl start`";
    if (error != ERROR_SUCCESS) {
        snprintf(buffer, size, "the driver is not running (its service cannot be queried: %s)",
                 cli_status(error, status, sizeof(status)));
        return buffer;
    }
    if (state == SERVICE_STOPPED)
        return "the driver is not running: run `xferctl start`";
    if (state == SERVICE_RUNNING)
        return "the service xfer runs but has no such device: is another driver installed "
               "under that name? `xferctl install --force` reinstalls xfer.sys";
    snprintf(buffer, size, "the driver is %s: see `xferctl status`", cli_state_name(state));
    return buffer;
}

int cli_open(xfer_mechanism mechanism, DWORD access, HANDLE *handle)
{
    return cli_report_open(mechanism, xfer_open(mechanism, access, handle));
}

int cli_report_open(xfer_mechanism mechanism, DWORD error)
{
    char status[320], reason[400];
    const char *what;

    if (error == ERROR_SUCCESS)
        return XFERCTL_OK;
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
        cli_message("cannot open %s: %s", cli_device(mechanism),
                    why_no_device(reason, sizeof(reason)));
        return XFERCTL_FAILED;
    }
    cli_message("cannot open %s: %s", cli_device(mechanism),
                cli_status(error, status, sizeof(status)));
    what = hint(error, 1);
    if (what != NULL)
        cli_message("%s", what);
    return XFERCTL_FAILED;
}
