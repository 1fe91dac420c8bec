/* infeasibility.c - infeasibility explained in the model's own terms
 * (lm_explain_infeasibility, see solve.h and docs/solver.md).
 *
 * The elastic relaxation keeps every column (integrality relaxed, objective cost 0) and gives
 * each row non-negative slacks: s_lo with coefficient +1 if the row has a lower bound, s_hi
 * with -1 if it has an upper bound, so a'x + s_lo - s_hi may reach any value.  It minimises
 * the sum of the slacks, each weighted by 1 / max(1, |bound it relaxes|): a relative
 * violation, so that blame goes to the rows whose data (a demand, a limit) must move least
 * in proportion - and not to the zero-RHS linking rows, which a unit weight would treat the
 * same as a 10,000 MW demand.  Violations are reported in row units.  The relaxation is
 * always feasible when every column has lower <= upper; columns that do not are reported
 * instead.  Rows with slack > 1e-7 are listed, largest first, and summarised by family with
 * the zones and years (index kinds 'z' and 'y') they touch. */
#include "solver/solve.h"
#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIOLATION_TOL 1e-7
#define ROWS_LISTED 20

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        while (b->len + (size_t)n + 1 > b->cap) b->cap = b->cap ? 2 * b->cap : 1024;
        b->s = lm_xrealloc(b->s, b->cap);
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

void lm_infeas_report_free(lm_infeas_report *r)
{
    if (!r) return;
    free(r->items);
    free(r->text);
    memset(r, 0, sizeof *r);
}

static int by_violation(const void *a, const void *b)
{
    const lm_infeas_item *x = a, *y = b;
    if (x->violation != y->violation) return x->violation < y->violation ? 1 : -1;
    return (x->row > y->row) - (x->row < y->row);
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Position of the first index of kind `kind` in family `f`'s dims, or -1. */
static int dim_of(const lm_lp_family *f, char kind)
{
    const char *p = strchr(f->dims, kind);
    return p && kind ? (int)(p - f->dims) : -1;
}

static void print_index(strbuf *b, const lm_lp *lp, char kind, int v)
{
    int k = kind - 'a';
    if (lp->labels[k] && v >= 0 && v < lp->n_labels[k])
        sb_printf(b, "%s", lp->labels[k][v]);
    else
        sb_printf(b, "%d", v);
}

/* Distinct values of `vals` (sorted in place) as "Laos, Thailand". */
static void print_set(strbuf *b, const lm_lp *lp, char kind, int *vals, int n)
{
    qsort(vals, (size_t)n, sizeof *vals, by_int);
    int printed = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && vals[i] == vals[i - 1]) continue;
        if (printed++) sb_printf(b, ", ");
        if (printed > 12) {
            sb_printf(b, "...");
            break;
        }
        print_index(b, lp, kind, vals[i]);
    }
}

/* Summary line per family: "power.balance: 12 rows, total violation 3400 (row units);
 * zones Laos, Thailand; years 2030". */
static void summarise_families(strbuf *b, const lm_lp *lp, const lm_infeas_item *items, int n)
{
    int *fam_rows = lm_xcalloc((size_t)lp->n_fam, sizeof(int));
    double *fam_viol = lm_xcalloc((size_t)lp->n_fam, sizeof(double));
    for (int k = 0; k < n; k++) {
        int f = lp->row_fam[items[k].row];
        fam_rows[f]++;
        fam_viol[f] += items[k].violation;
    }
    int *order = lm_xmalloc((size_t)lp->n_fam * sizeof(int));
    int nf = 0;
    for (int f = 0; f < lp->n_fam; f++)
        if (fam_rows[f]) order[nf++] = f;
    /* families by total violation, largest first (insertion sort: few families) */
    for (int i = 1; i < nf; i++)
        for (int j = i; j > 0 && fam_viol[order[j]] > fam_viol[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int *vals = lm_xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    for (int i = 0; i < nf; i++) {
        int f = order[i];
        const lm_lp_family *fam = &lp->fam[f];
        sb_printf(b, "  %s.%s: %d row%s, total violation %.6g (row units)", fam->component,
                  fam->name, fam_rows[f], fam_rows[f] == 1 ? "" : "s", fam_viol[f]);
        static const struct { char kind; const char *what; } dims[] = {{'z', "zones"},
                                                                        {'y', "years"}};
        for (int k = 0; k < 2; k++) {
            int pos = dim_of(fam, dims[k].kind);
            if (pos < 0) continue;
            int nv = 0;
            for (int t = 0; t < n; t++)
                if (lp->row_fam[items[t].row] == f)
                    vals[nv++] = lm_lp_row_index(lp, items[t].row, pos);
            sb_printf(b, "; %s ", dims[k].what);
            print_set(b, lp, dims[k].kind, vals, nv);
        }
        sb_printf(b, "\n");
    }
    free(vals);
    free(order);
    free(fam_rows);
    free(fam_viol);
}

/* Columns whose bounds cross make even the elastic model infeasible: report them. */
static int report_crossed_columns(const lm_lp *lp, lm_infeas_report *out)
{
    strbuf b = {0};
    int n = 0;
    char name[512];
    for (int j = 0; j < lp->ncols; j++) {
        if (!(lp->col_lb[j] > lp->col_ub[j])) continue;
        if (n++ == 0) sb_printf(&b, "The model is infeasible because some columns have a lower "
                                    "bound above their upper bound:\n");
        if (n <= ROWS_LISTED) {
            lm_lp_col_name(lp, j, name, sizeof name);
            sb_printf(&b, "  %s: lower %.6g > upper %.6g\n", name, lp->col_lb[j], lp->col_ub[j]);
        }
    }
    if (n > ROWS_LISTED) sb_printf(&b, "  ... and %d more columns\n", n - ROWS_LISTED);
    if (n) out->text = b.s;
    return n;
}

/* The elastic relaxation as an lm_lp with the same families, so that its solve goes through
 * the ordinary back end (and honours time limits and interrupts).  slack_row[k] tells what
 * slack column ncols + k relaxes: row + 1 (a'x below the lower bound) or -(row + 1) (a'x
 * above the upper bound). */
static lm_lp *elastic_model(const lm_lp *lp, int **slack_row)
{
    lm_lp *e = lm_lp_new(lp->obj_unit_usd);
    for (int f = 0; f < lp->n_fam; f++)
        lm_lp_add_family(e, lp->fam[f].component, lp->fam[f].name, lp->fam[f].dims,
                         lp->fam[f].is_row);
    int fam_lo = lm_lp_add_family(e, "elastic", "below_lower", "", 0);
    int fam_hi = lm_lp_add_family(e, "elastic", "above_upper", "", 0);
    int idx[LM_LP_MAXDIM];
    for (int j = 0; j < lp->ncols; j++) {
        for (int k = 0; k < LM_LP_MAXDIM; k++) idx[k] = lm_lp_col_index(lp, j, k);
        lm_lp_add_col(e, lp->col_fam[j], idx, lp->col_lb[j], lp->col_ub[j], 0.0);
    }
    for (int i = 0; i < lp->nrows; i++) {
        for (int k = 0; k < LM_LP_MAXDIM; k++) idx[k] = lm_lp_row_index(lp, i, k);
        lm_lp_add_row(e, lp->row_fam[i], idx, lp->row_lb[i], lp->row_ub[i]);
    }
    for (int j = 0; j < lp->ncols; j++)
        for (long p = lp->start[j]; p < lp->start[j + 1]; p++)
            lm_lp_coef(e, lp->index[p], j, lp->value[p]);
    int cap = 2 * lp->nrows + 1, n = 0;
    *slack_row = lm_xmalloc((size_t)cap * sizeof(int));
    for (int i = 0; i < lp->nrows; i++) {
        double lb = lp->row_lb[i], ub = lp->row_ub[i];
        if (lb > -LM_INF) {
            int c = lm_lp_add_col(e, fam_lo, NULL, 0, LM_INF, 1.0 / fmax(1.0, fabs(lb)));
            lm_lp_coef(e, i, c, 1.0);
            (*slack_row)[n++] = i + 1; /* +row+1: below the lower bound */
        }
        if (ub < LM_INF) {
            int c = lm_lp_add_col(e, fam_hi, NULL, 0, LM_INF, 1.0 / fmax(1.0, fabs(ub)));
            lm_lp_coef(e, i, c, -1.0);
            (*slack_row)[n++] = -(i + 1); /* -(row+1): above the upper bound */
        }
    }
    for (int k = 0; k < 26; k++)
        lm_lp_set_labels(e, (char)('a' + k), lp->labels[k], lp->n_labels[k]);
    lm_lp_finalize(e);
    return e;
}

int lm_explain_infeasibility(const lm_lp *lp, const lm_solve_opts *o, lm_infeas_report *out,
                             lm_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!lp || !lp->finalized) {
        lm_diag_error(d, "infeasibility analysis: the model must be finalized first");
        return -1;
    }
    if (report_crossed_columns(lp, out) > 0) return 0;

    int *slack_row;
    lm_lp *e = elastic_model(lp, &slack_row);
    lm_solve_opts eo;
    if (o)
        eo = *o;
    else
        lm_solve_opts_default(&eo);
    eo.backend = "clp"; /* integrality is relaxed: the elastic model is an LP */
    if (eo.method && !strcmp(eo.method, "barrier")) eo.method = "dual";
    lm_solution sol;
    int rc = lm_solve(e, &eo, &sol, d);
    if (rc != 0 || sol.status != LM_STATUS_OPTIMAL) {
        if (rc == 0)
            lm_diag_error(d, "infeasibility analysis: the elastic relaxation was not solved to "
                          "optimality (status %s)", lm_status_name(sol.status));
        lm_solution_free(&sol);
        lm_lp_free(e);
        free(slack_row);
        return -1;
    }

    /* signed: > 0 when a'x falls short of the lower bound, < 0 when it exceeds the upper */
    double *viol = lm_xcalloc((size_t)(lp->nrows > 0 ? lp->nrows : 1), sizeof(double));
    for (int c = lp->ncols; c < e->ncols; c++) {
        int r = slack_row[c - lp->ncols];
        if (r > 0)
            viol[r - 1] += sol.x[c];
        else
            viol[-r - 1] -= sol.x[c];
    }
    lm_solution_free(&sol);
    lm_lp_free(e);
    free(slack_row);

    int n = 0;
    for (int i = 0; i < lp->nrows; i++) n += fabs(viol[i]) > VIOLATION_TOL;
    out->items = lm_xmalloc((size_t)(n > 0 ? n : 1) * sizeof *out->items);
    for (int i = 0; i < lp->nrows; i++)
        if (fabs(viol[i]) > VIOLATION_TOL) {
            out->items[out->n_items].row = i;
            out->items[out->n_items].violation = fabs(viol[i]);
            out->n_items++;
            out->total_violation += fabs(viol[i]);
        }
    qsort(out->items, (size_t)out->n_items, sizeof *out->items, by_violation);

    strbuf b = {0};
    int n_int = 0;
    for (int j = 0; j < lp->ncols; j++) n_int += lp->col_int[j] != 0;
    if (out->n_items == 0) {
        sb_printf(&b, "No row needs to give way: the %s is feasible.%s\n",
                  n_int ? "LP relaxation" : "model",
                  n_int ? " The infeasibility comes from integrality (or from the MILP search "
                          "stopping early)." : "");
        out->text = b.s;
        free(viol);
        return 0;
    }
    sb_printf(&b, "%d row%s must give way, total violation %.6g (row units; the relaxation "
                  "minimises each violation relative to max(1, |bound|)):\n", out->n_items,
              out->n_items == 1 ? "" : "s", out->total_violation);
    summarise_families(&b, lp, out->items, out->n_items);
    sb_printf(&b, "%s:\n", out->n_items > ROWS_LISTED ? "The rows with the largest violations"
                                                       : "Rows");
    char name[512];
    for (int k = 0; k < out->n_items && k < ROWS_LISTED; k++) {
        int i = out->items[k].row;
        lm_lp_row_name(lp, i, name, sizeof name);
        if (viol[i] > 0)
            sb_printf(&b, "  %s  short of its lower bound %.6g by %.6g\n", name, lp->row_lb[i],
                      viol[i]);
        else
            sb_printf(&b, "  %s  over its upper bound %.6g by %.6g\n", name, lp->row_ub[i],
                      -viol[i]);
    }
    if (out->n_items > ROWS_LISTED)
        sb_printf(&b, "  ... and %d more rows\n", out->n_items - ROWS_LISTED);
    out->text = b.s;
    free(viol);
    return 0;
}
