/* SPDX-License-Identifier: MIT */
/*
 * libxfer: the Windows APIs newer than the oldest Windows the programs load
 * on (XP on x86, Server 2003 on x64), looked up when first used instead of
 * imported: on an older Windows the loader would refuse the program with a
 * dialog naming no reason, where this says which API is missing.
 */
#ifndef XFER_COMPAT_H
#define XFER_COMPAT_H

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The export `name` of `module` (a DLL the program has loaded, such as
 * "kernel32.dll"). When this Windows lacks it, prints one sentence on
 * stderr ("PROGRAM: this Windows lacks NAME (...)") and ends the program
 * with exit status 1: never returns NULL. */
FARPROC xfer_need_api(const char *module, const char *name);

/* CancelIoEx and RegGetValueW (Windows Vista), through xfer_need_api. */
BOOL xfer_cancel_io_ex(HANDLE file, OVERLAPPED *overlapped);
LSTATUS xfer_reg_get_value(HKEY key, const wchar_t *subkey, const wchar_t *value, DWORD flags,
                           DWORD *type, void *data, DWORD *size);

#ifdef __cplusplus
}
#endif

#endif /* XFER_COMPAT_H */
