/* test_assess.c - the whole assessment (src/assess/assess.c) on the Xu et al. (2025) data with
 * the declared facts in data/xu2025-declared: the status quo S0 (no candidate built) against
 * all 48 candidates.  Checks the sediment delivered against the published portfolio values
 * (spec section 7: 54.8386 and 14.0418 Mt/yr at reach 540, to 1e-3), the capital need against
 * an independent sum, the change in DCI and reservoir GHG, the financing balance, and that the
 * scorecard gives the river principle (4) a lower score for all 48 and never more coverage
 * than the declared facts allow.  Also a tiny portfolio by hand. */
#include "../test_util.h"

#include <string.h>

#include "assess/assess.h"
#include "core/util.h"

typedef struct loaded {
    lm_dataset *ds;
    lm_declared *dc;
    lm_criteria *cr;
    lm_fin_sources *fs;
    lm_sc_table *sc;
} loaded;

static int load_all(const char *manifest, const char *declared, loaded *L)
{
    lm_diag d;
    lm_diag_init(&d);
    memset(L, 0, sizeof *L);
    lm_declared_options dopt = {.as_of_yyyymmdd = 20250601};
    int rc = lm_dataset_load(manifest, &L->ds, &d);
    if (rc == 0 && declared) rc = lm_declared_read(L->ds, declared, &dopt, &L->dc, &d);
    if (rc == 0) rc = lm_criteria_load(source_path("data/criteria/green_finance_criteria.csv"), &L->cr, &d);
    if (rc == 0) rc = lm_fin_sources_load(source_path("data/criteria/financing_sources.csv"), &L->fs, &d);
    if (rc == 0) rc = lm_sc_table_load(source_path("data/criteria/unep_indicators.csv"), &L->sc, &d);
    if (rc) lm_diag_print(&d, stderr);
    lm_diag_free(&d);
    return rc;
}

static void free_all(loaded *L)
{
    lm_sc_table_free(L->sc);
    lm_fin_sources_free(L->fs);
    lm_criteria_free(L->cr);
    lm_declared_free(L->dc);
    lm_dataset_free(L->ds);
}

static void ctx_of(const loaded *L, const double *in_place, lm_assess_ctx *c)
{
    lm_assess_ctx_init(c, L->ds, L->dc, L->cr, L->fs, L->sc);
    c->in_place = in_place;
}

static void test_xu2025_s0_vs_all48(void **state)
{
    (void)state;
    if (!lm_path_exists(xu2025_dir())) skip();
    loaded L;
    assert_int_equal(load_all(source_path("data/mekong-xu2025.yaml"),
                              source_path("data/xu2025-declared/projects_declared.csv"), &L), 0);
    const lm_dataset *ds = L.ds;
    int S = ds->n_stations;
    double *s0 = lm_xmalloc((size_t)S * sizeof *s0), *all = lm_xmalloc((size_t)S * sizeof *all);
    int kh = lm_dataset_tech(ds, "Hydro");
    assert_true(kh >= 0);
    double capex_all = 0;
    for (int s = 0; s < S; s++) {
        s0[s] = ds->stations[s].is_existing;
        all[s] = 1;
        if (!ds->stations[s].is_existing) {
            int yr = ds->stations[s].commissioning_year, y = 0;
            for (int i = 0; i < ds->n_years; i++)
                if (ds->years[i] <= yr) y = i;
            capex_all += ds->stations[s].capacity_mw *
                         ds->investment_cost_usd_per_mw[lm_ky(ds, kh, y)] / 1e6;
        }
    }
    lm_assess_summary sum[2];
    lm_results *res[2];
    const double *pf[2] = {s0, all};
    lm_diag d;
    lm_diag_init(&d);
    for (int i = 0; i < 2; i++) {
        lm_assess_ctx c;
        ctx_of(&L, pf[i], &c);
        c.sediment_reach_id = 540; /* the delta reach of the Xu et al. plans */
        res[i] = lm_results_new();
        double t0 = lm_now();
        int rc = lm_assess_plan(&c, NULL, res[i], &sum[i], &d);
        if (rc) lm_diag_print(&d, stderr);
        assert_int_equal(rc, 0);
        printf("%s: %d dams, capex %.0f million USD, WACC %.2f %%, gap %.0f; sediment %.4f "
               "Mt/yr (no station dams %.4f); DCIp %.2f DCId %.2f; reservoir %.4g t CO2e/yr "
               "(%d dams without data); plan score %.3f, conservative %.3f, coverage %.0f %% "
               "(%.3f s)\n",
               i ? "all 48" : "S0", sum[i].n_dams, sum[i].capex_musd, sum[i].wacc_pct,
               sum[i].gap_musd, sum[i].sediment_delivered_mt, sum[i].sediment_no_dams_mt,
               sum[i].dcip, sum[i].dcid, sum[i].reservoir_t_co2e_yr,
               sum[i].reservoir_dams_unknown, sum[i].plan.overall,
               sum[i].plan.overall_conservative, 100 * sum[i].plan.coverage, lm_now() - t0);
        for (int p = 0; p < LM_UNEP_N; p++)
            printf("   P%-2d %-58s score %5.3f conservative %5.3f coverage %d/%d\n", p + 1,
                   lm_unep_title(p + 1), sum[i].plan.p[p].score,
                   sum[i].plan.p[p].score_conservative, sum[i].plan.p[p].n_with_data,
                   sum[i].plan.p[p].n_applicable);
    }
    /* sediment at the delta: the published portfolio values (spec 7, V1) */
    assert_true(fabs(sum[0].sediment_delivered_mt - 54.8386) < 1e-3);
    assert_true(fabs(sum[1].sediment_delivered_mt - 14.0418) < 1e-3);
    /* projects and capital: S0 builds nothing, all 48 the independent sum */
    assert_int_equal(sum[0].n_dams, 62);
    assert_int_equal(sum[1].n_dams, 110);
    assert_int_equal(sum[1].n_new_dams, 48);
    assert_true(sum[0].capex_musd == 0);
    assert_rel(sum[1].capex_musd, capex_all, 1e-12);
    /* every dollar financed or reported as a gap */
    const lm_result_table *tf = lm_results_find(res[1], "assess_financing");
    assert_non_null(tf);
    double fin = 0;
    for (int r = 0; r < tf->n_rows; r++) fin += tf->vals[(size_t)r * tf->n_vals];
    assert_rel(fin, capex_all, 1e-9);
    /* river and climate get worse with all 48 */
    assert_true(sum[1].dcip < sum[0].dcip);
    assert_true(sum[1].dcid < sum[0].dcid);
    assert_true(sum[1].reservoir_t_co2e_yr >= sum[0].reservoir_t_co2e_yr);
    assert_true(sum[1].plan.p[3].score < sum[0].plan.p[3].score);
    /* the plan's sediment indicator is the delivered share of the no-station-dam load */
    assert_rel(sum[0].sediment_no_dams_mt, sum[1].sediment_no_dams_mt, 1e-12);
    /* principle 8 does not apply to S0 (nothing new to finance) */
    assert_true(sum[0].plan.p[7].n_applicable == 0);
    assert_true(sum[1].plan.p[7].n_applicable == 3);
    /* every dam in place has a scorecard; evidence is never empty */
    const lm_result_table *ti = lm_results_find(res[1], "assess_indicators");
    assert_non_null(ti);
    int n_plan = 0;
    for (int r = 0; r < ti->n_rows; r++) {
        const char *const *k = ti->keys + (size_t)r * ti->n_keys;
        assert_true(strlen(k[3]) > 0);
        n_plan += !strcmp(k[0], "plan");
    }
    assert_int_equal(n_plan, 21);
    assert_int_equal(ti->n_rows, 21 + 110 * 18);
    /* Xayaburi (station 206) is a mainstream dam with declared facts: P9 applies to it */
    const lm_result_table *tp = lm_results_find(res[1], "assess_principles");
    int seen = 0;
    for (int r = 0; r < tp->n_rows; r++) {
        const char *const *k = tp->keys + (size_t)r * tp->n_keys;
        if (!strcmp(k[0], "dam:206") && !strcmp(k[1], "9")) {
            seen = 1;
            assert_true(tp->vals[(size_t)r * tp->n_vals + 4] == 2); /* n_applicable */
        }
    }
    assert_true(seen);
    for (int i = 0; i < 2; i++) {
        lm_assess_summary_free(&sum[i]);
        lm_results_free(res[i]);
    }
    lm_diag_free(&d);
    free(s0);
    free(all);
    free_all(&L);
}

/* A project id that does not exist is an error naming it, and nothing is added. */
static void test_unknown_project(void **state)
{
    (void)state;
    loaded L;
    assert_int_equal(load_all(fixture("assess/tiny-declared.yaml"), NULL, &L), 0);
    lm_declared_options dopt = {.as_of_yyyymmdd = 20250601};
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_declared_load(L.ds, &dopt, &L.dc, &d), 0);
    lm_assess_ctx c;
    ctx_of(&L, NULL, &c);
    lm_results *res = lm_results_new();
    lm_assess_summary sum;
    assert_int_equal(lm_assess_plan(&c, "dam:77", res, &sum, &d), -1);
    expect_msg(&d, "no project \"dam:77\"");
    assert_int_equal(res->n_tables, 0);
    assert_int_equal(res->n_scalars, 0);
    lm_diag_free(&d);
    lm_diag_init(&d);
    /* the status quo of the tiny dataset: dams 11 and 99 exist (12 and 21 are candidates) */
    assert_int_equal(lm_assess_plan(&c, "dam:11", res, &sum, &d), 0);
    assert_int_equal(sum.n_dams, 2);
    assert_true(sum.capex_musd == 0);
    lm_assess_summary_free(&sum);
    lm_results_free(res);
    lm_diag_free(&d);
    free_all(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xu2025_s0_vs_all48),
        cmocka_unit_test(test_unknown_project),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
