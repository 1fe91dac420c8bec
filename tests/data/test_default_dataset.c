/* test_default_dataset.c - pins the key totals of the bundled Lancang-Mekong dataset
 * (data/lancang-mekong, docs/default-dataset.md) so that an accidental edit of a table or of
 * its generator is caught: zones, 2020 capacity, demand 2020 and 2050, dams, river network,
 * sediment to the delta without and with the 2020 dams, discount rate. */
#include "../test_util.h"

#include "data/dataset.h"
#include "model/model.h"

#include <string.h>

static double annual_twh(const lm_dataset *ds, int z, int y)
{
    double s = 0;
    for (int t = 0; t < ds->n_steps; t++) s += ds->demand_mw[((size_t)z * ds->n_years + y) * ds->n_steps + t];
    return s * ds->dt_h * 8760.0 / (ds->n_steps * ds->dt_h) / 1e6;
}

static void test_key_totals(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    if (lm_dataset_load(source_path("data/lancang-mekong"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail();
    }
    const char *zones[] = {"Cambodia", "Laos", "Myanmar", "Thailand", "Vietnam", "Yunnan"};
    /* 2026-12-07: solar Cambodia 315 -> 314, Laos 50 -> 33, Thailand 2988 -> 2983 (IRENASTAT via
     * pypsa-earth, S170) and Yunnan 3890 -> 3880 (China Electric Power Yearbook 2021 via PyPSA-China, S171) */
    /* 2026-12-07 (second pass): Ember capacity via electricitymaps-contrib zone files (S175): Thailand coal
     * 5700 -> 6140, gas 30000 -> 31680, hydro 3000 -> 3110, bioenergy 3800 -> 4070; Cambodia oil 560 -> 660,
     * bioenergy 40 -> 70; Laos bioenergy 40 -> 120; Myanmar bioenergy 0 -> 60, oil 100 -> 0
     * (was 2917, 11923, 7158, 47290) */
    const double cap_mw[] = {3047, 12003, 7118, 49790, 69700, 103420};
    /* Cambodia 2020 = Ember demand 11.34 TWh via owid/energy-data (S172; was 12.3, recalled) */
    const double dem2020_twh[] = {11.34, 9.401, 23.5, 191.93, 247.08, 347.6};
    assert_int_equal(ds->n_zones, 6);
    assert_int_equal(ds->n_years, 4);
    assert_int_equal(ds->n_steps, 288);
    double total_cap = 0, d2020 = 0, d2050 = 0;
    for (int i = 0; i < 6; i++) {
        int z = lm_dataset_zone(ds, zones[i]);
        assert_true(z >= 0);
        double c = 0;
        for (int k = 0; k < ds->n_techs; k++)
            for (int a = 0; a < ds->n_ages; a++)
                c += ds->existing_capacity_mw[(size_t)lm_zk(ds, z, k) * ds->n_ages + a];
        assert_rel(c, cap_mw[i], 1e-9);
        total_cap += c;
        assert_rel(annual_twh(ds, z, 0), dem2020_twh[i], 5e-3);
        d2020 += annual_twh(ds, z, 0);
        d2050 += annual_twh(ds, z, ds->n_years - 1);
    }
    assert_rel(total_cap, 245078, 1e-9); /* was 242408 before the Ember capacity figures of 2026-12-07 (S175);
                                          * Laos hydro and Myanmar corrected to MEM / MOEE 2020 figures; was
                                          * 242441 before the 2026-12-07 IRENA / yearbook solar figures (S170, S171) */
    assert_rel(d2020, 830.851, 1e-5); /* Laos 2020 = MEM 9.401 TWh; Cambodia 2020 = Ember 11.34 TWh (S172; was 831.811) */
    assert_rel(d2050, 2711.49, 1e-5); /* was 2716.99: Cambodia 2050 70.39 -> 64.89 TWh with the corrected 2020 base */
    for (int y = 0; y < ds->n_years; y++) assert_rel(ds->discount_rate[y], 0.09, 1e-12);

    int candidates = 0;
    for (int s = 0; s < ds->n_stations; s++) candidates += !ds->stations[s].is_existing;
    assert_int_equal(ds->n_stations, 57);
    assert_int_equal(candidates, 16);
    assert_int_equal(ds->n_edges, 56);
    assert_int_equal(ds->n_reaches, 58);
    assert_int_equal(ds->n_lines, 20);

    /* sediment reaching the outlet reach: 160 Mt/yr without dams (Walling 2008, Kratie),
     * 53.7 with the dams in service in 2020 (docs/default-dataset.md) */
    double *in_place = calloc((size_t)ds->n_stations, sizeof(double));
    double *sout = calloc((size_t)ds->n_reaches, sizeof(double));
    int outlet = -1;
    for (int r = 0; r < ds->n_reaches; r++)
        if (ds->reach_down[r] < 0) outlet = r;
    assert_true(outlet >= 0);
    lm_sediment_evaluate(ds, in_place, NULL, sout);
    assert_rel(sout[outlet], 160.0, 1e-5); /* yields apportioned to 4 decimals */
    for (int s = 0; s < ds->n_stations; s++) in_place[s] = ds->stations[s].is_existing;
    lm_sediment_evaluate(ds, in_place, NULL, sout);
    /* was 58.4 before the 2026-12-07 dam verification: Lower Sesan 2 total storage 17.9 -> 27.0e8 m3
     * (operator figure, S82) traps 0.7 Mt/yr more; Xiaowan (S78), Nam Ngum 1 (S80), Sirindhorn (S137)
     * storage and the Nam Khan 3 / Ubol Ratana catchments (S165, S154) the rest; Nam Ngum 1 total storage
     * 47.0 -> 68.7e8 m3 (2026-12-07; EDL-Gen operator volume at 211.58 masl, S173) raises its trap
     * efficiency 0.943 -> 0.957 and stays within the tolerance.
     * 57.6 -> 53.7 (2026-12-07, third check): Xayaburi total storage 7.3 -> 13.0e8 m3 (the 1.3 km3 of its
     * Wikipedia infobox, S72, re-read) raises its trap efficiency 0.277 -> 0.429 */
    assert_rel(sout[outlet], 53.7, 5e-3);
    free(in_place);
    free(sout);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_key_totals)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
