/* SPDX-License-Identifier: MIT */
/*
 * The driver's trace: one line per request and one per result, in the
 * words of the book's Listing 7.1 ("Read 4 bytes from offset 0",
 * "Read: 4 bytes returned"), prefixed by the device, sent to the kernel
 * debugger through DbgPrintEx (component IHVDRIVER, INFO level: silent on
 * Windows unless the debug filter asks for it).
 *
 * Lines are formatted into a fixed stack buffer and truncated there: a
 * trace line never allocates, and never grows past what a debugger (or
 * Wine's relay of it) accepts. Any IRQL (the formatting touches no pageable
 * data), though today every caller is at PASSIVE_LEVEL.
 */
#include <stdarg.h>
#include "xfer_driver.h"

#define XFER_TRACE_LINE_MAX 200

int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

static VOID XferpTraceV(PCSTR Prefix, PCSTR Format, va_list Args)
{
    char Line[XFER_TRACE_LINE_MAX];
    int Written = _vsnprintf(Line, sizeof(Line) - 1, Format, Args);

    /* _vsnprintf does not terminate a line it had to cut. */
    if (Written < 0 || (size_t)Written >= sizeof(Line) - 1)
        Line[sizeof(Line) - 1] = '\0';
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "xfer: %s%s\n", Prefix, Line);
}

VOID XferpTrace(PXFER_DEVICE_EXTENSION Extension, PCSTR Format, ...)
{
    static const char *const Prefixes[XferKindCount] = {
        [XferKindBuffered] = "[Buffered] ",
        [XferKindDirect] = "[Direct] ",
        [XferKindNeither] = "[Neither] ",
    };
    va_list Args;

    va_start(Args, Format);
    XferpTraceV(Extension->Kind < XferKindCount ? Prefixes[Extension->Kind] : "", Format, Args);
    va_end(Args);
}

VOID XferpTraceDriver(PCSTR Format, ...)
{
    va_list Args;

    va_start(Args, Format);
    XferpTraceV("", Format, Args);
    va_end(Args);
}
