/* SPDX-License-Identifier: MIT */
/*
 * libxfer: starting and stopping the installed driver through the service
 * control manager, and its registry parameters.
 */
#include "xfer/xfer.h"

#define XFER_PARAMETERS_KEY L"System\\CurrentControlSet\\Services\\xfer\\Parameters"
#define XFER_SERVICE_WAIT_MS 10000
#define XFER_SERVICE_POLL_MS 50

static DWORD open_service(DWORD access, SC_HANDLE *manager, SC_HANDLE *service)
{
    *service = NULL;
    *manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (*manager == NULL)
        return GetLastError();
    *service = OpenServiceW(*manager, XFER_SERVICE_NAME, access);
    if (*service == NULL) {
        DWORD error = GetLastError();
        CloseServiceHandle(*manager);
        *manager = NULL;
        return error;
    }
    return ERROR_SUCCESS;
}

static void close_service(SC_HANDLE manager, SC_HANDLE service)
{
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
}

static DWORD wait_for_state(SC_HANDLE service, DWORD wanted)
{
    SERVICE_STATUS status;
    DWORD waited;

    for (waited = 0; waited <= XFER_SERVICE_WAIT_MS; waited += XFER_SERVICE_POLL_MS) {
        if (!QueryServiceStatus(service, &status))
            return GetLastError();
        if (status.dwCurrentState == wanted)
            return ERROR_SUCCESS;
        Sleep(XFER_SERVICE_POLL_MS);
    }
    return ERROR_SERVICE_REQUEST_TIMEOUT;
}

DWORD xfer_service_start(void)
{
    SC_HANDLE manager, service;
    DWORD error = open_service(SERVICE_START | SERVICE_QUERY_STATUS, &manager, &service);

    if (error != ERROR_SUCCESS)
        return error;
    if (!StartServiceW(service, 0, NULL) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING)
        error = GetLastError();
    else
        error = wait_for_state(service, SERVICE_RUNNING);
    close_service(manager, service);
    return error;
}

DWORD xfer_service_stop(void)
{
    SC_HANDLE manager, service;
    SERVICE_STATUS status;
    DWORD error = open_service(SERVICE_STOP | SERVICE_QUERY_STATUS, &manager, &service);

    if (error != ERROR_SUCCESS)
        return error;
    if (!ControlService(service, SERVICE_CONTROL_STOP, &status) &&
        GetLastError() != ERROR_SERVICE_NOT_ACTIVE)
        error = GetLastError();
    else
        error = wait_for_state(service, SERVICE_STOPPED);
    close_service(manager, service);
    return error;
}

DWORD xfer_service_set_parameter(const wchar_t *name, uint64_t value)
{
    HKEY key;
    LSTATUS error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, XFER_PARAMETERS_KEY, 0, NULL, 0,
                                    KEY_SET_VALUE, NULL, &key, NULL);

    if (error != ERROR_SUCCESS)
        return (DWORD)error;
    if (value == 0) {
        error = RegDeleteValueW(key, name);
        if (error == ERROR_FILE_NOT_FOUND)
            error = ERROR_SUCCESS;
    } else {
        /* The driver reads every parameter as REG_QWORD or REG_DWORD. */
        error = RegSetValueExW(key, name, 0, REG_QWORD, (const BYTE *)&value, sizeof(value));
    }
    RegCloseKey(key);
    return (DWORD)error;
}

DWORD xfer_service_set_max_size(uint64_t max_size)
{
    return xfer_service_set_parameter(XFER_REG_MAX_SIZE, max_size);
}
