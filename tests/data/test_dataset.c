/* test_dataset.c - the data layer: CSV reader, manifest, schema checks and dataset loading.
 *
 * Valid data: the hand-made fixture tests/fixtures/datasets/tiny (dataset.yaml: fixed hydro
 * output; hydro.yaml: stations and sediment network) checked value by value, and the shared
 * Xu et al. (2025) data checked against the counts and totals published with it.
 * Broken data: each test copies tiny/ to a temporary folder, breaks one thing and asserts the
 * exact located message (file, line, column, value, rule). */
#include "../test_util.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/util.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/schema.h"

/* ---- helpers ---- */

/* A fresh copy of fixtures/datasets/tiny in a temporary folder; caller frees with rm_copy. */
static char *tiny_copy(void)
{
    char tmpl[] = "/tmp/lmplan-test-XXXXXX";
    if (!mkdtemp(tmpl)) fail_msg("mkdtemp failed");
    const char *src = fixture("datasets/tiny");
    DIR *dir = opendir(src);
    if (!dir) fail_msg("cannot open %s", src);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        char *from = lm_xasprintf("%s/%s", src, e->d_name);
        char *to = lm_xasprintf("%s/%s", tmpl, e->d_name);
        char *text = read_all(from);
        write_all(to, text);
        free(text);
        free(from);
        free(to);
    }
    closedir(dir);
    return lm_xstrdup(tmpl);
}

static void rm_copy(char *dirpath)
{
    DIR *dir = opendir(dirpath);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        char *p = lm_xasprintf("%s/%s", dirpath, e->d_name);
        unlink(p);
        free(p);
    }
    if (dir) closedir(dir);
    rmdir(dirpath);
    free(dirpath);
}

/* Replace the first occurrence of `old` in dir/file by `new`. */
static void edit(const char *dir, const char *file, const char *old, const char *new)
{
    char *path = lm_xasprintf("%s/%s", dir, file);
    char *text = read_all(path);
    char *at = strstr(text, old);
    if (!at) fail_msg("\"%s\" not found in %s", old, path);
    *at = 0;
    char *out = lm_xasprintf("%s%s%s", text, new, at + strlen(old));
    write_all(path, out);
    free(out);
    free(text);
    free(path);
}

static void append(const char *dir, const char *file, const char *text)
{
    char *path = lm_xasprintf("%s/%s", dir, file);
    char *old = read_all(path);
    char *out = lm_xasprintf("%s%s", old, text);
    write_all(path, out);
    free(out);
    free(old);
    free(path);
}

/* Load `manifest` (file name in dir), expect failure, return the diagnostics. */
static lm_diag load_fails(const char *dir, const char *manifest)
{
    char *path = lm_xasprintf("%s/%s", dir, manifest);
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = (lm_dataset *)1;
    int rc = lm_dataset_load(path, &ds, &d);
    free(path);
    if (rc == 0) lm_dataset_free(ds);
    assert_int_equal(rc, -1);
    assert_null(ds);
    assert_true(d.n_errors > 0);
    return d;
}

static lm_dataset *load_ok(const char *path)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    int rc = lm_dataset_load(path, &ds, &d);
    if (rc != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("loading %s failed", path);
    }
    assert_int_equal(d.n_errors, 0);
    lm_diag_free(&d);
    return ds;
}

static int step(const lm_dataset *ds, int month, int hour)
{
    for (int m = 0; m < ds->n_months; m++)
        if (ds->months[m] == month) return m * ds->n_hours + hour - 1;
    fail_msg("month %d not in the dataset", month);
    return -1;
}

/* ---- CSV reader ---- */

static void test_csv_reader(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_csv c;
    /* BOM, CRLF, quoted comma, doubled quote, line break inside quotes, blank lines, no final
     * line end */
    const char *text = "\xEF\xBB\xBF" "id,name,value\r\n"
                       "1,\"Nam Ngum, Lower\",2.5\r\n"
                       "\r\n"
                       "2,\"say \"\"hi\"\"\",3\r\n"
                       "3,\"two\nlines\",4\r\n"
                       "4,last,5";
    assert_int_equal(lm_csv_parse("t.csv", text, strlen(text), &c, &d), 0);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(c.n_cols, 3);
    assert_string_equal(c.header[0], "id"); /* BOM stripped */
    assert_int_equal(c.n_rows, 4);
    assert_string_equal(lm_csv_cell(&c, 0, 1), "Nam Ngum, Lower");
    assert_string_equal(lm_csv_cell(&c, 1, 1), "say \"hi\"");
    assert_string_equal(lm_csv_cell(&c, 2, 1), "two\nlines");
    assert_string_equal(lm_csv_cell(&c, 3, 2), "5");
    assert_int_equal(c.line[0], 2);
    assert_int_equal(c.line[1], 4); /* the blank line 3 is skipped but counted */
    assert_int_equal(c.line[2], 5);
    assert_int_equal(c.line[3], 7); /* the quoted line break took line 6 */
    lm_csv_free(&c);

    /* ragged rows: reported with their line, dropped, the others kept */
    const char *ragged = "a,b\n1,2\n3,4,5\n6\n7,8\n";
    assert_int_equal(lm_csv_parse("r.csv", ragged, strlen(ragged), &c, &d), -1);
    expect_msg(&d, "r.csv:3:-: row has 3 fields, header has 2");
    expect_msg(&d, "r.csv:4:-: row has 1 fields, header has 2");
    assert_int_equal(c.n_rows, 2);
    assert_int_equal(c.line[1], 5);
    lm_csv_free(&c);

    /* malformed quoting and empty files */
    lm_diag_clear(&d);
    const char *bad = "a,b\n1,\"x\"y\n";
    assert_int_equal(lm_csv_parse("q.csv", bad, strlen(bad), &c, &d), -1);
    expect_msg(&d, "q.csv:2:-: malformed CSV");
    lm_csv_free(&c);
    assert_int_equal(lm_csv_parse("e.csv", "", 0, &c, &d), -1);
    expect_msg(&d, "e.csv:1:-: empty file: no header row");
    lm_csv_free(&c);
    lm_diag_free(&d);
}

/* ---- the tiny fixture ---- */

static void test_tiny_loads(void **state)
{
    (void)state;
    lm_dataset *ds = load_ok(fixture("datasets/tiny"));
    assert_string_equal(ds->name, "tiny");
    assert_string_equal(ds->version, "1");
    assert_int_equal(strlen(ds->hash), 64);
    assert_non_null(strstr(ds->manifest_path, "dataset.yaml"));

    /* sets */
    assert_int_equal(ds->n_zones, 2);
    assert_string_equal(ds->zones[0], "Upland");
    assert_string_equal(ds->zones[1], "Delta");
    assert_int_equal(ds->n_techs, 4);
    assert_string_equal(ds->techs[3], "Battery");
    assert_int_equal(ds->tech_type[0], LM_TECH_DISPATCHABLE);
    assert_int_equal(ds->tech_type[1], LM_TECH_NONDISPATCHABLE);
    assert_int_equal(ds->tech_type[2], LM_TECH_HYDRO);
    assert_int_equal(ds->tech_type[3], LM_TECH_STORAGE);
    assert_int_equal(ds->n_years, 2); /* sorted although the file lists 2030 first */
    assert_int_equal(ds->years[0], 2020);
    assert_int_equal(ds->years[1], 2030);
    assert_int_equal(ds->n_months, 2);
    assert_int_equal(ds->months[0], 1);
    assert_int_equal(ds->months[1], 7);
    assert_int_equal(ds->n_hours, 3);
    assert_int_equal(ds->n_steps, 6);
    assert_rel(ds->dt_h, 1, 0);

    int up = lm_dataset_zone(ds, "Upland"), de = lm_dataset_zone(ds, "Delta");
    int coal = lm_dataset_tech(ds, "Coal"), solar = lm_dataset_tech(ds, "Solar");
    int bat = lm_dataset_tech(ds, "Battery"), hyd = lm_dataset_tech(ds, "Hydro");
    int y2030 = lm_dataset_year(ds, 2030);
    assert_int_equal(lm_dataset_zone(ds, "Atlantis"), -1);
    assert_int_equal(lm_dataset_tech(ds, "PumpedHydro"), -1); /* ignored rows, no tech */
    assert_int_equal(lm_dataset_year(ds, 2040), -1);
    assert_int_equal(y2030, 1);

    /* technology x year */
    assert_rel(ds->investment_cost_usd_per_mw[lm_ky(ds, solar, y2030)], 700000, 0);
    assert_rel(ds->fixed_om_cost_usd_per_mw_yr[lm_ky(ds, coal, 0)], 40000, 0);
    assert_rel(ds->variable_om_cost_usd_per_mwh[lm_ky(ds, hyd, 1)], 0.5, 0);
    assert_rel(ds->fuel_cost_usd_per_mwh[lm_ky(ds, coal, y2030)], 22, 0);
    assert_rel(ds->emission_factor_t_co2_per_mwh[lm_ky(ds, coal, 0)], 0.9, 0);
    assert_rel(ds->efficiency_fraction[lm_ky(ds, bat, y2030)], 0.92, 0);
    assert_rel(ds->lifetime_years[lm_ky(ds, hyd, 0)], 80, 0);
    assert_rel(ds->ramp_up_fraction_per_h[coal], 0.5, 0);
    assert_rel(ds->ramp_down_fraction_per_h[coal], 0.4, 0);
    assert_rel(ds->discount_rate[1], 0.05, 0);
    assert_non_null(ds->carbon_cap_t_co2);
    assert_true(isinf(ds->carbon_cap_t_co2[0]));
    assert_rel(ds->carbon_cap_t_co2[1], 500000, 0);

    /* zone x technology, existing capacity by age (age 1 = index 0) */
    assert_int_equal(ds->n_ages, 10);
    const double *ex = ds->existing_capacity_mw;
    assert_rel(ex[lm_zk(ds, up, coal) * ds->n_ages + 0], 60, 0);
    assert_rel(ex[lm_zk(ds, up, coal) * ds->n_ages + 4], 40, 0);
    assert_rel(ex[lm_zk(ds, up, hyd) * ds->n_ages + 9], 50, 0);
    assert_rel(ex[lm_zk(ds, de, coal) * ds->n_ages + 2], 200, 0);
    assert_rel(ex[lm_zk(ds, de, solar) * ds->n_ages + 0], 0, 0);
    assert_true(isinf(ds->max_capacity_mw[lm_zk(ds, up, coal)]));
    assert_rel(ds->max_capacity_mw[lm_zk(ds, de, solar)], 300, 0);
    assert_rel(ds->max_new_capacity_mw[lm_zk(ds, up, solar)], 200, 0);
    assert_rel(ds->min_new_capacity_mw[lm_zk(ds, up, solar)], 5, 0);
    assert_rel(ds->initial_storage_fraction[lm_zk(ds, de, bat)], 0.4, 0);
    assert_rel(ds->initial_storage_fraction[lm_zk(ds, de, coal)], 0, 0);
    assert_rel(ds->energy_to_power_ratio_h[lm_zk(ds, up, bat)], 4, 0);

    /* time series */
    assert_rel(ds->demand_mw[(de * ds->n_years + y2030) * ds->n_steps + step(ds, 7, 2)], 285, 0);
    assert_rel(ds->demand_mw[(up * ds->n_years + 0) * ds->n_steps + step(ds, 1, 1)], 80, 0);
    const double *cf = ds->capacity_factor;
    assert_rel(cf[(solar * ds->n_zones + de) * ds->n_steps + step(ds, 1, 2)], 0.9, 0);
    assert_rel(cf[(solar * ds->n_zones + up) * ds->n_steps + step(ds, 7, 3)], 0.2, 0);
    assert_rel(cf[(coal * ds->n_zones + up) * ds->n_steps + 0], 1, 0); /* not nondispatchable */
    assert_non_null(ds->hydro_output_mw);
    assert_rel(ds->hydro_output_mw[up * ds->n_steps + step(ds, 7, 2)], 50, 0);

    /* corridors: file order, per-direction values; diagonal cost rows ignored */
    assert_int_equal(ds->n_lines, 2);
    assert_int_equal(ds->line_from[0], up);
    assert_int_equal(ds->line_to[0], de);
    assert_rel(ds->line_existing_mw[1], 80, 0);
    assert_rel(ds->line_efficiency[1], 0.96, 0);
    assert_rel(ds->line_distance_km[0], 250, 0);
    assert_rel(ds->line_max_new_mw[0], 400, 0);
    assert_rel(ds->line_investment_usd_per_mw_km[0], 800, 0);
    assert_rel(ds->line_fixed_om_usd_per_mw_yr[1], 16, 0); /* through the column rename */
    assert_rel(ds->line_variable_usd_per_mwh[1], 6, 0);
    assert_rel(ds->line_lifetime_years[0], 50, 0);

    assert_int_equal(ds->n_stations, 0);
    assert_int_equal(ds->n_edges, 0);
    assert_int_equal(ds->n_reaches, 0);
    lm_dataset_free(ds);
}

static void test_tiny_hydro_loads(void **state)
{
    (void)state;
    lm_dataset *ds = load_ok(fixture("datasets/tiny/hydro.yaml"));
    assert_string_equal(ds->name, "tiny-hydro");
    assert_null(ds->hydro_output_mw);
    assert_int_equal(ds->n_stations, 4);
    int s11 = lm_dataset_station(ds, 11), s12 = lm_dataset_station(ds, 12);
    int s21 = lm_dataset_station(ds, 21), s99 = lm_dataset_station(ds, 99);
    assert_int_equal(lm_dataset_station(ds, 7), -1);
    const lm_station *a = &ds->stations[s11], *b = &ds->stations[s12];
    assert_string_equal(a->name, "Upper Falls, main dam"); /* quoted field with a comma */
    assert_int_equal(a->zone, lm_dataset_zone(ds, "Upland"));
    assert_rel(a->lon_deg, 100.5, 0);
    assert_rel(a->capacity_mw, 30, 0);
    assert_rel(a->max_outflow_m3s, 500, 0);
    assert_rel(a->max_generation_flow_m3s, 500, 0); /* absent column: = max outflow */
    assert_rel(a->min_outflow_m3s, 0, 0);
    assert_rel(a->head_m, 60, 0);
    assert_rel(a->output_coefficient, 8.5, 0);
    assert_int_equal(a->is_existing, 1);
    assert_int_equal(b->is_existing, 0); /* commissioned 2025 > 2020 */
    assert_int_equal(b->operation_mode, LM_OP_DAILY);
    assert_int_equal(ds->stations[s21].operation_mode, LM_OP_RUN_OF_RIVER);
    assert_rel(ds->stations[s99].min_output_mw, 2, 0);

    assert_rel(ds->inflow_m3s[s12 * ds->n_steps + step(ds, 7, 3)], 20, 0);
    assert_rel(ds->storage_max_1e8m3[s11 * ds->n_steps + 0], 3, 0);
    assert_rel(ds->storage_min_1e8m3[s11 * ds->n_steps + 5], 0.5, 0);

    assert_int_equal(ds->n_edges, 2);
    assert_int_equal(ds->edge_up[0], s11);
    assert_int_equal(ds->edge_down[0], s12);
    assert_rel(ds->edge_delay_h[1], 5, 0);

    assert_int_equal(ds->n_reaches, 5);
    assert_int_equal(ds->reach_id[2], 5);
    assert_int_equal(ds->reach_down[0], 1);  /* 11 -> 12 */
    assert_int_equal(ds->reach_down[2], 3);  /* 5 -> 21 */
    assert_int_equal(ds->reach_down[4], -1); /* 30 -> outlet */
    assert_rel(ds->reach_yield_mt_per_yr[1], 1.5, 0);
    assert_rel(ds->reach_deposition_fraction[3], 0.05, 0);
    assert_rel(ds->reach_area_km2[0], 1000, 0);
    assert_rel(ds->reach_trap_efficiency[0], 0.6, 0);
    assert_true(isnan(ds->reach_trap_efficiency[3])); /* reach 21: no dam */
    assert_int_equal(a->reach, 0);
    assert_int_equal(ds->stations[s21].reach, 3);
    assert_int_equal(ds->stations[s99].reach, -1); /* not on the sediment network */
    lm_dataset_free(ds);
}

/* Tests that edit data get a fresh copy of tiny/ in a temporary folder as their state; the
 * teardown removes it, also when the test fails. */
static int copy_setup(void **state)
{
    *state = tiny_copy();
    return 0;
}

static int copy_teardown(void **state)
{
    rm_copy(*state);
    return 0;
}

static void test_hash(void **state)
{
    lm_dataset *a = load_ok(fixture("datasets/tiny"));
    lm_dataset *b = load_ok(fixture("datasets/tiny/dataset.yaml"));
    assert_string_equal(a->hash, b->hash); /* folder and manifest path: same dataset */
    const char *dir = *state; /* a copy of tiny/ (copy_setup) */
    lm_dataset *c = load_ok(dir);
    assert_string_equal(a->hash, c->hash); /* the location is not part of the hash */
    lm_dataset_free(c);
    edit(dir, "demand.csv", "Upland,2020,1,1,80", "Upland,2020,1,1,81");
    c = load_ok(dir);
    assert_string_not_equal(a->hash, c->hash);
    lm_dataset_free(c);
    lm_dataset_free(a);
    lm_dataset_free(b);
}

static void test_crlf_bom_quotes_accepted(void **state)
{
    const char *dir = *state; /* a copy of tiny/ (copy_setup) */
    char *path = lm_xasprintf("%s/fuel_price.csv", dir);
    write_all(path, "\xEF\xBB\xBF" "tech,year,fuel_cost_usd_per_mwh\r\n"
                    "Coal,2020,20\r\n\"Coal\",2030,\"22\"\r\nSolar,2020,0\r\nSolar,2030,0\r\n"
                    "Hydro,2020,0\r\nHydro,2030,0\r\nBattery,2020,0\r\nBattery,2030,0\r\n\r\n");
    free(path);
    lm_dataset *ds = load_ok(dir);
    assert_rel(ds->fuel_cost_usd_per_mwh[lm_ky(ds, 0, 1)], 22, 0);
    lm_dataset_free(ds);
}

static void test_root_env_overrides_root(void **state)
{
    const char *dir = *state; /* a copy of tiny/ (copy_setup) */
    /* a manifest elsewhere whose root does not exist, redirected by its root_env */
    char *text = read_all(fixture("datasets/tiny/dataset.yaml"));
    char *m = lm_xasprintf("%s/elsewhere.yaml", dir);
    char *t2 = lm_xasprintf("root: no/such/folder\nroot_env: LMPLAN_TEST_TINY_DIR\n%s", text);
    write_all(m, t2);
    setenv("LMPLAN_TEST_TINY_DIR", dir, 1);
    lm_dataset *ds = load_ok(m);
    assert_string_equal(ds->root, dir);
    lm_dataset_free(ds);
    setenv("LMPLAN_TEST_TINY_DIR", "", 1); /* empty: root applies, and is missing */
    lm_diag d = load_fails(dir, "elsewhere.yaml");
    expect_msg(&d, "elsewhere.yaml:1:7: key \"root\": folder of the tables");
    expect_msg(&d, "set LMPLAN_TEST_TINY_DIR to point elsewhere");
    lm_diag_free(&d);
    unsetenv("LMPLAN_TEST_TINY_DIR");
    free(text);
    free(t2);
    free(m);
}

/* ---- broken variants ---- */

/* One test per broken variant: the test breaks one thing in the copy of tiny/ made by
 * copy_setup and expects the message. */
#define BROKEN(name, ...)                                                                    \
    static void name(void **state)                                                           \
    {                                                                                        \
        const char *dir = *state;                                                            \
        const char *manifest = "dataset.yaml";                                               \
        __VA_ARGS__;                                                                         \
        (void)manifest;                                                                      \
    }

#define EXPECT(...)                                                                          \
    do {                                                                                     \
        lm_diag d_ = load_fails(dir, manifest);                                              \
        const char *needles_[] = {__VA_ARGS__};                                              \
        for (size_t i_ = 0; i_ < sizeof needles_ / sizeof *needles_; i_++)                   \
            expect_msg(&d_, needles_[i_]);                                                   \
        lm_diag_free(&d_);                                                                   \
    } while (0)

BROKEN(test_unknown_zone, {
    edit(dir, "demand.csv", "Delta,2020,1,2,200", "Dleta,2020,1,2,200");
    EXPECT("demand.csv:15:zone: value \"Dleta\": unknown zone; zones (from ",
           "technology_portfolio.csv): Upland, Delta");
})

BROKEN(test_unknown_tech, {
    edit(dir, "technology_fix_cost.csv", "Solar,2030,15000", "Sola,2030,15000");
    EXPECT("technology_fix_cost.csv:5:tech: value \"Sola\": unknown technology; technologies "
           "(from ");
})

BROKEN(test_missing_column, {
    edit(dir, "fuel_price.csv", "tech,year,fuel_cost_usd_per_mwh", "tech,year,fuel_cost");
    EXPECT("fuel_price.csv:1:-: missing required column \"fuel_cost_usd_per_mwh\"; table "
           "fuel_price has columns tech, year, fuel_cost_usd_per_mwh",
           "fuel_price.csv:1:fuel_cost: unknown column");
})

BROKEN(test_extra_column, {
    edit(dir, "lifetime.csv", "lifetime_years\n", "lifetime_years,note\n");
    edit(dir, "lifetime.csv", "Coal,2020,30\n", "Coal,2020,30,old\n");
    EXPECT("lifetime.csv:1:note: unknown column; table lifetime has columns tech, year, "
           "lifetime_years");
})

BROKEN(test_non_numeric, {
    edit(dir, "demand.csv", "Upland,2030,7,1,105", "Upland,2030,7,1,abc");
    EXPECT("demand.csv:11:demand_mw: value \"abc\": not a number; must be a number >= 0");
})

BROKEN(test_renamed_column_missing_and_range, {
    edit(dir, "transline_fix_cost.csv", "fixed_om_cost_usd_per_mw_km_yr", "fixed_cost");
    edit(dir, "demand.csv", "Upland,2020,1,1,80", "Upland,2020,1,1,1e999");
    EXPECT("transline_fix_cost.csv:1:-: missing required column \"fixed_om_cost_usd_per_mw_km_yr\" "
           "(lmplan column fixed_om_cost_usd_per_mw_yr, renamed in the manifest); table "
           "transline_fix_cost has columns from_zone, to_zone, fixed_om_cost_usd_per_mw_km_yr",
           "demand.csv:2:demand_mw: value \"1e999\": number too large for a double");
})

BROKEN(test_negative_capacity, {
    edit(dir, "technology_portfolio.csv", "Delta,Coal,200", "Delta,Coal,-200");
    EXPECT("technology_portfolio.csv:6:existing_capacity_mw: value \"-200\": must be a number "
           ">= 0");
})

BROKEN(test_inf_not_allowed, {
    edit(dir, "technology_investment_cost.csv", "Hydro,2030,2000000", "Hydro,2030,inf");
    EXPECT("technology_investment_cost.csv:7:investment_cost_usd_per_mw: value \"inf\": inf is "
           "not allowed here; must be a number >= 0");
})

BROKEN(test_nan_and_empty, {
    edit(dir, "lifetime.csv", "Coal,2020,30", "Coal,2020,nan");
    edit(dir, "lifetime.csv", "Solar,2020,25", "Solar,2020,");
    edit(dir, "lifetime.csv", "Hydro,2020,80", "Hydro,2020,0");
    EXPECT("lifetime.csv:2:lifetime_years: value \"nan\": NaN is not allowed; must be a number > 0",
           "lifetime.csv:4:lifetime_years: value \"\": empty field; must be a number > 0",
           "lifetime.csv:6:lifetime_years: value \"0\": must be a number > 0");
})

BROKEN(test_duplicate_key, {
    append(dir, "fuel_price.csv", "Coal,2020,25\n");
    EXPECT("fuel_price.csv:10:tech,year: duplicate row for tech \"Coal\", year 2020; first at "
           "line 2");
})

BROKEN(test_missing_time_step, {
    edit(dir, "demand.csv", "Upland,2030,7,3,127.5\n", "");
    EXPECT("demand.csv: missing row for zone \"Upland\", year 2030, month 7, hour 3");
})

BROKEN(test_capacity_factor_range, {
    edit(dir, "capacity_factor.csv", "Solar,Delta,1,2,0.9", "Solar,Delta,1,2,1.2");
    edit(dir, "capacity_factor.csv", "Solar,Upland,7,2,0.6", "Solar,Upland,7,2,-0.1");
    EXPECT("capacity_factor.csv:9:capacity_factor: value \"1.2\": must be a fraction in [0, 1]",
           "capacity_factor.csv:6:capacity_factor: value \"-0.1\": must be a fraction in [0, 1]");
})

BROKEN(test_capacity_factor_wrong_tech, {
    append(dir, "capacity_factor.csv", "Coal,Delta,1,1,0.5\n");
    EXPECT("capacity_factor.csv:14:tech: value \"Coal\": table capacity_factor has rows only for "
           "nondispatchable technologies; Coal is dispatchable");
})

BROKEN(test_bad_time_keys, {
    edit(dir, "capacity_factor.csv", "Solar,Upland,1,2,0.8", "Solar,Upland,4,2,0.8");
    edit(dir, "capacity_factor.csv", "Solar,Upland,1,3,0.3", "Solar,Upland,1,4,0.3");
    edit(dir, "fuel_price.csv", "Coal,2030,22", "Coal,2040,22");
    edit(dir, "demand.csv", "Upland,2020,1,1,80", "Upland,2020,13,1,80");
    EXPECT("capacity_factor.csv:3:month: value \"4\": not a representative month of the "
           "dataset; months (from ",
           "capacity_factor.csv:4:hour: value \"4\": must be an hour 1..3 (hours from ",
           "fuel_price.csv:3:year: value \"2040\": not a dataset year; years (from ",
           "demand.csv:2:month: value \"13\": must be a month 1..12");
})

BROKEN(test_asymmetric_corridor, {
    edit(dir, "transline.csv", "Delta,Upland,80\n", "");
    EXPECT("transline.csv:2:from_zone,to_zone: value \"Upland,Delta\": corridor has no reverse "
           "row \"Delta,Upland\"",
           "distance.csv:3:from_zone,to_zone: value \"Delta,Upland\": not a corridor");
})

BROKEN(test_unknown_corridor, {
    append(dir, "distance.csv", "Upland,Upland,10\n");
    edit(dir, "transline_efficiency.csv", "Delta,Upland,0.96\n", "");
    EXPECT("distance.csv:4:from_zone,to_zone: value \"Upland,Upland\": not a corridor "
           "(corridors are the rows of transline.csv)",
           "transline_efficiency.csv: missing row for corridor Delta -> Upland");
})

BROKEN(test_self_corridor_and_distance_asymmetry, {
    append(dir, "transline.csv", "Delta,Delta,5\n");
    edit(dir, "distance.csv", "Delta,Upland,250", "Delta,Upland,260");
    EXPECT("transline.csv:4:to_zone: value \"Delta\": a corridor must join two different zones",
           "distance.csv:3:distance_km: value \"260\": distance Delta -> Upland differs from the "
           "reverse direction (250 km, line 2)");
})

BROKEN(test_missing_table_file, {
    char *p = lm_xasprintf("%s/demand.csv", dir);
    unlink(p);
    free(p);
    EXPECT("dataset.yaml:16:18: key \"tables.demand.file\": cannot read \"",
           "demand.csv\": No such file or directory");
})

BROKEN(test_unknown_manifest_key, {
    edit(dir, "dataset.yaml", "name: tiny\n", "name: tiny\ncolour: blue\n");
    EXPECT("dataset.yaml:7:1: key \"colour\": unknown manifest key");
})

BROKEN(test_unknown_and_missing_tables_in_manifest, {
    edit(dir, "dataset.yaml", "  ramp_down: ramp_down.csv\n", "  ramp_dn: ramp_down.csv\n");
    edit(dir, "dataset.yaml", "  age: age.csv\n", "  age: {file: age.csv, colour: red}\n");
    EXPECT("dataset.yaml:27:3: key \"tables.ramp_dn\": unknown table; tables: tech_type, ",
           "dataset.yaml:11:1: key \"tables\": required table ramp_down is missing",
           "dataset.yaml:15:24: key \"tables.age.colour\": unknown key in a table entry");
})

BROKEN(test_manifest_columns_units_ignore, {
    edit(dir, "dataset.yaml", "units: {demand_mw: MW}", "units: {demand_mw: MWh}");
    edit(dir, "dataset.yaml", "{fixed_om_cost_usd_per_mw_yr:", "{fixed_cost:");
    EXPECT("dataset.yaml:16:49: key \"tables.demand.units.demand_mw\": unit \"MWh\" does not "
           "match the unit of column demand_mw, which is \"MW\"",
           "key \"tables.transline_fix_cost.columns.fixed_cost\": table transline_fix_cost has no "
           "column fixed_cost");
})

BROKEN(test_ignore_techs_must_be_foreign, {
    edit(dir, "dataset.yaml", "ignore_techs: [PumpedHydro]}",
         "ignore_techs: [PumpedHydro, Battery]}");
    EXPECT("dataset.yaml:31:82: key \"tables.init_storage_level.ignore_techs\": \"Battery\" is a "
           "technology of the dataset (in ");
})

BROKEN(test_yaml_syntax_error, {
    edit(dir, "dataset.yaml", "version: \"1\"", "version: [1");
    EXPECT("dataset.yaml:8:12: YAML syntax error: did not find expected ',' or ']' (while "
           "parsing a flow sequence at 7:10)");
})

BROKEN(test_ragged_row, {
    edit(dir, "demand.csv", "Delta,2030,1,1,225", "Delta,2030,1,1,225,7");
    EXPECT("demand.csv:20:-: row has 6 fields, header has 5");
})

BROKEN(test_all_errors_reported, {
    edit(dir, "demand.csv", "Upland,2020,1,1,80", "Upland,2020,1,1,x1");
    edit(dir, "demand.csv", "Delta,2030,7,3,255", "Delta,2030,7,3,x2");
    edit(dir, "ramp_up.csv", "Coal,0.5", "Coal,-1");
    lm_diag d = load_fails(dir, manifest);
    expect_msg(&d, "demand.csv:2:demand_mw: value \"x1\"");
    expect_msg(&d, "demand.csv:25:demand_mw: value \"x2\"");
    expect_msg(&d, "ramp_up.csv:2:ramp_up_fraction_per_h: value \"-1\"");
    assert_int_equal(d.n_errors, 3); /* and nothing else: no "missing row" echoes */
    lm_diag_free(&d);
})

BROKEN(test_age_sum_mismatch, {
    edit(dir, "age.csv", "Upland,Coal,5,40", "Upland,Coal,5,30");
    EXPECT("age.csv: zone \"Upland\", tech \"Coal\": capacity_mw sums to 90 over ages, but ",
           "technology_portfolio.csv:2 has existing_capacity_mw 100");
})

BROKEN(test_bounds_order, {
    edit(dir, "new_technology_lower_bound.csv", "Upland,Solar,5", "Upland,Solar,250");
    EXPECT("new_technology_lower_bound.csv:3:min_new_capacity_mw: value \"250\": above "
           "max_new_capacity_mw 200 (");
})

BROKEN(test_duplicate_set_elements, {
    append(dir, "tech_type.csv", "Coal,storage\n");
    append(dir, "discount_factor.csv", "2020,0.06\n");
    EXPECT("tech_type.csv:6:tech: value \"Coal\": duplicate technology; first at line 2",
           "discount_factor.csv:4:year: value \"2020\": duplicate year; first at line 3");
})

BROKEN(test_hydro_connect_cycle, {
    manifest = "hydro.yaml";
    append(dir, "hydro_connect.csv", "21,11,3\n");
    EXPECT("hydro_connect.csv:4:upstream_station_id: value \"21\": cycle in the river network: "
           "21 -> 11 -> 12 -> 21");
})

BROKEN(test_station_tables, {
    manifest = "hydro.yaml";
    edit(dir, "inflow.csv", "12,7,1,20", "13,7,1,20");
    edit(dir, "storage_downbound.csv", "99,1,2,0", "99,1,2,4");
    append(dir, "hydro_static.csv", "12,Copy,Delta,,,1,1,0,1,1,8.5,2020,3\n");
    append(dir, "hydro_connect.csv", "12,12,1\n");
    EXPECT("inflow.csv:11:station_id: value \"13\": unknown station id (not a station_id of ",
           "storage_downbound.csv:21:storage_min_1e8m3: value \"4\": storage lower bound above "
           "the upper bound 2 (",
           "hydro_static.csv:6:longitude_deg: value \"\": empty field",
           "hydro_static.csv:6:operation_mode: value \"3\": must be 0 (seasonal), 1 (daily) or 2 "
           "(run-of-river)",
           "hydro_static.csv:6:station_id: value \"12\": duplicate station id; first at line 3",
           "hydro_connect.csv:4:downstream_station_id: value \"12\": a station cannot flow into "
           "itself");
})

BROKEN(test_sediment_network, {
    manifest = "hydro.yaml";
    edit(dir, "river_sediment.csv", "21,21,30,", "21,21,12,");
    edit(dir, "river_sediment.csv", "5,5,21,0,", "5,5,77,0,");
    edit(dir, "reservoir_sediment_trap.csv", "12,0.4", "13,0.4");
    EXPECT("river_sediment.csv:4:to_node: value \"77\": unknown to_node: not a from_node of any "
           "row, and not 0 (the outlet)",
           "river_sediment.csv:3:to_node: value \"21\": cycle in the sediment network: 12 -> 21 "
           "-> 12",
           "reservoir_sediment_trap.csv:3:station_id: value \"13\": unknown river reach id");
})

BROKEN(test_stations_need_series, {
    manifest = "hydro.yaml";
    edit(dir, "hydro.yaml", "  inflow: inflow.csv\n", "");
    EXPECT("hydro.yaml:", "key \"tables\": table inflow is required when hydro_static is given");
})

/* ---- the Xu et al. (2025) data ---- */

static double annual_twh(const lm_dataset *ds, const char *zone, int year)
{
    int z = lm_dataset_zone(ds, zone), y = lm_dataset_year(ds, year);
    assert_true(z >= 0 && y >= 0);
    double sum = 0;
    for (int t = 0; t < ds->n_steps; t++)
        sum += ds->demand_mw[(z * ds->n_years + y) * ds->n_steps + t] * ds->dt_h;
    double weight = ds->n_steps * ds->dt_h / 8760.0;
    return sum / weight / 1e6;
}

static void test_xu2025(void **state)
{
    (void)state;
    if (!lm_path_is_dir(xu2025_dir())) {
        print_message("skipped: the Xu et al. data folder %s is missing (set LMPLAN_XU2025_DIR)\n",
                      xu2025_dir());
        skip();
    }
    double t0 = lm_now();
    lm_dataset *ds = load_ok(source_path("data/mekong-xu2025.yaml"));
    print_message("loaded the Xu et al. (2025) data in %.3f s, hash %s\n", lm_now() - t0, ds->hash);

    static const char *const zones[] = {"Cambodia", "Laos",    "Myanmar",
                                        "Thailand", "Vietnam", "China"};
    assert_int_equal(ds->n_zones, 6);
    for (int z = 0; z < 6; z++) assert_string_equal(ds->zones[z], zones[z]);
    static const char *const techs[] = {"Coal",  "Oil",  "Gas",       "Hydro",
                                        "Solar", "Wind", "Bioenergy", "Li-ion"};
    static const int types[] = {LM_TECH_DISPATCHABLE, LM_TECH_DISPATCHABLE, LM_TECH_DISPATCHABLE,
                                LM_TECH_HYDRO, LM_TECH_NONDISPATCHABLE, LM_TECH_NONDISPATCHABLE,
                                LM_TECH_DISPATCHABLE, LM_TECH_STORAGE};
    assert_int_equal(ds->n_techs, 8);
    for (int k = 0; k < 8; k++) {
        assert_string_equal(ds->techs[k], techs[k]);
        assert_int_equal(ds->tech_type[k], types[k]);
    }
    assert_int_equal(ds->n_years, 4);
    for (int y = 0; y < 4; y++) assert_int_equal(ds->years[y], 2020 + 10 * y);
    assert_int_equal(ds->n_months, 12);
    assert_int_equal(ds->n_hours, 24);
    assert_int_equal(ds->n_steps, 288);
    assert_int_equal(ds->n_lines, 20);

    assert_int_equal(ds->n_stations, 110);
    int candidates = 0, modes[3] = {0, 0, 0}, on_network = 0;
    for (int s = 0; s < ds->n_stations; s++) {
        const lm_station *st = &ds->stations[s];
        if (st->commissioning_year > 2020) {
            candidates++;
            assert_int_equal(st->is_existing, 0);
        }
        modes[st->operation_mode]++;
        on_network += st->reach >= 0;
    }
    assert_int_equal(candidates, 48);
    assert_int_equal(modes[LM_OP_SEASONAL], 64);
    assert_int_equal(modes[LM_OP_DAILY], 32);
    assert_int_equal(modes[LM_OP_RUN_OF_RIVER], 14);
    assert_int_equal(on_network, 104);
    assert_string_equal(ds->stations[lm_dataset_station(ds, 240)].name,
                        "Nam Ngum; (down) Lower dam");
    assert_int_equal(ds->n_edges, 101);

    assert_int_equal(ds->n_reaches, 552);
    int dams = 0;
    double yield = 0;
    for (int r = 0; r < ds->n_reaches; r++) {
        dams += !isnan(ds->reach_trap_efficiency[r]);
        yield += ds->reach_yield_mt_per_yr[r];
    }
    assert_int_equal(dams, 104);
    assert_rel(yield, 289.0, 5e-4);

    assert_rel(annual_twh(ds, "Thailand", 2020), 192.00, 0.006 / 192.00);
    assert_rel(annual_twh(ds, "Vietnam", 2050), 924.38, 0.006 / 924.38);
    assert_rel(annual_twh(ds, "China", 2030), 0, 0);

    /* existing capacity: the age table sums to technology_portfolio, read here independently */
    char *pf = lm_xasprintf("%s/technology_portfolio.csv", xu2025_dir());
    lm_csv c;
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_csv_read(pf, &c, &d), 0);
    assert_int_equal(c.n_rows, 48);
    for (int r = 0; r < c.n_rows; r++) {
        int z = lm_dataset_zone(ds, lm_csv_cell(&c, r, 0));
        int k = lm_dataset_tech(ds, lm_csv_cell(&c, r, 1));
        assert_true(z >= 0 && k >= 0);
        double sum = 0;
        const double *by_age = &ds->existing_capacity_mw[lm_zk(ds, z, k) * ds->n_ages];
        for (int a = 0; a < ds->n_ages; a++) sum += by_age[a];
        assert_rel(sum, atof(lm_csv_cell(&c, r, 2)), 1e-9);
    }
    lm_csv_free(&c);
    lm_diag_free(&d);
    free(pf);

    /* a few values straight from the README of the data */
    int li = lm_dataset_tech(ds, "Li-ion"), laos = lm_dataset_zone(ds, "Laos");
    assert_rel(ds->initial_storage_fraction[lm_zk(ds, laos, li)], 0.5, 0);
    assert_rel(ds->energy_to_power_ratio_h[lm_zk(ds, laos, li)], 8, 0);
    assert_rel(ds->line_fixed_om_usd_per_mw_yr[0], 14.015178571428569, 1e-12);
    assert_true(isinf(ds->carbon_cap_t_co2[0]));
    assert_rel(ds->carbon_cap_t_co2[3], 54e6, 0);
    assert_rel(ds->discount_rate[0], 0.07, 0);
    assert_null(ds->hydro_output_mw);
    lm_dataset_free(ds);
}

/* ---- documentation ---- */

/* Every table and column of the schema is documented in docs/dataset-format.md. */
static void test_schema_documented(void **state)
{
    (void)state;
    char *doc = read_all(source_path("docs/dataset-format.md"));
    for (int i = 0; i < LM_N_TABLES; i++) {
        const lm_table_schema *s = lm_schema_table(i);
        char *h = lm_xasprintf("### `%s`", s->name);
        if (!strstr(doc, h)) fail_msg("docs/dataset-format.md has no section %s", h);
        const char *sec = strstr(doc, h);
        const char *next = strstr(sec + 1, "\n### ");
        for (int c = 0; c < s->n_cols; c++) {
            char *n = lm_xasprintf("`%s`", s->cols[c].name);
            const char *at = strstr(sec, n);
            if (!at || (next && at > next))
                fail_msg("docs/dataset-format.md: column %s of %s is not documented",
                         s->cols[c].name, s->name);
            free(n);
        }
        free(h);
    }
    free(doc);
}

#define WITH_COPY(name) cmocka_unit_test_setup_teardown(name, copy_setup, copy_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reader),
        cmocka_unit_test(test_tiny_loads),
        cmocka_unit_test(test_tiny_hydro_loads),
        WITH_COPY(test_hash),
        WITH_COPY(test_crlf_bom_quotes_accepted),
        WITH_COPY(test_root_env_overrides_root),
        WITH_COPY(test_unknown_zone),
        WITH_COPY(test_unknown_tech),
        WITH_COPY(test_missing_column),
        WITH_COPY(test_extra_column),
        WITH_COPY(test_non_numeric),
        WITH_COPY(test_renamed_column_missing_and_range),
        WITH_COPY(test_negative_capacity),
        WITH_COPY(test_inf_not_allowed),
        WITH_COPY(test_nan_and_empty),
        WITH_COPY(test_duplicate_key),
        WITH_COPY(test_missing_time_step),
        WITH_COPY(test_capacity_factor_range),
        WITH_COPY(test_capacity_factor_wrong_tech),
        WITH_COPY(test_bad_time_keys),
        WITH_COPY(test_asymmetric_corridor),
        WITH_COPY(test_unknown_corridor),
        WITH_COPY(test_self_corridor_and_distance_asymmetry),
        WITH_COPY(test_missing_table_file),
        WITH_COPY(test_unknown_manifest_key),
        WITH_COPY(test_unknown_and_missing_tables_in_manifest),
        WITH_COPY(test_manifest_columns_units_ignore),
        WITH_COPY(test_ignore_techs_must_be_foreign),
        WITH_COPY(test_yaml_syntax_error),
        WITH_COPY(test_ragged_row),
        WITH_COPY(test_all_errors_reported),
        WITH_COPY(test_age_sum_mismatch),
        WITH_COPY(test_bounds_order),
        WITH_COPY(test_duplicate_set_elements),
        WITH_COPY(test_hydro_connect_cycle),
        WITH_COPY(test_station_tables),
        WITH_COPY(test_sediment_network),
        WITH_COPY(test_stations_need_series),
        cmocka_unit_test(test_xu2025),
        cmocka_unit_test(test_schema_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
