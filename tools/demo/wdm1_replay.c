/* SPDX-License-Identifier: MIT */
/*
 *   xfer-wdm1 [buffered|direct|neither]
 *
 * The book's Wdm1Test program, replayed on one of xfer's devices for
 * `make demo`: Listing 7.1's requests in its order, each printed with what
 * came back and what Wdm1Test expects. Exits 1 at the first difference, so
 * the tour stops rather than show a wrong result. (tests/e2e checks the
 * same sequence, and the driver's trace of it, on every device.)
 */
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"

/* Wdm1Test's fifth code, one past its four: xfer does not define it. */
#define IOCTL_UNKNOWN XFER_CTL(0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)

static HANDLE device;

/* Prints one step's outcome; nonzero when it is not what Wdm1Test expects. */
static int outcome(DWORD error, DWORD expected_error, const char *shown)
{
    char message[160];

    if (error == ERROR_SUCCESS)
        printf("  -> %s\n", shown);
    else {
        xfer_error_message(error, message, sizeof(message));
        printf("  -> refused: %s (Win32 error %lu)\n", message, (unsigned long)error);
    }
    if (error != expected_error) {
        fprintf(stderr, "xfer-wdm1: expected Win32 error %lu\n", (unsigned long)expected_error);
        return 1;
    }
    return 0;
}

/* `length` bytes as a C string literal: a zero byte is "\0", so the zeroed
 * store does not read as the digits "0000000". */
static void quote(char *shown, size_t size, const char *bytes, DWORD length)
{
    size_t used = 0;
    DWORD i;

    used += (size_t)snprintf(shown + used, size - used, "\"");
    for (i = 0; i < length && used < size; i++)
        used += (size_t)snprintf(shown + used, size - used,
                                 bytes[i] == 0 ? "\\0" : "%c", bytes[i]);
    if (used < size)
        snprintf(shown + used, size - used, "\"");
}

static int same(const void *got, DWORD got_length, const char *want, DWORD want_length)
{
    char shown[80];

    if (got_length == want_length && memcmp(got, want, want_length) == 0)
        return 0;
    quote(shown, sizeof(shown), want, want_length);
    fprintf(stderr, "xfer-wdm1: expected %lu bytes %s\n", (unsigned long)want_length, shown);
    return 1;
}

static int write_step(uint64_t offset, const char *text)
{
    DWORD done = 0, error;
    char shown[64];

    printf("WriteFile  %-7s at offset %llu", text, (unsigned long long)offset);
    error = xfer_write_at(device, offset, text, (DWORD)strlen(text), &done);
    snprintf(shown, sizeof(shown), "%lu bytes written", (unsigned long)done);
    return outcome(error, ERROR_SUCCESS, shown) || (done != strlen(text));
}

static int read_step(uint64_t offset, const char *want)
{
    char back[16] = "", shown[64];
    DWORD done = 0, error;

    printf("ReadFile   %lu byte%s from offset %llu", (unsigned long)strlen(want),
           strlen(want) == 1 ? "" : "s",
           (unsigned long long)offset);
    error = xfer_read_at(device, offset, back, (DWORD)strlen(want), &done);
    snprintf(shown, sizeof(shown), "\"%.*s\"", (int)done, back);
    return outcome(error, ERROR_SUCCESS, shown) || same(back, done, want, (DWORD)strlen(want));
}

static int size_step(uint64_t want)
{
    uint64_t size = 0;
    DWORD error;
    char shown[64];

    printf("IOCTL_XFER_GET_SIZE");
    error = xfer_get_size(device, &size);
    snprintf(shown, sizeof(shown), "%llu bytes", (unsigned long long)size);
    if (outcome(error, ERROR_SUCCESS, shown))
        return 1;
    if (size != want)
        fprintf(stderr, "xfer-wdm1: expected %llu\n", (unsigned long long)want);
    return size != want;
}

/* GET_BUFFER asks for exactly `length` bytes: more than the store holds is
 * refused, as in Wdm1. */
static int buffer_step(DWORD length, const char *want, DWORD expected_error)
{
    char back[16] = "", shown[80];
    DWORD done = 0, error;

    printf("IOCTL_XFER_GET_BUFFER %lu bytes", (unsigned long)length);
    error = xfer_get_buffer(device, back, length, &done);
    quote(shown, sizeof(shown), back, done < sizeof(back) ? done : sizeof(back));
    if (outcome(error, expected_error, shown))
        return 1;
    return error == ERROR_SUCCESS && same(back, done, want, length);
}

static int control_step(const char *name, DWORD code, DWORD expected_error)
{
    DWORD returned = 0;

    printf("%s", name);
    return outcome(xfer_control(device, code, NULL, 0, NULL, 0, &returned), expected_error,
                   "done");
}

static int replay(void)
{
    return write_step(0, "abcd") || read_step(0, "abcd") || write_step(0, "efgh") ||
           read_step(3, "h") || write_step(3, "ijkl") || size_step(7) ||
           buffer_step(7, "efgijkl", ERROR_SUCCESS) ||
           buffer_step(8, NULL, ERROR_INVALID_PARAMETER) ||
           control_step("IOCTL_XFER_ZERO_BUFFER", IOCTL_XFER_ZERO_BUFFER, ERROR_SUCCESS) ||
           buffer_step(7, "\0\0\0\0\0\0\0", ERROR_SUCCESS) ||
           control_step("IOCTL_XFER_REMOVE_BUFFER", IOCTL_XFER_REMOVE_BUFFER, ERROR_SUCCESS) ||
           size_step(0) ||
           control_step("unknown IOCTL 0x804", IOCTL_UNKNOWN, ERROR_INVALID_FUNCTION) ||
           write_step(0, "mnop");
}

int main(int argc, char **argv)
{
    xfer_mechanism mechanism = XFER_BUFFERED;
    char message[160];
    DWORD error;
    int failed;

    if (argc > 1) {
        for (mechanism = 0; mechanism < XFER_MECHANISM_COUNT; mechanism++)
            if (strcmp(argv[1], xfer_mechanism_name(mechanism)) == 0)
                break;
        if (mechanism == XFER_MECHANISM_COUNT) {
            fprintf(stderr, "usage: xfer-wdm1 [buffered|direct|neither]\n");
            return 2;
        }
    }
    error = xfer_open(mechanism, GENERIC_READ | GENERIC_WRITE, &device);
    if (error != ERROR_SUCCESS) {
        xfer_error_message(error, message, sizeof(message));
        fprintf(stderr, "xfer-wdm1: cannot open the %s device: %s\n",
                xfer_mechanism_name(mechanism), message);
        return 1;
    }
    failed = replay();
    CloseHandle(device);
    return failed;
}
