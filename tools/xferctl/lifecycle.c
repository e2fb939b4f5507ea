/* SPDX-License-Identifier: MIT */
/*
 * xferctl: the driver's life: install, uninstall, start, stop, status.
 */
#include <string.h>
#include "xferctl.h"

int cli_driver_path(const struct cli *cli, wchar_t *path, DWORD capacity)
{
    wchar_t given[MAX_PATH];
    DWORD length;

    if (MultiByteToWideChar(CP_ACP, 0, cli->driver, -1, given, MAX_PATH) == 0)
        return cli_usage(cli, "--driver '%s': not a usable path", cli->driver);
    length = GetFullPathNameW(given, capacity, path, NULL);
    if (length == 0 || length >= capacity)
        return cli_usage(cli, "--driver '%s': not a usable path", cli->driver);
    return XFERCTL_OK;
}

/* xfer.sys next to this program, for messages. */
static void default_driver_name(char *path, DWORD capacity)
{
    DWORD length = GetModuleFileNameA(NULL, path, capacity);
    char *slash;

    if (length == 0 || length >= capacity) {
        snprintf(path, capacity, "xfer.sys");
        return;
    }
    slash = strrchr(path, '\\');
    if (slash != NULL && (DWORD)(slash + 1 - path) + sizeof("xfer.sys") <= capacity)
        strcpy(slash + 1, "xfer.sys");
}

/* Handles open on xfer's devices besides the one this asks through; 0 when
 * none or unknown (a driver older than interface version 3, or none
 * running). */
static uint64_t other_handles(void)
{
    struct xfer_info info;
    HANDLE device;
    uint64_t others = 0;

    if (xfer_open(XFER_BUFFERED, GENERIC_READ, &device) != ERROR_SUCCESS)
        return 0;
    if (xfer_get_info(device, &info) == ERROR_SUCCESS && info.version >= 3 &&
        info.open_handles > 1)
        others = info.open_handles - 1;
    CloseHandle(device);
    return others;
}

/* Windows unloads a driver whose devices are open only once the last
 * handle closes: a stop then stays pending (and times out here after
 * 10 s). Wine unloads it at once, under the programs' feet. Either way the
 * programs lose their device: `action` is refused, on both alike, until
 * they close it. */
static int refuse_while_open(const char *action)
{
    uint64_t others = other_handles();

    if (others == 0)
        return XFERCTL_OK;
    cli_message("cannot %s the driver: %llu handle%s to its devices %s open", action,
                (unsigned long long)others, others == 1 ? "" : "s", others == 1 ? "is" : "are");
    cli_message("Windows unloads the driver only when the last one closes (until then a stop "
                "stays pending): end the programs that use it (`xferctl watch`...), then run "
                "`xferctl %s` again", action);
    return XFERCTL_FAILED;
}

/* What a driver file that cannot be installed gets said. */
static int report_bad_driver(const struct cli *cli, const char *name, DWORD error)
{
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
        cli_message("cannot install the driver: there is no %s", name);
        cli_message(cli->driver != NULL ? "check the path given to --driver"
                                        : "build it, or name the driver file with --driver PATH");
    } else if (error == ERROR_BAD_EXE_FORMAT) {
        cli_message("cannot install the driver: %s is not a driver (no Windows image)", name);
    } else {
        return cli_failed(-1, "reading the driver file", error);
    }
    return XFERCTL_FAILED;
}

int cmd_install(struct cli *cli)
{
    wchar_t path[MAX_PATH];
    char name[MAX_PATH], size[32];
    uint64_t limit = cli->max_size != 0 ? cli->max_size : XFER_DEFAULT_MAX_SIZE;
    DWORD error;
    int result;

    if (cli->pnp)
        return cmd_install_pnp(cli);
    if (cli->driver != NULL) {
        result = cli_driver_path(cli, path, MAX_PATH);
        if (result != XFERCTL_OK)
            return result;
        snprintf(name, sizeof(name), "%s", cli->driver);
    } else {
        default_driver_name(name, sizeof(name));
    }
    /* Everything about the new driver is checked before the one that
     * works is touched. */
    error = xfer_service_check_driver(cli->driver != NULL ? path : NULL);
    if (error != ERROR_SUCCESS)
        return report_bad_driver(cli, name, error);
    if (cli->force) {
        if (refuse_while_open("reinstall") != XFERCTL_OK)
            return XFERCTL_FAILED;
        error = xfer_service_uninstall();
        if (error == ERROR_SUCCESS)
            cli_message("uninstalled the driver that was installed");
        else if (error != ERROR_SERVICE_DOES_NOT_EXIST)
            return cli_failed(-1, "uninstalling the installed driver", error);
    }
    error = xfer_service_install(cli->driver != NULL ? path : NULL, cli->max_size);
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ||
        error == ERROR_BAD_EXE_FORMAT)
        return report_bad_driver(cli, name, error);
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "installing the service xfer", error);
    cli_message("installed %s as the service xfer (store limit %s): run `xferctl start`", name,
                xferctl_format_size(limit, size, sizeof(size)));
    return XFERCTL_OK;
}

int cmd_uninstall(struct cli *cli)
{
    DWORD error;

    if (!cli->pnp && refuse_while_open("uninstall") != XFERCTL_OK)
        return XFERCTL_FAILED;
    /* With --pnp the devices go first, then the same service and file. */
    error = cli->pnp ? xfer_pnp_uninstall() : xfer_service_uninstall();
    if (error == ERROR_SERVICE_DOES_NOT_EXIST) {
        cli_message("the driver is not installed: nothing to uninstall");
        return XFERCTL_FAILED;
    }
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, cli->pnp ? "uninstalling the Plug and Play devices"
                                       : "uninstalling the service xfer", error);
    cli_message("uninstalled the driver: %sthe service xfer and its xfer.sys are gone",
                cli->pnp ? "its devices, " : "");
    return XFERCTL_OK;
}

/* The service's state before `action` ("start"); reports a failure,
 * "not installed" included. */
static int query_state(const char *action, DWORD *state)
{
    DWORD error = xfer_service_status(state);

    if (error == ERROR_SERVICE_DOES_NOT_EXIST) {
        cli_message("cannot %s the driver: it is not installed: run `xferctl install`", action);
        return XFERCTL_FAILED;
    }
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "querying the service xfer", error);
    return XFERCTL_OK;
}

int cmd_start(struct cli *cli)
{
    char size[32];
    DWORD state, error;
    uint64_t limit;

    (void)cli;
    if (query_state("start", &state) != XFERCTL_OK)
        return XFERCTL_FAILED;
    if (state == SERVICE_RUNNING) {
        cli_message("the driver is already running");
        return XFERCTL_OK;
    }
    error = xfer_service_start();
    if (error != ERROR_SUCCESS) {
        cli_failure(-1, "starting the service xfer", error);
        if (error == ERROR_INVALID_PARAMETER)   /* DriverEntry's STATUS_INVALID_PARAMETER */
            cli_message("the driver refused its parameters: Parameters\\MaxSize may be "
                        "invalid; `xferctl install --force` reinstalls it with defaults");
        else
            cli_hint(-1, error);
        return XFERCTL_FAILED;
    }
    limit = cli_store_limit();
    if (limit != 0)
        cli_message("the driver is running (store limit %s)",
                    xferctl_format_size(limit, size, sizeof(size)));
    else
        cli_message("the driver is running");
    return XFERCTL_OK;
}

int cmd_stop(struct cli *cli)
{
    DWORD state, error;

    (void)cli;
    if (query_state("stop", &state) != XFERCTL_OK)
        return XFERCTL_FAILED;
    if (state == SERVICE_STOPPED) {
        cli_message("the driver is not running");
        return XFERCTL_OK;
    }
    if (state == SERVICE_STOP_PENDING) {
        cli_message("a stop of the driver is pending: Windows unloads it when the last handle "
                    "to its devices closes");
        return XFERCTL_FAILED;
    }
    if (refuse_while_open("stop") != XFERCTL_OK)
        return XFERCTL_FAILED;
    error = xfer_service_stop();
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "stopping the service xfer", error);
    cli_message("the driver is stopped (its store is freed)");
    return XFERCTL_OK;
}

int cmd_status(struct cli *cli)
{
    struct xfer_info info;
    char size[32], limit[32], held[32], status[320];
    HANDLE device;
    DWORD state, error = xfer_service_status(&state);

    (void)cli;
    if (error == ERROR_SERVICE_DOES_NOT_EXIST) {
        printf("driver   not installed (`xferctl install` installs it)\n");
        return XFERCTL_OK;
    }
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "querying the service xfer", error);
    printf("driver   installed, %s%s\n", cli_state_name(state),
           state == SERVICE_STOPPED ? " (`xferctl start` starts it)" : "");
    if (state != SERVICE_RUNNING)
        return XFERCTL_OK;
    error = xfer_open(XFER_BUFFERED, GENERIC_READ, &device);
    if (error == ERROR_SUCCESS) {
        error = xfer_get_info(device, &info);
        CloseHandle(device);
    }
    if (error != ERROR_SUCCESS) {
        printf("store    unknown: %s\n", cli_status(error, status, sizeof(status)));
        return XFERCTL_OK;
    }
    printf("store    %llu bytes", (unsigned long long)info.size);
    if (info.size >= 1024)
        printf(" (%s)", xferctl_format_size(info.size, size, sizeof(size)));
    printf(" of %s, %s of memory held\n", xferctl_format_size(info.limit, limit, sizeof(limit)),
           xferctl_format_size(info.bytes_allocated, held, sizeof(held)));
    return XFERCTL_OK;
}
