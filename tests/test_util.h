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

#include "core/diag.h"
#include "data/csv.h"

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

/* Fail unless some stored message of d contains needle; prints what was there. */
static inline void expect_msg(const lm_diag *d, const char *needle)
{
    if (lm_diag_contains(d, needle)) return;
    fprintf(stderr, "expected a message containing: %s\ngot %d error(s):\n", needle, d->n_errors);
    lm_diag_print(d, stderr);
    fail_msg("message not found: %s", needle);
}

/* Whole file as a string (caller frees); fails the test if it cannot be read. */
static inline char *read_all(const char *path)
{
    size_t n;
    char *s = lm_read_file(path, &n);
    if (!s) fail_msg("cannot read %s", path);
    return s;
}

static inline void write_all(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

#define assert_rel(actual, expected, rtol)                                                   \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        double tol_ = (rtol) * fmax(1.0, fabs(e_));                                          \
        if (!(fabs(a_ - e_) <= tol_))                                                        \
            fail_msg("%s = %.12g, expected %.12g (tolerance %.3g)", #actual, a_, e_, tol_);  \
    } while (0)

#endif
