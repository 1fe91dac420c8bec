/* test_carbon_plan.c - the basin carbon plan (src/assess/carbon_plan.c) and the ndc_targets
 * table it reads (src/data/dataset.c).
 *
 * Cap paths: a hand-built dataset of zones and targets with a hand-set baseline path, each
 * cap checked against the number worked out by hand in the comment above it (linear
 * interpolation, the target-year level, neutrality and residual share, the peak rule and its
 * plateau, conditional vs unconditional, sector factor, base-year targets, zones without a
 * convertible target).  Table validation: a copy of the tiny fixture with an ndc_targets table,
 * broken one rule at a time, asserting the located message.  Outputs: the written plan loads
 * with lm_plan_load and holds the caps; the baseline path and the carbon report read back
 * from a result store written through lm_store; and the two commands end to end on the tiny
 * data (run the baseline, derive, solve under the caps, report) through LMPLAN_BIN. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "../test_util.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assess/carbon_plan.h"
#include "core/diag.h"
#include "core/util.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "store/store.h"

/* ---- helpers ---- */

static void rm_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = lm_xasprintf("%s/%s", path, e->d_name);
        rm_tree(p);
        free(p);
    }
    closedir(dir);
    rmdir(path);
}

/* A fresh temporary folder holding a copy of fixtures/datasets/tiny in <tmp>/tiny. */
static char *tiny_copy(void)
{
    char tmpl[] = "/tmp/lmplan-cp-XXXXXX";
    if (!mkdtemp(tmpl)) fail_msg("mkdtemp failed");
    char *dst = lm_xasprintf("%s/tiny", tmpl);
    mkdir(dst, 0777);
    const char *src = fixture("datasets/tiny");
    DIR *dir = opendir(src);
    if (!dir) fail_msg("cannot open %s", src);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        char *from = lm_xasprintf("%s/%s", src, e->d_name);
        char *to = lm_xasprintf("%s/%s", dst, e->d_name);
        char *text = read_all(from);
        write_all(to, text);
        free(text);
        free(from);
        free(to);
    }
    closedir(dir);
    free(dst);
    return lm_xstrdup(tmpl);
}

static const char *NDC_HEADER =
    "country,zone,target_type,baseline,base_year,target_year,reduction_pct,base_year_mt,"
    "sector_scope,neutrality_year,source_id\n";

/* tiny copy whose manifest lists ndc_targets.csv with `rows` after the header */
static char *tiny_with_targets(const char *rows)
{
    char *tmp = tiny_copy();
    char *path = lm_xasprintf("%s/tiny/ndc_targets.csv", tmp);
    char *text = lm_xasprintf("%s%s", NDC_HEADER, rows);
    write_all(path, text);
    free(text);
    free(path);
    path = lm_xasprintf("%s/tiny/dataset.yaml", tmp);
    char *manifest = read_all(path);
    text = lm_xasprintf("%s  ndc_targets: {file: ndc_targets.csv, source: invented}\n", manifest);
    write_all(path, text);
    free(text);
    free(manifest);
    free(path);
    return tmp;
}

/* ---- a hand-built dataset and baseline for the cap paths ---- */

static lm_dataset *fake_ds(int n, const char *const *zones)
{
    lm_dataset *ds = lm_xcalloc(1, sizeof *ds);
    ds->name = lm_xstrdup("fake");
    ds->n_zones = n;
    ds->zones = lm_xcalloc((size_t)n, sizeof *ds->zones);
    for (int z = 0; z < n; z++) ds->zones[z] = lm_xstrdup(zones[z]);
    ds->ndc_targets = lm_xcalloc(32, sizeof *ds->ndc_targets);
    ds->ndc_targets_file = lm_xstrdup("ndc_targets.csv");
    return ds;
}

static void target(lm_dataset *ds, int zone, int conditional, int baseline, int base_year,
                   int target_year, double pct, double base_mt, int neutral)
{
    lm_ndc_target *t = &ds->ndc_targets[ds->n_ndc_targets++];
    t->country = lm_xstrdup(ds->zones[zone]);
    t->zone = zone;
    t->conditional = conditional;
    t->baseline = baseline;
    t->base_year = base_year;
    t->target_year = target_year;
    t->reduction_pct = pct;
    t->base_year_mt = base_mt;
    t->neutrality_year = neutral;
    t->sector_scope = lm_xstrdup("");
    t->source_id = lm_xstrdup("");
    t->line = ds->n_ndc_targets + 1;
}

/* baseline with years 2020..2050 step 10; rows[z][4] */
static void fake_baseline(lm_cp_baseline *b, int nz, const double (*rows)[4])
{
    memset(b, 0, sizeof *b);
    b->n_years = 4;
    b->years = lm_xmalloc(4 * sizeof *b->years);
    for (int i = 0; i < 4; i++) b->years[i] = 2020 + 10 * i;
    b->n_zones = nz;
    b->emissions_mt = lm_xmalloc((size_t)nz * 4 * sizeof *b->emissions_mt);
    for (int z = 0; z < nz; z++)
        for (int i = 0; i < 4; i++) b->emissions_mt[z * 4 + i] = rows[z][i];
}

#define CAP(cp, z, i) ((cp)->cap_mt[(z) * (cp)->n_years + (i)])
#define NDC(cp, z, i) ((cp)->ndc_mt[(z) * (cp)->n_years + (i)])

static lm_carbon_plan *derive(const lm_dataset *ds, const lm_cp_baseline *b,
                              const lm_cp_options *o, lm_diag *d)
{
    lm_carbon_plan *cp = NULL;
    if (lm_carbon_plan_derive(ds, b, o, &cp, d) != 0) {
        lm_diag_print(d, stderr);
        fail_msg("derive failed");
    }
    return cp;
}

/* Zone A: baseline 100, 120, 150, 180 (2020..2050); BAU -30 % in 2030, neutrality 2050.
 *   2030: 120 x 0.7 = 84;  2020: the baseline 100;  2040: halfway 84 -> 0 = 42;  2050: 0.
 * Zone B: the same baseline; BAU -40 % in 2035 (not a modelled year), neutrality 2060.
 *   B(2035) = (120 + 150) / 2 = 135, level 0.6 x 135 = 81;
 *   2030: 100 + (81 - 100) x 10/15 = 87.3333;  2040: 81 x (1 - 5/25) = 64.8;
 *   2050: 81 x 15/25... no: 81 x (2060 - 2050)/(2060 - 2035) = 32.4. */
static void test_linear_target_neutrality(void **state)
{
    (void)state;
    const char *zones[] = {"A", "B"};
    lm_dataset *ds = fake_ds(2, zones);
    target(ds, 0, 0, LM_NDC_BAU, 0, 2030, 30, NAN, 2050);
    target(ds, 1, 0, LM_NDC_BAU, 2015, 2035, 40, NAN, 2060);
    const double base[2][4] = {{100, 120, 150, 180}, {100, 120, 150, 180}};
    lm_cp_baseline b;
    fake_baseline(&b, 2, base);
    lm_cp_options o;
    lm_cp_options_default(&o);
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_plan *cp = derive(ds, &b, &o, &d);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(cp->n_capped, 2);
    assert_rel(CAP(cp, 0, 0), 100, 1e-12);
    assert_rel(CAP(cp, 0, 1), 84, 1e-12);
    assert_rel(CAP(cp, 0, 2), 42, 1e-12);
    assert_rel(CAP(cp, 0, 3), 0, 1e-12);
    assert_rel(NDC(cp, 0, 1), 84, 1e-12);
    assert_true(isnan(NDC(cp, 0, 2)));
    assert_rel(NDC(cp, 0, 3), 0, 1e-12);
    assert_rel(CAP(cp, 1, 0), 100, 1e-12);
    assert_rel(CAP(cp, 1, 1), 100 + (81 - 100) * 10.0 / 15, 1e-12);
    assert_rel(CAP(cp, 1, 2), 64.8, 1e-12);
    assert_rel(CAP(cp, 1, 3), 32.4, 1e-12);
    assert_true(isnan(NDC(cp, 1, 1))); /* 2035 is not modelled */
    assert_non_null(strstr(cp->method[1], "target: BAU -30% by 2030"));
    assert_non_null(strstr(cp->method[6], "linear from the 2035 target to the 2060 neutrality"));
    /* basin = sum of (rounded) caps: 2030: 84 + 87.3334 */
    assert_rel(cp->basin_mt[1], 84 + lm_cp_round_mt(100 + (81 - 100) * 10.0 / 15), 1e-12);
    lm_carbon_plan_free(cp);

    /* residual share 0.1: 2050 = 0.1 x 84 = 8.4; 2040 = (84 + 8.4) / 2 = 46.2 */
    o.residual_share = 0.1;
    cp = derive(ds, &b, &o, &d);
    assert_rel(CAP(cp, 0, 3), 8.4, 1e-12);
    assert_rel(CAP(cp, 0, 2), 46.2, 1e-12);
    /* B: residual 8.1 at 2060; 2050 = 81 + (8.1 - 81) x 15/25 = 37.26 */
    assert_rel(CAP(cp, 1, 3), 37.26, 1e-12);
    lm_carbon_plan_free(cp);

    /* sector factor 2 for A: 60 % -> 48 in 2030 while the NDC level stays 84; factor 4 for B
     * would be 160 %: at most 100 %, so 0 from 2035 */
    lm_cp_options_default(&o);
    o.n_zone_factors = 2;
    o.factor_zone[0] = "A";
    o.factor_value[0] = 2;
    o.factor_zone[1] = "B";
    o.factor_value[1] = 4;
    cp = derive(ds, &b, &o, &d);
    assert_rel(CAP(cp, 0, 1), 48, 1e-12);
    assert_rel(NDC(cp, 0, 1), 84, 1e-12);
    assert_rel(CAP(cp, 1, 1), 100.0 / 3, 1e-12); /* 100 -> 0 over 2020..2035 */
    assert_rel(CAP(cp, 1, 2), 0, 1e-12);
    lm_carbon_plan_free(cp);

    lm_diag_free(&d);
    lm_cp_baseline_free(&b);
    lm_dataset_free(ds);
}

/* Peak by 2030 with neutrality 2060 (China's targets for Yunnan); baseline 50, 80, 90, 100.
 *   2030: the baseline 80; 2040: 80 x 20/30 = 53.3333; 2050: 80 x 10/30 = 26.6667.
 * With a 10-year plateau: 2040 stays 80; 2050: 80 x 10/20 = 40.
 * The intensity target beside it is not converted (no GDP path) and is said so. */
static void test_peak_rule(void **state)
{
    (void)state;
    const char *zones[] = {"Yunnan"};
    lm_dataset *ds = fake_ds(1, zones);
    target(ds, 0, 0, LM_NDC_INTENSITY, 2005, 2030, 65, NAN, 2060);
    target(ds, 0, 0, LM_NDC_PEAK, 0, 2030, NAN, NAN, 2060);
    const double base[1][4] = {{50, 80, 90, 100}};
    lm_cp_baseline b;
    fake_baseline(&b, 1, base);
    lm_cp_options o;
    lm_cp_options_default(&o);
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_plan *cp = derive(ds, &b, &o, &d);
    assert_rel(CAP(cp, 0, 0), 50, 1e-12);
    assert_rel(CAP(cp, 0, 1), 80, 1e-12);
    assert_rel(CAP(cp, 0, 2), 80.0 * 20 / 30, 1e-12);
    assert_rel(CAP(cp, 0, 3), 80.0 * 10 / 30, 1e-12);
    assert_rel(NDC(cp, 0, 1), 80, 1e-12);
    assert_non_null(strstr(cp->summary[0], "intensity -65% by 2030"));
    assert_non_null(strstr(cp->summary[0], "needs a GDP path"));
    assert_non_null(strstr(cp->method[1], "target: peak by 2030"));
    lm_carbon_plan_free(cp);
    o.peak_plateau_years = 10;
    cp = derive(ds, &b, &o, &d);
    assert_rel(CAP(cp, 0, 2), 80, 1e-12);
    assert_rel(CAP(cp, 0, 3), 40, 1e-12);
    assert_non_null(strstr(cp->method[2], "peak level held to 2040"));
    lm_carbon_plan_free(cp);
    lm_diag_free(&d);
    lm_cp_baseline_free(&b);
    lm_dataset_free(ds);
}

/* A: unconditional BAU -30 % and conditional BAU -50 % in 2030, neutrality 2050.
 * C: only a conditional target.  N: no target at all.  baselines 100, 120, 150, 180.
 *   unconditional: A 84 in 2030; C and N no cap (with warnings).
 *   conditional:   A 0.5 x 120 = 60 in 2030, 30 in 2040; C capped (60 too). */
static void test_conditional_and_zone_without_target(void **state)
{
    (void)state;
    const char *zones[] = {"A", "C", "N"};
    lm_dataset *ds = fake_ds(3, zones);
    target(ds, 0, 0, LM_NDC_BAU, 0, 2030, 30, NAN, 2050);
    target(ds, 0, 1, LM_NDC_BAU, 0, 2030, 50, NAN, 2050);
    target(ds, 1, 1, LM_NDC_BAU, 0, 2030, 50, NAN, 2050);
    const double base[3][4] = {{100, 120, 150, 180}, {100, 120, 150, 180}, {1, 2, 3, 4}};
    lm_cp_baseline b;
    fake_baseline(&b, 3, base);
    lm_cp_options o;
    lm_cp_options_default(&o);
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_plan *cp = derive(ds, &b, &o, &d);
    assert_int_equal(cp->n_capped, 1);
    assert_rel(CAP(cp, 0, 1), 84, 1e-12);
    assert_true(isnan(CAP(cp, 1, 1)));
    assert_true(isnan(CAP(cp, 2, 0)));
    expect_msg(&d, "warning: carbon plan: zone C (C) gets no cap: only conditional targets "
                   "(use --targets conditional)");
    expect_msg(&d, "warning: carbon plan: zone N gets no cap: no national target in ndc_targets");
    assert_null(cp->country[2]);
    assert_string_equal(cp->method[2 * 4 + 1], "no cap");
    /* basin: caps where capped, baseline elsewhere: 2030 = 84 + 120 + 2 */
    assert_rel(cp->basin_mt[1], 206, 1e-12);
    lm_carbon_plan_free(cp);

    lm_diag_clear(&d);
    o.conditional = 1;
    cp = derive(ds, &b, &o, &d);
    assert_int_equal(cp->n_capped, 2);
    assert_rel(CAP(cp, 0, 1), 60, 1e-12);
    assert_rel(CAP(cp, 0, 2), 30, 1e-12);
    assert_rel(NDC(cp, 0, 1), 60, 1e-12);
    assert_rel(CAP(cp, 1, 1), 60, 1e-12);
    assert_non_null(strstr(cp->method[1], "(conditional,"));
    assert_int_equal(d.n_warnings, 1); /* N only */
    lm_carbon_plan_free(cp);
    lm_diag_free(&d);
    lm_cp_baseline_free(&b);
    lm_dataset_free(ds);
}

/* Base-year targets.  P: -50 % on 2010 with base_year_mt 60 -> 30 in 2030; no neutrality
 * year, so 30 is held in 2040 and 2050.  Q: -20 % on 2025, no base_year_mt: the baseline in
 * 2025 is (100 + 120) / 2 = 110 -> 88.  R: -20 % on 2010 without base_year_mt: 2010 is before
 * the modelled years, so no cap.  A cumulative target is never converted. */
static void test_base_year_and_unconvertible(void **state)
{
    (void)state;
    const char *zones[] = {"P", "Q", "R", "M"};
    lm_dataset *ds = fake_ds(4, zones);
    target(ds, 0, 0, LM_NDC_BASE_YEAR, 2010, 2030, 50, 60, 0);
    target(ds, 1, 0, LM_NDC_BASE_YEAR, 2025, 2030, 20, NAN, 0);
    target(ds, 2, 0, LM_NDC_BASE_YEAR, 2010, 2030, 20, NAN, 0);
    target(ds, 3, 0, LM_NDC_CUMULATIVE, 2021, 2030, NAN, NAN, 0);
    const double base[4][4] = {{70, 80, 90, 100}, {100, 120, 150, 180}, {5, 5, 5, 5},
                               {5, 6, 7, 8}};
    lm_cp_baseline b;
    fake_baseline(&b, 4, base);
    lm_cp_options o;
    lm_cp_options_default(&o);
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_plan *cp = derive(ds, &b, &o, &d);
    assert_rel(CAP(cp, 0, 0), 70, 1e-12);
    assert_rel(CAP(cp, 0, 1), 30, 1e-12);
    assert_rel(CAP(cp, 0, 2), 30, 1e-12);
    assert_rel(CAP(cp, 0, 3), 30, 1e-12);
    assert_non_null(strstr(cp->method[3], "held at the 2030 target level"));
    assert_rel(CAP(cp, 1, 1), 88, 1e-12);
    assert_true(isnan(CAP(cp, 2, 1)));
    expect_msg(&d, "zone R (R) gets no cap: no target could be converted to a power-sector "
                   "level; -20% on 2010 by 2030 (unconditional, ndc_targets.csv:4) not "
                   "converted: no base_year_mt, and base year 2010 is outside the modelled "
                   "years 2020..2050");
    assert_true(isnan(CAP(cp, 3, 1)));
    expect_msg(&d, "zone M (M) gets no cap: no target could be converted");
    lm_carbon_plan_free(cp);

    /* options out of range are errors */
    o.residual_share = 1.5;
    cp = (lm_carbon_plan *)1;
    assert_int_equal(lm_carbon_plan_derive(ds, &b, &o, &cp, &d), -1);
    assert_null(cp);
    expect_msg(&d, "residual share must be in [0, 1], got 1.5");
    lm_cp_options_default(&o);
    o.n_zone_factors = 1;
    o.factor_zone[0] = "Atlantis";
    o.factor_value[0] = 1;
    assert_int_equal(lm_carbon_plan_derive(ds, &b, &o, &cp, &d), -1);
    expect_msg(&d, "sector factor for \"Atlantis\": not a zone of dataset fake");
    lm_diag_free(&d);
    lm_cp_baseline_free(&b);
    lm_dataset_free(ds);
}

static void test_rounding(void **state)
{
    (void)state;
    assert_rel(lm_cp_round_mt(2.70374929), 2.7038, 1e-15);
    assert_rel(lm_cp_round_mt(7.3719), 7.3719, 1e-15);
    assert_rel(lm_cp_round_mt(0), 0, 0);
    assert_true(lm_cp_round_mt(5.00000001) >= 5.00000001);
}

/* ---- the ndc_targets table ---- */

static const char *GOOD_ROWS =
    "Delta,,unconditional,BAU,2005,2030,30,NA,economy-wide GHG,2050,S1\n"
    "Delta,,conditional,BAU,2005,2030,40,NA,economy-wide GHG,2050,S1\n"
    "Highland,Upland,unconditional,peak,NA,2030,NA,,CO2 peak,2060,S2\n"
    "Highland,Upland,unconditional,base-year,2005,2030,65,12.5,intensity,2060,S2\n";

static void test_table_loads(void **state)
{
    (void)state;
    char *tmp = tiny_with_targets(GOOD_ROWS);
    char *path = lm_xasprintf("%s/tiny", tmp);
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    if (lm_dataset_load(path, &ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("load failed");
    }
    assert_int_equal(ds->n_ndc_targets, 4);
    const lm_ndc_target *t = ds->ndc_targets;
    assert_string_equal(t[0].country, "Delta");
    assert_int_equal(t[0].zone, lm_dataset_zone(ds, "Delta"));
    assert_int_equal(t[0].conditional, 0);
    assert_int_equal(t[0].baseline, LM_NDC_BAU);
    assert_int_equal(t[0].base_year, 2005);
    assert_int_equal(t[0].target_year, 2030);
    assert_rel(t[0].reduction_pct, 30, 0);
    assert_true(isnan(t[0].base_year_mt));
    assert_int_equal(t[0].neutrality_year, 2050);
    assert_string_equal(t[0].sector_scope, "economy-wide GHG");
    assert_int_equal(t[0].line, 2);
    assert_int_equal(t[1].conditional, 1);
    assert_int_equal(t[2].zone, lm_dataset_zone(ds, "Upland"));
    assert_int_equal(t[2].baseline, LM_NDC_PEAK);
    assert_int_equal(t[2].base_year, 0);
    assert_true(isnan(t[2].reduction_pct));
    assert_rel(t[3].base_year_mt, 12.5, 0);
    assert_non_null(strstr(ds->ndc_targets_file, "ndc_targets.csv"));
    lm_dataset_free(ds);
    lm_diag_free(&d);
    free(path);
    rm_tree(tmp);
    free(tmp);
}

/* Load the tiny copy with these rows; expect failure with every needle. */
static void expect_table_errors(const char *rows, const char *const *needles, int n)
{
    char *tmp = tiny_with_targets(rows);
    char *path = lm_xasprintf("%s/tiny", tmp);
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = (lm_dataset *)1;
    int rc = lm_dataset_load(path, &ds, &d);
    if (rc == 0) lm_dataset_free(ds);
    assert_int_equal(rc, -1);
    assert_null(ds);
    for (int i = 0; i < n; i++) expect_msg(&d, needles[i]);
    lm_diag_free(&d);
    free(path);
    rm_tree(tmp);
    free(tmp);
}

static void test_table_year_order(void **state)
{
    (void)state;
    const char *needles[] = {
        "ndc_targets.csv:2:base_year: value \"2035\": base_year must not be after target_year "
        "(2030)",
        "ndc_targets.csv:3:neutrality_year: value \"2030\": neutrality_year must be after "
        "target_year (2030)",
        "ndc_targets.csv:4:target_year: value \"20300\": must be an integer year 1000..9999",
        "ndc_targets.csv:5:neutrality_year: value \"soon\": must be a year 1000..9999 or NA",
    };
    expect_table_errors("Delta,,unconditional,BAU,2035,2030,30,NA,x,2050,S\n"
                        "Upland,,unconditional,BAU,NA,2030,30,NA,x,2030,S\n"
                        "Upland,,conditional,BAU,NA,20300,30,NA,x,2050,S\n"
                        "Delta,,conditional,BAU,NA,2030,30,NA,x,soon,S\n",
                        needles, 4);
}

static void test_table_reduction_range(void **state)
{
    (void)state;
    const char *needles[] = {
        "ndc_targets.csv:2:reduction_pct: value \"120\": must be a percentage in [0, 100] or NA",
        "ndc_targets.csv:3:reduction_pct: value \"-5\": must be a percentage in [0, 100] or NA",
        "ndc_targets.csv:4:reduction_pct: value \"NA\": a BAU target needs reduction_pct",
        "ndc_targets.csv:5:reduction_pct: value \"10\": a peak target has no reduction; write "
        "NA or 0",
        "ndc_targets.csv:6:base_year: value \"NA\": a base-year target needs a base_year",
        "ndc_targets.csv:6:base_year_mt: value \"-1\": must be a number >= 0 or NA",
    };
    expect_table_errors("Delta,,unconditional,BAU,NA,2030,120,NA,x,2050,S\n"
                        "Delta,,conditional,BAU,NA,2030,-5,NA,x,2050,S\n"
                        "Upland,,unconditional,BAU,NA,2030,NA,NA,x,2050,S\n"
                        "Upland,,unconditional,peak,NA,2035,10,NA,x,2050,S\n"
                        "Upland,,unconditional,base-year,NA,2040,10,-1,x,2050,S\n",
                        needles, 6);
}

static void test_table_unknown_country(void **state)
{
    (void)state;
    const char *needles[] = {
        "ndc_targets.csv:2:country: value \"Atlantis\": unknown country: not a zone of the "
        "dataset and no zone given; zones (from ",
        "technology_portfolio.csv): Upland, Delta; name the zone the target applies to in "
        "column zone",
        "ndc_targets.csv:3:zone: value \"Lowland\": unknown zone; zones (from ",
        "ndc_targets.csv:4:target_type: value \"voluntary\": must be unconditional or "
        "conditional",
        "ndc_targets.csv:5:baseline: value \"bau\": must be one of BAU, base-year, peak, "
        "intensity, cumulative",
        "ndc_targets.csv:7:country,target_type,baseline,target_year: duplicate target for Delta "
        "(unconditional, BAU, 2030); first at line 6",
        "ndc_targets.csv:8:zone: value \"Delta\": zone \"Delta\" already follows the targets of "
        "\"Delta\" (line 6); a zone follows one country",
    };
    expect_table_errors("Atlantis,,unconditional,BAU,NA,2030,30,NA,x,2050,S\n"
                        "China,Lowland,unconditional,peak,NA,2030,NA,NA,x,2060,S\n"
                        "Upland,,voluntary,BAU,NA,2030,30,NA,x,2050,S\n"
                        "Upland,,unconditional,bau,NA,2030,30,NA,x,2050,S\n"
                        "Delta,,unconditional,BAU,NA,2030,30,NA,x,2050,S\n"
                        "Delta,,unconditional,BAU,NA,2030,35,NA,x,2050,S\n"
                        "China,Delta,unconditional,peak,NA,2030,NA,NA,x,2060,S\n",
                        needles, 7);
}

/* ---- outputs: the plan file and the CSV ---- */

static const char *BASE_PLAN =
    "# a base plan with comments, flow style and every section\n"
    "name: tiny-base\n"
    "description: \"the base\"\n"
    "dataset: tiny\n"
    "years: [2020, 2030]\n"
    "time: {months: [1, 7]}\n"
    "carbon:\n"
    "  caps: none\n"
    "transmission:\n"
    "  scenario: free   # limit 6\n"
    "mode: faithful\n"
    "solver: {name: clp, method: primal, time_limit_s: 77, log: 0}\n"
    "output:\n"
    "  store: results/x.sqlite\n";

static void test_written_plan_loads(void **state)
{
    (void)state;
    char *tmp = tiny_with_targets("Delta,,unconditional,BAU,NA,2030,40,NA,x,2050,S\n"
                                  "Highland,Upland,unconditional,peak,NA,2030,NA,NA,x,2060,S\n");
    char *base_path = lm_xasprintf("%s/base.yaml", tmp);
    write_all(base_path, BASE_PLAN);
    char *out_dir = lm_xasprintf("%s/plans/sub", tmp);
    char *out_path = lm_xasprintf("%s/nz.yaml", out_dir);
    lm_diag d;
    lm_diag_init(&d);
    lm_plan *base = NULL, *p = NULL;
    lm_dataset *ds = NULL;
    assert_int_equal(lm_plan_load(base_path, &base, &d), 0);
    assert_int_equal(lm_dataset_load(base->dataset, &ds, &d), 0);

    /* baseline by hand, in dataset zone order (Upland, Delta), years 2020, 2030 */
    lm_cp_baseline b = {0};
    b.n_years = 2;
    b.years = lm_xmalloc(2 * sizeof *b.years);
    b.years[0] = 2020;
    b.years[1] = 2030;
    b.n_zones = ds->n_zones;
    b.emissions_mt = lm_xmalloc(4 * sizeof *b.emissions_mt);
    int up = lm_dataset_zone(ds, "Upland"), de = lm_dataset_zone(ds, "Delta");
    b.emissions_mt[up * 2 + 0] = 1.5;
    b.emissions_mt[up * 2 + 1] = 2.25;
    b.emissions_mt[de * 2 + 0] = 3;
    b.emissions_mt[de * 2 + 1] = 4;
    lm_cp_options o;
    lm_cp_options_default(&o);
    lm_carbon_plan *cp = derive(ds, &b, &o, &d);
    lm_cp_write_opts w;
    lm_cp_write_opts_default(&w);
    w.name = "tiny-nz";
    w.generated_at = "2000-01-01T00:00:00Z";
    w.program_version = "test";
    if (lm_carbon_plan_write(cp, ds, &b, base, out_path, &w, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("write failed");
    }
    if (lm_plan_load(out_path, &p, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("the written plan does not load");
    }
    assert_string_equal(p->name, "tiny-nz");
    assert_int_equal(p->carbon_caps, LM_CAPS_PLAN);
    /* Upland: peak 2030 = 2.25 held (2020: 1.5); Delta: 0.6 x 4 = 2.4 in 2030 (2020: 3) */
    assert_int_equal(p->n_caps, 4);
    int found = 0;
    for (int i = 0; i < p->n_caps; i++) {
        const lm_plan_cap *c = &p->caps[i];
        assert_non_null(c->zone);
        double want = !strcmp(c->zone, "Upland") ? (c->year == 2020 ? 1.5 : 2.25)
                                                 : (c->year == 2020 ? 3 : 2.4);
        assert_rel(c->cap_t_co2, want * 1e6, 1e-12);
        found++;
    }
    assert_int_equal(found, 4);
    /* the base plan's other keys survive; the dataset path is re-expressed */
    assert_int_equal(p->mode, LM_MODE_FAITHFUL);
    assert_string_equal(p->method, "primal");
    assert_rel(p->time_limit_s, 77, 0);
    assert_int_equal(p->solver_log, 0);
    assert_int_equal(p->n_years, 2);
    assert_int_equal(p->n_months, 2);
    assert_int_equal(p->transmission, LM_TRANS_FREE);
    assert_string_equal(p->store, "results/x.sqlite");
    char *a = realpath(p->dataset, NULL), *e = realpath(base->dataset, NULL);
    assert_non_null(a);
    assert_string_equal(a, e);
    free(a);
    free(e);
    char *text = read_all(out_path);
    assert_non_null(strstr(text, "dataset: ../../tiny\n"));
    assert_non_null(strstr(text, "on 2000-01-01T00:00:00Z"));
    assert_non_null(strstr(text, "# Basin total"));
    assert_null(strstr(text, "basin_mt:"));
    free(text);
    lm_plan_free(p);
    p = NULL;

    /* with --basin-cap and no zone caps: one basin cap per year = the sum of the zone caps */
    w.basin_cap = 1;
    w.zone_caps = 0;
    assert_int_equal(lm_carbon_plan_write(cp, ds, &b, base, out_path, &w, &d), 0);
    assert_int_equal(lm_plan_load(out_path, &p, &d), 0);
    assert_int_equal(p->n_caps, 2);
    assert_null(p->caps[0].zone);
    assert_rel(p->caps[0].cap_t_co2, 4.5e6, 1e-12);
    assert_rel(p->caps[1].cap_t_co2, 4.65e6, 1e-12);
    lm_plan_free(p);

    /* the CSV */
    char *csv_path = lm_carbon_plan_csv_path(out_path);
    assert_non_null(strstr(csv_path, "/plans/sub/nz.carbon_plan.csv"));
    assert_int_equal(lm_carbon_plan_write_csv(cp, csv_path, &d), 0);
    lm_csv csv;
    assert_int_equal(lm_csv_read(csv_path, &csv, &d), 0);
    assert_int_equal(csv.n_cols, 7);
    assert_string_equal(csv.header[5], "ndc_target_mt");
    assert_int_equal(csv.n_rows, 4);
    /* Delta is the second zone: rows 2 and 3; 2030: cap 2.4, NDC 2.4 */
    assert_string_equal(lm_csv_cell(&csv, 3, 0), "Delta");
    assert_string_equal(lm_csv_cell(&csv, 3, 4), "2.4");
    assert_string_equal(lm_csv_cell(&csv, 3, 5), "2.4");
    assert_string_equal(lm_csv_cell(&csv, 2, 5), "");
    assert_non_null(strstr(lm_csv_cell(&csv, 3, 6), "target: BAU -40% by 2030"));
    lm_csv_free(&csv);
    free(csv_path);

    lm_carbon_plan_free(cp);
    lm_cp_baseline_free(&b);
    lm_dataset_free(ds);
    lm_plan_free(base);
    lm_diag_free(&d);
    free(base_path);
    free(out_dir);
    free(out_path);
    rm_tree(tmp);
    free(tmp);
}

/* ---- the store: baseline path and carbon report ---- */

static int64_t store_run(lm_store *s, const char *plan_name, const char *ds_hash,
                         const double em[2][2], const double *caps, double obj)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_run_info info = {plan_name, "plans/x.yaml", "ph", "tiny", ds_hash, "clp", "dual"};
    int64_t id;
    assert_int_equal(lm_store_begin_run(s, &info, &id, &d), 0);
    lm_results *r = lm_results_new();
    lm_result_table *t = lm_results_table(r, "emissions", "zone,#year", "emissions_mt");
    lm_result_table *c =
        lm_results_table(r, "carbon_caps", "scope,#year", "cap_mt,emissions_mt,shadow_price_usd_per_t");
    const char *zones[2] = {"Upland", "Delta"};
    for (int z = 0; z < 2; z++)
        for (int y = 0; y < 2; y++) {
            const char *k[2] = {zones[z], y ? "2030" : "2020"};
            lm_results_row(r, t, k, &em[z][y]);
            if (caps) {
                double v[3] = {caps[z * 2 + y], em[z][y], z == 1 && y == 1 ? 55.5 : 0};
                lm_results_row(r, c, k, v);
            }
        }
    for (int y = 0; y < 2; y++) {
        const char *k[2] = {"basin", y ? "2030" : "2020"};
        double v[3] = {INFINITY, em[0][y] + em[1][y], 0};
        lm_results_row(r, c, k, v);
    }
    lm_run_outcome out = {"optimal", obj, 1, 1, 1, 0, 0, 0, 0, NULL};
    assert_int_equal(lm_store_finish_run(s, id, r, &out, &d), 0);
    lm_results_free(r);
    lm_diag_free(&d);
    return id;
}

static void test_store_baseline_and_report(void **state)
{
    (void)state;
    char *tmp = tiny_with_targets("Delta,,unconditional,BAU,NA,2030,40,NA,x,2050,S\n");
    char *ds_path = lm_xasprintf("%s/tiny", tmp);
    char *store_path = lm_xasprintf("%s/store.sqlite", tmp);
    lm_diag d;
    lm_diag_init(&d);
    lm_dataset *ds = NULL;
    assert_int_equal(lm_dataset_load(ds_path, &ds, &d), 0);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, store_path, &d), 0);
    const double em1[2][2] = {{1.5, 2.25}, {3, 4}};
    const double em2[2][2] = {{9, 9}, {9, 9}};
    int64_t r1 = store_run(s, "tiny-base", ds->hash, em1, NULL, 100);
    int64_t r2 = store_run(s, "tiny-base", "other", em2, NULL, 90); /* latest: other data */
    const double caps[4] = {INFINITY, INFINITY, 3, 2.4};
    const double em3[2][2] = {{1.5, 2.5}, {3, 2.4}};
    int64_t r3 = store_run(s, "tiny-nz", ds->hash, em3, caps, 104.5);
    lm_store_close(s);

    /* default: the latest optimal run of the plan (r2), with a warning about the data */
    lm_cp_baseline b;
    assert_int_equal(lm_cp_baseline_from_store(store_path, 0, "tiny-base", ds, &b, &d), 0);
    assert_int_equal(b.run_id, r2);
    expect_msg(&d, "was made with other content of dataset tiny");
    lm_cp_baseline_free(&b);
    lm_diag_clear(&d);
    assert_int_equal(lm_cp_baseline_from_store(store_path, r1, NULL, ds, &b, &d), 0);
    assert_int_equal(d.n_warnings, 0);
    assert_int_equal(b.n_years, 2);
    assert_int_equal(b.years[1], 2030);
    int de = lm_dataset_zone(ds, "Delta");
    assert_rel(b.emissions_mt[de * 2 + 1], 4, 0);
    assert_string_equal(b.plan_name, "tiny-base");
    assert_int_equal(b.capped, 0);
    lm_cp_baseline_free(&b);
    assert_int_equal(lm_cp_baseline_from_store(store_path, r3, NULL, ds, &b, &d), 0);
    assert_int_equal(b.capped, 1);
    expect_msg(&d, "had carbon caps: its emissions are not a no-cap baseline path");
    lm_cp_baseline_free(&b);
    assert_int_equal(lm_cp_baseline_from_store(store_path, 0, "nothing", ds, &b, &d), -1);
    expect_msg(&d, "no optimal run of plan \"nothing\"");

    /* the report of r3 with a carbon plan CSV: Delta 2030 emits 2.4 = cap = NDC level */
    char *csv_path = lm_xasprintf("%s/nz.carbon_plan.csv", tmp);
    write_all(csv_path, "zone,country,year,baseline_mt,cap_mt,ndc_target_mt,method\n"
                        "Delta,Deltaland,2020,3,3,,baseline\n"
                        "Delta,Deltaland,2030,4,2.4,2.4,target\n"
                        "Upland,,2030,2.25,,2.0,x\n");
    lm_carbon_report *r = NULL;
    lm_diag_clear(&d);
    assert_int_equal(lm_carbon_report_load(store_path, 0, csv_path, r1, &r, &d), 0);
    assert_int_equal(r->run_id, r3);
    assert_string_equal(r->plan_name, "tiny-nz");
    assert_rel(r->objective_musd, 104.5, 0);
    assert_rel(r->baseline_objective_musd, 100, 0);
    assert_int_equal(r->n_rows, 6); /* 2 zones x 2 years + basin x 2 */
    const lm_cr_row *delta30 = NULL, *up30 = NULL, *basin30 = NULL;
    for (int i = 0; i < r->n_rows; i++) {
        const lm_cr_row *row = &r->rows[i];
        if (row->year != 2030) continue;
        if (!strcmp(row->zone, "Delta")) delta30 = row;
        if (!strcmp(row->zone, "Upland")) up30 = row;
        if (!strcmp(row->zone, "basin")) basin30 = row;
    }
    assert_non_null(delta30);
    assert_string_equal(delta30->country, "Deltaland");
    assert_rel(delta30->cap_mt, 2.4, 0);
    assert_rel(delta30->ndc_mt, 2.4, 0);
    assert_rel(delta30->price_usd_per_t, 55.5, 0);
    assert_int_equal(delta30->cap_met, 1);
    assert_int_equal(delta30->ndc_met, 1);
    assert_true(isnan(up30->cap_mt));
    assert_int_equal(up30->cap_met, -1);
    assert_int_equal(up30->ndc_met, 0); /* 2.5 > 2.0 */
    assert_true(isnan(basin30->cap_mt));
    assert_rel(basin30->emissions_mt, 4.9, 1e-12);
    assert_int_equal(basin30->cap_met, -1);
    lm_carbon_report_free(r);

    /* without a CSV beside the plan: no NDC levels, a warning */
    lm_diag_clear(&d);
    assert_int_equal(lm_carbon_report_load(store_path, r3, NULL, 0, &r, &d), 0);
    expect_msg(&d, "no carbon plan CSV beside the run's plan (plans/x.carbon_plan.csv)");
    assert_null(r->plan_csv);
    lm_carbon_report_free(r);

    lm_dataset_free(ds);
    lm_diag_free(&d);
    free(csv_path);
    free(ds_path);
    free(store_path);
    rm_tree(tmp);
    free(tmp);
}

/* ---- the commands, end to end on the tiny data ---- */

/* Run a shell command; its stdout+stderr into out; returns the exit status. */
static int sh(const char *cmd, char *out, size_t n)
{
    char *full = lm_xasprintf("%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p) fail_msg("popen failed");
    size_t len = fread(out, 1, n - 1, p);
    out[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_commands_end_to_end(void **state)
{
    (void)state;
    const char *bin = getenv("LMPLAN_BIN");
    if (!bin || access(bin, X_OK) != 0) {
        printf("skipped: LMPLAN_BIN not set or not executable\n");
        return;
    }
    static char out[65536];
    char *tmp = tiny_with_targets("Delta,,unconditional,BAU,NA,2030,40,NA,x,2050,S\n"
                                  "Highland,Upland,unconditional,peak,NA,2030,NA,NA,x,2060,S\n");
    char *base = lm_xasprintf("%s/base.yaml", tmp);
    write_all(base, "name: tiny-base\ndataset: tiny\ncarbon: {caps: none}\n"
                    "transmission: {scenario: free}\nsolver: {log: 0}\n");
    char *cmd = lm_xasprintf("cd %s && %s run base.yaml --store r.sqlite --no-csv", tmp, bin);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    free(cmd);
    cmd = lm_xasprintf("cd %s && %s carbon-plan --base-plan base.yaml --store r.sqlite "
                       "--residual-share 0.5 -o plans/nz.yaml", tmp, bin);
    if (sh(cmd, out, sizeof out) != 0) fail_msg("carbon-plan failed:\n%s", out);
    free(cmd);
    /* Delta: 0.6 x B(2030) in 2030; the table and the derivation are printed */
    assert_non_null(strstr(out, "target: BAU -40% by 2030 (unconditional, ndc_targets.csv:2)"));
    assert_non_null(strstr(out, "wrote plans/nz.yaml (plan tiny-nz: 4 caps, 2 of 2 zones capped)"));
    cmd = lm_xasprintf("cd %s && %s run plans/nz.yaml --store r.sqlite --no-csv", tmp, bin);
    if (sh(cmd, out, sizeof out) != 0) fail_msg("the carbon plan does not solve:\n%s", out);
    free(cmd);
    cmd = lm_xasprintf("cd %s && %s carbon-report --store r.sqlite --baseline-run 1", tmp, bin);
    if (sh(cmd, out, sizeof out) != 0) fail_msg("carbon-report failed:\n%s", out);
    free(cmd);
    assert_non_null(strstr(out, "Carbon report: run 2, plan tiny-nz (plans/nz.yaml), status optimal"));
    assert_non_null(strstr(out, "cost of the caps +"));
    assert_non_null(strstr(out, "caps met: 4 of 4; NDC levels met: 2 of 2"));
    /* help, usage errors */
    const char *helps[] = {"carbon-plan --help", "carbon-report --help", "carbon-plan --report 1 --help"};
    for (int i = 0; i < 3; i++) {
        cmd = lm_xasprintf("%s %s", bin, helps[i]);
        assert_int_equal(sh(cmd, out, sizeof out), 0);
        assert_non_null(strstr(out, "Usage: lmplan carbon-"));
        free(cmd);
    }
    cmd = lm_xasprintf("%s carbon-plan --targets maybe -o x.yaml", bin);
    assert_int_equal(sh(cmd, out, sizeof out), 64);
    assert_non_null(strstr(out, "bad value \"maybe\" for --targets"));
    free(cmd);
    cmd = lm_xasprintf("cd %s && %s carbon-report --store r.sqlite 99", tmp, bin);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "no run 99"));
    free(cmd);
    free(base);
    rm_tree(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_target_neutrality),
        cmocka_unit_test(test_peak_rule),
        cmocka_unit_test(test_conditional_and_zone_without_target),
        cmocka_unit_test(test_base_year_and_unconvertible),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_table_loads),
        cmocka_unit_test(test_table_year_order),
        cmocka_unit_test(test_table_reduction_range),
        cmocka_unit_test(test_table_unknown_country),
        cmocka_unit_test(test_written_plan_loads),
        cmocka_unit_test(test_store_baseline_and_report),
        cmocka_unit_test(test_commands_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
