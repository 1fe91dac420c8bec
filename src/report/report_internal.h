/* report_internal.h - what the report's files share: the inputs gathered for one run
 * (report_inputs.c), the axes and sums derived from the result tables (report_tables.c), and
 * the section writers (report_summary.c, report_power.c, report_hydro.c, report_map.c,
 * report_costs.c) that turn them into HTML tables and the JSON the page's charts read.  Not
 * part of the library's public API. */
#ifndef LM_REPORT_INTERNAL_H
#define LM_REPORT_INTERNAL_H

#include <stdint.h>

#include "core/diag.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "report/html.h"
#include "report/json.h"
#include "report/report.h"
#include "store/results.h"

/* The run's row of table `runs`. */
typedef struct lm_report_run {
    int64_t id;
    char *started_at, *finished_at, *status;
    char *plan_name, *plan_path, *plan_hash;
    char *dataset_name, *dataset_hash;
    char *program_version, *solver, *method, *message, *host;
    double objective_musd;              /* NaN if NULL */
    double load_s, build_s, solve_s, write_s;
    long long n_rows, n_cols, n_nonzeros; /* -1 if NULL */
} lm_report_run;

/* An ordered set of names (zones, technologies, years as text); strings are borrowed. */
typedef struct lm_axis {
    int n, cap;
    const char **names;
} lm_axis;

enum lm_dam_status {
    LM_DAM_EXISTING = 0,     /* in service in the dataset's first year */
    LM_DAM_BUILT = 1,        /* candidate the run built (r_dams) */
    LM_DAM_NOT_BUILT = 2,    /* candidate the run did not build (r_dams) */
    LM_DAM_NOT_MODELLED = 3, /* planned, not a decision of this run (absent from r_dams) */
    LM_DAM_PLANNED = 4,      /* planned (no r_dams table: commissioning year after the base) */
    LM_DAM_N
};
extern const char *const lm_dam_status_key[LM_DAM_N];   /* "existing", "built", ... */
extern const char *const lm_dam_status_label[LM_DAM_N]; /* for legends and tables */

typedef struct lm_report_dam {
    const lm_station *st;
    const char *zone, *river; /* river from dams_extra.csv, or NULL */
    int status;               /* enum lm_dam_status */
    double built;             /* r_dams.built (1 built, 0 not, in between: relaxed), or NaN */
    int first_year;           /* r_dams.first_year: first modelled year in service, or 0 */
    int decided;              /* 1: the model decided (r_dams.state 3), 0: the plan did, -1: ? */
    double energy_twh;        /* r_dams.energy_twh_last_year, or NaN */
} lm_report_dam;

typedef struct lm_report_ctx {
    const char *store_path;
    lm_report_run run;
    lm_results *res;           /* the run's tables and scalars (empty if none stored) */
    lm_plan *plan;             /* NULL if the plan file cannot be read */
    lm_dataset *ds;            /* NULL if the dataset cannot be read */
    char *dataset_path;        /* the dataset looked for, or NULL */
    lm_csv sources, ndc, dams_extra;
    int has_sources, has_ndc, has_dams_extra;

    lm_axis zones, techs, years; /* from the result tables, in the model's order */
    int n_dams;
    lm_report_dam *dams;

    int n_notes, cap_notes;
    char **notes;              /* page-level notes (missing or mismatched inputs) */
    int n_charts;              /* charts declared in the page */
    lm_diag *d;
} lm_report_ctx;

/* report_inputs.c */
int lm_report_gather(lm_report_ctx *c, const char *store_path, int64_t run_id,
                     const lm_report_options *opt, lm_diag *d);
void lm_report_ctx_free(lm_report_ctx *c);
void lm_report_note(lm_report_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* report_tables.c: axes and sums over result tables */
int lm_axis_find(const lm_axis *a, const char *name);
int lm_axis_add(lm_axis *a, const char *name); /* index, adding it if new */
void lm_axis_free(lm_axis *a);
void lm_axis_sort_numeric(lm_axis *a);
/* Column index of a key (0..n_keys-1) or value (n_keys..) by name, -1 if absent. */
int lm_rt_col(const lm_result_table *t, const char *name);
/* Value column `val` of row i (NaN-safe accessor by column index from lm_rt_col). */
const char *lm_rt_key(const lm_result_table *t, int row, int col);
double lm_rt_val(const lm_result_table *t, int row, int col);
/* Sums of value `val` into out[(a * B->n + b) * C->n + c] over the rows of t, with the key
 * columns ka, kb, kc looked up in axes A, B, C (kc may be NULL: then C is ignored and out is
 * A->n x B->n).  Rows whose key is not on an axis are skipped; NaN values count as 0.  out is
 * allocated (zeroed) and owned by the caller; NULL if a column is missing. */
double *lm_rt_sum(const lm_result_table *t, const char *val, const char *ka, const lm_axis *A,
                  const char *kb, const lm_axis *B, const char *kc, const lm_axis *C);
/* A table cell number with a precision suited to its size. */
void lm_html_auto(lm_rbuf *b, double v);

/* report_tables.c: HTML and JSON building blocks */
void lm_rep_section_open(lm_rbuf *h, const char *id, const char *title);
void lm_rep_section_close(lm_rbuf *h);
void lm_rep_para(lm_rbuf *h, const char *text);
/* A collapsed table: <details><summary>summary</summary>...<table>, closed by _close. */
void lm_rep_details_open(lm_rbuf *h, const char *summary);
void lm_rep_details_close(lm_rbuf *h);
void lm_rep_th(lm_rbuf *h, const char *s);
void lm_rep_td(lm_rbuf *h, const char *s);
/* A number cell; decimals < 0 = a precision suited to the size (lm_html_auto). */
void lm_rep_td_num(lm_rbuf *h, double v, int decimals);
/* <thead> with up to two label columns (NULL = none) and one column per year, then <tbody>. */
void lm_rep_head_years(lm_rbuf *h, const char *a, const char *b, const lm_axis *years);
/* Rows zone x year of m[z * Y->n + y], and a total row if total_label is not NULL. */
void lm_rep_table_zy(lm_rbuf *h, const lm_axis *Z, const lm_axis *Y, const double *m, int dec,
                     const char *total_label);
/* Any result table as stored (keys and values), collapsed, up to a row limit. */
void lm_rep_generic_table(lm_rbuf *h, const lm_result_table *t, const char *title);
/* JSON: an array over A of arrays over B of cube[a * nb + b] x scale. */
void lm_rep_json_matrix(lm_json *j, const double *cube, int na, int nb, double scale);
/* Is the technology hydropower (type hydro in the dataset; by name without a dataset)? */
int lm_rep_is_hydro_tech(const lm_report_ctx *c, const char *tech);
/* A chart placeholder: <figure><canvas data-chart="id"></canvas></figure>; counts the chart. */
void lm_report_chart(lm_report_ctx *c, lm_rbuf *h, const char *id, const char *title);
/* "<p class="nodata">...</p>" */
void lm_report_nodata(lm_rbuf *h, const char *what);

/* the sections, in page order */
void lm_report_section_header(lm_report_ctx *c, lm_rbuf *h);             /* report_summary.c */
void lm_report_section_capacity(lm_report_ctx *c, lm_rbuf *h, lm_json *j);   /* report_power.c */
void lm_report_section_generation(lm_report_ctx *c, lm_rbuf *h, lm_json *j); /* report_power.c */
void lm_report_section_emissions(lm_report_ctx *c, lm_rbuf *h, lm_json *j);  /* report_power.c */
void lm_report_section_flows(lm_report_ctx *c, lm_rbuf *h, lm_json *j);      /* report_power.c */
void lm_report_section_hydro(lm_report_ctx *c, lm_rbuf *h, lm_json *j);      /* report_hydro.c */
void lm_report_section_map(lm_report_ctx *c, lm_rbuf *h, lm_json *j);        /* report_map.c */
void lm_report_section_costs(lm_report_ctx *c, lm_rbuf *h, lm_json *j);      /* report_costs.c */
void lm_report_section_assessment(lm_report_ctx *c, lm_rbuf *h);         /* report_assess.c */
void lm_report_section_sources(lm_report_ctx *c, lm_rbuf *h);            /* report_summary.c */

#endif
