/* bench_portfolio.c - the dam-portfolio MILP by the portfolio search with and without the cuts
 * from the sediment floor, and (when the plan has solver.coarse_months) coarse to fine: for
 * each, the relaxation's bound, the bound after the cuts, the proven bound, the best
 * portfolio, the gap and the wall time (docs/solver.md, "Portfolio search").  The plan's
 * solver options (method, mip_gap, time_limit_s) are used.
 *
 * Usage: bench_portfolio [PLAN]   (default plans/xu2025/bench-1day-sediment50.yaml; the Xu et
 * al. data from LMPLAN_XU2025_DIR) */
#include "bench_load.h"
#include "core/util.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "model/model.h"
#include "model/portfolio_search.h"
#include "solver/solve.h"

#include <stdio.h>
#include <string.h>

static void status_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "  %s\n", line);
}

int main(int argc, char **argv)
{
    const char *plan_path = argc > 1 ? argv[1] : "plans/xu2025/bench-1day-sediment50.yaml";
    lm_plan *plan;
    lm_dataset *ds;
    lm_model *m;
    lm_diag d;
    lm_diag_init(&d);
    if (bench_load(plan_path, &plan, &ds, &m, &d)) return 1;
    printf("objective       M USD (discounted to 2020); gap %% = (best - proven bound) / best\n");
    printf("%-7s %12s %12s %8s %12s %12s %8s %6s %6s %6s %9s  %s\n", "search", "relaxation",
           "after cuts", "n cuts", "proven bound", "best", "gap %", "dams", "priced", "nodes",
           "wall s", "status");
    int rc = 0;
    /* cuts on, cuts off, then coarse to fine (with the cuts) if the plan asks for it */
    for (int run = 0; run < (plan->n_coarse_months ? 3 : 2); run++) {
        int with = run != 1, coarse = run == 2;
        const char *name = coarse ? "coarse" : with ? "cuts" : "no cuts";
        fprintf(stderr, "search: %s\n", name);
        lm_portfolio_opts po = {.gap = plan->mip_gap, .time_limit_s = plan->time_limit_s,
                                .cut_rounds = with ? 0 : -1, .progress = status_line};
        lm_solve_opts_default(&po.lp);
        po.lp.method = plan->method;
        po.lp.barrier_regularization = lm_model_barrier_regularization(m);
        po.lp.log_level = 0;
        lm_solution sol;
        lm_portfolio_report rep;
        int src = coarse ? lm_portfolio_search_coarse_to_fine(m, &po, &sol, &rep, &d)
                         : lm_portfolio_search(m, &po, &sol, &rep, &d);
        if (src != 0) {
            lm_diag_print(&d, stderr);
            rc = 1;
            break;
        }
        printf("%-7s %12.4f %12.4f %8d %12.4f %12.4f %8.3f %6d %6d %6d %9.1f  %s\n",
               name, rep.lower_bound, rep.cut_bound, rep.n_cuts, rep.proven_bound,
               sol.objective, 100 * sol.gap, rep.n_built, rep.n_lps, rep.n_nodes, rep.seconds,
               lm_status_name(sol.status));
        if (coarse)
            printf("        coarse search on %d day(s): bound %.4f, best %.4f, %.1f s; %d cuts "
                   "carried, %d portfolio(s) priced first (cheapest %.4f)\n", rep.coarse_months,
                   rep.coarse_bound, rep.coarse_best, rep.coarse_seconds, rep.n_seed_cuts,
                   rep.n_seed_priced, rep.seed_best);
        fflush(stdout);
        lm_solution_free(&sol);
    }
    lm_model_free(m);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    lm_diag_free(&d);
    return rc;
}
