/* util.h - small helpers shared by every layer: checked allocation, strings, paths, time.
 *
 * Allocation failure is the one condition the library does not return as an error: the
 * x-functions print a message and abort, since no caller could do better. */
#ifndef LM_UTIL_H
#define LM_UTIL_H

#include <stddef.h>

void *lm_xmalloc(size_t n);
void *lm_xcalloc(size_t count, size_t size);
void *lm_xrealloc(void *p, size_t n);
char *lm_xstrdup(const char *s);
char *lm_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (element size `size`) so that it holds at least `need` elements. */
void lm_grow(void *arr_ptr, int *cap, int need, size_t size);

/* Directory part of a path ("." if none); caller frees. */
char *lm_path_dirname(const char *path);
/* `rel` resolved against directory `dir` unless it is absolute; caller frees. */
char *lm_path_join(const char *dir, const char *rel);
int lm_path_is_dir(const char *path);
int lm_path_exists(const char *path);
/* Create a directory and its parents (like mkdir -p); 0 on success, -1 with errno set. */
int lm_mkdir_p(const char *path);

/* Monotonic wall-clock seconds. */
double lm_now(void);

/* Parse a whole string as a finite or infinite double ("inf" allowed only if allow_inf);
 * returns 0 on success. */
int lm_parse_double(const char *s, double *out, int allow_inf);
/* Parse a whole string as an integer; returns 0 on success. */
int lm_parse_int(const char *s, long *out);

/* Index of `name` in names[0..n), or -1. */
int lm_find_name(char *const *names, int n, const char *name);

#endif
