/* scorecard.h - UNEP's ten International Good Practice Principles for Sustainable
 * Infrastructure (UNEP 2021/2022) as a scorecard for a project and for a plan.
 *
 * The UNEP text is qualitative; lmplan operationalises it with indicators kept as data:
 * data/criteria/unep_indicators.csv, one row per indicator with its principle (number and
 * exact title), scope (project or plan), the input it reads (a name from the catalogue below,
 * computed from model results or declared project data by the assessment), unit, the value
 * that scores 0 (`poor`) and the value that scores 1 (`good`), a weight, and the basis and
 * source of its thresholds (../shared/research/anchors.md 1.2-1.3; docs/assessment.md,
 * "UNEP scorecard").
 *
 * Scoring: score = clamp((value - poor) / (good - poor), 0, 1), so `good` may lie above or
 * below `poor`; yes/no inputs are 1/0 with poor 0, good 1.  A principle's score is the
 * weighted mean over its indicators WITH data; its coverage is (indicators with data) /
 * (indicators that apply: fish passage does not apply to a solar farm).  Missing evidence is shown as missing, never scored good: next to the
 * score the scorecard gives the conservative score, in which a missing indicator counts 0.
 * Every indicator carries its evidence (run id, table, row, or declared field and line). */
#ifndef LM_SCORECARD_H
#define LM_SCORECARD_H

#include "core/diag.h"

#define LM_UNEP_N 10

/* Exact title of principle 1..10 (anchors.md 1.2); NULL outside. */
const char *lm_unep_title(int principle);

enum lm_sc_scope { LM_SC_PROJECT = 0, LM_SC_PLAN = 1 };

/* The inputs an indicator may read.  The assessment (assess.c) computes each one per project
 * and per plan where it can; NaN where it cannot. */
enum lm_sc_input {
    LM_SCI_SEA_COVERED,                 /* yes/no, declared */
    LM_SCI_HORIZON_COVERS_LIFE,         /* yes/no: planning horizon >= economic lifetime */
    LM_SCI_FLEXIBILITY_HOURS,           /* h of full output the project can shift or firm:
                                           hydro live storage, storage energy/power ratio;
                                           dispatchable thermal = 24 h, solar and wind 0 */
    LM_SCI_CAPS_MET_PCT,                /* % of zone-years with emissions within the cap (plan) */
    LM_SCI_UNSERVED_ENERGY_PCT,         /* % of demand not served (plan) */
    LM_SCI_LIFECYCLE_G_CO2E_KWH,        /* lifecycle intensity incl. reservoir GHG */
    LM_SCI_LCOE_TO_PRICE_PCT,           /* LCOE at the financed WACC / the zone's mean price */
    LM_SCI_SEDIMENT_LOSS_MT_YR,         /* sediment to the delta the project withholds */
    LM_SCI_SEDIMENT_DELIVERED_PCT,      /* delta sediment as % of the no-dam load (plan) */
    LM_SCI_DCIP_LOSS_POINTS,            /* DCIp the project's dam costs */
    LM_SCI_DCID_LOSS_POINTS,            /* DCId the project's dam costs */
    LM_SCI_DCIP,                        /* DCIp of the network (plan) */
    LM_SCI_DCID,                        /* DCId of the network (plan) */
    LM_SCI_EFLOW_COMPLIANCE_PCT,        /* declared */
    LM_SCI_POWER_DENSITY_W_M2,          /* installed W per m2 of reservoir */
    LM_SCI_PEOPLE_RESETTLED_PER_MW,     /* declared people / installed MW */
    LM_SCI_LOCAL_JOBS_PER_MW,           /* declared jobs / installed MW */
    LM_SCI_CAPACITY_FACTOR_PCT,         /* generation / (capacity x 8760 h) */
    LM_SCI_GREEN_TAXONOMIES,            /* taxonomies (of 4) under which it is eligible */
    LM_SCI_GREEN_CAPEX_PCT,             /* % of capex eligible under at least one taxonomy */
    LM_SCI_FINANCING_GAP_PCT,           /* % of capex no source could finance */
    LM_SCI_WACC_PCT,                    /* weighted real cost of capital */
    LM_SCI_EIA_DISCLOSED,               /* yes/no, declared */
    LM_SCI_TRANSBOUNDARY_CONSULTATION,  /* yes/no, declared */
    LM_SCI_DECLARED_SOURCED_PCT,        /* % of the scorecard's declared facts known, with a source */
    LM_SCI_REPRODUCIBLE,                /* yes/no: plan and dataset hashes stored and matching */
    LM_SCI_SCENARIOS,                   /* runs on the same dataset in the store */
    LM_SCI_N
};

const char *lm_sc_input_name(int i);
int lm_sc_input_find(const char *name);  /* -1 if unknown */

typedef struct lm_sc_indicator {
    int principle;                      /* 1..10 */
    char *id, *name, *unit, *basis, *source;
    int scope;                          /* enum lm_sc_scope */
    int input;                          /* enum lm_sc_input */
    double poor, good, weight;
    long line;
} lm_sc_indicator;

typedef struct lm_sc_table {
    char *file;
    int n;
    lm_sc_indicator *ind;
} lm_sc_table;

/* Read and validate the indicator table (unknown input or scope, a title that is not the
 * principle's exact title, poor == good, weight <= 0, duplicate id; each located
 * file:line:column).  Every principle must have at least one indicator per scope.  Returns 0
 * and *out, or -1 with *out NULL. */
int lm_sc_table_load(const char *path, lm_sc_table **out, lm_diag *d);
void lm_sc_table_free(lm_sc_table *t);

/* One input's value and where it came from. */
typedef struct lm_sc_value {
    double value;                       /* NaN = missing (or not applicable) */
    int not_applicable;                 /* 1: the indicator does not apply to this project
                                           (e.g. fish passage for a solar farm); counted
                                           neither as data nor as missing */
    char evidence[200];                 /* "run 3, r_reservoir_ghg, station 206", "declared
                                           projects_declared.csv:14 (source W-XAY)", ... or
                                           why it is missing */
} lm_sc_value;

typedef struct lm_sc_inputs {
    lm_sc_value v[LM_SCI_N];
} lm_sc_inputs;

/* Everything missing, evidence "not computed". */
void lm_sc_inputs_init(lm_sc_inputs *in);
/* Set one input (evidence printf-style); lm_sc_set_na marks it not applicable. */
void lm_sc_set(lm_sc_inputs *in, int input, double value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lm_sc_set_na(lm_sc_inputs *in, int input, const char *why);

typedef struct lm_sc_result {
    const lm_sc_indicator *ind;         /* the table row */
    double value;                       /* NaN = missing */
    double score;                       /* 0..1; NaN = missing or not applicable */
    int not_applicable;
    const char *evidence;               /* points into the inputs */
} lm_sc_result;

typedef struct lm_sc_principle {
    int principle;
    double score;                       /* weighted mean over indicators with data; NaN if none */
    double score_conservative;          /* missing counted 0 */
    int n_defined, n_applicable, n_with_data;
    double coverage;                    /* n_with_data / n_applicable (1 if none applies) */
} lm_sc_principle;

typedef struct lm_scorecard {
    int n;                              /* indicators of the scope */
    lm_sc_result *r;
    lm_sc_principle p[LM_UNEP_N];
    double overall;                     /* mean of the principles' scores (those with data) */
    double overall_conservative;        /* mean of the conservative scores (principles with an
                                           applicable indicator) */
    double coverage;                    /* indicators with data / applicable, whole scope */
} lm_scorecard;

/* Score `in` with the indicators of `scope`.  Never fails. */
void lm_scorecard_evaluate(const lm_sc_table *t, int scope, const lm_sc_inputs *in,
                           lm_scorecard *out);
void lm_scorecard_free(lm_scorecard *sc);

/* Score of one value on one indicator (NaN if value is NaN). */
double lm_sc_normalise(const lm_sc_indicator *ind, double value);

#endif
