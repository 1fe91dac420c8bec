/* lp.h - the solver-neutral sparse LP/MILP and the builder API model components use.
 *
 * Every row and column belongs to a named family ("power.balance", "grid.flow") with up to
 * LM_LP_MAXDIM indices whose kinds are given as letters (z zone, k technology, y year,
 * m month, h hour, l corridor, s station, r reach, any other letter: plain integer).  Names
 * such as `power.balance[Laos,2030,m3,h14]` are generated on demand from family + indices, so
 * a million-column model costs no string memory, and every MPS row name, error message and
 * infeasibility report names the equation of docs/model.md it belongs to.
 *
 * Register families with lm_lp_add_family; build with lm_lp_add_col / lm_lp_add_row / lm_lp_coef (duplicate coefficients are summed),
 * then lm_lp_finalize() turns the triplets into compressed-column form. */
#ifndef LM_LP_H
#define LM_LP_H

#include <stdint.h>

#define LM_LP_MAXDIM 5
#define LM_INF 1e30 /* bound meaning "none" (CLP's convention) */

typedef struct lm_lp_family {
    char component[16]; /* "power", "grid", "storage", "carbon", "hydro", ... */
    char name[40];      /* "balance", "gen", ... */
    char dims[LM_LP_MAXDIM + 1]; /* index kinds, e.g. "zymh" */
    int is_row;
    int count;          /* rows/cols in this family */
} lm_lp_family;

/* Cost categories: the objective is kept as a ledger so that its components can be
 * reported exactly from the solution (see lm_lp_add_cost). */
enum lm_cost_category {
    LM_COST_VAR_OM = 0, LM_COST_FUEL, LM_COST_LINE_VAR, LM_COST_IMPORT, LM_COST_UNSERVED,
    LM_COST_FIX_TECH, LM_COST_FIX_LINE, LM_COST_INV_TECH, LM_COST_INV_LINE, LM_COST_INV_HYDRO,
    LM_COST_N
};
extern const char *const lm_cost_category_name[LM_COST_N];

typedef struct lm_cost_entry {
    int32_t col;
    int8_t category, zone, year, pad; /* zone/year -1 when not attributable */
    double value;                     /* objective coefficient contribution */
} lm_cost_entry;

typedef struct lm_lp {
    int ncols, nrows, cap_cols, cap_rows;
    double *col_lb, *col_ub, *col_cost;
    uint8_t *col_int;
    uint16_t *col_fam;
    int32_t *col_idx; /* ncols * LM_LP_MAXDIM */
    double *row_lb, *row_ub;
    uint16_t *row_fam;
    int32_t *row_idx;

    /* triplets (during build) */
    long nnz, cap_nnz;
    int32_t *t_row, *t_col;
    double *t_val;

    /* compressed column form (after lm_lp_finalize) */
    int finalized;
    long *start;   /* ncols + 1 */
    int32_t *index;
    double *value;

    double obj_offset;   /* constant added to the objective (objective units) */
    double obj_unit_usd; /* USD per objective unit (1e6: objective in million USD) */

    int n_fam, cap_fam;
    lm_lp_family *fam;

    /* labels for index kinds: labels[letter - 'a'] has n_labels entries (not owned) */
    const char *const *labels[26];
    int n_labels[26];

    int n_cost, cap_cost;
    lm_cost_entry *cost;
} lm_lp;

lm_lp *lm_lp_new(double obj_unit_usd);
void lm_lp_free(lm_lp *lp);

/* Register a family; returns its id.  dims: one letter per index. */
int lm_lp_add_family(lm_lp *lp, const char *component, const char *name, const char *dims, int is_row);
/* Labels used when printing indices of kind `letter` (array is not copied). */
void lm_lp_set_labels(lm_lp *lp, char letter, const char *const *labels, int n);

/* idx may be NULL for a family without indices; it must have as many entries as dims. */
int lm_lp_add_col(lm_lp *lp, int fam, const int *idx, double lb, double ub, double cost);
int lm_lp_add_row(lm_lp *lp, int fam, const int *idx, double lb, double ub);
void lm_lp_coef(lm_lp *lp, int row, int col, double value);
void lm_lp_set_integer(lm_lp *lp, int col);
/* Add `value` to the objective coefficient of `col` and record it in the cost ledger. */
void lm_lp_add_cost(lm_lp *lp, int col, int category, int zone, int year, double value);

void lm_lp_finalize(lm_lp *lp);

/* "component.name[label,...]" into buf. */
void lm_lp_col_name(const lm_lp *lp, int col, char *buf, int n);
void lm_lp_row_name(const lm_lp *lp, int row, char *buf, int n);
/* Index `i` (0-based) of row/col; -1 if the family has fewer dims. */
int lm_lp_row_index(const lm_lp *lp, int row, int i);
int lm_lp_col_index(const lm_lp *lp, int col, int i);

/* Row activities A x for a given x (length nrows, caller allocated). */
void lm_lp_row_activity(const lm_lp *lp, const double *x, double *act);
/* Objective c'x + offset, in objective units. */
double lm_lp_objective(const lm_lp *lp, const double *x);

#endif
