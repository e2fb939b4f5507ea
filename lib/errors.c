/* SPDX-License-Identifier: MIT */
/*
 * libxfer: Win32 error codes as readable text.
 */
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"

/* Copies `text` into buffer, cut short if need be. */
static DWORD copy_out(const char *text, char *buffer, size_t size)
{
    size_t length = strlen(text);

    if (length >= size) {
        memcpy(buffer, text, size - 1);
        buffer[size - 1] = '\0';
        return ERROR_INSUFFICIENT_BUFFER;
    }
    memcpy(buffer, text, length + 1);
    return ERROR_SUCCESS;
}

DWORD xfer_error_message(DWORD error, char *buffer, size_t size)
{
    char text[512];
    DWORD length;

    if (buffer == NULL || size == 0)
        return ERROR_INVALID_PARAMETER;
    length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                FORMAT_MESSAGE_MAX_WIDTH_MASK,
                            NULL, error, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text,
                            sizeof(text), NULL);
    if (length >= sizeof(text))
        length = 0;
    /* The system's messages end with a period and a line end, sometimes
     * followed by spaces (FORMAT_MESSAGE_MAX_WIDTH_MASK turns the line end
     * into one): a message is used inside a sentence. */
    while (length > 0 && strchr(" \t\r\n.", text[length - 1]) != NULL)
        length--;
    text[length] = '\0';
    if (length == 0)
        snprintf(text, sizeof(text), "Win32 error %lu", (unsigned long)error);
    return copy_out(text, buffer, size);
}
