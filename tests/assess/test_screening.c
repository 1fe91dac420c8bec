/* test_screening.c - green-finance screening (src/assess/screening.c) over the bundled criteria
 * table data/criteria/green_finance_criteria.csv.
 *
 * Every numeric threshold is tested exactly at, just above and just below it (CBI hydropower
 * 5/10 W/m2 and 100/50 g CO2e/kWh on both sides of the 2020 commissioning date; EU and ASEAN
 * 5 W/m2 and 100 g; EU gas 100 g lifecycle and 270 g direct; T&D 67 % and 100 g; CBI solar
 * 85 %), unknown inputs give "cannot tell", `any` and `all` combinations are checked on small
 * tables, and the loader's errors are checked with their file:line:column. */
#include "../test_util.h"

#include <string.h>
#include <unistd.h>

#include "assess/screening.h"
#include "core/diag.h"

static lm_criteria *load_bundled(void)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_criteria *cr = NULL;
    int rc = lm_criteria_load(source_path("data/criteria/green_finance_criteria.csv"), &cr, &d);
    if (rc != 0) lm_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_non_null(cr);
    lm_diag_free(&d);
    return cr;
}

static int screen(const lm_criteria *cr, int tax, const char *tech, const lm_screen_inputs *in,
                  lm_screen_result *r)
{
    assert_int_equal(lm_screen_project(cr, tax, tech, in, r), 0);
    return r->status;
}

/* Hydropower with only power density known (and the date, for CBI). */
static int hydro_pd(const lm_criteria *cr, int tax, double date, double pd, double lc)
{
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    in.value[LM_IND_COMMISSIONING_DATE] = date;
    in.value[LM_IND_POWER_DENSITY_W_M2] = pd;
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = lc;
    in.value[LM_IND_RUN_OF_RIVER] = 0;
    lm_screen_result r;
    return screen(cr, tax, "hydropower", &in, &r);
}

static void test_bundled_loads(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    assert_true(cr->n >= 40);
    for (int i = 0; i < cr->n; i++) {
        assert_true(strlen(cr->c[i].source) > 0);
        assert_true(strlen(cr->c[i].checked) > 0);
    }
    lm_criteria_free(cr);
}

static void test_cbi_hydro_pre2020(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    const double y = 2010;
    /* power density > 5, lifecycle far above */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 5.0, 500), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 5.01, 500), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 4.99, 500), LM_SCREEN_NOT_ELIGIBLE);
    /* lifecycle < 100, power density far below */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 100), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 99.99), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 100.01), LM_SCREEN_NOT_ELIGIBLE);
    /* the deciding clause and the numbers compared */
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    in.value[LM_IND_COMMISSIONING_DATE] = y;
    in.value[LM_IND_POWER_DENSITY_W_M2] = 7;
    lm_screen_result r;
    assert_int_equal(screen(cr, LM_TAX_CBI, "hydropower", &in, &r), LM_SCREEN_ELIGIBLE);
    assert_string_equal(r.clause_id, "cbi-hydro-pd-pre2020");
    assert_int_equal(r.n_compared, 4);
    assert_rel(r.compared[0].value, 7, 0);
    assert_rel(r.compared[0].threshold, 5, 0);
    assert_int_equal(r.compared[0].outcome, 1);
    assert_int_equal(r.compared[2].applies, 0); /* the 2020-on clauses do not apply */
    lm_criteria_free(cr);
}

static void test_cbi_hydro_2020_on(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    const double y = 2020.0; /* exactly 2020-01-01: the stricter clauses apply */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 7, 500), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 10.0, 500), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 10.01, 500), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 9.99, 500), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 50), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 49.99), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, y, 0.1, 50.01), LM_SCREEN_NOT_ELIGIBLE);
    /* 80 g passes before 2020 but not after; just before 2020 the lenient clause holds */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, 2019.99, 0.1, 80), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, 2020.0, 0.1, 80), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, 2030, 0.1, 80), LM_SCREEN_NOT_ELIGIBLE);
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    in.value[LM_IND_COMMISSIONING_DATE] = 2030;
    in.value[LM_IND_POWER_DENSITY_W_M2] = 2;
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 80;
    lm_screen_result r;
    assert_int_equal(screen(cr, LM_TAX_CBI, "hydropower", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_string_equal(r.clause_id, "cbi-hydro-pd-2020on");
    lm_criteria_free(cr);
}

static void test_cbi_hydro_unknown(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    const double nan = NAN;
    /* date unknown: 12 W/m2 passes both regimes -> eligible; 7 W/m2 only the old one */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 12, nan), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 10.01, 500), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 10, 500), LM_SCREEN_CANNOT_TELL);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 1, 49.99), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 7, nan), LM_SCREEN_CANNOT_TELL);
    /* date unknown and both metrics fail everywhere -> not eligible */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, 1, 500), LM_SCREEN_NOT_ELIGIBLE);
    {
        lm_screen_inputs in;
        lm_screen_inputs_init(&in);
        in.value[LM_IND_POWER_DENSITY_W_M2] = 12;
        lm_screen_result r;
        assert_int_equal(screen(cr, LM_TAX_CBI, "hydropower", &in, &r), LM_SCREEN_ELIGIBLE);
        assert_int_equal(r.over_unknown, LM_IND_COMMISSIONING_DATE);
        assert_string_equal(r.clause_id, "cbi-hydro-pd-pre2020");
        assert_int_equal(r.n_compared, 4);
        in.value[LM_IND_COMMISSIONING_DATE] = 2025;
        assert_int_equal(screen(cr, LM_TAX_CBI, "hydropower", &in, &r), LM_SCREEN_ELIGIBLE);
        assert_int_equal(r.over_unknown, -1);
    }
    /* nothing known */
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, nan, nan, nan), LM_SCREEN_CANNOT_TELL);
    /* power density fails, lifecycle unknown -> cannot tell, decided by the lifecycle clause */
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    in.value[LM_IND_COMMISSIONING_DATE] = 2025;
    in.value[LM_IND_POWER_DENSITY_W_M2] = 3;
    lm_screen_result r;
    assert_int_equal(screen(cr, LM_TAX_CBI, "hydropower", &in, &r), LM_SCREEN_CANNOT_TELL);
    assert_string_equal(r.clause_id, "cbi-hydro-ei-2020on");
    assert_true(isnan(r.compared[3].value));
    assert_int_equal(r.compared[3].outcome, -1);
    lm_criteria_free(cr);
}

static void test_eu_asean_hydro(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    int taxa[2] = {LM_TAX_EU, LM_TAX_ASEAN};
    for (int k = 0; k < 2; k++) {
        int t = taxa[k];
        assert_int_equal(hydro_pd(cr, t, 2030, 5.0, 500), LM_SCREEN_NOT_ELIGIBLE);
        assert_int_equal(hydro_pd(cr, t, 2030, 5.01, 500), LM_SCREEN_ELIGIBLE);
        assert_int_equal(hydro_pd(cr, t, 2030, 4.99, 500), LM_SCREEN_NOT_ELIGIBLE);
        assert_int_equal(hydro_pd(cr, t, 2030, 1, 100), LM_SCREEN_NOT_ELIGIBLE);
        assert_int_equal(hydro_pd(cr, t, 2030, 1, 99.99), LM_SCREEN_ELIGIBLE);
        assert_int_equal(hydro_pd(cr, t, 2030, 1, 100.01), LM_SCREEN_NOT_ELIGIBLE);
        /* run-of-river decides alone */
        lm_screen_inputs in;
        lm_screen_inputs_init(&in);
        in.value[LM_IND_RUN_OF_RIVER] = 1;
        lm_screen_result r;
        assert_int_equal(screen(cr, t, "hydropower", &in, &r), LM_SCREEN_ELIGIBLE);
        /* reservoir plant with unknown power density and lifecycle */
        in.value[LM_IND_RUN_OF_RIVER] = 0;
        assert_int_equal(screen(cr, t, "hydropower", &in, &r), LM_SCREEN_CANNOT_TELL);
    }
    /* EU does not depend on the date: 7 W/m2 after 2020 passes EU, fails CBI */
    assert_int_equal(hydro_pd(cr, LM_TAX_EU, 2030, 7, 500), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CBI, 2030, 7, 500), LM_SCREEN_NOT_ELIGIBLE);
    lm_criteria_free(cr);
}

static void test_china_hydro_no_threshold(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    /* category match: eligible whatever the numbers, even all unknown */
    assert_int_equal(hydro_pd(cr, LM_TAX_CHINA2021, 2030, 0.1, 900), LM_SCREEN_ELIGIBLE);
    assert_int_equal(hydro_pd(cr, LM_TAX_CHINA2021, NAN, NAN, NAN), LM_SCREEN_ELIGIBLE);
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    lm_screen_result r;
    assert_int_equal(screen(cr, LM_TAX_CHINA2021, "coal", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_string_equal(r.clause_id, "cn-coal-excluded");
    /* gas has no clause in the catalogue table */
    assert_int_equal(screen(cr, LM_TAX_CHINA2021, "gas", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_null(r.clause_id);
    lm_criteria_free(cr);
}

static void test_by_technology(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    lm_screen_result r;
    const char *techs[3] = {"solar", "wind", "storage"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(screen(cr, LM_TAX_EU, techs[k], &in, &r), LM_SCREEN_ELIGIBLE);
        assert_int_equal(screen(cr, LM_TAX_ASEAN, techs[k], &in, &r), LM_SCREEN_ELIGIBLE);
        assert_int_equal(screen(cr, LM_TAX_CHINA2021, techs[k], &in, &r), LM_SCREEN_ELIGIBLE);
    }
    assert_int_equal(screen(cr, LM_TAX_CBI, "wind", &in, &r), LM_SCREEN_ELIGIBLE);
    assert_int_equal(screen(cr, LM_TAX_EU, "coal", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(screen(cr, LM_TAX_ASEAN, "coal", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_int_equal(screen(cr, LM_TAX_CBI, "coal", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    /* CBI solar: >= 85 % solar share */
    assert_int_equal(screen(cr, LM_TAX_CBI, "solar", &in, &r), LM_SCREEN_CANNOT_TELL);
    in.value[LM_IND_SOLAR_SHARE_PCT] = 85;
    assert_int_equal(screen(cr, LM_TAX_CBI, "solar", &in, &r), LM_SCREEN_ELIGIBLE);
    in.value[LM_IND_SOLAR_SHARE_PCT] = 85.01;
    assert_int_equal(screen(cr, LM_TAX_CBI, "solar", &in, &r), LM_SCREEN_ELIGIBLE);
    in.value[LM_IND_SOLAR_SHARE_PCT] = 84.99;
    assert_int_equal(screen(cr, LM_TAX_CBI, "solar", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_string_equal(r.clause_id, "cbi-solar-share");
    assert_int_equal(lm_screen_project(cr, LM_TAX_N, "solar", &in, &r), -1);
    lm_criteria_free(cr);
}

static void test_eu_gas(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    lm_screen_result r;
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 490; /* AR5 CCGT median */
    in.value[LM_IND_DIRECT_G_CO2E_KWH] = 270;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    in.value[LM_IND_DIRECT_G_CO2E_KWH] = 270.01;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    in.value[LM_IND_DIRECT_G_CO2E_KWH] = 269.99;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_ELIGIBLE);
    assert_string_equal(r.clause_id, "eu-4.29-transitional");
    in.value[LM_IND_DIRECT_G_CO2E_KWH] = 350;
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 100;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 99.99;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_ELIGIBLE);
    assert_string_equal(r.clause_id, "eu-4.29-lc");
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 100.01;
    in.value[LM_IND_DIRECT_G_CO2E_KWH] = NAN;
    assert_int_equal(screen(cr, LM_TAX_EU, "gas", &in, &r), LM_SCREEN_CANNOT_TELL);
    assert_string_equal(r.clause_id, "eu-4.29-transitional");
    lm_criteria_free(cr);
}

static void test_grid(void **state)
{
    (void)state;
    lm_criteria *cr = load_bundled();
    int taxa[3] = {LM_TAX_CBI, LM_TAX_EU, LM_TAX_ASEAN};
    const char *techs[2] = {"grid", "transmission"};
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 2; j++) {
            lm_screen_inputs in;
            lm_screen_inputs_init(&in);
            lm_screen_result r;
            int t = taxa[k];
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_CANNOT_TELL);
            in.value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = 500;
            in.value[LM_IND_NEW_CAPACITY_GREEN_PCT] = 67;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_NOT_ELIGIBLE);
            in.value[LM_IND_NEW_CAPACITY_GREEN_PCT] = 67.01;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_ELIGIBLE);
            in.value[LM_IND_NEW_CAPACITY_GREEN_PCT] = 66.99;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_NOT_ELIGIBLE);
            in.value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = 100;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_NOT_ELIGIBLE);
            in.value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = 99.99;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_ELIGIBLE);
            in.value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = 100.01;
            assert_int_equal(screen(cr, t, techs[j], &in, &r), LM_SCREEN_NOT_ELIGIBLE);
        }
    lm_criteria_free(cr);
}

/* Write `text` to a temporary file; returns its path (static). */
static const char *write_tmp(const char *name, const char *text)
{
    static char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/lm_screen_%d_%s", dir && *dir ? dir : "/tmp", (int)getpid(),
             name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

#define HEADER                                                                                  \
    "taxonomy,version,technology,clause_id,clause_text,indicator,comparison,threshold,unit,"    \
    "combination,applies_if,source,source_url,checked\n"

static void test_combination_all(void **state)
{
    (void)state;
    const char *p = write_tmp("all.csv", HEADER
        "eu,t,x,a1,pd above 5,power_density_w_m2,>,5,W/m2,all,,s,,no\n"
        "eu,t,x,a2,lc at most 100,lifecycle_g_co2e_kwh,<=,100,g,all,,s,,no\n"
        "eu,t,y,b1,pd at least 5,power_density_w_m2,>=,5,W/m2,any,,s,,no\n"
        "eu,t,y,b2,after 2015,commissioning_date,after,2015-06,-,any,,s,,no\n");
    lm_diag d;
    lm_diag_init(&d);
    lm_criteria *cr = NULL;
    assert_int_equal(lm_criteria_load(p, &cr, &d), 0);
    lm_screen_inputs in;
    lm_screen_inputs_init(&in);
    lm_screen_result r;
    in.value[LM_IND_POWER_DENSITY_W_M2] = 6;
    assert_int_equal(screen(cr, LM_TAX_EU, "x", &in, &r), LM_SCREEN_CANNOT_TELL);
    assert_string_equal(r.clause_id, "a2");
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 100; /* <= includes the threshold */
    assert_int_equal(screen(cr, LM_TAX_EU, "x", &in, &r), LM_SCREEN_ELIGIBLE);
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = 100.01;
    assert_int_equal(screen(cr, LM_TAX_EU, "x", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_string_equal(r.clause_id, "a2");
    in.value[LM_IND_LIFECYCLE_G_CO2E_KWH] = NAN;
    in.value[LM_IND_POWER_DENSITY_W_M2] = 5; /* fails a1: decides even with a2 unknown */
    assert_int_equal(screen(cr, LM_TAX_EU, "x", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    assert_string_equal(r.clause_id, "a1");
    /* `>=` includes the threshold; `after` is strict */
    assert_int_equal(screen(cr, LM_TAX_EU, "y", &in, &r), LM_SCREEN_ELIGIBLE);
    in.value[LM_IND_POWER_DENSITY_W_M2] = 4.99;
    in.value[LM_IND_COMMISSIONING_DATE] = 2015 + 5 / 12.0;
    assert_int_equal(screen(cr, LM_TAX_EU, "y", &in, &r), LM_SCREEN_NOT_ELIGIBLE);
    in.value[LM_IND_COMMISSIONING_DATE] = 2015.5;
    assert_int_equal(screen(cr, LM_TAX_EU, "y", &in, &r), LM_SCREEN_ELIGIBLE);
    lm_criteria_free(cr);
    lm_diag_free(&d);
    remove(p);
}

static void test_loader_errors(void **state)
{
    (void)state;
    const char *p = write_tmp("bad.csv", HEADER
        "cbi,v,hydropower,c1,ok,power_density_w_m2,>,5,W/m2,any,,s,,yes\n"
        "ifc,v,hydropower,c2,bad taxonomy,power_density_w_m2,>,5,W/m2,any,,s,,yes\n"
        "cbi,v,hydropower,c3,bad comparison,power_density_w_m2,>>,5,W/m2,any,,s,,yes\n"
        "cbi,v,hydropower,c4,bad indicator,power_density_kw_m2,>,5,W/m2,any,,s,,yes\n"
        "cbi,v,hydropower,c5,bad threshold,power_density_w_m2,>,five,W/m2,any,,s,,yes\n"
        "cbi,v,hydropower,c1,duplicate,lifecycle_g_co2e_kwh,<,100,g,any,,s,,yes\n"
        "cbi,v,hydropower,c6,bad combination,lifecycle_g_co2e_kwh,<,100,g,all,,s,,yes\n"
        "cbi,v,hydropower,c7,bad date,commissioning_date,before,2020-13-01,-,any,,s,,yes\n"
        "cbi,v,hydropower,c8,bad condition,lifecycle_g_co2e_kwh,<,100,g,any,"
        "commissioning_date < 2020,s,,yes\n"
        "cbi,v,hydropower,c9,bad checked,lifecycle_g_co2e_kwh,<,100,g,any,,s,,maybe\n");
    lm_diag d;
    lm_diag_init(&d);
    lm_criteria *cr = (lm_criteria *)1;
    assert_int_equal(lm_criteria_load(p, &cr, &d), -1);
    assert_null(cr);
    char want[700];
    struct { int line; const char *col; const char *val; } e[] = {
        {3, "taxonomy", "ifc"},          {4, "comparison", ">>"},
        {5, "indicator", "power_density_kw_m2"}, {6, "threshold", "five"},
        {7, "clause_id", "c1"},          {8, "combination", "all"},
        {9, "threshold", "2020-13-01"},  {10, "applies_if", "commissioning_date < 2020"},
        {11, "checked", "maybe"},
    };
    for (size_t k = 0; k < sizeof e / sizeof e[0]; k++) {
        snprintf(want, sizeof want, "%s:%d:%s: value \"%s\"", p, e[k].line, e[k].col, e[k].val);
        if (!lm_diag_contains(&d, want)) {
            lm_diag_print(&d, stderr);
            fail_msg("missing error: %s", want);
        }
    }
    assert_true(lm_diag_contains(&d, "duplicate clause id (first on line 2)"));
    assert_int_equal(d.n_errors, 9);
    lm_diag_free(&d);
    remove(p);

    p = write_tmp("nocol.csv", "taxonomy,version\ncbi,v\n");
    lm_diag_init(&d);
    assert_int_equal(lm_criteria_load(p, &cr, &d), -1);
    snprintf(want, sizeof want, "%s:1:clause_id: required column missing", p);
    assert_true(lm_diag_contains(&d, want));
    lm_diag_free(&d);
    remove(p);

    lm_diag_init(&d);
    assert_int_equal(lm_criteria_load("/nonexistent/criteria.csv", &cr, &d), -1);
    assert_true(d.n_errors > 0);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_loads),
        cmocka_unit_test(test_cbi_hydro_pre2020),
        cmocka_unit_test(test_cbi_hydro_2020_on),
        cmocka_unit_test(test_cbi_hydro_unknown),
        cmocka_unit_test(test_eu_asean_hydro),
        cmocka_unit_test(test_china_hydro_no_threshold),
        cmocka_unit_test(test_by_technology),
        cmocka_unit_test(test_eu_gas),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_combination_all),
        cmocka_unit_test(test_loader_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
