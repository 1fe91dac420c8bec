/* store.h - the SQLite result store: one file, WAL mode, one row per run, result tables.
 *
 * Schema (docs/results.md): table `runs` (id, started_at, finished_at, status, plan_name,
 * plan_path, plan_hash, dataset_name, dataset_hash, program_version, solver, method,
 * objective_musd, n_rows, n_cols, n_nonzeros, load_s, build_s, solve_s, write_s, message),
 * table `run_scalars` (run_id, name, value), and one table `r_<name>` per result table with a
 * leading run_id column.  A run is first recorded as status 'running' and committed; its
 * results and final status are written in one transaction, so a run interrupted by a signal
 * or a crash leaves either nothing or everything of that run, and earlier runs untouched.
 * Runs left 'running' by a dead process are marked 'interrupted' when the store is opened. */
#ifndef LM_STORE_H
#define LM_STORE_H

#include <stdint.h>

#include "core/diag.h"
#include "store/results.h"

typedef struct lm_store lm_store;

typedef struct lm_run_info {
    const char *plan_name, *plan_path, *plan_hash;
    const char *dataset_name, *dataset_hash;
    const char *solver, *method;
} lm_run_info;

typedef struct lm_run_outcome {
    const char *status;     /* "optimal", "infeasible", "time_limit", "interrupted", ... */
    double objective_musd;  /* NaN if none */
    int n_rows, n_cols;
    long n_nonzeros;
    double load_s, build_s, solve_s, write_s;
    const char *message;    /* may be NULL */
} lm_run_outcome;

int lm_store_open(lm_store **out, const char *path, lm_diag *d);
void lm_store_close(lm_store *s);

/* Record a new run (status 'running'); returns its id in *run_id. */
int lm_store_begin_run(lm_store *s, const lm_run_info *info, int64_t *run_id, lm_diag *d);
/* Write results (may be NULL) and the outcome of a run in one transaction. */
int lm_store_finish_run(lm_store *s, int64_t run_id, const lm_results *res,
                        const lm_run_outcome *out, lm_diag *d);

/* Read a run's results back (all tables and scalars); for reports and tests. */
int lm_store_load_results(lm_store *s, int64_t run_id, lm_results **out, lm_diag *d);
/* Add result tables and scalars to a finished run, replacing rows of the same tables and
 * scalars of the same names that the run already has, in one transaction: on any error
 * nothing is changed.  Used by `lmplan assess`. */
int lm_store_add_results(lm_store *s, int64_t run_id, const lm_results *res, lm_diag *d);

/* The identifying fields of a run, and how many completed runs share its dataset hash. */
typedef struct lm_run_record {
    char *status, *plan_name, *plan_path, *plan_hash, *dataset_name, *dataset_hash;
    int n_runs_same_dataset;
} lm_run_record;
int lm_store_run_record(lm_store *s, int64_t run_id, lm_run_record *out, lm_diag *d);
void lm_run_record_free(lm_run_record *r);

/* Latest run id (0 if none). */
int64_t lm_store_latest_run(lm_store *s);
/* The status text of a run into buf; -1 if no such run. */
int lm_store_run_status(lm_store *s, int64_t run_id, char *buf, int n);

#endif
