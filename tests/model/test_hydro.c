/* test_hydro.c - the hydropower cascade: a storage-limited daily reservoir solved by hand, and
 * conservation on the tiny hydro dataset - water balance per station and step, routing with
 * delays that wrap within the day, zonal output = sum of station outputs - for a fixed
 * portfolio (LP) and with the candidates' build decisions as binaries (MILP). */
#include "../test_util.h"
#include "toy.h"

#include "model/model.h"
#include "solver/solve.h"
#include "store/results.h"

#include <string.h>
#include <unistd.h>

static lm_results *solve_and_extract(const lm_dataset *ds, const lm_plan *plan, lm_model **mp,
                                     lm_solution *sol)
{
    lm_diag d;
    lm_diag_init(&d);
    if (lm_model_build(ds, plan, mp, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("model build failed");
    }
    lm_solve_opts o;
    lm_solve_opts_default(&o);
    o.log_level = 0;
    assert_int_equal(lm_solve((*mp)->lp, &o, sol, &d), 0);
    assert_int_equal(sol->status, LM_STATUS_OPTIMAL);
    lm_results *res = lm_results_new();
    assert_int_equal(lm_model_extract(*mp, sol, res, &d), 0);
    lm_diag_free(&d);
    return res;
}

/* One zone, one day of two hours standing for the year (w = 2/8760, r = 0 so f_var = 10).
 * Demand 50 then 150 MW; gas at 100 USD/MWh; a daily reservoir with 100 m3/s inflow, output
 * 1 MW per m3/s (coefficient 10, head 100 m), 200 MW, storage 0.001e8 m3 = 27.78 (m3/s)h.
 * Hour 1 turbines 50 and stores at most 27.78 (the rest spills); hour 2 turbines 127.78; gas
 * covers 22.22 MW: 22.222 x 100 x 10 x 4380 = 97,333,333 USD.  With 0.01e8 m3 of storage the
 * reservoir shifts the whole 50 and no gas is burnt. */
static void test_daily_reservoir_storage_limit(void **state)
{
    (void)state;
    const char *zones[] = {"Valley"};
    const char *techs[] = {"Gas", "Hydro"};
    int types[] = {LM_TECH_DISPATCHABLE, LM_TECH_HYDRO};
    lm_dataset *ds = toy_new(1, zones, 2, techs, types, 2);
    ds->demand_mw[0] = 50;
    ds->demand_mw[1] = 150;
    ds->fuel_cost_usd_per_mwh[0] = 100;
    ds->existing_capacity_mw[0] = 1000;
    ds->existing_capacity_mw[1] = 200;
    ds->lifetime_years[0] = ds->lifetime_years[1] = 100;
    ds->max_new_capacity_mw[0] = ds->max_new_capacity_mw[1] = 0;
    toy_station(ds, 7, 0, 200, 100, 10, LM_OP_DAILY, 100, 0.001, 1990);

    lm_plan plan = toy_plan();
    plan.hydro_model = LM_HYDRO_CASCADE;
    lm_model *m = NULL;
    lm_solution sol = {0};
    lm_results *res = solve_and_extract(ds, &plan, &m, &sol);
    assert_rel(sol.objective, (50 - 1e5 / 3600.0) * 100 * 10 * 4380 / 1e6, 1e-9);
    const lm_result_table *h = lm_results_find(res, "hydro_station");
    assert_non_null(h);
    assert_int_equal(h->n_rows, 2);
    assert_rel(h->vals[0 * 6 + 1], 50, 1e-9);                 /* turbine, hour 1 */
    assert_rel(h->vals[0 * 6 + 2], 50 - 1e5 / 3600.0, 1e-9);  /* spill, hour 1 */
    assert_rel(h->vals[1 * 6 + 1], 100 + 1e5 / 3600.0, 1e-9); /* turbine, hour 2 */
    assert_rel(h->vals[1 * 6 + 4], h->vals[0 * 6 + 3], 1e-9); /* the day closes */
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);

    ds->storage_max_1e8m3[0] = ds->storage_max_1e8m3[1] = 0.01;
    res = solve_and_extract(ds, &plan, &m, &sol);
    assert_rel(sol.objective, 0, 1e-9);
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);
    toy_free(ds);
}

/* Routing as spec C24: upstream hour h - delta (delta = trunc(delay), reduced below the day
 * length), wrapped within the same day. */
static int upstream_hour(int h, double delay, int H)
{
    int delta = (int)delay;
    while (delta > H) delta -= H;
    return h - delta >= 0 ? h - delta : H - delta + h;
}

/* Model year / step indices of a hydro_station row. */
static int model_year(const lm_model *m, int year)
{
    for (int y = 0; y < m->n_years; y++)
        if (m->ds->years[m->year_ds[y]] == year) return y;
    return -1;
}

static int model_step(const lm_model *m, int month, int hour)
{
    for (int mo = 0; mo < m->n_months; mo++)
        if (m->ds->months[m->month_ds[mo]] == month) return mo * m->n_hours + hour - 1;
    return -1;
}

static void check_conservation(const lm_dataset *ds, const lm_model *m, const lm_results *res)
{
    const lm_result_table *h = lm_results_find(res, "hydro_station");
    const lm_result_table *g = lm_results_find(res, "generation");
    int H = m->n_hours, T = m->n_steps, Y = m->n_years, S = ds->n_stations;
    assert_int_equal(h->n_rows, S * Y * T);
    /* index rows by station, year, step */
    const double **row = calloc((size_t)S * Y * T, sizeof *row);
    for (int i = 0; i < h->n_rows; i++) {
        int s = lm_dataset_station(ds, atol(h->keys[i * 4]));
        int y = model_year(m, atoi(h->keys[i * 4 + 1]));
        int t = model_step(m, atoi(h->keys[i * 4 + 2]), atoi(h->keys[i * 4 + 3]));
        assert_true(s >= 0 && y >= 0 && t >= 0);
        row[((size_t)s * Y + y) * T + t] = &h->vals[i * 6];
    }
    for (int y = 0; y < Y; y++)
        for (int s = 0; s < S; s++)
            for (int t = 0; t < T; t++) {
                const double *v = row[((size_t)s * Y + y) * T + t];
                /* routing: inflow = local + delayed upstream outflow (same day) */
                double q = ds->inflow_m3s[(size_t)s * ds->n_steps + lm_m_ds_step(m, t)];
                for (int e = 0; e < ds->n_edges; e++) {
                    if (ds->edge_down[e] != s) continue;
                    int u = ds->edge_up[e];
                    int src = (t / H) * H + upstream_hour(t % H, ds->edge_delay_h[e], H);
                    const double *uv = row[((size_t)u * Y + y) * T + src];
                    q += uv[1] + uv[2];
                }
                assert_rel(v[0], q, 1e-9);
                /* water balance in 1e8 m3 */
                if (isnan(v[3])) {
                    assert_rel(v[1] + v[2], v[0], 1e-9); /* passes through (or run of river) */
                } else {
                    double dv = (v[0] - v[1] - v[2]) * 3600 * m->dt_h * 1e-8;
                    assert_rel(v[4] - v[3], dv, 1e-6);
                }
            }
    /* zone output = sum of station outputs (+ capacity outside the station network) */
    for (int i = 0; i < g->n_rows; i++) {
        if (strcmp(g->keys[i * 5 + 1], "Hydro")) continue;
        int z = lm_dataset_zone(ds, g->keys[i * 5]);
        int y = model_year(m, atoi(g->keys[i * 5 + 2]));
        int t = model_step(m, atoi(g->keys[i * 5 + 3]), atoi(g->keys[i * 5 + 4]));
        double sum = 0;
        for (int s = 0; s < S; s++)
            if (ds->stations[s].zone == z) sum += row[((size_t)s * Y + y) * T + t][5];
        assert_rel(g->vals[i], sum, 1e-6);
    }
    free(row);
}

/* The real Xu et al. network (110 stations, 101 links, delays up to 156 h) for 2030 with two
 * representative days and the 27-dam portfolio: water balance per station and step, routing
 * and zonal output, to 1e-6. */
static void test_xu2025_cascade_conserves_water(void **state)
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
    /* the first 27 dams of the published sequence (spec 7.2) */
    int build[] = {59, 62, 61, 55, 68, 63, 452, 250, 385, 422, 51, 439, 30, 118, 203, 45,
                   116, 47, 418, 437, 388, 221, 529, 39, 334, 359, 216};
    int years[] = {2030}, months[] = {3, 9};
    lm_external_zone china = {"China", 87, 1.0};
    lm_plan plan = toy_plan();
    plan.n_years = 1; plan.years = years;
    plan.n_months = 2; plan.months = months;
    plan.carbon_caps = LM_CAPS_DATASET;
    plan.n_external = 1; plan.external = &china;
    plan.mode = LM_MODE_FAITHFUL;
    plan.hydro_model = LM_HYDRO_CASCADE;
    plan.n_dams_build = 27; plan.dams_build = build;
    lm_model *m = NULL;
    lm_solution sol = {0};
    lm_results *res = solve_and_extract(ds, &plan, &m, &sol);
    check_conservation(ds, m, res);
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

static void test_tiny_cascade_conserves_water(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    if (lm_dataset_load(fixture("datasets/tiny/hydro.yaml"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail();
    }
    lm_plan plan = toy_plan();
    plan.hydro_model = LM_HYDRO_CASCADE;
    plan.unserved_energy_cost_usd_per_mwh = 10000;
    /* station 21 would exceed Delta's hydro capacity bound (0 MW) in the fixture */
    int build[] = {12};
    plan.n_dams_build = 1;
    plan.dams_build = build;
    lm_model *m = NULL;
    lm_solution sol = {0};
    lm_results *res = solve_and_extract(ds, &plan, &m, &sol);
    check_conservation(ds, m, res);
    /* built candidates add their capacity from their first year (2030) */
    const lm_result_table *dams = lm_results_find(res, "dams");
    for (int i = 0; i < dams->n_rows; i++)
        if (!strcmp(dams->keys[i], "12")) {
            assert_rel(dams->vals[i * 5 + 1], 1, 0);
            assert_rel(dams->vals[i * 5 + 3], 2030, 0);
        }
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);

    /* decided by the optimiser (MILP): decisions come out 0/1, water is still conserved, and
     * station 21 stays unbuilt because of Delta's capacity bound */
    plan.n_dams_build = 0;
    plan.dams_decide_all = 1;
    res = solve_and_extract(ds, &plan, &m, &sol);
    check_conservation(ds, m, res);
    dams = lm_results_find(res, "dams");
    for (int i = 0; i < dams->n_rows; i++) {
        double b = dams->vals[i * 5 + 1];
        assert_true(fabs(b) < 1e-6 || fabs(b - 1) < 1e-6);
        if (!strcmp(dams->keys[i], "21")) assert_true(fabs(b) < 1e-6);
    }
    lm_results_free(res);
    lm_solution_free(&sol);
    lm_model_free(m);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_reservoir_storage_limit),
        cmocka_unit_test(test_tiny_cascade_conserves_water),
        cmocka_unit_test(test_xu2025_cascade_conserves_water),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
