/* test_plan.c - the plan-file parser (src/data/plan.c, docs/plan-format.md): every field of a
 * full plan, the defaults of a minimal one, and one test per validation rule asserting the
 * exact file:line:column and key of the message.  Rule cases are small YAML texts written to
 * a temporary plan.yaml; whole plans are fixtures under tests/fixtures/plans. */
#include "../test_util.h"

#include "core/util.h"
#include "data/plan.h"

#include <string.h>
#include <unistd.h>

static char tmp_dir[256];
static char tmp_plan[300];

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/lmplan-test-plan-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp_dir)) return -1;
    snprintf(tmp_plan, sizeof tmp_plan, "%s/plan.yaml", tmp_dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(tmp_plan);
    rmdir(tmp_dir);
    return 0;
}

static void write_plan(const char *text)
{
    FILE *fp = fopen(tmp_plan, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

static int load_text(const char *text, lm_plan **p, lm_diag *d)
{
    write_plan(text);
    return lm_plan_load(tmp_plan, p, d);
}

#define assert_diag(d, needle)                                                               \
    do {                                                                                     \
        if (!lm_diag_contains((d), (needle))) {                                              \
            lm_diag_print((d), stderr);                                                      \
            fail_msg("no message contains: %s", (needle));                                   \
        }                                                                                    \
    } while (0)

/* A plan that must load; fails the test with the messages otherwise. */
static lm_plan *load_ok(const char *path)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *p = NULL;
    int rc = lm_plan_load(path, &p, &d);
    if (rc != 0 || d.n_errors) {
        lm_diag_print(&d, stderr);
        fail_msg("%s did not load", path);
    }
    assert_non_null(p);
    lm_diag_free(&d);
    return p;
}

static lm_plan *load_text_ok(const char *text)
{
    write_plan(text);
    return load_ok(tmp_plan);
}

static const lm_plan_cap *find_cap(const lm_plan *p, const char *zone, int year)
{
    for (int i = 0; i < p->n_caps; i++) {
        const lm_plan_cap *c = &p->caps[i];
        if (c->year == year && ((!zone && !c->zone) || (zone && c->zone && !strcmp(zone, c->zone))))
            return c;
    }
    return NULL;
}

static void assert_cap(const lm_plan *p, const char *zone, int year, double t)
{
    const lm_plan_cap *c = find_cap(p, zone, year);
    if (!c) fail_msg("no cap for %s %d", zone ? zone : "basin", year);
    assert_rel(c->cap_t_co2, t, 1e-12);
}

/* ---------------------------------------------------------------------------------------
 * Valid plans */

static void test_full_plan_every_field(void **state)
{
    (void)state;
    lm_plan *p = load_ok(fixture("plans/full.yaml"));
    assert_string_equal(p->path, fixture("plans/full.yaml"));
    assert_int_equal(strlen(p->hash), 64);
    assert_string_equal(p->name, "full_plan.v2-test");
    assert_string_equal(p->description, "Every field: import cap, faithful mode, CBC");
    char expect[1100];
    snprintf(expect, sizeof expect, "%s/datasets/xu2025", fixture("plans"));
    assert_string_equal(p->dataset, expect);

    assert_int_equal(p->n_years, 3); /* stored ascending */
    assert_int_equal(p->years[0], 2020);
    assert_int_equal(p->years[1], 2040);
    assert_int_equal(p->years[2], 2050);
    assert_int_equal(p->n_months, 4);
    assert_int_equal(p->months[0], 1);
    assert_int_equal(p->months[1], 4);
    assert_int_equal(p->months[2], 7);
    assert_int_equal(p->months[3], 12);

    assert_int_equal(p->carbon_caps, LM_CAPS_PLAN);
    assert_int_equal(p->n_caps, 6);
    assert_cap(p, NULL, 2030, 146e6);
    assert_cap(p, NULL, 2040, 81.5e6);
    assert_cap(p, NULL, 2050, 0);
    assert_cap(p, "Thailand", 2030, 60e6);
    assert_cap(p, "Thailand", 2050, 20e6);
    assert_cap(p, "Viet Nam", 2040, 12.25e6);
    assert_null(find_cap(p, NULL, 2020));
    assert_null(find_cap(p, "Thailand", 2040));

    assert_int_equal(p->transmission, LM_TRANS_IMPORT_CAP);
    assert_int_equal(p->transmission, 4); /* Xu et al. limit 4 */
    assert_rel(p->import_cap_share, 0.25, 1e-15);

    assert_int_equal(p->n_external, 2);
    assert_string_equal(p->external[0].zone, "China");
    assert_rel(p->external[0].import_price_usd_per_mwh, 87, 1e-15);
    assert_rel(p->external[0].export_share, 0.5, 1e-15);
    assert_string_equal(p->external[1].zone, "Myanmar");
    assert_rel(p->external[1].import_price_usd_per_mwh, 62.5, 1e-15);
    assert_rel(p->external[1].export_share, 1.0 / 3.0, 1e-15); /* default outside limit 6 */

    assert_int_equal(p->mode, LM_MODE_FAITHFUL);
    assert_rel(p->unserved_energy_cost_usd_per_mwh, 5000, 1e-15);
    assert_string_equal(p->solver, "cbc");
    assert_string_equal(p->method, "barrier");
    assert_int_equal(p->presolve, 0);
    assert_rel(p->time_limit_s, 7200.5, 1e-15);
    assert_rel(p->mip_gap, 0.03, 1e-15);
    assert_int_equal(p->solver_log, 3);
    assert_rel(p->barrier_regularization, 1e-4, 1e-15);
    assert_string_equal(p->store, "/tmp/lmplan-results/full.sqlite");
    assert_string_equal(p->csv_dir, "out/csv");
    lm_plan_free(p);
}

static void test_minimal_plan_defaults(void **state)
{
    (void)state;
    lm_plan *p = load_ok(fixture("plans/minimal.yaml"));
    assert_string_equal(p->name, "minimal");
    assert_null(p->description);
    char expect[1100];
    snprintf(expect, sizeof expect, "%s/../datasets/tiny", fixture("plans"));
    assert_string_equal(p->dataset, expect);
    assert_int_equal(p->n_years, 0);
    assert_null(p->years);
    assert_int_equal(p->n_months, 0);
    assert_null(p->months);
    assert_int_equal(p->carbon_caps, LM_CAPS_DATASET);
    assert_int_equal(p->n_caps, 0);
    assert_int_equal(p->transmission, LM_TRANS_FREE);
    assert_rel(p->import_cap_share, 1.0 / 3.0, 1e-15);
    assert_int_equal(p->n_external, 0);
    assert_int_equal(p->mode, LM_MODE_IMPROVED);
    assert_true(p->unserved_energy_cost_usd_per_mwh == 0);
    assert_string_equal(p->solver, "clp");
    assert_string_equal(p->method, "dual");
    assert_int_equal(p->presolve, -1); /* auto */
    assert_true(p->time_limit_s == 0);
    assert_rel(p->mip_gap, 1e-4, 1e-15);
    assert_int_equal(p->solver_log, 1);
    assert_true(p->barrier_regularization == -1); /* automatic */
    assert_int_equal(p->n_coarse_months, 0);
    assert_null(p->coarse_months);
    assert_string_equal(p->store, "results/lmplan.sqlite");
    assert_null(p->csv_dir);
    lm_plan_free(p);
}

/* The example printed in docs/plan-format.md is this fixture: it must stay valid. */
static void test_documented_example(void **state)
{
    (void)state;
    lm_plan *p = load_ok(fixture("plans/example.yaml"));
    assert_string_equal(p->name, "xu2025-ghg1-free");
    assert_string_equal(p->description, "GHG1 caps, free grid expansion, existing dams only");
    assert_int_equal(p->n_years, 4);
    assert_int_equal(p->n_months, 0);
    assert_int_equal(p->carbon_caps, LM_CAPS_PLAN);
    assert_int_equal(p->n_caps, 5);
    assert_cap(p, NULL, 2030, 146e6); /* GHG1, spec section 2.4 */
    assert_cap(p, NULL, 2040, 81e6);
    assert_cap(p, NULL, 2050, 54e6);
    assert_cap(p, "Thailand", 2030, 60e6);
    assert_int_equal(p->transmission, LM_TRANS_FREE);
    assert_int_equal(p->n_external, 1);
    assert_rel(p->external[0].export_share, 1.0, 1e-15);
    assert_rel(p->time_limit_s, 3600, 1e-15);
    assert_string_equal(p->csv_dir, "results/csv");
    lm_plan_free(p);
}

static void test_hash_is_sha256_of_bytes(void **state)
{
    (void)state;
    /* printf 'name: a\ndataset: d\n' | sha256sum */
    lm_plan *p = load_text_ok("name: a\ndataset: d\n");
    assert_string_equal(p->hash,
                        "f4ff905b94101b481bca7ca23c4e9258abd7900f41c2479acf060459d127674c");
    lm_plan_free(p);
    /* a comment changes the bytes, so the hash */
    p = load_text_ok("name: a\ndataset: d\n# note\n");
    assert_string_not_equal(p->hash,
                            "f4ff905b94101b481bca7ca23c4e9258abd7900f41c2479acf060459d127674c");
    lm_plan_free(p);
}

static void test_dataset_path_resolution(void **state)
{
    (void)state;
    lm_plan *p = load_text_ok("name: a\ndataset: ../data/x.yaml\n");
    char expect[600];
    snprintf(expect, sizeof expect, "%s/../data/x.yaml", tmp_dir);
    assert_string_equal(p->dataset, expect);
    lm_plan_free(p);

    p = load_text_ok("name: a\ndataset: /srv/data/mekong\n"); /* absolute: kept */
    assert_string_equal(p->dataset, "/srv/data/mekong");
    lm_plan_free(p);

    /* a plan named without a folder: relative to the working directory, which is its folder */
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmp_dir), 0);
    write_plan("name: a\ndataset: data/x\n");
    p = load_ok("plan.yaml");
    assert_int_equal(chdir(cwd), 0);
    assert_string_equal(p->dataset, "data/x");
    assert_string_equal(p->path, "plan.yaml");
    lm_plan_free(p);
}

static void test_export_share_default_follows_scenario(void **state)
{
    (void)state;
    /* spec section 4.1: phi = 1 under limit 6, 1/3 otherwise */
    lm_plan *p = load_text_ok("name: a\ndataset: d\nexternal_zones:\n"
                              "  China: {import_price_usd_per_mwh: 87}\n");
    assert_rel(p->external[0].export_share, 1.0, 1e-15);
    lm_plan_free(p);
    p = load_text_ok("name: a\ndataset: d\ntransmission: {scenario: planned}\n"
                     "external_zones:\n  China: {import_price_usd_per_mwh: 87}\n");
    assert_int_equal(p->transmission, LM_TRANS_PLANNED);
    assert_rel(p->external[0].export_share, 1.0 / 3.0, 1e-15);
    lm_plan_free(p);
    p = load_text_ok("name: a\ndataset: d\ntransmission: {scenario: existing}\n");
    assert_int_equal(p->transmission, LM_TRANS_EXISTING);
    lm_plan_free(p);
}

static void test_coarse_months(void **state)
{
    (void)state;
    /* stored ascending, like time.months; a subset of time.months */
    lm_plan *p = load_text_ok("name: a\ndataset: d\ntime: {months: [1, 4, 7, 10]}\n"
                              "solver: {name: portfolio, coarse_months: [7, 1]}\n");
    assert_int_equal(p->n_coarse_months, 2);
    assert_int_equal(p->coarse_months[0], 1);
    assert_int_equal(p->coarse_months[1], 7);
    assert_string_equal(p->solver, "portfolio");
    lm_plan_free(p);
}

static void test_lenient_but_valid_forms(void **state)
{
    (void)state;
    /* years/months "all", empty sections, quoted year keys, caps: none, CRLF line ends */
    lm_plan *p = load_text_ok("name: a\r\ndataset: d\r\nyears: all\r\ntime: {months: all}\r\n"
                              "solver:\r\noutput:\r\ncarbon:\r\n  caps: plan\r\n"
                              "  basin_mt: {\"2030\": 1.5e2}\r\n");
    assert_int_equal(p->n_years, 0);
    assert_int_equal(p->n_months, 0);
    assert_string_equal(p->solver, "clp");
    assert_string_equal(p->store, "results/lmplan.sqlite");
    assert_cap(p, NULL, 2030, 150e6);
    lm_plan_free(p);
    p = load_text_ok("name: a\ndataset: d\ncarbon: {caps: none}\nsolver: {presolve: False}\n"
                     "output: {store: &s runs/x.sqlite, csv: *s}\n");
    assert_int_equal(p->carbon_caps, LM_CAPS_NONE);
    assert_int_equal(p->presolve, 0);
    assert_string_equal(p->csv_dir, "runs/x.sqlite"); /* aliases resolve */
    lm_plan_free(p);
}

static void test_earlier_errors_in_diag_do_not_fail_a_good_plan(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_diag_error(&d, "an unrelated earlier error");
    lm_plan *p = NULL;
    write_plan("name: a\ndataset: d\n");
    assert_int_equal(lm_plan_load(tmp_plan, &p, &d), 0);
    assert_non_null(p);
    assert_int_equal(d.n_errors, 1);
    lm_plan_free(p);
    lm_diag_free(&d);
    lm_plan_free(NULL);
}

/* ---------------------------------------------------------------------------------------
 * One case per rule: the YAML, one message that must appear (with its location and key),
 * and how many errors the text has in all. */

#define HEAD "name: a\ndataset: d\n"

typedef struct rule_case {
    const char *yaml;
    const char *needle;
    int n_errors;
} rule_case;

static void test_rule(void **state)
{
    const rule_case *rc = *state;
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *p = (lm_plan *)&d; /* must be reset to NULL */
    int r = load_text(rc->yaml, &p, &d);
    if (r != -1 || p != NULL || d.n_errors != rc->n_errors || !lm_diag_contains(&d, rc->needle)) {
        lm_diag_print(&d, stderr);
        fail_msg("rc=%d, %d errors (expected %d); expected a message containing: %s", r,
                 d.n_errors, rc->n_errors, rc->needle);
    }
    lm_diag_free(&d);
}

#define RULE(id, text, needle, n)                                                            \
    static rule_case id = {text, "/plan.yaml:" needle, n};                                   \
    static void id##_test(void **state)                                                      \
    {                                                                                        \
        *state = &id;                                                                        \
        test_rule(state);                                                                    \
    }

/* unknown keys, at every level */
RULE(unknown_root_key, HEAD "colour: blue\n", "3:1: key \"colour\": unknown key", 1)
RULE(unknown_nested_key, HEAD "solver:\n  name: clp\n  threads: 4\n",
     "5:3: key \"solver.threads\": unknown key (allowed here: name, method", 1)
RULE(unknown_external_key, HEAD "external_zones:\n  China: {import_price_usd_per_mwh: 87, share: 1}\n",
     "4:41: key \"external_zones.China.share\": unknown key", 1)
RULE(non_scalar_key, HEAD "? [x]\n: 1\n", "3:3: key \"?\": a key must be a plain name", 1)
/* wrong types */
RULE(string_for_number, HEAD "solver:\n  mip_gap: small\n",
     "4:12: key \"solver.mip_gap\": expected a number, got \"small\"", 1)
RULE(quoted_number, HEAD "solver:\n  time_limit_s: \"60\"\n",
     "4:17: key \"solver.time_limit_s\": expected a number, got the quoted string \"60\" "
     "(remove the quotes)", 1)
RULE(map_for_list, HEAD "years: {2020: 1}\n",
     "3:8: key \"years\": expected all or a list of years, got a mapping", 1)
RULE(list_for_text, "name: [a, b]\ndataset: d\n", "1:7: key \"name\": expected text, got a list", 1)
RULE(list_for_map, HEAD "solver: [clp]\n", "3:9: key \"solver\": expected a mapping, got a list", 1)
RULE(scalar_for_map, HEAD "carbon: 146\n", "3:9: key \"carbon\": expected a mapping, got \"146\"", 1)
RULE(word_for_bool, HEAD "solver:\n  presolve: yes\n",
     "4:13: key \"solver.presolve\": expected true or false, got \"yes\"", 1)
RULE(float_for_int, HEAD "solver:\n  log: 1.5\n",
     "4:8: key \"solver.log\": expected a whole number, got \"1.5\"", 1)
RULE(text_in_year_list, HEAD "years: [2030, soon]\n",
     "3:15: key \"years\": expected a whole number, got \"soon\"", 1)
RULE(null_value, "name:\ndataset: d\n", "1:6: key \"name\": expected text, got no value", 1)
RULE(non_finite, HEAD "unserved_energy_cost_usd_per_mwh: .inf\n",
     "3:35: key \"unserved_energy_cost_usd_per_mwh\": must be a finite number", 1)
/* values out of range */
RULE(mip_gap_range, HEAD "solver:\n  mip_gap: 1\n",
     "4:12: key \"solver.mip_gap\": must be in [0, 1), got 1", 1)
RULE(barrier_regularization_range, HEAD "solver:\n  barrier_regularization: 0.1\n",
     "4:27: key \"solver.barrier_regularization\": must be in [0, 0.01], got 0.1", 1)
RULE(log_range, HEAD "solver:\n  log: 5\n", "4:8: key \"solver.log\": must be 0..4, got 5", 1)
RULE(coarse_months_range, HEAD "solver:\n  name: portfolio\n  coarse_months: [7, 13]\n",
     "5:22: key \"solver.coarse_months\": 13 is out of range (1..12)", 1)
RULE(coarse_months_not_portfolio, HEAD "solver:\n  name: cbc\n  coarse_months: [7]\n",
     "5:18: key \"solver.coarse_months\": a coarse search is part of the portfolio search: set "
     "solver.name: portfolio (the solver is cbc)", 1)
RULE(coarse_months_outside_time, HEAD "time:\n  months: [1, 4]\nsolver:\n  name: portfolio\n"
     "  coarse_months: [4, 7]\n",
     "7:18: key \"solver.coarse_months\": month 7 is not one of time.months", 1)
RULE(time_limit_negative, HEAD "solver:\n  time_limit_s: -1\n",
     "4:17: key \"solver.time_limit_s\": must be >= 0, got -1", 1)
RULE(unserved_negative, HEAD "unserved_energy_cost_usd_per_mwh: -100\n",
     "3:35: key \"unserved_energy_cost_usd_per_mwh\": must be >= 0, got -100", 1)
RULE(import_share_above_one, HEAD "transmission:\n  scenario: import-cap\n  import_cap_share: 1.5\n",
     "5:21: key \"transmission.import_cap_share\": must be in (0, 1], got 1.5", 1)
RULE(import_share_zero, HEAD "transmission:\n  scenario: import-cap\n  import_cap_share: 0\n",
     "5:21: key \"transmission.import_cap_share\": must be in (0, 1], got 0", 1)
RULE(import_share_wrong_scenario, HEAD "transmission:\n  scenario: existing\n  import_cap_share: 0.5\n",
     "5:3: key \"transmission.import_cap_share\": only allowed with scenario: import-cap "
     "(scenario is existing)", 1)
RULE(import_share_default_scenario, HEAD "transmission:\n  import_cap_share: 0.5\n",
     "4:3: key \"transmission.import_cap_share\": only allowed with scenario: import-cap "
     "(scenario is free by default)", 1)
/* duplicate keys */
RULE(duplicate_root_key, HEAD "name: b\n", "3:1: key \"name\": repeated key (first at line 1)", 1)
RULE(duplicate_nested_key, HEAD "output:\n  csv: x\n  csv: y\n",
     "5:3: key \"output.csv\": repeated key (first at line 4)", 1)
/* carbon caps */
RULE(caps_plan_without_caps, HEAD "carbon:\n  caps: plan\n",
     "4:9: key \"carbon.caps\": caps: plan needs at least one cap in carbon.basin_mt or "
     "carbon.zone_mt", 1)
RULE(caps_plan_empty_tables, HEAD "carbon:\n  caps: plan\n  basin_mt: {}\n  zone_mt:\n",
     "4:9: key \"carbon.caps\": caps: plan needs at least one cap", 1)
RULE(basin_without_plan, HEAD "carbon:\n  caps: dataset\n  basin_mt: {2030: 146}\n",
     "5:3: key \"carbon.basin_mt\": only allowed with caps: plan (caps is dataset)", 1)
RULE(basin_with_default_caps, HEAD "carbon:\n  basin_mt: {2030: 146}\n",
     "4:3: key \"carbon.basin_mt\": only allowed with caps: plan (caps is dataset by default)", 1)
RULE(zone_without_plan, HEAD "carbon:\n  caps: none\n  zone_mt:\n    Laos: {2030: 5}\n",
     "5:3: key \"carbon.zone_mt\": only allowed with caps: plan (caps is none)", 1)
RULE(negative_basin_cap, HEAD "carbon:\n  caps: plan\n  basin_mt: {2030: 146, 2040: -1}\n",
     "5:31: key \"carbon.basin_mt.2040\": a carbon cap must be >= 0 Mt CO2, got -1", 1)
RULE(negative_zone_cap, HEAD "carbon:\n  caps: plan\n  zone_mt:\n    Thailand:\n      2030: -5\n",
     "7:13: key \"carbon.zone_mt.Thailand.2030\": a carbon cap must be >= 0 Mt CO2, got -5", 1)
RULE(cap_year_repeated, HEAD "carbon:\n  caps: plan\n  basin_mt:\n    2030: 146\n    2030: 100\n",
     "7:5: key \"carbon.basin_mt.2030\": year 2030 is repeated (first at line 6)", 1)
RULE(cap_key_not_year, HEAD "carbon:\n  caps: plan\n  basin_mt: {2030: 1, y2040: 2}\n",
     "5:23: key \"carbon.basin_mt.y2040\": a key here must be a year, got \"y2040\"", 1)
RULE(cap_zone_repeated, HEAD "carbon:\n  caps: plan\n  zone_mt:\n    Laos: {2030: 1}\n    Laos: {2040: 1}\n",
     "7:5: key \"carbon.zone_mt.Laos\": zone \"Laos\" is repeated (first at line 6)", 1)
/* months and years */
RULE(month_above_12, HEAD "time:\n  months: [1, 13]\n",
     "4:15: key \"time.months\": 13 is out of range (1..12)", 1)
RULE(month_zero, HEAD "time:\n  months: [0]\n", "4:12: key \"time.months\": 0 is out of range (1..12)", 1)
RULE(month_repeated, HEAD "time:\n  months: [1, 4, 1]\n",
     "4:18: key \"time.months\": 1 is repeated (first at line 4, column 12)", 1)
RULE(year_repeated, HEAD "years: [2030, 2040, 2030]\n",
     "3:21: key \"years\": 2030 is repeated (first at line 3, column 9)", 1)
RULE(year_out_of_range, HEAD "years: [2030, 20300]\n",
     "3:15: key \"years\": 20300 is out of range (1900..2300)", 1)
RULE(years_empty, HEAD "years: []\n", "3:8: key \"years\": the list is empty", 1)
/* external zones */
RULE(export_share_zero, HEAD "external_zones:\n  China: {import_price_usd_per_mwh: 87, export_share: 0}\n",
     "4:55: key \"external_zones.China.export_share\": must be in (0, 1], got 0", 1)
RULE(export_share_above_one,
     HEAD "external_zones:\n  China:\n    import_price_usd_per_mwh: 87\n    export_share: 1.5\n",
     "6:19: key \"external_zones.China.export_share\": must be in (0, 1], got 1.5", 1)
RULE(import_price_negative, HEAD "external_zones:\n  China: {import_price_usd_per_mwh: -87}\n",
     "4:37: key \"external_zones.China.import_price_usd_per_mwh\": must be >= 0, got -87", 1)
RULE(import_price_missing, HEAD "external_zones:\n  China: {export_share: 1}\n",
     "4:10: key \"external_zones.China.import_price_usd_per_mwh\": required key missing", 1)
RULE(external_not_map, HEAD "external_zones:\n  China: 87\n",
     "4:10: key \"external_zones.China\": expected a mapping with import_price_usd_per_mwh, "
     "got \"87\"", 1)
RULE(external_zone_repeated,
     HEAD "external_zones:\n  China: {import_price_usd_per_mwh: 87}\n  China: {import_price_usd_per_mwh: 80}\n",
     "5:3: key \"external_zones.China\": zone \"China\" is repeated (first at line 4)", 1)
/* required keys and names */
RULE(missing_name, "# plan\ndataset: d\n", "2:1: key \"name\": required key missing", 1)
RULE(missing_dataset, "name: a\n", "1:1: key \"dataset\": required key missing", 1)
RULE(bad_name, "name: \"xu 2025\"\ndataset: d\n",
     "1:7: key \"name\": must be letters, digits, '_', '.' or '-' only ([A-Za-z0-9_.-]+), "
     "got \"xu 2025\"", 1)
/* choices */
RULE(scenario_unknown, HEAD "transmission:\n  scenario: limit6\n",
     "4:13: key \"transmission.scenario\": must be one of existing, planned, import-cap, free, "
     "got \"limit6\"", 1)
RULE(caps_unknown, HEAD "carbon:\n  caps: GHG1\n",
     "4:9: key \"carbon.caps\": must be one of dataset, none, plan, got \"GHG1\"", 1)
RULE(mode_unknown, HEAD "mode: exact\n",
     "3:7: key \"mode\": must be one of improved, faithful, got \"exact\"", 1)
RULE(solver_unknown, HEAD "solver:\n  name: gurobi\n",
     "4:9: key \"solver.name\": must be one of clp, cbc, portfolio, got \"gurobi\"", 1)
RULE(method_unknown, HEAD "solver:\n  method: simplex\n",
     "4:11: key \"solver.method\": must be one of dual, primal, barrier, auto, got \"simplex\"", 1)
/* YAML syntax and whole-file problems */
RULE(syntax_bad_indent, "name: a\n  dataset: d\n",
     "2:10: YAML syntax error: mapping values are not allowed in this context", 1)
RULE(syntax_unclosed_flow, HEAD "years: [2020\n",
     "4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence "
     "at 3:8)", 1)
RULE(syntax_tab, "name: a\n\tdataset: d\n", "2:1: YAML syntax error: found a tab character", 1)
RULE(syntax_bad_utf8, "name: a\ndataset: \xff\n",
     "2:10: YAML syntax error: invalid leading UTF-8 octet", 1)
RULE(syntax_undefined_alias, HEAD "description: *nope\n",
     "3:14: YAML syntax error: found undefined alias", 1)
RULE(two_documents, HEAD "---\nname: b\n", "3:1: YAML syntax error: a second document starts here", 1)
RULE(empty_text, "", "1:1: the plan file is empty", 1)
RULE(only_comments, "# nothing yet\n\n", "1:1: the plan file is empty", 1)
RULE(root_is_list, "- name: a\n- dataset: d\n", "1:1: a plan must be a mapping of keys", 1)

/* ---------------------------------------------------------------------------------------
 * Whole-file cases with fixtures, and error collection */

static void expect_fail(const char *path, const char *needle, int n_errors)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *p = NULL;
    assert_int_equal(lm_plan_load(path, &p, &d), -1);
    assert_null(p);
    assert_diag(&d, needle);
    assert_int_equal(d.n_errors, n_errors);
    lm_diag_free(&d);
}

static void test_syntax_error_fixture(void **state)
{
    (void)state;
    expect_fail(fixture("plans/syntax-error.yaml"),
                "plans/syntax-error.yaml:4:1: YAML syntax error: found unexpected end of stream "
                "(while scanning a quoted scalar at 2:10)", 1);
}

static void test_empty_file_fixture(void **state)
{
    (void)state;
    expect_fail(fixture("plans/empty.yaml"),
                "plans/empty.yaml:1:1: the plan file is empty; a plan needs at least the keys "
                "\"name\" and \"dataset\"", 1);
}

static void test_missing_file_and_folder(void **state)
{
    (void)state;
    expect_fail(fixture("plans/no-such-plan.yaml"),
                "plans/no-such-plan.yaml: cannot open the plan file: No such file or directory", 1);
    expect_fail(fixture("plans"), "plans: is a folder; expected a plan file", 1);
}

static void test_all_errors_reported(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *p = NULL;
    int rc = load_text("description: [x]\n"        /* 1 wrong type */
                       "years: [2020, 2020]\n"      /* 2 repeated year */
                       "carbon:\n"
                       "  caps: plan\n"
                       "  basin_mt: {2030: -1}\n"   /* 5 negative cap */
                       "solver:\n"
                       "  mip_gap: 2\n"             /* 7 out of range */
                       "  gap: 0.1\n"               /* 8 unknown key */
                       "  log: 1\n"
                       "  log: 2\n"                 /* 10 repeated key */
                       "external_zones:\n"
                       "  China: {import_price_usd_per_mwh: 87, export_share: 2}\n",
                       &p, &d);
    assert_int_equal(rc, -1);
    assert_null(p);
    assert_diag(&d, "/plan.yaml:1:1: key \"name\": required key missing");
    assert_diag(&d, "/plan.yaml:1:1: key \"dataset\": required key missing");
    assert_diag(&d, "/plan.yaml:1:14: key \"description\": expected text, got a list");
    assert_diag(&d, "/plan.yaml:2:15: key \"years\": 2020 is repeated");
    assert_diag(&d, "/plan.yaml:5:20: key \"carbon.basin_mt.2030\": a carbon cap must be >= 0");
    assert_diag(&d, "/plan.yaml:7:12: key \"solver.mip_gap\": must be in [0, 1), got 2");
    assert_diag(&d, "/plan.yaml:8:3: key \"solver.gap\": unknown key");
    assert_diag(&d, "/plan.yaml:10:3: key \"solver.log\": repeated key (first at line 9)");
    assert_diag(&d, "/plan.yaml:12:55: key \"external_zones.China.export_share\": must be in "
                    "(0, 1], got 2");
    assert_int_equal(d.n_errors, 9);
    lm_diag_free(&d);
}

#define RULE_TEST(id) cmocka_unit_test(id##_test)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_plan_every_field),
        cmocka_unit_test(test_minimal_plan_defaults),
        cmocka_unit_test(test_documented_example),
        cmocka_unit_test(test_hash_is_sha256_of_bytes),
        cmocka_unit_test(test_dataset_path_resolution),
        cmocka_unit_test(test_export_share_default_follows_scenario),
        cmocka_unit_test(test_lenient_but_valid_forms),
        cmocka_unit_test(test_coarse_months),
        cmocka_unit_test(test_earlier_errors_in_diag_do_not_fail_a_good_plan),
        RULE_TEST(unknown_root_key),
        RULE_TEST(unknown_nested_key),
        RULE_TEST(unknown_external_key),
        RULE_TEST(non_scalar_key),
        RULE_TEST(string_for_number),
        RULE_TEST(quoted_number),
        RULE_TEST(map_for_list),
        RULE_TEST(list_for_text),
        RULE_TEST(list_for_map),
        RULE_TEST(scalar_for_map),
        RULE_TEST(word_for_bool),
        RULE_TEST(float_for_int),
        RULE_TEST(text_in_year_list),
        RULE_TEST(null_value),
        RULE_TEST(non_finite),
        RULE_TEST(mip_gap_range),
        RULE_TEST(barrier_regularization_range),
        RULE_TEST(log_range),
        RULE_TEST(coarse_months_range),
        RULE_TEST(coarse_months_not_portfolio),
        RULE_TEST(coarse_months_outside_time),
        RULE_TEST(time_limit_negative),
        RULE_TEST(unserved_negative),
        RULE_TEST(import_share_above_one),
        RULE_TEST(import_share_zero),
        RULE_TEST(import_share_wrong_scenario),
        RULE_TEST(import_share_default_scenario),
        RULE_TEST(duplicate_root_key),
        RULE_TEST(duplicate_nested_key),
        RULE_TEST(caps_plan_without_caps),
        RULE_TEST(caps_plan_empty_tables),
        RULE_TEST(basin_without_plan),
        RULE_TEST(basin_with_default_caps),
        RULE_TEST(zone_without_plan),
        RULE_TEST(negative_basin_cap),
        RULE_TEST(negative_zone_cap),
        RULE_TEST(cap_year_repeated),
        RULE_TEST(cap_key_not_year),
        RULE_TEST(cap_zone_repeated),
        RULE_TEST(month_above_12),
        RULE_TEST(month_zero),
        RULE_TEST(month_repeated),
        RULE_TEST(year_repeated),
        RULE_TEST(year_out_of_range),
        RULE_TEST(years_empty),
        RULE_TEST(export_share_zero),
        RULE_TEST(export_share_above_one),
        RULE_TEST(import_price_negative),
        RULE_TEST(import_price_missing),
        RULE_TEST(external_not_map),
        RULE_TEST(external_zone_repeated),
        RULE_TEST(missing_name),
        RULE_TEST(missing_dataset),
        RULE_TEST(bad_name),
        RULE_TEST(scenario_unknown),
        RULE_TEST(caps_unknown),
        RULE_TEST(mode_unknown),
        RULE_TEST(solver_unknown),
        RULE_TEST(method_unknown),
        RULE_TEST(syntax_bad_indent),
        RULE_TEST(syntax_unclosed_flow),
        RULE_TEST(syntax_tab),
        RULE_TEST(syntax_bad_utf8),
        RULE_TEST(syntax_undefined_alias),
        RULE_TEST(two_documents),
        RULE_TEST(empty_text),
        RULE_TEST(only_comments),
        RULE_TEST(root_is_list),
        cmocka_unit_test(test_syntax_error_fixture),
        cmocka_unit_test(test_empty_file_fixture),
        cmocka_unit_test(test_missing_file_and_folder),
        cmocka_unit_test(test_all_errors_reported),
    };
    return cmocka_run_group_tests_name("plan", tests, group_setup, group_teardown);
}
