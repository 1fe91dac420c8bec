/* report_hydro.c - the hydropower and sediment section: hydropower generation by zone, the
 * daily energy budget used (hydro budget model), generation, inflow and spill per station
 * (table hydro_station, cascade model), and sediment delivered to the delta with what each
 * dam traps (table sediment).  A table the run did not write is reported as "no data". */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hydropower and sediment ---------------------------------------------------------- */

static void scalars_with_prefix(const lm_report_ctx *c, lm_rbuf *h, const char *prefix)
{
    int any = 0;
    for (int i = 0; i < c->res->n_scalars; i++) {
        const lm_scalar *s = &c->res->scalars[i];
        if (strncmp(s->name, prefix, strlen(prefix))) continue;
        if (!any) lm_rbuf_puts(h, "<div class=\"table-wrap\"><table class=\"meta\"><tbody>\n");
        any = 1;
        lm_rbuf_puts(h, "<tr><th scope=\"row\">");
        lm_html_text(h, s->name);
        lm_rbuf_puts(h, "</th>");
        lm_rep_td_num(h, s->value, -1);
        lm_rbuf_puts(h, "</tr>\n");
    }
    if (any) lm_rbuf_puts(h, "</tbody></table></div>\n");
}

static void hydro_budget_table(const lm_report_ctx *c, lm_rbuf *h)
{
    const lm_result_table *t = lm_results_find(c->res, "hydro_budget");
    double *bud = lm_rt_sum(t, "budget_mwh_per_day", "zone", &c->zones, "year", &c->years, NULL, NULL);
    double *use = lm_rt_sum(t, "used_mwh_per_day", "zone", &c->zones, "year", &c->years, NULL, NULL);
    if (bud && use) {
        lm_rep_details_open(h, "Hydropower energy budget used, summed over the representative days "
                        "(table hydro_budget: used / budget, %)");
        lm_rep_head_years(h, "zone", NULL, &c->years);
        for (int z = 0; z < c->zones.n; z++) {
            int any = 0;
            for (int y = 0; y < c->years.n; y++) any |= bud[(size_t)z * c->years.n + y] > 0;
            if (!any) continue;
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, c->zones.names[z]);
            for (int y = 0; y < c->years.n; y++) {
                size_t i = (size_t)z * c->years.n + y;
                lm_rep_td_num(h, bud[i] > 0 ? 100 * use[i] / bud[i] : NAN, 1);
            }
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "</tbody>\n");
        lm_rep_details_close(h);
    }
    free(bud);
    free(use);
}

static const lm_station *station_by_id(const lm_report_ctx *c, const char *id)
{
    long v;
    if (!c->ds || lm_parse_int(id, &v) != 0) return NULL;
    int s = lm_dataset_station(c->ds, v);
    return s >= 0 ? &c->ds->stations[s] : NULL;
}

/* Table hydro_station (station, year, month, hour: flows and output) summed up per station
 * and year: annual generation = mean output over the modelled hours x 8760 h, and for the
 * last year the mean inflow and the share of the outflow spilled. */
static void station_table(const lm_report_ctx *c, lm_rbuf *h, const lm_result_table *t)
{
    int ks = lm_rt_col(t, "station_id"), ky = lm_rt_col(t, "year"), vo = lm_rt_col(t, "output_mw");
    int vi = lm_rt_col(t, "inflow_m3s"), vt = lm_rt_col(t, "turbine_m3s"), vs = lm_rt_col(t, "spill_m3s");
    if (ks < 0 || ks >= t->n_keys || ky < 0 || ky >= t->n_keys || vo < t->n_keys || c->years.n == 0) {
        lm_rep_generic_table(h, t, "Station results (table hydro_station)");
        return;
    }
    lm_axis ids = {0};
    for (int i = 0; i < t->n_rows; i++) lm_axis_add(&ids, lm_rt_key(t, i, ks));
    int Y = c->years.n, last = Y - 1;
    size_t ns = (size_t)ids.n;
    double *out = lm_xcalloc(ns * Y, sizeof *out), *cnt = lm_xcalloc(ns * Y, sizeof *cnt);
    double *inflow = lm_xcalloc(ns, sizeof *inflow), *tur = lm_xcalloc(ns, sizeof *tur);
    double *spill = lm_xcalloc(ns, sizeof *spill);
    for (int i = 0; i < t->n_rows; i++) {
        int s = lm_axis_find(&ids, lm_rt_key(t, i, ks)), y = lm_axis_find(&c->years, lm_rt_key(t, i, ky));
        if (s < 0 || y < 0) continue;
        double o = lm_rt_val(t, i, vo);
        if (!isnan(o)) out[(size_t)s * Y + y] += o;
        cnt[(size_t)s * Y + y] += 1;
        if (y != last) continue;
        if (vi >= t->n_keys && !isnan(lm_rt_val(t, i, vi))) inflow[s] += lm_rt_val(t, i, vi);
        if (vt >= t->n_keys && !isnan(lm_rt_val(t, i, vt))) tur[s] += lm_rt_val(t, i, vt);
        if (vs >= t->n_keys && !isnan(lm_rt_val(t, i, vs))) spill[s] += lm_rt_val(t, i, vs);
    }
    char title[160];
    snprintf(title, sizeof title, "Generation by station (table hydro_station: mean output_mw over "
             "the modelled hours x 8760 h, TWh); inflow and spill in %s", c->years.names[last]);
    lm_rep_details_open(h, title);
    lm_rbuf_puts(h, "<thead><tr><th>station</th><th>zone</th>");
    for (int y = 0; y < Y; y++) lm_rep_th(h, c->years.names[y]);
    lm_rbuf_puts(h, "<th>mean inflow (m3/s)</th><th>spilled share of outflow (%)</th></tr>"
                    "</thead><tbody>\n");
    for (int s = 0; s < ids.n; s++) {
        const lm_station *sp = station_by_id(c, ids.names[s]);
        lm_rbuf_puts(h, "<tr><td>");
        lm_html_text(h, ids.names[s]);
        if (sp) {
            lm_rbuf_puts(h, " ");
            lm_html_text(h, sp->name);
        }
        lm_rbuf_puts(h, "</td>");
        lm_rep_td(h, sp && c->ds && sp->zone >= 0 ? c->ds->zones[sp->zone] : "\xE2\x80\x93");
        for (int y = 0; y < Y; y++) {
            double n = cnt[(size_t)s * Y + y];
            lm_rep_td_num(h, n > 0 ? out[(size_t)s * Y + y] / n * 8760.0 / 1e6 : NAN, 3);
        }
        double n = cnt[(size_t)s * Y + last];
        lm_rep_td_num(h, vi >= t->n_keys && n > 0 ? inflow[s] / n : NAN, 0);
        lm_rep_td_num(h, tur[s] + spill[s] > 0 ? 100 * spill[s] / (tur[s] + spill[s]) : NAN, 1);
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody>\n");
    lm_rep_details_close(h);
    free(out);
    free(cnt);
    free(inflow);
    free(tur);
    free(spill);
    lm_axis_free(&ids);
}

/* Table sediment (per reach: yield, trap efficiency, dam in place, sediment arriving,
 * delivered downstream, deposited): the reaches with a dam in place, largest deposit first,
 * as a chart and a table; every reach in the full table below. */
static void sediment_view(lm_report_ctx *c, lm_rbuf *h, lm_json *j, const lm_result_table *t)
{
    int kr = lm_rt_col(t, "reach_id"), vp = lm_rt_col(t, "in_place"), vd = lm_rt_col(t, "deposited_mt");
    int va = lm_rt_col(t, "accumulated_mt"), ve = lm_rt_col(t, "trap_efficiency");
    if (kr < 0 || kr >= t->n_keys || vp < t->n_keys || vd < t->n_keys) {
        lm_rep_generic_table(h, t, "Sediment results (table sediment)");
        return;
    }
    int n = 0, *rows = lm_xmalloc(((size_t)t->n_rows + 1) * sizeof *rows);
    for (int i = 0; i < t->n_rows; i++)
        if (lm_rt_val(t, i, vp) > 0) rows[n++] = i;
    for (int a = 1; a < n; a++) /* insertion sort by deposit, largest first */
        for (int b = a; b > 0 && lm_rt_val(t, rows[b], vd) > lm_rt_val(t, rows[b - 1], vd); b--) {
            int tmp = rows[b];
            rows[b] = rows[b - 1];
            rows[b - 1] = tmp;
        }
    if (n == 0) {
        lm_rep_para(h, "No dam is in place on the sediment network in this run (table sediment, "
                "column in_place).");
    } else {
        lm_rep_para(h, "Reaches with a dam in place (table sediment, in_place > 0): sediment arriving "
                "and deposited in the reach (Mt/yr; natural deposition plus what the reservoir "
                "traps). Reach ids of basin stations equal their station ids.");
        lm_rbuf_puts(h, n > 8 ? "<div class=\"wide tall\">\n" : "<div class=\"wide\">\n");
        lm_report_chart(c, h, "sediment",
                        "Sediment deposited at reaches with a dam (Mt/yr), largest first");
        lm_rbuf_puts(h, "</div>\n");
        lm_rep_details_open(h, "Reaches with a dam in place (table sediment)");
        lm_rbuf_puts(h, "<thead><tr><th>reach</th><th>station</th><th>dam in place</th>"
                        "<th>trap efficiency</th><th>arriving (Mt/yr)</th><th>deposited (Mt/yr)</th>"
                        "</tr></thead><tbody>\n");
        for (int a = 0; a < n; a++) {
            int i = rows[a];
            const lm_station *sp = station_by_id(c, lm_rt_key(t, i, kr));
            lm_rbuf_puts(h, "<tr>");
            lm_rep_td(h, lm_rt_key(t, i, kr));
            lm_rep_td(h, sp ? sp->name : "\xE2\x80\x93");
            lm_rep_td_num(h, lm_rt_val(t, i, vp), 2);
            lm_rep_td_num(h, ve >= t->n_keys ? lm_rt_val(t, i, ve) : NAN, 3);
            lm_rep_td_num(h, va >= t->n_keys ? lm_rt_val(t, i, va) : NAN, 2);
            lm_rep_td_num(h, lm_rt_val(t, i, vd), 2);
            lm_rbuf_puts(h, "</tr>\n");
        }
        lm_rbuf_puts(h, "</tbody>\n");
        lm_rep_details_close(h);
        int shown = n < 20 ? n : 20;
        lm_json_key(j, "sediment");
        lm_json_object(j);
        lm_json_key(j, "labels");
        lm_json_array(j);
        for (int a = 0; a < shown; a++) {
            const lm_station *sp = station_by_id(c, lm_rt_key(t, rows[a], kr));
            char label[160];
            snprintf(label, sizeof label, "%s%s%s", sp ? sp->name : "reach ",
                     sp ? "" : lm_rt_key(t, rows[a], kr), "");
            lm_json_string(j, label);
        }
        lm_json_array_end(j);
        lm_json_key(j, "depositedMt");
        lm_json_array(j);
        for (int a = 0; a < shown; a++) lm_json_number(j, lm_rt_val(t, rows[a], vd));
        lm_json_array_end(j);
        lm_json_object_end(j);
    }
    lm_rep_generic_table(h, t, "Every reach (table sediment)");
    free(rows);
}

void lm_report_section_hydro(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rep_section_open(h, "hydro", "Hydropower and sediment to the delta");
    lm_axis hydro = {0};
    for (int k = 0; k < c->techs.n; k++)
        if (lm_rep_is_hydro_tech(c, c->techs.names[k])) lm_axis_add(&hydro, c->techs.names[k]);
    const lm_result_table *t = lm_results_find(c->res, "generation_annual");
    double *g = NULL;
    if (hydro.n)
        g = lm_rt_sum(t, "generation_twh", "zone", &c->zones, "tech", &hydro, "year", &c->years);
    if (!g || c->years.n == 0) {
        lm_report_nodata(h, "No hydropower generation results for this run.");
    } else {
        double *zy = lm_xcalloc((size_t)c->zones.n * c->years.n + 1, sizeof *zy);
        for (int z = 0; z < c->zones.n; z++)
            for (int k = 0; k < hydro.n; k++)
                for (int y = 0; y < c->years.n; y++)
                    zy[(size_t)z * c->years.n + y] += g[((size_t)z * hydro.n + k) * c->years.n + y];
        lm_rbuf b;
        lm_rbuf_init(&b);
        for (int k = 0; k < hydro.n; k++) lm_rbuf_printf(&b, "%s%s", k ? ", " : "", hydro.names[k]);
        lm_rbuf_puts(h, "<p>Hydropower generation by zone (table generation_annual, technology ");
        lm_html_text(h, b.data);
        lm_rbuf_puts(h, ", TWh).</p>\n<div class=\"wide\">\n");
        lm_rbuf_free(&b);
        lm_report_chart(c, h, "hydro", "Hydropower generation by zone (TWh)");
        lm_rbuf_puts(h, "</div>\n");
        lm_rep_details_open(h, "Hydropower generation by zone and year (TWh)");
        lm_rep_table_zy(h, &c->zones, &c->years, zy, 2, "all zones");
        lm_rep_details_close(h);
        hydro_budget_table(c, h);
        lm_json_key(j, "hydro");
        lm_rep_json_matrix(j, zy, c->zones.n, c->years.n, 1);
        free(zy);
    }
    free(g);
    lm_axis_free(&hydro);

    lm_rbuf_puts(h, "<h3>Hydropower stations</h3>\n");
    const lm_result_table *st = lm_results_find(c->res, "hydro_station");
    if (st) station_table(c, h, st);
    else lm_report_nodata(h, "Station results: no data for this run (the run wrote no table "
                             "hydro_station; the station-level hydropower model was not part of it).");
    scalars_with_prefix(c, h, "hydro");

    lm_rbuf_puts(h, "<h3>Sediment to the delta</h3>\n");
    const lm_result_table *sd = lm_results_find(c->res, "sediment");
    scalars_with_prefix(c, h, "sediment");
    if (sd) sediment_view(c, h, j, sd);
    else lm_report_nodata(h, "Sediment: no data for this run (the run wrote no table sediment; "
                             "the sediment model was not part of it).");
    lm_rep_section_close(h);
}

