/* SPDX-License-Identifier: MIT */
/*
 * libxfer: installing and uninstalling the driver as the kernel service
 * "xfer", and asking its state.
 *
 * The image lives at %SystemRoot%\System32\drivers\xfer.sys; the service's
 * binary path is that file's full Win32 path (C:\Windows\System32\...),
 * which Windows' service control manager and Wine's both accept for a
 * kernel driver.
 */
#include <wchar.h>
#include "xfer/xfer.h"

#define XFER_IMAGE_NAME L"xfer.sys"
#define XFER_DISPLAY_NAME L"xfer memory-backed byte store"
#define DELETE_RETRIES 20
#define DELETE_RETRY_MS 100

/* %SystemRoot%\System32\drivers\xfer.sys */
static DWORD installed_image_path(wchar_t *path, DWORD capacity)
{
    static const wchar_t tail[] = L"\\drivers\\" XFER_IMAGE_NAME;
    UINT length = GetSystemDirectoryW(path, capacity);

    if (length == 0)
        return GetLastError();
    if (length + wcslen(tail) >= capacity)
        return ERROR_FILENAME_EXCED_RANGE;
    wcscpy(path + length, tail);
    return ERROR_SUCCESS;
}

/* xfer.sys in the directory of the running program. */
static DWORD default_driver_path(wchar_t *path, DWORD capacity)
{
    DWORD length = GetModuleFileNameW(NULL, path, capacity);
    wchar_t *slash;

    if (length == 0)
        return GetLastError();
    if (length >= capacity)
        return ERROR_FILENAME_EXCED_RANGE;
    slash = wcsrchr(path, L'\\');
    if (slash == NULL)
        slash = wcsrchr(path, L'/');
    if (slash == NULL)
        return ERROR_BAD_PATHNAME;
    if ((size_t)(slash + 1 - path) + wcslen(XFER_IMAGE_NAME) >= capacity)
        return ERROR_FILENAME_EXCED_RANGE;
    wcscpy(slash + 1, XFER_IMAGE_NAME);
    return ERROR_SUCCESS;
}

static DWORD open_manager(DWORD access, SC_HANDLE *manager)
{
    *manager = OpenSCManagerW(NULL, NULL, access);
    return *manager == NULL ? GetLastError() : ERROR_SUCCESS;
}

/* Deletes the installed image. The driver host may hold it for a moment
 * after the driver unloaded: retry a sharing violation briefly. */
static DWORD delete_image(const wchar_t *path)
{
    DWORD error = ERROR_SUCCESS;
    int attempt;

    for (attempt = 0; attempt < DELETE_RETRIES; attempt++) {
        if (DeleteFileW(path))
            return ERROR_SUCCESS;
        error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)
            return ERROR_SUCCESS;
        if (error != ERROR_SHARING_VIOLATION && error != ERROR_ACCESS_DENIED)
            return error;
        Sleep(DELETE_RETRY_MS);
    }
    return error;
}

/* `driver_path`, or the default when NULL, into `path`. */
static DWORD source_path(const wchar_t *driver_path, wchar_t *path, DWORD capacity)
{
    if (driver_path == NULL)
        return default_driver_path(path, capacity);
    if (wcslen(driver_path) >= capacity)
        return ERROR_FILENAME_EXCED_RANGE;
    wcscpy(path, driver_path);
    return ERROR_SUCCESS;
}

DWORD xfer_service_check_driver(const wchar_t *driver_path)
{
    wchar_t source[MAX_PATH];
    char magic[2];
    HANDLE file;
    DWORD got = 0, error = source_path(driver_path, source, MAX_PATH);

    if (error != ERROR_SUCCESS)
        return error;
    file = CreateFileW(source, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return GetLastError();
    if (!ReadFile(file, magic, sizeof(magic), &got, NULL))
        error = GetLastError();
    else if (got != sizeof(magic) || magic[0] != 'M' || magic[1] != 'Z')
        error = ERROR_BAD_EXE_FORMAT;
    CloseHandle(file);
    return error;
}

DWORD xfer_service_install(const wchar_t *driver_path, uint64_t max_size)
{
    wchar_t source[MAX_PATH], image[MAX_PATH];
    SC_HANDLE manager, service;
    DWORD error = xfer_service_check_driver(driver_path);

    if (error != ERROR_SUCCESS)
        return error;
    error = source_path(driver_path, source, MAX_PATH);
    if (error != ERROR_SUCCESS)
        return error;
    driver_path = source;
    error = installed_image_path(image, MAX_PATH);
    if (error != ERROR_SUCCESS)
        return error;
    error = open_manager(SC_MANAGER_CREATE_SERVICE | SC_MANAGER_CONNECT, &manager);
    if (error != ERROR_SUCCESS)
        return error;

    /* The service first: when it exists already, nothing is touched, and
     * in particular not the image a running driver was loaded from. */
    service = CreateServiceW(manager, XFER_SERVICE_NAME, XFER_DISPLAY_NAME,
                             SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER, SERVICE_DEMAND_START,
                             SERVICE_ERROR_NORMAL, image, NULL, NULL, NULL, NULL, NULL);
    if (service == NULL) {
        error = GetLastError();
        CloseServiceHandle(manager);
        return error;
    }
    if (!CopyFileW(driver_path, image, FALSE))
        error = GetLastError();
    else
        error = xfer_service_set_max_size(max_size);
    if (error != ERROR_SUCCESS) {
        /* Leave nothing half installed. */
        DeleteService(service);
        delete_image(image);
    }
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return error;
}

DWORD xfer_service_uninstall(void)
{
    wchar_t image[MAX_PATH];
    SC_HANDLE manager, service;
    DWORD error = installed_image_path(image, MAX_PATH);

    if (error != ERROR_SUCCESS)
        return error;
    error = open_manager(SC_MANAGER_CONNECT, &manager);
    if (error != ERROR_SUCCESS)
        return error;
    service = OpenServiceW(manager, XFER_SERVICE_NAME, DELETE | SERVICE_QUERY_STATUS);
    if (service == NULL) {
        error = GetLastError();
        CloseServiceHandle(manager);
        return error;
    }
    error = xfer_service_stop();
    if (error == ERROR_SUCCESS && !DeleteService(service) &&
        GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)
        error = GetLastError();
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    if (error == ERROR_SUCCESS)
        error = delete_image(image);
    return error;
}

DWORD xfer_service_status(DWORD *state)
{
    SC_HANDLE manager, service;
    SERVICE_STATUS status;
    DWORD error = open_manager(SC_MANAGER_CONNECT, &manager);

    *state = 0;
    if (error != ERROR_SUCCESS)
        return error;
    service = OpenServiceW(manager, XFER_SERVICE_NAME, SERVICE_QUERY_STATUS);
    if (service == NULL) {
        error = GetLastError();
    } else {
        if (QueryServiceStatus(service, &status))
            *state = status.dwCurrentState;
        else
            error = GetLastError();
        CloseServiceHandle(service);
    }
    CloseServiceHandle(manager);
    return error;
}
