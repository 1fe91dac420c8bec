/* bench_resolve.c - warm against cold re-solves: solve a plan's LP, tighten the last modelled
 * year's basin carbon cap by 5 % (or, with --sediment, raise the sediment floor by 1 Mt/yr),
 * re-solve warm from the previous basis, then solve the changed model cold, and print both
 * times, iterations, objectives and the warm/cold ratio.
 *
 * Usage: bench_resolve [PLAN] [--sediment]   (default plans/xu2025/bench-4days-s0.yaml) */
#include "bench_load.h"
#include "core/util.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "model/model.h"
#include "solver/solve.h"

#include <stdio.h>
#include <string.h>

static int solve_timed(lm_solver *s, lm_solution *sol, double *secs, lm_diag *d)
{
    double t0 = lm_now();
    int rc = lm_solver_solve(s, sol, d);
    *secs = lm_now() - t0;
    return rc;
}

int main(int argc, char **argv)
{
    const char *plan_path = "plans/xu2025/bench-4days-s0.yaml";
    int sediment = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sediment")) sediment = 1;
        else plan_path = argv[i];
    }
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *plan;
    lm_dataset *ds;
    lm_model *m;
    if (bench_load(plan_path, &plan, &ds, &m, &d)) return 1;
    int row = -1;
    double lb = 0, ub = 0;
    if (sediment) {
        row = m->row_sediment_floor;
        if (row < 0) { fprintf(stderr, "bench_resolve: the plan has no sediment floor with decided dams\n"); return 1; }
        lb = m->lp->row_lb[row] + 1.0;
        ub = m->lp->row_ub[row];
    } else {
        for (int y = m->n_years - 1; y >= 0 && row < 0; y--) row = m->row_cap_basin[y];
        if (row < 0) { fprintf(stderr, "bench_resolve: the plan has no basin carbon cap\n"); return 1; }
        lb = m->lp->row_lb[row];
        ub = m->lp->row_ub[row] * 0.95;
    }
    char name[256];
    lm_lp_row_name(m->lp, row, name, sizeof name);
    printf("changed row     %s: [%g, %g] -> [%g, %g]\n", name, m->lp->row_lb[row], m->lp->row_ub[row], lb, ub);

    lm_solve_opts o;
    lm_solve_opts_default(&o);
    o.log_level = 0;
    lm_solver *s = NULL;
    lm_solution a = {0}, b = {0}, c = {0};
    double t_first, t_warm, t_cold;
    if (lm_solver_open(&s, m->lp, &o, &d) || solve_timed(s, &a, &t_first, &d)) goto fail;
    lm_solver_set_row_bounds(s, row, lb, ub);
    if (solve_timed(s, &b, &t_warm, &d)) goto fail;
    lm_solver_close(s);
    m->lp->row_lb[row] = lb;
    m->lp->row_ub[row] = ub;
    if (lm_solver_open(&s, m->lp, &o, &d) || solve_timed(s, &c, &t_cold, &d)) goto fail;
    lm_solver_close(s);
    printf("first solve     %8.2f s  %7ld iterations  %s  objective %.6f M USD\n", t_first, a.iterations, lm_status_name(a.status), a.objective);
    printf("warm re-solve   %8.2f s  %7ld iterations  %s  objective %.6f M USD\n", t_warm, b.iterations, lm_status_name(b.status), b.objective);
    printf("cold re-solve   %8.2f s  %7ld iterations  %s  objective %.6f M USD\n", t_cold, c.iterations, lm_status_name(c.status), c.objective);
    printf("warm / cold     %8.3f (time), %.3f (iterations)\n", t_warm / t_cold, (double)b.iterations / (double)(c.iterations ? c.iterations : 1));
    lm_solution_free(&a); lm_solution_free(&b); lm_solution_free(&c);
    lm_model_free(m); lm_dataset_free(ds); lm_plan_free(plan); lm_diag_free(&d);
    return 0;
fail:
    lm_diag_print(&d, stderr);
    return 1;
}
