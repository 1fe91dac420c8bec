/* results.h - model results as named long tables, independent of where they are written.
 *
 * Each model component extracts its own results into tables (keys + values, units in the
 * value names, e.g. table "capacity", keys zone,tech,year, values capacity_mw,new_mw).  The
 * result store (store.h) writes any table to SQLite and the CSV exporter to files, so a new
 * component adds results without touching either. */
#ifndef LM_RESULTS_H
#define LM_RESULTS_H

#include "core/diag.h"

#define LM_RT_MAXKEYS 6
#define LM_RT_MAXVALS 8

typedef struct lm_result_table {
    char *name;                       /* SQL/CSV-safe: [a-z0-9_] */
    int n_keys, n_vals;
    char *key_names[LM_RT_MAXKEYS];
    int key_is_int[LM_RT_MAXKEYS];    /* 1 = integer key (year, month, hour, station id) */
    char *val_names[LM_RT_MAXVALS];
    int n_rows, cap_rows;
    const char **keys;                /* n_rows * n_keys; pointers into the results' string
                                         pool (or static strings); integer keys as text */
    double *vals;                     /* n_rows * n_vals */
} lm_result_table;

typedef struct lm_scalar {
    char *name;   /* e.g. "objective_musd", "cost_fuel_musd" */
    double value;
} lm_scalar;

typedef struct lm_results {
    int n_tables, cap_tables;
    lm_result_table **tables;
    int n_scalars, cap_scalars;
    lm_scalar *scalars;
    /* string pool for keys */
    int n_strings, cap_strings;
    char **strings;
} lm_results;

lm_results *lm_results_new(void);
void lm_results_free(lm_results *r);

/* Add a table: keys and vals are comma-separated names; integer keys are marked with a
 * leading '#', e.g. lm_results_table(r, "capacity", "zone,tech,#year", "capacity_mw,new_mw"). */
lm_result_table *lm_results_table(lm_results *r, const char *name, const char *keys,
                                  const char *vals);
/* Append a row; keys[] and vals[] have n_keys and n_vals entries.  Key strings are copied
 * into the pool (identical strings are shared). */
void lm_results_row(lm_results *r, lm_result_table *t, const char *const *keys,
                    const double *vals);
/* Convenience for integer keys. */
const char *lm_results_intern_int(lm_results *r, long v);
const char *lm_results_intern(lm_results *r, const char *s);

void lm_results_scalar(lm_results *r, const char *name, double value);
const lm_result_table *lm_results_find(const lm_results *r, const char *name);
int lm_results_find_scalar(const lm_results *r, const char *name, double *value);

/* Move every table and scalar of `src` into `dst` (keys re-interned in dst's pool) and free
 * src. */
void lm_results_absorb(lm_results *dst, lm_results *src);

/* Write every table as DIR/<name>.csv (and scalars.csv); creates DIR. */
int lm_results_write_csv(const lm_results *r, const char *dir, lm_diag *d);

#endif
