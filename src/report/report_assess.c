/* report_assess.c - the report's assessment section: the plan's UNEP ten-principle scorecard
 * with coverage, its indicators with their evidence, the green-finance eligible share of capex
 * per taxonomy, the financing mix, and every project's overall score (tables written by
 * `lmplan assess`, src/assess/assess.h).  Without them the section says how to make them. */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double scalar_or_nan(const lm_results *r, const char *name)
{
    double v;
    return lm_results_find_scalar(r, name, &v) == 0 ? v : NAN;
}

/* A score cell with a bar (0..1); "missing" when NaN. */
static void score_cell(lm_rbuf *h, double v)
{
    if (isnan(v)) {
        lm_rbuf_puts(h, "<td class=\"missing\">missing</td>");
        return;
    }
    lm_rbuf_printf(h, "<td><span class=\"bar\" style=\"display:inline-block;width:%.0fpx;"
                      "height:0.8em;background:#2b7a78;margin-right:6px\"></span>%.2f</td>",
                   80 * v, v);
}

void lm_report_section_assessment(lm_report_ctx *c, lm_rbuf *h)
{
    lm_rep_section_open(h, "assessment", "Sustainability assessment (UNEP principles, green finance)");
    const lm_result_table *tp = lm_results_find(c->res, "assess_principles");
    const lm_result_table *ti = lm_results_find(c->res, "assess_indicators");
    if (!tp || !ti) {
        lm_report_nodata(h, "This run has not been assessed: run `lmplan assess RUN_ID` and write "
                            "the report again.");
        lm_rep_section_close(h);
        return;
    }
    lm_rep_para(h, "Scores are 0 to 1 over the indicators with data; the conservative score counts "
                   "a missing indicator as 0; coverage is indicators with data over indicators "
                   "that apply. Missing evidence is shown as missing, never scored good. "
                   "Thresholds: data/criteria/unep_indicators.csv; method: docs/assessment.md.");
    int ks = lm_rt_col(tp, "scope"), kp = lm_rt_col(tp, "principle"), kt = lm_rt_col(tp, "title");
    int vs = lm_rt_col(tp, "score"), vc = lm_rt_col(tp, "score_conservative"),
        va = lm_rt_col(tp, "n_applicable"), vw = lm_rt_col(tp, "n_with_data");
    lm_rbuf_puts(h, "<table class=\"scorecard\"><thead><tr><th>#</th><th>UNEP principle</th>"
                    "<th>score</th><th>conservative</th><th>coverage</th></tr></thead><tbody>\n");
    for (int r = 0; r < tp->n_rows; r++) {
        if (strcmp(lm_rt_key(tp, r, ks), "plan") != 0) continue;
        lm_rbuf_puts(h, "<tr>");
        lm_rep_td(h, lm_rt_key(tp, r, kp));
        lm_rep_td(h, lm_rt_key(tp, r, kt));
        score_cell(h, lm_rt_val(tp, r, vs));
        score_cell(h, lm_rt_val(tp, r, vc));
        char cov[32];
        snprintf(cov, sizeof cov, "%.0f / %.0f", lm_rt_val(tp, r, vw), lm_rt_val(tp, r, va));
        lm_rep_td(h, cov);
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody></table>\n");
    char line[256];
    snprintf(line, sizeof line, "Plan overall %.2f (conservative %.2f), coverage %.0f %%.",
             scalar_or_nan(c->res, "assess_plan_score"),
             scalar_or_nan(c->res, "assess_plan_score_conservative"),
             100 * scalar_or_nan(c->res, "assess_plan_coverage"));
    lm_rep_para(h, line);
    /* the plan's indicators with evidence */
    int is = lm_rt_col(ti, "scope"), ip = lm_rt_col(ti, "principle"), ii = lm_rt_col(ti, "indicator"),
        ie = lm_rt_col(ti, "evidence"), iv = lm_rt_col(ti, "value"), isc = lm_rt_col(ti, "score"),
        iap = lm_rt_col(ti, "applicable");
    lm_rep_details_open(h, "The plan's indicators and their evidence");
    lm_rbuf_puts(h, "<thead><tr><th>principle</th><th>indicator</th><th>value</th><th>score</th>"
                    "<th>evidence</th></tr></thead><tbody>\n");
    for (int r = 0; r < ti->n_rows; r++) {
        if (strcmp(lm_rt_key(ti, r, is), "plan") != 0) continue;
        lm_rbuf_puts(h, "<tr>");
        lm_rep_td(h, lm_rt_key(ti, r, ip));
        lm_rep_td(h, lm_rt_key(ti, r, ii));
        if (lm_rt_val(ti, r, iap) == 0) {
            lm_rep_td(h, "n/a");
            lm_rep_td(h, "n/a");
        } else {
            lm_rep_td_num(h, lm_rt_val(ti, r, iv), -1);
            score_cell(h, lm_rt_val(ti, r, isc));
        }
        lm_rep_td(h, lm_rt_key(ti, r, ie));
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody>\n");
    lm_rep_details_close(h);
    /* green finance and financing */
    static const char *const tax[][2] = {{"cbi", "Climate Bonds Initiative"}, {"eu", "EU taxonomy"},
                                         {"asean", "ASEAN taxonomy"},
                                         {"china2021", "China Green Bond Catalogue 2021"},
                                         {"any", "at least one of them"}};
    lm_rbuf_puts(h, "<table><thead><tr><th>share of new capex eligible under</th><th>%</th>"
                    "</tr></thead><tbody>\n");
    for (int t = 0; t < 5; t++) {
        char name[64];
        snprintf(name, sizeof name, "assess_green_capex_pct_%s", tax[t][0]);
        lm_rbuf_puts(h, "<tr>");
        lm_rep_td(h, tax[t][1]);
        lm_rep_td_num(h, scalar_or_nan(c->res, name), 1);
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody></table>\n");
    snprintf(line, sizeof line, "Capital need %.0f million USD, financed at %.2f %% real "
                                "(%.0f million USD a year); unfinanced gap %.0f million USD.",
             scalar_or_nan(c->res, "assess_capex_musd"), scalar_or_nan(c->res, "assess_wacc_pct"),
             scalar_or_nan(c->res, "assess_cost_of_capital_musd_yr"),
             scalar_or_nan(c->res, "assess_financing_gap_musd"));
    lm_rep_para(h, line);
    const lm_result_table *tz = lm_results_find(c->res, "assess_financing_zone");
    if (tz) lm_rep_generic_table(h, tz, "Financing by zone, year and source category (million USD)");
    const lm_result_table *to = lm_results_find(c->res, "assess_overall");
    if (to) lm_rep_generic_table(h, to, "Overall score of every project");
    const lm_result_table *tsc = lm_results_find(c->res, "assess_screening");
    if (tsc) lm_rep_generic_table(h, tsc, "Green-finance screening of every project");
    lm_rep_section_close(h);
}
