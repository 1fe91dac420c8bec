/* bench_assess.c - how long the whole assessment (src/assess/assess.c) takes for a run with
 * 110 dams: the Xu et al. (2025) dataset with every candidate built, presented as a run's
 * `dams` table (built = 1, energy from the natural-flow estimate), assessed N times; prints
 * the mean, the fastest and the slowest time, and the parts (projects, tables, scorecard rows).
 *
 * Usage: bench_assess [N]   (default 20; run from the repository root; the Xu et al. data at
 *                            ../shared/data/mekong-xu2025 or LMPLAN_XU2025_DIR) */
#include "assess/assess.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    if (n < 1) n = 1;
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    lm_declared *dc = NULL;
    lm_criteria *cr = NULL;
    lm_fin_sources *fs = NULL;
    lm_sc_table *sc = NULL;
    lm_declared_options dopt = {.as_of_yyyymmdd = 20250601};
    double t_load = lm_now();
    if (lm_dataset_load("data/mekong-xu2025.yaml", &ds, &d) ||
        lm_declared_read(ds, "data/xu2025-declared/projects_declared.csv", &dopt, &dc, &d) ||
        lm_criteria_load("data/criteria/green_finance_criteria.csv", &cr, &d) ||
        lm_fin_sources_load("data/criteria/financing_sources.csv", &fs, &d) ||
        lm_sc_table_load("data/criteria/unep_indicators.csv", &sc, &d)) {
        lm_diag_print(&d, stderr);
        return 1;
    }
    t_load = lm_now() - t_load;
    /* a run's dams table: every station built, energy from the natural-flow estimate */
    lm_results *run = lm_results_new();
    lm_result_table *t = lm_results_table(run, "dams", "#station_id",
                                          "state,built,capacity_mw,first_year,energy_twh_last_year");
    double *mwh = lm_xmalloc((size_t)ds->n_stations * sizeof *mwh);
    lm_ghg_natural_generation_mwh(ds, mwh);
    for (int s = 0; s < ds->n_stations; s++) {
        const char *k[1] = {lm_results_intern_int(run, ds->stations[s].id)};
        double v[5] = {ds->stations[s].is_existing ? 0 : 1, 1, ds->stations[s].capacity_mw,
                       ds->stations[s].is_existing ? NAN : ds->stations[s].commissioning_year,
                       mwh[s] / 1e6};
        lm_results_row(run, t, k, v);
    }
    lm_assess_ctx c;
    lm_assess_ctx_init(&c, ds, dc, cr, fs, sc);
    c.run = run;
    c.run_id = 1;
    c.sediment_reach_id = 540;
    double sum = 0, lo = 1e30, hi = 0;
    int n_tables = 0, n_rows = 0, n_projects = 0;
    for (int i = 0; i < n; i++) {
        lm_results *res = lm_results_new();
        lm_assess_summary s;
        double t0 = lm_now();
        if (lm_assess_plan(&c, NULL, res, &s, &d) != 0) {
            lm_diag_print(&d, stderr);
            return 1;
        }
        double dt = lm_now() - t0;
        sum += dt;
        lo = dt < lo ? dt : lo;
        hi = dt > hi ? dt : hi;
        n_tables = res->n_tables;
        n_rows = 0;
        for (int k = 0; k < res->n_tables; k++) n_rows += res->tables[k]->n_rows;
        n_projects = s.n_projects;
        lm_assess_summary_free(&s);
        lm_results_free(res);
    }
    printf("bench_assess: Xu et al. (2025), %d stations in the run (%d projects), %d "
           "assessments\n", ds->n_stations, n_projects, n);
    printf("  inputs loaded once in %.3f s (dataset, declared data, criteria, financing "
           "sources, UNEP indicators)\n", t_load);
    printf("  assessment: mean %.4f s, fastest %.4f s, slowest %.4f s; %d tables, %d rows\n",
           sum / n, lo, hi, n_tables, n_rows);
    free(mwh);
    lm_results_free(run);
    lm_sc_table_free(sc);
    lm_fin_sources_free(fs);
    lm_criteria_free(cr);
    lm_declared_free(dc);
    lm_dataset_free(ds);
    lm_diag_free(&d);
    return 0;
}
