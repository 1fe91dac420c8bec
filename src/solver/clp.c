/* clp.c - the solver back ends behind solve.h: COIN-OR CLP for LPs and COIN-OR CBC for
 * MILPs, both through their C interfaces, with lm_solver_* dispatching between them, plus
 * the process-wide interrupt flag.
 *
 * CLP: the model is loaded once; the first solve goes through ClpSolve (dual / primal /
 * barrier with crossover / automatic, presolve on or off); later solves call the dual
 * simplex on the same ClpSimplex, so a re-solve after lm_solver_set_*_bounds starts from the
 * last basis.  CBC: the model is rebuilt for every solve (the C interface forbids changing a
 * Cbc_Model after Cbc_solve), so MILP re-solves are cold.
 *
 * Interrupts (docs/solver.md): lm_solver_interrupt() only sets a volatile sig_atomic_t - the
 * one piece of global mutable state in lmplan, since a signal handler cannot reach a
 * context.  CLP's message callback cannot poll it (the callback runs only for messages that
 * are printed, i.e. never at log level 0), so every CLP solve runs a small watcher thread
 * that polls the flag every 20 ms and sets the model's iteration limit to 0, which CLP checks
 * at each refactorisation.  Inside ClpSolve (the first solve) the iterating model may be a
 * presolved copy that only ClpSolve's own SIGINT handler can reach; ClpSolve installs that
 * handler while it runs, so the watcher sends SIGINT to the solving thread to trigger it, and
 * conversely notices a Ctrl-C that handler swallowed.  CBC offers no way in from C: it stops
 * at its time limit only, and an interrupt requested during a CBC solve is seen by the next
 * solve. */
#include "solver/solve.h"
#include "core/util.h"
#include "solver/barrier.h"

#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

_Static_assert(sizeof(int32_t) == sizeof(int), "lm_lp row indices are passed to COIN as int");

/* ---------------------------------------------------------------------------------------
 * Interrupt flag.  Sticky: once set, every solve returns LM_STATUS_INTERRUPTED until
 * lm_solver_clear_interrupt(), so a signal that arrives between two solves of a sweep is not
 * lost. */
static volatile sig_atomic_t g_interrupt;

void lm_solver_interrupt(void) { g_interrupt = 1; }
void lm_solver_clear_interrupt(void) { g_interrupt = 0; }
int lm_solver_interrupt_pending(void) { return g_interrupt != 0; }

/* ---------------------------------------------------------------------------------------
 * Options, statuses, solutions */

void lm_solve_opts_default(lm_solve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->backend = NULL; /* CBC if the model has integer columns, CLP otherwise */
    o->method = NULL;  /* dual simplex */
    o->presolve = -1;
    o->time_limit_s = 0;
    o->mip_gap = 1e-4;
    o->log_level = 0;
}

const char *lm_status_name(lm_solve_status s)
{
    switch (s) {
    case LM_STATUS_OPTIMAL: return "optimal";
    case LM_STATUS_INFEASIBLE: return "infeasible";
    case LM_STATUS_UNBOUNDED: return "unbounded";
    case LM_STATUS_TIME_LIMIT: return "time_limit";
    case LM_STATUS_ITERATION_LIMIT: return "iteration_limit";
    case LM_STATUS_INTERRUPTED: return "interrupted";
    case LM_STATUS_NUMERICAL: return "numerical";
    case LM_STATUS_ERROR: return "error";
    }
    return "unknown";
}

void lm_solution_free(lm_solution *s)
{
    if (!s) return;
    free(s->x);
    free(s->row_activity);
    free(s->row_dual);
    free(s->col_reduced);
    memset(s, 0, sizeof *s);
}

static void solution_reset(lm_solution *sol)
{
    memset(sol, 0, sizeof *sol);
    sol->status = LM_STATUS_ERROR;
    sol->objective = NAN;
    sol->best_bound = NAN;
    sol->gap = NAN;
}

static double *copy_doubles(const double *src, int n)
{
    double *p = lm_xmalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (n > 0) memcpy(p, src, (size_t)n * sizeof(double));
    return p;
}

/* Bounds at or beyond LM_INF mean "none"; IEEE infinities are mapped onto that convention. */
static double clamp_inf(double v)
{
    if (v >= LM_INF) return LM_INF;
    if (v <= -LM_INF) return -LM_INF;
    return v;
}

/* ---------------------------------------------------------------------------------------
 * The solver object */

enum { BACKEND_CLP, BACKEND_CBC };
enum { METHOD_DUAL, METHOD_PRIMAL, METHOD_BARRIER, METHOD_AUTO };

struct lm_solver {
    const lm_lp *lp; /* not owned; must outlive the solver */
    int backend, method, presolve, log_level, n_int;
    double time_limit_s, mip_gap, barrier_reg;

    /* CLP */
    Clp_Simplex *clp;
    Clp_Solve *clp_opts;
    int warm;            /* the loaded model holds an optimal basis from the last solve */
    int rows_changed, cols_changed;

    /* CBC: the model's bounds as changed by lm_solver_set_*_bounds, and int column starts */
    double *row_lb, *row_ub, *col_lb, *col_ub;
    CoinBigIndex *start;
};

/* Column starts as CoinBigIndex (int in Debian's build of COIN-OR). */
static CoinBigIndex *coin_starts(const lm_lp *lp, lm_diag *d)
{
    const long big_max = sizeof(CoinBigIndex) >= sizeof(long) ? LONG_MAX : (long)INT_MAX;
    if (lp->nnz > big_max) {
        lm_diag_error(d, "the model has %ld nonzeros; this build of COIN-OR (CoinBigIndex of %zu "
                      "bytes) takes at most %ld", lp->nnz, sizeof(CoinBigIndex), big_max);
        return NULL;
    }
    CoinBigIndex *st = lm_xmalloc(((size_t)lp->ncols + 1) * sizeof(CoinBigIndex));
    for (int j = 0; j <= lp->ncols; j++) st[j] = (CoinBigIndex)lp->start[j];
    return st;
}

static double *clamped_copy(const double *src, int n)
{
    double *p = copy_doubles(src, n);
    for (int i = 0; i < n; i++) p[i] = clamp_inf(p[i]);
    return p;
}

static int parse_options(lm_solver *s, const lm_solve_opts *o, lm_diag *d)
{
    const char *b = o->backend;
    if (!b || !*b)
        s->backend = s->n_int > 0 ? BACKEND_CBC : BACKEND_CLP;
    else if (!strcmp(b, "clp"))
        s->backend = BACKEND_CLP;
    else if (!strcmp(b, "cbc"))
        s->backend = BACKEND_CBC;
    else {
        lm_diag_error(d, "solver backend \"%s\": unknown (allowed: clp, cbc)", b);
        return -1;
    }
    const char *m = o->method;
    if (!m || !*m || !strcmp(m, "dual"))
        s->method = METHOD_DUAL;
    else if (!strcmp(m, "primal"))
        s->method = METHOD_PRIMAL;
    else if (!strcmp(m, "barrier"))
        s->method = METHOD_BARRIER;
    else if (!strcmp(m, "auto"))
        s->method = METHOD_AUTO;
    else {
        lm_diag_error(d, "solver method \"%s\": unknown (allowed: dual, primal, barrier, auto)", m);
        return -1;
    }
    if (!(o->time_limit_s >= 0)) {
        lm_diag_error(d, "solver time limit %g s: must be >= 0 (0 = none)", o->time_limit_s);
        return -1;
    }
    if (!(o->mip_gap >= 0 && o->mip_gap < 1)) {
        lm_diag_error(d, "solver MIP gap %g: must be in [0, 1)", o->mip_gap);
        return -1;
    }
    if (!(o->barrier_regularization >= 0 && o->barrier_regularization <= 1e-2)) {
        lm_diag_error(d, "solver barrier regularisation %g: must be in [0, 0.01] (0 = none)",
                      o->barrier_regularization);
        return -1;
    }
    /* auto: CLP's dual simplex starts from a dual-feasible slack basis when all costs are
     * non-negative; presolve substitutions destroy that and, on the Mekong models, send it
     * through a long primal phase (measured: docs/solver.md) */
    s->presolve = o->presolve < 0 ? !(s->backend == BACKEND_CLP && s->method == METHOD_DUAL)
                                  : o->presolve != 0;
    s->log_level = o->log_level > 0 ? o->log_level : 0;
    s->time_limit_s = o->time_limit_s;
    s->mip_gap = o->mip_gap;
    s->barrier_reg = o->barrier_regularization;
    return 0;
}

static int clp_open(lm_solver *s, lm_diag *d)
{
    const lm_lp *lp = s->lp;
    CoinBigIndex *st = coin_starts(lp, d);
    if (!st) return -1;
    double *clb = clamped_copy(lp->col_lb, lp->ncols), *cub = clamped_copy(lp->col_ub, lp->ncols);
    double *rlb = clamped_copy(lp->row_lb, lp->nrows), *rub = clamped_copy(lp->row_ub, lp->nrows);
    s->clp = Clp_newModel();
    Clp_setLogLevel(s->clp, s->log_level);
    Clp_loadProblem(s->clp, lp->ncols, lp->nrows, st, (const int *)lp->index, lp->value, clb, cub,
                    lp->col_cost, rlb, rub);
    free(st); free(clb); free(cub); free(rlb); free(rub);

    s->clp_opts = ClpSolve_new();
    static const int solve_type[] = {[METHOD_DUAL] = 0, [METHOD_PRIMAL] = 1,
                                     [METHOD_BARRIER] = 3 /* unused: barrier_solve */,
                                     [METHOD_AUTO] = 5};
    ClpSolve_setSolveType(s->clp_opts, solve_type[s->method], -1);
    ClpSolve_setPresolveType(s->clp_opts, s->presolve ? 0 : 1, -1);
    if (s->n_int > 0)
        lm_diag_warn(d, "solver clp: the model's %d integer columns are relaxed (solving the LP "
                     "relaxation); use solver cbc for the MILP", s->n_int);
    return 0;
}

static int cbc_open(lm_solver *s, lm_diag *d)
{
    const lm_lp *lp = s->lp;
    s->start = coin_starts(lp, d);
    if (!s->start) return -1;
    s->col_lb = clamped_copy(lp->col_lb, lp->ncols);
    s->col_ub = clamped_copy(lp->col_ub, lp->ncols);
    s->row_lb = clamped_copy(lp->row_lb, lp->nrows);
    s->row_ub = clamped_copy(lp->row_ub, lp->nrows);
    return 0;
}

int lm_solver_open(lm_solver **out, const lm_lp *lp, const lm_solve_opts *o, lm_diag *d)
{
    *out = NULL;
    if (!lp || !lp->finalized) {
        lm_diag_error(d, "solver: the model must be finalized (lm_lp_finalize) before solving");
        return -1;
    }
    lm_solve_opts defaults;
    if (!o) {
        lm_solve_opts_default(&defaults);
        o = &defaults;
    }
    lm_solver *s = lm_xcalloc(1, sizeof *s);
    s->lp = lp;
    for (int j = 0; j < lp->ncols; j++) s->n_int += lp->col_int[j] != 0;
    if (parse_options(s, o, d) != 0 ||
        (s->backend == BACKEND_CLP ? clp_open(s, d) : cbc_open(s, d)) != 0) {
        lm_solver_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void lm_solver_close(lm_solver *s)
{
    if (!s) return;
    if (s->clp) Clp_deleteModel(s->clp);
    if (s->clp_opts) ClpSolve_delete(s->clp_opts);
    free(s->row_lb); free(s->row_ub); free(s->col_lb); free(s->col_ub);
    free(s->start);
    free(s);
}

void lm_solver_set_row_bounds(lm_solver *s, int row, double lb, double ub)
{
    if (!s || row < 0 || row >= s->lp->nrows) return;
    lb = clamp_inf(lb);
    ub = clamp_inf(ub);
    if (s->clp) {
        Clp_rowLower(s->clp)[row] = lb;
        Clp_rowUpper(s->clp)[row] = ub;
        s->rows_changed = 1;
    }
    if (s->row_lb) {
        s->row_lb[row] = lb;
        s->row_ub[row] = ub;
    }
}

void lm_solver_set_col_bounds(lm_solver *s, int col, double lb, double ub)
{
    if (!s || col < 0 || col >= s->lp->ncols) return;
    lb = clamp_inf(lb);
    ub = clamp_inf(ub);
    if (s->clp) {
        Clp_columnLower(s->clp)[col] = lb;
        Clp_columnUpper(s->clp)[col] = ub;
        s->cols_changed = 1;
    }
    if (s->col_lb) {
        s->col_lb[col] = lb;
        s->col_ub[col] = ub;
    }
}

/* ---------------------------------------------------------------------------------------
 * The watcher thread of a CLP solve (see the comment at the top). */

typedef struct watcher {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running, done;
    Clp_Simplex *clp;
    pthread_t solver;          /* the thread running CLP */
    atomic_int in_clpsolve;    /* 1 while ClpSolve (with its SIGINT handler) runs */
    struct sigaction before;   /* SIGINT disposition during the solve, outside ClpSolve */
    int restore;               /* SIGINT had its default action: restore `saved` at the end */
    struct sigaction saved;
    double last_signal;        /* lm_now() of the last SIGINT sent, 0 if none */
} watcher;

static int same_disposition(const struct sigaction *a, const struct sigaction *b)
{
    if ((a->sa_flags & SA_SIGINFO) != (b->sa_flags & SA_SIGINFO)) return 0;
    if (a->sa_flags & SA_SIGINFO) return a->sa_sigaction == b->sa_sigaction;
    return a->sa_handler == b->sa_handler;
}

static void watcher_act(watcher *w)
{
    /* CLP reads its iteration limit at every refactorisation; this plain int store (the same
     * one CLP's own SIGINT handler does) stops the model we loaded. */
    Clp_setMaximumIterations(w->clp, 0);
    if (!atomic_load(&w->in_clpsolve)) return;
    /* Inside ClpSolve the iterating model may be a presolved copy; only ClpSolve's SIGINT
     * handler knows it (and only once presolve has made the copy, so the signal is repeated
     * every 0.1 s).  Send SIGINT only while that handler is installed. */
    double now = lm_now();
    if (w->last_signal > 0 && now - w->last_signal < 0.1) return;
    struct sigaction cur;
    if (sigaction(SIGINT, NULL, &cur) != 0 || same_disposition(&cur, &w->before)) return;
    if (!(cur.sa_flags & SA_SIGINFO) && (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN))
        return;
    pthread_kill(w->solver, SIGINT);
    w->last_signal = now;
}

static void *watcher_main(void *arg)
{
    watcher *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->done) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 20 * 1000 * 1000; /* poll every 20 ms */
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        if (w->done) break;
        /* A Ctrl-C that ClpSolve's handler caught while presolving set the iteration limit of
         * our model (not yet the presolved copy) to 0: take it as an interrupt request, or it
         * would be lost.  (maximumIterations is the C API's getter, named without Clp_.) */
        if (!g_interrupt && atomic_load(&w->in_clpsolve) && maximumIterations(w->clp) == 0)
            g_interrupt = 1;
        if (g_interrupt) watcher_act(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Installed for the duration of a CLP solve when SIGINT has its default action (see
 * watcher_start). */
static void on_sigint_during_solve(int sig)
{
    (void)sig;
    g_interrupt = 1;
}

/* Starts the watcher.  If SIGINT has its default action, a handler that requests an
 * interrupt is installed until watcher_stop: a SIGINT the watcher sends just as ClpSolve
 * restores the previous disposition must not kill the process (ClpSolve itself swallows
 * Ctrl-C while it runs; lmplan extends that to the whole CLP solve). */
static void watcher_start(watcher *w, Clp_Simplex *clp, lm_diag *d)
{
    memset(w, 0, sizeof *w);
    w->clp = clp;
    w->solver = pthread_self();
    atomic_init(&w->in_clpsolve, 0);
    sigaction(SIGINT, NULL, &w->before);
    w->restore = !(w->before.sa_flags & SA_SIGINFO) && w->before.sa_handler == SIG_DFL;
    if (w->restore) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint_during_solve;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        w->saved = w->before;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGINT, NULL, &w->before);
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->mu, NULL);
    /* The watcher blocks every signal, so that signals meant for the process reach the
     * solving thread and its handlers. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, watcher_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        lm_diag_warn(d, "solver: could not start the interrupt watcher (%s); this solve can only "
                     "be stopped by its time limit", strerror(rc));
    else
        w->running = 1;
}

static void watcher_stop(watcher *w)
{
    if (w->running) {
        pthread_mutex_lock(&w->mu);
        w->done = 1;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    if (w->restore) sigaction(SIGINT, &w->saved, NULL);
}

/* ---------------------------------------------------------------------------------------
 * CLP */

static lm_solve_status clp_status(lm_solver *s, double seconds, lm_diag *d)
{
    Clp_Simplex *m = s->clp;
    int st = Clp_status(m), sec = Clp_secondaryStatus(m);
    switch (st) {
    case 0:
        if (sec >= 2 && sec <= 4)
            lm_diag_warn(d, "CLP: the scaled model is optimal but the unscaled one has small %s "
                         "infeasibilities (secondary status %d)",
                         sec == 2 ? "primal" : sec == 3 ? "dual" : "primal and dual", sec);
        return LM_STATUS_OPTIMAL;
    case 1: return LM_STATUS_INFEASIBLE;
    case 2: return LM_STATUS_UNBOUNDED;
    case 3:
        if (g_interrupt) return LM_STATUS_INTERRUPTED;
        if (sec == 9 || (s->time_limit_s > 0 && seconds >= s->time_limit_s))
            return LM_STATUS_TIME_LIMIT;
        /* lmplan sets no iteration limit, so CLP stopped on its own SIGINT handler (ClpSolve
         * installs one): record the interrupt as if our handler had seen it. */
        g_interrupt = 1;
        return LM_STATUS_INTERRUPTED;
    case 4: return LM_STATUS_NUMERICAL;
    case 5: return LM_STATUS_INTERRUPTED;
    default:
        lm_diag_warn(d, "CLP ended with status %d (secondary %d): the solution could not be "
                     "confirmed optimal after postsolve", st, sec);
        return LM_STATUS_NUMERICAL;
    }
}

/* The interior-point path (barrier.h): CHOLMOD barrier and crossover on a copy of the model,
 * the basis found loaded into this model, and a primal simplex pass from it, which takes no
 * or a few iterations and leaves the duals and a warm basis for re-solves.  Should the
 * barrier fail, the dual simplex solves the model instead (with a warning).  Returns the
 * iterations of the barrier and crossover. */
static long barrier_solve(lm_solver *s, lm_diag *d)
{
    Clp_Simplex *m = s->clp;
    const lm_lp *lp = s->lp;
    const int nrows = Clp_numberRows(m); /* the lp's rows and any added by lm_solver_add_row */
    lm_barrier_problem pr = {lp->ncols, nrows, Clp_getVectorStarts(m), Clp_getIndices(m),
                             Clp_getElements(m), Clp_columnLower(m), Clp_columnUpper(m),
                             Clp_objective(m), Clp_rowLower(m), Clp_rowUpper(m)};
    lm_barrier_opts o = {0, s->log_level, s->time_limit_s, &g_interrupt, !s->presolve,
                         s->barrier_reg};
    int *cst = lm_xmalloc((size_t)(lp->ncols > 0 ? lp->ncols : 1) * sizeof *cst);
    int *rst = lm_xmalloc((size_t)(nrows > 0 ? nrows : 1) * sizeof *rst);
    double *x = lm_xmalloc((size_t)(lp->ncols > 0 ? lp->ncols : 1) * sizeof *x);
    lm_barrier_info info;
    int rc = lm_barrier_solve(&pr, &o, cst, rst, x, &info);
    long iterations = info.barrier_iterations + info.crossover_iterations;
    if (rc == LM_BARRIER_OK) {
        double *px = Clp_primalColumnSolution(m);
        for (int j = 0; j < lp->ncols; j++) {
            Clp_setColumnStatus(m, j, cst[j]);
            px[j] = x[j];
        }
        for (int i = 0; i < nrows; i++) Clp_setRowStatus(m, i, rst[i]);
        Clp_primal(m, 0);
    } else if (rc == LM_BARRIER_STOPPED || rc == LM_BARRIER_TIME_LIMIT) {
        /* report it as CLP would: status 3 (stopped), secondary 9 for the time limit */
        Clp_setProblemStatus(m, 3);
        Clp_setSecondaryStatus(m, rc == LM_BARRIER_TIME_LIMIT ? 9 : 0);
    } else if (rc == LM_BARRIER_INFEASIBLE || rc == LM_BARRIER_NOT_TRIED) {
        /* the dual simplex proves it (for the status and the infeasibility explanation) */
        if (s->log_level > 0) fprintf(stderr, "solver: barrier: %s; dual simplex\n", info.message);
        Clp_dual(m, 0);
    } else {
        lm_diag_warn(d, "solver: barrier (CHOLMOD): %s after %d iterations; solving with the "
                        "dual simplex instead", info.message, info.barrier_iterations);
        Clp_dual(m, 0);
    }
    free(cst);
    free(rst);
    free(x);
    return iterations;
}

int lm_solver_add_row(lm_solver *s, int n, const int *cols, const double *vals, double lb,
                      double ub)
{
    if (!s || !s->clp || n < 0) return -1;
    for (int k = 0; k < n; k++)
        if (cols[k] < 0 || cols[k] >= s->lp->ncols) return -1;
    Clp_Simplex *m = s->clp;
    int row = Clp_numberRows(m);
    CoinBigIndex starts[2] = {0, n};
    lb = clamp_inf(lb);
    ub = clamp_inf(ub);
    Clp_addRows(m, 1, &lb, &ub, starts, cols, vals);
    Clp_setRowStatus(m, row, 1); /* basic */
    return row;
}

void lm_solver_forget_basis(lm_solver *s)
{
    if (s) s->warm = 0;
}

void lm_solver_set_time_limit(lm_solver *s, double seconds)
{
    if (s) s->time_limit_s = seconds > 0 ? seconds : 0;
}

static int clp_solve(lm_solver *s, lm_solution *sol, lm_diag *d)
{
    Clp_Simplex *m = s->clp;
    const lm_lp *lp = s->lp;
    double t0 = lm_now();
    if (s->rows_changed) {
        /* chg* normalise infinite bounds and tell CLP its copies of the bounds are stale */
        Clp_chgRowLower(m, Clp_rowLower(m));
        Clp_chgRowUpper(m, Clp_rowUpper(m));
        s->rows_changed = 0;
    }
    if (s->cols_changed) {
        Clp_chgColumnLower(m, Clp_columnLower(m));
        Clp_chgColumnUpper(m, Clp_columnUpper(m));
        s->cols_changed = 0;
    }
    Clp_setLogLevel(m, s->log_level);
    Clp_setMaximumIterations(m, INT_MAX);
    /* CLP measures its time limit in CPU seconds from this call (single-threaded: ~ wall) */
    Clp_setMaximumSeconds(m, s->time_limit_s > 0 ? s->time_limit_s : -1.0);

    long iterations = 0;
    watcher w;
    watcher_start(&w, m, d);
    if (s->warm) {
        Clp_dual(m, 0);
    } else if (s->method == METHOD_BARRIER) {
        iterations = barrier_solve(s, d);
    } else {
        atomic_store(&w.in_clpsolve, 1);
        Clp_initialSolveWithOptions(m, s->clp_opts);
        atomic_store(&w.in_clpsolve, 0);
        if (s->method == METHOD_AUTO && Clp_status(m) == 0) {
            /* CLP's automatic choice may be its own barrier, which does not detect
             * unboundedness: on an unbounded LP it ends "optimal" with values near 1e20.  A
             * primal simplex pass from the crossover basis takes no iterations when the basis
             * is optimal and finds the ray when it is not.  (method barrier goes through
             * barrier_solve, which has its own guard.) */
            iterations = Clp_numberIterations(m);
            Clp_primal(m, 0);
        }
    }
    watcher_stop(&w);

    sol->seconds = lm_now() - t0;
    sol->iterations = iterations + Clp_numberIterations(m);
    sol->status = clp_status(s, sol->seconds, d);
    s->warm = sol->status == LM_STATUS_OPTIMAL;
    /* An interrupt requested while the solve ran is reported even when CLP reached the
     * optimum before it saw the request (possible while ClpSolve presolves, when no model
     * the watcher can reach is iterating yet): the caller asked to stop, and the sticky flag
     * promises `interrupted` from here on.  The optimal point is kept (has_point). */
    int interrupted_late = sol->status == LM_STATUS_OPTIMAL && g_interrupt;
    if (sol->status == LM_STATUS_OPTIMAL) {
        sol->has_point = 1;
        sol->objective = Clp_objectiveValue(m) + lp->obj_offset;
        sol->best_bound = sol->objective;
        sol->gap = 0;
        sol->x = copy_doubles(Clp_primalColumnSolution(m), lp->ncols);
        sol->row_activity = copy_doubles(Clp_primalRowSolution(m), lp->nrows);
        sol->row_dual = copy_doubles(Clp_dualRowSolution(m), lp->nrows);
        sol->col_reduced = copy_doubles(Clp_dualColumnSolution(m), lp->ncols);
    }
    if (interrupted_late) sol->status = LM_STATUS_INTERRUPTED;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * CBC */

static lm_solve_status cbc_status(Cbc_Model *m, int n_int, int timed_out, lm_diag *d)
{
    if (n_int == 0) { /* Cbc_solve solved the LP with CLP through OsiClp */
        if (Cbc_isProvenOptimal(m)) return LM_STATUS_OPTIMAL;
        if (Cbc_isInitialSolveProvenPrimalInfeasible(m)) return LM_STATUS_INFEASIBLE;
        if (Cbc_isProvenInfeasible(m)) return LM_STATUS_UNBOUNDED; /* dual infeasible */
        if (Cbc_isAbandoned(m)) return LM_STATUS_NUMERICAL;
        lm_diag_warn(d, "CBC stopped the LP without a proof of optimality");
        return LM_STATUS_NUMERICAL;
    }
    int st = Cbc_status(m), sec = Cbc_secondaryStatus(m);
    if (Cbc_isProvenOptimal(m)) return LM_STATUS_OPTIMAL; /* includes "stopped on gap" */
    if (Cbc_isProvenInfeasible(m)) {
        /* CBC 2.10 sometimes reports "relaxation infeasible" when its time limit expires in
         * preprocessing or at the root: such a claim is not a proof. */
        if (!timed_out) return LM_STATUS_INFEASIBLE;
        lm_diag_warn(d, "CBC reported the model infeasible as it reached its time limit; "
                     "lmplan does not take that as a proof");
        return LM_STATUS_TIME_LIMIT;
    }
    if (Cbc_isContinuousUnbounded(m) || sec == 7) return LM_STATUS_UNBOUNDED;
    if (Cbc_isSecondsLimitReached(m) || sec == 4) return LM_STATUS_TIME_LIMIT;
    if (st == 5 || sec == 5) return LM_STATUS_INTERRUPTED;
    if (sec == 3 || sec == 6 || sec == 8) return LM_STATUS_ITERATION_LIMIT;
    if (Cbc_isAbandoned(m) || st == 2) return LM_STATUS_NUMERICAL;
    lm_diag_error(d, "CBC ended with status %d (secondary %d), which lmplan does not know", st,
                  sec);
    return LM_STATUS_ERROR;
}

static int cbc_solve(lm_solver *s, lm_solution *sol, lm_diag *d)
{
    const lm_lp *lp = s->lp;
    double t0 = lm_now();
    Cbc_Model *m = Cbc_newModel();
    Cbc_loadProblem(m, lp->ncols, lp->nrows, s->start, (const int *)lp->index, lp->value,
                    s->col_lb, s->col_ub, lp->col_cost, s->row_lb, s->row_ub);
    for (int j = 0; j < lp->ncols; j++)
        if (lp->col_int[j]) Cbc_setInteger(m, j);
    Cbc_setLogLevel(m, s->log_level);
    if (s->time_limit_s > 0) Cbc_setMaximumSeconds(m, s->time_limit_s);
    Cbc_setAllowableFractionGap(m, s->mip_gap);
    if (!s->presolve) {
        Cbc_setParameter(m, "preprocess", "off");
        Cbc_setParameter(m, "presolve", "off");
    }
    /* CBC and the CLP inside it may install SIGINT handlers; give the caller's back. */
    struct sigaction saved;
    sigaction(SIGINT, NULL, &saved);
    Cbc_solve(m);
    sigaction(SIGINT, &saved, NULL);

    sol->seconds = lm_now() - t0;
    sol->iterations = Cbc_getIterationCount(m);
    int timed_out = s->time_limit_s > 0 && sol->seconds >= s->time_limit_s;
    sol->status = cbc_status(m, s->n_int, timed_out, d);
    const double *x = NULL;
    if (s->n_int > 0)
        x = Cbc_bestSolution(m);
    else if (sol->status == LM_STATUS_OPTIMAL)
        x = Cbc_getColSolution(m);
    if (x && sol->status != LM_STATUS_INFEASIBLE && sol->status != LM_STATUS_UNBOUNDED) {
        sol->has_point = 1;
        sol->x = copy_doubles(x, lp->ncols);
        sol->row_activity = lm_xmalloc((size_t)(lp->nrows > 0 ? lp->nrows : 1) * sizeof(double));
        lm_lp_row_activity(lp, sol->x, sol->row_activity);
        sol->objective = Cbc_getObjValue(m) + lp->obj_offset;
        if (s->n_int == 0) {
            sol->col_reduced = copy_doubles(Cbc_getReducedCost(m), lp->ncols);
            sol->best_bound = sol->objective;
        } else {
            sol->best_bound = Cbc_getBestPossibleObjValue(m) + lp->obj_offset;
            if (sol->status == LM_STATUS_OPTIMAL && sol->best_bound > sol->objective)
                sol->best_bound = sol->objective; /* CBC rounds the bound up on exit */
        }
        double diff = fabs(sol->objective - sol->best_bound);
        sol->gap = diff == 0 ? 0 : diff / fmax(1e-10, fabs(sol->objective));
    } else if (s->n_int > 0 && sol->status == LM_STATUS_TIME_LIMIT) {
        sol->best_bound = Cbc_getBestPossibleObjValue(m) + lp->obj_offset;
    }
    Cbc_deleteModel(m);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Dispatch */

int lm_solver_solve(lm_solver *s, lm_solution *sol, lm_diag *d)
{
    solution_reset(sol);
    if (!s) {
        lm_diag_error(d, "solver: no solver (lm_solver_open failed?)");
        return -1;
    }
    if (g_interrupt) {
        sol->status = LM_STATUS_INTERRUPTED;
        return 0;
    }
    int rc = s->backend == BACKEND_CLP ? clp_solve(s, sol, d) : cbc_solve(s, sol, d);
    if (rc == 0 && sol->status == LM_STATUS_ERROR) rc = -1;
    return rc;
}

int lm_solve(const lm_lp *lp, const lm_solve_opts *o, lm_solution *sol, lm_diag *d)
{
    lm_solver *s;
    if (lm_solver_open(&s, lp, o, d) != 0) {
        solution_reset(sol);
        return -1;
    }
    int rc = lm_solver_solve(s, sol, d);
    lm_solver_close(s);
    return rc;
}
