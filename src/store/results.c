/* results.c - in-memory result tables (see results.h): named long tables of keys and values,
 * scalars, and a string pool that interns key text so that 100k+ rows with repeated keys
 * ("VNM", "solar", "2035") hold one copy of each distinct string.
 *
 * The pool is an open-addressing hash set kept in the header's own fields: `strings` has
 * `cap_strings` slots (a power of two, NULL = empty), `n_strings` of them used, load factor at
 * most 1/2, linear probing on an FNV-1a hash.  Slots are not dense; iterate all cap_strings.
 *
 * Names of tables and columns are checked here ([a-z][a-z0-9_]*, at most LM_RT_NAME_MAX
 * characters) because the result store uses them as SQL identifiers and the CSV exporter as
 * file names; lm_results_check_table re-checks a table before either writes it, since the
 * structs are public and may have been filled by hand. */
#include "store/results.h"
#include "core/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LM_RT_NAME_MAX 63

/* Not in results.h (the store and the CSV exporter share them); see the report/docs. */
int lm_results_name_ok(const char *s);
int lm_results_check_table(const lm_result_table *t, lm_diag *d);

int lm_results_name_ok(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z')) return 0;
    size_t n = 1;
    for (const char *p = s + 1; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return n <= LM_RT_NAME_MAX;
}

lm_results *lm_results_new(void) { return lm_xcalloc(1, sizeof(lm_results)); }

static void table_free(lm_result_table *t)
{
    if (!t) return;
    free(t->name);
    for (int i = 0; i < t->n_keys; i++) free(t->key_names[i]);
    for (int i = 0; i < t->n_vals; i++) free(t->val_names[i]);
    free(t->keys);
    free(t->vals);
    free(t);
}

void lm_results_free(lm_results *r)
{
    if (!r) return;
    for (int i = 0; i < r->n_tables; i++) table_free(r->tables[i]);
    free(r->tables);
    for (int i = 0; i < r->n_scalars; i++) free(r->scalars[i].name);
    free(r->scalars);
    for (int i = 0; i < r->cap_strings; i++) free(r->strings[i]);
    free(r->strings);
    free(r);
}

/* ---- string pool ---------------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void pool_grow(lm_results *r)
{
    int cap = r->cap_strings ? 2 * r->cap_strings : 256;
    char **slots = lm_xcalloc((size_t)cap, sizeof *slots);
    size_t mask = (size_t)cap - 1;
    for (int i = 0; i < r->cap_strings; i++) {
        char *s = r->strings[i];
        if (!s) continue;
        size_t j = (size_t)hash_str(s) & mask;
        while (slots[j]) j = (j + 1) & mask;
        slots[j] = s;
    }
    free(r->strings);
    r->strings = slots;
    r->cap_strings = cap;
}

const char *lm_results_intern(lm_results *r, const char *s)
{
    if (!s) return NULL;
    if (2 * (r->n_strings + 1) > r->cap_strings) pool_grow(r);
    size_t mask = (size_t)r->cap_strings - 1;
    size_t j = (size_t)hash_str(s) & mask;
    for (char *p; (p = r->strings[j]) != NULL; j = (j + 1) & mask)
        if (p == s || strcmp(p, s) == 0) return p;
    r->strings[j] = lm_xstrdup(s);
    r->n_strings++;
    return r->strings[j];
}

/* Digits by hand: components intern years and hours for every row, snprintf is 5x slower. */
const char *lm_results_intern_int(lm_results *r, long v)
{
    char buf[32], *p = buf + sizeof buf - 1;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    *p = 0;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return lm_results_intern(r, p);
}

/* ---- tables --------------------------------------------------------------------------- */

/* Split "zone,tech,#year" into names (and int flags when `flags` is given).  Returns the
 * count, or -1 if an item is empty, not a valid name, duplicated, or there are more than
 * `max`.  Names are allocated into out[]; on failure nothing stays allocated. */
static int parse_names(const char *spec, char **out, int *flags, int max)
{
    int n = 0;
    const char *p = spec ? spec : "";
    while (*p == ' ') p++;
    if (!*p) return 0;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && p[len - 1] == ' ') len--;
        int is_int = 0;
        if (flags && len && *p == '#') {
            is_int = 1;
            p++;
            len--;
        }
        if (n == max) goto fail;
        out[n] = lm_xmalloc(len + 1);
        memcpy(out[n], p, len);
        out[n][len] = 0;
        if (flags) flags[n] = is_int;
        n++;
        if (!lm_results_name_ok(out[n - 1]) || strcmp(out[n - 1], "run_id") == 0) goto fail;
        if (!end) break;
        p = end + 1;
        while (*p == ' ') p++;
    }
    return n;
fail:
    for (int i = 0; i < n; i++) free(out[i]);
    return -1;
}

static int same_layout(const lm_result_table *t, const lm_result_table *u)
{
    if (t->n_keys != u->n_keys || t->n_vals != u->n_vals) return 0;
    for (int i = 0; i < t->n_keys; i++)
        if (strcmp(t->key_names[i], u->key_names[i]) || t->key_is_int[i] != u->key_is_int[i])
            return 0;
    for (int i = 0; i < t->n_vals; i++)
        if (strcmp(t->val_names[i], u->val_names[i])) return 0;
    return 1;
}

/* Duplicate column names within a table, or none at all. */
static int bad_columns(const lm_result_table *t)
{
    if (t->n_keys + t->n_vals == 0) return 1;
    for (int i = 0; i < t->n_keys + t->n_vals; i++)
        for (int j = i + 1; j < t->n_keys + t->n_vals; j++) {
            const char *a = i < t->n_keys ? t->key_names[i] : t->val_names[i - t->n_keys];
            const char *b = j < t->n_keys ? t->key_names[j] : t->val_names[j - t->n_keys];
            if (strcmp(a, b) == 0) return 1;
        }
    return 0;
}

/* Returns NULL on a programming error: invalid or duplicate names, more than LM_RT_MAXKEYS
 * keys or LM_RT_MAXVALS values, no columns, or an existing table of that name with other
 * columns.  Asking again for a table with the same columns returns the existing one. */
lm_result_table *lm_results_table(lm_results *r, const char *name, const char *keys,
                                  const char *vals)
{
    if (!lm_results_name_ok(name)) return NULL;
    lm_result_table *t = lm_xcalloc(1, sizeof *t);
    t->n_keys = parse_names(keys, t->key_names, t->key_is_int, LM_RT_MAXKEYS);
    t->n_vals = parse_names(vals, t->val_names, NULL, LM_RT_MAXVALS);
    if (t->n_keys < 0 || t->n_vals < 0 || bad_columns(t)) {
        if (t->n_keys < 0) t->n_keys = 0;
        if (t->n_vals < 0) t->n_vals = 0;
        table_free(t);
        return NULL;
    }
    t->name = lm_xstrdup(name);
    for (int i = 0; i < r->n_tables; i++) {
        if (strcmp(r->tables[i]->name, name) != 0) continue;
        lm_result_table *old = same_layout(r->tables[i], t) ? r->tables[i] : NULL;
        table_free(t);
        return old;
    }
    lm_grow(&r->tables, &r->cap_tables, r->n_tables + 1, sizeof *r->tables);
    r->tables[r->n_tables++] = t;
    return t;
}

void lm_results_row(lm_results *r, lm_result_table *t, const char *const *keys,
                    const double *vals)
{
    if (t->n_rows == t->cap_rows) {
        int cap = t->cap_rows ? 2 * t->cap_rows : 64;
        if (t->n_keys)
            t->keys = lm_xrealloc(t->keys, (size_t)cap * (size_t)t->n_keys * sizeof *t->keys);
        if (t->n_vals)
            t->vals = lm_xrealloc(t->vals, (size_t)cap * (size_t)t->n_vals * sizeof *t->vals);
        t->cap_rows = cap;
    }
    const char **k = t->keys + (size_t)t->n_rows * (size_t)t->n_keys;
    for (int i = 0; i < t->n_keys; i++) k[i] = lm_results_intern(r, keys[i]);
    if (t->n_vals)
        memcpy(t->vals + (size_t)t->n_rows * (size_t)t->n_vals, vals,
               (size_t)t->n_vals * sizeof *vals);
    t->n_rows++;
}

/* Setting a scalar that exists replaces its value. */
void lm_results_scalar(lm_results *r, const char *name, double value)
{
    for (int i = 0; i < r->n_scalars; i++)
        if (strcmp(r->scalars[i].name, name) == 0) {
            r->scalars[i].value = value;
            return;
        }
    lm_grow(&r->scalars, &r->cap_scalars, r->n_scalars + 1, sizeof *r->scalars);
    r->scalars[r->n_scalars].name = lm_xstrdup(name);
    r->scalars[r->n_scalars].value = value;
    r->n_scalars++;
}

const lm_result_table *lm_results_find(const lm_results *r, const char *name)
{
    for (int i = 0; i < r->n_tables; i++)
        if (strcmp(r->tables[i]->name, name) == 0) return r->tables[i];
    return NULL;
}

/* 0 and *value set if the scalar exists, -1 otherwise. */
int lm_results_find_scalar(const lm_results *r, const char *name, double *value)
{
    for (int i = 0; i < r->n_scalars; i++)
        if (strcmp(r->scalars[i].name, name) == 0) {
            if (value) *value = r->scalars[i].value;
            return 0;
        }
    return -1;
}

/* Everything a writer relies on: valid, distinct names (none "run_id"), counts in range,
 * arrays present for the rows.  Records one error naming the table. */
int lm_results_check_table(const lm_result_table *t, lm_diag *d)
{
    if (!t || !lm_results_name_ok(t->name)) {
        lm_diag_error(d, "result table name \"%s\" is not a valid name ([a-z][a-z0-9_]*, at "
                         "most %d characters)",
                      t && t->name ? t->name : "(null)", LM_RT_NAME_MAX);
        return -1;
    }
    if (t->n_keys < 0 || t->n_keys > LM_RT_MAXKEYS || t->n_vals < 0 ||
        t->n_vals > LM_RT_MAXVALS || t->n_rows < 0) {
        lm_diag_error(d, "result table %s: %d keys, %d values, %d rows out of range "
                         "(at most %d keys and %d values)",
                      t->name, t->n_keys, t->n_vals, t->n_rows, LM_RT_MAXKEYS, LM_RT_MAXVALS);
        return -1;
    }
    for (int i = 0; i < t->n_keys + t->n_vals; i++) {
        const char *c = i < t->n_keys ? t->key_names[i] : t->val_names[i - t->n_keys];
        if (!lm_results_name_ok(c) || strcmp(c, "run_id") == 0) {
            lm_diag_error(d, "result table %s: column name \"%s\" is not a valid name "
                             "([a-z][a-z0-9_]*, not run_id)",
                          t->name, c ? c : "(null)");
            return -1;
        }
    }
    if (bad_columns(t)) {
        lm_diag_error(d, "result table %s: no columns, or a column name used twice", t->name);
        return -1;
    }
    if (t->n_rows > 0 && ((t->n_keys && !t->keys) || (t->n_vals && !t->vals))) {
        lm_diag_error(d, "result table %s: %d rows but no key or value array", t->name,
                      t->n_rows);
        return -1;
    }
    return 0;
}

void lm_results_absorb(lm_results *dst, lm_results *src)
{
    if (!src) return;
    for (int i = 0; i < src->n_tables; i++) {
        lm_result_table *t = src->tables[i];
        size_t n = (size_t)t->n_rows * (size_t)t->n_keys;
        for (size_t j = 0; j < n; j++) t->keys[j] = lm_results_intern(dst, t->keys[j]);
        lm_grow(&dst->tables, &dst->cap_tables, dst->n_tables + 1, sizeof *dst->tables);
        dst->tables[dst->n_tables++] = t;
    }
    src->n_tables = 0;
    for (int i = 0; i < src->n_scalars; i++)
        lm_results_scalar(dst, src->scalars[i].name, src->scalars[i].value);
    lm_results_free(src);
}
