/* SPDX-License-Identifier: MIT */
/*
 * xferctl: changing the store as a whole: zero, remove, resize.
 */
#include "xferctl.h"

/* Sends one of the store IOCTLs on a read/write handle of --via. */
static int store_request(const struct cli *cli, const char *request, DWORD code, void *in,
                         DWORD in_length)
{
    HANDLE device;
    DWORD error;

    if (cli_open(cli->via, GENERIC_READ | GENERIC_WRITE, &device) != XFERCTL_OK)
        return XFERCTL_FAILED;
    error = xfer_control(device, code, in, in_length, NULL, 0, NULL);
    CloseHandle(device);
    if (error != ERROR_SUCCESS)
        return cli_failed(cli->via, request, error);
    return XFERCTL_OK;
}

int cmd_zero(struct cli *cli)
{
    if (store_request(cli, "IOCTL_XFER_ZERO_BUFFER", IOCTL_XFER_ZERO_BUFFER, NULL, 0) !=
        XFERCTL_OK)
        return XFERCTL_FAILED;
    cli_message("every byte of the store is zero now (its size is kept)");
    return XFERCTL_OK;
}

int cmd_remove(struct cli *cli)
{
    if (store_request(cli, "IOCTL_XFER_REMOVE_BUFFER", IOCTL_XFER_REMOVE_BUFFER, NULL, 0) !=
        XFERCTL_OK)
        return XFERCTL_FAILED;
    cli_message("the store is removed (its size is 0)");
    return XFERCTL_OK;
}

int cmd_resize(struct cli *cli)
{
    struct xfer_set_size in;
    const char *why;
    char text[32];

    if (xferctl_parse_size(cli->args[0], &in.size, &why) != 0)
        return cli_usage(cli, "size '%s': %s", cli->args[0], why);
    if (in.size > XFERCTL_MAX_OFFSET)
        return cli_usage(cli, "size %s: the store ends at 2^63 - 1 at most", cli->args[0]);
    if (store_request(cli, "IOCTL_XFER_SET_SIZE", IOCTL_XFER_SET_SIZE, &in, sizeof(in)) !=
        XFERCTL_OK)
        return XFERCTL_FAILED;
    cli_message("the store's size is %llu bytes%s%s%s", (unsigned long long)in.size,
                in.size >= 1024 ? " (" : "",
                in.size >= 1024 ? xferctl_format_size(in.size, text, sizeof(text)) : "",
                in.size >= 1024 ? ")" : "");
    return XFERCTL_OK;
}
