/* SPDX-License-Identifier: MIT */
/*
 * Completing requests. Every IRP the driver owns ends in one of these two
 * functions, exactly once, and the dispatch routine returns what they
 * return: the status the IRP was completed with.
 */
#include "xfer_driver.h"

NTSTATUS XferpCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    /* On an error nothing was transferred: the I/O manager must not copy
     * any bytes back, and the caller must see 0. */
    Irp->IoStatus.Information = NT_SUCCESS(Status) ? Information : 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS XferpFinishRequest(PXFER_DEVICE_EXTENSION Extension, PIRP Irp, enum xfer_path Path,
                            NTSTATUS Status, ULONG_PTR Information)
{
    XferpCountRequest(Extension, Path, Status, NT_SUCCESS(Status) ? Information : 0);
    return XferpCompleteRequest(Irp, Status, Information);
}
