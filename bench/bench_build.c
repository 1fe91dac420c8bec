/* bench_build.c - figures for the model pipeline on the Xu et al. (2025) Mekong data: time to
 * load the dataset, build the model and write it (MPS), and the model's size.  No solve.
 *
 * Usage: bench_build [PLAN] [MPS_OUT]   (default plans/xu2025/ghg1-free-existing-dams.yaml,
 * /tmp/lmplan-bench.mps); run from the repository root.  Peak memory is read from
 * /proc/self/status (VmHWM). */
#include "core/util.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "model/model.h"
#include "solver/solve.h"

#include <stdio.h>
#include <string.h>

static long peak_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) sscanf(line + 6, "%ld", &kb);
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    const char *plan_path = argc > 1 ? argv[1] : "plans/xu2025/ghg1-free-existing-dams.yaml";
    const char *mps = argc > 2 ? argv[2] : "/tmp/lmplan-bench.mps";
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *plan = NULL;
    lm_dataset *ds = NULL;
    double t0 = lm_now();
    if (lm_plan_load(plan_path, &plan, &d) || lm_dataset_load(plan->dataset, &ds, &d)) {
        lm_diag_print(&d, stderr);
        return 1;
    }
    double load = lm_now() - t0;
    t0 = lm_now();
    lm_model *m = NULL;
    if (lm_model_build(ds, plan, &m, &d)) {
        lm_diag_print(&d, stderr);
        return 1;
    }
    double build = lm_now() - t0;
    t0 = lm_now();
    if (lm_lp_write_mps(m->lp, mps, &d)) {
        lm_diag_print(&d, stderr);
        return 1;
    }
    double write = lm_now() - t0;
    printf("plan            %s\n", plan_path);
    printf("dataset         %s: %d zones, %d techs, %d years, %d steps, %d stations\n", ds->name,
           ds->n_zones, ds->n_techs, ds->n_years, ds->n_steps, ds->n_stations);
    printf("model size      %d rows, %d columns, %ld non-zeros\n", m->lp->nrows, m->lp->ncols, m->lp->nnz);
    printf("load            %.3f s\n", load);
    printf("build           %.3f s\n", build);
    printf("write MPS       %.3f s  (%s)\n", write, mps);
    printf("peak memory     %.1f MB\n", peak_kb() / 1024.0);
    lm_model_free(m);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    lm_diag_free(&d);
    return 0;
}
