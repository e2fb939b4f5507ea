/* SPDX-License-Identifier: MIT */
/*
 * Safe on a shared machine (docs/security.md): the descriptor the driver
 * gives its devices, a trace that holds no kernel address and no caller's
 * raw input, the cap on pending waits per handle, and MaxSize's ceiling.
 * The access each IOCTL needs is test_bad_access.c's.
 *
 * Wine runs every program as a member of Administrators, so the default
 * descriptor lets this suite in; on Windows it must run elevated (or as
 * SYSTEM), and an ordinary user is refused at CreateFile.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "trace_text.h"
#include "unit.h"

#define SD_MAX 1024

/* One ACE of the DACL: allow `mask` to the well-known SID of `type`. */
static void check_allow_ace(PACL dacl, DWORD index, WELL_KNOWN_SID_TYPE type)
{
    BYTE wanted[SECURITY_MAX_SID_SIZE];
    DWORD wanted_size = sizeof(wanted);
    ACCESS_ALLOWED_ACE *ace;

    ASSERT_TRUE(GetAce(dacl, index, (void **)&ace));
    ASSERT_EQ(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
    ASSERT_EQ(ace->Header.AceFlags, 0);
    /* FILE_ALL_ACCESS is GENERIC_ALL as the I/O manager maps it for files;
     * a system that keeps the generic bit shows GENERIC_ALL. */
    if (ace->Mask != FILE_ALL_ACCESS && ace->Mask != GENERIC_ALL)
        unit_fail(__FILE__, __LINE__, "ACE %lu grants 0x%08lx, not all access",
                  (unsigned long)index, (unsigned long)ace->Mask);
    ASSERT_TRUE(CreateWellKnownSid(type, NULL, wanted, &wanted_size));
    ASSERT_TRUE(EqualSid((PSID)&ace->SidStart, wanted));
}

/* The descriptor read back from each device: a protected DACL of exactly
 * two ACEs, SYSTEM and Administrators, each with all access (SDDL
 * "D:P(A;;GA;;;SY)(A;;GA;;;BA)"); so no one else may open the device. */
TEST(test_security_devices_open_to_system_and_administrators_only)
{
    union {
        SECURITY_DESCRIPTOR_RELATIVE header;
        BYTE bytes[SD_MAX];
    } sd;
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD needed, revision;
    BOOL present, defaulted;
    PACL dacl;
    HANDLE h;
    int m;

    /* Wine keeps the descriptor the driver sets on the device object apart
     * from the file handles opened on it: a handle's shows no DACL. What the
     * driver set is read back by the driver itself and checked in
     * test_lifecycle_security_default_descriptor. */
    E2E_WINDOWS_ONLY("Wine shows no device object's descriptor through a handle");
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        ASSERT_EQ(xfer_open((xfer_mechanism)m, READ_CONTROL, &h), ERROR_SUCCESS);
        ASSERT_TRUE(GetKernelObjectSecurity(h, DACL_SECURITY_INFORMATION, sd.bytes,
                                            sizeof(sd.bytes), &needed));
        CloseHandle(h);
        ASSERT_TRUE(GetSecurityDescriptorControl(sd.bytes, &control, &revision));
        ASSERT_TRUE(GetSecurityDescriptorDacl(sd.bytes, &present, &dacl, &defaulted));
        ASSERT_TRUE(present);
        ASSERT_TRUE(dacl != NULL);
        ASSERT_TRUE((control & SE_DACL_PROTECTED) != 0);
        ASSERT_EQ(dacl->AceCount, 2);
        check_allow_ace(dacl, 0, WinLocalSystemSid);
        check_allow_ace(dacl, 1, WinBuiltinAdministratorsSid);
    }
}

static void check_no_address(const struct e2e_trace *trace)
{
    size_t i;

    for (i = 0; i < trace->count && !unit_failed(); i++)
        if (e2e_text_has_address(trace->records[i].text))
            unit_fail(__FILE__, __LINE__, "trace record %llu holds an address: \"%s\"",
                      (unsigned long long)trace->records[i].sequence, trace->records[i].text);
}

/* After requests of every kind, refused ones and a refused open of a name
 * below a device among them, no record holds an address or the name. */
TEST(test_security_trace_holds_no_address_and_no_caller_name)
{
    static const char secret[] = "SecretName-0123456789ABCDEF";
    wchar_t name[XFER_INTERFACE_PATH_MAX + 64];
    struct e2e_trace trace = { 0 };
    struct xfer_stats stats;
    struct xfer_info info;
    struct xfer_change change;
    uint8_t data[64] = "no address here";
    uint64_t size, newest;
    HANDLE h, below;
    DWORD done;
    size_t i;
    int m;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(e2e_trace_skip(h, &newest), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT && !unit_failed(); m++) {
        HANDLE d;

        if (xfer_interface_path((xfer_mechanism)m, name, XFER_INTERFACE_PATH_MAX) != ERROR_SUCCESS)
            wcscpy(name, xfer_device_path((xfer_mechanism)m));
        swprintf(name + wcslen(name), 64, L"\\%hs", secret);
        below = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        ASSERT_TRUE(below == INVALID_HANDLE_VALUE);

        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &d), ERROR_SUCCESS);
        ASSERT_EQ(xfer_write_at(d, 0, data, sizeof(data), &done), ERROR_SUCCESS);
        ASSERT_EQ(xfer_read_at(d, 0, data, sizeof(data), &done), ERROR_SUCCESS);
        ASSERT_EQ(xfer_read_at(d, 1ull << 63, data, 1, &done), ERROR_INVALID_PARAMETER);
        ASSERT_EQ(xfer_ioctl_write(d, (xfer_mechanism)m, 8, data, 8), ERROR_SUCCESS);
        ASSERT_EQ(xfer_ioctl_read(d, (xfer_mechanism)m, 8, data, 8, &done), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_size(d, &size), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_info(d, &info), ERROR_SUCCESS);
        ASSERT_EQ(xfer_get_stats(d, &stats, 0), ERROR_SUCCESS);
        ASSERT_EQ(xfer_set_size(d, size), ERROR_SUCCESS);
        ASSERT_EQ(xfer_wait_change(d, info.generation, &change), ERROR_SUCCESS);
        ASSERT_EQ(xfer_set_size(d, XFER_MAX_SIZE_CEILING + 1), ERROR_DISK_FULL);
        CloseHandle(d);
    }
    ASSERT_EQ(e2e_trace_drain(h, &trace), ERROR_SUCCESS);
    CloseHandle(h);
    ASSERT_TRUE(trace.count > 30);
    check_no_address(&trace);
    for (i = 0; i < trace.count && !unit_failed(); i++)
        if (strstr(trace.records[i].text, "SecretName") != NULL)
            unit_fail(__FILE__, __LINE__, "trace record \"%s\" echoes the caller's name",
                      trace.records[i].text);
    e2e_trace_free(&trace);
}

/* The checker itself: it finds what %p and %llx of an address print, and
 * lets statuses, control codes and decimal numbers through. */
TEST(test_security_address_check_finds_pointers)
{
    char text[XFER_TRACE_TEXT];
    int local;

    snprintf(text, sizeof(text), "FDO is %p", (void *)&local);
    ASSERT_TRUE(e2e_text_has_address(text));
    snprintf(text, sizeof(text), "at 0x%llx", 0xFFFFF80012345678ull);
    ASSERT_TRUE(e2e_text_has_address(text));
    ASSERT_TRUE(!e2e_text_has_address("Read: failed, status 0xc000000d"));
    ASSERT_TRUE(!e2e_text_has_address("DeviceIoControl: Control code 0x8E7F6008 InputLength 0"));
    ASSERT_TRUE(!e2e_text_has_address("Write 1 bytes at offset 9223372036854775807"));
    ASSERT_TRUE(!e2e_text_has_address("Read 3 bytes from offset 1234567890123456"));
}

/* One more pending wait than the cap, on one handle: refused at once with
 * ERROR_NOT_ENOUGH_QUOTA (STATUS_QUOTA_EXCEEDED), the others untouched;
 * another handle may still wait; the next change completes them all. */
TEST(test_security_pending_waits_are_capped_per_handle)
{
    static struct xfer_wait waits[XFER_MAX_WAITS_PER_HANDLE + 2];
    struct xfer_change change;
    struct xfer_info info, now;
    HANDLE h, other, writer;
    uint8_t byte = 7;
    DWORD done;
    int i;

    ASSERT_EQ(xfer_open_overlapped(XFER_DIRECT, GENERIC_READ, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open_overlapped(XFER_NEITHER, GENERIC_READ, &other), ERROR_SUCCESS);
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &writer), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(writer, &info), ERROR_SUCCESS);
    for (i = 0; i < XFER_MAX_WAITS_PER_HANDLE && !unit_failed(); i++)
        ASSERT_EQ(xfer_wait_start(h, info.generation, &waits[i]), ERROR_IO_PENDING);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(xfer_wait_start(h, info.generation, &waits[i]), ERROR_NOT_ENOUGH_QUOTA);
    ASSERT_EQ(xfer_wait_start(other, info.generation, &waits[i + 1]), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_get_info(writer, &now), ERROR_SUCCESS);
    ASSERT_EQ_U64(now.pending_waiters, info.pending_waiters + XFER_MAX_WAITS_PER_HANDLE + 1);
    ASSERT_EQ_U64(now.generation, info.generation);
    for (i = 0; i < XFER_MAX_WAITS_PER_HANDLE && !unit_failed(); i++)
        ASSERT_EQ(xfer_wait_finish(h, &waits[i], 0, NULL), ERROR_IO_INCOMPLETE);

    ASSERT_EQ(xfer_write_at(writer, 5, &byte, 1, &done), ERROR_SUCCESS);
    for (i = 0; i < XFER_MAX_WAITS_PER_HANDLE && !unit_failed(); i++) {
        ASSERT_EQ(xfer_wait_finish(h, &waits[i], 1, &change), ERROR_SUCCESS);
        ASSERT_EQ(change.kind, XFER_CHANGE_WRITE);
        ASSERT_EQ_U64(change.offset, 5);
        ASSERT_EQ_U64(change.generation, info.generation + 1);
    }
    ASSERT_EQ(xfer_wait_finish(other, &waits[XFER_MAX_WAITS_PER_HANDLE + 1], 1, &change),
              ERROR_SUCCESS);
    ASSERT_EQ(change.kind, XFER_CHANGE_WRITE);
    /* Their places are free again: the handle may wait once more. */
    ASSERT_EQ(xfer_wait_start(h, change.generation, &waits[0]), ERROR_IO_PENDING);
    ASSERT_EQ(xfer_wait_cancel(h, &waits[0]), ERROR_SUCCESS);
    ASSERT_EQ(xfer_wait_finish(h, &waits[0], 1, NULL), ERROR_OPERATION_ABORTED);
    CloseHandle(h);
    CloseHandle(other);
    CloseHandle(writer);
}
