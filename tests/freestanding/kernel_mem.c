/* SPDX-License-Identifier: MIT */
/*
 * Stand-ins for what the Windows kernel exports to the core, and nothing
 * else: memcpy, memset and memmove (ntoskrnl.exe has all three). mk/native.mk
 * links the freestanding core objects with this file alone, under
 * -nostdlib, so that any other outside symbol fails the link.
 *
 * Built with -fno-builtin so the compiler cannot turn these loops back into
 * calls to themselves. Never run: only linked.
 */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int xfer_freestanding_entry(void);

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;

    while (n-- > 0)
        *d++ = (unsigned char)c;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d < s) {
        while (n-- > 0)
            *d++ = *s++;
    } else {
        while (n-- > 0)
            d[n] = s[n];
    }
    return dst;
}

/* The image's entry point: a DLL needs one, and without a C runtime there
 * is no DllMainCRTStartup to default to. */
int xfer_freestanding_entry(void)
{
    return 1;
}
