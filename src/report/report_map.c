/* report_map.c - the map section: the dataset's hydropower stations (hydro_static.csv:
 * longitude_deg, latitude_deg, installed capacity, commissioning year), coloured by status,
 * over the Natural Earth country outlines that src/report/report.js draws as SVG.
 *
 * Status: a station in service in the dataset's first year is existing.  If the run wrote a
 * result table `dams` (station_id, built), a candidate is built or not built by that table
 * (built >= 0.5; a relaxed decision shows its fraction), and a candidate absent from it was
 * not modelled.  Without that table, candidates are shown as planned, by commissioning year.
 * Links between stations are the river network of hydro_connect.csv. */
#include "report/report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void dam_table(const lm_report_ctx *c, lm_rbuf *h)
{
    lm_rbuf_puts(h, "<details><summary>Stations on the map</summary>\n<div class=\"table-wrap\">"
                    "<table><thead><tr><th>id</th><th>station</th><th>river</th><th>zone</th>"
                    "<th>capacity (MW)</th><th>commissioning year</th><th>longitude</th>"
                    "<th>latitude</th><th>status</th><th>in service from</th>"
                    "<th>generation in the last modelled year (TWh)</th></tr></thead><tbody>\n");
    for (int i = 0; i < c->n_dams; i++) {
        const lm_report_dam *d = &c->dams[i];
        lm_rbuf_printf(h, "<tr><td>%ld</td><td>", d->st->id);
        lm_html_text(h, d->st->name);
        lm_rbuf_puts(h, "</td><td>");
        lm_html_text(h, d->river ? d->river : "\xE2\x80\x93");
        lm_rbuf_puts(h, "</td><td>");
        lm_html_text(h, d->zone);
        lm_rbuf_puts(h, "</td><td class=\"num\">");
        lm_html_number(h, d->st->capacity_mw, 0);
        lm_rbuf_printf(h, "</td><td class=\"num\">%d</td><td class=\"num\">", d->st->commissioning_year);
        lm_html_number(h, d->st->lon_deg, 2);
        lm_rbuf_puts(h, "</td><td class=\"num\">");
        lm_html_number(h, d->st->lat_deg, 2);
        lm_rbuf_puts(h, "</td><td>");
        lm_html_text(h, lm_dam_status_label[d->status]);
        if (d->status == LM_DAM_BUILT || d->status == LM_DAM_NOT_BUILT) {
            if (!isnan(d->built) && d->built > 0 && d->built < 1)
                lm_rbuf_printf(h, " (relaxed decision %.2f)", d->built);
            if (d->decided >= 0)
                lm_rbuf_puts(h, d->decided ? ", decided by the model" : ", set by the plan");
        }
        lm_rbuf_puts(h, "</td><td class=\"num\">");
        if (d->first_year) lm_rbuf_printf(h, "%d", d->first_year);
        else lm_rbuf_puts(h, "\xE2\x80\x93");
        lm_rbuf_puts(h, "</td>");
        lm_rbuf_puts(h, "<td class=\"num\">");
        lm_html_number(h, d->energy_twh, 2);
        lm_rbuf_puts(h, "</td></tr>\n");
    }
    lm_rbuf_puts(h, "</tbody></table></div></details>\n");
}

static void dams_json(const lm_report_ctx *c, lm_json *j)
{
    lm_json_key(j, "dams");
    lm_json_array(j);
    for (int i = 0; i < c->n_dams; i++) {
        const lm_report_dam *d = &c->dams[i];
        lm_json_object(j);
        lm_json_key(j, "id");
        lm_json_int(j, d->st->id);
        lm_json_key(j, "name");
        lm_json_string(j, d->st->name);
        lm_json_key(j, "river");
        lm_json_string(j, d->river);
        lm_json_key(j, "zone");
        lm_json_string(j, d->zone);
        lm_json_key(j, "lon");
        lm_json_number(j, d->st->lon_deg);
        lm_json_key(j, "lat");
        lm_json_number(j, d->st->lat_deg);
        lm_json_key(j, "mw");
        lm_json_number(j, d->st->capacity_mw);
        lm_json_key(j, "year");
        lm_json_int(j, d->st->commissioning_year);
        lm_json_key(j, "status");
        lm_json_string(j, lm_dam_status_key[d->status]);
        lm_json_key(j, "built");
        lm_json_number(j, d->built);
        lm_json_key(j, "firstYear");
        if (d->first_year) lm_json_int(j, d->first_year);
        else lm_json_null(j);
        lm_json_key(j, "decided");
        if (d->decided >= 0) lm_json_bool(j, d->decided);
        else lm_json_null(j);
        lm_json_key(j, "energyTwh");
        lm_json_number(j, d->energy_twh);
        lm_json_object_end(j);
    }
    lm_json_array_end(j);
}

void lm_report_section_map(lm_report_ctx *c, lm_rbuf *h, lm_json *j)
{
    lm_rbuf_puts(h, "<section id=\"map-section\">\n<h2>Map of the basin: hydropower stations by "
                    "status</h2>\n");
    int placed = 0, count[LM_DAM_N] = {0};
    for (int i = 0; i < c->n_dams; i++) {
        if (isfinite(c->dams[i].st->lon_deg) && isfinite(c->dams[i].st->lat_deg)) placed++;
        count[c->dams[i].status]++;
    }
    int first_year = c->ds && c->ds->n_years ? c->ds->years[0] : 0;
    if (!c->ds) {
        lm_report_nodata(h, "Stations: not available (the run's dataset could not be read; see "
                            "the notes at the top). The map shows the country outlines only.");
    } else if (c->n_dams == 0) {
        lm_report_nodata(h, "The dataset has no hydropower stations (hydro_static.csv).");
    } else {
        lm_rbuf_printf(h, "<p>%d station%s of the dataset's hydro_static.csv (position, installed "
                          "capacity, commissioning year); circle area is proportional to "
                          "capacity. Existing: in service in %d. ",
                       c->n_dams, c->n_dams == 1 ? "" : "s", first_year);
        if (lm_results_find(c->res, "dams"))
            lm_rbuf_puts(h, "Candidate statuses come from the run's result table dams (built "
                            "&ge; 0.5 counts as built, whether the plan set it or the model "
                            "decided); candidates absent from it were not modelled.");
        else
            lm_rbuf_puts(h, "This run made no dam decisions (no result table dams): the other "
                            "stations are shown as planned, by commissioning year.");
        if (placed < c->n_dams)
            lm_rbuf_printf(h, " %d station%s without coordinates %s not drawn.",
                           c->n_dams - placed, c->n_dams - placed == 1 ? "" : "s",
                           c->n_dams - placed == 1 ? "is" : "are");
        if (c->ds->n_edges)
            lm_rbuf_puts(h, " Dashed lines join each station to the next one downstream "
                            "(hydro_connect.csv).");
        lm_rbuf_puts(h, "</p>\n");
    }
    lm_rbuf_puts(h, "<div class=\"map-wrap\"><div id=\"map\" data-map=\"basin\"></div>"
                    "<div id=\"map-legend\" class=\"legend\"></div></div>\n"
                    "<p class=\"small\">Country outlines: Natural Earth 1:50m admin-0 (world-atlas "
                    "2.0.2), China clipped to 90\xE2\x80\x93" "112\xC2\xB0" "E, 5\xE2\x80\x93"
                    "30\xC2\xB0" "N. Equirectangular projection scaled at the map's mid latitude."
                    "</p>\n");
    if (c->n_dams) dam_table(c, h);
    lm_rbuf_puts(h, "</section>\n");

    lm_json_key(j, "map");
    lm_json_object(j);
    lm_json_key(j, "firstYear");
    lm_json_int(j, first_year);
    dams_json(c, j);
    lm_json_key(j, "links");
    lm_json_array(j);
    for (int e = 0; c->ds && e < c->ds->n_edges; e++) {
        lm_json_array(j);
        lm_json_int(j, c->ds->edge_up[e]);
        lm_json_int(j, c->ds->edge_down[e]);
        lm_json_array_end(j);
    }
    lm_json_array_end(j);
    lm_json_key(j, "statuses");
    lm_json_array(j);
    for (int s = 0; s < LM_DAM_N; s++) {
        if (!count[s]) continue;
        char label[96];
        if (s == LM_DAM_PLANNED)
            snprintf(label, sizeof label, "planned (commissioned after %d)", first_year);
        else
            snprintf(label, sizeof label, "%s", lm_dam_status_label[s]);
        lm_json_object(j);
        lm_json_key(j, "key");
        lm_json_string(j, lm_dam_status_key[s]);
        lm_json_key(j, "label");
        lm_json_string(j, label);
        lm_json_key(j, "count");
        lm_json_int(j, count[s]);
        lm_json_object_end(j);
    }
    lm_json_array_end(j);
    lm_json_object_end(j);
}
