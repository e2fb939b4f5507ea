/* SPDX-License-Identifier: MIT */
/* Calls that scripts/check-trace-formats must refuse, one per kind (never
 * built: make trace-format-check runs the script on this file and expects
 * each of them reported). */
VOID XferpTraceDriver(PXFER_CONTEXT Context, PCSTR Format, ...);

static VOID Leaks(PXFER_DEVICE_EXTENSION Extension, PDEVICE_OBJECT Device, PCSTR Format)
{
    XferpTrace(Extension, "FDO is %p", Device);
    XferpTraceDriver(NULL, "at %-16p, %lu bytes", Device, 0ul);
    XferpTrace(Extension, "split " "over %"
               "p literals", Device);
    XferpTrace(Extension, Format, Device);
    DbgPrintEx(0, 0, "xfer: %p is fine for a debugger\n", Device);
}
