/* SPDX-License-Identifier: MIT */
/*
 * xferctl's progress bar text (tools/xferctl/progress_bar.c, portable C),
 * tested natively: the bar at 0, half and all of a total, and a transfer
 * that passes its total (a file appended to during `load`), which once
 * wrote past the bar's buffer.
 */
#include <string.h>
#include "unit.h"
#include "../../tools/xferctl/progress_bar.c"

static size_t count_of(const char *text, char c)
{
    size_t n = 0;

    for (; *text != '\0'; text++)
        n += *text == c;
    return n;
}

TEST(test_progress_bar_fills_with_the_total)
{
    char line[160];

    progress_format(line, sizeof(line), "writing", 0, 8u << 20, 1, 1.0);
    ASSERT_TRUE(strstr(line, "writing [..............................]   0%") == line);
    progress_format(line, sizeof(line), "writing", 4u << 20, 8u << 20, 1, 1.0);
    ASSERT_TRUE(strstr(line, "[###############...............]  50%  4 MiB of 8 MiB") != NULL);
    progress_format(line, sizeof(line), "reading", 8u << 20, 8u << 20, 1, 1.0);
    ASSERT_TRUE(strstr(line, "[##############################] 100%") != NULL);
    ASSERT_TRUE(strstr(line, " 8 MB/s") != NULL);
}

TEST(test_progress_past_the_total_is_shown_as_unknown)
{
    char line[160];
    size_t used;

    /* 3 times the total: the old bar put 60 marks into 30 places. */
    used = progress_format(line, sizeof(line), "writing", 24u << 20, 8u << 20, 1, 1.0);
    ASSERT_EQ_U64(used, strlen(line));
    ASSERT_TRUE(strcmp(line, "writing  24 MiB  25 MB/s") == 0);
    ASSERT_EQ_U64(count_of(line, '#'), 0);
    ASSERT_TRUE(strchr(line, '%') == NULL);
}

TEST(test_progress_unknown_and_zero_totals)
{
    char line[160];

    progress_format(line, sizeof(line), "writing", 5u << 20, 0, 0, 0.0);
    ASSERT_TRUE(strcmp(line, "writing  5 MiB  0 MB/s") == 0);
    progress_format(line, sizeof(line), "writing", 5u << 20, 0, 1, 2.0);
    ASSERT_TRUE(strcmp(line, "writing  5 MiB  3 MB/s") == 0);
    /* The largest totals: no overflow in the fraction. */
    progress_format(line, sizeof(line), "reading", UINT64_MAX / 2, UINT64_MAX, 1, 1.0);
    ASSERT_TRUE(strstr(line, "[###############...............]  49%") != NULL ||
                strstr(line, "[###############...............]  50%") != NULL);
}

TEST(test_progress_line_is_cut_to_its_buffer)
{
    char line[12];
    size_t used = progress_format(line, sizeof(line), "writing", 4u << 20, 8u << 20, 1, 1.0);

    ASSERT_EQ_U64(used, sizeof(line) - 1);
    ASSERT_EQ_U64(strlen(line), sizeof(line) - 1);
}
