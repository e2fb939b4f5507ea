/* SPDX-License-Identifier: MIT */
/*
 * The one read path and the one write path. Every ReadFile/WriteFile (and
 * every transfer IOCTL) ends here once its dispatch routine has found the
 * caller's buffer, so the offset, limit, zero-length and all-or-nothing rules
 * live in one place.
 *
 * System addresses (Buffered, Direct, kernel-mode Neither) are copied
 * straight to or from the store under the store lock. A user address
 * (Neither from user mode) never is: a write is first captured into a
 * kernel bounce buffer outside the lock (so a fault cannot leave a half
 * write, and the bytes stored are the bytes validated), and a read is
 * copied out from a bounce buffer after the lock is dropped (so no lock is
 * held while user memory pages in or faults). bounce.c keeps one such
 * buffer between requests.
 *
 * PASSIVE_LEVEL. May sleep on the store lock and in the allocator.
 */
#include "xfer_driver.h"

/* Done is a size_t, the core's type: on x86 SIZE_T is an unsigned long and
 * size_t an unsigned int, and pointers to the two do not mix. */
static NTSTATUS XferpReadLocked(PXFER_CONTEXT Context, ULONG64 Offset, PVOID Destination,
                                SIZE_T Length, size_t *Done)
{
    xfer_status Result;

    XferpLockShared(Context);
    Result = xfer_store_read(&Context->Store, Offset, Destination, Length, Done);
    XferpUnlock(Context);
    return XferpStatusFromStore(Result);
}

static NTSTATUS XferpReadToUser(PXFER_CONTEXT Context, ULONG64 Offset,
                                PXFER_BUFFER Buffer, size_t *Done)
{
    ULONG64 Limit = xfer_store_limit(&Context->Store);
    SIZE_T Length = Buffer->Length;
    PXFER_BOUNCE Bounce;
    NTSTATUS Status;

    Status = XferpStatusFromStore(xfer_store_check_read(&Context->Store, Offset, Length));
    if (!NT_SUCCESS(Status))
        return Status;
    /* The store never holds bytes at or past its limit: size the bounce
     * buffer by what could be returned, not by what was asked for. */
    if (Offset >= Limit)
        return STATUS_SUCCESS;   /* end of file; *Done is 0 */
    if (Limit - Offset < Length)
        Length = (SIZE_T)(Limit - Offset);

    Bounce = XferpBounceGet(Context, Length);
    if (Bounce == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = XferpReadLocked(Context, Offset, Bounce->Data, Length, Done);
    if (NT_SUCCESS(Status) && *Done != 0)
        Status = XferpCopyToUser(Buffer->Address, Bounce->Data, *Done);
    XferpBouncePut(Context, Bounce);
    if (!NT_SUCCESS(Status))
        *Done = 0;
    return Status;
}

NTSTATUS XferpTransferRead(PXFER_CONTEXT Context, LONGLONG Offset,
                           PXFER_BUFFER Buffer, PULONG BytesRead)
{
    size_t Done = 0;
    NTSTATUS Status;

    *BytesRead = 0;
    if (Offset < 0)
        return STATUS_INVALID_PARAMETER;
    if (Buffer->Length == 0 || !Buffer->IsUserAddress)
        Status = XferpReadLocked(Context, (ULONG64)Offset, Buffer->Address,
                                 Buffer->Length, &Done);
    else
        Status = XferpReadToUser(Context, (ULONG64)Offset, Buffer, &Done);
    if (NT_SUCCESS(Status))
        *BytesRead = (ULONG)Done;   /* Done <= Buffer->Length, a ULONG */
    return Status;
}

static NTSTATUS XferpWriteLocked(PXFER_CONTEXT Context, ULONG64 Offset,
                                 const VOID *Source, SIZE_T Length)
{
    xfer_status Result;

    XferpLockExclusive(Context);
    Result = xfer_store_write(&Context->Store, Offset, Source, Length);
    XferpUnlockChanged(Context, XFER_CHANGE_WRITE, Offset, Length);
    return XferpStatusFromStore(Result);
}

static NTSTATUS XferpWriteFromUser(PXFER_CONTEXT Context, ULONG64 Offset, PXFER_BUFFER Buffer)
{
    PXFER_BOUNCE Bounce;
    NTSTATUS Status;

    /* Refuse what the store would refuse before allocating and copying. */
    Status = XferpStatusFromStore(xfer_store_check_write(&Context->Store, Offset,
                                                          Buffer->Length));
    if (!NT_SUCCESS(Status))
        return Status;

    Bounce = XferpBounceGet(Context, Buffer->Length);
    if (Bounce == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = XferpCopyFromUser(Bounce->Data, Buffer->Address, Buffer->Length);
    if (NT_SUCCESS(Status))
        Status = XferpWriteLocked(Context, Offset, Bounce->Data, Buffer->Length);
    XferpBouncePut(Context, Bounce);
    return Status;
}

NTSTATUS XferpTransferWrite(PXFER_CONTEXT Context, LONGLONG Offset, PXFER_BUFFER Buffer)
{
    if (Offset < 0)
        return STATUS_INVALID_PARAMETER;
    if (Buffer->Length == 0 || !Buffer->IsUserAddress)
        return XferpWriteLocked(Context, (ULONG64)Offset, Buffer->Address, Buffer->Length);
    return XferpWriteFromUser(Context, (ULONG64)Offset, Buffer);
}
