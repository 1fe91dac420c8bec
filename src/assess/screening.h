/* screening.h - green-finance screening: is a project (or a country's grid) eligible under the
 * Climate Bonds Initiative criteria, the EU taxonomy, the ASEAN taxonomy and China's 2021 Green
 * Bond Endorsed Projects Catalogue?
 *
 * The rules are data: data/criteria/green_finance_criteria.csv, a versioned table with one row
 * per clause (taxonomy, version, technology, clause id and text, indicator, comparison,
 * threshold, unit, how the clauses of one taxonomy+technology combine, an optional
 * applicability condition, the source and URL of the threshold and whether it was checked).
 * The screening logic is generic over that table: no taxonomy has code of its own.  Each
 * taxonomy is reported separately as eligible / not eligible / cannot tell, with the clause
 * that decides and every number compared.  An unknown indicator (NaN) is never scored good:
 * it gives "cannot tell" unless the other clauses decide.
 *
 * Sources: ../shared/research/anchors.md section 2 (CBI Hydropower Criteria, 25 March 2021;
 * EU Climate Delegated Act 2021/2139 and Complementary Delegated Act 2022/1214; ASEAN Taxonomy
 * v2/v3; PBoC/NDRC/CSRC Green Bond Endorsed Projects Catalogue 2021).  Each row of the table
 * names its own source. */
#ifndef LM_SCREENING_H
#define LM_SCREENING_H

#include "core/diag.h"

enum lm_screen_taxonomy { LM_TAX_CBI, LM_TAX_EU, LM_TAX_ASEAN, LM_TAX_CHINA2021, LM_TAX_N };

/* Indicators a clause may compare.  Dates are decimal years (declared.h convention). */
enum lm_screen_indicator {
    LM_IND_NONE,                       /* for comparisons `any` and `none` */
    LM_IND_POWER_DENSITY_W_M2,         /* installed W / reservoir area at full supply level */
    LM_IND_LIFECYCLE_G_CO2E_KWH,       /* lifecycle intensity incl. reservoir GHG (ghg.h) */
    LM_IND_DIRECT_G_CO2E_KWH,          /* direct (stack) emissions per kWh */
    LM_IND_COMMISSIONING_DATE,         /* decimal year */
    LM_IND_RUN_OF_RIVER,               /* 1 = run-of-river without artificial reservoir, 0 = not */
    LM_IND_SOLAR_SHARE_PCT,            /* % of the plant's generation from solar */
    LM_IND_NEW_CAPACITY_GREEN_PCT,     /* % of newly connected capacity (rolling 5 y) below the
                                          lifecycle threshold / classified green */
    LM_IND_GRID_LIFECYCLE_G_CO2E_KWH,  /* system average lifecycle intensity (rolling 5 y) */
    LM_IND_N
};

enum lm_screen_cmp {
    LM_CMP_LT, LM_CMP_LE, LM_CMP_GT, LM_CMP_GE,
    LM_CMP_BEFORE,      /* date strictly before the threshold date */
    LM_CMP_AFTER,       /* date strictly after */
    LM_CMP_ON_OR_AFTER, /* date on or after */
    LM_CMP_ANY,         /* eligible by technology: always satisfied, needs no indicator */
    LM_CMP_NONE,        /* excluded technology: never satisfied */
    LM_CMP_N
};

enum lm_screen_combination { LM_COMB_ALL, LM_COMB_ANY };

enum lm_screen_status { LM_SCREEN_ELIGIBLE, LM_SCREEN_NOT_ELIGIBLE, LM_SCREEN_CANNOT_TELL };

/* One test: indicator comparison threshold. */
typedef struct lm_screen_test {
    int indicator;  /* enum lm_screen_indicator */
    int cmp;        /* enum lm_screen_cmp */
    double threshold;
} lm_screen_test;

typedef struct lm_criterion {
    int taxonomy;            /* enum lm_screen_taxonomy */
    char *version;
    char *technology;
    char *clause_id;
    char *clause_text;
    lm_screen_test test;
    char *unit;
    int combination;         /* enum lm_screen_combination, same for a taxonomy+technology */
    int has_condition;       /* the clause applies only where `condition` holds */
    lm_screen_test condition;
    char *source;
    char *source_url;
    char *checked;
    long line;               /* row of the table */
} lm_criterion;

typedef struct lm_criteria {
    char *file;
    int n;
    lm_criterion *c;
} lm_criteria;

/* Read and validate the table at `path`.  Every error is located `file:line:column` (unknown
 * taxonomy, comparison or indicator, non-numeric threshold or bad date, duplicate clause id,
 * inconsistent combination, missing column).  Returns 0 and *out on success; -1, *out NULL. */
int lm_criteria_load(const char *path, lm_criteria **out, lm_diag *d);
void lm_criteria_free(lm_criteria *cr);

typedef struct lm_screen_inputs {
    double value[LM_IND_N]; /* NaN = unknown */
} lm_screen_inputs;

/* Everything unknown. */
void lm_screen_inputs_init(lm_screen_inputs *in);

#define LM_SCREEN_MAX_COMPARED 16

/* Outcome of one clause: 1 satisfied, 0 not, -1 cannot tell (indicator unknown). */
typedef struct lm_screen_compared {
    const char *clause_id;   /* points into the criteria */
    int applies;             /* 1 applies, 0 not (condition false), -1 condition unknown */
    int indicator;
    double value;            /* the input compared (NaN if unknown or not needed) */
    int cmp;
    double threshold;
    int outcome;
} lm_screen_compared;

typedef struct lm_screen_result {
    int status;                  /* enum lm_screen_status */
    const char *clause_id;       /* deciding clause; NULL when no clause covers the technology */
    const char *clause_text;     /* its text, or a fixed explanation */
    const char *version;
    int over_unknown;            /* -1, or the indicator of an unknown applicability condition
                                    over whose every value the verdict is the same (then the
                                    deciding clause is the one for the first value tried:
                                    just below the first condition's threshold) */
    int n_compared;              /* clauses of the taxonomy+technology, in table order */
    lm_screen_compared compared[LM_SCREEN_MAX_COMPARED];
} lm_screen_result;

/* Screen `technology` (e.g. "hydropower", "grid") under `taxonomy`.  A technology with no
 * clause in the table is not eligible (the taxonomies are positive lists).  Returns 0, or -1
 * if the taxonomy is unknown or the arguments are NULL. */
int lm_screen_project(const lm_criteria *cr, int taxonomy, const char *technology,
                      const lm_screen_inputs *in, lm_screen_result *out);

const char *lm_screen_taxonomy_name(int t);     /* "cbi", "eu", "asean", "china2021" */
int lm_screen_taxonomy_find(const char *name);  /* -1 if unknown */
const char *lm_screen_indicator_name(int i);
int lm_screen_indicator_find(const char *name);
const char *lm_screen_cmp_name(int c);
int lm_screen_cmp_find(const char *name);
const char *lm_screen_status_name(int s);       /* "eligible", "not eligible", "cannot tell" */

#endif
