/* lp.c - the solver-neutral sparse model and its builder (see lp.h).
 *
 * Rows and columns are appended with their family and indices; coefficients are collected
 * as triplets and turned into compressed-column form once, by counting sort, in
 * lm_lp_finalize().  Duplicate (row, col) coefficients are summed there, so components may
 * add a term twice (e.g. a flow that enters and leaves the same balance). */
#include "solver/lp.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lm_cost_category_name[LM_COST_N] = {
    "var_om", "fuel", "line_var", "import", "unserved",
    "fixed_tech", "fixed_line", "inv_tech", "inv_line", "inv_hydro"};

lm_lp *lm_lp_new(double obj_unit_usd)
{
    lm_lp *lp = lm_xcalloc(1, sizeof *lp);
    lp->obj_unit_usd = obj_unit_usd > 0 ? obj_unit_usd : 1.0;
    return lp;
}

void lm_lp_free(lm_lp *lp)
{
    if (!lp) return;
    free(lp->col_lb); free(lp->col_ub); free(lp->col_cost); free(lp->col_int);
    free(lp->col_fam); free(lp->col_idx);
    free(lp->row_lb); free(lp->row_ub); free(lp->row_fam); free(lp->row_idx);
    free(lp->t_row); free(lp->t_col); free(lp->t_val);
    free(lp->start); free(lp->index); free(lp->value);
    free(lp->fam); free(lp->cost);
    free(lp);
}

int lm_lp_add_family(lm_lp *lp, const char *component, const char *name, const char *dims, int is_row)
{
    lm_grow(&lp->fam, &lp->cap_fam, lp->n_fam + 1, sizeof *lp->fam);
    lm_lp_family *f = &lp->fam[lp->n_fam];
    memset(f, 0, sizeof *f);
    snprintf(f->component, sizeof f->component, "%s", component);
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->dims, sizeof f->dims, "%s", dims ? dims : "");
    f->is_row = is_row;
    return lp->n_fam++;
}

void lm_lp_set_labels(lm_lp *lp, char letter, const char *const *labels, int n)
{
    if (letter < 'a' || letter > 'z') return;
    lp->labels[letter - 'a'] = labels;
    lp->n_labels[letter - 'a'] = n;
}

static void copy_idx(int32_t *dst, const lm_lp_family *f, const int *idx)
{
    int nd = (int)strlen(f->dims);
    for (int i = 0; i < LM_LP_MAXDIM; i++) dst[i] = (idx && i < nd) ? idx[i] : -1;
}

int lm_lp_add_col(lm_lp *lp, int fam, const int *idx, double lb, double ub, double cost)
{
    if (lp->ncols == lp->cap_cols) {
        int c = lp->cap_cols ? lp->cap_cols * 2 : 1024;
        lp->col_lb = lm_xrealloc(lp->col_lb, (size_t)c * sizeof(double));
        lp->col_ub = lm_xrealloc(lp->col_ub, (size_t)c * sizeof(double));
        lp->col_cost = lm_xrealloc(lp->col_cost, (size_t)c * sizeof(double));
        lp->col_int = lm_xrealloc(lp->col_int, (size_t)c);
        lp->col_fam = lm_xrealloc(lp->col_fam, (size_t)c * sizeof(uint16_t));
        lp->col_idx = lm_xrealloc(lp->col_idx, (size_t)c * LM_LP_MAXDIM * sizeof(int32_t));
        lp->cap_cols = c;
    }
    int j = lp->ncols++;
    lp->col_lb[j] = lb;
    lp->col_ub[j] = ub;
    lp->col_cost[j] = cost;
    lp->col_int[j] = 0;
    lp->col_fam[j] = (uint16_t)fam;
    copy_idx(&lp->col_idx[(size_t)j * LM_LP_MAXDIM], &lp->fam[fam], idx);
    lp->fam[fam].count++;
    return j;
}

int lm_lp_add_row(lm_lp *lp, int fam, const int *idx, double lb, double ub)
{
    if (lp->nrows == lp->cap_rows) {
        int c = lp->cap_rows ? lp->cap_rows * 2 : 1024;
        lp->row_lb = lm_xrealloc(lp->row_lb, (size_t)c * sizeof(double));
        lp->row_ub = lm_xrealloc(lp->row_ub, (size_t)c * sizeof(double));
        lp->row_fam = lm_xrealloc(lp->row_fam, (size_t)c * sizeof(uint16_t));
        lp->row_idx = lm_xrealloc(lp->row_idx, (size_t)c * LM_LP_MAXDIM * sizeof(int32_t));
        lp->cap_rows = c;
    }
    int i = lp->nrows++;
    lp->row_lb[i] = lb;
    lp->row_ub[i] = ub;
    lp->row_fam[i] = (uint16_t)fam;
    copy_idx(&lp->row_idx[(size_t)i * LM_LP_MAXDIM], &lp->fam[fam], idx);
    lp->fam[fam].count++;
    return i;
}

void lm_lp_coef(lm_lp *lp, int row, int col, double value)
{
    if (value == 0.0) return;
    if (lp->nnz == lp->cap_nnz) {
        long c = lp->cap_nnz ? lp->cap_nnz * 2 : 4096;
        lp->t_row = lm_xrealloc(lp->t_row, (size_t)c * sizeof(int32_t));
        lp->t_col = lm_xrealloc(lp->t_col, (size_t)c * sizeof(int32_t));
        lp->t_val = lm_xrealloc(lp->t_val, (size_t)c * sizeof(double));
        lp->cap_nnz = c;
    }
    lp->t_row[lp->nnz] = row;
    lp->t_col[lp->nnz] = col;
    lp->t_val[lp->nnz] = value;
    lp->nnz++;
}

void lm_lp_set_integer(lm_lp *lp, int col) { lp->col_int[col] = 1; }

void lm_lp_add_cost(lm_lp *lp, int col, int category, int zone, int year, double value)
{
    if (value == 0.0) return;
    lp->col_cost[col] += value;
    lm_grow(&lp->cost, &lp->cap_cost, lp->n_cost + 1, sizeof *lp->cost);
    lm_cost_entry *e = &lp->cost[lp->n_cost++];
    e->col = col;
    e->category = (int8_t)category;
    e->zone = (int8_t)zone;
    e->year = (int8_t)year;
    e->pad = 0;
    e->value = value;
}

void lm_lp_finalize(lm_lp *lp)
{
    if (lp->finalized) return;
    long *start = lm_xcalloc((size_t)lp->ncols + 1, sizeof(long));
    for (long e = 0; e < lp->nnz; e++) start[lp->t_col[e] + 1]++;
    for (int j = 0; j < lp->ncols; j++) start[j + 1] += start[j];
    long *next = lm_xmalloc(((size_t)lp->ncols + 1) * sizeof(long));
    memcpy(next, start, ((size_t)lp->ncols + 1) * sizeof(long));
    int32_t *index = lm_xmalloc((size_t)(lp->nnz ? lp->nnz : 1) * sizeof(int32_t));
    double *value = lm_xmalloc((size_t)(lp->nnz ? lp->nnz : 1) * sizeof(double));
    for (long e = 0; e < lp->nnz; e++) {
        long p = next[lp->t_col[e]]++;
        index[p] = lp->t_row[e];
        value[p] = lp->t_val[e];
    }
    free(next);
    /* Merge duplicates within each column: mark[row] remembers the slot of a row in the
     * current column. */
    int *mark = lm_xmalloc((size_t)(lp->nrows ? lp->nrows : 1) * sizeof(int));
    for (int i = 0; i < lp->nrows; i++) mark[i] = -1;
    long out = 0;
    for (int j = 0; j < lp->ncols; j++) {
        long col_begin = out;
        for (long p = start[j]; p < start[j + 1]; p++) {
            int r = index[p];
            if (mark[r] >= col_begin && mark[r] < out && index[mark[r]] == r) {
                value[mark[r]] += value[p];
            } else {
                mark[r] = (int)out;
                index[out] = r;
                value[out] = value[p];
                out++;
            }
        }
        start[j] = col_begin;
    }
    start[lp->ncols] = out;
    /* drop coefficients that cancelled exactly */
    long w = 0;
    long begin = 0;
    for (int j = 0; j < lp->ncols; j++) {
        long end = start[j + 1];
        long nb = w;
        for (long p = begin; p < end; p++)
            if (value[p] != 0.0) { index[w] = index[p]; value[w] = value[p]; w++; }
        begin = end;
        start[j] = nb;
    }
    start[lp->ncols] = w;
    free(mark);
    free(lp->t_row); free(lp->t_col); free(lp->t_val);
    lp->t_row = lp->t_col = NULL;
    lp->t_val = NULL;
    lp->nnz = w;
    lp->cap_nnz = 0;
    lp->start = start;
    lp->index = index;
    lp->value = value;
    lp->finalized = 1;
}

static void format_name(const lm_lp *lp, int fam, const int32_t *idx, char *buf, int n)
{
    const lm_lp_family *f = &lp->fam[fam];
    int len = snprintf(buf, (size_t)n, "%s.%s", f->component, f->name);
    int nd = (int)strlen(f->dims);
    for (int i = 0; i < nd && len < n; i++) {
        char kind = f->dims[i];
        int v = idx[i];
        const char *sep = i == 0 ? "[" : ",";
        const char *const *labels = (kind >= 'a' && kind <= 'z') ? lp->labels[kind - 'a'] : NULL;
        int nl = (kind >= 'a' && kind <= 'z') ? lp->n_labels[kind - 'a'] : 0;
        if (labels && v >= 0 && v < nl)
            len += snprintf(buf + len, (size_t)(n - len), "%s%s", sep, labels[v]);
        else if (kind == 'm' || kind == 'h')
            len += snprintf(buf + len, (size_t)(n - len), "%s%c%d", sep, kind, v + 1);
        else
            len += snprintf(buf + len, (size_t)(n - len), "%s%d", sep, v);
    }
    if (nd > 0 && len < n) snprintf(buf + len, (size_t)(n - len), "]");
}

void lm_lp_col_name(const lm_lp *lp, int col, char *buf, int n)
{
    format_name(lp, lp->col_fam[col], &lp->col_idx[(size_t)col * LM_LP_MAXDIM], buf, n);
}

void lm_lp_row_name(const lm_lp *lp, int row, char *buf, int n)
{
    format_name(lp, lp->row_fam[row], &lp->row_idx[(size_t)row * LM_LP_MAXDIM], buf, n);
}

int lm_lp_row_index(const lm_lp *lp, int row, int i)
{
    return i < LM_LP_MAXDIM ? lp->row_idx[(size_t)row * LM_LP_MAXDIM + i] : -1;
}

int lm_lp_col_index(const lm_lp *lp, int col, int i)
{
    return i < LM_LP_MAXDIM ? lp->col_idx[(size_t)col * LM_LP_MAXDIM + i] : -1;
}

void lm_lp_row_activity(const lm_lp *lp, const double *x, double *act)
{
    memset(act, 0, (size_t)lp->nrows * sizeof(double));
    for (int j = 0; j < lp->ncols; j++) {
        double xj = x[j];
        if (xj == 0.0) continue;
        for (long p = lp->start[j]; p < lp->start[j + 1]; p++) act[lp->index[p]] += lp->value[p] * xj;
    }
}

double lm_lp_objective(const lm_lp *lp, const double *x)
{
    double s = lp->obj_offset;
    for (int j = 0; j < lp->ncols; j++) s += lp->col_cost[j] * x[j];
    return s;
}
