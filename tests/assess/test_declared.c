/* test_declared.c - the declared project data table (src/assess/declared.c).
 *
 * `unknown` is accepted for every attribute and stays unknown (NaN); valid facts are converted
 * (numbers, yes/no, dates, enumerations, twelve monthly values); every broken rule is reported
 * with file:line:column, the value and the rule (negative area, zero depth, a future
 * commissioning date for a dam stated as existing - by its declared status or by the dataset -,
 * unknown project id, unknown attribute, non-numeric value, empty value, bad date, duplicate
 * fact, max depth below mean depth, river area outside the reservoir, land use over 100 %, bad
 * header); the table mapped in a manifest is part of the dataset (file recorded, hash), and the
 * declared file of the Xu et al. dams in the repository loads. */
#define _XOPEN_SOURCE 700
#include "../test_util.h"

#include <string.h>
#include <unistd.h>

#include "assess/declared.h"
#include "core/diag.h"
#include "core/util.h"
#include "data/dataset.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lmplan-declared-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *p = lm_path_join(tmpdir, "decl.csv");
    unlink(p);
    free(p);
    rmdir(tmpdir);
    return 0;
}

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

/* Write `text` as tmpdir/decl.csv and read it; returns the rc. */
static int read_text(const lm_dataset *ds, const char *text, lm_declared **dc, lm_diag *d)
{
    char *p = lm_path_join(tmpdir, "decl.csv");
    FILE *f = fopen(p, "wb");
    if (!f) fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    lm_declared_options opt = {.as_of_yyyymmdd = 20250601};
    int rc = lm_declared_read(ds, p, &opt, dc, d);
    free(p);
    return rc;
}

#define HEADER "project_id,attribute,value,source_id,note\n"

/* `unknown` (any case) for every attribute: accepted, nothing known. */
static void test_unknown_everywhere(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    char *text = lm_xstrdup(HEADER);
    for (int a = 0; a < LM_DA_N; a++) {
        char *t = lm_xasprintf("%s11,%s,%s,src,\n", text, lm_declared_attr_name(a),
                               a % 2 ? "unknown" : "Unknown");
        free(text);
        text = t;
    }
    lm_diag d;
    lm_diag_init(&d);
    lm_declared *dc;
    if (read_text(ds, text, &dc, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("unknown values rejected");
    }
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(dc->n_unknown, LM_DA_N);
    assert_int_equal(dc->n_facts, 0);
    int s = lm_dataset_station(ds, 11);
    for (int a = 0; a < LM_DA_N; a++) {
        assert_false(lm_declared_known(dc, s, a));
        assert_true(dc->project[s].line[a] > 0); /* the row is there, saying unknown */
        assert_string_equal(dc->project[s].source[a], "src");
    }
    /* a station without rows and a NULL set are unknown too */
    assert_true(isnan(lm_declared_get(dc, lm_dataset_station(ds, 12), LM_DA_RESERVOIR_AREA_KM2)));
    assert_true(isnan(lm_declared_get(NULL, s, LM_DA_RESERVOIR_AREA_KM2)));
    lm_declared_free(dc);
    free(text);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

static void test_valid_facts(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    lm_diag d;
    lm_diag_init(&d);
    lm_declared *dc;
    const char *text = HEADER
        "11,status,existing,s1,\n"
        "11,commissioning_date,2005-07-01,s1,\n"
        "11,reservoir_area_km2,12.5,s1,\n"
        "11,reservoir_volume_hm3,250,s1,\n"
        "11,mean_depth_m,20,s1,\n"
        "11,max_depth_m,55,s1,\n"
        "11,eia_disclosed,YES,s2,\n"
        "11,fish_passage,no,s2,\n"
        "11,climate_zone_ipcc,tropical_moist_wet,s3,\n"
        "11,air_temp_monthly_c,\"20; 21;22;24;26;27;27;27;26;25;23;21\",s3,\n"
        "11,eflow_compliance_pct,87.5,s3,\n"
        "11,preimpoundment_g_m2_yr,-120,s3,a sink\n"
        "21,commissioning_date,2031,s4,a candidate: a future date is fine\n";
    if (read_text(ds, text, &dc, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("valid facts rejected");
    }
    int s = lm_dataset_station(ds, 11);
    assert_rel(lm_declared_get(dc, s, LM_DA_STATUS), LM_STATUS_EXISTING, 0);
    /* 2005-07-01: 2005 + 6/12 */
    assert_rel(lm_declared_get(dc, s, LM_DA_COMMISSIONING_DATE), 2005.5, 1e-12);
    assert_int_equal(dc->project[s].date_month, 7);
    assert_rel(lm_declared_get(dc, s, LM_DA_RESERVOIR_AREA_KM2), 12.5, 0);
    assert_rel(lm_declared_get(dc, s, LM_DA_EIA_DISCLOSED), 1, 0);
    assert_rel(lm_declared_get(dc, s, LM_DA_FISH_PASSAGE), 0, 0);
    assert_rel(lm_declared_get(dc, s, LM_DA_CLIMATE_ZONE_IPCC), 5, 0);
    assert_rel(dc->project[s].temp_monthly_c[1], 21, 0);
    assert_rel(lm_declared_get(dc, s, LM_DA_AIR_TEMP_MONTHLY_C), 289.0 / 12, 1e-12);
    assert_rel(lm_declared_get(dc, s, LM_DA_PREIMPOUNDMENT_G_M2_YR), -120, 0);
    assert_int_equal(dc->n_facts, 13);
    assert_int_equal(dc->project[s].line[LM_DA_MAX_DEPTH_M], 7);
    assert_string_equal(dc->project[s].source[LM_DA_EIA_DISCLOSED], "s2");
    /* mean depth 20 vs 250 / 12.5 = 20: no warning */
    assert_int_equal(d.n_warnings, 0);
    lm_declared_free(dc);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

/* Every broken rule located: file:line:column, value, rule; nothing is returned. */
static void test_errors_located(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    lm_diag d;
    lm_diag_init(&d);
    lm_declared *dc = (lm_declared *)1;
    const char *text = HEADER
        "11,reservoir_area_km2,-5,s,\n"                 /* 2: negative area */
        "11,mean_depth_m,0,s,\n"                        /* 3: zero depth */
        "11,status,existing,s,\n"                       /* 4 */
        "11,commissioning_date,2031-05,s,\n"            /* 5: future, declared existing */
        "77,reservoir_area_km2,10,s,\n"                 /* 6: unknown project id */
        "12,dam_height_m,tall,s,\n"                     /* 7: not a number */
        "12,colour,blue,s,\n"                           /* 8: unknown attribute */
        "12,people_resettled,,s,\n"                     /* 9: empty */
        "12,commissioning_date,2019-13,s,\n"            /* 10: bad date */
        "21,local_jobs,100,s,\n"                        /* 11 */
        "21,local_jobs,200,s,\n"                        /* 12: duplicate */
        "21,mean_depth_m,30,s,\n"                       /* 13 */
        "21,max_depth_m,25,s,\n"                        /* 14: below the mean depth */
        "21,reservoir_area_km2,4,s,\n"                  /* 15 */
        "21,river_area_before_km2,6,s,\n"               /* 16: larger than the reservoir */
        "21,catchment_forest_pct,70,s,\n"               /* 17 */
        "21,catchment_cropland_pct,40,s,\n"             /* 18: 110 % */
        "99,commissioning_date,2026,s,\n"               /* 19: existing in the dataset */
        "99,air_temp_monthly_c,1;2;3,s,\n"              /* 20: 3 of 12 values */
        "x1,eia_disclosed,maybe,s,\n"                   /* 21: bad id and bad yes/no */
        "21,fish_passability_up,1.2,s,\n";              /* 22: not a fraction */
    assert_int_equal(read_text(ds, text, &dc, &d), -1);
    assert_null(dc);
    expect_msg(&d, "decl.csv:2:value: value \"-5\": reservoir_area_km2: must be an area > 0 km2 "
                   "or unknown");
    expect_msg(&d, "decl.csv:3:value: value \"0\": mean_depth_m: must be a depth > 0 m or unknown");
    expect_msg(&d, "decl.csv:5:value: value \"2031-05\": project 11: commissioning date in the "
                   "future (after 2025-06-01) for a dam stated as existing (status existing, "
                   "line 4)");
    expect_msg(&d, "decl.csv:6:project_id: value \"77\": unknown project id: not a station_id "
                   "of the dataset's hydro_static table (4 stations)");
    expect_msg(&d, "decl.csv:7:value: value \"tall\": dam_height_m: must be a height > 0 m or "
                   "unknown");
    expect_msg(&d, "decl.csv:8:attribute: value \"colour\": unknown attribute; attributes: "
                   "status, commissioning_date");
    expect_msg(&d, "decl.csv:9:value: value \"\": empty value; must be a number of persons >= 0 "
                   "or unknown (write unknown when the fact is not known)");
    expect_msg(&d, "decl.csv:10:value: value \"2019-13\": commissioning_date: must be a date");
    expect_msg(&d, "decl.csv:12:project_id,attribute: value \"21,local_jobs\": duplicate fact "
                   "for project 21, attribute local_jobs; first at line 11");
    expect_msg(&d, "decl.csv:14:value: value \"25\": project 21: max_depth_m must not be below "
                   "mean_depth_m (30, line 13)");
    expect_msg(&d, "decl.csv:16:value: value \"6\": project 21: river_area_before_km2 must be "
                   "below reservoir_area_km2 (4, line 15)");
    expect_msg(&d, "decl.csv:18:value: value \"40\": project 21: the catchment land-use shares "
                   "add up to 110 %, more than 100");
    expect_msg(&d, "decl.csv:19:value: value \"2026\": project 99: commissioning date in the "
                   "future (after 2025-06-01) for a dam stated as existing (existing in the "
                   "dataset: commissioning year 1998)");
    expect_msg(&d, "decl.csv:20:value: value \"1;2;3\": air_temp_monthly_c: must be 12 "
                   "temperatures");
    expect_msg(&d, "decl.csv:21:project_id: value \"x1\": not an integer");
    expect_msg(&d, "decl.csv:21:value: value \"maybe\": eia_disclosed: must be yes, no or unknown");
    expect_msg(&d, "decl.csv:22:value: value \"1.2\": fish_passability_up: must be a fraction");
    assert_int_equal(d.n_errors, 17);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

/* A future date is fine for a dam that is not stated as existing, and a year-only date in the
 * as-of year is not "in the future". */
static void test_future_date_rules(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    lm_diag d;
    lm_diag_init(&d);
    lm_declared *dc;
    assert_int_equal(read_text(ds, HEADER "11,status,under_construction,s,\n"
                                          "11,commissioning_date,2027,s,\n"
                                          "12,status,existing,s,\n"
                                          "12,commissioning_date,2025,s,\n"
                                          "99,commissioning_date,2025-06-01,s,\n",
                               &dc, &d),
                     0);
    lm_declared_free(dc);
    assert_int_equal(read_text(ds, HEADER "99,commissioning_date,2025-06-02,s,\n", &dc, &d), -1);
    expect_msg(&d, "decl.csv:2:value: value \"2025-06-02\": project 99: commissioning date in "
                   "the future");
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

static void test_bad_header(void **state)
{
    (void)state;
    lm_dataset *ds = load_tiny();
    lm_diag d;
    lm_diag_init(&d);
    lm_declared *dc;
    assert_int_equal(read_text(ds, "project_id,attr,value\n11,status,existing\n", &dc, &d), -1);
    expect_msg(&d, "decl.csv:1:attr: unknown column; table projects_declared has columns "
                   "project_id, attribute, value (optional: source_id, note)");
    expect_msg(&d, "decl.csv:1:-: missing required column \"attribute\"");
    lm_diag_clear(&d);
    /* warnings do not fail the load: mean depth far from volume / area */
    assert_int_equal(read_text(ds, HEADER "11,reservoir_area_km2,10,s,\n"
                                          "11,reservoir_volume_hm3,100,s,\n"
                                          "11,mean_depth_m,30,s,\n",
                               &dc, &d),
                     0);
    assert_int_equal(d.n_warnings, 1);
    expect_msg(&d, "project 11: mean_depth_m 30 differs from reservoir_volume_hm3 / "
                   "reservoir_area_km2 = 10 m");
    lm_declared_free(dc);
    lm_diag_free(&d);
    lm_dataset_free(ds);
}

/* The table in a manifest: part of the dataset (file, hash), read by lm_declared_load. */
static void test_in_manifest(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds, *plain = load_tiny();
    if (lm_dataset_load(fixture("assess/tiny-declared.yaml"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("tiny-declared does not load");
    }
    assert_non_null(ds->projects_declared_file);
    assert_non_null(strstr(ds->projects_declared_file, "projects_declared.csv"));
    assert_string_not_equal(ds->hash, plain->hash);
    assert_null(plain->projects_declared_file);
    lm_declared *dc;
    lm_declared_options opt = {.as_of_yyyymmdd = 20250601};
    if (lm_declared_load(ds, &opt, &dc, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("fixture projects_declared.csv rejected");
    }
    int s = lm_dataset_station(ds, 11);
    assert_rel(lm_declared_get(dc, s, LM_DA_RESERVOIR_AREA_KM2), 12.5, 0);
    assert_rel(lm_declared_get(dc, s, LM_DA_FISH_PASSABILITY_DOWN), 0.5, 0);
    assert_false(lm_declared_known(dc, s, LM_DA_INFLOW_TP_UG_L));
    assert_int_equal(dc->n_unknown, 3);
    assert_int_equal(dc->n_facts, 14);
    lm_declared_free(dc);
    /* without the table: everything unknown */
    assert_int_equal(lm_declared_load(plain, NULL, &dc, &d), 0);
    assert_false(lm_declared_known(dc, s, LM_DA_STATUS));
    lm_declared_free(dc);
    lm_dataset_free(plain);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

/* data/xu2025-declared/projects_declared.csv loads against the Xu et al. dataset. */
static void test_xu2025_declared(void **state)
{
    (void)state;
    if (!lm_path_exists(xu2025_dir())) skip();
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds;
    if (lm_dataset_load(source_path("data/mekong-xu2025.yaml"), &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("Xu et al. dataset does not load");
    }
    lm_declared *dc;
    lm_declared_options opt = {.as_of_yyyymmdd = 20250601};
    if (lm_declared_read(ds, source_path("data/xu2025-declared/projects_declared.csv"), &opt,
                         &dc, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("data/xu2025-declared/projects_declared.csv rejected");
    }
    lm_diag_print(&d, stdout); /* warnings, if any */
    int with_area = 0;
    for (int s = 0; s < ds->n_stations; s++) {
        with_area += lm_declared_known(dc, s, LM_DA_RESERVOIR_AREA_KM2);
        for (int a = 0; a < LM_DA_N; a++)
            if (lm_declared_known(dc, s, a))
                assert_true(dc->project[s].source[a] && dc->project[s].source[a][0]);
    }
    printf("data/xu2025-declared: %d facts, %d unknown, %d dams with a reservoir area\n",
           dc->n_facts, dc->n_unknown, with_area);
    assert_true(with_area >= 8);
    /* the two Lao mainstream dams with fish passage facilities */
    assert_rel(lm_declared_get(dc, lm_dataset_station(ds, 206), LM_DA_FISH_PASSAGE), 1, 0);
    assert_rel(lm_declared_get(dc, lm_dataset_station(ds, 441), LM_DA_FISH_PASSAGE), 1, 0);
    lm_declared_free(dc);
    lm_dataset_free(ds);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_everywhere),
        cmocka_unit_test(test_valid_facts),
        cmocka_unit_test(test_errors_located),
        cmocka_unit_test(test_future_date_rules),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_in_manifest),
        cmocka_unit_test(test_xu2025_declared),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
