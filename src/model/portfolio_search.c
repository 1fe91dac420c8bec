/* portfolio_search.c - the dam-portfolio MILP by relax-and-fix with warm-started LPs, then
 * branch and bound on the build decisions to raise the bound, with a proven gap (see
 * portfolio_search.h for the method, docs/solver.md for measured figures).
 *
 * Why not only CBC: given the build decisions the model is an LP of hundreds of thousands of
 * columns, and branch and bound re-solves it at every node.  The sediment floor, the only
 * constraint that couples the binaries beyond costs, is evaluated exactly without any LP
 * (spec C40-C41), so every portfolio priced here is feasible for the floor before an LP is
 * spent on it, and each LP starts from the previous basis (a bound change keeps it dual
 * feasible, so the dual simplex needs few iterations). */
#include "model/portfolio_search.h"

#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct search {
    const lm_model *m;
    const lm_portfolio_opts *o;
    lm_solver *solver;
    int nc;                 /* decided dams */
    int *station;           /* [nc] station index */
    int *col;               /* [nc] build column */
    double *ystar;          /* [nc] relaxation value (after the cuts) */
    double *y0;             /* [nc] relaxation value before the cuts */
    double *ip, *sout;      /* sediment evaluation buffers */
    double lower;           /* relaxation optimum */
    double best_obj;        /* +inf until a portfolio is priced */
    unsigned char *best_set;
    lm_solution best;
    unsigned char *seen;    /* [max_lps * nc] portfolios priced */
    double *seen_obj;       /* [max_lps] their LP optimum (NAN: infeasible or stopped) */
    int n_seen, max_lps;
    long iterations;
    double t0;
    lm_solve_status stop;   /* OPTIMAL while the search may go on */
    unsigned char *cuts;    /* [max_cuts * nc] cover cuts added, as dam sets */
    int n_cuts, max_cuts;
    int n_poly;             /* polymatroid cuts added (not in cuts: one per point) */
    /* every row added (seeded or separated), in decided-dam terms, for opts->carry_out */
    int n_rows, cap_rows, nz, cap_nz;
    int *row_start, *row_dam;
    double *row_coef, *row_rhs;
    double max_lp_s;        /* longest LP solve so far (estimates the next cut round) */
} search;

static void progress(const search *S, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(const search *S, const char *fmt, ...)
{
    if (!S->o->progress) return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    S->o->progress(S->o->progress_ctx, line);
}

static double gap_of(double ub, double lb)
{
    return (ub - lb) / fmax(fabs(ub), 1e-10);
}

static int proven(const search *S)
{
    return isfinite(S->best_obj) && gap_of(S->best_obj, S->lower) <= S->o->gap;
}

/* Sediment delivered at the floor's reach with the decided dams of `set` built. */
static double delivered(search *S, const unsigned char *set)
{
    const lm_model *m = S->m;
    const lm_dataset *ds = m->ds;
    if (m->sediment_reach < 0 || ds->n_reaches == 0) return NAN;
    for (int s = 0; s < ds->n_stations; s++)
        S->ip[s] = m->dam_state[s] == LM_DAM_EXISTING || m->dam_state[s] == LM_DAM_BUILT;
    for (int i = 0; i < S->nc; i++) S->ip[S->station[i]] = set[i];
    lm_sediment_evaluate(ds, S->ip, NULL, S->sout);
    return S->sout[m->sediment_reach];
}

static int floor_ok(search *S, const unsigned char *set)
{
    double floor = S->m->plan->sediment_min_mt;
    if (floor <= 0) return 1;
    return delivered(S, set) >= floor - 1e-9;
}

static int seen_before(const search *S, const unsigned char *set)
{
    for (int k = 0; k < S->n_seen; k++)
        if (!memcmp(S->seen + (size_t)k * S->nc, set, S->nc)) return 1;
    return 0;
}

static int count(const search *S, const unsigned char *set)
{
    int n = 0;
    for (int i = 0; i < S->nc; i++) n += set[i];
    return n;
}

static double remaining_s(const search *S)
{
    if (S->o->time_limit_s <= 0) return 0;
    return S->o->time_limit_s - (lm_now() - S->t0);
}

/* One solve of the search's LP (warm unless the basis was forgotten), limited to limit_s
 * (solve_counted: what is left of the time) when the search has a time limit, its iterations
 * counted; -1 (sol freed) on an error. */
static int solve_within(search *S, double limit_s, lm_solution *sol, lm_diag *d)
{
    *sol = (lm_solution){0};
    if (S->o->time_limit_s > 0) lm_solver_set_time_limit(S->solver, fmax(1, limit_s));
    double t = lm_now();
    if (lm_solver_solve(S->solver, sol, d) != 0) {
        lm_solution_free(sol);
        return -1;
    }
    S->max_lp_s = fmax(S->max_lp_s, lm_now() - t);
    S->iterations += sol->iterations;
    return 0;
}

static int solve_counted(search *S, lm_solution *sol, lm_diag *d)
{
    return solve_within(S, remaining_s(S), sol, d);
}

/* Add the cut sum_k coef[k] build(dam[k]) <= rhs over decided dams as a row, and record it
 * for the carry.  Returns 0, or -1 if the solver refused it. */
static int add_cut(search *S, int n, const int *dam, const double *coef, double rhs)
{
    int *cols = lm_xcalloc(n + 1, sizeof *cols);
    for (int k = 0; k < n; k++) cols[k] = S->col[dam[k]];
    int row = lm_solver_add_row(S->solver, n, cols, coef, -INFINITY, rhs);
    free(cols);
    if (row < 0) return -1;
    if (S->n_rows + 1 >= S->cap_rows) {
        S->cap_rows = 2 * S->cap_rows + 16;
        S->row_start = lm_xrealloc(S->row_start, (size_t)S->cap_rows * sizeof *S->row_start);
        S->row_rhs = lm_xrealloc(S->row_rhs, (size_t)S->cap_rows * sizeof *S->row_rhs);
    }
    if (S->nz + n > S->cap_nz) {
        S->cap_nz = 2 * S->cap_nz + n + 64;
        S->row_dam = lm_xrealloc(S->row_dam, (size_t)S->cap_nz * sizeof *S->row_dam);
        S->row_coef = lm_xrealloc(S->row_coef, (size_t)S->cap_nz * sizeof *S->row_coef);
    }
    S->row_start[S->n_rows] = S->nz;
    memcpy(S->row_dam + S->nz, dam, (size_t)n * sizeof *dam);
    memcpy(S->row_coef + S->nz, coef, (size_t)n * sizeof *coef);
    S->nz += n;
    S->row_rhs[S->n_rows++] = rhs;
    S->row_start[S->n_rows] = S->nz;
    return 0;
}

/* An optimal LP of portfolio `set`: if cheaper than the best, it becomes the best (*sol is
 * moved into S and left empty).  Returns 1 if so. */
static int take_if_better(search *S, lm_solution *sol, const unsigned char *set)
{
    if (!(sol->objective < S->best_obj - 1e-9 * fmax(1, fabs(sol->objective)))) return 0;
    lm_solution_free(&S->best);
    S->best = *sol;
    S->best_obj = sol->objective;
    memcpy(S->best_set, set, S->nc);
    memset(sol, 0, sizeof *sol);
    return 1;
}

/* Price a portfolio (which must meet the floor): fix the build columns and re-solve warm.
 * Returns 1 if it became the best, 0 otherwise, -1 on a solver error. */
static int price(search *S, const unsigned char *set, const char *why, lm_diag *d)
{
    if (S->stop != LM_STATUS_OPTIMAL || seen_before(S, set) || proven(S)) return 0;
    if (S->n_seen >= S->max_lps) {
        S->stop = LM_STATUS_ITERATION_LIMIT;
        return 0;
    }
    if (S->o->time_limit_s > 0 && remaining_s(S) <= 0) {
        S->stop = LM_STATUS_TIME_LIMIT;
        return 0;
    }
    S->seen_obj[S->n_seen] = NAN;
    memcpy(S->seen + (size_t)S->n_seen++ * S->nc, set, S->nc);
    for (int i = 0; i < S->nc; i++) lm_solver_set_col_bounds(S->solver, S->col[i], set[i], set[i]);
    lm_solution sol;
    double t = lm_now();
    if (solve_counted(S, &sol, d) != 0) return -1;
    int better = 0;
    if (sol.status == LM_STATUS_OPTIMAL) {
        double obj = sol.objective;
        long its = sol.iterations;
        S->seen_obj[S->n_seen - 1] = obj;
        better = take_if_better(S, &sol, set);
        progress(S, "portfolio %d (%s): %d dams, %.4f Mt/yr, objective %.6g, %ld iterations, "
                 "%.1f s%s", S->n_seen, why, count(S, set), delivered(S, set), obj, its,
                 lm_now() - t, better ? "  (best)" : "");
    } else if (sol.status == LM_STATUS_INFEASIBLE) {
        progress(S, "portfolio %d (%s): %d dams: infeasible", S->n_seen, why, count(S, set));
    } else {
        /* time limit, interrupt or numerical trouble: keep the best so far and stop */
        S->stop = sol.status;
        progress(S, "portfolio %d (%s): %s", S->n_seen, why, lm_status_name(sol.status));
    }
    lm_solution_free(&sol);
    return better;
}

static int by_ystar_desc(const void *a, const void *b, void *ctx)
{
    const double *y = ctx;
    double ya = y[*(const int *)a], yb = y[*(const int *)b];
    if (ya != yb) return ya > yb ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

/* Insertion sort of candidate positions by the values y, highest first (nc is small). */
static void order_by(const search *S, const double *y, int *ord)
{
    for (int i = 0; i < S->nc; i++) ord[i] = i;
    for (int i = 1; i < S->nc; i++)
        for (int j = i; j > 0 && by_ystar_desc(&ord[j], &ord[j - 1], (void *)y) < 0; j--) {
            int t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
}

static void order_by_ystar(const search *S, int *ord)
{
    order_by(S, S->ystar, ord);
}

/* Greedy: add dams in the order ord while the floor holds (values y > 1e-6 only). */
static void greedy(search *S, const double *y, const int *ord, unsigned char *set)
{
    memset(set, 0, S->nc);
    for (int k = 0; k < S->nc && y[ord[k]] > 1e-6; k++) {
        set[ord[k]] = 1;
        if (!floor_ok(S, set)) set[ord[k]] = 0;
    }
}

/* Portfolios from the relaxation: (a) greedy - add dams by decreasing relaxation value while
 * the floor holds; (b) round at 1/2, then drop the least-valued dams until the floor holds. */
static int seed(search *S, const int *ord, unsigned char *set, lm_diag *d)
{
    greedy(S, S->ystar, ord, set);
    if (price(S, set, "greedy from the relaxation", d) < 0) return -1;

    if (memcmp(S->y0, S->ystar, (size_t)S->nc * sizeof *S->y0)) {
        /* the cuts moved the point: greedy from the point before them as well */
        int *o0 = lm_xcalloc(S->nc + 1, sizeof *o0);
        order_by(S, S->y0, o0);
        greedy(S, S->y0, o0, set);
        free(o0);
        if (price(S, set, "greedy from the relaxation before the cuts", d) < 0) return -1;
    }

    for (int i = 0; i < S->nc; i++) set[i] = S->ystar[i] >= 0.5;
    for (int k = S->nc - 1; k >= 0 && !floor_ok(S, set); k--) set[ord[k]] = 0;
    if (price(S, set, "relaxation rounded at 1/2", d) < 0) return -1;
    return 0;
}

/* Single-dam moves around the best portfolio, first improvement, until none improves:
 * drop a built dam (least relaxation value first), or add an unbuilt one (highest value first),
 * taking out as many built dams of least value as the floor then needs. */
static int improve(search *S, const int *ord, unsigned char *set, lm_diag *d)
{
    int improved = 1;
    while (improved && !proven(S) && S->stop == LM_STATUS_OPTIMAL && isfinite(S->best_obj)) {
        improved = 0;
        for (int k = S->nc - 1; k >= 0 && !improved && S->stop == LM_STATUS_OPTIMAL; k--) {
            int i = ord[k];
            if (!S->best_set[i]) continue;
            memcpy(set, S->best_set, S->nc);
            set[i] = 0;
            int r = price(S, set, "drop one", d);
            if (r < 0) return -1;
            improved = r;
        }
        for (int k = 0; k < S->nc && !improved && S->stop == LM_STATUS_OPTIMAL; k++) {
            int i = ord[k];
            if (S->best_set[i] || S->ystar[i] <= 1e-6) continue;
            memcpy(set, S->best_set, S->nc);
            set[i] = 1;
            /* where adding alone breaks the floor, repair: take out the other built dams of
             * least relaxation value until it holds again */
            for (int q = S->nc - 1; q >= 0 && !floor_ok(S, set); q--)
                if (ord[q] != i) set[ord[q]] = 0;
            if (!floor_ok(S, set)) continue;
            int r = price(S, set, "add one", d);
            if (r < 0) return -1;
            improved = r;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Cover cuts from the sediment floor.  Building more dams never delivers more sediment, so
 * a set C of decided dams whose building alone (every other decided dam unbuilt) already
 * breaks the floor - a cover - admits at most |C| - 1 of its dams in any feasible portfolio:
 * sum_{i in C} build_i <= |C| - 1.  The McCormick rows of the formulation are exact only at
 * 0/1, and a fractional relaxation can violate such a cut.  Separation, for each decided dam
 * j with a positive relaxation value: start from {j}, add dams by decreasing value until the
 * floor fails (exact evaluation), then drop members, lowest value first, while the rest still
 * breaks it (a minimal cover); keep it if the point violates it by more than 1e-4. */

static int cut_seen(const search *S, const unsigned char *set)
{
    for (int k = 0; k < S->n_cuts; k++)
        if (!memcmp(S->cuts + (size_t)k * S->nc, set, S->nc)) return 1;
    return 0;
}

/* The polymatroid cut of point y: with the dams in the order of ord (decreasing y), w_i is
 * the sediment that dam i takes from the target when built after the dams before it.  The
 * loss L(P) = delivered(none) - delivered(P) is submodular (every path's flux is a product
 * of factors (1 - TE) / (1 - dep) <= 1), so w(P) <= L(P) for every portfolio P, and
 * sum w_i build_i <= delivered(none) - floor is valid; it is the face of the floor's convex
 * envelope (the Lovasz extension) at y.  Returns 1 if it was violated and added. */
static int separate_polymatroid(search *S, const double *y, const int *ord, unsigned char *set,
                                int *cols, double *w)
{
    memset(set, 0, S->nc);
    double prev = delivered(S, set), budget = prev - S->m->plan->sediment_min_mt, lhs = 0;
    int n = 0;
    for (int k = 0; k < S->nc; k++) {
        int i = ord[k];
        if (y[i] <= 1e-9) break;
        set[i] = 1;
        double now = delivered(S, set);
        if (prev - now > 1e-12) {
            cols[n] = i;
            w[n++] = prev - now;
            lhs += (prev - now) * y[i];
        }
        prev = now;
    }
    if (n == 0 || lhs <= budget + 1e-6 * fmax(1, budget)) return 0;
    return add_cut(S, n, cols, w, budget) == 0;
}

/* Adds the violated minimal covers of point y and its polymatroid cut; returns how many
 * cuts were added. */
static int separate_covers(search *S, const double *y, const int *ord, unsigned char *set)
{
    int added = 0;
    int *cols = lm_xcalloc(S->nc + 1, sizeof *cols);
    double *ones = lm_xcalloc(S->nc + 1, sizeof *ones);
    if (S->n_cuts < S->max_cuts && separate_polymatroid(S, y, ord, set, cols, ones)) {
        S->n_poly++;
        added++;
    }
    for (int i = 0; i < S->nc; i++) ones[i] = 1;
    for (int t = 0; t < S->nc && S->n_cuts < S->max_cuts; t++) {
        int j = ord[t];
        if (y[j] <= 1e-6) break;
        memset(set, 0, S->nc);
        set[j] = 1;
        for (int k = 0; k < S->nc && floor_ok(S, set); k++) set[ord[k]] = 1;
        if (floor_ok(S, set)) continue; /* every dam together still meets the floor */
        for (int k = S->nc - 1; k >= 0; k--) {
            int i = ord[k];
            if (!set[i] || i == j) continue;
            set[i] = 0;
            if (floor_ok(S, set)) set[i] = 1; /* needed to break the floor */
        }
        int n = 0;
        double lhs = 0;
        for (int i = 0; i < S->nc; i++)
            if (set[i]) {
                cols[n++] = i;
                lhs += y[i];
            }
        if (lhs <= n - 1 + 1e-4 || cut_seen(S, set)) continue;
        if (add_cut(S, n, cols, ones, n - 1) != 0) break;
        memcpy(S->cuts + (size_t)S->n_cuts++ * S->nc, set, S->nc);
        added++;
    }
    free(cols);
    free(ones);
    return added;
}

/* Rounds of separation and warm re-solves from the relaxation at S->ystar / S->lower, until
 * no cover is violated, a round raises the bound by less than 1e-6 relative, or max_rounds.
 * On return S->lower and S->ystar are those of the last LP.  Returns -1 on a solver error. */
static int cover_rounds(search *S, int max_rounds, unsigned char *set, int *ord,
                        lm_portfolio_report *rep, lm_diag *d)
{
    if (S->m->plan->sediment_min_mt <= 0) return 0;
    const lm_dataset *ds = S->m->ds;
    for (int i = 0; i < S->nc; i++) {
        int r = ds->stations[S->station[i]].reach;
        if (r >= 0 && ds->reach_trap_efficiency[r] < ds->reach_deposition_fraction[r] - 1e-12) {
            /* building this dam delivers more sediment, not less: the cuts assume otherwise */
            progress(S, "no cover cuts: decided dam %s traps less (TE %g) than its reach "
                     "deposits without it (%g)", ds->stations[S->station[i]].name,
                     ds->reach_trap_efficiency[r], ds->reach_deposition_fraction[r]);
            return 0;
        }
    }
    /* the rounds' share of the time: the portfolios need the rest */
    double share = S->o->cut_time_share > 0 ? fmin(1, S->o->cut_time_share) : 0.5;
    double budget = S->o->time_limit_s > 0 ? share * S->o->time_limit_s : INFINITY, t_cuts = lm_now();
    for (int round = 1; round <= max_rounds && S->stop == LM_STATUS_OPTIMAL && !proven(S); round++) {
        double left = fmin(budget - (lm_now() - t_cuts), remaining_s(S));
        if (S->o->time_limit_s > 0 && S->max_lp_s > left) {
            progress(S, "cover cuts: no round %d - the longest LP so far took %.0f s and %.0f s "
                     "are left of the cuts' %.0f %% of the time limit", round, S->max_lp_s,
                     fmax(0, left), 100 * share);
            break;
        }
        int added = separate_covers(S, S->ystar, ord, set);
        if (added == 0) break;
        lm_solution sol;
        double t = lm_now();
        if (solve_within(S, left, &sol, d) != 0) return -1;
        if (sol.status != LM_STATUS_OPTIMAL) {
            /* the cuts' time is up, or an interrupt: the bound so far stands (the rows stay:
             * they are valid), and the next LP starts cold.  A cut LP cannot be infeasible
             * unless the MILP is, which the portfolios then show. */
            progress(S, "cover cuts round %d: %s after %.1f s; the bound stays %.6g", round,
                     lm_status_name(sol.status), lm_now() - t, S->lower);
            if (sol.status != LM_STATUS_INFEASIBLE &&
                !(sol.status == LM_STATUS_TIME_LIMIT && remaining_s(S) > 0))
                S->stop = sol.status;
            lm_solver_forget_basis(S->solver);
            lm_solution_free(&sol);
            break;
        }
        double gain = sol.objective - S->lower;
        S->lower = fmax(S->lower, sol.objective);
        int nfrac = 0;
        for (int i = 0; i < S->nc; i++) {
            S->ystar[i] = fmin(1, fmax(0, sol.x[S->col[i]]));
            nfrac += S->ystar[i] > 1e-6 && S->ystar[i] < 1 - 1e-6;
        }
        rep->n_cut_rounds = round;
        rep->n_fractional = nfrac;
        progress(S, "cover cuts round %d: %d added (%d in all), bound %.6g, %ld iterations, "
                 "%.1f s, %d decisions fractional", round, added, S->n_cuts + S->n_poly, S->lower,
                 sol.iterations, lm_now() - t, nfrac);
        lm_solution_free(&sol);
        order_by_ystar(S, ord);
        if (gain <= 1e-6 * fmax(1, fabs(S->lower))) break;
    }
    rep->n_cuts = S->n_cuts + S->n_poly;
    rep->cut_bound = S->lower;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Branch and bound over the build decisions, for the bound.  A node fixes some decisions
 * (fix[i] = 0 or 1, -1 free) and solves the LP with the others relaxed, warm from whatever
 * basis the solver holds (bound changes keep it dual feasible).  Best-first: the open node of
 * lowest bound is taken; the proven lower bound is the least bound among the open nodes and
 * those pruned because they could not beat the best portfolio by more than the gap.  A node
 * is dropped without an LP when the sediment floor fails even with every free dam left
 * unbuilt (the most sediment its subtree can deliver, by exact evaluation).  A node whose LP
 * comes out with every decision integral is a portfolio: it is the LP of that portfolio, so
 * it becomes the best when cheaper. */

typedef struct bb_node {
    double bound;         /* LP optimum of the parent (a lower bound on the subtree) */
    signed char *fix;     /* [nc] -1 free, 0, 1 */
} bb_node;

typedef struct bb_tree {
    bb_node *open;
    int n_open, cap;
    double pruned_min;    /* least bound of the nodes pruned by the gap rule */
    int n_nodes;          /* node LPs solved */
} bb_tree;

static void bb_push(bb_tree *T, int nc, double bound, const signed char *fix)
{
    if (T->n_open == T->cap) {
        T->cap = T->cap ? 2 * T->cap : 64;
        T->open = lm_xrealloc(T->open, (size_t)T->cap * sizeof *T->open);
    }
    bb_node *n = &T->open[T->n_open++];
    n->bound = bound;
    n->fix = lm_xcalloc(nc + 1, 1);
    memcpy(n->fix, fix, nc);
}

/* Removes and returns the open node of least bound (the caller frees its fix). */
static bb_node bb_pop(bb_tree *T)
{
    int k = 0;
    for (int i = 1; i < T->n_open; i++)
        if (T->open[i].bound < T->open[k].bound) k = i;
    bb_node n = T->open[k];
    T->open[k] = T->open[--T->n_open];
    return n;
}

/* The proven lower bound: no open or gap-pruned node, and no portfolio, is below it. */
static double bb_lower(const search *S, const bb_tree *T)
{
    double lb = fmin(S->best_obj, T->pruned_min);
    for (int i = 0; i < T->n_open; i++) lb = fmin(lb, T->open[i].bound);
    return lb;
}

/* Whether the gap rule prunes a node of bound b: it cannot beat the best portfolio by more
 * than the requested gap (the node's bound still counts in bb_lower through pruned_min). */
static int bb_prunable(const search *S, double b)
{
    return isfinite(S->best_obj) && gap_of(S->best_obj, b) <= S->o->gap;
}

/* The floor holds for some completion of `fix`: with every free dam unbuilt. */
static int bb_floor_possible(search *S, const signed char *fix, unsigned char *set)
{
    for (int i = 0; i < S->nc; i++) set[i] = fix[i] == 1;
    return floor_ok(S, set);
}

/* The child of `fix` with decision i set to v, under the parent's bound: pruned by the gap
 * rule, dropped when its floor cannot be met, or opened. */
static void bb_child(search *S, bb_tree *T, signed char *fix, int i, int v, double bound,
                     unsigned char *set)
{
    signed char keep = fix[i];
    fix[i] = (signed char)v;
    if (bb_prunable(S, bound)) T->pruned_min = fmin(T->pruned_min, bound);
    else if (bb_floor_possible(S, fix, set)) bb_push(T, S->nc, bound, fix);
    fix[i] = keep;
}

/* The decision to branch on: the most fractional (nearest 1/2); -1 if all are integral. */
static int bb_branch_on(const search *S, const double *y)
{
    int k = -1;
    double best = 1e-6;
    for (int i = 0; i < S->nc; i++) {
        double f = fmin(y[i], 1 - y[i]);
        if (f > best) {
            best = f;
            k = i;
        }
    }
    return k;
}

/* Solves one node.  Returns -1 on a solver error, 0 otherwise. */
static int bb_node_solve(search *S, bb_tree *T, bb_node *n, double *y, unsigned char *set,
                         lm_diag *d)
{
    for (int i = 0; i < S->nc; i++) {
        double lo = n->fix[i] < 0 ? 0 : n->fix[i], up = n->fix[i] < 0 ? 1 : n->fix[i];
        lm_solver_set_col_bounds(S->solver, S->col[i], lo, up);
    }
    lm_solution sol;
    double t = lm_now();
    if (solve_counted(S, &sol, d) != 0) return -1;
    T->n_nodes++;
    if (sol.status == LM_STATUS_INFEASIBLE) {
        lm_solution_free(&sol);
        return 0;
    }
    if (sol.status != LM_STATUS_OPTIMAL) {
        /* the node is not done: it goes back, and the search stops */
        S->stop = sol.status;
        bb_push(T, S->nc, n->bound, n->fix);
        lm_solution_free(&sol);
        return 0;
    }
    double b = fmax(n->bound, sol.objective);
    long its = sol.iterations;
    for (int i = 0; i < S->nc; i++) y[i] = fmin(1, fmax(0, sol.x[S->col[i]]));
    int k = bb_branch_on(S, y);
    int better = 0;
    if (k < 0) {
        /* integral: a portfolio, and this LP is its price (the floor rows are exact at 0/1) */
        for (int i = 0; i < S->nc; i++) set[i] = y[i] > 0.5;
        better = floor_ok(S, set) && take_if_better(S, &sol, set);
    } else {
        bb_child(S, T, n->fix, k, 0, b, set);
        bb_child(S, T, n->fix, k, 1, b, set);
    }
    progress(S, "node %d: bound %.6g, %s, %ld iterations, %.1f s; proven bound %.6g, gap %.3f %%, "
             "%d open%s", T->n_nodes, b, k < 0 ? "integral" : "branched", its, lm_now() - t,
             bb_lower(S, T), 100 * gap_of(S->best_obj, bb_lower(S, T)), T->n_open,
             better ? "  (best)" : "");
    lm_solution_free(&sol);
    return 0;
}

/* Raises S->lower by branch and bound until the gap is proven, the time limit or max_nodes.
 * The root is the relaxation already solved (values ystar). */
static int branch_and_bound(search *S, int max_nodes, int *n_nodes, lm_diag *d)
{
    bb_tree T = {.pruned_min = INFINITY};
    signed char *fix = lm_xcalloc(S->nc + 1, 1);
    unsigned char *set = lm_xcalloc(S->nc + 1, 1);
    double *y = lm_xcalloc(S->nc + 1, sizeof *y);
    int rc = 0;
    memset(fix, -1, S->nc);
    int k = bb_branch_on(S, S->ystar);
    if (k >= 0) {
        bb_child(S, &T, fix, k, 0, S->lower, set);
        bb_child(S, &T, fix, k, 1, S->lower, set);
    }
    /* k < 0: the relaxation is integral, and its portfolio was priced by seed() */
    S->lower = bb_lower(S, &T);
    while (T.n_open > 0 && !proven(S) && S->stop == LM_STATUS_OPTIMAL && T.n_nodes < max_nodes) {
        if (S->o->time_limit_s > 0 && remaining_s(S) <= 0) {
            S->stop = LM_STATUS_TIME_LIMIT;
            break;
        }
        bb_node n = bb_pop(&T);
        if (bb_prunable(S, n.bound)) {
            /* the best portfolio improved since the node was made */
            T.pruned_min = fmin(T.pruned_min, n.bound);
        } else if (bb_node_solve(S, &T, &n, y, set, d) != 0) {
            free(n.fix);
            rc = -1;
            break;
        }
        free(n.fix);
        S->lower = bb_lower(S, &T);
    }
    *n_nodes = T.n_nodes;
    for (int i = 0; i < T.n_open; i++) free(T.open[i].fix);
    free(T.open);
    free(fix);
    free(set);
    free(y);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * The carry between searches (a coarse search's cuts and portfolios). */

void lm_portfolio_carry_free(lm_portfolio_carry *c)
{
    if (!c) return;
    free(c->sets);
    free(c->objective);
    free(c->start);
    free(c->station);
    free(c->coef);
    free(c->rhs);
    memset(c, 0, sizeof *c);
}

/* The decided-dam index of station s, -1 if it is not decided here. */
static int dam_of_station(const search *S, int s)
{
    for (int i = 0; i < S->nc; i++)
        if (S->station[i] == s) return i;
    return -1;
}

/* Before the relaxation: add the seed's cuts (those over dams decided here), then price its
 * cheapest portfolios, the first cold with the LP method.  Returns -1 on a solver error. */
static int use_seed(search *S, const lm_portfolio_carry *c, unsigned char *set,
                    lm_portfolio_report *rep, lm_diag *d)
{
    if (!c || c->n_stations != S->m->ds->n_stations) {
        if (c) progress(S, "seed ignored: it is for %d stations, the dataset has %d",
                        c->n_stations, S->m->ds->n_stations);
        return 0;
    }
    int *dam = lm_xcalloc(S->nc + 1, sizeof *dam);
    int skipped = 0;
    for (int k = 0; k < c->n_cuts; k++) {
        int n = c->start[k + 1] - c->start[k], ok = n <= S->nc;
        for (int q = 0; q < n && ok; q++) {
            dam[q] = dam_of_station(S, c->station[c->start[k] + q]);
            ok = dam[q] >= 0;
        }
        if (!ok) {
            skipped++;
            continue;
        }
        if (add_cut(S, n, dam, c->coef + c->start[k], c->rhs[k]) == 0) rep->n_seed_cuts++;
    }
    free(dam);
    progress(S, "seed: %d cuts from the sediment floor added before the relaxation%s", rep->n_seed_cuts,
             skipped ? " (some skipped: over dams not decided here)" : "");
    int want = S->o->seed_portfolios > 0 ? S->o->seed_portfolios : 1;
    rep->seed_best = NAN;
    for (int k = 0; k < c->n_sets && rep->n_seed_priced < want && S->stop == LM_STATUS_OPTIMAL; k++) {
        int fits = 1;
        for (int s = 0; s < c->n_stations; s++)
            if (c->sets[(size_t)k * c->n_stations + s] && dam_of_station(S, s) < 0 &&
                S->m->dam_state[s] != LM_DAM_EXISTING && S->m->dam_state[s] != LM_DAM_BUILT)
                fits = 0; /* builds a dam this plan excludes */
        for (int i = 0; i < S->nc; i++) set[i] = c->sets[(size_t)k * c->n_stations + S->station[i]];
        if (!fits || !floor_ok(S, set)) continue;
        char why[96];
        snprintf(why, sizeof why, "seed %d, %.6g where it was found", k + 1, c->objective[k]);
        if (price(S, set, why, d) < 0) return -1;
        rep->n_seed_priced++;
        if (isfinite(S->seen_obj[S->n_seen - 1]) && !(S->seen_obj[S->n_seen - 1] >= rep->seed_best))
            rep->seed_best = S->seen_obj[S->n_seen - 1];
    }
    return 0;
}

/* The search's rows and its priced portfolios (best first, at most 20) into *c. */
static void fill_carry(const search *S, lm_portfolio_carry *c)
{
    const int ns = S->m->ds->n_stations;
    memset(c, 0, sizeof *c);
    c->n_stations = ns;
    c->n_cuts = S->n_rows;
    c->start = lm_xcalloc(S->n_rows + 1, sizeof *c->start);
    c->station = lm_xcalloc(S->nz + 1, sizeof *c->station);
    c->coef = lm_xcalloc(S->nz + 1, sizeof *c->coef);
    c->rhs = lm_xcalloc(S->n_rows + 1, sizeof *c->rhs);
    if (S->n_rows) memcpy(c->start, S->row_start, (size_t)(S->n_rows + 1) * sizeof *c->start);
    for (int q = 0; q < S->nz; q++) {
        c->station[q] = S->station[S->row_dam[q]];
        c->coef[q] = S->row_coef[q];
    }
    if (S->n_rows) memcpy(c->rhs, S->row_rhs, (size_t)S->n_rows * sizeof *c->rhs);

    /* the best first (it may come from a branch-and-bound node, not from `seen`) */
    int *ord = lm_xcalloc(S->n_seen + 1, sizeof *ord), n = 0;
    for (int k = 0; k < S->n_seen; k++)
        if (isfinite(S->seen_obj[k])) ord[n++] = k;
    for (int i = 1; i < n; i++) /* insertion sort, cheapest first (max_lps is small) */
        for (int j = i; j > 0 && S->seen_obj[ord[j]] < S->seen_obj[ord[j - 1]]; j--) {
            int t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    const int max = 20;
    c->sets = lm_xcalloc((size_t)(max + 1) * ns, 1);
    c->objective = lm_xcalloc(max + 1, sizeof *c->objective);
    unsigned char *row = c->sets;
    if (isfinite(S->best_obj)) {
        for (int i = 0; i < S->nc; i++) row[S->station[i]] = S->best_set[i];
        c->objective[c->n_sets++] = S->best_obj;
    }
    for (int k = 0; k < n && c->n_sets < max; k++) {
        const unsigned char *set = S->seen + (size_t)ord[k] * S->nc;
        if (isfinite(S->best_obj) && !memcmp(set, S->best_set, S->nc)) continue;
        row = c->sets + (size_t)c->n_sets * ns;
        for (int i = 0; i < S->nc; i++) row[S->station[i]] = set[i];
        c->objective[c->n_sets++] = S->seen_obj[ord[k]];
    }
    free(ord);
}

int lm_portfolio_search(const lm_model *m, const lm_portfolio_opts *opts, lm_solution *best,
                        lm_portfolio_report *rep, lm_diag *d)
{
    memset(best, 0, sizeof *best);
    memset(rep, 0, sizeof *rep);
    rep->lower_bound = NAN; /* until the relaxation is solved */
    search S = {.m = m, .o = opts, .lower = NAN, .best_obj = INFINITY, .stop = LM_STATUS_OPTIMAL};
    S.t0 = lm_now();
    S.max_lps = opts->max_lps > 0 ? opts->max_lps : 200;
    const lm_dataset *ds = m->ds;
    S.station = lm_xcalloc(ds->n_stations + 1, sizeof *S.station);
    S.col = lm_xcalloc(ds->n_stations + 1, sizeof *S.col);
    S.ystar = lm_xcalloc(ds->n_stations + 1, sizeof *S.ystar);
    S.y0 = lm_xcalloc(ds->n_stations + 1, sizeof *S.y0);
    for (int s = 0; s < ds->n_stations; s++)
        if (m->dam_state[s] == LM_DAM_DECIDE && m->col_build[s] >= 0) {
            S.station[S.nc] = s;
            S.col[S.nc++] = m->col_build[s];
        }
    S.ip = lm_xcalloc(ds->n_stations + 1, sizeof *S.ip);
    S.sout = lm_xcalloc(ds->n_reaches + 1, sizeof *S.sout);
    S.best_set = lm_xcalloc(S.nc + 1, 1);
    S.seen = lm_xcalloc((size_t)S.max_lps * S.nc + 1, 1);
    S.seen_obj = lm_xcalloc(S.max_lps + 1, sizeof *S.seen_obj);
    S.max_cuts = 20 * (S.nc > 0 ? S.nc : 1);
    S.cuts = lm_xcalloc((size_t)S.max_cuts * S.nc + 1, 1);
    unsigned char *set = lm_xcalloc(S.nc + 1, 1);
    int *ord = lm_xcalloc(S.nc + 1, sizeof *ord);
    rep->n_candidates = S.nc;
    int rc = 0;

    lm_solve_opts lo = opts->lp;
    lo.backend = "clp";
    lo.time_limit_s = opts->time_limit_s;
    lm_diag od; /* opening CLP on a model with integers warns that it relaxes them: intended */
    lm_diag_init(&od);
    if (lm_solver_open(&S.solver, m->lp, &lo, &od) != 0) {
        for (int i = 0; i < od.n_stored; i++) lm_diag_error(d, "%s", od.messages[i]);
        lm_diag_free(&od);
        rc = -1;
        goto done;
    }
    lm_diag_free(&od);

    rep->seed_best = NAN;
    if (opts->seed) {
        if (use_seed(&S, opts->seed, set, rep, d) != 0) {
            rc = -1;
            goto done;
        }
        if (S.n_seen > 0) {
            /* the relaxation from scratch: the priced portfolio's basis, with its build
             * columns fixed, is far from the relaxed optimum */
            for (int i = 0; i < S.nc; i++)
                lm_solver_set_col_bounds(S.solver, S.col[i], m->lp->col_lb[S.col[i]],
                                         m->lp->col_ub[S.col[i]]);
            lm_solver_forget_basis(S.solver);
        }
        if (S.stop != LM_STATUS_OPTIMAL) goto finish;
    }

    progress(&S, "solving the LP relaxation (%d build decisions) ...", S.nc);
    lm_solution relax = {0};
    double t = lm_now();
    if (solve_counted(&S, &relax, d) != 0) {
        rc = -1;
        goto done;
    }
    rep->relaxation_s = lm_now() - t;
    rep->relaxation_iterations = relax.iterations;
    if (relax.status != LM_STATUS_OPTIMAL && relax.status != LM_STATUS_INFEASIBLE &&
        relax.status != LM_STATUS_UNBOUNDED && isfinite(S.best_obj)) {
        /* stopped early with a seed priced: the seed is the answer, without a bound */
        lm_solution_free(&relax);
        S.stop = LM_STATUS_TIME_LIMIT;
        goto finish;
    }
    if (relax.status != LM_STATUS_OPTIMAL) {
        /* infeasible or unbounded relaxation: so is the MILP; otherwise stopped early */
        *best = relax;
        best->best_bound = NAN;
        best->gap = NAN;
        goto done;
    }
    S.lower = relax.objective;
    rep->lower_bound = relax.objective;
    for (int i = 0; i < S.nc; i++) {
        S.ystar[i] = fmin(1, fmax(0, relax.x[S.col[i]]));
        rep->n_fractional += S.ystar[i] > 1e-6 && S.ystar[i] < 1 - 1e-6;
    }
    lm_solution_free(&relax);
    progress(&S, "relaxation: bound %.6g in %.1f s (%ld iterations), %d of %d decisions fractional",
             S.lower, rep->relaxation_s, rep->relaxation_iterations, rep->n_fractional, S.nc);

    memcpy(S.y0, S.ystar, (size_t)S.nc * sizeof *S.y0);
    order_by_ystar(&S, ord);
    rep->cut_bound = S.lower;
    if (cover_rounds(&S, opts->cut_rounds > 0 ? opts->cut_rounds : opts->cut_rounds < 0 ? 0 : 20,
                     set, ord, rep, d) != 0) {
        rc = -1;
        goto done;
    }
    if (seed(&S, ord, set, d) != 0 || improve(&S, ord, set, d) != 0) {
        rc = -1;
        goto done;
    }
    /* the moves may have used up max_lps: branch and bound has its own limit */
    if (S.stop == LM_STATUS_ITERATION_LIMIT) S.stop = LM_STATUS_OPTIMAL;
    if (!proven(&S) && S.stop == LM_STATUS_OPTIMAL && isfinite(S.best_obj)) {
        progress(&S, "gap %.3f %% after %d portfolios: branch and bound on the build decisions",
                 100 * gap_of(S.best_obj, S.lower), S.n_seen);
        if (branch_and_bound(&S, opts->max_nodes > 0 ? opts->max_nodes : 100000, &rep->n_nodes,
                             d) != 0) {
            rc = -1;
            goto done;
        }
    }

finish:
    if (!isfinite(S.best_obj)) {
        /* no portfolio priced feasibly (or the search was stopped before one) */
        best->status = S.stop != LM_STATUS_OPTIMAL ? S.stop : LM_STATUS_INFEASIBLE;
        best->objective = NAN;
        best->best_bound = S.lower;
        best->gap = NAN;
        if (best->status == LM_STATUS_INFEASIBLE)
            lm_diag_warn(d, "portfolio search: no portfolio that meets the sediment floor gave a "
                         "feasible LP (%d priced)", S.n_seen);
        goto done;
    }
    *best = S.best;
    memset(&S.best, 0, sizeof S.best);
    best->best_bound = S.lower;
    best->gap = gap_of(S.best_obj, S.lower);
    if (best->gap <= opts->gap) best->status = LM_STATUS_OPTIMAL;
    else best->status = S.stop != LM_STATUS_OPTIMAL ? S.stop : LM_STATUS_ITERATION_LIMIT;
    if (isnan(S.lower))
        lm_diag_warn(d, "portfolio search: best portfolio %.6g has no bound: the relaxation did "
                     "not finish (%s; %d portfolios priced)", S.best_obj, lm_status_name(S.stop),
                     S.n_seen);
    else if (best->gap > opts->gap)
        lm_diag_warn(d, "portfolio search: best portfolio %.6g is %.3f %% above the relaxation "
                     "bound %.6g: the requested gap of %.3f %% is not proven (%d portfolios priced, "
                     "%d branch-and-bound nodes)",
                     S.best_obj, 100 * best->gap, S.lower, 100 * opts->gap, S.n_seen, rep->n_nodes);
    rep->n_built = count(&S, S.best_set);
    rep->best_sediment_mt = delivered(&S, S.best_set);

done:
    if (opts->carry_out) fill_carry(&S, opts->carry_out);
    best->iterations = S.iterations;
    rep->proven_bound = S.lower;
    rep->n_lps = S.n_seen;
    rep->seconds = lm_now() - S.t0;
    best->seconds = rep->seconds;
    lm_solution_free(&S.best);
    if (S.solver) lm_solver_close(S.solver);
    free(S.station);
    free(S.col);
    free(S.ystar);
    free(S.y0);
    free(S.ip);
    free(S.sout);
    free(S.best_set);
    free(S.seen);
    free(S.seen_obj);
    free(S.cuts);
    free(S.row_start);
    free(S.row_dam);
    free(S.row_coef);
    free(S.row_rhs);
    free(set);
    free(ord);
    return rc;
}
