/* test_financing.c - the financing-sources table and the least-cost financing mix
 * (src/assess/financing.c) on a case solved by hand, the gap when limits bind, the rule that
 * "cannot tell" never opens a green bond, the bundled table, and located loader errors. */
#include "../test_util.h"

#include <string.h>
#include <unistd.h>

#include "assess/financing.h"
#include "core/diag.h"

#define HEADER                                                                                   \
    "source_id,name,category,zone,cost_of_capital_pct,tenor_yr,max_share_pct,requires,"          \
    "technologies,annual_limit_musd,basis,source,source_url,checked\n"

static const char *write_tmp(const char *name, const char *text)
{
    static char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/lm_fin_%d_%s", dir && *dir ? dir : "/tmp", (int)getpid(),
             name);
    write_all(path, text);
    return path;
}

static const char *TABLE = HEADER
    "public_a,Budget A,public,A,2,,50,none,all,100,b,s,,no\n"
    "dfi,Bank,development_bank,*,3,20,40,none,hydropower;solar;wind;storage;transmission,,b,s,,no\n"
    "gb,Green bond,green_bond,*,4,10,30,green_any,all,,b,s,,no\n"
    "priv,Private,private,*,9,,100,none,all,%s,b,s,,no\n";

static lm_fin_sources *load_table(const char *priv_limit)
{
    char text[2048];
    snprintf(text, sizeof text, TABLE, priv_limit);
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_sources *fs = NULL;
    int rc = lm_fin_sources_load(write_tmp("t.csv", text), &fs, &d);
    if (rc) lm_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(fs->n, 4);
    lm_diag_free(&d);
    return fs;
}

static void projects(lm_fin_project p[3])
{
    memset(p, 0, 3 * sizeof *p);
    p[0] = (lm_fin_project){"P1", "A", 2030, "hydropower", 120, {0}};
    p[1] = (lm_fin_project){"P2", "A", 2030, "coal", 100, {0}};
    p[2] = (lm_fin_project){"P3", "B", 2030, "solar", 50, {0}};
    for (int t = 0; t < LM_TAX_N; t++) {
        p[0].eligible[t] = t == LM_TAX_CBI ? LM_SCREEN_ELIGIBLE : LM_SCREEN_NOT_ELIGIBLE;
        p[1].eligible[t] = LM_SCREEN_NOT_ELIGIBLE;
        p[2].eligible[t] = LM_SCREEN_CANNOT_TELL;
    }
}

/* By hand: zone A's budget (100, at most 50 % of a project) is worth 7 points more to the coal
 * plant (its alternative is private capital at 9 %) than 2 points to the dam (whose alternative
 * is the green bond at 4 %), so P2 takes its full 50 and P1 the other 50; P1 then takes the
 * bank's 40 % (48) and 22 of green bonds.  P3 (zone B, no budget, eligibility cannot tell: no
 * green bond) takes the bank's 20 and 30 private.  Costs: P1 50x2 + 48x3 + 22x4 = 332,
 * P2 50x2 + 50x9 = 550, P3 20x3 + 30x9 = 330 (million USD x %), total 12.12 million USD/yr. */
static void test_hand_solved(void **state)
{
    (void)state;
    lm_fin_sources *fs = load_table("");
    lm_fin_project p[3];
    projects(p);
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_allocation a;
    assert_int_equal(lm_fin_allocate(fs, p, 3, 100, &a, &d), 0);
    const double want[3][4] = {{50, 48, 22, 0}, {50, 0, 0, 50}, {0, 20, 0, 30}};
    for (int i = 0; i < 3; i++)
        for (int s = 0; s < 4; s++)
            assert_true(fabs(a.amount_musd[i * 4 + s] - want[i][s]) < 1e-7);
    assert_true(fabs(a.cost_musd_per_yr - 12.12) < 1e-9);
    assert_true(fabs(a.wacc_pct[0] - 332.0 / 120) < 1e-9);
    assert_true(fabs(a.wacc_pct[1] - 5.5) < 1e-9);
    assert_true(fabs(a.wacc_pct[2] - 6.6) < 1e-9);
    assert_true(fabs(a.total_gap_musd) < 1e-9);
    assert_true(fabs(a.total_capex_musd - 270) < 1e-12);
    assert_true(fabs(a.eligible_capex_musd[LM_TAX_CBI] - 120) < 1e-12);
    assert_true(fabs(a.eligible_capex_musd[LM_TAX_EU]) < 1e-12);
    assert_true(fabs(a.by_category_musd[LM_FINCAT_PUBLIC] - 100) < 1e-7);
    assert_true(fabs(a.by_category_musd[LM_FINCAT_GREEN_BOND] - 22) < 1e-7);
    assert_int_equal(a.n_pools_binding, 1);
    lm_fin_allocation_free(&a);

    /* P3 becomes green under the EU taxonomy: it takes 15 of green bonds (30 %) before private. */
    p[2].eligible[LM_TAX_EU] = LM_SCREEN_ELIGIBLE;
    assert_int_equal(lm_fin_allocate(fs, p, 3, 100, &a, &d), 0);
    assert_true(fabs(a.amount_musd[2 * 4 + 2] - 15) < 1e-7);
    assert_true(fabs(a.amount_musd[2 * 4 + 3] - 15) < 1e-7);
    assert_true(fabs(a.cost_musd_per_yr - (3.32 + 5.5 + (60 + 60 + 135) / 100.0)) < 1e-9);
    lm_fin_allocation_free(&a);
    lm_diag_free(&d);
    lm_fin_sources_free(fs);
}

/* Private capital limited to 10 per zone and year: zone A's coal plant gets 10 of its 50 and
 * shows a gap of 40, zone B's solar plant 10 of 30 and a gap of 20. */
static void test_gap(void **state)
{
    (void)state;
    lm_fin_sources *fs = load_table("10");
    lm_fin_project p[3];
    projects(p);
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_allocation a;
    assert_int_equal(lm_fin_allocate(fs, p, 3, 100, &a, &d), 0);
    assert_true(fabs(a.gap_musd[0]) < 1e-9);
    assert_true(fabs(a.gap_musd[1] - 40) < 1e-7);
    assert_true(fabs(a.gap_musd[2] - 20) < 1e-7);
    assert_true(fabs(a.total_gap_musd - 60) < 1e-7);
    assert_true(fabs(a.amount_musd[1 * 4 + 3] - 10) < 1e-7);
    assert_int_equal(a.n_pools_binding, 3); /* budget A, private A, private B */
    lm_fin_allocation_free(&a);
    lm_diag_free(&d);
    lm_fin_sources_free(fs);
}

static void test_errors(void **state)
{
    (void)state;
    const char *path = write_tmp("bad.csv", HEADER
        "Bad Id,x,public,A,2,,50,none,all,,b,s,,no\n"
        "a,x,charity,A,2,,50,none,all,,b,s,,no\n"
        "b,x,public,A,80,,50,none,all,,b,s,,no\n"
        "c,x,public,A,2,,0,none,all,,b,s,,no\n"
        "d,x,green_bond,A,2,,50,none,all,,b,s,,no\n"
        "e,x,private,A,2,,50,green:xx,all,,b,s,,no\n"
        "f,x,private,A,2,,50,none,solar;nuclear,,b,s,,no\n"
        "g,x,private,A,2,,50,none,all,-5,b,s,,no\n"
        "h,x,private,A,2,,50,none,all,,b,s,,maybe\n"
        "i,x,private,A,2,,50,none,all,,b,s,,no\n"
        "i,x,private,A,3,,50,none,all,,b,s,,no\n");
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_sources *fs = (lm_fin_sources *)1;
    assert_int_equal(lm_fin_sources_load(path, &fs, &d), -1);
    assert_null(fs);
    char want[600];
#define AT(line, col, val) snprintf(want, sizeof want, "%s:%d:%s: value \"%s\"", path, line, col, val), expect_msg(&d, want)
    AT(2, "source_id", "Bad Id");
    AT(3, "category", "charity");
    AT(4, "cost_of_capital_pct", "80");
    AT(5, "max_share_pct", "0");
    AT(6, "requires", "none");
    AT(7, "requires", "green:xx");
    AT(8, "technologies", "solar;nuclear");
    expect_msg(&d, "unknown technology `nuclear`");
    AT(9, "annual_limit_musd", "-5");
    AT(10, "checked", "maybe");
    AT(12, "source_id", "i");
    expect_msg(&d, "duplicate source for zone A (first on line 11)");
#undef AT
    assert_int_equal(d.n_errors, 10);
    lm_diag_free(&d);
}

/* The bundled table loads, every row names its source, and a green bond requires eligibility. */
static void test_bundled(void **state)
{
    (void)state;
    const char *path = source_path("data/criteria/financing_sources.csv");
    lm_diag d;
    lm_diag_init(&d);
    lm_fin_sources *fs = NULL;
    int rc = lm_fin_sources_load(path, &fs, &d);
    if (rc) lm_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_true(fs->n >= 8);
    int cats[LM_FINCAT_N] = {0};
    for (int i = 0; i < fs->n; i++) {
        cats[fs->s[i].category]++;
        assert_true(strlen(fs->s[i].source) > 10);
        if (fs->s[i].category == LM_FINCAT_GREEN_BOND)
            assert_int_not_equal(fs->s[i].requires, LM_FIN_REQ_NONE);
    }
    for (int c = 0; c < LM_FINCAT_N; c++) assert_true(cats[c] > 0);
    lm_fin_sources_free(fs);
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_solved),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_bundled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
