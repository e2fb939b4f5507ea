/* SPDX-License-Identifier: MIT */
/*
 * include/xfer/ioctl.h on its own: the first and only include. Compiled by
 * tests/docs/check as C and as C++, with and without UNICODE, in user mode
 * and in kernel mode (_KERNEL_MODE), for x64 and x86; each must build with
 * every warning an error. It uses what a program takes from the header:
 * every code, the device names, every struct.
 */
#include "xfer/ioctl.h"

#ifdef __cplusplus
extern "C" {
#endif

const unsigned long xfer_doc_codes[] = {
    IOCTL_XFER_ZERO_BUFFER, IOCTL_XFER_REMOVE_BUFFER, IOCTL_XFER_GET_SIZE,
    IOCTL_XFER_GET_BUFFER, IOCTL_XFER_READ_BUFFERED, IOCTL_XFER_READ_DIRECT,
    IOCTL_XFER_READ_NEITHER, IOCTL_XFER_WRITE_BUFFERED, IOCTL_XFER_WRITE_DIRECT,
    IOCTL_XFER_WRITE_NEITHER, IOCTL_XFER_SET_SIZE, IOCTL_XFER_GET_INFO,
    IOCTL_XFER_GET_STATS, IOCTL_XFER_RESET_STATS, IOCTL_XFER_READ_TRACE,
    IOCTL_XFER_WAIT_CHANGE,
};

const wchar_t *const xfer_doc_names[] = {
    XFER_WIN32_BUFFERED, XFER_WIN32_DIRECT, XFER_WIN32_NEITHER, XFER_SERVICE_NAME,
};

unsigned long xfer_doc_sizes(void)
{
    return (unsigned long)(sizeof(struct xfer_transfer_header) + sizeof(struct xfer_set_size) +
                           sizeof(struct xfer_info) + sizeof(struct xfer_stats) +
                           sizeof(struct xfer_trace_batch) + sizeof(struct xfer_trace_record) +
                           sizeof(struct xfer_wait_change) + sizeof(struct xfer_change) +
                           XFER_INTERFACE_VERSION + XFER_PATH_COUNT + XFER_CHANGE_MANY +
                           xfer_doc_codes[0] + (unsigned long)xfer_doc_names[0][0]);
}

#ifdef __cplusplus
}
#endif
