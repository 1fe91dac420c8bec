/* test_power_model.c - the power, storage, grid and carbon components on small models whose
 * optima are worked out by hand (numbers in the comments), plus the energy balance per zone
 * and step recomputed from the result tables. */
#include "../test_util.h"
#include "toy.h"

#include "model/model.h"
#include "solver/solve.h"
#include "store/results.h"

#include <string.h>

enum { COAL, GAS };

/* Value of column `col` of the row of table `name` whose first keys equal keys[]. */
static double lookup(const lm_results *r, const char *name, int nkeys, const char *const *keys, int col)
{
    const lm_result_table *t = lm_results_find(r, name);
    assert_non_null(t);
    for (int i = 0; i < t->n_rows; i++) {
        int ok = 1;
        for (int j = 0; j < nkeys && ok; j++) ok = !strcmp(t->keys[i * t->n_keys + j], keys[j]);
        if (ok) return t->vals[i * t->n_vals + col];
    }
    fail_msg("no row in %s for %s", name, keys[0]);
    return NAN;
}

/* Energy balance from the result tables: phi*gen + received - sent - charge + unserved =
 * demand, per zone, year and step, to 1e-6 MW. */
static void check_balance(const lm_model *m, const lm_results *res)
{
    const lm_dataset *ds = m->ds;
    const lm_result_table *bal = lm_results_find(res, "balance");
    const lm_result_table *gen = lm_results_find(res, "generation");
    const lm_result_table *flo = lm_results_find(res, "flows");
    const lm_result_table *sto = lm_results_find(res, "storage");
    for (int i = 0; i < bal->n_rows; i++) {
        const char *const *bk = &bal->keys[i * 4];
        int z = lm_dataset_zone(ds, bk[0]);
        double lhs = bal->vals[i * 3 + 1];
        for (int j = 0; j < gen->n_rows; j++) {
            const char *const *gk = &gen->keys[j * 5];
            if (!strcmp(gk[0], bk[0]) && !strcmp(gk[2], bk[1]) && !strcmp(gk[3], bk[2]) && !strcmp(gk[4], bk[3]))
                lhs += m->export_share[z] * gen->vals[j];
        }
        for (int j = 0; flo && j < flo->n_rows; j++) {
            const char *const *fk = &flo->keys[j * 5];
            if (strcmp(fk[2], bk[1]) || strcmp(fk[3], bk[2]) || strcmp(fk[4], bk[3])) continue;
            if (!strcmp(fk[0], bk[0])) lhs -= flo->vals[j * 2];
            if (!strcmp(fk[1], bk[0])) lhs += flo->vals[j * 2 + 1];
        }
        for (int j = 0; sto && j < sto->n_rows; j++) {
            const char *const *sk = &sto->keys[j * 5];
            if (!strcmp(sk[0], bk[0]) && !strcmp(sk[2], bk[1]) && !strcmp(sk[3], bk[2]) && !strcmp(sk[4], bk[3]))
                lhs -= sto->vals[j * 3];
        }
        assert_rel(lhs, bal->vals[i * 3], 1e-6);
    }
}

typedef struct solved {
    lm_model *m;
    lm_solution sol;
    lm_results *res;
} solved;

static solved solve_toy(const lm_dataset *ds, const lm_plan *plan)
{
    solved s = {0};
    lm_diag d;
    lm_diag_init(&d);
    if (lm_model_build(ds, plan, &s.m, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("model build failed");
    }
    lm_solve_opts o;
    lm_solve_opts_default(&o);
    o.log_level = 0;
    assert_int_equal(lm_solve(s.m->lp, &o, &s.sol, &d), 0);
    assert_int_equal(s.sol.status, LM_STATUS_OPTIMAL);
    s.res = lm_results_new();
    assert_int_equal(lm_model_extract(s.m, &s.sol, s.res, &d), 0);
    check_balance(s.m, s.res);
    lm_diag_free(&d);
    return s;
}

static void solved_free(solved *s)
{
    lm_results_free(s->res);
    lm_solution_free(&s->sol);
    lm_model_free(s->m);
}

/* One zone, one hour standing for the year (weight 1/8760), discount rate 0 (f_var = 10
 * years, f_inv = 1), demand 100 MW.  Coal: 1000 USD/MW, fuel 20 USD/MWh, 1 t/MWh; gas:
 * 1000 USD/MW, 50 USD/MWh, 0.4 t/MWh.  Cap 70 x 8760 t/yr: coal + 0.4 gas <= 70 and
 * coal + gas = 100 give coal = gas = 50 MW.  Cost = 1000 x 100 + 10 x 8760 x (20 x 50 +
 * 50 x 50) = 306,700,000 USD.  Carbon price: shifting 1 MW gas -> coal saves 30 USD/MWh and
 * emits 0.6 t/h more, so 50 USD/t. */
static void test_binding_carbon_cap(void **state)
{
    (void)state;
    const char *zones[] = {"Alpha"};
    const char *techs[] = {"Coal", "Gas"};
    int types[] = {LM_TECH_DISPATCHABLE, LM_TECH_DISPATCHABLE};
    lm_dataset *ds = toy_new(1, zones, 2, techs, types, 1);
    ds->demand_mw[0] = 100;
    ds->investment_cost_usd_per_mw[COAL] = ds->investment_cost_usd_per_mw[GAS] = 1000;
    ds->fuel_cost_usd_per_mwh[COAL] = 20;
    ds->fuel_cost_usd_per_mwh[GAS] = 50;
    ds->emission_factor_t_co2_per_mwh[COAL] = 1.0;
    ds->emission_factor_t_co2_per_mwh[GAS] = 0.4;
    lm_plan plan = toy_plan();
    lm_plan_cap cap = {NULL, 2020, 70.0 * 8760};
    plan.carbon_caps = LM_CAPS_PLAN;
    plan.n_caps = 1;
    plan.caps = &cap;

    solved s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 306.7, 1e-9); /* million USD */
    const char *kc[] = {"Alpha", "Coal", "2020"}, *kg[] = {"Alpha", "Gas", "2020"};
    assert_rel(lookup(s.res, "capacity", 3, kc, 0), 50, 1e-9);
    assert_rel(lookup(s.res, "capacity", 3, kg, 0), 50, 1e-9);
    const char *kb[] = {"basin", "2020"};
    assert_rel(lookup(s.res, "carbon_caps", 2, kb, 1), 70 * 8760 / 1e6, 1e-9);
    assert_rel(lookup(s.res, "carbon_caps", 2, kb, 2), 50.0, 1e-9);
    double fuel;
    assert_true(lm_results_find_scalar(s.res, "cost_fuel_musd", &fuel) == 0);
    assert_rel(fuel, 306.6, 1e-9);
    solved_free(&s);

    /* without the cap, all coal: 1000 x 100 + 87600 x 20 x 100 = 175,300,000 USD */
    plan.carbon_caps = LM_CAPS_NONE;
    s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 175.3, 1e-9);
    assert_rel(lookup(s.res, "capacity", 3, kg, 0), 0, 1e-9);
    solved_free(&s);
    toy_free(ds);
}

/* Two zones: West has 1000 MW of existing cheap plant (10 USD/MWh), East 1000 MW of dear
 * plant (100 USD/MWh) and demand 99 MW; the corridor West->East (and back) carries 50 MW with
 * 90 % efficiency.  Existing grid only: West sends 50, East receives 45 and makes 54:
 * cost = 8760 x 10 x (10 x 50 + 100 x 54) = 516,840,000 USD; East's price 100, West's 10.
 * Free expansion at 1 USD/MW/km over 100 km (100 USD/MW for the pair, paid once): sending
 * 110 MW delivers 99, so 60 MW are built: 87,600 x 10 x 110 + 100 x 60 = 96,366,000 USD. */
static void test_two_zone_transfer_with_losses(void **state)
{
    (void)state;
    const char *zones[] = {"West", "East"};
    const char *techs[] = {"Cheap", "Dear"};
    int types[] = {LM_TECH_DISPATCHABLE, LM_TECH_DISPATCHABLE};
    lm_dataset *ds = toy_new(2, zones, 2, techs, types, 1);
    ds->demand_mw[1] = 99;
    ds->fuel_cost_usd_per_mwh[0] = 10;
    ds->fuel_cost_usd_per_mwh[1] = 100;
    ds->existing_capacity_mw[lm_zk(ds, 0, 0)] = 1000;
    ds->existing_capacity_mw[lm_zk(ds, 1, 1)] = 1000;
    ds->lifetime_years[0] = ds->lifetime_years[1] = 30;
    for (int i = 0; i < 4; i++) ds->max_new_capacity_mw[i] = 0;
    int from[] = {0, 1}, to[] = {1, 0};
    double cap0[] = {50, 50};
    toy_lines(ds, 2, from, to, cap0, 0.9, 100, 1.0);

    lm_plan plan = toy_plan();
    plan.transmission = LM_TRANS_EXISTING;
    solved s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 516.84, 1e-9);
    const char *kf[] = {"West", "East", "2020", "1", "1"};
    assert_rel(lookup(s.res, "flows", 5, kf, 0), 50, 1e-9);
    assert_rel(lookup(s.res, "flows", 5, kf, 1), 45, 1e-9);
    const char *ke[] = {"East", "2020", "1", "1"}, *kw[] = {"West", "2020", "1", "1"};
    assert_rel(lookup(s.res, "balance", 4, ke, 2), 100, 1e-9);
    assert_rel(lookup(s.res, "balance", 4, kw, 2), 10, 1e-9);
    solved_free(&s);

    plan.transmission = LM_TRANS_FREE;
    s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 96.366, 1e-9);
    const char *kl[] = {"West", "East", "2020"}, *kr[] = {"East", "West", "2020"};
    assert_rel(lookup(s.res, "lines", 3, kl, 1), 60, 1e-9);
    assert_rel(lookup(s.res, "lines", 3, kl, 0), 110, 1e-9);
    assert_rel(lookup(s.res, "lines", 3, kr, 0), 110, 1e-9); /* symmetric expansion (C6) */
    double inv;
    assert_true(lm_results_find_scalar(s.res, "cost_inv_line_musd", &inv) == 0);
    assert_rel(inv, 0.006, 1e-9);
    solved_free(&s);

    /* planned scenario with a 20 MW ceiling: 70 MW sent, 63 received, 36 dear:
     * 87,600 x (10 x 70 + 100 x 36) + 100 x 20 = 376,682,000 USD */
    ds->line_max_new_mw[0] = ds->line_max_new_mw[1] = 20;
    plan.transmission = LM_TRANS_PLANNED;
    s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 376.682, 1e-9);
    solved_free(&s);
    toy_free(ds);
}

/* A storage arbitrage day of two hours: solar (cf 1 then 0, 1000 MW existing, free) and gas
 * (1000 MW existing, 100 USD/MWh); demand 0 then 90 MW; batteries cost 1000 USD/MW (4 h,
 * charging efficiency 0.9).  Each MWh discharged saves 100 USD x 10 years x 4380 days, so the
 * battery serves all 90 MW.  Improved mode: charging limited to capacity, 100 MW charged
 * delivers 90, so 100 MW are built: 100,000 USD.  Faithful mode (Xu et al.): no charging
 * limit, discharge <= capacity: 90 MW: 90,000 USD. */
static void test_storage_arbitrage_day(void **state)
{
    (void)state;
    const char *zones[] = {"Sunny"};
    const char *techs[] = {"Solar", "Gas", "Battery"};
    int types[] = {LM_TECH_NONDISPATCHABLE, LM_TECH_DISPATCHABLE, LM_TECH_STORAGE};
    lm_dataset *ds = toy_new(1, zones, 3, techs, types, 2);
    ds->demand_mw[0] = 0;
    ds->demand_mw[1] = 90;
    ds->capacity_factor[0 * 2 + 0] = 1.0; /* Solar, hour 1 */
    ds->existing_capacity_mw[0] = 1000;
    ds->existing_capacity_mw[1] = 1000;
    ds->max_new_capacity_mw[0] = ds->max_new_capacity_mw[1] = 0;
    ds->fuel_cost_usd_per_mwh[1] = 100;
    ds->investment_cost_usd_per_mw[2] = 1000;
    ds->efficiency_fraction[2] = 0.9;
    ds->energy_to_power_ratio_h[2] = 4;
    ds->initial_storage_fraction[2] = 0.5;

    lm_plan plan = toy_plan();
    solved s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 0.1, 1e-9);
    const char *kb[] = {"Sunny", "Battery", "2020"};
    assert_rel(lookup(s.res, "capacity", 3, kb, 0), 100, 1e-9);
    const char *h1[] = {"Sunny", "Battery", "2020", "1", "1"}, *h2[] = {"Sunny", "Battery", "2020", "1", "2"};
    assert_rel(lookup(s.res, "storage", 5, h1, 0), 100, 1e-9); /* charge */
    assert_rel(lookup(s.res, "storage", 5, h2, 1), 90, 1e-9);  /* discharge */
    solved_free(&s);

    plan.mode = LM_MODE_FAITHFUL;
    s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 0.09, 1e-9);
    assert_rel(lookup(s.res, "capacity", 3, kb, 0), 90, 1e-9);
    /* the day starts at 50 % of 4 h x 90 MW = 180 MWh and ends there */
    assert_rel(lookup(s.res, "storage", 5, h2, 2), 180, 1e-9);
    solved_free(&s);
    toy_free(ds);
}

/* Export share and external zones (Xu et al.'s China rule): Hill (external, hydro 300 MW
 * existing, free) must export a third of its output into Plain; Plain buys at 50 USD/MWh sent
 * and otherwise burns gas at 80 USD/MWh.  Demand 99 MW, line 1000 MW at 99 %.  Hill sends
 * x = gen/3 <= 100 -> receives 0.99 x; cheaper than gas (50/0.99 < 80), so x = 100 MW,
 * received 99: cost = 87,600 x 50 x 100 = 438,000,000 USD and no gas. */
static void test_external_zone_export_share(void **state)
{
    (void)state;
    const char *zones[] = {"Plain", "Hill"};
    const char *techs[] = {"Gas", "Hydro"};
    int types[] = {LM_TECH_DISPATCHABLE, LM_TECH_HYDRO};
    lm_dataset *ds = toy_new(2, zones, 2, techs, types, 1);
    ds->demand_mw[0] = 99;
    ds->fuel_cost_usd_per_mwh[0] = 80;
    ds->existing_capacity_mw[lm_zk(ds, 0, 0)] = 1000;
    ds->existing_capacity_mw[lm_zk(ds, 1, 1)] = 300;
    ds->lifetime_years[0] = ds->lifetime_years[1] = 100;
    for (int i = 0; i < 4; i++) ds->max_new_capacity_mw[i] = 0;
    int from[] = {1, 0}, to[] = {0, 1};
    double cap0[] = {1000, 1000};
    toy_lines(ds, 2, from, to, cap0, 0.99, 100, 1.0);

    lm_plan plan = toy_plan();
    plan.transmission = LM_TRANS_EXISTING;
    lm_external_zone ext = {"Hill", 50, 1.0 / 3.0};
    plan.n_external = 1;
    plan.external = &ext;
    solved s = solve_toy(ds, &plan);
    assert_rel(s.sol.objective, 438.0, 1e-9);
    const char *kh[] = {"Hill", "Hydro", "2020"};
    assert_rel(lookup(s.res, "generation_annual", 3, kh, 0), 300 * 8760 / 1e6, 1e-9);
    solved_free(&s);
    toy_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binding_carbon_cap),
        cmocka_unit_test(test_two_zone_transfer_with_losses),
        cmocka_unit_test(test_storage_arbitrage_day),
        cmocka_unit_test(test_external_zone_export_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
