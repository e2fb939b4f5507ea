/* SPDX-License-Identifier: MIT */
/*
 * Bounce buffers: the kernel copies through which Neither I/O from user
 * mode reaches the store (transfer.c says why it must go through one).
 *
 * One buffer of at most XFER_BOUNCE_KEEP bytes (a read's largest piece)
 * is kept between requests, so that a stream of requests (xferctl moves
 * 1 MiB at a time) does not allocate and fault in fresh pool for each. The slot is taken and given
 * back with interlocked exchanges: a request that finds it empty, or too
 * small, allocates its own, so concurrent requests never share a buffer,
 * and no lock is needed. What the kept buffer still holds from an earlier
 * request is never seen: a read hands back only the bytes the store wrote
 * into it, a write stores only what was copied in.
 *
 * PASSIVE_LEVEL (paged pool).
 */
#include "xfer_driver.h"

#define XFER_BOUNCE_KEEP XFER_BOUNCE_PIECE

static VOID XferpBounceRelease(PXFER_BOUNCE Bounce)
{
    if (Bounce != NULL)
        ExFreePoolWithTag(Bounce, XFER_POOL_TAG);
}

PXFER_BOUNCE XferpBounceGet(PXFER_CONTEXT Context, SIZE_T Length)
{
    PXFER_BOUNCE Bounce = InterlockedExchangePointer((PVOID volatile *)&Context->SpareBounce,
                                                     NULL);

    if (Bounce != NULL && Bounce->Capacity >= Length)
        return Bounce;
    XferpBounceRelease(Bounce);
    if (Length > (SIZE_T)-1 - FIELD_OFFSET(XFER_BOUNCE, Data))
        return NULL;
    Bounce = ExAllocatePoolWithTag(PagedPool, FIELD_OFFSET(XFER_BOUNCE, Data) + Length,
                                   XFER_POOL_TAG);
    if (Bounce != NULL)
        Bounce->Capacity = Length;
    return Bounce;
}

VOID XferpBouncePut(PXFER_CONTEXT Context, PXFER_BOUNCE Bounce)
{
    if (Bounce->Capacity > XFER_BOUNCE_KEEP) {
        XferpBounceRelease(Bounce);
        return;
    }
    XferpBounceRelease(InterlockedExchangePointer((PVOID volatile *)&Context->SpareBounce,
                                                  Bounce));
}

VOID XferpBounceDrain(PXFER_CONTEXT Context)
{
    XferpBounceRelease(InterlockedExchangePointer((PVOID volatile *)&Context->SpareBounce,
                                                  NULL));
}
