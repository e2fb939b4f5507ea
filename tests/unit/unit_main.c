/* SPDX-License-Identifier: MIT */
/*
 * Runner for the native unit tests.
 *
 *   unit_tests            run every test
 *   unit_tests PATTERN... run the tests whose name contains any PATTERN
 *   unit_tests --list     print the test names
 *
 * Prints "PASS name", "FAIL name: file:line: message" or "SKIP name: reason"
 * per test and, last, "N passed, N failed" (followed by ", N skipped" when
 * a test was skipped). Exits 0 only when no test failed.
 */
#include "unit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define UNIT_MAX_TESTS 512

struct unit_test {
    const char *name;
    unit_fn fn;            /* a plain test, or */
    unit_case_fn case_fn;  /* one case of a table, run with arg */
    const void *arg;
};

static struct unit_test tests[UNIT_MAX_TESTS];
static size_t test_count;
static int too_many;

static int current_failed;
static char current_message[1024];
static const char *current_skip;   /* the reason, once unit_skip() is called */

static void add_test(const char *name, unit_fn fn, unit_case_fn case_fn, const void *arg)
{
    if (test_count == UNIT_MAX_TESTS) {
        too_many = 1;
        return;
    }
    tests[test_count].name = name;
    tests[test_count].fn = fn;
    tests[test_count].case_fn = case_fn;
    tests[test_count].arg = arg;
    test_count++;
}

void unit_register(const char *name, unit_fn fn)
{
    add_test(name, fn, NULL, NULL);
}

void unit_register_case(const char *name, unit_case_fn fn, const void *arg)
{
    add_test(name, NULL, fn, arg);
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int used;

    if (current_failed)
        return;   /* keep the first message: later ones tend to follow */
    current_failed = 1;
    used = snprintf(current_message, sizeof(current_message), "%s:%d: ",
                    file, line);
    if (used < 0 || (size_t)used >= sizeof(current_message))
        return;
    va_start(ap, fmt);
    vsnprintf(current_message + used, sizeof(current_message) - (size_t)used,
              fmt, ap);
    va_end(ap);
}

int unit_failed(void)
{
    return current_failed;
}

void unit_skip(const char *reason)
{
    current_skip = reason != NULL ? reason : "";
}

size_t unit_mem_diff(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a, *pb = b;
    size_t i;

    if (memcmp(pa, pb, n) == 0)
        return (size_t)-1;
    for (i = 0; pa[i] == pb[i]; i++)
        ;
    return i;
}

static unit_before_fn before_hook;
static unit_after_fn after_hook;

void unit_set_hooks(unit_before_fn before, unit_after_fn after)
{
    before_hook = before;
    after_hook = after;
}

/* Whether a test of this name runs: no pattern, or any one in its name. */
static int selected(const char *name, int argc, char **argv)
{
    int i;

    if (argc < 2)
        return 1;
    for (i = 1; i < argc; i++)
        if (strstr(name, argv[i]) != NULL)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *pattern;
    unsigned passed = 0, failed = 0, skipped = 0;
    int status;
    size_t i;

    if (before_hook != NULL && (argc = before_hook(argc, argv)) < 0)
        return 2;
    pattern = argc > 1 ? argv[1] : NULL;
    if (too_many) {
        fprintf(stderr, "more than %d tests: raise UNIT_MAX_TESTS\n",
                UNIT_MAX_TESTS);
        return 2;
    }
    if (pattern != NULL && strcmp(pattern, "--list") == 0) {
        for (i = 0; i < test_count; i++)
            printf("%s\n", tests[i].name);
        return 0;
    }
    for (i = 0; i < test_count; i++) {
        if (!selected(tests[i].name, argc, argv))
            continue;
        current_failed = 0;
        current_message[0] = '\0';
        current_skip = NULL;
        if (tests[i].fn != NULL)
            tests[i].fn();
        else
            tests[i].case_fn(tests[i].arg);
        if (current_failed) {
            printf("FAIL %s: %s\n", tests[i].name, current_message);
            failed++;
        } else if (current_skip != NULL) {
            printf("SKIP %s: %s\n", tests[i].name, current_skip);
            skipped++;
        } else {
            printf("PASS %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    if (skipped != 0)
        printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
    else
        printf("%u passed, %u failed\n", passed, failed);
    status = failed == 0 ? 0 : 1;
    return after_hook != NULL ? after_hook(status) : status;
}
