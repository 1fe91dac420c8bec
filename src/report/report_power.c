/* report_power.c - the power-system sections: capacity mix and generation mix by zone,
 * technology and year (with demand), emissions against the carbon caps and the dataset's NDC
 * targets, and cross-border flows per corridor.  Each writes its tables as HTML and the series
 * its charts need into the page's JSON data (src/report/report.js draws them). */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- zone x technology x year tables ----------------------------------------------------- */

/* Rows zone / technology with one column per year, a total row per zone and for all zones;
 * rows that are zero in every year are left out (skip_zero). */
static void table_zky(lm_rbuf *h, const lm_report_ctx *c, const double *cube, int dec,
                      int skip_zero)
{
    const lm_axis *Z = &c->zones, *K = &c->techs, *Y = &c->years;
    lm_rep_head_years(h, "zone", "technology", Y);
    double *all = lm_xcalloc((size_t)Y->n + 1, sizeof *all);
    for (int z = 0; z < Z->n; z++) {
        double *tot = lm_xcalloc((size_t)Y->n + 1, sizeof *tot);
        for (int k = 0; k < K->n; k++) {
            const double *row = cube + ((size_t)z * K->n + k) * Y->n;
            int any = 0;
            for (int y = 0; y < Y->n; y++) {
                tot[y] += row[y];
                all[y] += row[y];
                if (row[y] != 0) any = 1;
            }
            if (skip_zero && !any) continue;
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, Z->names[z]);
            lm_rep_td(h, K->names[k]);
            for (int y = 0; y < Y->n; y++) lm_rep_td_num(h, row[y], dec);
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "<tr class=\"total\">");
        lm_rep_td(h, Z->names[z]);
        lm_rep_td(h, "total");
        for (int y = 0; y < Y->n; y++) lm_rep_td_num(h, tot[y], dec);
        lm_rbuf_puts(h, "</tr>\n");
        free(tot);
    }
    lm_rbuf_puts(h, "<tr class=\"total\">");
    lm_rep_td(h, "all zones");
    lm_rep_td(h, "total");
    for (int y = 0; y < Y->n; y++) lm_rep_td_num(h, all[y], dec);
    lm_rbuf_puts(h, "</tr>\n</tbody>\n");
    free(all);
}


static void charts_per_zone(lm_report_ctx *c, lm_rbuf *h, const char *kind, const char *what)
{
    char id[64], title[256];
    lm_rbuf_puts(h, "<div class=\"grid\">\n");
    snprintf(id, sizeof id, "%s/-1", kind);
    snprintf(title, sizeof title, "%s: all zones", what);
    lm_report_chart(c, h, id, title);
    for (int z = 0; z < c->zones.n; z++) {
        snprintf(id, sizeof id, "%s/%d", kind, z);
        snprintf(title, sizeof title, "%s: %s", what, c->zones.names[z]);
        lm_report_chart(c, h, id, title);
    }
    lm_rbuf_puts(h, "</div>\n");
}

/* ---- capacity ---------------------------------------------------------------------------- */

void lm_report_section_capacity(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "capacity", "Capacity mix by zone and year");
    const lm_result_table *t = lm_results_find(c->res, "capacity");
    double *cap = lm_rt_sum(t, "capacity_mw", "zone", &c->zones, "tech", &c->techs, "year", &c->years);
    if (!cap || c->years.n == 0) {
        lm_report_nodata(h, "No capacity results (result table capacity) for this run.");
        lm_rep_section_close(h);
        free(cap);
        return;
    }
    lm_rep_para(h, "Installed capacity in each modelled year: the base-year fleet still in service plus "
            "what the model built (result table capacity, column capacity_mw). Charts in GW, "
            "tables in MW.");
    charts_per_zone(c, h, "capacity", "Installed capacity");
    lm_rep_details_open(h, "Installed capacity by zone, technology and year (MW)");
    table_zky(h, c, cap, 0, 0);
    lm_rep_details_close(h);
    double *nw = lm_rt_sum(t, "new_mw", "zone", &c->zones, "tech", &c->techs, "year", &c->years);
    if (nw) {
        lm_rep_details_open(h, "New capacity built in each modelled year (MW, column new_mw)");
        table_zky(h, c, nw, 0, 1);
        lm_rep_details_close(h);
    }
    lm_json_key(j, "capacity");
    lm_json_array(j);
    for (int z = 0; z < c->zones.n; z++)
        lm_rep_json_matrix(j, cap + (size_t)z * c->techs.n * c->years.n, c->techs.n, c->years.n, 1e-3);
    lm_json_array_end(j);
    free(nw);
    free(cap);
    lm_rep_section_close(h);
}

/* ---- generation ---------------------------------------------------------------------------- */

/* Annual demand (TWh) per zone and year from table balance: the mean hourly demand over the
 * modelled hours times 8760 h (each representative day stands for the same number of days). */
static double *demand_twh(const lm_report_ctx *c)
{
    const lm_result_table *t = lm_results_find(c->res, "balance");
    double *sum = lm_rt_sum(t, "demand_mw", "zone", &c->zones, "year", &c->years, NULL, NULL);
    if (!sum) return NULL;
    int cz = lm_rt_col(t, "zone"), cy = lm_rt_col(t, "year");
    double *n = lm_xcalloc((size_t)c->zones.n * c->years.n + 1, sizeof *n);
    for (int i = 0; i < t->n_rows; i++) {
        int z = lm_axis_find(&c->zones, lm_rt_key(t, i, cz));
        int y = lm_axis_find(&c->years, lm_rt_key(t, i, cy));
        if (z >= 0 && y >= 0) n[(size_t)z * c->years.n + y] += 1;
    }
    for (size_t i = 0; i < (size_t)c->zones.n * c->years.n; i++)
        sum[i] = n[i] > 0 ? sum[i] / n[i] * 8760.0 / 1e6 : NAN;
    free(n);
    return sum;
}

void lm_report_section_generation(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "generation", "Generation mix by technology and year");
    const lm_result_table *t = lm_results_find(c->res, "generation_annual");
    double *gen = lm_rt_sum(t, "generation_twh", "zone", &c->zones, "tech", &c->techs, "year", &c->years);
    if (!gen || c->years.n == 0) {
        lm_report_nodata(h, "No generation results (result table generation_annual) for this run.");
        lm_rep_section_close(h);
        free(gen);
        return;
    }
    double *dem = demand_twh(c);
    lm_rep_para(h, "Annual generation by technology (result table generation_annual, TWh; storage: "
            "discharge). The line is annual demand: the mean of the hourly demand of table "
            "balance over the modelled hours times 8760 h.");
    lm_rbuf_puts(h, "<p class=\"control\"><label>Zone <select data-select=\"generation\">"
                    "<option value=\"-1\">All zones</option>");
    for (int z = 0; z < c->zones.n; z++) {
        lm_rbuf_printf(h, "<option value=\"%d\">", z);
        lm_html_text(h, c->zones.names[z]);
        lm_rbuf_puts(h, "</option>");
    }
    lm_rbuf_puts(h, "</select></label></p>\n<div class=\"wide\">\n");
    lm_report_chart(c, h, "generation", "Annual generation by technology (TWh)");
    lm_rbuf_puts(h, "</div>\n");
    lm_rep_details_open(h, "Generation by zone, technology and year (TWh)");
    table_zky(h, c, gen, 2, 0);
    lm_rep_details_close(h);
    if (dem) {
        lm_rep_details_open(h, "Annual demand by zone and year (TWh)");
        lm_rep_table_zy(h, &c->zones, &c->years, dem, 2, "all zones");
        lm_rep_details_close(h);
    }
    lm_json_key(j, "generation");
    lm_json_array(j);
    for (int z = 0; z < c->zones.n; z++)
        lm_rep_json_matrix(j, gen + (size_t)z * c->techs.n * c->years.n, c->techs.n, c->years.n, 1);
    lm_json_array_end(j);
    lm_json_key(j, "demand");
    if (dem) lm_rep_json_matrix(j, dem, c->zones.n, c->years.n, 1);
    else lm_json_null(j);
    free(dem);
    free(gen);
    lm_rep_section_close(h);
}

/* ---- emissions, caps, NDC targets -------------------------------------------------------- */

/* The zone an NDC country's targets apply to: the zone of the same name, or the dataset's
 * convention for countries whose basin part is a zone of another name (docs/default-dataset.md:
 * China's national targets apply to the Yunnan zone). */
static const char *ndc_zone(const lm_report_ctx *c, const char *country)
{
    static const char *alias[][2] = {{"China", "Yunnan"}, {"Lao PDR", "Laos"},
                                     {"Viet Nam", "Vietnam"}};
    if (lm_axis_find(&c->zones, country) >= 0) return country;
    for (size_t i = 0; i < sizeof alias / sizeof *alias; i++)
        if (!strcmp(country, alias[i][0]) && lm_axis_find(&c->zones, alias[i][1]) >= 0)
            return alias[i][1];
    return NULL;
}

static void ndc_table(lm_report_ctx *c, lm_rbuf *h, const double *em)
{
    lm_rbuf_puts(h, "<h3>NDC targets</h3>\n");
    if (!c->has_ndc) {
        lm_report_nodata(h, "NDC targets: not available (the run's dataset has no "
                            "ndc_targets.csv, or the dataset could not be read).");
        return;
    }
    const lm_csv *n = &c->ndc;
    int c_country = lm_find_name(n->header, n->n_cols, "country");
    int c_zone = lm_find_name(n->header, n->n_cols, "zone");
    int c_year = lm_find_name(n->header, n->n_cols, "target_year");
    lm_rep_para(h, "As stated in the dataset's ndc_targets.csv (every column as written there). NDC "
            "targets are economy-wide and mostly relative to business-as-usual projections that "
            "the dataset does not hold; the last columns show the model's power-sector CO2 of "
            "the matching zone for orientation only, not as a check of the target.");
    lm_rbuf_puts(h, "<div class=\"table-wrap\"><table class=\"ndc\"><thead><tr>");
    for (int k = 0; k < n->n_cols; k++) lm_rep_th(h, n->header[k]);
    if (c_zone < 0) lm_rep_th(h, "zone");
    lm_rep_th(h, "model CO2, target year (Mt)");
    if (c->years.n) {
        char s[96];
        snprintf(s, sizeof s, "model CO2, %s (Mt)", c->years.names[c->years.n - 1]);
        lm_rep_th(h, s);
    }
    lm_rbuf_puts(h, "</tr></thead><tbody>\n");
    for (int i = 0; i < n->n_rows; i++) {
        lm_rbuf_puts(h, "<tr>");
        for (int k = 0; k < n->n_cols; k++) {
            const char *v = lm_csv_cell(n, i, k);
            lm_rbuf_puts(h, strlen(v) > 30 ? "<td class=\"long\">" : "<td>");
            lm_html_text(h, v);
            lm_rbuf_puts(h, "</td>");
        }
        const char *zone = c_zone >= 0                           ? lm_csv_cell(n, i, c_zone)
                           : c_country >= 0 ? ndc_zone(c, lm_csv_cell(n, i, c_country))
                                            : NULL;
        int z = zone ? lm_axis_find(&c->zones, zone) : -1;
        if (c_zone < 0) lm_rep_td(h, zone ? zone : "\xE2\x80\x93");
        int y = c_year >= 0 ? lm_axis_find(&c->years, lm_csv_cell(n, i, c_year)) : -1;
        if (z >= 0 && y >= 0 && em) lm_rep_td_num(h, em[(size_t)z * c->years.n + y], 1);
        else lm_rep_td(h, z >= 0 && em ? "year not modelled" : "\xE2\x80\x93");
        if (c->years.n) {
            if (z >= 0 && em) lm_rep_td_num(h, em[(size_t)z * c->years.n + c->years.n - 1], 1);
            else lm_rep_td(h, "\xE2\x80\x93");
        }
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody></table></div>\n");
}

static void caps_table(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    const lm_result_table *t = lm_results_find(c->res, "carbon_caps");
    int cs = lm_rt_col(t, "scope"), cy = lm_rt_col(t, "year"), cc = lm_rt_col(t, "cap_mt");
    int ce = lm_rt_col(t, "emissions_mt"), cp = lm_rt_col(t, "shadow_price_usd_per_t");
    lm_json_key(j, "basinCap");
    if (!t || cs < 0 || cy < 0 || cc < 0) {
        lm_json_null(j);
        lm_report_nodata(h, "No carbon-cap results (result table carbon_caps) for this run.");
        return;
    }
    double *cap = lm_xmalloc(((size_t)c->years.n + 1) * sizeof *cap);
    for (int y = 0; y < c->years.n; y++) cap[y] = NAN;
    lm_rep_details_open(h, "Carbon caps, emissions and shadow prices (table carbon_caps)");
    lm_rbuf_puts(h, "<thead><tr><th>scope</th><th>year</th><th>cap (Mt)</th><th>emissions (Mt)</th>"
                    "<th>shadow price (USD/t CO2)</th></tr></thead><tbody>\n");
    for (int i = 0; i < t->n_rows; i++) {
        double capv = lm_rt_val(t, i, cc);
        lm_rbuf_puts(h, "<tr>");
        lm_rep_td(h, lm_rt_key(t, i, cs));
        lm_rep_td(h, lm_rt_key(t, i, cy));
        if (isinf(capv) && capv > 0) lm_rep_td(h, "no cap");
        else lm_rep_td_num(h, capv, 2);
        lm_rep_td_num(h, ce >= 0 ? lm_rt_val(t, i, ce) : NAN, 2);
        lm_rep_td_num(h, cp >= 0 ? lm_rt_val(t, i, cp) : NAN, 2);
        lm_rbuf_puts(h, "</tr>\n");
        if (!strcmp(lm_rt_key(t, i, cs), "basin")) {
            int y = lm_axis_find(&c->years, lm_rt_key(t, i, cy));
            if (y >= 0) cap[y] = capv;
        }
    }
    lm_rep_details_close(h);
    lm_json_numbers(j, cap, c->years.n); /* infinite caps become null: no line */
    free(cap);
}

void lm_report_section_emissions(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "emissions", "Emissions against caps and NDC targets");
    const lm_result_table *t = lm_results_find(c->res, "emissions");
    double *em = lm_rt_sum(t, "emissions_mt", "zone", &c->zones, "year", &c->years, NULL, NULL);
    if (!em || c->years.n == 0) {
        lm_report_nodata(h, "No emission results (result table emissions) for this run.");
    } else {
        lm_rep_para(h, "Power-sector CO2 by zone (result table emissions, Mt CO2 per year) and the "
                "basin-wide cap where the plan sets one (table carbon_caps; its shadow price is "
                "the marginal cost of the cap in USD per tonne).");
        lm_rbuf_puts(h, "<div class=\"wide\">\n");
        lm_report_chart(c, h, "emissions", "CO2 emissions by zone (Mt) and basin cap");
        lm_rbuf_puts(h, "</div>\n");
        lm_rep_details_open(h, "Emissions by zone and year (Mt CO2)");
        lm_rep_table_zy(h, &c->zones, &c->years, em, 2, "all zones");
        lm_rep_details_close(h);
        lm_json_key(j, "emissions");
        lm_rep_json_matrix(j, em, c->zones.n, c->years.n, 1);
    }
    caps_table(c, h, j);
    ndc_table(c, h, em);
    free(em);
    lm_rep_section_close(h);
}

/* ---- cross-border flows -------------------------------------------------------------------- */

void lm_report_section_flows(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "flows", "Cross-border flows");
    const lm_result_table *t = lm_results_find(c->res, "lines");
    int cf = lm_rt_col(t, "from_zone"), ct = lm_rt_col(t, "to_zone"), cy = lm_rt_col(t, "year");
    const char *vals[3] = {"capacity_mw", "new_mw", "energy_sent_twh"};
    int cv[3];
    for (int v = 0; v < 3; v++) cv[v] = lm_rt_col(t, vals[v]);
    if (!t || t->n_rows == 0 || cf < 0 || ct < 0 || cy < 0 || cv[0] < 0 || cv[2] < 0 ||
        c->years.n == 0) {
        lm_report_nodata(h, "No transmission results (result table lines) for this run.");
        lm_rep_section_close(h);
        return;
    }
    /* corridors in the model's order */
    int nl = 0;
    const char **from = lm_xcalloc((size_t)t->n_rows, sizeof *from);
    const char **to = lm_xcalloc((size_t)t->n_rows, sizeof *to);
    double *m = lm_xmalloc((size_t)t->n_rows * 3 * c->years.n * sizeof *m);
    for (size_t i = 0; i < (size_t)t->n_rows * 3 * c->years.n; i++) m[i] = NAN;
    for (int i = 0; i < t->n_rows; i++) {
        const char *f = lm_rt_key(t, i, cf), *o = lm_rt_key(t, i, ct);
        int l = 0;
        while (l < nl && (strcmp(from[l], f) || strcmp(to[l], o))) l++;
        if (l == nl) {
            from[nl] = f;
            to[nl++] = o;
        }
        int y = lm_axis_find(&c->years, lm_rt_key(t, i, cy));
        if (y < 0) continue;
        for (int v = 0; v < 3; v++)
            if (cv[v] >= 0) m[((size_t)l * 3 + v) * c->years.n + y] = lm_rt_val(t, i, cv[v]);
    }
    lm_rep_para(h, "Energy sent over each directed corridor in a year (result table lines, column "
            "energy_sent_twh, before line losses) and corridor capacity per direction "
            "(capacity_mw; new_mw is the capacity added to the corridor pair in that year).");
    lm_rbuf_puts(h, "<div class=\"wide tall\">\n");
    lm_report_chart(c, h, "flows", "Energy sent by corridor and year (TWh)");
    lm_rbuf_puts(h, "</div>\n");
    static const char *titles[3] = {"Corridor capacity per direction (MW)",
                                    "New capacity of the corridor pair built in the year (MW)",
                                    "Energy sent (TWh)"};
    static const int dec[3] = {0, 0, 2};
    for (int v = 0; v < 3; v++) {
        if (cv[v] < 0) continue;
        lm_rep_details_open(h, titles[v]);
        lm_rep_head_years(h, "from", "to", &c->years);
        for (int l = 0; l < nl; l++) {
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, from[l]);
            lm_rep_td(h, to[l]);
            for (int y = 0; y < c->years.n; y++)
                lm_rep_td_num(h, m[((size_t)l * 3 + v) * c->years.n + y], dec[v]);
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "</tbody>\n");
        lm_rep_details_close(h);
    }
    lm_json_key(j, "lines");
    lm_json_array(j);
    for (int l = 0; l < nl; l++) {
        lm_json_object(j);
        lm_json_key(j, "from");
        lm_json_string(j, from[l]);
        lm_json_key(j, "to");
        lm_json_string(j, to[l]);
        lm_json_key(j, "capacityMw");
        lm_json_numbers(j, m + ((size_t)l * 3 + 0) * c->years.n, c->years.n);
        lm_json_key(j, "energyTwh");
        lm_json_numbers(j, m + ((size_t)l * 3 + 2) * c->years.n, c->years.n);
        lm_json_object_end(j);
    }
    lm_json_array_end(j);
    free(from);
    free(to);
    free(m);
    lm_rep_section_close(h);
}

