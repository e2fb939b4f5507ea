/* SPDX-License-Identifier: MIT */
/*
 * libxfer: Windows Vista's APIs, looked up at run time (include/xfer/compat.h).
 * The images declare the oldest Windows they load on, so that a program
 * started on one too old for it can still say so in one sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xfer/compat.h"

/* "xferctl" of C:\...\xferctl.exe. */
static void program_name(char *name, DWORD size)
{
    char path[MAX_PATH];
    DWORD length = GetModuleFileNameA(NULL, path, sizeof(path));
    const char *base = path;
    char *dot;

    if (length == 0 || length >= sizeof(path))
        snprintf(path, sizeof(path), "xfer");
    for (const char *p = path; *p != '\0'; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    snprintf(name, size, "%s", base);
    dot = strrchr(name, '.');
    if (dot != NULL && _stricmp(dot, ".exe") == 0)
        *dot = '\0';
}

FARPROC xfer_need_api(const char *module, const char *name)
{
    HMODULE handle = GetModuleHandleA(module);
    FARPROC api;
    char program[MAX_PATH];

    if (handle == NULL)
        handle = LoadLibraryA(module);
    api = handle != NULL ? GetProcAddress(handle, name) : NULL;
    if (api != NULL)
        return api;
    program_name(program, sizeof(program));
    fprintf(stderr, "%s: this Windows lacks %s (Windows Vista or later is needed; "
            "xfer supports Windows 10 and later)\n", program, name);
    exit(1);
}

/* Each looked up once; threads racing to it store the same pointer. */
BOOL xfer_cancel_io_ex(HANDLE file, OVERLAPPED *overlapped)
{
    typedef BOOL (WINAPI *cancel_io_ex_fn)(HANDLE, OVERLAPPED *);
    static cancel_io_ex_fn volatile api;

    if (api == NULL)
        api = (cancel_io_ex_fn)(void *)xfer_need_api("kernel32.dll", "CancelIoEx");
    return api(file, overlapped);
}

LSTATUS xfer_reg_get_value(HKEY key, const wchar_t *subkey, const wchar_t *value, DWORD flags,
                           DWORD *type, void *data, DWORD *size)
{
    typedef LSTATUS (WINAPI *reg_get_value_fn)(HKEY, LPCWSTR, LPCWSTR, DWORD, LPDWORD, PVOID,
                                               LPDWORD);
    static reg_get_value_fn volatile api;

    if (api == NULL)
        api = (reg_get_value_fn)(void *)xfer_need_api("advapi32.dll", "RegGetValueW");
    return api(key, subkey, value, flags, type, data, size);
}
