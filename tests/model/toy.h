/* toy.h - tiny datasets and plans built in code for model tests whose optima are worked out
 * by hand.  One year (discount rate 0, so every discount factor is the block length or 1),
 * one representative day of n_hours steps, dt = 1 h. */
#ifndef LM_TOY_H
#define LM_TOY_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/dataset.h"
#include "data/plan.h"

static inline char *tstr(const char *s) { return lm_xstrdup(s); }

/* zones and techs given as arrays of names; types per tech */
static inline lm_dataset *toy_new(int nz, const char *const *zones, int nk, const char *const *techs,
                           const int *types, int n_hours)
{
    lm_dataset *ds = lm_xcalloc(1, sizeof *ds);
    ds->name = tstr("toy");
    ds->n_zones = nz;
    ds->zones = lm_xcalloc((size_t)nz, sizeof(char *));
    for (int z = 0; z < nz; z++) ds->zones[z] = tstr(zones[z]);
    ds->n_techs = nk;
    ds->techs = lm_xcalloc((size_t)nk, sizeof(char *));
    ds->tech_type = lm_xcalloc((size_t)nk, sizeof(int));
    for (int k = 0; k < nk; k++) { ds->techs[k] = tstr(techs[k]); ds->tech_type[k] = types[k]; }
    ds->n_years = 1;
    ds->years = lm_xcalloc(1, sizeof(int));
    ds->years[0] = 2020;
    ds->n_months = 1;
    ds->months = lm_xcalloc(1, sizeof(int));
    ds->months[0] = 1;
    ds->n_hours = n_hours;
    ds->n_steps = n_hours;
    ds->dt_h = 1;
    size_t ky = (size_t)nk, zk = (size_t)nz * nk;
    ds->investment_cost_usd_per_mw = lm_xcalloc(ky, sizeof(double));
    ds->fixed_om_cost_usd_per_mw_yr = lm_xcalloc(ky, sizeof(double));
    ds->variable_om_cost_usd_per_mwh = lm_xcalloc(ky, sizeof(double));
    ds->fuel_cost_usd_per_mwh = lm_xcalloc(ky, sizeof(double));
    ds->emission_factor_t_co2_per_mwh = lm_xcalloc(ky, sizeof(double));
    ds->efficiency_fraction = lm_xcalloc(ky, sizeof(double));
    ds->lifetime_years = lm_xcalloc(ky, sizeof(double));
    ds->ramp_up_fraction_per_h = lm_xcalloc(ky, sizeof(double));
    ds->ramp_down_fraction_per_h = lm_xcalloc(ky, sizeof(double));
    for (int k = 0; k < nk; k++) {
        ds->efficiency_fraction[k] = 1;
        ds->lifetime_years[k] = 10;
        ds->ramp_up_fraction_per_h[k] = ds->ramp_down_fraction_per_h[k] = 1;
    }
    ds->discount_rate = lm_xcalloc(1, sizeof(double));
    ds->n_ages = 1;
    ds->existing_capacity_mw = lm_xcalloc(zk, sizeof(double));
    ds->max_capacity_mw = lm_xcalloc(zk, sizeof(double));
    ds->max_new_capacity_mw = lm_xcalloc(zk, sizeof(double));
    ds->min_new_capacity_mw = lm_xcalloc(zk, sizeof(double));
    ds->initial_storage_fraction = lm_xcalloc(zk, sizeof(double));
    ds->energy_to_power_ratio_h = lm_xcalloc(zk, sizeof(double));
    for (size_t i = 0; i < zk; i++) ds->max_capacity_mw[i] = ds->max_new_capacity_mw[i] = INFINITY;
    ds->demand_mw = lm_xcalloc((size_t)nz * n_hours, sizeof(double));
    ds->capacity_factor = lm_xcalloc((size_t)nk * nz * n_hours, sizeof(double));
    return ds;
}

static inline void toy_lines(lm_dataset *ds, int n, const int *from, const int *to, const double *cap0,
                      double eff, double dist_km, double inv_usd_per_mw_km)
{
    ds->n_lines = n;
    ds->line_from = lm_xcalloc((size_t)n, sizeof(int));
    ds->line_to = lm_xcalloc((size_t)n, sizeof(int));
    ds->line_existing_mw = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_efficiency = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_distance_km = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_max_new_mw = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_investment_usd_per_mw_km = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_fixed_om_usd_per_mw_yr = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_variable_usd_per_mwh = lm_xcalloc((size_t)n, sizeof(double));
    ds->line_lifetime_years = lm_xcalloc((size_t)n, sizeof(double));
    for (int l = 0; l < n; l++) {
        ds->line_from[l] = from[l];
        ds->line_to[l] = to[l];
        ds->line_existing_mw[l] = cap0[l];
        ds->line_efficiency[l] = eff;
        ds->line_distance_km[l] = dist_km;
        ds->line_max_new_mw[l] = INFINITY;
        ds->line_investment_usd_per_mw_km[l] = inv_usd_per_mw_km;
        ds->line_lifetime_years[l] = 10;
    }
}

/* One hydropower station per call; inflow constant over the day, storage bounds constant. */
static inline int toy_station(lm_dataset *ds, long id, int zone, double max_mw, double head_m,
                       double coef, int mode, double inflow_m3s, double vmax_1e8m3, int cod)
{
    int s = ds->n_stations++;
    ds->stations = lm_xrealloc(ds->stations, (size_t)ds->n_stations * sizeof(lm_station));
    lm_station *st = &ds->stations[s];
    memset(st, 0, sizeof *st);
    st->id = id;
    st->name = tstr("toy station");
    st->zone = zone;
    st->capacity_mw = st->max_output_mw = max_mw;
    st->max_outflow_m3s = st->max_generation_flow_m3s = 1e5;
    st->head_m = head_m;
    st->output_coefficient = coef;
    st->commissioning_year = cod;
    st->is_existing = cod <= ds->years[0];
    st->operation_mode = mode;
    st->reach = -1;
    size_t n = (size_t)ds->n_stations * ds->n_steps;
    ds->inflow_m3s = lm_xrealloc(ds->inflow_m3s, n * sizeof(double));
    ds->storage_max_1e8m3 = lm_xrealloc(ds->storage_max_1e8m3, n * sizeof(double));
    ds->storage_min_1e8m3 = lm_xrealloc(ds->storage_min_1e8m3, n * sizeof(double));
    for (int t = 0; t < ds->n_steps; t++) {
        ds->inflow_m3s[(size_t)s * ds->n_steps + t] = inflow_m3s;
        ds->storage_max_1e8m3[(size_t)s * ds->n_steps + t] = vmax_1e8m3;
        ds->storage_min_1e8m3[(size_t)s * ds->n_steps + t] = 0;
    }
    return s;
}

static inline void toy_free(lm_dataset *ds)
{
    for (int s = 0; s < ds->n_stations; s++) free(ds->stations[s].name);
    free(ds->stations); free(ds->inflow_m3s); free(ds->storage_max_1e8m3);
    free(ds->storage_min_1e8m3); free(ds->edge_up); free(ds->edge_down); free(ds->edge_delay_h);
    for (int z = 0; z < ds->n_zones; z++) free(ds->zones[z]);
    for (int k = 0; k < ds->n_techs; k++) free(ds->techs[k]);
    free(ds->zones); free(ds->techs); free(ds->tech_type); free(ds->years); free(ds->months);
    free(ds->investment_cost_usd_per_mw); free(ds->fixed_om_cost_usd_per_mw_yr);
    free(ds->variable_om_cost_usd_per_mwh); free(ds->fuel_cost_usd_per_mwh);
    free(ds->emission_factor_t_co2_per_mwh); free(ds->efficiency_fraction);
    free(ds->lifetime_years); free(ds->ramp_up_fraction_per_h); free(ds->ramp_down_fraction_per_h);
    free(ds->discount_rate); free(ds->carbon_cap_t_co2);
    free(ds->existing_capacity_mw); free(ds->max_capacity_mw); free(ds->max_new_capacity_mw);
    free(ds->min_new_capacity_mw); free(ds->initial_storage_fraction);
    free(ds->energy_to_power_ratio_h); free(ds->demand_mw); free(ds->capacity_factor);
    free(ds->line_from); free(ds->line_to); free(ds->line_existing_mw); free(ds->line_efficiency);
    free(ds->line_distance_km); free(ds->line_max_new_mw); free(ds->line_investment_usd_per_mw_km);
    free(ds->line_fixed_om_usd_per_mw_yr); free(ds->line_variable_usd_per_mwh);
    free(ds->line_lifetime_years);
    free(ds->name);
    free(ds);
}

static inline lm_plan toy_plan(void)
{
    lm_plan p;
    memset(&p, 0, sizeof p);
    p.path = "toy.yaml";
    p.name = "toy";
    p.carbon_caps = LM_CAPS_NONE;
    p.transmission = LM_TRANS_FREE;
    p.import_cap_share = 1.0 / 3.0;
    p.mode = LM_MODE_IMPROVED;
    p.solver = "clp";
    p.method = "dual";
    p.presolve = 1;
    p.mip_gap = 1e-4;
    return p;
}

#endif
