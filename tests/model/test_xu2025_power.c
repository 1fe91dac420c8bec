/* test_xu2025_power.c - the power-system model on the real Xu et al. (2025) data (read in
 * place through data/mekong-xu2025.yaml), reduced to two representative days and two years so
 * it solves in seconds: the run is written to a result store and read back, and from the
 * stored tables the energy balance must hold per zone and step to 1e-6, the 2030 basin cap
 * (146 Mt) must hold, and the cost breakdown must add up to the objective. */
#include "../test_util.h"

#include "model/model.h"
#include "solver/solve.h"
#include "store/store.h"

#include <string.h>
#include <unistd.h>

static void test_reduced_xu2025_run_is_consistent(void **state)
{
    (void)state;
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/tech_type.csv", xu2025_dir());
    if (access(probe, R_OK) != 0) skip();
    setenv("LMPLAN_XU2025_DIR", xu2025_dir(), 1);

    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    if (lm_dataset_load(source_path("data/mekong-xu2025.yaml"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail();
    }
    int years[] = {2020, 2030}, months[] = {1, 7};
    lm_external_zone china = {"China", 87, 1.0};
    lm_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.path = "test";
    plan.name = "xu2025-reduced";
    plan.n_years = 2; plan.years = years;
    plan.n_months = 2; plan.months = months;
    plan.carbon_caps = LM_CAPS_DATASET;
    plan.transmission = LM_TRANS_FREE;
    plan.n_external = 1; plan.external = &china;
    plan.mode = LM_MODE_FAITHFUL;
    plan.hydro_model = LM_HYDRO_BUDGET; /* the power-system part; the cascade is test_hydro's */

    lm_model *m = NULL;
    assert_int_equal(lm_model_build(ds, &plan, &m, &d), 0);
    lm_solve_opts o;
    lm_solve_opts_default(&o);
    o.log_level = 0;
    lm_solution sol = {0};
    assert_int_equal(lm_solve(m->lp, &o, &sol, &d), 0);
    assert_int_equal(sol.status, LM_STATUS_OPTIMAL);
    lm_results *res = lm_results_new();
    assert_int_equal(lm_model_extract(m, &sol, res, &d), 0);

    char dir[] = "/tmp/lmplan-xu-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/store.sqlite", dir);
    lm_store *st = NULL;
    assert_int_equal(lm_store_open(&st, path, &d), 0);
    int64_t run = 0;
    lm_run_info info = {"xu2025-reduced", "test", "-", ds->name, ds->hash, "clp", "dual"};
    assert_int_equal(lm_store_begin_run(st, &info, &run, &d), 0);
    lm_run_outcome out = {"optimal", sol.objective, m->lp->nrows, m->lp->ncols, m->lp->nnz, 0, 0, 0, 0, NULL};
    assert_int_equal(lm_store_finish_run(st, run, res, &out, &d), 0);
    lm_results *back = NULL;
    assert_int_equal(lm_store_load_results(st, run, &back, &d), 0);

    /* energy balance per zone and step from the stored tables */
    const lm_result_table *bal = lm_results_find(back, "balance");
    const lm_result_table *gen = lm_results_find(back, "generation");
    const lm_result_table *flo = lm_results_find(back, "flows");
    const lm_result_table *sto = lm_results_find(back, "storage");
    assert_non_null(bal); assert_non_null(gen); assert_non_null(flo); assert_non_null(sto);
    int nz = ds->n_zones, nt = m->n_steps, ny = m->n_years;
    double *lhs = calloc((size_t)nz * ny * nt, sizeof(double));
    #define SLOT(zn, yr, mo, hr) \
        ((lm_dataset_zone(ds, zn) * ny + (atoi(yr) == 2020 ? 0 : 1)) * nt + (atoi(mo) == 1 ? 0 : 24) + atoi(hr) - 1)
    for (int i = 0; i < gen->n_rows; i++) {
        const char *const *k = &gen->keys[i * 5];
        lhs[SLOT(k[0], k[2], k[3], k[4])] += gen->vals[i];
    }
    for (int i = 0; i < flo->n_rows; i++) {
        const char *const *k = &flo->keys[i * 5];
        lhs[SLOT(k[0], k[2], k[3], k[4])] -= flo->vals[i * 2];
        lhs[SLOT(k[1], k[2], k[3], k[4])] += flo->vals[i * 2 + 1];
    }
    for (int i = 0; i < sto->n_rows; i++) {
        const char *const *k = &sto->keys[i * 5];
        lhs[SLOT(k[0], k[2], k[3], k[4])] -= sto->vals[i * 3];
    }
    assert_int_equal(bal->n_rows, nz * ny * nt);
    for (int i = 0; i < bal->n_rows; i++) {
        const char *const *k = &bal->keys[i * 4];
        assert_rel(lhs[SLOT(k[0], k[1], k[2], k[3])], bal->vals[i * 3], 1e-6);
    }
    free(lhs);

    /* the 2030 basin cap holds and binds (2020 is uncapped) */
    const lm_result_table *caps = lm_results_find(back, "carbon_caps");
    int seen = 0;
    for (int i = 0; i < caps->n_rows; i++)
        if (!strcmp(caps->keys[i * 2], "basin") && !strcmp(caps->keys[i * 2 + 1], "2030")) {
            assert_rel(caps->vals[i * 3], 146.0, 1e-12);
            assert_true(caps->vals[i * 3 + 1] <= 146.0 * (1 + 1e-7));
            assert_true(caps->vals[i * 3 + 2] > 0); /* binding: positive carbon price */
            seen = 1;
        }
    assert_true(seen);

    /* cost components add up to the objective */
    double total = 0, v;
    const char *parts[] = {"cost_variable_musd", "cost_fixed_musd", "cost_investment_musd",
                           "cost_line_investment_musd"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(lm_results_find_scalar(back, parts[i], &v), 0);
        total += v;
    }
    assert_int_equal(lm_results_find_scalar(back, "objective_musd", &v), 0);
    assert_rel(total, v, 1e-9);
    assert_rel(v, sol.objective, 1e-12);

    lm_results_free(back);
    lm_store_close(st);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reduced_xu2025_run_is_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
