/* SPDX-License-Identifier: MIT */
/*
 * The device class key's Security value, set or deleted (class_security.h).
 */
#include "class_security.h"

#include <sddl.h>   /* after windows.h */
#include "xfer/ioctl.h"

#define CLASS_PROPERTIES L"SYSTEM\\CurrentControlSet\\Control\\Class\\" XFER_DEVICE_CLASS_GUID \
                         L"\\Properties"

DWORD xfer_test_set_class_security(const wchar_t *sddl, const BYTE *raw, DWORD raw_size)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    ULONG size = 0;
    HKEY key;
    LSTATUS error;

    error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, CLASS_PROPERTIES, 0, NULL, 0, KEY_SET_VALUE, NULL,
                            &key, NULL);
    if (error != ERROR_SUCCESS)
        return (DWORD)error;
    if (sddl != NULL && !ConvertStringSecurityDescriptorToSecurityDescriptorW(
                            sddl, SDDL_REVISION_1, &sd, &size)) {
        error = (LSTATUS)GetLastError();
    } else if (sddl != NULL) {
        error = RegSetValueExW(key, L"Security", 0, REG_BINARY, sd, size);
        LocalFree(sd);
    } else if (raw != NULL) {
        error = RegSetValueExW(key, L"Security", 0, REG_BINARY, raw, raw_size);
    } else {
        error = RegDeleteValueW(key, L"Security");
        if (error == ERROR_FILE_NOT_FOUND)
            error = ERROR_SUCCESS;
    }
    RegCloseKey(key);
    return (DWORD)error;
}
