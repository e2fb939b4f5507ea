/* SPDX-License-Identifier: MIT */
/*
 * libxfer: the Win32 client library of the xfer driver.
 *
 * Every function that can fail returns a Win32 error code (ERROR_SUCCESS,
 * 0, on success) instead of a BOOL, so a caller never has to remember to
 * call GetLastError() at the right moment. Offsets are 64-bit and always
 * explicit: no function depends on a handle's file position.
 */
#ifndef XFER_XFER_H
#define XFER_XFER_H

#include <windows.h>
#include <stdint.h>
#include "xfer/ioctl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The three devices: one per ReadFile/WriteFile transfer mechanism. */
typedef enum xfer_mechanism {
    XFER_BUFFERED = 0,
    XFER_DIRECT = 1,
    XFER_NEITHER = 2,
    XFER_MECHANISM_COUNT
} xfer_mechanism;

/* "buffered", "direct", "neither". */
const char *xfer_mechanism_name(xfer_mechanism mechanism);
/* \\.\XferBuffered and its siblings. */
const wchar_t *xfer_device_path(xfer_mechanism mechanism);

/* Opens the device of `mechanism` with `access` (GENERIC_READ, GENERIC_WRITE
 * or both) for synchronous I/O: the Plug and Play device through its device
 * interface when one is started, else the plain service's \\.\Xfer* device.
 * *handle is INVALID_HANDLE_VALUE on error. */
DWORD xfer_open(xfer_mechanism mechanism, DWORD access, HANDLE *handle);
/* The same for a device named by its Win32 path (the null driver's, say). */
DWORD xfer_open_path(const wchar_t *path, DWORD access, HANDLE *handle);
/* The same, opened for overlapped I/O (FILE_FLAG_OVERLAPPED): requests may
 * pend, so several can be in flight on the handle at once. Every function
 * below works on either kind of handle: it waits for its own request when
 * that request pends. */
DWORD xfer_open_overlapped(xfer_mechanism mechanism, DWORD access, HANDLE *handle);

/* ReadFile/WriteFile at an explicit offset. *done gets the bytes moved (0
 * on error). A read at or past the end returns ERROR_SUCCESS with 0 bytes,
 * as for a file. */
DWORD xfer_read_at(HANDLE device, uint64_t offset, void *buffer, DWORD length, DWORD *done);
DWORD xfer_write_at(HANDLE device, uint64_t offset, const void *buffer, DWORD length,
                    DWORD *done);

/* The Wdm1 IOCTLs. */
DWORD xfer_zero(HANDLE device);
DWORD xfer_remove(HANDLE device);
DWORD xfer_get_size(HANDLE device, uint64_t *size);
/* The first `length` bytes of the store; ERROR_INVALID_PARAMETER when the
 * store holds fewer. */
DWORD xfer_get_buffer(HANDLE device, void *buffer, DWORD length, DWORD *done);

/* Any IOCTL, as DeviceIoControl on a synchronous handle. *returned (NULL:
 * not wanted) gets lpBytesReturned, 0 on error. */
DWORD xfer_control(HANDLE device, DWORD code, void *in, DWORD in_length,
                   void *out, DWORD out_length, DWORD *returned);

/* The transfer IOCTLs. `method` picks the IOCTL (XFER_BUFFERED:
 * IOCTL_XFER_READ_BUFFERED or IOCTL_XFER_WRITE_BUFFERED, and so on), not the
 * device: any of them works on any device. Same offset rules as
 * xfer_read_at/xfer_write_at. A read puts the bytes read in *done (0 at or
 * past the end); a write succeeds only when every byte was stored.
 * Under Wine (8.0) the data of an XFER_DIRECT or XFER_NEITHER write must be
 * in writable memory: Wine checks DeviceIoControl's output buffer, which
 * carries that data, for write access whatever the method, and refuses
 * read-only memory with ERROR_INVALID_USER_BUFFER. Windows does not. */
DWORD xfer_ioctl_read(HANDLE device, xfer_mechanism method, uint64_t offset,
                      void *buffer, DWORD length, DWORD *done);
DWORD xfer_ioctl_write(HANDLE device, xfer_mechanism method, uint64_t offset,
                       const void *buffer, DWORD length);
/* The IOCTL code of the read (write = 0) or write transfer IOCTL of
 * `method`; 0 for a method that is not one. */
DWORD xfer_transfer_code(xfer_mechanism method, int write);

/* Truncates or extends (with zeros) the store to exactly `size` bytes. */
DWORD xfer_set_size(HANDLE device, uint64_t size);
DWORD xfer_get_info(HANDLE device, struct xfer_info *info);
/* The counters as they stood before this call. With `reset`, every counter
 * is then zeroed (IOCTL_XFER_RESET_STATS: the handle needs write access);
 * `stats` may then be NULL. */
DWORD xfer_get_stats(HANDLE device, struct xfer_stats *stats, int reset);

/* One IOCTL_XFER_READ_TRACE: a struct xfer_trace_batch and the records
 * after sequence `after` that fit in `length` bytes (the ring is left as it
 * was: other readers see the same records); *returned gets the bytes
 * filled. Room for no whole record when one is there to read:
 * ERROR_INSUFFICIENT_BUFFER. */
DWORD xfer_read_trace(HANDLE device, uint64_t after, void *buffer, DWORD length,
                      DWORD *returned);
/* Reads every record after *after, in batches, calling `record` for each,
 * oldest first, and leaves in *after the sequence of the last one (as it
 * was when there is none): call it again with the same *after for what
 * came since. *dropped (NULL: not wanted) gets how many records after the
 * first *after were overwritten before they could be read. A malformed
 * batch: ERROR_INVALID_DATA. */
typedef void (*xfer_trace_fn)(void *context, const struct xfer_trace_record *record);
DWORD xfer_drain_trace(HANDLE device, uint64_t *after, xfer_trace_fn record, void *context,
                       uint64_t *dropped);

/* IOCTL_XFER_WAIT_CHANGE: waits until the store's generation differs from
 * `generation` (at once if it does already) and puts what changed in
 * *change. Blocks the calling thread; another thread may end the wait with
 * CancelIoEx (ERROR_OPERATION_ABORTED), as may closing the handle or
 * stopping the driver. ERROR_INVALID_DATA: a malformed answer. */
DWORD xfer_wait_change(HANDLE device, uint64_t generation, struct xfer_change *change);

/* The same wait in the background, on an overlapped handle. Start it; then
 * call xfer_wait_finish until it returns anything but ERROR_IO_INCOMPLETE
 * (with `block`, it waits until then). Between the two, the wait's event,
 * wait->overlapped.hEvent, is signalled when the wait ends, and
 * xfer_wait_cancel ends it (ERROR_OPERATION_ABORTED). */
struct xfer_wait {
    OVERLAPPED overlapped;
    struct xfer_wait_change in;
    struct xfer_change out;
};
/* ERROR_IO_PENDING: pending. ERROR_SUCCESS: answered at once (finish
 * collects the answer). Any other error: refused, nothing to finish. */
DWORD xfer_wait_start(HANDLE device, uint64_t generation, struct xfer_wait *wait);
/* ERROR_SUCCESS with *change (NULL: not wanted), ERROR_IO_INCOMPLETE when
 * still pending and not `block`, or the wait's error: ERROR_OPERATION_ABORTED
 * when it was cancelled, its handle closed or the driver stopped. */
DWORD xfer_wait_finish(HANDLE device, struct xfer_wait *wait, int block,
                       struct xfer_change *change);
/* CancelIoEx of that one wait; ERROR_NOT_FOUND when it had ended already. */
DWORD xfer_wait_cancel(HANDLE device, struct xfer_wait *wait);

/* Plug and Play (the driver installed from xfer.inf as three
 * root-enumerated device nodes). */

/* Room enough for any device interface path of ours. */
#define XFER_INTERFACE_PATH_MAX 512
/* The path of the started device of `mechanism`, found through its device
 * interface (SetupDi). No such device: ERROR_FILE_NOT_FOUND. */
DWORD xfer_interface_path(xfer_mechanism mechanism, wchar_t *path, size_t capacity);
/* How many started devices expose the interface of `mechanism`. */
DWORD xfer_interface_count(xfer_mechanism mechanism, unsigned *count);
/* Installs the driver from the INF at `inf_path` (a full path; xfer.sys
 * beside it): for each mechanism whose node is missing, creates the
 * root-enumerated node (hardware ID XFER_HWID_*), registers it, and
 * installs the INF's driver on it, which starts it. Needs administrator
 * rights. */
DWORD xfer_pnp_install(const wchar_t *inf_path);
/* Removes the device node of `mechanism` (DIF_REMOVE: the driver sees
 * SURPRISE_REMOVAL, then REMOVE_DEVICE). No such node: ERROR_FILE_NOT_FOUND. */
DWORD xfer_pnp_remove(xfer_mechanism mechanism);
/* Removes every node of ours, then stops the driver and deletes its
 * service and file. Nothing installed: ERROR_SERVICE_DOES_NOT_EXIST. */
DWORD xfer_pnp_uninstall(void);
/* How many device nodes of ours exist (started or not). */
DWORD xfer_pnp_node_count(unsigned *count);

/* Service control of an installed driver (service "xfer"). start and stop
 * wait until the service is RUNNING or STOPPED, for up to 10 s. */
DWORD xfer_service_start(void);
DWORD xfer_service_stop(void);
/* Sets Parameters\MaxSize, read by the driver when it starts; 0 deletes
 * the value so the default applies. */
DWORD xfer_service_set_max_size(uint64_t max_size);
/* Sets the numeric parameter `name` (XFER_REG_*) under Parameters, read by
 * the driver when it starts; 0 deletes it so the default applies. */
DWORD xfer_service_set_parameter(const wchar_t *name, uint64_t value);

/* Installs the driver: copies `driver_path` (NULL: xfer.sys in the running
 * program's directory) to %SystemRoot%\System32\drivers\xfer.sys and creates
 * the kernel service "xfer" (demand start) with that image. A non-zero
 * `max_size` is set as Parameters\MaxSize; 0 leaves the default. Does not
 * start the driver. An installed service: ERROR_SERVICE_EXISTS, nothing
 * changed. Needs administrator rights (ERROR_ACCESS_DENIED otherwise). */
DWORD xfer_service_install(const wchar_t *driver_path, uint64_t max_size);
/* What xfer_service_install checks of `driver_path` (NULL: the default)
 * before it changes anything: a readable file that starts as a Windows
 * image ("MZ"). ERROR_SUCCESS; ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND
 * or another error of opening it; ERROR_BAD_EXE_FORMAT. A reinstall calls
 * it before uninstalling what works. */
DWORD xfer_service_check_driver(const wchar_t *driver_path);
/* Stops the driver if it runs, deletes the service and the driver file.
 * Not installed: ERROR_SERVICE_DOES_NOT_EXIST. */
DWORD xfer_service_uninstall(void);
/* The service's state: SERVICE_STOPPED, SERVICE_RUNNING, SERVICE_START_PENDING
 * and so on. Not installed: ERROR_SERVICE_DOES_NOT_EXIST. */
DWORD xfer_service_status(DWORD *state);

/* A readable message for a Win32 error code, from the system's message
 * table without its trailing period and line end ("Access is denied"), or
 * "Win32 error N" when the system has none. Always NUL-terminates a
 * non-empty buffer; a message that does not fit is cut short and
 * ERROR_INSUFFICIENT_BUFFER returned; size 0: ERROR_INVALID_PARAMETER. */
DWORD xfer_error_message(DWORD error, char *buffer, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* XFER_XFER_H */
