/* SPDX-License-Identifier: MIT */
/*
 * xfer ABI: device names and IOCTL codes, shared by the driver (kernel mode),
 * the client library, the CLI and the tests (user mode). Fixed-width types
 * only, so the layout is the same for every compiler and both bitnesses.
 */
#ifndef XFER_IOCTL_H
#define XFER_IOCTL_H

#ifndef CTL_CODE
#include <winioctl.h>   /* user mode; kernel mode already has it from wdm.h */
#endif

/* Win32 names of the three devices, one per ReadFile/WriteFile mechanism. */
#define XFER_WIN32_BUFFERED L"\\\\.\\XferBuffered"   /* DO_BUFFERED_IO */
#define XFER_WIN32_DIRECT   L"\\\\.\\XferDirect"     /* DO_DIRECT_IO */
#define XFER_WIN32_NEITHER  L"\\\\.\\XferNeither"    /* neither flag */

#define XFER_SERVICE_NAME L"xfer"
/* REG_QWORD under the service key's Parameters: the store's limit in bytes. */
#define XFER_REG_MAX_SIZE L"MaxSize"
#define XFER_DEFAULT_MAX_SIZE (64ull * 1024 * 1024)

/* Vendor device type (0x8000-0xFFFF are for vendors). */
#define FILE_DEVICE_XFER 0x8E7Fu   /* unsigned: CTL_CODE shifts it into bit 31 */

#define XFER_CTL(function, method, access) \
    CTL_CODE(FILE_DEVICE_XFER, (function), (method), (access))

/*
 * The Wdm1 set. All METHOD_BUFFERED: the driver sees one system buffer,
 * Irp->AssociatedIrp.SystemBuffer, of max(in, out) bytes; the I/O manager
 * copies Information bytes of it back to the caller's output buffer.
 */

/* Every byte reads as zero; the size is unchanged. In: none. Out: none. */
#define IOCTL_XFER_ZERO_BUFFER   XFER_CTL(0x800, METHOD_BUFFERED, FILE_WRITE_DATA)
/* The store is freed; its size becomes 0. In: none. Out: none. */
#define IOCTL_XFER_REMOVE_BUFFER XFER_CTL(0x801, METHOD_BUFFERED, FILE_WRITE_DATA)
/* Out: the size as a uint64_t; an output shorter than 8 bytes is refused
 * with STATUS_BUFFER_TOO_SMALL. In: none. */
#define IOCTL_XFER_GET_SIZE      XFER_CTL(0x802, METHOD_BUFFERED, FILE_READ_DATA)
/* Out: the first OutputBufferLength bytes of the store; asking for more than
 * the store holds is refused with STATUS_INVALID_PARAMETER (as Wdm1). */
#define IOCTL_XFER_GET_BUFFER    XFER_CTL(0x803, METHOD_BUFFERED, FILE_READ_DATA)

#endif /* XFER_IOCTL_H */
