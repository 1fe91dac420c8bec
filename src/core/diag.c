/* diag.c - error and warning collection (see diag.h). */
#include "core/diag.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void lm_diag_init(lm_diag *d) { memset(d, 0, sizeof *d); }

void lm_diag_clear(lm_diag *d)
{
    for (int i = 0; i < d->n_stored; i++) free(d->messages[i]);
    free(d->messages);
    memset(d, 0, sizeof *d);
}

void lm_diag_free(lm_diag *d) { lm_diag_clear(d); }

static void store(lm_diag *d, const char *prefix, const char *fmt, va_list ap)
{
    if (d->n_stored >= LM_DIAG_MAX_STORED) return;
    char body[2048];
    vsnprintf(body, sizeof body, fmt, ap);
    size_t n = strlen(prefix) + strlen(body) + 1;
    char *msg = lm_xmalloc(n);
    snprintf(msg, n, "%s%s", prefix, body);
    d->messages = lm_xrealloc(d->messages, (size_t)(d->n_stored + 1) * sizeof *d->messages);
    d->messages[d->n_stored++] = msg;
}

void lm_diag_error(lm_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    d->n_errors++;
    store(d, "error: ", fmt, ap);
    va_end(ap);
}

void lm_diag_warn(lm_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    d->n_warnings++;
    store(d, "warning: ", fmt, ap);
    va_end(ap);
}

void lm_diag_at(lm_diag *d, const char *file, long line, const char *column, const char *value,
                const char *fmt, ...)
{
    char rule[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    if (value)
        lm_diag_error(d, "%s:%ld:%s: value \"%s\": %s", file, line, column ? column : "-", value,
                      rule);
    else
        lm_diag_error(d, "%s:%ld:%s: %s", file, line, column ? column : "-", rule);
}

void lm_diag_print(const lm_diag *d, FILE *out)
{
    for (int i = 0; i < d->n_stored; i++) fprintf(out, "%s\n", d->messages[i]);
    int lost = d->n_errors + d->n_warnings - d->n_stored;
    if (lost > 0) fprintf(out, "... and %d more messages not shown\n", lost);
}

int lm_diag_contains(const lm_diag *d, const char *needle)
{
    for (int i = 0; i < d->n_stored; i++)
        if (strstr(d->messages[i], needle)) return 1;
    return 0;
}
