/* SPDX-License-Identifier: MIT */
/*
 * xfer ABI, Plug and Play: the hardware IDs of the three root-enumerated
 * device nodes that xfer.inf installs, and the device interface class each
 * registers, one per transfer mechanism. Shared by the driver, the client
 * library and the tests.
 *
 * DEFINE_GUID declares the GUIDs; a file that includes <initguid.h> first
 * defines them (one per module).
 */
#ifndef XFER_PNP_H
#define XFER_PNP_H

#include <guiddef.h>

/* Hardware IDs, as the INF's models name them (compared without case). */
#define XFER_HWID_BUFFERED L"Root\\XferBuffered"   /* DO_BUFFERED_IO */
#define XFER_HWID_DIRECT   L"Root\\XferDirect"     /* DO_DIRECT_IO */
#define XFER_HWID_NEITHER  L"Root\\XferNeither"    /* neither flag */

/* Device interface classes, enabled while the device is started. */
DEFINE_GUID(GUID_DEVINTERFACE_XFER_BUFFERED,
            0xbb4c91ad, 0xa26d, 0x4ab1, 0x82, 0x13, 0xb2, 0x89, 0x2a, 0x2a, 0xf0, 0x86);
DEFINE_GUID(GUID_DEVINTERFACE_XFER_DIRECT,
            0x3a1ff13e, 0x1617, 0x4984, 0x9c, 0x59, 0x14, 0xcc, 0xc2, 0x56, 0x18, 0x5e);
DEFINE_GUID(GUID_DEVINTERFACE_XFER_NEITHER,
            0x3179963f, 0x156e, 0x43ae, 0x96, 0xef, 0x37, 0x40, 0x9f, 0xa1, 0xe0, 0x62);

/* REG_DWORD under the service key's Parameters, set by xfer.inf: non-zero
 * means the driver serves Plug and Play devices only, and DriverEntry
 * creates no \\.\Xfer* control devices. */
#define XFER_REG_PLUG_AND_PLAY L"PlugAndPlay"

#endif /* XFER_PNP_H */
