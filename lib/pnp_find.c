/* SPDX-License-Identifier: MIT */
/*
 * libxfer: finding the Plug and Play devices through their device
 * interfaces, one interface class per transfer mechanism. A device is
 * found only while it is started (its interface enabled).
 *
 * SetupDi only: Wine's CM_Get_Device_Interface_List* are stubs.
 */
#include <stdlib.h>
#include <wchar.h>
#include "xfer/xfer.h"
#include <setupapi.h>
/* The interface classes are defined here, for the whole library. */
#include <initguid.h>
#include "xfer/pnp.h"

static const GUID *interface_class(xfer_mechanism mechanism)
{
    static const GUID *const classes[XFER_MECHANISM_COUNT] = {
        [XFER_BUFFERED] = &GUID_DEVINTERFACE_XFER_BUFFERED,
        [XFER_DIRECT] = &GUID_DEVINTERFACE_XFER_DIRECT,
        [XFER_NEITHER] = &GUID_DEVINTERFACE_XFER_NEITHER,
    };

    return (unsigned)mechanism < XFER_MECHANISM_COUNT ? classes[mechanism] : NULL;
}

/* The path of the index-th present interface of `class` into path. */
static DWORD interface_detail(HDEVINFO set, const GUID *class, DWORD index, wchar_t *path,
                              size_t capacity)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    SP_DEVICE_INTERFACE_DETAIL_DATA_W *detail;
    DWORD needed = 0, error = ERROR_SUCCESS;

    if (!SetupDiEnumDeviceInterfaces(set, NULL, class, index, &data))
        return GetLastError();
    SetupDiGetDeviceInterfaceDetailW(set, &data, NULL, 0, &needed, NULL);
    if (needed < sizeof(*detail))
        return GetLastError();
    detail = malloc(needed);
    if (detail == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    detail->cbSize = sizeof(*detail);
    if (!SetupDiGetDeviceInterfaceDetailW(set, &data, detail, needed, NULL, NULL))
        error = GetLastError();
    else if (wcslen(detail->DevicePath) >= capacity)
        error = ERROR_INSUFFICIENT_BUFFER;
    else
        wcscpy(path, detail->DevicePath);
    free(detail);
    return error;
}

/* Visits the present interfaces of `mechanism`: calls visit(context, path)
 * for each until it returns non-zero. *count gets how many were seen. */
static DWORD each_interface(xfer_mechanism mechanism, int (*visit)(void *, const wchar_t *),
                            void *context, unsigned *count)
{
    const GUID *class = interface_class(mechanism);
    wchar_t path[XFER_INTERFACE_PATH_MAX];
    HDEVINFO set;
    DWORD index, error = ERROR_SUCCESS;

    *count = 0;
    if (class == NULL)
        return ERROR_INVALID_PARAMETER;
    set = SetupDiGetClassDevsW(class, NULL, NULL, DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
    if (set == INVALID_HANDLE_VALUE)
        return GetLastError();
    for (index = 0;; index++) {
        error = interface_detail(set, class, index, path, XFER_INTERFACE_PATH_MAX);
        if (error != ERROR_SUCCESS)
            break;
        (*count)++;
        if (visit != NULL && visit(context, path))
            break;
    }
    SetupDiDestroyDeviceInfoList(set);
    return error == ERROR_NO_MORE_ITEMS ? ERROR_SUCCESS : error;
}

struct first_path {
    wchar_t *path;
    size_t capacity;
};

static int take_first(void *context, const wchar_t *path)
{
    struct first_path *first = context;

    if (wcslen(path) < first->capacity)
        wcscpy(first->path, path);
    return 1;
}

DWORD xfer_interface_path(xfer_mechanism mechanism, wchar_t *path, size_t capacity)
{
    struct first_path first = { path, capacity };
    unsigned count;
    DWORD error;

    if (capacity == 0)
        return ERROR_INVALID_PARAMETER;
    path[0] = L'\0';
    error = each_interface(mechanism, take_first, &first, &count);
    if (error != ERROR_SUCCESS)
        return error;
    if (count == 0)
        return ERROR_FILE_NOT_FOUND;
    return path[0] != L'\0' ? ERROR_SUCCESS : ERROR_INSUFFICIENT_BUFFER;
}

DWORD xfer_interface_count(xfer_mechanism mechanism, unsigned *count)
{
    return each_interface(mechanism, NULL, NULL, count);
}
