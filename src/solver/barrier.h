/* barrier.h - the interior-point back end: CLP's primal-dual barrier (ClpInterior) with the
 * normal equations factorised by CHOLMOD (SuiteSparse; supernodal, AMD/METIS ordering, BLAS
 * from OpenBLAS) instead of the native Cholesky of Debian's CLP build, then crossover to an
 * optimal basis.  Before the barrier, CLP's presolve runs and every column with more than
 * `split_len` non-zeros is split into copies linked by equalities (x_copy - x = 0), so that
 * no column makes A D A^T dense (a capacity column of the Mekong model touches all 288 steps
 * of its year; docs/solver.md).  The answer is a basis of the original model: the caller
 * loads it into its own CLP model and finishes with a primal simplex pass that takes no or a
 * few iterations and yields the duals. */
#ifndef LM_SOLVER_BARRIER_H
#define LM_SOLVER_BARRIER_H

#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The LP, column-wise (CSC), infinite bounds as +-DBL_MAX or larger. */
typedef struct lm_barrier_problem {
    int ncols, nrows;
    const int *start; /* ncols + 1 */
    const int *index; /* row of each non-zero */
    const double *value;
    const double *col_lb, *col_ub, *cost, *row_lb, *row_ub;
} lm_barrier_problem;

typedef struct lm_barrier_opts {
    int split_len;       /* split columns longer than this (0 = 100) */
    int log_level;       /* 0 quiet; > 0 CLP's iteration log and a line per phase on stderr */
    double time_limit_s; /* wall seconds for the whole call, 0 = none */
    volatile sig_atomic_t *stop; /* polled; when it becomes non-zero the call stops (may be NULL) */
    int skip_presolve;   /* 1: no CLP presolve before the barrier */
    double regularization; /* > 0: CLP's primal and dual regularisation gamma = delta = this */
} lm_barrier_opts;

typedef enum {
    LM_BARRIER_OK = 0,      /* a basis, optimal for the presolved model, was found */
    LM_BARRIER_FAILED,      /* the barrier or crossover did not reach an optimal basis */
    LM_BARRIER_STOPPED,     /* opts.stop was raised */
    LM_BARRIER_TIME_LIMIT,  /* opts.time_limit_s was reached */
    LM_BARRIER_INFEASIBLE,  /* presolve proved the LP primal or dual infeasible, or the barrier
                             * ended so: the caller proves it with the simplex */
    LM_BARRIER_NOT_TRIED    /* the LP may be unbounded, on which CLP's barrier aborts: left to
                             * the simplex */
} lm_barrier_status;

typedef struct lm_barrier_info {
    lm_barrier_status status;
    int presolved_rows, presolved_cols;
    int split_columns, copies;  /* columns split, copy columns (and link rows) added */
    double normal_nnz;          /* non-zeros of the lower triangle of A D A^T */
    double factor_nnz, factor_flops; /* CHOLMOD's L and flops per factorisation */
    int barrier_iterations, factorizations;
    long crossover_iterations;  /* simplex iterations of crossover and postsolve clean-up */
    long unsplit_iterations;    /* of those, the pass on the model without the copies */
    double objective;           /* of the basis found (without the caller's offset) */
    double seconds_presolve, seconds_barrier, seconds_crossover;
    char message[200];          /* why, when status is not LM_BARRIER_OK */
} lm_barrier_info;

/* Solves `p`.  On LM_BARRIER_OK fills col_status[ncols] and row_status[nrows] with CLP status
 * codes (0 free, 1 basic, 2 at upper, 3 at lower, 4 superbasic, 5 fixed) and x[ncols] with the
 * primal values of the basis.  Always fills `info`; returns info->status. */
int lm_barrier_solve(const lm_barrier_problem *p, const lm_barrier_opts *o, int *col_status,
                     int *row_status, double *x, lm_barrier_info *info);

/* The basis of the split model (barrier.h's copies: q has nc + ncopies columns and
 * nr + ncopies rows, copy c and link row nr + c belonging to column owner[c]) carried back to
 * the model without the copies.  A column and its k copies are one variable: its group
 * (column, k copies, k link-row slacks) holds k + 1 basic members when the variable is basic
 * and k when it is not, whichever members those are - a copy may be basic while the column
 * sits at its bound, or the column basic only to carry a link row.  So the column is basic
 * exactly when its group has k + 1 basic members; a column made nonbasic goes to the bound
 * nearer x.  Rows keep their status.  Status codes as for lm_barrier_solve; x, lo and up
 * have nc entries. */
void lm_barrier_unsplit_basis(int nc, int nr, int ncopies, const int *owner,
                              const int *q_col_status, const int *q_row_status, const double *x,
                              const double *lo, const double *up, int *col_status,
                              int *row_status);

#ifdef __cplusplus
}
#endif

#endif
