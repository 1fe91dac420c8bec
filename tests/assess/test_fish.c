/* test_fish.c - the Dendritic Connectivity Index (src/assess/fish.c, Cote et al. 2009).
 *
 * Small networks whose DCIp and DCId are worked out by hand in the comment above each check
 * (one, two and three barriers; passabilities 0, 0.5 and 1; a barrier at the outlet; two
 * outlets), the tiny hydro fixture dataset for the status quo, a portfolio, declared
 * passabilities and the per-dam gains, and - when the shared data are present - the Xu et al.
 * (2025) network for the status quo and the all-48-candidates portfolio. */
#include "../test_util.h"

#include <string.h>

#include "assess/declared.h"
#include "assess/fish.h"
#include "core/diag.h"
#include "core/util.h"
#include "data/dataset.h"

static lm_dci_result dci(int n, const int *down, const double *w, const double *c)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_dci_result r;
    if (lm_dci(n, down, w, c, &r, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("lm_dci failed");
    }
    lm_diag_free(&d);
    return r;
}

/* No barrier: every point reaches every other and the sea: 100 / 100. */
static void test_no_barrier(void **state)
{
    (void)state;
    int down[3] = {-1, 0, 0};
    double w[3] = {2, 1, 5}, c[3] = {1, 1, 1};
    lm_dci_result r = dci(3, down, w, c);
    assert_rel(r.dci_p, 100, 1e-12);
    assert_rel(r.dci_d, 100, 1e-12);
    assert_int_equal(r.n_segments, 1);
    assert_int_equal(r.n_barriers, 0);
}

/* Two reaches, A (outlet, l = 1) <- B (l = 1), one barrier at B's downstream end, c = pu x pd,
 * L = 2:  DCIp = (1 + 1 + 2 c) / 4 x 100,  DCId = (1 + c) / 2 x 100.
 *   p = (0, 0):     c = 0     -> 50, 50
 *   p = (1, 1):     c = 1     -> 100, 100
 *   p = (0.5, 0.5): c = 0.25  -> 62.5, 62.5
 *   p = (1, 0.5):   c = 0.5   -> 75, 75 */
static void test_one_barrier(void **state)
{
    (void)state;
    int down[2] = {-1, 0};
    double w[2] = {1, 1};
    const double pu[4] = {0, 1, 0.5, 1}, pd[4] = {0, 1, 0.5, 0.5};
    const double ep[4] = {50, 100, 62.5, 75}, ed[4] = {50, 100, 62.5, 75};
    for (int i = 0; i < 4; i++) {
        double c[2] = {1, pu[i] * pd[i]};
        lm_dci_result r = dci(2, down, w, c);
        assert_rel(r.dci_p, ep[i], 1e-12);
        assert_rel(r.dci_d, ed[i], 1e-12);
        assert_int_equal(r.n_segments, c[1] < 1 ? 2 : 1);
    }
    /* unequal lengths: l_A = 3, l_B = 1, c = 0: DCIp = (9 + 1) / 16 = 62.5, DCId = 3/4 = 75 */
    double w2[2] = {3, 1}, c2[2] = {1, 0};
    lm_dci_result r = dci(2, down, w2, c2);
    assert_rel(r.dci_p, 62.5, 1e-12);
    assert_rel(r.dci_d, 75, 1e-12);
}

/* Y network: outlet O (l = 2) with tributaries T1 (l = 1, barrier c1) and T2 (l = 1, barrier
 * c2); L = 4; c(O,T1) = c1, c(O,T2) = c2, c(T1,T2) = c1 c2.
 *   DCIp = [4 + 1 + 1 + 2 (2 c1) + 2 (2 c2) + 2 c1 c2] / 16 x 100
 *   DCId = (2 + c1 + c2) / 4 x 100
 * c1 = 0 (impassable), c2 = 0.25 (0.5 each way): DCIp = (6 + 1) / 16 = 43.75, DCId = 2.25/4 =
 * 56.25.  c1 = 1, c2 = 0.5: DCIp = (6 + 4 + 2 + 1) / 16 = 81.25, DCId = 3.5/4 = 87.5. */
static void test_two_barriers(void **state)
{
    (void)state;
    int down[3] = {-1, 0, 0};
    double w[3] = {2, 1, 1};
    double c[3] = {1, 0, 0.25};
    lm_dci_result r = dci(3, down, w, c);
    assert_rel(r.dci_p, 43.75, 1e-12);
    assert_rel(r.dci_d, 56.25, 1e-12);
    assert_int_equal(r.n_barriers, 2);
    assert_int_equal(r.n_segments, 3);
    double c2[3] = {1, 1, 0.5};
    r = dci(3, down, w, c2);
    assert_rel(r.dci_p, 81.25, 1e-12);
    assert_rel(r.dci_d, 87.5, 1e-12);
}

/* Chain O <- A <- B <- C, every l = 1, barriers at A, B and C each with c = 0.5 (p = 1 up, 0.5
 * down); L = 4, c_ij = 0.5^|i-j|.
 *   DCId = (1 + 0.5 + 0.25 + 0.125) / 4 x 100 = 46.875
 *   DCIp = [4 + 2 (3 x 0.5) + 2 (2 x 0.25) + 2 (1 x 0.125)] / 16 x 100 = 8.25 / 16 = 51.5625
 * Reaches listed upstream first, so the order of the input does not matter. */
static void test_three_barriers(void **state)
{
    (void)state;
    int down[4] = {1, 2, 3, -1}; /* C, B, A, O */
    double w[4] = {1, 1, 1, 1}, c[4] = {0.5, 0.5, 0.5, 1};
    lm_dci_result r = dci(4, down, w, c);
    assert_rel(r.dci_d, 46.875, 1e-12);
    assert_rel(r.dci_p, 51.5625, 1e-12);
    assert_int_equal(r.n_barriers, 3);
}

/* A dam at the outlet reach (between it and the sea): one segment, DCIp = 100, DCId = c. Two
 * outlets (two rivers, l = 1 each, no barriers): DCId = 100, DCIp = (1 + 1) / 4 = 50 since
 * potamodromous fish do not cross the sea. */
static void test_outlet_and_two_rivers(void **state)
{
    (void)state;
    int down1[1] = {-1};
    double w1[1] = {7}, c1[1] = {0.3};
    lm_dci_result r = dci(1, down1, w1, c1);
    assert_rel(r.dci_p, 100, 1e-12);
    assert_rel(r.dci_d, 30, 1e-12);
    int down2[2] = {-1, -1};
    double w2[2] = {1, 1}, c2[2] = {1, 1};
    r = dci(2, down2, w2, c2);
    assert_rel(r.dci_p, 50, 1e-12);
    assert_rel(r.dci_d, 100, 1e-12);
}

static void test_bad_networks(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_dci_result r;
    int cyc[2] = {1, 0};
    double w[2] = {1, 1}, c[2] = {1, 1}, cbad[2] = {1, 1.5}, wneg[2] = {1, -1}, wzero[2] = {0, 0};
    assert_int_equal(lm_dci(2, cyc, w, c, &r, &d), -1);
    assert_true(lm_diag_contains(&d, "cycle"));
    int down[2] = {-1, 0};
    assert_int_equal(lm_dci(2, down, w, cbad, &r, &d), -1);
    assert_true(lm_diag_contains(&d, "passability 1.5"));
    assert_int_equal(lm_dci(2, down, wneg, c, &r, &d), -1);
    assert_int_equal(lm_dci(2, down, wzero, c, &r, &d), -1);
    assert_true(lm_diag_contains(&d, "total weight"));
    lm_diag_free(&d);
}

/* ---- the tiny hydro dataset ---- */

static lm_dataset *load_tiny(void)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds;
    if (lm_dataset_load(fixture("datasets/tiny/hydro.yaml"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("tiny hydro dataset does not load");
    }
    lm_diag_free(&d);
    return ds;
}

/* Reaches 11 -> 12 -> 21 -> 30 -> sea and 5 -> 21; areas 1000, 800, 500, 200, 300 km2.
 * Stations: 11 (existing, reach 11), 12 (candidate, reach 12), 21 (candidate, reach 21), 99
 * (existing, off the network).  Area weights, L = 2800.
 * Status quo: barrier at 11 (c = 0): segments {11} = 1000, {12,5,21,30} = 1800:
 *   DCIp = (1000^2 + 1800^2) / 2800^2 = 4.24e6 / 7.84e6 = 54.0816...%, DCId = 1800/2800.
 * All built: barriers at 11, 12, 21: {11} 1000, {12} 800, {5,21} 800, {30} 200:
 *   DCIp = (1e6 + 6.4e5 + 6.4e5 + 4e4) / 7.84e6 = 29.5918...%, DCId = 200/2800.
 * Station 11 declared with passabilities 0.5 / 0.5 (c = 0.25), status quo:
 *   DCIp = (4.24e6 + 2 x 0.25 x 1000 x 1800) / 7.84e6 = 5.14e6 / 7.84e6,
 *   DCId = (1800 + 0.25 x 1000) / 2800. */
static void test_tiny_portfolios(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    lm_diag d;
    lm_diag_init(&d);
    lm_fish_options opt = {.weight = LM_FISH_WEIGHT_AREA};
    lm_fish_result r;
    assert_int_equal(lm_fish_evaluate(ds, NULL, NULL, &opt, &r, &d), 0);
    assert_rel(r.dci.dci_p, 100 * 4.24e6 / 7.84e6, 1e-12);
    assert_rel(r.dci.dci_d, 100 * 1800.0 / 2800.0, 1e-12);
    assert_int_equal(r.n_dams_in_place, 1);

    double all[4] = {1, 1, 1, 1};
    assert_int_equal(lm_fish_evaluate(ds, NULL, all, &opt, &r, &d), 0);
    assert_rel(r.dci.dci_p, 100 * 2.32e6 / 7.84e6, 1e-12);
    assert_rel(r.dci.dci_d, 100 * 200.0 / 2800.0, 1e-12);
    assert_int_equal(r.n_dams_in_place, 3);
    assert_int_equal(r.dci.n_segments, 4);

    /* a half-decided dam at 12 (relaxed decision f = 0.5, c = 0.5) on top of the status quo:
     * segments {11} 1000, {12} 800, {5,21,30} 1000 with c(12 -> 21) = 0.5:
     * DCIp = (1e6 + 6.4e5 + 1e6 + 2 x 0.5 x 800 x 1000) / 7.84e6 = 3.44e6 / 7.84e6,
     * DCId = (1000 + 0.5 x 800) / 2800 */
    double half[4] = {1, 0.5, 0, 1};
    assert_int_equal(lm_fish_evaluate(ds, NULL, half, &opt, &r, &d), 0);
    assert_rel(r.dci.dci_p, 100 * 3.44e6 / 7.84e6, 1e-12);
    assert_rel(r.dci.dci_d, 100 * 1400.0 / 2800.0, 1e-12);

    lm_declared *dc = lm_declared_empty(ds);
    int s11 = lm_dataset_station(ds, 11);
    dc->project[s11].value[LM_DA_FISH_PASSABILITY_UP] = 0.5;
    dc->project[s11].value[LM_DA_FISH_PASSABILITY_DOWN] = 0.5;
    assert_int_equal(lm_fish_evaluate(ds, dc, NULL, &opt, &r, &d), 0);
    assert_rel(r.dci.dci_p, 100 * 5.14e6 / 7.84e6, 1e-12);
    assert_rel(r.dci.dci_d, 100 * 2050.0 / 2800.0, 1e-12);

    /* a fish pass declared without passabilities is counted, and stays impassable */
    dc->project[s11].value[LM_DA_FISH_PASSABILITY_UP] = NAN;
    dc->project[s11].value[LM_DA_FISH_PASSAGE] = 1;
    assert_int_equal(lm_fish_evaluate(ds, dc, NULL, &opt, &r, &d), 0);
    assert_int_equal(r.n_fishpass_unknown, 1);
    assert_rel(r.dci.dci_p, 100 * 4.24e6 / 7.84e6, 1e-12);

    /* gains: removing dam 11 from the status quo restores 100 / 100 */
    double gp[4], gd[4];
    assert_int_equal(lm_fish_dam_gains(ds, NULL, NULL, &opt, gp, gd, &d), 0);
    assert_rel(gp[s11], 100 - 100 * 4.24e6 / 7.84e6, 1e-12);
    assert_rel(gd[s11], 100 - 100 * 1800.0 / 2800.0, 1e-12);
    assert_rel(gp[lm_dataset_station(ds, 12)], 0, 1e-12);

    /* Hack weights: w = A^0.6; status quo DCId = w(rest) / (w(11) + w(rest)) */
    lm_fish_options hack = {.weight = LM_FISH_WEIGHT_HACK};
    assert_int_equal(lm_fish_evaluate(ds, NULL, NULL, &hack, &r, &d), 0);
    double w11 = pow(1000, 0.6), rest = pow(800, 0.6) + pow(500, 0.6) + pow(200, 0.6) + pow(300, 0.6);
    assert_rel(r.dci.dci_d, 100 * rest / (w11 + rest), 1e-12);
    assert_rel(r.dci.dci_p, 100 * (w11 * w11 + rest * rest) / ((w11 + rest) * (w11 + rest)), 1e-12);

    lm_declared_free(dc);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

/* ---- the Xu et al. network: status quo and all 48 candidates ---- */

static void test_xu2025(void **state)
{
    (void)state;
    char *manifest = lm_xasprintf("%s", source_path("data/mekong-xu2025.yaml"));
    if (!lm_path_exists(xu2025_dir())) {
        free(manifest);
        skip();
    }
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds;
    if (lm_dataset_load(manifest, &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("Xu et al. dataset does not load");
    }
    double *all = lm_xmalloc((size_t)ds->n_stations * sizeof *all);
    int cand = 0;
    for (int s = 0; s < ds->n_stations; s++) {
        all[s] = 1;
        cand += !ds->stations[s].is_existing;
    }
    assert_int_equal(cand, 48);
    lm_declared *dc = NULL;
    lm_declared_options dopt = {.as_of_yyyymmdd = 20250601};
    if (lm_declared_read(ds, source_path("data/xu2025-declared/projects_declared.csv"), &dopt,
                         &dc, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("data/xu2025-declared/projects_declared.csv does not load");
    }
    for (int wk = 0; wk < 3; wk++) {
        lm_fish_options opt = {.weight = wk};
        lm_fish_result sq, pf;
        assert_int_equal(lm_fish_evaluate(ds, dc, NULL, &opt, &sq, &d), 0);
        assert_int_equal(lm_fish_evaluate(ds, dc, all, &opt, &pf, &d), 0);
        printf("Xu et al. network, weights %s: status quo DCIp %.2f DCId %.2f (%d dams, %d "
               "segments); all 48 candidates DCIp %.2f DCId %.2f (%d dams, %d segments); "
               "change %.2f / %.2f points\n",
               wk == 0 ? "area^0.6" : wk == 1 ? "area" : "equal", sq.dci.dci_p, sq.dci.dci_d,
               sq.n_dams_in_place, sq.dci.n_segments, pf.dci.dci_p, pf.dci.dci_d,
               pf.n_dams_in_place, pf.dci.n_segments, pf.dci.dci_p - sq.dci.dci_p,
               pf.dci.dci_d - sq.dci.dci_d);
        assert_int_equal(sq.n_dams_in_place, 104 - 48);
        assert_int_equal(pf.n_dams_in_place, 104);
        assert_true(pf.dci.dci_p < sq.dci.dci_p);
        assert_true(pf.dci.dci_d < sq.dci.dci_d);
        assert_true(sq.dci.dci_p > 0 && sq.dci.dci_p < 100);
    }
    lm_declared_free(dc);
    free(all);
    free(manifest);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_barrier),
        cmocka_unit_test(test_one_barrier),
        cmocka_unit_test(test_two_barriers),
        cmocka_unit_test(test_three_barriers),
        cmocka_unit_test(test_outlet_and_two_rivers),
        cmocka_unit_test(test_bad_networks),
        cmocka_unit_test(test_tiny_portfolios),
        cmocka_unit_test(test_xu2025),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
