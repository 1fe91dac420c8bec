/* hydro_budget.c - hydropower as a technology with a fixed availability, used until the
 * cascade model (hydro.c) replaces it.
 *
 * Three sources, in order: (1) a `hydropower` table of fixed hourly output per zone (Xu et
 * al.'s ishydro = 0) fixes generation; (2) otherwise, with hydropower stations in the
 * dataset, each representative day gets an energy budget per zone: for every station already
 * in service in the base year, the natural flow at the dam (its local inflow plus all natural
 * inflow upstream, summed along hydro_connect without delays) turned into power at its fixed
 * head, P = coefficient x head x Q / 1000 MW, capped at its maximum output, times the hours of
 * the day; generation may be shifted within the day (reservoirs) but not between days.
 * Hydro capacity of a zone that no station represents (plants outside the modelled river
 * network, e.g. Yunnan's Jinsha and Nu plants in a basin dataset) gets the availability ratio
 * budget / (24 h x capacity) of the zone's represented stations for that month, or the
 * ratio over all stations when the zone has none;
 * (3) otherwise hydropower is limited by capacity only, with a warning.
 *
 * Family: hydro.energy[z,y,m] (row): sum_h gen[z,Hydro,y,m,h] dt <= budget. */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Natural flow at each station for dataset step `ts`: local inflow plus everything upstream. */
static double total_flow(const lm_dataset *ds, int s, int ts, double *memo)
{
    if (!isnan(memo[s])) return memo[s];
    double q = ds->inflow_m3s[(size_t)s * ds->n_steps + ts];
    for (int e = 0; e < ds->n_edges; e++)
        if (ds->edge_down[e] == s) q += total_flow(ds, ds->edge_up[e], ts, memo);
    memo[s] = q;
    return q;
}

void lm_hydro_natural_energy(const lm_model *m, double *energy, double *station_mw)
{
    const lm_dataset *ds = m->ds;
    int Z = ds->n_zones, H = m->n_hours, M = m->n_months;
    memset(energy, 0, (size_t)Z * M * sizeof(double));
    memset(station_mw, 0, (size_t)Z * sizeof(double));
    for (int s = 0; s < ds->n_stations; s++)
        if (ds->stations[s].commissioning_year <= m->base_year)
            station_mw[ds->stations[s].zone] += ds->stations[s].max_output_mw;
    double *memo = lm_xmalloc((size_t)(ds->n_stations ? ds->n_stations : 1) * sizeof(double));
    for (int mo = 0; mo < M; mo++)
        for (int h = 0; h < H; h++) {
            int ts = m->month_ds[mo] * H + h;
            for (int s = 0; s < ds->n_stations; s++) memo[s] = NAN;
            for (int s = 0; s < ds->n_stations; s++) {
                const lm_station *st = &ds->stations[s];
                if (st->commissioning_year > m->base_year) continue;
                double p = st->output_coefficient * st->head_m * total_flow(ds, s, ts, memo) * 1e-3;
                energy[st->zone * M + mo] += fmin(p, st->max_output_mw) * m->dt_h;
            }
        }
    free(memo);
}

double lm_hydro_other_ratio(const lm_model *m, const double *energy, const double *station_mw,
                            int z, int mo)
{
    int Z = m->ds->n_zones, M = m->n_months;
    double day_h = m->n_hours * m->dt_h;
    if (station_mw[z] > 0) return energy[z * M + mo] / (day_h * station_mw[z]);
    double e = 0, mw = 0;
    for (int j = 0; j < Z; j++) {
        e += energy[j * M + mo];
        mw += station_mw[j];
    }
    return mw > 0 ? e / (day_h * mw) : 0;
}

static int build(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    lm_lp *lp = m->lp;
    int Z = ds->n_zones, Y = m->n_years, H = m->n_hours, M = m->n_months;
    int hydro = -1;
    for (int k = 0; k < ds->n_techs; k++)
        if (ds->tech_type[k] == LM_TECH_HYDRO) hydro = k;
    size_t n = (size_t)Z * Y * M;
    m->hydro_energy_mwh = lm_xcalloc(n, sizeof(double));
    m->row_hydro_energy = lm_xmalloc(n * sizeof(int));
    for (size_t i = 0; i < n; i++) m->row_hydro_energy[i] = -1;
    if (hydro < 0 || m->hydro_cascade) return 0;

    if (ds->hydro_output_mw) {
        for (int z = 0; z < Z; z++)
            for (int y = 0; y < Y; y++)
                for (int t = 0; t < m->n_steps; t++) {
                    int g = m->col_gen[lm_m_gen(m, z, hydro, y, t)];
                    if (g < 0) continue;
                    double v = ds->hydro_output_mw[(size_t)z * ds->n_steps + lm_m_ds_step(m, t)];
                    lp->col_lb[g] = lp->col_ub[g] = v;
                }
        return 0;
    }
    if (ds->n_stations == 0) {
        lm_diag_warn(d, "dataset %s has neither hydropower stations nor a hydropower table: "
                        "hydropower is limited by its capacity only", ds->name);
        return 0;
    }

    int f_energy = lm_lp_add_family(lp, "hydro", "energy", "zym", 1);
    double *energy = lm_xmalloc((size_t)Z * M * sizeof(double));
    double *station_mw = lm_xmalloc((size_t)Z * sizeof(double));
    lm_hydro_natural_energy(m, energy, station_mw);
    double day_h = H * m->dt_h;
    for (int z = 0; z < Z; z++)
        for (int y = 0; y < Y; y++)
            for (int mo = 0; mo < M; mo++) {
                size_t i = ((size_t)z * Y + y) * M + mo;
                double other_mw = m->rem_mw[lm_m_zky(m, z, hydro, y)] - station_mw[z];
                double budget = energy[z * M + mo];
                if (other_mw > 0)
                    budget += other_mw * day_h * lm_hydro_other_ratio(m, energy, station_mw, z, mo);
                m->hydro_energy_mwh[i] = budget;
                int idx[3] = {z, y, mo};
                int r = -1;
                for (int h = 0; h < H; h++) {
                    int g = m->col_gen[lm_m_gen(m, z, hydro, y, mo * H + h)];
                    if (g < 0) continue;
                    if (r < 0) r = lm_lp_add_row(lp, f_energy, idx, -LM_INF, budget);
                    lm_lp_coef(lp, r, g, m->dt_h);
                }
                m->row_hydro_energy[i] = r;
            }
    free(energy);
    free(station_mw);
    return 0;
}

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    if (!m->row_hydro_energy) return;
    lm_result_table *t = lm_results_table(res, "hydro_budget", "zone,#year,#month",
                                          "budget_mwh_per_day,used_mwh_per_day");
    for (int z = 0; z < ds->n_zones; z++)
        for (int y = 0; y < m->n_years; y++)
            for (int mo = 0; mo < m->n_months; mo++) {
                size_t i = ((size_t)z * m->n_years + y) * m->n_months + mo;
                int r = m->row_hydro_energy[i];
                if (r < 0) continue;
                double v[2] = {m->hydro_energy_mwh[i], sol->row_activity[r]};
                const char *keys[3] = {ds->zones[z], m->year_labels[y],
                                       lm_results_intern_int(res, ds->months[m->month_ds[mo]])};
                lm_results_row(res, t, keys, v);
            }
}

const lm_component lm_component_hydro_budget = {"hydro_budget", build, extract};
