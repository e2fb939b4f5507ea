/* SPDX-License-Identifier: MIT */
/*
 * xferctl watch: prints each change of the store as it happens. One
 * IOCTL_XFER_WAIT_CHANGE pends in the driver at a time, on an overlapped
 * handle; Ctrl+C cancels it (CancelIoEx) and waits for it to end, so the
 * driver never keeps a request of a program that is gone. Every line is
 * checked: when stdout's reader has gone (`xferctl watch | head -n 1`),
 * watch ends at the next change instead of re-arming.
 */
#include "xferctl.h"

static HANDLE stop_event;

static BOOL WINAPI on_console_event(DWORD event)
{
    if (event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT || event == CTRL_CLOSE_EVENT) {
        SetEvent(stop_event);
        return TRUE;
    }
    return FALSE;
}

static const char *kind_name(uint32_t kind)
{
    switch (kind) {
    case XFER_CHANGE_WRITE: return "write";
    case XFER_CHANGE_ZERO: return "zero";
    case XFER_CHANGE_REMOVE: return "remove";
    case XFER_CHANGE_RESIZE: return "resize";
    default: return "many";
    }
}

/* Prints one change; 0, or -1 when stdout failed (its reader gone). */
static int print_change(const struct xfer_change *c, int json)
{
    unsigned long long generation = c->generation, offset = c->offset, length = c->length,
                       size = c->size;

    if (json) {
        printf("{\"generation\": %llu, \"kind\": \"%s\", \"offset\": %llu, \"length\": %llu, "
               "\"size\": %llu}\n", generation, kind_name(c->kind), offset, length, size);
    } else {
        printf("generation %llu: ", generation);
        switch (c->kind) {
        case XFER_CHANGE_WRITE:
            printf("write of %llu bytes at offset %llu", length, offset);
            break;
        case XFER_CHANGE_ZERO:
            printf("zero: every byte reads as zero");
            break;
        case XFER_CHANGE_REMOVE:
            printf("remove: %llu bytes freed", length);
            break;
        case XFER_CHANGE_RESIZE:
            /* The range lies between the old size and the new one. */
            printf("resize from %llu bytes", size == offset ? offset + length : offset);
            break;
        default:
            printf("several changes: any byte may differ");
        }
        printf(", size %llu\n", size);
    }
    return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}

/* Waits for one change after `generation`, or for Ctrl+C. 0 with *change,
 * ERROR_CANCELLED after Ctrl+C, or the wait's error. */
static DWORD wait_once(HANDLE device, uint64_t generation, struct xfer_change *change)
{
    struct xfer_wait wait;
    HANDLE events[2];
    DWORD error = xfer_wait_start(device, generation, &wait);

    if (error != ERROR_SUCCESS && error != ERROR_IO_PENDING)
        return error;
    events[0] = wait.overlapped.hEvent;
    events[1] = stop_event;
    if (WaitForMultipleObjects(2, events, FALSE, INFINITE) == WAIT_OBJECT_0 + 1)
        xfer_wait_cancel(device, &wait);
    error = xfer_wait_finish(device, &wait, 1, change);
    /* A change that won the race with Ctrl+C is still printed. */
    if (error == ERROR_OPERATION_ABORTED && WaitForSingleObject(stop_event, 0) == WAIT_OBJECT_0)
        return ERROR_CANCELLED;
    return error;
}

int cmd_watch(struct cli *cli)
{
    struct xfer_change change;
    struct xfer_info info;
    uint64_t seen = 0;
    HANDLE device;
    DWORD error;
    int result = XFERCTL_OK;

    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (stop_event == NULL)
        return cli_failed(-1, "CreateEvent", GetLastError());
    error = xfer_open_overlapped(cli->via, GENERIC_READ, &device);
    if (error != ERROR_SUCCESS) {
        CloseHandle(stop_event);
        return cli_report_open(cli->via, error);
    }
    error = xfer_get_info(device, &info);
    if (error != ERROR_SUCCESS) {
        CloseHandle(device);
        CloseHandle(stop_event);
        return cli_failed(cli->via, "IOCTL_XFER_GET_INFO", error);
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);
    cli_message("watching the store from generation %llu; Ctrl+C stops",
                (unsigned long long)info.generation);
    for (;;) {
        if ((cli->given & OPT_CHANGES) && seen == cli->changes)
            break;
        error = wait_once(device, info.generation, &change);
        if (error != ERROR_SUCCESS)
            break;
        if (print_change(&change, cli->json) != 0) {
            /* No wait pends between changes: nothing is left in the driver. */
            result = cli_output_failed(stdout, "stdout");
            break;
        }
        info.generation = change.generation;
        seen++;
    }
    /* The handler goes before the event it signals. */
    SetConsoleCtrlHandler(on_console_event, FALSE);
    CloseHandle(device);
    CloseHandle(stop_event);
    if (result != XFERCTL_OK)
        return result;
    if (error == ERROR_CANCELLED) {
        cli_message("stopped after %llu changes", (unsigned long long)seen);
        return XFERCTL_OK;
    }
    if (error == ERROR_OPERATION_ABORTED) {
        cli_message("the wait was cancelled: the driver stopped, or another program cancelled it");
        return XFERCTL_FAILED;
    }
    if (error != ERROR_SUCCESS)
        return cli_failed(cli->via, "IOCTL_XFER_WAIT_CHANGE", error);
    return XFERCTL_OK;
}
