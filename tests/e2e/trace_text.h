/* SPDX-License-Identifier: MIT */
/*
 * What a trace record may not hold: a kernel address. Shared by the e2e
 * and Plug and Play suites. A pointer printed with %p is a bare run of
 * 2 * sizeof(void *) hexadecimal digits (16 on x64, 8 on x86), with no
 * 0x; unlike a decimal number it has letters or leading zeros. A number
 * printed with 0x and more than 8 digits (a %llx of an address) is
 * caught too. Statuses and control codes (0x plus 8 digits) pass.
 */
#ifndef XFER_TESTS_TRACE_TEXT_H
#define XFER_TESTS_TRACE_TEXT_H

#include <ctype.h>
#include <string.h>

/* Nonzero when `text` (NUL-terminated) holds what looks like an address. */
static inline int e2e_text_has_address(const char *text)
{
    const size_t width = 2 * sizeof(void *);
    const char *p = text;

    while (*p != '\0') {
        const char *start = p;
        size_t digits = 0;
        int letters = 0, hex_prefix = 0;

        if (!isalnum((unsigned char)*p)) {
            p++;
            continue;
        }
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
            hex_prefix = 1;
            p += 2;
        }
        while (isxdigit((unsigned char)*p)) {
            letters |= isalpha((unsigned char)*p);
            digits++;
            p++;
        }
        if (isalnum((unsigned char)*p)) {   /* a word, not a number */
            while (isalnum((unsigned char)*p))
                p++;
            continue;
        }
        if (hex_prefix && digits > 8)
            return 1;
        if (!hex_prefix && digits == width && (letters || start[0] == '0'))
            return 1;
    }
    return 0;
}

#endif /* XFER_TESTS_TRACE_TEXT_H */
