/* financing.h - the financing mix: which sources of capital pay for which project.
 *
 * The sources are data: data/criteria/financing_sources.csv, one row per source and zone
 * (public budgets, development banks, green bonds, private capital) with its real cost of
 * capital, tenor, the largest share of one project's capex it covers, what it requires (green
 * bonds only for projects eligible under a taxonomy), the technologies it finances (the
 * development banks no longer lend for coal) and its annual limit per zone, each with its
 * source (docs/assessment.md, "Financing mix").
 *
 * The allocation is a small LP solved with COIN-OR CLP through the solver layer: for every
 * project p and admissible source s an amount x[p,s] >= 0 (million USD), at most
 * max_share_s x capex_p; sum_s x[p,s] + gap_p = capex_p; for every source and every zone and
 * year, sum_p x[p,s] <= annual_limit_s; minimise sum cost_s x[p,s] + penalty x gap_p.  The gap
 * is the capital no source can supply under the limits: reported, never hidden.  An unknown
 * green eligibility ("cannot tell") never opens a green source.  The LP puts the cheapest
 * capital where the limits bind least; its objective is the plan's annual cost of capital. */
#ifndef LM_FINANCING_H
#define LM_FINANCING_H

#include "assess/screening.h"
#include "core/diag.h"
#include "data/dataset.h"

enum lm_fin_category {
    LM_FINCAT_PUBLIC, LM_FINCAT_DEVELOPMENT_BANK, LM_FINCAT_GREEN_BOND, LM_FINCAT_PRIVATE,
    LM_FINCAT_N
};

/* What a source requires of a project. */
enum { LM_FIN_REQ_NONE = -1, LM_FIN_REQ_GREEN_ANY = LM_TAX_N /* 0..LM_TAX_N-1: that taxonomy */ };

#define LM_FIN_MAX_TECHS 12

typedef struct lm_fin_source {
    char *id, *name;
    int category;                /* enum lm_fin_category */
    char *zone;                  /* zone name or "*" */
    double cost_pct;             /* real cost of capital, % per year */
    double tenor_yr;             /* NaN = not stated */
    double max_share_pct;        /* of one project's capex, (0, 100] */
    int requires;                /* LM_FIN_REQ_NONE, LM_FIN_REQ_GREEN_ANY or a taxonomy */
    int n_techs;                 /* 0 = all technologies */
    char *techs[LM_FIN_MAX_TECHS];
    double annual_limit_musd;    /* per zone and year; +INFINITY = none */
    char *basis, *source, *url, *checked;
    long line;
} lm_fin_source;

typedef struct lm_fin_sources {
    char *file;
    int n;
    lm_fin_source *s;
} lm_fin_sources;

/* Read and validate the table.  Every error is `file:line:column: value "v": rule` (unknown
 * category, cost outside (-10, 50) %, share outside (0, 100], negative limit, unknown
 * requirement or technology, duplicate source_id + zone, missing column).  Returns 0 and *out,
 * or -1 with *out NULL. */
int lm_fin_sources_load(const char *path, lm_fin_sources **out, lm_diag *d);
void lm_fin_sources_free(lm_fin_sources *fs);

const char *lm_fin_category_name(int c); /* "public", "development_bank", ... */

/* One project to finance. */
typedef struct lm_fin_project {
    const char *id;              /* e.g. "dam 206" or "Laos/Solar/2030" */
    const char *zone;            /* zone name */
    int year;                    /* year the capital is spent (pools are per zone and year) */
    const char *technology;      /* hydropower, solar, wind, storage, transmission, coal, ... */
    double capex_musd;           /* >= 0 */
    int eligible[LM_TAX_N];      /* enum lm_screen_status per taxonomy */
} lm_fin_project;

typedef struct lm_fin_allocation {
    int n_projects, n_sources;
    double *amount_musd;         /* [p * n_sources + s] */
    double *gap_musd;            /* [p] capital no source could supply */
    double *wacc_pct;            /* [p] weighted cost of the financed part; NaN if none */
    double cost_musd_per_yr;     /* sum cost x amount (without the gap penalty) */
    double total_capex_musd, total_gap_musd;
    double eligible_capex_musd[LM_TAX_N]; /* capex of projects eligible per taxonomy */
    double by_category_musd[LM_FINCAT_N];
    int n_pools_binding;         /* source-zone-year limits at their bound */
    long iterations;
} lm_fin_allocation;

/* Allocate.  penalty_pct is the cost of a unit of gap (e.g. 100 % per year: above any
 * source).  Returns 0, or -1 with an error (bad project, solver failure). */
int lm_fin_allocate(const lm_fin_sources *fs, const lm_fin_project *p, int n,
                    double penalty_pct, lm_fin_allocation *out, lm_diag *d);
void lm_fin_allocation_free(lm_fin_allocation *a);

/* 1 if source s may finance project p (zone, technology, requirement); limits aside. */
int lm_fin_admissible(const lm_fin_source *s, const lm_fin_project *p);

#endif
