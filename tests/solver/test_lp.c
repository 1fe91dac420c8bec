/* test_lp.c - the solver-neutral model builder (src/solver/lp.c): compressed columns from
 * triplets, duplicate coefficients summed, exact cancellations dropped, names generated from
 * families, indices and labels, row activities, the objective with its offset and the cost
 * ledger. */
#include "../test_util.h"

#include "solver/lp.h"

#include <string.h>

/* Column j's entries as a dense vector of length nrows. */
static void dense_col(const lm_lp *lp, int j, double *out)
{
    for (int i = 0; i < lp->nrows; i++) out[i] = 0;
    for (long p = lp->start[j]; p < lp->start[j + 1]; p++) out[lp->index[p]] += lp->value[p];
}

static void test_csc_from_triplets(void **state)
{
    (void)state;
    lm_lp *lp = lm_lp_new(1e6);
    int fc = lm_lp_add_family(lp, "t", "x", "", 0);
    int fr = lm_lp_add_family(lp, "t", "r", "", 1);
    for (int j = 0; j < 3; j++) lm_lp_add_col(lp, fc, NULL, 0, LM_INF, 0);
    for (int i = 0; i < 3; i++) lm_lp_add_row(lp, fr, NULL, -LM_INF, 1);
    /* A = [1 0 2; 0 3 0; 4 0 5], added in scrambled order */
    lm_lp_coef(lp, 2, 2, 5);
    lm_lp_coef(lp, 0, 0, 1);
    lm_lp_coef(lp, 1, 1, 3);
    lm_lp_coef(lp, 0, 2, 2);
    lm_lp_coef(lp, 2, 0, 4);
    lm_lp_coef(lp, 1, 2, 0.0); /* an explicit zero is not stored */
    lm_lp_finalize(lp);
    assert_true(lp->finalized);
    assert_int_equal(lp->nnz, 5);
    assert_int_equal(lp->start[0], 0);
    assert_int_equal(lp->start[1], 2);
    assert_int_equal(lp->start[2], 3);
    assert_int_equal(lp->start[3], 5);
    double col[3];
    dense_col(lp, 0, col);
    assert_rel(col[0], 1, 0);
    assert_rel(col[1], 0, 0);
    assert_rel(col[2], 4, 0);
    dense_col(lp, 1, col);
    assert_rel(col[1], 3, 0);
    dense_col(lp, 2, col);
    assert_rel(col[0], 2, 0);
    assert_rel(col[1], 0, 0);
    assert_rel(col[2], 5, 0);
    /* within a column every row appears at most once */
    for (int j = 0; j < 3; j++)
        for (long p = lp->start[j]; p < lp->start[j + 1]; p++)
            for (long q = p + 1; q < lp->start[j + 1]; q++)
                assert_int_not_equal(lp->index[p], lp->index[q]);
    lm_lp_finalize(lp); /* idempotent */
    assert_int_equal(lp->nnz, 5);
    lm_lp_free(lp);
}

static void test_duplicates_summed_and_cancellations_dropped(void **state)
{
    (void)state;
    lm_lp *lp = lm_lp_new(1);
    int fc = lm_lp_add_family(lp, "grid", "flow", "l", 0);
    int fr = lm_lp_add_family(lp, "power", "balance", "z", 1);
    int idx[1];
    for (int l = 0; l < 2; l++) {
        idx[0] = l;
        lm_lp_add_col(lp, fc, idx, -LM_INF, LM_INF, 0);
    }
    for (int z = 0; z < 3; z++) {
        idx[0] = z;
        lm_lp_add_row(lp, fr, idx, 0, 0);
    }
    /* flow 0 from zone 0 to zone 1 with 2% loss: -1 in zone 0, +0.98 in zone 1 */
    lm_lp_coef(lp, 0, 0, -1);
    lm_lp_coef(lp, 1, 0, 0.5);
    lm_lp_coef(lp, 1, 0, 0.48);
    /* flow 1 enters and leaves zone 2 (a self loop): cancels exactly */
    lm_lp_coef(lp, 2, 1, 1);
    lm_lp_coef(lp, 2, 1, -1);
    lm_lp_coef(lp, 1, 1, 0.25);
    lm_lp_coef(lp, 1, 1, 0.25);
    lm_lp_coef(lp, 1, 1, 0.25);
    lm_lp_finalize(lp);
    assert_int_equal(lp->nnz, 3);
    double col[3];
    dense_col(lp, 0, col);
    assert_rel(col[0], -1, 1e-15);
    assert_rel(col[1], 0.98, 1e-15);
    assert_rel(col[2], 0, 0);
    assert_int_equal(lp->start[1] - lp->start[0], 2);
    dense_col(lp, 1, col);
    assert_rel(col[1], 0.75, 1e-15);
    assert_rel(col[2], 0, 0);
    assert_int_equal(lp->start[2] - lp->start[1], 1); /* the cancelled entry is gone */
    assert_int_equal(lp->index[lp->start[1]], 1);
    lm_lp_free(lp);
}

static void test_empty_model_and_empty_columns(void **state)
{
    (void)state;
    lm_lp *lp = lm_lp_new(1);
    lm_lp_finalize(lp);
    assert_int_equal(lp->nnz, 0);
    assert_int_equal(lp->start[0], 0);
    lm_lp_free(lp);

    lp = lm_lp_new(1);
    int f = lm_lp_add_family(lp, "t", "x", "", 0);
    int r = lm_lp_add_family(lp, "t", "r", "", 1);
    lm_lp_add_col(lp, f, NULL, 0, 1, 1);
    lm_lp_add_col(lp, f, NULL, 0, 1, 1);
    lm_lp_add_row(lp, r, NULL, 0, 1);
    lm_lp_coef(lp, 0, 1, 7);
    lm_lp_finalize(lp);
    assert_int_equal(lp->start[0], 0);
    assert_int_equal(lp->start[1], 0);
    assert_int_equal(lp->start[2], 1);
    lm_lp_free(lp);
}

static void test_many_columns_grow(void **state)
{
    (void)state;
    /* past the initial capacities (1024 columns / rows, 4096 triplets) */
    lm_lp *lp = lm_lp_new(1);
    int f = lm_lp_add_family(lp, "t", "x", "i", 0);
    int r = lm_lp_add_family(lp, "t", "r", "i", 1);
    const int n = 5000;
    for (int k = 0; k < n; k++) {
        lm_lp_add_col(lp, f, &k, 0, LM_INF, 1);
        lm_lp_add_row(lp, r, &k, 1, LM_INF);
    }
    for (int k = 0; k < n; k++) {
        lm_lp_coef(lp, k, k, 1);
        lm_lp_coef(lp, (k + 1) % n, k, 0.5);
    }
    lm_lp_finalize(lp);
    assert_int_equal(lp->nnz, 2 * n);
    assert_int_equal(lp->fam[f].count, n);
    assert_int_equal(lp->fam[r].count, n);
    double *x = malloc(n * sizeof(double)), *act = malloc(n * sizeof(double));
    for (int k = 0; k < n; k++) x[k] = k;
    lm_lp_row_activity(lp, x, act);
    for (int k = 1; k < n; k++) assert_rel(act[k], k + 0.5 * (k - 1), 1e-15);
    assert_rel(act[0], 0.5 * (n - 1), 1e-15);
    free(x);
    free(act);
    lm_lp_free(lp);
}

static void test_names_with_labels(void **state)
{
    (void)state;
    static const char *const zones[] = {"Laos", "Thailand"};
    static const char *const years[] = {"2030", "2035"};
    static const char *const techs[] = {"hydro", "coal"};
    lm_lp *lp = lm_lp_new(1e6);
    int bal = lm_lp_add_family(lp, "power", "balance", "zymh", 1);
    int gen = lm_lp_add_family(lp, "power", "gen", "zkyq", 0); /* q: a plain integer */
    int tot = lm_lp_add_family(lp, "carbon", "total", "", 1);
    lm_lp_set_labels(lp, 'z', zones, 2);
    lm_lp_set_labels(lp, 'y', years, 2);
    lm_lp_set_labels(lp, 'k', techs, 2);
    int r0 = lm_lp_add_row(lp, bal, (int[]){1, 0, 2, 13}, 0, 0);
    int c0 = lm_lp_add_col(lp, gen, (int[]){0, 1, 1, 7}, 0, LM_INF, 0);
    int c1 = lm_lp_add_col(lp, gen, (int[]){5, 0, 1, 0}, 0, LM_INF, 0); /* zone out of range */
    int r1 = lm_lp_add_row(lp, tot, NULL, -LM_INF, 10);
    lm_lp_finalize(lp);
    char buf[128];
    lm_lp_row_name(lp, r0, buf, sizeof buf);
    assert_string_equal(buf, "power.balance[Thailand,2030,m3,h14]");
    lm_lp_col_name(lp, c0, buf, sizeof buf);
    assert_string_equal(buf, "power.gen[Laos,coal,2035,7]");
    lm_lp_col_name(lp, c1, buf, sizeof buf);
    assert_string_equal(buf, "power.gen[5,hydro,2035,0]");
    lm_lp_row_name(lp, r1, buf, sizeof buf);
    assert_string_equal(buf, "carbon.total");
    /* a short buffer truncates without overflowing */
    char small[10];
    lm_lp_row_name(lp, r0, small, sizeof small);
    assert_int_equal(strlen(small), 9);
    assert_int_equal(lm_lp_row_index(lp, r0, 0), 1);
    assert_int_equal(lm_lp_row_index(lp, r0, 3), 13);
    assert_int_equal(lm_lp_row_index(lp, r0, 4), -1);
    assert_int_equal(lm_lp_row_index(lp, r1, 0), -1);
    assert_int_equal(lm_lp_col_index(lp, c0, 2), 1);
    lm_lp_free(lp);
}

static void test_row_activity_objective_and_ledger(void **state)
{
    (void)state;
    lm_lp *lp = lm_lp_new(1e6);
    int f = lm_lp_add_family(lp, "t", "x", "", 0);
    int r = lm_lp_add_family(lp, "t", "r", "", 1);
    for (int j = 0; j < 3; j++) lm_lp_add_col(lp, f, NULL, 0, LM_INF, 0);
    for (int i = 0; i < 2; i++) lm_lp_add_row(lp, r, NULL, -LM_INF, LM_INF);
    lm_lp_coef(lp, 0, 0, 2);
    lm_lp_coef(lp, 0, 2, -1);
    lm_lp_coef(lp, 1, 1, 4);
    lm_lp_coef(lp, 1, 2, 3);
    lm_lp_add_cost(lp, 0, LM_COST_FUEL, 0, 1, 1.5);
    lm_lp_add_cost(lp, 0, LM_COST_VAR_OM, 0, 1, 0.5);
    lm_lp_add_cost(lp, 2, LM_COST_INV_TECH, -1, 0, 10);
    lm_lp_add_cost(lp, 1, LM_COST_FUEL, 0, 0, 0.0); /* zero: not recorded */
    lp->obj_offset = 100;
    lm_lp_finalize(lp);
    double x[3] = {1, 2, 3}, act[2];
    lm_lp_row_activity(lp, x, act);
    assert_rel(act[0], 2 * 1 - 3, 1e-15);
    assert_rel(act[1], 4 * 2 + 3 * 3, 1e-15);
    assert_rel(lp->col_cost[0], 2, 1e-15);
    assert_rel(lm_lp_objective(lp, x), 100 + 2 * 1 + 10 * 3, 1e-15);
    assert_int_equal(lp->n_cost, 3);
    assert_int_equal(lp->cost[2].category, LM_COST_INV_TECH);
    assert_int_equal(lp->cost[2].zone, -1);
    assert_string_equal(lm_cost_category_name[LM_COST_INV_HYDRO], "inv_hydro");
    lm_lp_set_integer(lp, 1);
    assert_true(lp->col_int[1]);
    assert_false(lp->col_int[0]);
    lm_lp_free(lp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csc_from_triplets),
        cmocka_unit_test(test_duplicates_summed_and_cancellations_dropped),
        cmocka_unit_test(test_empty_model_and_empty_columns),
        cmocka_unit_test(test_many_columns_grow),
        cmocka_unit_test(test_names_with_labels),
        cmocka_unit_test(test_row_activity_objective_and_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
