/* assess.h - the whole assessment of a plan: every project of a run (or of a dam portfolio)
 * through reservoir and lifecycle GHG, fish connectivity, sediment, green-finance screening,
 * project finance, the financing mix, and the UNEP ten-principle scorecard, per project and
 * for the plan.  It joins ghg.c, fish.c, screening.c, finance.c, financing.c and scorecard.c;
 * `lmplan assess` (src/cli/cmd_assess.c) stores what it returns.
 *
 * Projects (docs/assessment.md, "Projects"):
 *   - every dam in place: existing ones (no capital need: sunk) and new ones (capex = capacity
 *     x the hydro technology's investment cost of its first year);
 *   - every tranche of new capacity a run builds: zone x technology x year with new_mw > 0
 *     (capex = new_mw x investment cost of that year);
 *   - every new cross-border line tranche: corridor x year with new_mw > 0 (capex = new_mw x
 *     distance x cost per MW-km).
 * Nothing is computed twice: per-dam GHG and fish numbers come from lm_assess_portfolio, whose
 * tables are part of the output.  Everything unknown stays unknown (NaN) and is reported as
 * missing; nothing is written to `res` when an error is returned (also when the sediment
 * reach is not on the network). */
#ifndef LM_ASSESS_H
#define LM_ASSESS_H

#include "assess/declared.h"
#include "assess/financing.h"
#include "assess/ghg.h"
#include "assess/scorecard.h"
#include "assess/screening.h"
#include "data/dataset.h"
#include "store/results.h"

typedef struct lm_assess_ctx {
    const lm_dataset *ds;
    const lm_declared *dc;            /* NULL = everything unknown */
    const lm_criteria *criteria;      /* green_finance_criteria.csv */
    const lm_fin_sources *finance;    /* financing_sources.csv */
    const lm_sc_table *indicators;    /* unep_indicators.csv */
    lm_assess_options opt;            /* GHG method, defaults, fish weights */
    double gap_penalty_pct;           /* cost of unfinanced capital in the financing LP (100) */
    const lm_results *run;            /* a run's results, or NULL: a dam portfolio only */
    long long run_id;                 /* for evidence; 0 = none */
    const double *in_place;           /* used when run is NULL: [s] share in place; NULL =
                                         the status quo (existing dams) */
    long sediment_reach_id;           /* reach whose outflow is "to the delta" (the plan's
                                         sediment.reach, e.g. 540); 0 = the river's mouth */
    int reproducible;                 /* 1 / 0, -1 = unknown */
    int n_scenarios;                  /* completed runs on the dataset; -1 = unknown */
} lm_assess_ctx;

/* Defaults: G-res, Mekong defaults, Hack weights, penalty 100 %, unknown reproducibility;
 * the five inputs as given (dc may be NULL), no run, the status quo. */
void lm_assess_ctx_init(lm_assess_ctx *c, const lm_dataset *ds, const lm_declared *dc,
                        const lm_criteria *criteria, const lm_fin_sources *finance,
                        const lm_sc_table *indicators);

typedef struct lm_assess_summary {
    int n_projects, n_dams, n_new_dams, n_tranches, n_lines;
    double capex_musd, gap_musd, cost_of_capital_musd_yr, wacc_pct;
    double green_capex_pct[LM_TAX_N];  /* share of capex eligible per taxonomy */
    double green_any_capex_pct;
    double sediment_delivered_mt, sediment_no_dams_mt;
    double dcip, dcid, dcip_status_quo, dcid_status_quo;
    double reservoir_t_co2e_yr;
    int reservoir_dams_unknown;
    lm_scorecard plan;                 /* the plan's scorecard (owned: lm_assess_summary_free) */
    const lm_sc_table *indicators;
} lm_assess_summary;

void lm_assess_summary_free(lm_assess_summary *s);

/* Assess and add the tables to `res`: assess_projects, assess_screening, assess_financing,
 * assess_financing_zone, assess_grid, assess_indicators, assess_principles, the tables of
 * lm_assess_portfolio (reservoir_ghg, fish_dci, fish_dams), lifecycle (with a run), and
 * scalars assess_*.  `only_project` (NULL = all) limits the per-project scorecard rows to one
 * project id (e.g. "dam:206"); the plan is always assessed whole.  Returns 0, or -1 with an
 * error and nothing added. */
int lm_assess_plan(const lm_assess_ctx *c, const char *only_project, lm_results *res,
                   lm_assess_summary *sum, lm_diag *d);

#endif
