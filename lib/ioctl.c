/* SPDX-License-Identifier: MIT */
/*
 * libxfer: the transfer IOCTLs and the IOCTLs beyond Wdm1 (SET_SIZE,
 * GET_INFO, GET_STATS/RESET_STATS, READ_TRACE).
 *
 * Where each transfer IOCTL wants its data (include/xfer/ioctl.h):
 *   READ_*          header in the input, data into the output buffer;
 *   WRITE_BUFFERED  header and data together in the input, no output;
 *   WRITE_DIRECT,
 *   WRITE_NEITHER   header in the input, data in the *output* buffer
 *                   argument, which the driver only reads.
 */
#include <string.h>
#include "xfer/xfer.h"

#define TRACE_BATCH_RECORDS 64

DWORD xfer_transfer_code(xfer_mechanism method, int write)
{
    static const DWORD codes[XFER_MECHANISM_COUNT][2] = {
        [XFER_BUFFERED] = { IOCTL_XFER_READ_BUFFERED, IOCTL_XFER_WRITE_BUFFERED },
        [XFER_DIRECT] = { IOCTL_XFER_READ_DIRECT, IOCTL_XFER_WRITE_DIRECT },
        [XFER_NEITHER] = { IOCTL_XFER_READ_NEITHER, IOCTL_XFER_WRITE_NEITHER },
    };

    return (unsigned)method < XFER_MECHANISM_COUNT ? codes[method][write != 0] : 0;
}

DWORD xfer_ioctl_read(HANDLE device, xfer_mechanism method, uint64_t offset,
                      void *buffer, DWORD length, DWORD *done)
{
    struct xfer_transfer_header header = { offset, 0 };
    DWORD code = xfer_transfer_code(method, 0);

    *done = 0;
    if (code == 0)
        return ERROR_INVALID_PARAMETER;
    return xfer_control(device, code, &header, sizeof(header), buffer, length, done);
}

/* WRITE_BUFFERED: the header and the data in one input buffer. */
static DWORD write_buffered(HANDLE device, const struct xfer_transfer_header *header,
                            const void *buffer, DWORD length)
{
    DWORD total, error;
    uint8_t *in;

    if (length > MAXDWORD - sizeof(*header))
        return ERROR_INVALID_PARAMETER;   /* cannot be said in one request */
    total = (DWORD)sizeof(*header) + length;
    in = HeapAlloc(GetProcessHeap(), 0, total);
    if (in == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    memcpy(in, header, sizeof(*header));
    if (length != 0)
        memcpy(in + sizeof(*header), buffer, length);
    error = xfer_control(device, IOCTL_XFER_WRITE_BUFFERED, in, total, NULL, 0, NULL);
    HeapFree(GetProcessHeap(), 0, in);
    return error;
}

DWORD xfer_ioctl_write(HANDLE device, xfer_mechanism method, uint64_t offset,
                       const void *buffer, DWORD length)
{
    struct xfer_transfer_header header = { offset, 0 };
    DWORD code = xfer_transfer_code(method, 1);

    if (code == 0)
        return ERROR_INVALID_PARAMETER;
    if (method == XFER_BUFFERED)
        return write_buffered(device, &header, buffer, length);
    /* The data goes in the output argument, which the driver only reads;
     * DeviceIoControl's prototype wants it writable. */
    return xfer_control(device, code, &header, sizeof(header), (void *)buffer, length, NULL);
}

DWORD xfer_set_size(HANDLE device, uint64_t size)
{
    struct xfer_set_size in = { size };

    return xfer_control(device, IOCTL_XFER_SET_SIZE, &in, sizeof(in), NULL, 0, NULL);
}

/* A fixed-size answer: anything but exactly `length` bytes breaks the
 * driver's contract. */
static DWORD control_out(HANDLE device, DWORD code, void *out, DWORD length)
{
    DWORD returned;
    DWORD error = xfer_control(device, code, NULL, 0, out, length, &returned);

    if (error == ERROR_SUCCESS && returned != length)
        return ERROR_INVALID_DATA;
    return error;
}

DWORD xfer_get_info(HANDLE device, struct xfer_info *info)
{
    return control_out(device, IOCTL_XFER_GET_INFO, info, sizeof(*info));
}

DWORD xfer_get_stats(HANDLE device, struct xfer_stats *stats, int reset)
{
    if (!reset)
        return control_out(device, IOCTL_XFER_GET_STATS, stats, sizeof(*stats));
    return control_out(device, IOCTL_XFER_RESET_STATS, stats,
                       stats != NULL ? sizeof(*stats) : 0);
}

DWORD xfer_read_trace(HANDLE device, uint64_t after, void *buffer, DWORD length,
                      DWORD *returned)
{
    struct xfer_trace_read in = { .after = after, .reserved = 0 };

    return xfer_control(device, IOCTL_XFER_READ_TRACE, &in, sizeof(in), buffer, length, returned);
}

DWORD xfer_drain_trace(HANDLE device, uint64_t *after, xfer_trace_fn record, void *context,
                       uint64_t *dropped)
{
    static const DWORD capacity = TRACE_BATCH_RECORDS;
    const DWORD length = sizeof(struct xfer_trace_batch) +
                         TRACE_BATCH_RECORDS * sizeof(struct xfer_trace_record);
    struct xfer_trace_batch *batch;
    const struct xfer_trace_record *records;
    DWORD returned, error, i;

    if (dropped != NULL)
        *dropped = 0;
    batch = HeapAlloc(GetProcessHeap(), 0, length);
    if (batch == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    records = (const struct xfer_trace_record *)(batch + 1);
    for (;;) {
        error = xfer_read_trace(device, *after, batch, length, &returned);
        if (error != ERROR_SUCCESS)
            break;
        if (returned < sizeof(*batch) || batch->count > capacity ||
            returned != sizeof(*batch) + batch->count * sizeof(*records)) {
            error = ERROR_INVALID_DATA;
            break;
        }
        if (dropped != NULL)
            *dropped += batch->dropped;
        for (i = 0; i < batch->count; i++)
            record(context, &records[i]);
        if (batch->count == 0)
            break;   /* nothing after *after */
        *after = records[batch->count - 1].sequence;
        if (batch->count < capacity)
            break;   /* the newest record was in this batch */
    }
    HeapFree(GetProcessHeap(), 0, batch);
    return error;
}
