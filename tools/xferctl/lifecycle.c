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
    if (cli->force) {
        error = xfer_service_uninstall();
        if (error == ERROR_SUCCESS)
            cli_message("uninstalled the driver that was installed");
        else if (error != ERROR_SERVICE_DOES_NOT_EXIST)
            return cli_failed(-1, "uninstalling the installed driver", error);
    }
    error = xfer_service_install(cli->driver != NULL ? path : NULL, cli->max_size);
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
        cli_message("cannot install the driver: there is no %s", name);
        cli_message(cli->driver != NULL ? "check the path given to --driver"
                                        : "build it, or name the driver file with --driver PATH");
        return XFERCTL_FAILED;
    }
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "installing the service xfer", error);
    cli_message("installed %s as the service xfer (store limit %s): run `xferctl start`", name,
                xferctl_format_size(limit, size, sizeof(size)));
    return XFERCTL_OK;
}

int cmd_uninstall(struct cli *cli)
{
    DWORD error;

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
    error = xfer_open(XFER_BUFFERED, 0, &device);
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
