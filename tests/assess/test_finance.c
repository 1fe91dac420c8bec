/* test_finance.c - textbook finance (src/assess/finance.c) against numbers worked out by hand.
 *
 * CRF at 8 %/20 yr is the table value 0.101852 (0.08 x 1.08^20 / (1.08^20 - 1)); at 0 % it is
 * 1/n; the NPV series is the textbook -100, +60, +60 at 10 %; the LCOE and NPV cases are worked
 * out in the comments of their tests. */
#include "../test_util.h"

#include <string.h>

#include "assess/finance.h"
#include "core/diag.h"

static void test_crf(void **state)
{
    (void)state;
    assert_true(fabs(lm_fin_crf(0.08, 20) - 0.101852) < 1e-6);
    assert_rel(lm_fin_crf(0.08, 20), 0.10185220882315059, 1e-12);
    assert_rel(lm_fin_crf(0.0, 20), 1.0 / 20, 1e-15);
    assert_rel(lm_fin_crf(0.0, 7), 1.0 / 7, 1e-15);
    /* one year: repay principal and interest at once */
    assert_rel(lm_fin_crf(0.05, 1), 1.05, 1e-14);
    /* a tiny rate stays next to 1/n (no cancellation) */
    assert_rel(lm_fin_crf(1e-9, 20), 0.05 + 0.5e-9 * 21 / 20.0, 1e-9);
    assert_true(isnan(lm_fin_crf(-1.0, 20)));
    assert_true(isnan(lm_fin_crf(0.08, 0)));
    assert_true(isnan(lm_fin_crf(0.08, -3)));
    /* 1 bn USD at 8 % over 20 years: 101.852 million USD a year */
    assert_rel(lm_fin_annuity_usd_per_yr(1e9, 0.08, 20), 101852208.82315059, 1e-12);
}

static void test_npv(void **state)
{
    (void)state;
    /* -100 now, +60 at the end of years 1 and 2, at 10 %:
     * -100 + 60/1.1 + 60/1.21 = -100 + 54.545454 + 49.586777 = 4.132231 */
    const double cf[] = {-100, 60, 60};
    assert_rel(lm_fin_npv_usd(0.10, cf, 3), 4.132231404958674, 1e-12);
    assert_rel(lm_fin_npv_usd(0.0, cf, 3), 20.0, 1e-15);
    assert_rel(lm_fin_npv_usd(0.10, cf, 0), 0.0, 1e-15);
    assert_true(isnan(lm_fin_npv_usd(-1.5, cf, 3)));
    assert_true(isnan(lm_fin_npv_usd(0.1, NULL, 3)));
}

static lm_fin_plant plant_2000(void)
{
    lm_fin_plant p = {
        .capacity_mw = 100, .capex_usd_per_kw = 2000, .fom_usd_per_kw_yr = 50,
        .vom_fuel_usd_per_mwh = 5, .capacity_factor = 0.5, .lifetime_yr = 20,
        .discount_rate = 0.08,
    };
    return p;
}

static void test_lcoe_by_hand(void **state)
{
    (void)state;
    /* 2000 USD/kW, 50 USD/kW-yr fixed O&M, 5 USD/MWh variable, cf 0.5, 20 yr, 8 %:
     *   CRF = 0.1018522088; capital charge 2000 x CRF = 203.7044176 USD/kW-yr
     *   + 50 = 253.7044176 USD/kW-yr over 8.76 x 0.5 = 4.38 MWh/kW-yr = 57.923383 USD/MWh
     *   + 5 = 62.923383 USD/MWh. */
    lm_fin_plant p = plant_2000();
    assert_rel(lm_fin_lcoe_usd_per_mwh(&p), 62.923383024269675, 1e-12);
    /* at 0 %: (2000/20 + 50)/4.38 + 5 = 150/4.38 + 5 = 39.246575 */
    p.discount_rate = 0;
    assert_rel(lm_fin_lcoe_usd_per_mwh(&p), 150 / 4.38 + 5, 1e-12);
    p.capacity_factor = 1.2;
    assert_true(isnan(lm_fin_lcoe_usd_per_mwh(&p)));
}

static void test_plant_evaluate(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_plant p = plant_2000();
    lm_fin_plant_result r;
    /* 100 MW: capital 200 million USD, annuity 20.370442 million USD/yr,
     * 100 x 8760 x 0.5 = 438000 MWh/yr. */
    assert_int_equal(lm_fin_plant_evaluate(&p, "pv1", 70, &r, &d), 0);
    assert_rel(r.capital_usd, 200e6, 1e-15);
    assert_rel(r.annuity_usd_per_yr, 20370441.764630118, 1e-12);
    assert_rel(r.energy_mwh_per_yr, 438000, 1e-15);
    assert_rel(r.lcoe_usd_per_mwh, 62.923383024269675, 1e-12);
    /* at 70 USD/MWh: net (70 - 5) x 438000 - 50 x 100000 = 23.47 million USD/yr;
     * annuity factor 1/CRF = 9.81814741 -> 230.43192 million; minus 200 million = 30.43192 */
    assert_rel(r.npv_usd, 23.47e6 / 0.10185220882315059 - 200e6, 1e-12);
    assert_rel(r.npv_usd, 30431919.65, 1e-9);
    /* selling at the LCOE gives NPV 0 (to rounding of 200 million) */
    assert_int_equal(lm_fin_plant_evaluate(&p, "pv1", r.lcoe_usd_per_mwh, &r, &d), 0);
    assert_true(fabs(r.npv_usd) < 1e-4);
    assert_int_equal(d.n_errors, 0);

    /* every bad field named, with its value and rule */
    p.capacity_factor = 0;
    p.lifetime_yr = 0;
    p.discount_rate = -1;
    p.capex_usd_per_kw = -5;
    assert_int_equal(lm_fin_plant_evaluate(&p, "pv1", NAN, &r, &d), -1);
    assert_true(isnan(r.lcoe_usd_per_mwh) && isnan(r.npv_usd));
    expect_msg(&d, "plant \"pv1\": capacity_factor = 0: must be in (0, 1]");
    expect_msg(&d, "plant \"pv1\": lifetime_yr = 0: must be > 0");
    expect_msg(&d, "plant \"pv1\": discount_rate = -1: must be > -1");
    expect_msg(&d, "plant \"pv1\": capex_usd_per_kw = -5: must be finite and >= 0");
    expect_msg(&d, "plant \"pv1\": price_usd_per_mwh = nan: must be finite");
    assert_int_equal(d.n_errors, 5);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crf),
        cmocka_unit_test(test_npv),
        cmocka_unit_test(test_lcoe_by_hand),
        cmocka_unit_test(test_plant_evaluate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
