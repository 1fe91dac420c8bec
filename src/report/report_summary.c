/* report_summary.c - the top and the end of the report: title, navigation, notes on the
 * inputs, the summary (key figures and the run's record: plan, files and hashes, status,
 * objective, solver, model size, timings, versions) and the dataset's list of sources. */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LMPLAN_VERSION
#define LMPLAN_VERSION "unknown"
#endif

/* ---- header and summary ---------------------------------------------------------------- */

static void meta_row(lm_rbuf *h, const char *label, const char *value)
{
    lm_rbuf_puts(h, "<tr><th scope=\"row\">");
    lm_html_text(h, label);
    lm_rbuf_puts(h, "</th><td>");
    lm_html_text(h, value && *value ? value : "\xE2\x80\x93");
    lm_rbuf_puts(h, "</td></tr>\n");
}

static void kpi(lm_rbuf *h, const char *label, double v, int dec, const char *unit,
                const char *detail)
{
    lm_rbuf_puts(h, "<div class=\"kpi\"><div class=\"kpi-label\">");
    lm_html_text(h, label);
    lm_rbuf_puts(h, "</div><div class=\"kpi-value\">");
    lm_html_number(h, v, dec);
    lm_rbuf_puts(h, " <span class=\"unit\">");
    lm_html_text(h, unit);
    lm_rbuf_puts(h, "</span></div><div class=\"kpi-detail\">");
    lm_html_text(h, detail);
    lm_rbuf_puts(h, "</div></div>\n");
}

static const char *transmission_name(int t)
{
    switch (t) {
    case LM_TRANS_EXISTING: return "existing corridors only (no new capacity)";
    case LM_TRANS_PLANNED: return "planned: new capacity up to the dataset's limits";
    case LM_TRANS_IMPORT_CAP: return "import-cap: free expansion, imports capped by a share of demand";
    case LM_TRANS_FREE: return "free expansion";
    default: return "?";
    }
}

static void plan_rows(const lm_report_ctx *c, lm_rbuf *h)
{
    const lm_plan *p = c->plan;
    if (!p) return;
    meta_row(h, "Description", p->description);
    lm_rbuf b;
    lm_rbuf_init(&b);
    if (p->n_months == 0) lm_rbuf_puts(&b, "all of the dataset's");
    for (int i = 0; i < p->n_months; i++) lm_rbuf_printf(&b, "%s%d", i ? ", " : "months ", p->months[i]);
    meta_row(h, "Representative days", b.data);
    lm_rbuf_clear(&b);
    if (p->carbon_caps == LM_CAPS_NONE) lm_rbuf_puts(&b, "none");
    else if (p->carbon_caps == LM_CAPS_DATASET) lm_rbuf_puts(&b, "the dataset's carbon_cap table");
    else lm_rbuf_printf(&b, "%d cap(s) given in the plan", p->n_caps);
    meta_row(h, "Carbon caps", b.data);
    meta_row(h, "Transmission", transmission_name(p->transmission));
    meta_row(h, "Model mode", p->mode == LM_MODE_FAITHFUL ? "faithful (Xu et al. 2025)" : "improved");
    lm_rbuf_clear(&b);
    for (int i = 0; i < p->n_external; i++)
        lm_rbuf_printf(&b, "%s%s", i ? ", " : "", p->external[i].zone);
    meta_row(h, "External zones (outside the cost scope)", b.len ? b.data : "none");
    lm_rbuf_free(&b);
}

/* Sum over all rows of `val` in year `year` (NaN if the table or column is absent). */
static double year_total(const lm_report_ctx *c, const char *table, const char *val,
                         const char *year, int hydro_only)
{
    const lm_result_table *t = lm_results_find(c->res, table);
    int cv = lm_rt_col(t, val), cy = lm_rt_col(t, "year"), ck = lm_rt_col(t, "tech");
    if (!t || cv < t->n_keys || cy < 0 || cy >= t->n_keys || (hydro_only && ck < 0)) return NAN;
    double s = 0;
    for (int i = 0; i < t->n_rows; i++) {
        if (strcmp(lm_rt_key(t, i, cy), year)) continue;
        if (hydro_only && !lm_rep_is_hydro_tech(c, lm_rt_key(t, i, ck))) continue;
        double v = lm_rt_val(t, i, cv);
        if (!isnan(v)) s += v;
    }
    return s;
}

static void kpis(const lm_report_ctx *c, lm_rbuf *h)
{
    const lm_axis *Y = &c->years;
    double obj = c->run.objective_musd;
    if (Y->n == 0 && isnan(obj)) return;
    lm_rbuf_puts(h, "<div class=\"kpis\">\n");
    if (!isnan(obj))
        kpi(h, "System cost (objective)", obj / 1000, 1, "bn USD", "discounted, all modelled years");
    if (Y->n > 0) {
        const char *y0 = Y->names[0], *y1 = Y->names[Y->n - 1];
        char label[96], detail[160];
        double e0 = year_total(c, "emissions", "emissions_mt", y0, 0);
        double e1 = year_total(c, "emissions", "emissions_mt", y1, 0);
        if (!isnan(e1)) {
            snprintf(label, sizeof label, "CO\xE2\x82\x82 emissions %s", y1);
            snprintf(detail, sizeof detail, "power sector, all zones; %s: %.1f Mt", y0, e0);
            kpi(h, label, e1, 1, "Mt", detail);
        }
        double k0 = year_total(c, "capacity", "capacity_mw", y0, 0);
        double k1 = year_total(c, "capacity", "capacity_mw", y1, 0);
        if (!isnan(k1)) {
            snprintf(label, sizeof label, "Installed capacity %s", y1);
            snprintf(detail, sizeof detail, "all zones; %s: %.1f GW", y0, k0 / 1000);
            kpi(h, label, k1 / 1000, 1, "GW", detail);
        }
        double g1 = year_total(c, "generation_annual", "generation_twh", y1, 0);
        double h1 = year_total(c, "generation_annual", "generation_twh", y1, 1);
        if (!isnan(g1) && g1 > 0) {
            snprintf(label, sizeof label, "Hydropower share %s", y1);
            snprintf(detail, sizeof detail, "%.1f of %.1f TWh generated", h1, g1);
            kpi(h, label, 100 * h1 / g1, 1, "%", detail);
        }
        double sed, floor;
        if (lm_results_find_scalar(c->res, "sediment_delivered_mt", &sed) == 0 && !isnan(sed)) {
            if (lm_results_find_scalar(c->res, "sediment_floor_mt", &floor) == 0 && floor > 0)
                snprintf(detail, sizeof detail,
                         "at the plan's reach (default: the delta outlet); floor %.1f", floor);
            else
                snprintf(detail, sizeof detail,
                         "at the plan's reach (default: the delta outlet); no floor");
            kpi(h, "Sediment to the delta", sed, 1, "Mt/yr", detail);
        }
        double x1 = year_total(c, "lines", "energy_sent_twh", y1, 0);
        if (!isnan(x1)) {
            snprintf(label, sizeof label, "Cross-border energy %s", y1);
            kpi(h, label, x1, 1, "TWh", "sent over all corridors");
        }
    }
    lm_rbuf_puts(h, "</div>\n");
}

static void nav(lm_rbuf *h)
{
    static const char *items[][2] = {
        {"summary", "Summary"}, {"capacity", "Capacity"}, {"generation", "Generation"},
        {"emissions", "Emissions"}, {"flows", "Cross-border flows"}, {"hydro", "Hydropower & sediment"},
        {"map-section", "Map"}, {"costs", "Costs"}, {"sources", "Sources"}};
    lm_rbuf_puts(h, "<nav aria-label=\"sections\"><ul>");
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        lm_rbuf_printf(h, "<li><a href=\"#%s\">%s</a></li>", items[i][0], items[i][1]);
    lm_rbuf_puts(h, "</ul></nav>\n");
}

void lm_report_section_header(lm_report_ctx *c, lm_rbuf *h)
{
    const lm_report_run *r = &c->run;
    lm_rbuf_puts(h, "<header>\n<h1>");
    lm_html_text(h, r->plan_name ? r->plan_name : "(unnamed plan)");
    lm_rbuf_puts(h, "</h1>\n<p class=\"sub\">lmplan report \xC2\xB7 run ");
    lm_rbuf_printf(h, "%lld", (long long)r->id);
    lm_rbuf_puts(h, " \xC2\xB7 <span class=\"status status-");
    lm_html_attr(h, r->status);
    lm_rbuf_puts(h, "\">");
    lm_html_text(h, r->status);
    lm_rbuf_puts(h, "</span> \xC2\xB7 dataset ");
    lm_html_text(h, r->dataset_name);
    lm_rbuf_puts(h, "</p>\n</header>\n");
    nav(h);

    if (c->n_notes) {
        lm_rbuf_puts(h, "<div class=\"notes\" role=\"note\"><strong>Notes on the inputs</strong><ul>\n");
        for (int i = 0; i < c->n_notes; i++) {
            lm_rbuf_puts(h, "<li>");
            lm_html_text(h, c->notes[i]);
            lm_rbuf_puts(h, "</li>\n");
        }
        lm_rbuf_puts(h, "</ul></div>\n");
    }

    lm_rep_section_open(h, "summary", "Summary of the run");
    kpis(c, h);
    lm_rbuf_puts(h, "<div class=\"table-wrap\"><table class=\"meta\"><tbody>\n");
    lm_rbuf b;
    lm_rbuf_init(&b);
    meta_row(h, "Plan", r->plan_name);
    plan_rows(c, h);
    lm_rbuf_printf(&b, "%s (SHA-256 %s)", r->plan_path ? r->plan_path : "?",
                   r->plan_hash ? r->plan_hash : "?");
    meta_row(h, "Plan file", b.data);
    lm_rbuf_clear(&b);
    lm_rbuf_printf(&b, "%s (SHA-256 %s)", r->dataset_name ? r->dataset_name : "?",
                   r->dataset_hash ? r->dataset_hash : "?");
    meta_row(h, "Dataset", b.data);
    if (c->dataset_path) {
        lm_rbuf_clear(&b);
        const char *state = !c->ds ? " (not readable)"
                            : r->dataset_hash && strcmp(c->ds->hash, r->dataset_hash)
                                ? " (changed since the run)"
                                : " (same content as at run time)";
        lm_rbuf_printf(&b, "%s%s", c->dataset_path, state);
        meta_row(h, "Dataset files read by this report", b.data);
    }
    meta_row(h, "Status", r->status);
    if (r->message && *r->message) meta_row(h, "Message", r->message);
    lm_rbuf_clear(&b);
    if (isnan(r->objective_musd)) lm_rbuf_puts(&b, "none");
    else {
        lm_rbuf tmp;
        lm_rbuf_init(&tmp);
        lm_html_number(&tmp, r->objective_musd, 1);
        lm_rbuf_printf(&b, "%s million USD (discounted system cost)", tmp.data);
        lm_rbuf_free(&tmp);
    }
    meta_row(h, "Objective", b.data);
    lm_rbuf_clear(&b);
    lm_rbuf_printf(&b, "%s, method %s", r->solver ? r->solver : "?", r->method ? r->method : "?");
    meta_row(h, "Solver", b.data);
    lm_rbuf_clear(&b);
    if (r->n_rows >= 0)
        lm_rbuf_printf(&b, "%lld rows, %lld columns, %lld non-zeros", r->n_rows, r->n_cols,
                       r->n_nonzeros);
    meta_row(h, "Model size", b.data);
    lm_rbuf_clear(&b);
    const char *tn[4] = {"load", "build", "solve", "write"};
    double tv[4] = {r->load_s, r->build_s, r->solve_s, r->write_s};
    for (int i = 0; i < 4; i++)
        if (!isnan(tv[i])) lm_rbuf_printf(&b, "%s%s %.2f s", b.len ? ", " : "", tn[i], tv[i]);
    meta_row(h, "Timings", b.data);
    lm_rbuf_clear(&b);
    lm_rbuf_printf(&b, "%s to %s%s%s", r->started_at ? r->started_at : "?",
                   r->finished_at ? r->finished_at : "(not finished)", r->host ? " on " : "",
                   r->host ? r->host : "");
    meta_row(h, "Run started / finished (UTC)", b.data);
    lm_rbuf_clear(&b);
    lm_rbuf_printf(&b, "lmplan %s (report written by lmplan %s)",
                   r->program_version ? r->program_version : "?", LMPLAN_VERSION);
    meta_row(h, "Program version", b.data);
    lm_rbuf_clear(&b);
    lm_rbuf_printf(&b, "%s, run %lld", c->store_path, (long long)r->id);
    meta_row(h, "Result store", b.data);
    lm_rbuf_free(&b);
    lm_rbuf_puts(h, "</tbody></table></div>\n");
    lm_rep_section_close(h);
}

/* ---- data sources ------------------------------------------------------------------------------ */

void lm_report_section_sources(lm_report_ctx *c, lm_rbuf *h)
{
    lm_rep_section_open(h, "sources", "Data sources");
    if (!c->has_sources) {
        lm_report_nodata(h, "Sources: not available (the dataset has no sources.csv, or the "
                            "dataset could not be read). See the dataset's manifest.");
        lm_rep_section_close(h);
        return;
    }
    const lm_csv *s = &c->sources;
    int ci = lm_find_name(s->header, s->n_cols, "source_id");
    int cc = lm_find_name(s->header, s->n_cols, "citation");
    int cu = lm_find_name(s->header, s->n_cols, "url");
    lm_rbuf_puts(h, "<p>From the dataset's sources.csv (");
    lm_rbuf_printf(h, "%d source%s", s->n_rows, s->n_rows == 1 ? "" : "s");
    lm_rbuf_puts(h, "); every number of the dataset is traced to them in its provenance table. "
                    "Links open on the web; the report itself needs no network.</p>\n");
    lm_rbuf_puts(h, "<details><summary>List of sources</summary>\n<div class=\"table-wrap\">"
                    "<table class=\"sources\"><thead><tr>");
    for (int k = 0; k < s->n_cols; k++)
        if (k != cu) lm_rep_th(h, s->header[k]);
    lm_rbuf_puts(h, "</tr></thead><tbody>\n");
    for (int i = 0; i < s->n_rows; i++) {
        lm_rbuf_puts(h, "<tr>");
        for (int k = 0; k < s->n_cols; k++) {
            if (k == cu) continue;
            if (k == cc && cu >= 0) {
                lm_rbuf_puts(h, "<td>");
                lm_html_link(h, lm_csv_cell(s, i, cu), lm_csv_cell(s, i, cc));
                lm_rbuf_puts(h, "</td>");
            } else if (k == ci) {
                lm_rbuf_puts(h, "<td class=\"nowrap\">");
                lm_html_text(h, lm_csv_cell(s, i, k));
                lm_rbuf_puts(h, "</td>");
            } else {
                lm_rep_td(h, lm_csv_cell(s, i, k));
            }
        }
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody></table></div></details>\n");
    lm_rep_section_close(h);
}

