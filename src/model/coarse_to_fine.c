/* coarse_to_fine.c - the portfolio search run first on a few representative days, its cuts
 * and portfolios carried into the search on the plan's full time resolution (plan
 * solver.coarse_months; docs/solver.md, "Coarse to fine").
 *
 * Why: on the twelve Mekong days one LP costs from a quarter of an hour (a fixed portfolio,
 * barrier) to over an hour (the relaxation), so the search there can afford a handful of
 * LPs, while on one day it prices dozens and runs its cut rounds in seconds.  The cuts from
 * the sediment floor depend only on the build decisions and the sediment network, not on the
 * days modelled, so every coarse cut is valid on the fine model and goes in before its
 * relaxation; the coarse best portfolio is usually near the fine one, and priced first it
 * gives the fine search an upper bound before the long relaxation. */
#include "model/portfolio_search.h"

#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void coarse_progress(void *ctx, const char *line)
{
    const lm_portfolio_opts *o = ctx;
    char buf[600];
    snprintf(buf, sizeof buf, "coarse: %s", line);
    o->progress(o->progress_ctx, buf);
}

int lm_portfolio_search_coarse_to_fine(const lm_model *m, const lm_portfolio_opts *opts,
                                       lm_solution *best, lm_portfolio_report *rep, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *plan = m->plan;
    if (plan->n_coarse_months == 0 || opts->seed)
        return lm_portfolio_search(m, opts, best, rep, d);
    memset(best, 0, sizeof *best);
    memset(rep, 0, sizeof *rep);
    for (int i = 0; i < plan->n_coarse_months; i++) {
        int found = 0;
        for (int j = 0; j < ds->n_months; j++) found |= ds->months[j] == plan->coarse_months[i];
        if (!found) {
            lm_diag_error(d, "%s: solver.coarse_months: month %d has no representative day in "
                          "dataset %s", plan->path, plan->coarse_months[i], ds->name);
            return -1;
        }
    }

    /* the same plan on the coarse days only (the copy shares every other field) */
    double t0 = lm_now();
    lm_plan coarse_plan = *plan;
    coarse_plan.months = plan->coarse_months;
    coarse_plan.n_months = plan->n_coarse_months;
    lm_model *cm = NULL;
    if (lm_model_build(ds, &coarse_plan, &cm, d) != 0) return -1;

    lm_portfolio_opts co = *opts;
    co.lp.method = "dual"; /* a small model whose search is warm re-solves */
    co.lp.barrier_regularization = 0;
    co.gap = opts->gap / 2; /* a better portfolio to carry, cheaply */
    co.time_limit_s = opts->time_limit_s > 0 ? opts->time_limit_s / 10 : 0;
    co.progress = opts->progress ? coarse_progress : NULL;
    co.progress_ctx = (void *)opts;
    lm_portfolio_carry carry = {0};
    co.carry_out = &carry;
    lm_solution csol;
    lm_portfolio_report crep;
    lm_diag cd; /* the coarse search's own warnings (e.g. gap not proven) are not the run's */
    lm_diag_init(&cd);
    if (opts->progress) {
        char line[160];
        snprintf(line, sizeof line, "coarse search on %d representative day(s): %d rows, %d columns",
                 plan->n_coarse_months, cm->lp->nrows, cm->lp->ncols);
        opts->progress(opts->progress_ctx, line);
    }
    int rc = lm_portfolio_search(cm, &co, &csol, &crep, &cd);
    if (rc != 0) {
        for (int i = 0; i < cd.n_stored; i++) lm_diag_error(d, "coarse search: %s", cd.messages[i]);
        lm_diag_free(&cd);
        lm_solution_free(&csol);
        lm_portfolio_carry_free(&carry);
        lm_model_free(cm);
        return -1;
    }
    lm_diag_free(&cd);
    double coarse_s = lm_now() - t0;
    double coarse_bound = csol.best_bound, coarse_best = csol.objective;
    lm_solve_status coarse_status = csol.status;
    lm_solution_free(&csol);
    lm_model_free(cm);
    if (opts->progress) {
        char line[240];
        snprintf(line, sizeof line, "coarse search: %s, bound %.6g, best %.6g, %d cuts and %d "
                 "portfolios carried, %.1f s", lm_status_name(coarse_status), coarse_bound,
                 coarse_best, carry.n_cuts, carry.n_sets, coarse_s);
        opts->progress(opts->progress_ctx, line);
    }

    lm_portfolio_opts fo = *opts;
    fo.seed = &carry;
    if (fo.time_limit_s > 0) fo.time_limit_s = fmax(1, opts->time_limit_s - coarse_s);
    rc = lm_portfolio_search(m, &fo, best, rep, d);
    lm_portfolio_carry_free(&carry);
    rep->coarse_months = plan->n_coarse_months;
    rep->coarse_bound = coarse_bound;
    rep->coarse_best = coarse_best;
    rep->coarse_seconds = coarse_s;
    rep->seconds += coarse_s;
    best->seconds = rep->seconds;
    return rc;
}
