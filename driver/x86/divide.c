/* SPDX-License-Identifier: MIT */
/*
 * x86 only: 64-bit unsigned division for a driver with no C runtime.
 *
 * An i686 compiler turns a 64-bit '/' or '%' into a call of libgcc's
 * __udivdi3/__umoddi3. A kernel driver links no libgcc; the kernel itself
 * exports the same operations under MSVC's names, _aulldiv and _aullrem
 * (stdcall: two 64-bit arguments, result in edx:eax), which every x86
 * driver built with the WDK uses. These forward to them. Any IRQL.
 */
#include "xfer_driver.h"

ULONGLONG NTAPI _aulldiv(ULONGLONG Dividend, ULONGLONG Divisor);
ULONGLONG NTAPI _aullrem(ULONGLONG Dividend, ULONGLONG Divisor);

/* The names the compiler calls; declared here to keep -Wmissing-prototypes quiet. */
unsigned long long __udivdi3(unsigned long long Dividend, unsigned long long Divisor);
unsigned long long __umoddi3(unsigned long long Dividend, unsigned long long Divisor);

unsigned long long __udivdi3(unsigned long long Dividend, unsigned long long Divisor)
{
    return _aulldiv(Dividend, Divisor);
}

unsigned long long __umoddi3(unsigned long long Dividend, unsigned long long Divisor)
{
    return _aullrem(Dividend, Divisor);
}
