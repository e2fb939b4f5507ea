/* SPDX-License-Identifier: MIT */
/*
 * xfer ABI: device names and IOCTL codes, shared by the driver (kernel mode),
 * the client library, the CLI and the tests (user mode). Fixed-width types
 * only, so the layout is the same for every compiler and both bitnesses.
 */
#ifndef XFER_IOCTL_H
#define XFER_IOCTL_H

/* Self-contained: a program may include this header first, or alone. The
 * codes need CTL_CODE and the METHOD_ and FILE_ access values: kernel mode
 * has them from <wdm.h> (or <ntddk.h>, which includes it); user mode from
 * <winioctl.h>, which needs <windows.h>'s types before it. */
#include <stdint.h>
#ifndef CTL_CODE
#ifdef _KERNEL_MODE
#include <wdm.h>
#else
#include <windows.h>
#include <winioctl.h>
#endif
#endif

/* GET_INFO's version: what the driver offers. 1: everything below but
 * IOCTL_XFER_WAIT_CHANGE, with xfer_info.pending_waiters reserved (0).
 * 2: adds both; every struct's size and every other field as in 1.
 * 3: every IOCTL needs read or write access (none is FILE_ANY_ACCESS, so
 * GET_INFO, GET_STATS and READ_TRACE have new codes); READ_TRACE takes a
 * struct xfer_trace_read and no longer removes what it returns; at most
 * XFER_MAX_WAITS_PER_HANDLE waits pend per handle; xfer_info.open_handles. */
#define XFER_INTERFACE_VERSION 3u

/* Win32 names of the three devices, one per ReadFile/WriteFile mechanism. */
#define XFER_WIN32_BUFFERED L"\\\\.\\XferBuffered"   /* DO_BUFFERED_IO */
#define XFER_WIN32_DIRECT   L"\\\\.\\XferDirect"     /* DO_DIRECT_IO */
#define XFER_WIN32_NEITHER  L"\\\\.\\XferNeither"    /* neither flag */

#define XFER_SERVICE_NAME L"xfer"
/* The device class of the three control devices (\\.\Xfer*): an
 * administrator may set who opens them with a Security value (REG_BINARY,
 * a self-relative security descriptor) under HKLM\SYSTEM\
 * CurrentControlSet\Control\Class\{this}\Properties, read when the
 * driver starts. Without it: SYSTEM and Administrators only
 * (docs/security.md). */
#define XFER_DEVICE_CLASS_GUID L"{e538ee8a-6846-4746-93a7-241361aecc5c}"
/* The default descriptor, as SDDL (SDDL_DEVOBJ_SYS_ALL_ADM_ALL). */
#define XFER_DEVICE_SDDL L"D:P(A;;GA;;;SY)(A;;GA;;;BA)"

/* The benchmark's null driver (bench/null): devices made like these, with
 * the same IOCTL codes, that complete every request at once and store
 * nothing. Names of their own, so that both drivers can be loaded at once. */
#define XFER_NULL_WIN32_BUFFERED L"\\\\.\\XferNullBuffered"
#define XFER_NULL_WIN32_DIRECT   L"\\\\.\\XferNullDirect"
#define XFER_NULL_WIN32_NEITHER  L"\\\\.\\XferNullNeither"
#define XFER_NULL_SERVICE_NAME L"xfernull"
/* REG_QWORD under the service key's Parameters: the store's limit in bytes. */
#define XFER_REG_MAX_SIZE L"MaxSize"
#define XFER_DEFAULT_MAX_SIZE (64ull * 1024 * 1024)
/* The highest MaxSize the driver accepts: the store is paged pool, charged
 * to no process, and the whole of it must fit beside everything else the
 * kernel keeps there. A higher value fails the driver's start. */
#if defined(_WIN64) || defined(__x86_64__)
#define XFER_MAX_SIZE_CEILING (4ull * 1024 * 1024 * 1024)   /* x64: 4 GiB */
#else
#define XFER_MAX_SIZE_CEILING (256ull * 1024 * 1024)        /* x86: 256 MiB */
#endif
/* REG_DWORD under Parameters: non-zero makes the driver prove, at start,
 * that its user-memory copies survive a fault; see the trace ("SelfTest:"). */
#define XFER_REG_SELF_TEST L"SelfTest"


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

/*
 * Data transfer, one IOCTL per method and direction. Every one takes a
 * struct xfer_transfer_header as its input (exactly that many bytes, except
 * WRITE_BUFFERED, whose data follows the header). The data length is the
 * length of the data buffer. The offset, limit, zero-length and
 * all-or-nothing rules are those of ReadFile/WriteFile. A read returns the
 * bytes read as Information (lpBytesReturned); a write returns nothing
 * (Information 0): success means every byte was stored.
 */
struct xfer_transfer_header {
    uint64_t offset;     /* store offset; at most 2^63 - 1 */
    uint64_t reserved;   /* must be 0 (STATUS_INVALID_PARAMETER otherwise) */
};

/* In: header, in the system buffer. Out: the data, written into the same
 * system buffer (after the header is captured), copied back by the I/O
 * manager up to Information bytes. */
#define IOCTL_XFER_READ_BUFFERED  XFER_CTL(0x810, METHOD_BUFFERED, FILE_READ_DATA)
/* In: header, in the system buffer. Out: the caller's output buffer,
 * locked and described by Irp->MdlAddress (none when its length is 0). */
#define IOCTL_XFER_READ_DIRECT    XFER_CTL(0x811, METHOD_OUT_DIRECT, FILE_READ_DATA)
/* In: header at the caller's own pointer, Type3InputBuffer. Out: the
 * caller's own pointer, Irp->UserBuffer. Both touched only under SEH. */
#define IOCTL_XFER_READ_NEITHER   XFER_CTL(0x812, METHOD_NEITHER, FILE_READ_DATA)
/* In: header followed by the data, in the system buffer. Out: none (an
 * output buffer is refused with STATUS_INVALID_PARAMETER). */
#define IOCTL_XFER_WRITE_BUFFERED XFER_CTL(0x818, METHOD_BUFFERED, FILE_WRITE_DATA)
/* In: header, in the system buffer. Data: the second (output) buffer of
 * DeviceIoControl, probed for reading and described by Irp->MdlAddress. */
#define IOCTL_XFER_WRITE_DIRECT   XFER_CTL(0x819, METHOD_IN_DIRECT, FILE_WRITE_DATA)
/* In: header at Type3InputBuffer. Data: the second (output) buffer, at
 * Irp->UserBuffer. Both touched only under SEH. */
#define IOCTL_XFER_WRITE_NEITHER  XFER_CTL(0x81A, METHOD_NEITHER, FILE_WRITE_DATA)

/*
 * Beyond Wdm1. All METHOD_BUFFERED.
 */

/* Truncates (freeing what lies past the new end) or extends with zeros to
 * exactly `size`. In: struct xfer_set_size. Out: none. Past MaxSize:
 * STATUS_DISK_FULL; past 2^63 - 1: STATUS_INVALID_PARAMETER. */
struct xfer_set_size {
    uint64_t size;
};
#define IOCTL_XFER_SET_SIZE       XFER_CTL(0x820, METHOD_BUFFERED, FILE_WRITE_DATA)

/* Out: struct xfer_info (a shorter output: STATUS_BUFFER_TOO_SMALL). */
struct xfer_info {
    uint32_t version;          /* XFER_INTERFACE_VERSION */
    uint32_t chunk_size;       /* bytes per store chunk */
    uint64_t size;             /* bytes in the store */
    uint64_t limit;            /* MaxSize */
    uint64_t bytes_allocated;  /* store memory now held: chunks and index */
    uint64_t generation;       /* +1 on every change of the store */
    uint64_t pending_waiters;  /* WAIT_CHANGE requests pending now (version 2) */
    uint64_t open_handles;     /* file objects open on all devices, this one's included
                                  (version 3; 0 before) */
    uint64_t reserved[2];      /* 0 */
};
/* Read access: it tells the size, as GET_SIZE does. (Up to version 2 the
 * code had FILE_ANY_ACCESS: a different 32-bit value, unknown now.) */
#define IOCTL_XFER_GET_INFO       XFER_CTL(0x821, METHOD_BUFFERED, FILE_READ_DATA)

/* Request paths counted by GET_STATS: ReadFile, WriteFile, each transfer
 * IOCTL, and every other IOCTL together. */
enum xfer_path {
    XFER_PATH_READ_FILE = 0,
    XFER_PATH_WRITE_FILE,
    XFER_PATH_IOCTL_READ_BUFFERED,
    XFER_PATH_IOCTL_READ_DIRECT,
    XFER_PATH_IOCTL_READ_NEITHER,
    XFER_PATH_IOCTL_WRITE_BUFFERED,
    XFER_PATH_IOCTL_WRITE_DIRECT,
    XFER_PATH_IOCTL_WRITE_NEITHER,
    XFER_PATH_IOCTL_CONTROL,
    XFER_PATH_COUNT
};

#define XFER_DEVICE_COUNT 3   /* buffered, direct, neither: the index of device[] */

struct xfer_counter {
    uint64_t requests;   /* completed requests */
    uint64_t bytes;      /* bytes moved (Information) by those that succeeded */
    uint64_t errors;     /* requests completed with an error status */
};

/* GET_STATS: in: none. Out: struct xfer_stats, as the counters stood
 * before this request (which is not counted in it). Read access (up to
 * version 2, FILE_ANY_ACCESS). */
struct xfer_stats {
    struct xfer_counter device[XFER_DEVICE_COUNT][XFER_PATH_COUNT];
};
#define IOCTL_XFER_GET_STATS      XFER_CTL(0x822, METHOD_BUFFERED, FILE_READ_DATA)
/* GET_STATS's optional reset: the same snapshot (out: struct xfer_stats, or
 * no output), then every counter is zeroed. A code of its own so that the
 * I/O manager itself refuses it to a handle without write access (the
 * driver is not told a handle's access on every platform). */
#define IOCTL_XFER_RESET_STATS    XFER_CTL(0x824, METHOD_BUFFERED, FILE_WRITE_DATA)

/* Reads the driver's trace ring (the last XFER_TRACE_CAPACITY records)
 * without changing it: every reader sees the same records. In: struct
 * xfer_trace_read, the last sequence number the caller has seen (0: none).
 * Out: struct xfer_trace_batch followed by `count` records, those after
 * `after`, oldest first, as many whole records as fit. No record after
 * `after`: count 0. Room for the batch header but not for the first such
 * record, or an output shorter than the header: STATUS_BUFFER_TOO_SMALL.
 * Input not exactly the struct, or reserved non-zero:
 * STATUS_INVALID_PARAMETER. READ_TRACE requests are not themselves
 * recorded in the ring. Read access. */
#define XFER_TRACE_CAPACITY 1024
#define XFER_TRACE_TEXT 104
struct xfer_trace_read {
    uint64_t after;       /* the last sequence seen; one past the newest (an earlier
                             run of the driver) reads as 0 */
    uint64_t reserved;    /* must be 0 */
};
struct xfer_trace_record {
    uint64_t sequence;    /* 1, 2, 3...: a gap means records were dropped */
    uint64_t time_100ns;  /* since the driver started */
    uint32_t device;      /* 0 buffered, 1 direct, 2 neither; 0xFFFFFFFF: the driver */
    uint32_t reserved;
    char text[XFER_TRACE_TEXT];   /* NUL-terminated, Listing 7.1 style */
};
struct xfer_trace_batch {
    uint64_t dropped;     /* records after `after` overwritten before this read */
    uint32_t count;       /* records that follow */
    uint32_t reserved;
};
#define XFER_TRACE_DEVICE_DRIVER 0xFFFFFFFFu
/* (Up to version 2 the code had FILE_ANY_ACCESS and drained the ring.) */
#define IOCTL_XFER_READ_TRACE     XFER_CTL(0x823, METHOD_BUFFERED, FILE_READ_DATA)

/*
 * Waiting for a change of the store (the inverted call). In: struct
 * xfer_wait_change, the generation the caller has seen (GET_INFO's, or the
 * last change's). Out: struct xfer_change.
 *
 * When the store's generation differs from the one given, the request
 * completes at once. Otherwise it pends until the next change (a write with
 * data, ZERO, REMOVE, SET_SIZE) on any device, and every waiter on every
 * handle completes with that change. A pending wait ends with
 * STATUS_CANCELLED when it is cancelled (CancelIo/CancelIoEx, its thread or
 * process ending), when its handle is closed, or when the driver stops.
 * Input not exactly the struct or `reserved` non-zero:
 * STATUS_INVALID_PARAMETER; an output shorter than struct xfer_change:
 * STATUS_BUFFER_TOO_SMALL; XFER_MAX_WAITS_PER_HANDLE waits already pending
 * on the handle: STATUS_QUOTA_EXCEEDED at once (the others go on). Read
 * access.
 */
#define XFER_MAX_WAITS_PER_HANDLE 64
struct xfer_wait_change {
    uint64_t generation;  /* the generation the caller has seen */
    uint64_t reserved;    /* must be 0 */
};

/* What changed. kind XFER_CHANGE_MANY: more than one change happened since
 * the generation given (the caller fell behind) and the driver cannot say
 * which bytes: any byte may differ; offset and length are 0. */
enum xfer_change_kind {
    XFER_CHANGE_WRITE = 1,    /* bytes [offset, offset + length) were written */
    XFER_CHANGE_ZERO = 2,     /* [0, size) now reads as zeros */
    XFER_CHANGE_REMOVE = 3,   /* the store was freed: [0, length) is gone, size 0 */
    XFER_CHANGE_RESIZE = 4,   /* [offset, offset + length) was cut off or added as zeros */
    XFER_CHANGE_MANY = 5
};
struct xfer_change {
    uint64_t generation;  /* the store's generation after the change */
    uint64_t offset;      /* the changed range: first byte */
    uint64_t length;      /* the changed range: bytes (0: none, e.g. SET_SIZE to the same size) */
    uint64_t size;        /* the store's size after the change */
    uint32_t kind;        /* enum xfer_change_kind */
    uint32_t reserved;    /* 0 */
};
#define IOCTL_XFER_WAIT_CHANGE    XFER_CTL(0x830, METHOD_BUFFERED, FILE_READ_DATA)

#endif /* XFER_IOCTL_H */
