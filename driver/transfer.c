/* SPDX-License-Identifier: MIT */
/*
 * The one read path and the one write path. Every ReadFile/WriteFile (and
 * every transfer IOCTL) ends here once its dispatch routine has found the
 * caller's buffer, so the offset, limit, zero-length and all-or-nothing rules
 * live in one place.
 *
 * System addresses (Buffered, Direct, kernel-mode Neither) are copied
 * straight to or from the store under the store lock. A user address
 * (Neither from user mode, its whole range already probed by buffers.c)
 * never is. A large one has its pages locked and mapped (locked.c) and is
 * then a system address like Direct I/O's. Otherwise, a write is first
 * captured into a kernel bounce buffer outside the lock (so a fault cannot
 * leave a half write, and the bytes stored are the bytes validated), and a
 * read is copied out from a bounce buffer after the lock is dropped (so no
 * lock is held while user memory pages in or faults). bounce.c keeps one
 * such buffer between requests.
 *
 * A read's bounce buffer holds no more than the store has from the offset
 * (looked up under the shared lock) and no more than XFER_BOUNCE_PIECE:
 * a longer read goes in pieces, each one whole under the lock. A write's
 * is sized by its length, which by then is a probed range of the caller's
 * and within the store's limit.
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

/* How many bytes the store holds from Offset on, at most Want. */
static SIZE_T XferpStoredFrom(PXFER_CONTEXT Context, ULONG64 Offset, SIZE_T Want)
{
    ULONG64 Size;

    XferpLockShared(Context);
    Size = xfer_store_size(&Context->Store);
    XferpUnlock(Context);
    if (Offset >= Size)
        return 0;
    return Size - Offset < Want ? (SIZE_T)(Size - Offset) : Want;
}

static NTSTATUS XferpReadThroughBounce(PXFER_CONTEXT Context, ULONG64 Offset,
                                       PXFER_BUFFER Buffer, size_t *Done)
{
    PXFER_BOUNCE Bounce = NULL;
    NTSTATUS Status = STATUS_SUCCESS;
    SIZE_T Want;
    size_t Got;

    *Done = 0;
    while (*Done < Buffer->Length) {
        Want = XferpStoredFrom(Context, Offset + *Done, Buffer->Length - *Done);
        if (Want > XFER_BOUNCE_PIECE)
            Want = XFER_BOUNCE_PIECE;
        if (Want == 0)
            break;   /* the end of the store */
        if (Bounce == NULL) {
            Bounce = XferpBounceGet(Context, Want);
            if (Bounce == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
                break;
            }
        }
        if (Want > Bounce->Capacity)   /* the store grew since the first piece */
            Want = Bounce->Capacity;
        Status = XferpReadLocked(Context, Offset + *Done, Bounce->Data, Want, &Got);
        if (NT_SUCCESS(Status) && Got != 0)
            Status = XferpCopyToUser((PUCHAR)Buffer->Address + *Done, Bounce->Data, Got);
        if (!NT_SUCCESS(Status) || Got == 0)
            break;
        *Done += Got;
        if (Got < Want)
            break;   /* the store shrank: its end */
    }
    if (Bounce != NULL)
        XferpBouncePut(Context, Bounce);
    if (!NT_SUCCESS(Status))
        *Done = 0;
    return Status;
}

static NTSTATUS XferpReadToUser(PXFER_CONTEXT Context, ULONG64 Offset,
                                PXFER_BUFFER Buffer, size_t *Done)
{
    XFER_LOCKED Locked;
    NTSTATUS Status;

    Status = XferpStatusFromStore(xfer_store_check_read(&Context->Store, Offset,
                                                         Buffer->Length));
    if (!NT_SUCCESS(Status))
        return Status;
    if (!XferpLockUserBuffer(Buffer, TRUE, &Locked))
        return XferpReadThroughBounce(Context, Offset, Buffer, Done);
    Status = XferpReadLocked(Context, Offset, Locked.Address, Buffer->Length, Done);
    XferpUnlockUserBuffer(&Locked);
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
    XFER_LOCKED Locked;
    NTSTATUS Status;

    /* Refuse what the store would refuse before allocating and copying. */
    Status = XferpStatusFromStore(xfer_store_check_write(&Context->Store, Offset,
                                                          Buffer->Length));
    if (!NT_SUCCESS(Status))
        return Status;

    if (XferpLockUserBuffer(Buffer, FALSE, &Locked)) {
        Status = XferpWriteLocked(Context, Offset, Locked.Address, Buffer->Length);
        XferpUnlockUserBuffer(&Locked);
        return Status;
    }
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
