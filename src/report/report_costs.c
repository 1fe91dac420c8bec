/* report_costs.c - the cost breakdown: the objective's terms by category, modelled year and
 * zone (table costs, discounted million USD) as charts and tables, and the run's cost scalars. */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- costs ------------------------------------------------------------------------------------ */

static const char *cost_label(const char *cat)
{
    static const char *names[][2] = {
        {"var_om", "variable O&M"}, {"fuel", "fuel"}, {"line_var", "line variable cost"},
        {"import", "imports from external zones"}, {"unserved", "unserved energy"},
        {"fixed_tech", "fixed O&M, plants"}, {"fixed_line", "fixed O&M, lines"},
        {"inv_tech", "investment, plants"}, {"inv_line", "investment, lines"},
        {"inv_hydro", "investment, dams"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(cat, names[i][0])) return names[i][1];
    return cat;
}

void lm_report_section_costs(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "costs", "Cost breakdown");
    const lm_result_table *t = lm_results_find(c->res, "costs");
    lm_axis cats = {0}, zones = {0}, years = {0};
    int cc = lm_rt_col(t, "category");
    if (t && cc >= 0 && cc < t->n_keys)
        for (int i = 0; i < t->n_rows; i++) lm_axis_add(&cats, lm_rt_key(t, i, cc));
    for (int z = 0; z < c->zones.n; z++) lm_axis_add(&zones, c->zones.names[z]);
    lm_axis_add(&zones, "all");
    for (int y = 0; y < c->years.n; y++) lm_axis_add(&years, c->years.names[y]);
    lm_axis_add(&years, "0");
    double *by_year = NULL, *by_zone = NULL;
    if (cats.n) {
        by_year = lm_rt_sum(t, "cost_musd", "category", &cats, "year", &years, NULL, NULL);
        by_zone = lm_rt_sum(t, "cost_musd", "category", &cats, "zone", &zones, NULL, NULL);
    }
    if (!by_year || !by_zone) {
        lm_report_nodata(h, "No cost results (result table costs) for this run.");
    } else {
        lm_rep_para(h, "The objective's terms by category, zone and year (result table costs, million "
                "USD discounted to the first year as in the objective; docs/model.md). Costs not "
                "tied to one zone or year are shown as such.");
        lm_rbuf_puts(h, "<div class=\"grid two\">\n");
        lm_report_chart(c, h, "costs-year", "Cost by category and modelled year (bn USD, discounted)");
        lm_report_chart(c, h, "costs-zone", "Cost by category and zone (bn USD, discounted)");
        lm_rbuf_puts(h, "</div>\n");
        lm_rep_details_open(h, "Cost by category and year (million USD, discounted)");
        lm_rbuf_puts(h, "<thead><tr><th>category</th>");
        for (int y = 0; y < years.n; y++)
            lm_rep_th(h, strcmp(years.names[y], "0") ? years.names[y] : "no year");
        lm_rbuf_puts(h, "<th>total</th></tr></thead><tbody>\n");
        for (int k = 0; k < cats.n; k++) {
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, cost_label(cats.names[k]));
            double s = 0;
            for (int y = 0; y < years.n; y++) {
                s += by_year[(size_t)k * years.n + y];
                lm_rep_td_num(h, by_year[(size_t)k * years.n + y], 1);
            }
            lm_rep_td_num(h, s, 1);
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "</tbody>\n");
        lm_rep_details_close(h);
        lm_rep_details_open(h, "Cost by category and zone (million USD, discounted, all years)");
        lm_rbuf_puts(h, "<thead><tr><th>category</th>");
        for (int z = 0; z < zones.n; z++)
            lm_rep_th(h, strcmp(zones.names[z], "all") ? zones.names[z] : "no zone");
        lm_rbuf_puts(h, "</tr></thead><tbody>\n");
        for (int k = 0; k < cats.n; k++) {
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, cost_label(cats.names[k]));
            for (int z = 0; z < zones.n; z++) lm_rep_td_num(h, by_zone[(size_t)k * zones.n + z], 1);
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "</tbody>\n");
        lm_rep_details_close(h);
        lm_json_key(j, "costs");
        lm_json_object(j);
        lm_json_key(j, "categories");
        lm_json_array(j);
        for (int k = 0; k < cats.n; k++) lm_json_string(j, cats.names[k]);
        lm_json_array_end(j);
        lm_json_key(j, "labels");
        lm_json_array(j);
        for (int k = 0; k < cats.n; k++) lm_json_string(j, cost_label(cats.names[k]));
        lm_json_array_end(j);
        lm_json_key(j, "years");
        lm_json_array(j);
        for (int y = 0; y < years.n; y++)
            lm_json_string(j, strcmp(years.names[y], "0") ? years.names[y] : "no year");
        lm_json_array_end(j);
        lm_json_key(j, "zones");
        lm_json_array(j);
        for (int z = 0; z < zones.n; z++)
            lm_json_string(j, strcmp(zones.names[z], "all") ? zones.names[z] : "no zone");
        lm_json_array_end(j);
        lm_json_key(j, "byYear");
        lm_rep_json_matrix(j, by_year, cats.n, years.n, 1e-3);
        lm_json_key(j, "byZone");
        lm_rep_json_matrix(j, by_zone, cats.n, zones.n, 1e-3);
        lm_json_object_end(j);
    }
    lm_rbuf_puts(h, "<h3>Totals (run scalars)</h3>\n");
    int any = 0;
    for (int i = 0; i < c->res->n_scalars; i++) {
        const lm_scalar *s = &c->res->scalars[i];
        size_t n = strlen(s->name);
        if (n < 5 || strcmp(s->name + n - 5, "_musd")) continue;
        if (!any) lm_rbuf_puts(h, "<div class=\"table-wrap\"><table class=\"meta\"><thead><tr>"
                                  "<th>scalar</th><th>million USD</th></tr></thead><tbody>\n");
        any = 1;
        lm_rbuf_puts(h, "<tr><th scope=\"row\">");
        lm_html_text(h, s->name);
        lm_rbuf_puts(h, "</th>");
        lm_rep_td_num(h, s->value, 1);
        lm_rbuf_puts(h, "</tr>\n");
    }
    if (any) lm_rbuf_puts(h, "</tbody></table></div>\n");
    else lm_report_nodata(h, "No cost scalars for this run.");
    free(by_year);
    free(by_zone);
    lm_axis_free(&cats);
    lm_axis_free(&zones);
    lm_axis_free(&years);
    lm_rep_section_close(h);
}

