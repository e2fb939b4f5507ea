/* SPDX-License-Identifier: MIT */
/*
 * A tiny unit test runner.
 *
 *   TEST(test_store_something) { ASSERT_EQ(1, 1); }
 *
 * TEST registers the function from a constructor, so a test file needs no
 * list of its own. A failing ASSERT_* records the first message of the test
 * and returns from the function it is in; helpers that assert should return
 * void and be followed by UNIT_RETURN_IF_FAILED() in the caller, or return
 * a flag. unit_fail() records a failure without returning (for code that is
 * not the test body, e.g. an allocator callback). unit_skip() marks a test
 * that cannot run on this platform.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdint.h>
#include <stddef.h>

typedef void (*unit_fn)(void);
typedef void (*unit_case_fn)(const void *arg);

void unit_register(const char *name, unit_fn fn);
/* Registers one case of a table-driven test: `fn(arg)` runs as a test of
 * its own, named `name` (which must outlive the run). */
void unit_register_case(const char *name, unit_case_fn fn, const void *arg);
void unit_fail(const char *file, int line, const char *fmt, ...)
#if defined(__MINGW32__)
    /* mingw checks plain `printf` against msvcrt's dialect, which lacks %zu;
     * the tests are built with mingw's C99 printf. */
    __attribute__((format(gnu_printf, 3, 4)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Nonzero once the running test has failed. */
int unit_failed(void);
/* Marks the running test skipped: it cannot run here, for `reason`. The
 * runner prints "SKIP name: reason" and counts it as neither passed nor
 * failed (unless it also failed). The caller returns after it. */
void unit_skip(const char *reason);

/* A program's own options, around the run (the end-to-end suite's
 * --install). `before` sees argc and argv first and returns the argc left
 * once it has taken its options out of argv, or -1 to end the program
 * (exit status 2); `after` gets the run's exit status once the tests have
 * run and returns the one to exit with. Set from a constructor. */
typedef int (*unit_before_fn)(int argc, char **argv);
typedef int (*unit_after_fn)(int status);
void unit_set_hooks(unit_before_fn before, unit_after_fn after);

#define TEST(name)                                                        \
    static void name(void);                                               \
    __attribute__((constructor)) static void name##_register(void)       \
    {                                                                     \
        unit_register(#name, name);                                       \
    }                                                                     \
    static void name(void)

#define UNIT_RETURN_IF_FAILED() \
    do {                        \
        if (unit_failed())      \
            return;             \
    } while (0)

#define ASSERT_TRUE(cond)                                              \
    do {                                                               \
        if (!(cond)) {                                                 \
            unit_fail(__FILE__, __LINE__, "expected true: %s", #cond); \
            return;                                                    \
        }                                                              \
    } while (0)

/* Compares as unsigned 64-bit values: fine for sizes, counts, statuses. */
#define ASSERT_EQ_U64(a, b)                                                 \
    do {                                                                    \
        uint64_t unit_a_ = (uint64_t)(a), unit_b_ = (uint64_t)(b);          \
        if (unit_a_ != unit_b_) {                                           \
            unit_fail(__FILE__, __LINE__,                                   \
                      "%s == %s: 0x%llx (%llu) != 0x%llx (%llu)", #a, #b,   \
                      (unsigned long long)unit_a_,                          \
                      (unsigned long long)unit_a_,                          \
                      (unsigned long long)unit_b_,                          \
                      (unsigned long long)unit_b_);                         \
            return;                                                         \
        }                                                                   \
    } while (0)

/* Compares as signed 64-bit values. */
#define ASSERT_EQ(a, b)                                                     \
    do {                                                                    \
        long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);       \
        if (unit_a_ != unit_b_) {                                           \
            unit_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, \
                      unit_a_, unit_b_);                                    \
            return;                                                         \
        }                                                                   \
    } while (0)

/* Reports the first differing byte offset and both byte values. */
#define ASSERT_MEM_EQ(a, b, n)                                              \
    do {                                                                    \
        size_t unit_at_ = unit_mem_diff((a), (b), (n));                     \
        if (unit_at_ != (size_t)-1) {                                       \
            unit_fail(__FILE__, __LINE__,                                   \
                      "%s == %s (%zu bytes): differ at %zu: 0x%02x != "     \
                      "0x%02x",                                             \
                      #a, #b, (size_t)(n), unit_at_,                        \
                      ((const unsigned char *)(a))[unit_at_],               \
                      ((const unsigned char *)(b))[unit_at_]);              \
            return;                                                         \
        }                                                                   \
    } while (0)

/* Offset of the first differing byte, or (size_t)-1 when equal. */
size_t unit_mem_diff(const void *a, const void *b, size_t n);

#endif /* UNIT_H */
