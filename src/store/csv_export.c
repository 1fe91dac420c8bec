/* csv_export.c - writes lm_results as CSV files (lm_results_write_csv, see results.h).
 *
 * One file per table, DIR/<name>.csv: a header row of the key names then the value names,
 * one line per row.  RFC 4180 quoting (a field holding a comma, quote, CR or LF is enclosed
 * in quotes, quotes doubled), lines end in LF.  Values are printed with %.17g so that they
 * read back to the same double; NaN is an empty field, infinities are "inf"/"-inf".  Scalars
 * go to DIR/scalars.csv (name,value).  Each file is written to a temporary name in DIR and
 * renamed into place, so a reader never sees a half-written file.  Layout: docs/results.md. */
#include "core/util.h"
#include "store/results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lm_results_check_table(const lm_result_table *t, lm_diag *d); /* results.c */

/* mkdir -p: create every missing component of `dir`. */
static int make_dirs(const char *dir, lm_diag *d)
{
    char *p = lm_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != 0) continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            lm_diag_error(d, "cannot create directory \"%s\": %s", p, strerror(errno));
            rc = -1;
        } else if (!lm_path_is_dir(p)) {
            lm_diag_error(d, "cannot create directory \"%s\": a file of that name exists", p);
            rc = -1;
        }
        *s = c;
        if (rc || c == 0) break;
        while (s[1] == '/') s++;
        if (s[1] == 0) break;
    }
    free(p);
    return rc;
}

static void put_field(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"') putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

static void put_number(FILE *f, double v)
{
    if (isnan(v)) return;
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", f);
        return;
    }
    fprintf(f, "%.17g", v);
}

static void write_table(FILE *f, const lm_result_table *t)
{
    for (int j = 0; j < t->n_keys + t->n_vals; j++) {
        if (j) putc(',', f);
        fputs(j < t->n_keys ? t->key_names[j] : t->val_names[j - t->n_keys], f);
    }
    putc('\n', f);
    for (int i = 0; i < t->n_rows; i++) {
        const char *const *k = t->keys + (size_t)i * (size_t)t->n_keys;
        const double *v = t->vals + (size_t)i * (size_t)t->n_vals;
        for (int j = 0; j < t->n_keys; j++) {
            if (j) putc(',', f);
            put_field(f, k[j]);
        }
        for (int j = 0; j < t->n_vals; j++) {
            if (j || t->n_keys) putc(',', f);
            put_number(f, v[j]);
        }
        putc('\n', f);
    }
}

static void write_scalars(FILE *f, const lm_results *r)
{
    fputs("name,value\n", f);
    for (int i = 0; i < r->n_scalars; i++) {
        put_field(f, r->scalars[i].name);
        putc(',', f);
        put_number(f, r->scalars[i].value);
        putc('\n', f);
    }
}

/* Write DIR/<base>.csv through a temporary file; exactly one of t / r is used. */
static int write_file(const char *dir, const char *base, const lm_result_table *t,
                      const lm_results *r, lm_diag *d)
{
    char *path = lm_xasprintf("%s/%s.csv", dir, base);
    char *tmp = lm_xasprintf("%s/.%s.csv.%ld.tmp", dir, base, (long)getpid());
    int rc = -1;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        lm_diag_error(d, "cannot write \"%s\": %s", path, strerror(errno));
        goto out;
    }
    if (t)
        write_table(f, t);
    else
        write_scalars(f, r);
    int werr = ferror(f) ? (errno ? errno : EIO) : 0;
    if (fclose(f) != 0 && !werr) werr = errno;
    if (werr) {
        lm_diag_error(d, "cannot write \"%s\": %s", path, strerror(werr));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        lm_diag_error(d, "cannot write \"%s\": %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(path);
    free(tmp);
    return rc;
}

int lm_results_write_csv(const lm_results *r, const char *dir, lm_diag *d)
{
    if (!dir || !*dir) {
        lm_diag_error(d, "CSV export: no output directory given");
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < r->n_tables; i++) {
        if (lm_results_check_table(r->tables[i], d) != 0) rc = -1;
        else if (strcmp(r->tables[i]->name, "scalars") == 0) {
            lm_diag_error(d, "result table \"scalars\" would overwrite scalars.csv in \"%s\"",
                          dir);
            rc = -1;
        }
    }
    if (rc || make_dirs(dir, d) != 0) return -1;
    for (int i = 0; i < r->n_tables; i++)
        if (write_file(dir, r->tables[i]->name, r->tables[i], NULL, d) != 0) return -1;
    return write_file(dir, "scalars", NULL, r, d);
}
