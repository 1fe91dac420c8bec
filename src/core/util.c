/* util.c - checked allocation, strings, paths, time and number parsing (see util.h). */
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static void oom(size_t n)
{
    fprintf(stderr, "lmplan: out of memory allocating %zu bytes\n", n);
    abort();
}

void *lm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *lm_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) oom(count * size);
    return p;
}

void *lm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *lm_xstrdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = lm_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

char *lm_xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = lm_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void lm_grow(void *arr_ptr, int *cap, int need, size_t size)
{
    if (need <= *cap) return;
    int c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    void **arr = arr_ptr;
    *arr = lm_xrealloc(*arr, (size_t)c * size);
    *cap = c;
}

char *lm_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return lm_xstrdup(".");
    if (slash == path) return lm_xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *d = lm_xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = 0;
    return d;
}

char *lm_path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0) return lm_xstrdup(rel);
    return lm_xasprintf("%s/%s", dir, rel);
}

int lm_path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lm_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int lm_mkdir_p(const char *path)
{
    char *p = lm_xstrdup(path);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/') continue;
        *c = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) { free(p); return -1; }
        *c = '/';
    }
    int rc = mkdir(p, 0777);
    free(p);
    return (rc == 0 || errno == EEXIST) && lm_path_is_dir(path) ? 0 : -1;
}

double lm_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int lm_parse_double(const char *s, double *out, int allow_inf)
{
    if (!s || !*s) return -1;
    if (strcasecmp(s, "inf") == 0 || strcasecmp(s, "+inf") == 0 ||
        strcasecmp(s, "infinity") == 0) {
        if (!allow_inf) return -1;
        *out = INFINITY;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != 0 || errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int lm_parse_int(const char *s, long *out)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != 0 || errno == ERANGE) {
        /* accept integral floats written like "193.0" */
        double d;
        if (lm_parse_double(s, &d, 0) == 0 && d == (double)(long)d) {
            *out = (long)d;
            return 0;
        }
        return -1;
    }
    *out = v;
    return 0;
}

int lm_find_name(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}
