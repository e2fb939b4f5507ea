/* SPDX-License-Identifier: MIT */
/*
 * libxfer: installing and removing the Plug and Play device nodes, as
 * Windows' devcon does: a root-enumerated node per mechanism, created and
 * registered with SetupDi (DIF_REGISTERDEVICE), then the INF's driver
 * installed on it with UpdateDriverForPlugAndPlayDevices, which copies
 * xfer.sys, creates the service and starts the device. Removal is
 * DIF_REMOVE.
 */
#include <wchar.h>
#include "xfer/xfer.h"
#include <setupapi.h>
#include <newdev.h>
#include "xfer/pnp.h"

/* The System setup class (devguid.h's GUID_DEVCLASS_SYSTEM), xfer.inf's. */
static const GUID xfer_class_system = {
    0x4d36e97d, 0xe325, 0x11ce, { 0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18 }
};

static const struct {
    const wchar_t *hardware_id;
    const wchar_t *name;   /* the node's instance ID is ROOT\<name>\NNNN */
} models[XFER_MECHANISM_COUNT] = {
    [XFER_BUFFERED] = { XFER_HWID_BUFFERED, L"XferBuffered" },
    [XFER_DIRECT] = { XFER_HWID_DIRECT, L"XferDirect" },
    [XFER_NEITHER] = { XFER_HWID_NEITHER, L"XferNeither" },
};

/* Whether the node's first hardware ID is `wanted`. */
static int node_is(HDEVINFO set, SP_DEVINFO_DATA *node, const wchar_t *wanted)
{
    wchar_t ids[256] = {0};

    if (!SetupDiGetDeviceRegistryPropertyW(set, node, SPDRP_HARDWAREID, NULL, (BYTE *)ids,
                                           sizeof(ids) - sizeof(wchar_t), NULL))
        return 0;
    return _wcsicmp(ids, wanted) == 0;
}

/* Calls act(set, node) for every root-enumerated node of `mechanism` (all
 * three: XFER_MECHANISM_COUNT) and counts them in *count. The first error
 * of act is returned; the walk goes on. */
static DWORD each_node(xfer_mechanism mechanism, DWORD (*act)(HDEVINFO, SP_DEVINFO_DATA *),
                       unsigned *count)
{
    SP_DEVINFO_DATA node = { .cbSize = sizeof(node) };
    HDEVINFO set = SetupDiGetClassDevsW(NULL, L"ROOT", NULL, DIGCF_ALLCLASSES);
    DWORD index, error = ERROR_SUCCESS;
    int m;

    *count = 0;
    if (set == INVALID_HANDLE_VALUE)
        return GetLastError();
    for (index = 0; SetupDiEnumDeviceInfo(set, index, &node); index++) {
        for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
            if ((mechanism == XFER_MECHANISM_COUNT || (int)mechanism == m) &&
                node_is(set, &node, models[m].hardware_id)) {
                DWORD result = act != NULL ? act(set, &node) : ERROR_SUCCESS;

                if (error == ERROR_SUCCESS)
                    error = result;
                (*count)++;
            }
        }
    }
    SetupDiDestroyDeviceInfoList(set);
    return error;
}

static DWORD remove_node(HDEVINFO set, SP_DEVINFO_DATA *node)
{
    return SetupDiCallClassInstaller(DIF_REMOVE, set, node) ? ERROR_SUCCESS : GetLastError();
}

/* A new root-enumerated node for `mechanism`, registered with the PnP
 * manager (no driver yet). */
static DWORD create_node(xfer_mechanism mechanism)
{
    SP_DEVINFO_DATA node = { .cbSize = sizeof(node) };
    wchar_t ids[64] = {0};   /* REG_MULTI_SZ: the ID and an empty string */
    DWORD error = ERROR_SUCCESS;
    HDEVINFO set = SetupDiCreateDeviceInfoList(&xfer_class_system, NULL);

    if (set == INVALID_HANDLE_VALUE)
        return GetLastError();
    wcscpy(ids, models[mechanism].hardware_id);
    if (!SetupDiCreateDeviceInfoW(set, models[mechanism].name, &xfer_class_system, NULL, NULL,
                                  DICD_GENERATE_ID, &node) ||
        !SetupDiSetDeviceRegistryPropertyW(set, &node, SPDRP_HARDWAREID, (const BYTE *)ids,
                                           (DWORD)((wcslen(ids) + 2) * sizeof(wchar_t))) ||
        !SetupDiCallClassInstaller(DIF_REGISTERDEVICE, set, &node))
        error = GetLastError();
    SetupDiDestroyDeviceInfoList(set);
    return error;
}

DWORD xfer_pnp_install(const wchar_t *inf_path)
{
    wchar_t full[MAX_PATH];
    BOOL reboot = FALSE;
    unsigned count;
    DWORD error;
    int m;

    if (inf_path == NULL || GetFullPathNameW(inf_path, MAX_PATH, full, NULL) - 1 >= MAX_PATH - 1)
        return ERROR_INVALID_PARAMETER;
    if (GetFileAttributesW(full) == INVALID_FILE_ATTRIBUTES)
        return GetLastError();
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        error = each_node((xfer_mechanism)m, NULL, &count);
        if (error == ERROR_SUCCESS && count == 0)
            error = create_node((xfer_mechanism)m);
        if (error != ERROR_SUCCESS)
            return error;
        if (!UpdateDriverForPlugAndPlayDevicesW(NULL, models[m].hardware_id, full,
                                                INSTALLFLAG_FORCE, &reboot))
            return GetLastError();
    }
    return ERROR_SUCCESS;
}

DWORD xfer_pnp_remove(xfer_mechanism mechanism)
{
    unsigned count;
    DWORD error;

    if ((unsigned)mechanism >= XFER_MECHANISM_COUNT)
        return ERROR_INVALID_PARAMETER;
    error = each_node(mechanism, remove_node, &count);
    return error == ERROR_SUCCESS && count == 0 ? ERROR_FILE_NOT_FOUND : error;
}

DWORD xfer_pnp_node_count(unsigned *count)
{
    return each_node(XFER_MECHANISM_COUNT, NULL, count);
}

DWORD xfer_pnp_uninstall(void)
{
    unsigned count;
    DWORD error = each_node(XFER_MECHANISM_COUNT, remove_node, &count);

    if (error != ERROR_SUCCESS)
        return error;
    /* The driver, its service and its file go the plain service's way. */
    error = xfer_service_uninstall();
    return error == ERROR_SERVICE_DOES_NOT_EXIST && count != 0 ? ERROR_SUCCESS : error;
}
