/* solve.h - solving an lm_lp with an open solver, warm re-solves, MPS export and the
 * explanation of infeasibility in the model's own terms.
 *
 * Back ends: COIN-OR CLP (dual simplex, primal simplex, barrier with crossover) for LPs and
 * COIN-OR CBC for MILPs, through their C interfaces.  The termination status is always
 * returned; nothing here prints except the solver's own log when log_level > 0 (to stdout by
 * the solver library). */
#ifndef LM_SOLVE_H
#define LM_SOLVE_H

#include "core/diag.h"
#include "solver/lp.h"

typedef enum lm_solve_status {
    LM_STATUS_OPTIMAL = 0,
    LM_STATUS_INFEASIBLE,
    LM_STATUS_UNBOUNDED,
    LM_STATUS_TIME_LIMIT,    /* stopped by time limit; x holds the best point if any */
    LM_STATUS_ITERATION_LIMIT,
    LM_STATUS_INTERRUPTED,   /* stopped by a signal (lm_solver_interrupt) */
    LM_STATUS_NUMERICAL,     /* the solver gave up for numerical reasons */
    LM_STATUS_ERROR
} lm_solve_status;

const char *lm_status_name(lm_solve_status s); /* "optimal", "infeasible", ... */

typedef struct lm_solve_opts {
    const char *backend;  /* "clp" (default for LPs) or "cbc" (default when integers exist) */
    const char *method;   /* "dual" | "primal" | "barrier" | "auto"; NULL = dual */
    int presolve;         /* 1 = on, 0 = off, -1 = auto: off for CLP's dual simplex (on the
                             Mekong models presolve sends CLP's dual into a long primal
                             clean-up; docs/solver.md), on otherwise */
    double time_limit_s;  /* 0 = none */
    double mip_gap;       /* relative gap for MILPs */
    int log_level;        /* 0 silent */
    double barrier_regularization; /* method barrier: Saunders-Tomlin primal and dual
                             regularisation (CLP's gamma = delta = this); 0 = none.  Makes the
                             barrier converge on the dam-portfolio relaxation with a sediment
                             floor (docs/solver.md) */
} lm_solve_opts;

void lm_solve_opts_default(lm_solve_opts *o);

typedef struct lm_solution {
    lm_solve_status status;
    int has_point;        /* x/row_activity are filled */
    double objective;     /* objective units, including lp->obj_offset */
    double best_bound;    /* MILP: best bound; LP: = objective */
    double gap;           /* MILP relative gap achieved; 0 for LP */
    double *x;            /* ncols */
    double *row_activity; /* nrows */
    double *row_dual;     /* nrows (LP only; NULL for MILP) */
    double *col_reduced;  /* ncols (LP only) */
    long iterations;
    double seconds;
} lm_solution;

void lm_solution_free(lm_solution *s);

typedef struct lm_solver lm_solver;

/* Load the (finalized) model into a back end; `lp` must stay alive until lm_solver_close. */
int lm_solver_open(lm_solver **out, const lm_lp *lp, const lm_solve_opts *o, lm_diag *d);
/* Solve (the first call cold, later calls warm from the last basis).  *sol is overwritten
 * (free an earlier solution with lm_solution_free first); returns 0 whenever a status was
 * determined, -1 (status LM_STATUS_ERROR, message in d) otherwise. */
int lm_solver_solve(lm_solver *s, lm_solution *sol, lm_diag *d);
/* Change bounds in the loaded model (keeps the basis for a warm re-solve). */
void lm_solver_set_row_bounds(lm_solver *s, int row, double lb, double ub);
void lm_solver_set_col_bounds(lm_solver *s, int col, double lb, double ub);
/* Add the row lb <= sum_k vals[k] x[cols[k]] <= ub to the loaded CLP model (a cut), its
 * slack basic so an optimal basis stays dual feasible and the next solve is a warm dual
 * simplex from it.  Solutions keep reporting the lp's own rows only.  CLP only: returns the
 * new row's index in the solver, -1 for CBC or a column out of range. */
int lm_solver_add_row(lm_solver *s, int n, const int *cols, const double *vals, double lb,
                      double ub);
/* The next solve starts cold, with the method the solver was opened with (e.g. the barrier),
 * instead of a warm dual simplex from the last basis: worth it when the model changed so much
 * that the old basis is far from the new optimum (e.g. fixed build decisions relaxed). */
void lm_solver_forget_basis(lm_solver *s);
/* Wall-second limit for later solves (0 = none), e.g. what is left of a search's budget. */
void lm_solver_set_time_limit(lm_solver *s, double seconds);
/* Async-signal-safe: ask a running solve to stop at its next check.  The request is
 * process-wide and sticky: every solve returns LM_STATUS_INTERRUPTED until it is cleared. */
void lm_solver_interrupt(void);
void lm_solver_clear_interrupt(void);
int lm_solver_interrupt_pending(void); /* 1 if an interrupt is pending */
void lm_solver_close(lm_solver *s);

/* One-shot convenience: open, solve, close. */
int lm_solve(const lm_lp *lp, const lm_solve_opts *o, lm_solution *sol, lm_diag *d);

/* Write the model in free MPS with lmplan's row and column names. */
int lm_lp_write_mps(const lm_lp *lp, const char *path, lm_diag *d);

/* Infeasibility explained: solves the elastic relaxation (every row gets non-negative
 * slacks, minimise their sum) and lists the rows whose slack is non-zero, grouped by family
 * and by the zone and year of each row. */
typedef struct lm_infeas_item {
    int row;
    double violation;  /* slack needed (row units) */
} lm_infeas_item;

typedef struct lm_infeas_report {
    int n_items;
    lm_infeas_item *items; /* largest violation first */
    double total_violation;
    char *text;            /* human-readable summary, several lines */
} lm_infeas_report;

int lm_explain_infeasibility(const lm_lp *lp, const lm_solve_opts *o, lm_infeas_report *out,
                             lm_diag *d);
void lm_infeas_report_free(lm_infeas_report *r);

#endif
