/* test_scorecard.c - the UNEP ten-principle scorecard (src/assess/scorecard.c): the bundled
 * indicator table (exact titles, every principle covered in both scopes), normalisation in
 * both directions, principle scores with coverage when data are missing or not applicable,
 * and located loader errors. */
#include "../test_util.h"

#include <string.h>
#include <unistd.h>

#include "assess/scorecard.h"
#include "core/diag.h"
#include "core/util.h"

#define HEADER "principle,principle_title,indicator_id,indicator,scope,input,unit,poor,good,weight,basis,source\n"

static const char *write_tmp(const char *name, const char *text)
{
    static char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/lm_sc_%d_%s", dir && *dir ? dir : "/tmp", (int)getpid(),
             name);
    write_all(path, text);
    return path;
}

static void test_bundled(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_sc_table *t = NULL;
    int rc = lm_sc_table_load(source_path("data/criteria/unep_indicators.csv"), &t, &d);
    if (rc) lm_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(t->n, 39);
    assert_string_equal(lm_unep_title(2), "Responsive, Resilient, and Flexible Service Provision");
    assert_string_equal(lm_unep_title(9), "Transparent, Inclusive, and Participatory Decision-Making");
    assert_null(lm_unep_title(11));
    /* Everything missing: no score, coverage 0, conservative 0 wherever something applies. */
    lm_sc_inputs in;
    lm_sc_inputs_init(&in);
    lm_scorecard sc;
    lm_scorecard_evaluate(t, LM_SC_PROJECT, &in, &sc);
    assert_true(isnan(sc.overall));
    assert_true(sc.overall_conservative == 0);
    assert_true(sc.coverage == 0);
    for (int p = 0; p < LM_UNEP_N; p++) {
        assert_true(sc.p[p].n_defined >= 1);
        assert_true(isnan(sc.p[p].score));
    }
    lm_scorecard_free(&sc);
    lm_sc_table_free(t);
    lm_diag_free(&d);
}

/* A table with two project indicators for principle 4 and one for every other principle. */
static lm_sc_table *small_table(void)
{
    char *text = lm_xstrdup(HEADER);
    for (int p = 1; p <= LM_UNEP_N; p++)
        for (int scope = 0; scope < 2; scope++) {
            char *row = lm_xasprintf("%d,\"%s\",i%d%c,x,%s,%s,u,0,1,1,b,s\n", p, lm_unep_title(p),
                                     p, scope ? 'p' : 'j', scope ? "plan" : "project",
                                     p == 9 ? "eia_disclosed" : "reproducible");
            char *n = lm_xasprintf("%s%s", text, row);
            free(text);
            free(row);
            text = n;
        }
    /* principle 4: sediment loss, 5 Mt/yr scores 0, 0 scores 1 (weight 3); DCIp loss (weight 1) */
    char *n = lm_xasprintf("%s4,Avoiding Environmental Impacts and Investing in Nature,s4,sed,project,"
                           "sediment_loss_mt_yr,Mt/yr,5,0,3,b,s\n"
                           "4,Avoiding Environmental Impacts and Investing in Nature,d4,dci,project,"
                           "dcip_loss_points,points,5,0,1,b,s\n", text);
    free(text);
    lm_diag d;
    lm_diag_init(&d);
    lm_sc_table *t = NULL;
    int rc = lm_sc_table_load(write_tmp("small.csv", n), &t, &d);
    if (rc) lm_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    free(n);
    lm_diag_free(&d);
    return t;
}

static void test_scores(void **state)
{
    (void)state;
    lm_sc_table *t = small_table();
    assert_int_equal(t->n, 22);
    lm_sc_inputs in;
    lm_sc_inputs_init(&in);
    /* sediment 2 Mt/yr -> (2-5)/(0-5) = 0.6; DCIp loss 7 -> clamped 0; reproducible yes -> 1;
     * eia unknown -> missing.  Principle 4: project indicators i4j (reproducible, 1, weight 1),
     * s4 (0.6, weight 3), d4 (0, weight 1): (1 + 1.8 + 0) / 5 = 0.56. */
    lm_sc_set(&in, LM_SCI_SEDIMENT_LOSS_MT_YR, 2, "run 1, r_sediment");
    lm_sc_set(&in, LM_SCI_DCIP_LOSS_POINTS, 7, "run 1, fish");
    lm_sc_set(&in, LM_SCI_REPRODUCIBLE, 1, "hashes match");
    lm_scorecard sc;
    lm_scorecard_evaluate(t, LM_SC_PROJECT, &in, &sc);
    assert_int_equal(sc.n, 12);
    assert_true(fabs(sc.p[3].score - 0.56) < 1e-12);
    assert_int_equal(sc.p[3].n_with_data, 3);
    assert_true(fabs(sc.p[0].score - 1) < 1e-12);
    /* principle 9 reads the unknown eia: no score, coverage 0, conservative 0 */
    assert_true(isnan(sc.p[8].score));
    assert_true(sc.p[8].score_conservative == 0);
    assert_true(sc.p[8].coverage == 0);
    /* overall: 8 principles at 1, principle 4 at 0.56, principle 9 missing: (8 + 0.56) / 9 */
    assert_true(fabs(sc.overall - 8.56 / 9) < 1e-12);
    assert_true(fabs(sc.overall_conservative - 8.56 / 10) < 1e-12);
    assert_true(fabs(sc.coverage - 11.0 / 12) < 1e-12);
    for (int i = 0; i < sc.n; i++)
        if (!strcmp(sc.r[i].ind->id, "s4")) {
            assert_string_equal(sc.r[i].evidence, "run 1, r_sediment");
            assert_true(fabs(sc.r[i].score - 0.6) < 1e-12);
        }
    lm_scorecard_free(&sc);
    /* eia not applicable: principle 9 has nothing that applies - coverage 1, no score, and it
     * leaves the conservative mean too */
    lm_sc_set_na(&in, LM_SCI_EIA_DISCLOSED, "test");
    lm_scorecard_evaluate(t, LM_SC_PROJECT, &in, &sc);
    assert_true(isnan(sc.p[8].score));
    assert_true(sc.p[8].coverage == 1);
    assert_int_equal(sc.p[8].n_applicable, 0);
    assert_true(fabs(sc.overall_conservative - 8.56 / 9) < 1e-12);
    assert_true(fabs(sc.coverage - 1) < 1e-12);
    lm_scorecard_free(&sc);
    /* exactly at the thresholds */
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->ind[i].id, "s4")) {
            assert_true(lm_sc_normalise(&t->ind[i], 5) == 0);
            assert_true(lm_sc_normalise(&t->ind[i], 0) == 1);
            assert_true(lm_sc_normalise(&t->ind[i], 5.001) == 0);
            assert_true(fabs(lm_sc_normalise(&t->ind[i], 4.999) - 0.0002) < 1e-12);
            assert_true(lm_sc_normalise(&t->ind[i], -1) == 1);
            assert_true(isnan(lm_sc_normalise(&t->ind[i], NAN)));
        }
    lm_sc_table_free(t);
}

static void test_errors(void **state)
{
    (void)state;
    const char *p = write_tmp("bad.csv", HEADER
        "1,Strategic planning,a,x,project,sea_covered,u,0,1,1,b,s\n"
        "11,Whatever,b,x,project,sea_covered,u,0,1,1,b,s\n"
        "2,\"Responsive, Resilient, and Flexible Service Provision\",c,x,team,sea_covered,u,0,1,1,b,s\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,d,x,plan,happiness,u,0,1,1,b,s\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,e,x,plan,dcip,u,5,5,1,b,s\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,f,x,plan,dcip,u,0,1,0,b,s\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,g,x,plan,dcip,u,0,1,1,b,\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,h,x,plan,dcip,u,0,1,1,b,s\n"
        "3,Comprehensive Lifecycle Assessment of Sustainability,h,x,plan,dcid,u,0,1,1,b,s\n");
    lm_diag d;
    lm_diag_init(&d);
    lm_sc_table *t = (lm_sc_table *)1;
    assert_int_equal(lm_sc_table_load(p, &t, &d), -1);
    assert_null(t);
    char want[600];
#define AT(line, col, val) snprintf(want, sizeof want, "%s:%d:%s: value \"%s\"", p, line, col, val), expect_msg(&d, want)
    AT(2, "principle_title", "Strategic planning");
    expect_msg(&d, "is not the exact title of UNEP principle 1 (\"Strategic Planning\")");
    AT(3, "principle", "11");
    AT(4, "scope", "team");
    AT(5, "input", "happiness");
    AT(6, "good", "5");
    AT(7, "weight", "0");
    AT(8, "source", "");
    AT(10, "indicator_id", "h");
#undef AT
    assert_int_equal(d.n_errors, 8);
    lm_diag_free(&d);
    /* a valid table that leaves a principle without a plan indicator */
    p = write_tmp("gap.csv", HEADER "1,Strategic Planning,a,x,project,sea_covered,u,0,1,1,b,s\n");
    lm_diag_init(&d);
    assert_int_equal(lm_sc_table_load(p, &t, &d), -1);
    expect_msg(&d, "principle 1 (Strategic Planning) has no plan indicator");
    lm_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled),
        cmocka_unit_test(test_scores),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
