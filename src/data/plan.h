/* plan.h - a plan: which dataset, which years and representative days, which policies,
 * which scenario switches, which solver and where results go.
 *
 * Plans are small YAML files (docs/plan-format.md).  Unknown keys, wrong types and values
 * out of range are errors naming the file, line, column and key.  Relative paths in a plan
 * are resolved against the plan file's folder. */
#ifndef LM_PLAN_H
#define LM_PLAN_H

#include "core/diag.h"

enum lm_transmission_scenario {
    LM_TRANS_EXISTING = 1,   /* no new corridor capacity (Xu et al. limit 1) */
    LM_TRANS_PLANNED = 2,    /* cumulative new capacity <= the dataset's limit (limit 2) */
    LM_TRANS_IMPORT_CAP = 4, /* free expansion, annual imports <= share x demand (limit 4) */
    LM_TRANS_FREE = 6        /* free expansion (limit 6) */
};

enum lm_carbon_caps {
    LM_CAPS_DATASET = 0, /* the dataset's carbon_cap table (basin-wide) */
    LM_CAPS_NONE = 1,    /* no cap */
    LM_CAPS_PLAN = 2     /* caps given in the plan (basin and/or per zone) */
};

enum lm_model_mode {
    LM_MODE_IMPROVED = 0, /* default: fixes listed in docs/model.md */
    LM_MODE_FAITHFUL = 1  /* reproduces Xu et al. (2025) including its quirks */
};

enum lm_hydro_model {
    LM_HYDRO_AUTO = 0,    /* cascade when the dataset has stations, else budget */
    LM_HYDRO_CASCADE = 1, /* station water balance with routing (src/model/hydro.c) */
    LM_HYDRO_BUDGET = 2   /* daily energy budget per zone (src/model/hydro_budget.c) */
};

enum lm_dam_decision {
    LM_DAMS_BINARY = 0,  /* build decisions of `decide` dams are binaries (MILP) */
    LM_DAMS_RELAXED = 1  /* ... continuous in [0, 1] (LP relaxation) */
};

typedef struct lm_plan_cap {
    char *zone; /* NULL = basin-wide */
    int year;
    double cap_t_co2;
} lm_plan_cap;

typedef struct lm_external_zone {
    char *zone;                      /* zone outside the cost scope */
    double import_price_usd_per_mwh; /* paid per MWh it sends into a costed zone */
    double export_share;             /* share of its generation that must be exported (0..1] */
} lm_external_zone;

typedef struct lm_plan {
    char *path;           /* plan file */
    char hash[65];        /* SHA-256 (hex) of the plan file bytes */
    char *name;
    char *description;
    char *dataset;        /* resolved path of the dataset folder or manifest */

    int n_years;  int *years;   /* subset of dataset years; 0 = all */
    int n_months; int *months;  /* subset of representative days; 0 = all */

    int carbon_caps;            /* enum lm_carbon_caps */
    int n_caps; lm_plan_cap *caps;

    int transmission;           /* enum lm_transmission_scenario */
    double import_cap_share;    /* for LM_TRANS_IMPORT_CAP (default 1/3) */

    int n_external; lm_external_zone *external;

    int mode;                   /* enum lm_model_mode */
    double unserved_energy_cost_usd_per_mwh; /* 0 = no unserved energy allowed */

    /* hydropower and dams (issue: cascades, sediment, portfolios) */
    int hydro_model;            /* enum lm_hydro_model */
    int n_dams_build;   int *dams_build;   /* candidate station ids built */
    int n_dams_exclude; int *dams_exclude; /* candidate station ids never built */
    int dams_decide_all;                   /* 1 = every candidate not built/excluded is decided */
    int n_dams_decide;  int *dams_decide;  /* candidates decided by the optimiser */
    int dam_decision;           /* enum lm_dam_decision */
    double sediment_min_mt;     /* floor on sediment delivered at sediment_reach, Mt/yr; 0 = none */
    int sediment_reach;         /* reach id of the floor; 0 = the reach that flows to the outlet */

    /* solver */
    char *solver;               /* "clp" (default) | "cbc" */
    char *method;               /* "dual" (default) | "primal" | "barrier" | "auto" */
    int presolve;               /* 1 on, 0 off, -1 auto (default; see solve.h) */
    double time_limit_s;        /* 0 = none */
    double mip_gap;             /* relative, default 1e-4 */
    int solver_log;             /* solver log level, default 1 */
    double barrier_regularization; /* CLP barrier gamma = delta; -1 = automatic (default):
                                      1e-5 when a sediment floor meets decided dams, else 0 */
    int n_coarse_months; int *coarse_months; /* portfolio search: search these representative
                                      days first and carry its cuts and portfolios over; 0 = no */

    /* output */
    char *store;                /* SQLite result store path (default results/lmplan.sqlite) */
    char *csv_dir;              /* CSV export folder, NULL = none */
} lm_plan;

/* Parse and validate a plan file; on failure returns -1, *out is NULL, `d` has every error. */
int lm_plan_load(const char *path, lm_plan **out, lm_diag *d);
void lm_plan_free(lm_plan *p);

#endif
