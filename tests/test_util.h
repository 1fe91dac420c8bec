/* test_util.h - shared helpers for the cmocka test programs: where fixtures and the shared
 * Xu et al. data live, and relative-tolerance assertions. */
#ifndef LM_TEST_UTIL_H
#define LM_TEST_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

/* Path of a fixture under tests/fixtures (LMPLAN_FIXTURES); static buffer. */
static inline const char *fixture(const char *rel)
{
    static char buf[4][1024];
    static int next;
    const char *root = getenv("LMPLAN_FIXTURES");
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", root ? root : "tests/fixtures", rel);
    return b;
}

/* Folder of the Xu et al. (2025) data: LMPLAN_XU2025_DIR or ../shared/data/mekong-xu2025
 * relative to the source tree. */
static inline const char *xu2025_dir(void)
{
    static char buf[1024];
    const char *env = getenv("LMPLAN_XU2025_DIR");
    if (env && *env) return env;
    const char *src = getenv("LMPLAN_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/../shared/data/mekong-xu2025", src ? src : ".");
    return buf;
}

/* Path of a file in the source tree (LMPLAN_SOURCE_DIR). */
static inline const char *source_path(const char *rel)
{
    static char buf[4][1024];
    static int next;
    const char *src = getenv("LMPLAN_SOURCE_DIR");
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", src ? src : ".", rel);
    return b;
}

#define assert_rel(actual, expected, rtol)                                                   \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        double tol_ = (rtol) * fmax(1.0, fabs(e_));                                          \
        if (!(fabs(a_ - e_) <= tol_))                                                        \
            fail_msg("%s = %.12g, expected %.12g (tolerance %.3g)", #actual, a_, e_, tol_);  \
    } while (0)

#endif
