/* SPDX-License-Identifier: MIT */
/*
 * xferctl: install --pnp, the driver from xfer.inf as Plug and Play
 * devices (uninstall --pnp is cmd_uninstall's). The plain service's commands (start, stop,
 * status) go on working: the INF installs the same service, "xfer".
 */
#include <string.h>
#include "xferctl.h"

/* --driver (the INF) as a full wide path, or xfer.inf next to this
 * program. */
static int inf_path(const struct cli *cli, wchar_t *path, DWORD capacity)
{
    wchar_t *slash;
    DWORD length;

    if (cli->driver != NULL)
        return cli_driver_path(cli, path, capacity);
    length = GetModuleFileNameW(NULL, path, capacity);
    slash = length != 0 && length < capacity ? wcsrchr(path, L'\\') : NULL;
    if (slash == NULL || (DWORD)(slash + 1 - path) + sizeof("xfer.inf") > capacity) {
        cli_message("cannot find xfer.inf next to xferctl.exe: name it with --driver PATH");
        return XFERCTL_FAILED;
    }
    wcscpy(slash + 1, L"xfer.inf");
    return XFERCTL_OK;
}

int cmd_install_pnp(struct cli *cli)
{
    wchar_t path[MAX_PATH];
    unsigned nodes = 0;
    DWORD error;
    int result;

    if (cli->given & OPT_MAX_SIZE)
        return cli_usage(cli, "--max-size does not go with --pnp: the INF's MaxSize line sets the limit");
    result = inf_path(cli, path, MAX_PATH);
    if (result != XFERCTL_OK)
        return result;
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
        cli_message("cannot install the driver: there is no %ls", path);
        return XFERCTL_FAILED;
    }
    if (cli->force) {
        error = xfer_pnp_uninstall();
        if (error == ERROR_SUCCESS)
            cli_message("uninstalled the driver that was installed");
        else if (error != ERROR_SERVICE_DOES_NOT_EXIST)
            return cli_failed(-1, "uninstalling the installed driver", error);
    } else if (xfer_pnp_node_count(&nodes) == ERROR_SUCCESS && nodes == XFER_MECHANISM_COUNT) {
        cli_message("the Plug and Play devices are installed already (--force reinstalls them)");
        return XFERCTL_FAILED;
    }
    error = xfer_pnp_install(path);
    if (error != ERROR_SUCCESS)
        return cli_failed(-1, "installing the driver from its INF", error);
    cli_message("installed %ls: three Plug and Play devices (buffered, direct, neither), "
                "started", path);
    return XFERCTL_OK;
}
