/* SPDX-License-Identifier: MIT */
/*
 * xferctl's size parser and printer (tools/xferctl/size.c, portable C),
 * tested natively: units, case, hexadecimal, garbage, and overflow at the
 * exact boundary of every unit.
 */
#include <string.h>
#include "unit.h"
#include "../../tools/xferctl/size.c"

static int parses(const char *text, uint64_t *value)
{
    const char *why = NULL;
    int result = xferctl_parse_size(text, value, &why);

    return result == 0 && why == NULL;
}

static int refused(const char *text)
{
    const char *why = NULL;
    uint64_t value = 1;

    return xferctl_parse_size(text, &value, &why) == -1 && why != NULL && why[0] != '\0' &&
           value == 0;
}

#define ASSERT_SIZE(text, expected)                \
    do {                                           \
        uint64_t parsed_ = 0;                      \
        ASSERT_TRUE(parses((text), &parsed_));     \
        ASSERT_EQ_U64(parsed_, (expected));        \
    } while (0)

TEST(test_size_plain_bytes)
{
    ASSERT_SIZE("0", 0);
    ASSERT_SIZE("1", 1);
    ASSERT_SIZE("4096", 4096);
    ASSERT_SIZE("007", 7);
    ASSERT_SIZE("12B", 12);
    ASSERT_SIZE("12b", 12);
    ASSERT_SIZE("18446744073709551615", UINT64_MAX);
}

TEST(test_size_binary_units)
{
    ASSERT_SIZE("4K", 4096);
    ASSERT_SIZE("4k", 4096);
    ASSERT_SIZE("4KiB", 4096);
    ASSERT_SIZE("4kib", 4096);
    ASSERT_SIZE("1M", 1048576);
    ASSERT_SIZE("1MiB", 1048576);
    ASSERT_SIZE("3G", 3ull << 30);
    ASSERT_SIZE("3GiB", 3ull << 30);
    ASSERT_SIZE("2T", 2ull << 40);
    ASSERT_SIZE("0K", 0);
    ASSERT_SIZE("16777215T", 16777215ull << 40);
}

TEST(test_size_hexadecimal)
{
    ASSERT_SIZE("0x0", 0);
    ASSERT_SIZE("0x1000", 4096);
    ASSERT_SIZE("0XfF", 255);
    ASSERT_SIZE("0xffffffffffffffff", UINT64_MAX);
}

TEST(test_size_garbage_refused)
{
    static const char *const bad[] = {
        "", "K", "-1", "+1", " 1", "1 ", "1.5M", "1e3", "abc", "4KB", "4Ki", "4KiBB",
        "4 K", "1X", "0x", "0xg", "0x1K", "1,000", "4k4", "MiB", "1MIB ", "0x-1",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (!refused(bad[i]))
            unit_fail(__FILE__, __LINE__, "\"%s\" was accepted", bad[i]);
    }
}

TEST(test_size_overflow_refused)
{
    ASSERT_TRUE(refused("18446744073709551616"));
    ASSERT_TRUE(refused("99999999999999999999999"));
    ASSERT_TRUE(refused("16777216T"));               /* 2^64 */
    ASSERT_TRUE(refused("17179869184G"));            /* 2^64 */
    ASSERT_SIZE("17179869183G", 17179869183ull << 30);
    ASSERT_TRUE(refused("17592186044416M"));          /* 2^64 */
    ASSERT_TRUE(refused("18014398509481984K"));       /* 2^64 */
    ASSERT_SIZE("18014398509481983K", 18014398509481983ull << 10);
    ASSERT_TRUE(refused("0x10000000000000000"));
}

TEST(test_size_why_names_the_problem)
{
    const char *why = NULL;
    uint64_t value;

    ASSERT_EQ(xferctl_parse_size("4Q", &value, &why), -1);
    ASSERT_TRUE(strstr(why, "unit") != NULL);
    ASSERT_EQ(xferctl_parse_size("99999999999999999999", &value, &why), -1);
    ASSERT_TRUE(strstr(why, "too large") != NULL);
    ASSERT_EQ(xferctl_parse_size("x", &value, &why), -1);
    ASSERT_TRUE(strstr(why, "not a number") != NULL);
}

TEST(test_size_format)
{
    char text[32];

    ASSERT_TRUE(strcmp(xferctl_format_size(0, text, sizeof(text)), "0 bytes") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(1, text, sizeof(text)), "1 byte") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(1023, text, sizeof(text)), "1023 bytes") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(1024, text, sizeof(text)), "1 KiB") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(1536, text, sizeof(text)), "1.5 KiB") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(64ull << 20, text, sizeof(text)), "64 MiB") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(3ull << 30, text, sizeof(text)), "3 GiB") == 0);
    ASSERT_TRUE(strcmp(xferctl_format_size(UINT64_MAX, text, sizeof(text)), "16.0 EiB") == 0);
}
