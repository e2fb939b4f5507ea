/* SPDX-License-Identifier: MIT */
/*
 * xferctl: parsing and printing sizes. See size.h.
 */
#include <stdio.h>
#include "size.h"

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether `text` is `unit` or `unit` + "iB" (any case): "k", "kib". */
static int unit_is(const char *text, char unit)
{
    if (lower((unsigned char)text[0]) != unit)
        return 0;
    if (text[1] == '\0')
        return 1;
    return lower((unsigned char)text[1]) == 'i' && lower((unsigned char)text[2]) == 'b' &&
           text[3] == '\0';
}

/* The shift of the unit at `text` ("" and "B": 0); -1 if not a unit. */
static int unit_shift(const char *text)
{
    static const struct {
        char letter;
        int shift;
    } units[] = { { 'k', 10 }, { 'm', 20 }, { 'g', 30 }, { 't', 40 } };
    size_t i;

    if (text[0] == '\0' || ((text[0] == 'b' || text[0] == 'B') && text[1] == '\0'))
        return 0;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (unit_is(text, units[i].letter))
            return units[i].shift;
    return -1;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int xferctl_parse_size(const char *text, uint64_t *value, const char **why)
{
    const char *p = text;
    uint64_t n = 0;
    int shift, digit;

    *value = 0;
    if (text == NULL || *text == '\0') {
        *why = "empty";
        return -1;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (*p == '\0') {
            *why = "no digits after 0x";
            return -1;
        }
        for (; *p != '\0'; p++) {
            digit = hex_digit((unsigned char)*p);
            if (digit < 0) {
                *why = "not a hexadecimal number";
                return -1;
            }
            if (n > (UINT64_MAX >> 4)) {
                *why = "too large (more than 2^64 - 1)";
                return -1;
            }
            n = (n << 4) | (uint64_t)digit;
        }
        *value = n;
        return 0;
    }
    if (*p < '0' || *p > '9') {
        *why = "not a number (expected digits with an optional unit: 4096, 4K, 1M, 1G)";
        return -1;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        digit = *p - '0';
        if (n > (UINT64_MAX - (uint64_t)digit) / 10) {
            *why = "too large (more than 2^64 - 1)";
            return -1;
        }
        n = n * 10 + (uint64_t)digit;
    }
    shift = unit_shift(p);
    if (shift < 0) {
        *why = "unknown unit (use K, M, G or T, or KiB, MiB, GiB, TiB: 1024-based)";
        return -1;
    }
    if (shift > 0 && n > (UINT64_MAX >> shift)) {
        *why = "too large (more than 2^64 - 1)";
        return -1;
    }
    *value = n << shift;
    return 0;
}

char *xferctl_format_size(uint64_t value, char *buffer, size_t size)
{
    static const char *const names[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int unit = -1;
    uint64_t scale = 1;

    while (unit + 1 < 6 && value >= (scale << 10)) {
        scale <<= 10;
        unit++;
    }
    if (unit < 0)
        snprintf(buffer, size, "%llu byte%s", (unsigned long long)value, value == 1 ? "" : "s");
    else if (value % scale == 0)
        snprintf(buffer, size, "%llu %s", (unsigned long long)(value / scale), names[unit]);
    else
        snprintf(buffer, size, "%.1f %s", (double)value / (double)scale, names[unit]);
    return buffer;
}
