/* carbon_plan.h - the basin carbon plan: power-sector CO2 caps per zone and year derived from
 * the national targets (dataset table ndc_targets) and a baseline path of modelled emissions,
 * written as a plan; and the carbon report of a run of such a plan.
 *
 * The method is in docs/carbon-plan.md (with its formulas and assumptions).  In short: the
 * baseline path B_z(y) is the least-cost run without caps; each convertible target gives a
 * level L at its target year (BAU: (1 - f r) B_z(Y); base-year: (1 - f r) E_z(base year);
 * peak: B_z(Y)); the cap is the piecewise-linear path through (first modelled year,
 * B_z(y0)), the target levels, and (neutrality year, residual share x last level), held after
 * the last point, evaluated at the modelled years.
 *
 * Nothing here prints: messages go to an lm_diag, tables are returned as structs and files. */
#ifndef LM_CARBON_PLAN_H
#define LM_CARBON_PLAN_H

#include "core/diag.h"
#include "data/dataset.h"
#include "data/plan.h"

#define LM_CP_MAX_ZONE_FACTORS 64

typedef struct lm_cp_options {
    int conditional;         /* 0: unconditional targets (default); 1: conditional targets,
                                and the unconditional ones where a country has no conditional
                                target */
    double sector_factor;    /* power-sector reduction = factor x NDC percentage, at most 100 %
                                (default 1: the economy-wide percentage applies as is) */
    int n_zone_factors;      /* per-zone overrides of sector_factor */
    const char *factor_zone[LM_CP_MAX_ZONE_FACTORS];
    double factor_value[LM_CP_MAX_ZONE_FACTORS];
    double residual_share;   /* cap in the neutrality year = share x last target level; [0, 1],
                                default 0 */
    int peak_plateau_years;  /* a peak target's level is held this many years before the path
                                turns down (default 0) */
} lm_cp_options;

void lm_cp_options_default(lm_cp_options *o);

/* The baseline path: modelled power-sector emissions per dataset zone and modelled year, and
 * where they come from (a run in a result store, or set by hand in tests). */
typedef struct lm_cp_baseline {
    int n_years;
    int *years;              /* ascending */
    int n_zones;             /* = the dataset's zones, in its order */
    double *emissions_mt;    /* [z * n_years + i], Mt CO2/yr; NaN where the run has none */
    /* provenance (NULL / 0 when not from a store) */
    long long run_id;
    char *store_path, *plan_name, *plan_path, *plan_hash, *dataset_name, *dataset_hash;
    char *finished_at;
    double objective_musd;
    int capped;              /* 1 if the run had a finite carbon cap (not a no-cap baseline) */
} lm_cp_baseline;

/* Read the baseline path from run `run_id` of the store at `store_path`, or when run_id is 0,
 * from the latest optimal run of the plan named `plan_name`.  The run must be optimal; zones
 * the dataset does not have are ignored with a warning.  Warns when the run was made with
 * other dataset content than `ds`, or had carbon caps.  Returns 0 or -1 (errors in d). */
int lm_cp_baseline_from_store(const char *store_path, long long run_id, const char *plan_name,
                              const lm_dataset *ds, lm_cp_baseline *out, lm_diag *d);
void lm_cp_baseline_free(lm_cp_baseline *b);

/* The derived carbon plan. */
typedef struct lm_carbon_plan {
    int n_zones, n_years;
    char **zones;            /* [z] */
    char **country;          /* [z] the NDC party the zone follows; NULL = no target */
    int *years;              /* [i] modelled years */
    double *baseline_mt;     /* [z * n_years + i] */
    double *cap_mt;          /* [z * n_years + i]; NaN = no cap */
    double *ndc_mt;          /* [z * n_years + i]: the NDC's own level (sector factor 1) in its
                                target year, 0/residual from the neutrality year; NaN otherwise */
    char **method;           /* [z * n_years + i] how this cap was obtained (short text) */
    char **summary;          /* [z] one line: the zone's derivation, or why it has no cap */
    double *factor;          /* [z] sector factor used */
    int *neutrality_year;    /* [z] neutrality year used; 0 = none */
    double *basin_mt;        /* [i] sum of the zone caps plus the baseline of uncapped zones */
    int n_capped;            /* zones with caps */
    lm_cp_options opts;      /* as used (zone-name pointers are not kept: n_zone_factors = 0) */
} lm_carbon_plan;

/* Derive the caps.  Needs ds->zones and ds->ndc_targets only.  A zone without a convertible
 * target gets no cap and a warning.  Returns 0 or -1 (errors in d: no ndc_targets table, an
 * unknown zone in a sector factor, an empty baseline). */
int lm_carbon_plan_derive(const lm_dataset *ds, const lm_cp_baseline *b, const lm_cp_options *o,
                          lm_carbon_plan **out, lm_diag *d);
void lm_carbon_plan_free(lm_carbon_plan *cp);

/* Caps are written in Mt with 4 decimals, rounded up (never tighter than derived). */
double lm_cp_round_mt(double mt);

typedef struct lm_cp_write_opts {
    const char *name;          /* plan name; NULL = "<base name>-carbon-plan" */
    const char *description;   /* NULL = generated */
    int zone_caps;             /* write carbon.zone_mt (default 1) */
    int basin_cap;             /* write carbon.basin_mt (default 0: only as a comment) */
    const char *command_line;  /* recorded in the header; may be NULL */
    const char *generated_at;  /* ISO-8601 time for the header; NULL = now */
    const char *program_version;
} lm_cp_write_opts;

void lm_cp_write_opts_default(lm_cp_write_opts *w);

/* Write the plan file `out_path`: a header comment saying how the caps were derived, then the
 * base plan's keys (all but name, description, dataset and carbon, copied through libyaml so
 * that new plan keys survive), the dataset path re-expressed relative to the new file's folder,
 * and `carbon: {caps: plan, zone_mt: ..., basin_mt: ...}`.  The file is written under a
 * temporary name and renamed into place.  Returns 0 or -1. */
int lm_carbon_plan_write(const lm_carbon_plan *cp, const lm_dataset *ds, const lm_cp_baseline *b,
                         const lm_plan *base, const char *out_path, const lm_cp_write_opts *w,
                         lm_diag *d);

/* Write the derivation table: zone,country,year,baseline_mt,cap_mt,ndc_target_mt,method. */
int lm_carbon_plan_write_csv(const lm_carbon_plan *cp, const char *path, lm_diag *d);

/* The CSV path that goes with a plan file: <dir>/<stem>.carbon_plan.csv; caller frees. */
char *lm_carbon_plan_csv_path(const char *plan_path);

/* ---- carbon report of a run ---- */

typedef struct lm_cr_row {
    char *zone;              /* "basin" for the basin total */
    char *country;           /* NULL if unknown */
    int year;
    double emissions_mt;
    double baseline_mt;      /* from the carbon plan CSV; NaN if none (basin: the sum) */
    double cap_mt;           /* NaN = no cap */
    double ndc_mt;           /* NaN = no NDC level this year */
    double price_usd_per_t;  /* shadow price of the cap; NaN = no cap */
    int cap_met;             /* -1 no cap, 0 exceeded, 1 met (tolerance: 0.1 kt or 1e-6
                                relative, the precision of written caps / of the solver) */
    int ndc_met;             /* -1 no NDC level, 0 above it, 1 at or below */
} lm_cr_row;

typedef struct lm_carbon_report {
    long long run_id;
    char *plan_name, *plan_path, *status;
    double objective_musd;           /* NaN if none */
    long long baseline_run_id;       /* 0 = none */
    double baseline_objective_musd;  /* NaN if none */
    char *plan_csv;                  /* the carbon-plan CSV read, NULL if none */
    int n_rows;
    lm_cr_row *rows;                 /* by zone (dataset order as stored), then year; basin last */
} lm_carbon_report;

/* Build the report of run `run_id` (0 = the latest run) in the store.  NDC levels and countries
 * come from `plan_csv`, or when NULL from the CSV beside the run's plan file if it exists.
 * baseline_run_id > 0 adds that run's objective for the cost comparison.  Returns 0 or -1. */
int lm_carbon_report_load(const char *store_path, long long run_id, const char *plan_csv,
                          long long baseline_run_id, lm_carbon_report **out, lm_diag *d);
void lm_carbon_report_free(lm_carbon_report *r);

#endif
