/* power.c - the power component: capacity by vintage, generation per step, output limits,
 * ramping and the zonal demand balance (spec 4.1, 4.3, 4.4, 4.6; docs/model.md).
 *
 * Families: power.new[z,k,y], power.cap[z,k,y] (columns); power.capacity (C14),
 * power.output (C8/C9), power.ramp_up / power.ramp_down (C19/C20), power.balance (C1)
 * (rows); power.gen[z,k,y,t] and power.unserved[z,y,t] (columns).
 * Other components add their terms to power.balance through m->row_balance. */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double bound(double v) { return isfinite(v) ? v : LM_INF; }

/* Surviving pre-base-year capacity in modelled year y (spec C13): with R = trunc(life -
 * (year - base)), the capacity of ages 1..R-1 survives. */
static double remaining(const lm_model *m, int z, int k, int y)
{
    const lm_dataset *ds = m->ds;
    int yd = m->year_ds[y];
    double life = ds->lifetime_years[lm_ky(ds, k, yd)];
    int R = (int)trunc(life - (ds->years[yd] - m->base_year));
    double s = 0;
    const double *age = &ds->existing_capacity_mw[(size_t)lm_zk(ds, z, k) * ds->n_ages];
    for (int a = 1; a <= R - 1 && a <= ds->n_ages; a++) s += age[a - 1];
    return s;
}

static int build(lm_model *m, lm_diag *d)
{
    (void)d;
    const lm_dataset *ds = m->ds;
    lm_lp *lp = m->lp;
    int Z = ds->n_zones, K = ds->n_techs, Y = m->n_years, T = m->n_steps;
    double dt = m->dt_h;
    size_t nzky = (size_t)Z * K * Y;

    m->col_new = lm_xmalloc(nzky * sizeof(int));
    m->col_cap = lm_xmalloc(nzky * sizeof(int));
    m->row_capacity = lm_xmalloc(nzky * sizeof(int));
    m->rem_mw = lm_xmalloc(nzky * sizeof(double));
    m->col_gen = lm_xmalloc(nzky * T * sizeof(int));
    m->row_balance = lm_xmalloc((size_t)Z * Y * T * sizeof(int));
    for (size_t i = 0; i < nzky * T; i++) m->col_gen[i] = -1;

    int f_new = lm_lp_add_family(lp, "power", "new", "zky", 0);
    int f_cap = lm_lp_add_family(lp, "power", "cap", "zky", 0);
    int f_capacity = lm_lp_add_family(lp, "power", "capacity", "zky", 1);
    int f_gen = lm_lp_add_family(lp, "power", "gen", "zkymh", 0);
    int f_output = lm_lp_add_family(lp, "power", "output", "zkymh", 1);
    int f_rup = lm_lp_add_family(lp, "power", "ramp_up", "zkymh", 1);
    int f_rdn = lm_lp_add_family(lp, "power", "ramp_down", "zkymh", 1);
    int f_bal = lm_lp_add_family(lp, "power", "balance", "zymh", 1);
    int f_uns = lm_lp_add_family(lp, "power", "unserved", "zymh", 0);

    /* capacity by vintage (C10-C14) */
    for (int z = 0; z < Z; z++)
        for (int k = 0; k < K; k++) {
            int zk = lm_zk(ds, z, k);
            double ub_tot = ds->max_capacity_mw[zk];
            double ub_new = ds->max_new_capacity_mw[zk];
            double lb_new = ds->min_new_capacity_mw[zk];
            /* hydropower capacity changes only through dams (hydro component) */
            int buildable = ub_new > 0 && ub_tot > 0 && ds->tech_type[k] != LM_TECH_HYDRO;
            for (int y = 0; y < Y; y++) {
                int i = lm_m_zky(m, z, k, y);
                int idx[3] = {z, k, y};
                m->rem_mw[i] = remaining(m, z, k, y);
                m->col_new[i] = -1;
                if (buildable) {
                    int yd = m->year_ds[y];
                    m->col_new[i] = lm_lp_add_col(lp, f_new, idx, lb_new, bound(ub_new), 0);
                    if (!m->external[z]) {
                        double c = ds->investment_cost_usd_per_mw[lm_ky(ds, k, yd)] *
                                   lm_model_f_inv(m, ds->lifetime_years[lm_ky(ds, k, yd)], y) / 1e6;
                        lm_lp_add_cost(lp, m->col_new[i], LM_COST_INV_TECH, z, y, c);
                    }
                }
            }
            for (int y = 0; y < Y; y++) {
                int i = lm_m_zky(m, z, k, y);
                int idx[3] = {z, k, y};
                int any_new = 0;
                for (int v = 0; v <= y; v++) {
                    int nv = m->col_new[lm_m_zky(m, z, k, v)];
                    double life = ds->lifetime_years[lm_ky(ds, k, m->year_ds[v])];
                    if (nv >= 0 && ds->years[m->year_ds[y]] - ds->years[m->year_ds[v]] < life)
                        any_new = 1;
                }
                m->col_cap[i] = -1;
                m->row_capacity[i] = -1;
                /* with the cascade model, dams may add hydro capacity in any zone */
                int dams = ds->tech_type[k] == LM_TECH_HYDRO && m->hydro_cascade;
                if (!any_new && !dams && m->rem_mw[i] <= 0) continue;
                int cap = lm_lp_add_col(lp, f_cap, idx, 0, bound(ub_tot), 0);
                m->col_cap[i] = cap;
                int row = lm_lp_add_row(lp, f_capacity, idx, m->rem_mw[i], m->rem_mw[i]);
                m->row_capacity[i] = row;
                lm_lp_coef(lp, row, cap, 1.0);
                for (int v = 0; v <= y; v++) {
                    int nv = m->col_new[lm_m_zky(m, z, k, v)];
                    double life = ds->lifetime_years[lm_ky(ds, k, m->year_ds[v])];
                    if (nv >= 0 && ds->years[m->year_ds[y]] - ds->years[m->year_ds[v]] < life)
                        lm_lp_coef(lp, row, nv, -1.0);
                }
                if (!m->external[z]) {
                    double c = m->f_var[y] * ds->fixed_om_cost_usd_per_mw_yr[lm_ky(ds, k, m->year_ds[y])] / 1e6;
                    lm_lp_add_cost(lp, cap, LM_COST_FIX_TECH, z, y, c);
                }
            }
        }

    /* balance rows first, so generation can be added column by column (C1) */
    for (int z = 0; z < Z; z++)
        for (int y = 0; y < Y; y++)
            for (int t = 0; t < T; t++) {
                double dem = ds->demand_mw[((size_t)z * ds->n_years + m->year_ds[y]) * ds->n_steps +
                                           lm_m_ds_step(m, t)];
                int idx[4] = {z, y, t / m->n_hours, t % m->n_hours};
                m->row_balance[lm_m_zyt(m, z, y, t)] = lm_lp_add_row(lp, f_bal, idx, dem, dem);
            }

    /* generation, output limits and ramping */
    for (int z = 0; z < Z; z++)
        for (int k = 0; k < K; k++) {
            int type = ds->tech_type[k];
            for (int y = 0; y < Y; y++) {
                int cap = m->col_cap[lm_m_zky(m, z, k, y)];
                if (cap < 0) continue;
                int yd = m->year_ds[y];
                double vom = ds->variable_om_cost_usd_per_mwh[lm_ky(ds, k, yd)];
                double fuel = ds->fuel_cost_usd_per_mwh[lm_ky(ds, k, yd)];
                double ru = ds->ramp_up_fraction_per_h[k] * dt;
                double rd = ds->ramp_down_fraction_per_h[k] * dt;
                for (int t = 0; t < T; t++) {
                    int idx[5] = {z, k, y, t / m->n_hours, t % m->n_hours};
                    double cf = 1.0;
                    if (type == LM_TECH_NONDISPATCHABLE)
                        cf = ds->capacity_factor[((size_t)k * Z + z) * ds->n_steps + lm_m_ds_step(m, t)];
                    int g = lm_lp_add_col(lp, f_gen, idx, 0, cf > 0 ? LM_INF : 0, 0);
                    m->col_gen[lm_m_gen(m, z, k, y, t)] = g;
                    if (!m->external[z]) {
                        double s = dt * m->f_var[y] / m->weight / 1e6;
                        lm_lp_add_cost(lp, g, LM_COST_VAR_OM, z, y, vom * s);
                        lm_lp_add_cost(lp, g, LM_COST_FUEL, z, y, fuel * s);
                    }
                    if (cf > 0) {
                        int r = lm_lp_add_row(lp, f_output, idx, -LM_INF, 0);
                        lm_lp_coef(lp, r, g, 1.0);
                        lm_lp_coef(lp, r, cap, -cf);
                    }
                    lm_lp_coef(lp, m->row_balance[lm_m_zyt(m, z, y, t)], g, m->export_share[z]);
                }
                if (type != LM_TECH_DISPATCHABLE) continue;
                for (int t = 0; t < T; t++) {
                    if (t % m->n_hours == 0) continue; /* no wrap-around (spec 4.6) */
                    int g1 = m->col_gen[lm_m_gen(m, z, k, y, t)];
                    int g0 = m->col_gen[lm_m_gen(m, z, k, y, t - 1)];
                    int idx[5] = {z, k, y, t / m->n_hours, t % m->n_hours};
                    if (ru < 1) {
                        int r = lm_lp_add_row(lp, f_rup, idx, -LM_INF, 0);
                        lm_lp_coef(lp, r, g1, 1.0);
                        lm_lp_coef(lp, r, g0, -1.0);
                        lm_lp_coef(lp, r, cap, -ru);
                    }
                    if (rd < 1) {
                        int r = lm_lp_add_row(lp, f_rdn, idx, -LM_INF, 0);
                        lm_lp_coef(lp, r, g0, 1.0);
                        lm_lp_coef(lp, r, g1, -1.0);
                        lm_lp_coef(lp, r, cap, -rd);
                    }
                }
            }
        }

    /* optional unserved energy at a penalty price */
    double voll = m->plan->unserved_energy_cost_usd_per_mwh;
    m->col_unserved = lm_xmalloc((size_t)Z * Y * T * sizeof(int));
    for (int i = 0; i < Z * Y * T; i++) m->col_unserved[i] = -1;
    if (voll > 0)
        for (int z = 0; z < Z; z++)
            for (int y = 0; y < Y; y++)
                for (int t = 0; t < T; t++) {
                    int idx[4] = {z, y, t / m->n_hours, t % m->n_hours};
                    int c = lm_lp_add_col(lp, f_uns, idx, 0, LM_INF, 0);
                    m->col_unserved[lm_m_zyt(m, z, y, t)] = c;
                    lm_lp_coef(lp, m->row_balance[lm_m_zyt(m, z, y, t)], c, 1.0);
                    lm_lp_add_cost(lp, c, LM_COST_UNSERVED, z, y,
                                   voll * dt * m->f_var[y] / m->weight / 1e6);
                }
    return 0;
}

static double val(const lm_solution *sol, int col) { return col >= 0 ? sol->x[col] : 0.0; }

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    int Z = ds->n_zones, K = ds->n_techs, Y = m->n_years, T = m->n_steps;
    lm_result_table *cap = lm_results_table(res, "capacity", "zone,tech,#year",
                                            "capacity_mw,new_mw,existing_mw");
    lm_result_table *gen = lm_results_table(res, "generation", "zone,tech,#year,#month,#hour",
                                            "generation_mw");
    lm_result_table *ann = lm_results_table(res, "generation_annual", "zone,tech,#year",
                                            "generation_twh");
    for (int z = 0; z < Z; z++)
        for (int k = 0; k < K; k++)
            for (int y = 0; y < Y; y++) {
                int i = lm_m_zky(m, z, k, y);
                const char *keys[5] = {ds->zones[z], ds->techs[k], m->year_labels[y], NULL, NULL};
                double v[3] = {val(sol, m->col_cap[i]), val(sol, m->col_new[i]), m->rem_mw[i]};
                lm_results_row(res, cap, keys, v);
                if (m->col_cap[i] < 0) continue;
                double sum = 0;
                for (int t = 0; t < T; t++) {
                    double g = val(sol, m->col_gen[lm_m_gen(m, z, k, y, t)]);
                    sum += g;
                    keys[3] = lm_results_intern_int(res, ds->months[m->month_ds[t / m->n_hours]]);
                    keys[4] = lm_results_intern_int(res, t % m->n_hours + 1);
                    lm_results_row(res, gen, keys, &g);
                }
                double twh = sum * m->dt_h / m->weight / 1e6;
                lm_results_row(res, ann, keys, &twh);
            }
    lm_result_table *bal = lm_results_table(res, "balance", "zone,#year,#month,#hour",
                                            "demand_mw,unserved_mw,price_usd_per_mwh");
    for (int z = 0; z < Z; z++)
        for (int y = 0; y < Y; y++)
            for (int t = 0; t < T; t++) {
                int i = lm_m_zyt(m, z, y, t);
                int row = m->row_balance[i];
                double price = NAN;
                /* dual in objective units per MW and step -> undiscounted USD/MWh */
                if (sol->row_dual)
                    price = sol->row_dual[row] * 1e6 * m->weight / (m->f_var[y] * m->dt_h);
                double v[3] = {m->lp->row_lb[row], val(sol, m->col_unserved[i]), price};
                const char *keys[4] = {ds->zones[z], m->year_labels[y],
                                       lm_results_intern_int(res, ds->months[m->month_ds[t / m->n_hours]]),
                                       lm_results_intern_int(res, t % m->n_hours + 1)};
                lm_results_row(res, bal, keys, v);
            }
}

const lm_component lm_component_power = {"power", build, extract};
