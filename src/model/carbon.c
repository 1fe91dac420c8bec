/* carbon.c - the carbon component: annual CO2 emissions from dispatchable generation and
 * caps per year for the basin and per zone (spec 4.7; docs/model.md).
 *
 * Emissions in Mt/yr: sum over zones, dispatchable technologies and steps of
 * emission factor x generation x dt / weight.  Caps come from the dataset's carbon_cap table
 * (basin-wide) or from the plan (basin and/or per zone).  Rows are in Mt so that the dual of
 * a cap is in million USD per Mt, i.e. USD per tonne (present value); the reported carbon
 * price divides by the year's discount factor to give USD per tonne in that year.
 * Families: carbon.cap_basin[y], carbon.cap_zone[z,y] (rows). */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>

/* Emission coefficient (Mt per MW in one step) of a generation column, 0 if none. */
static double coef(const lm_model *m, int k, int y)
{
    const lm_dataset *ds = m->ds;
    if (ds->tech_type[k] != LM_TECH_DISPATCHABLE) return 0;
    return ds->emission_factor_t_co2_per_mwh[lm_ky(ds, k, m->year_ds[y])] * m->dt_h / m->weight / 1e6;
}

static void add_zone_terms(lm_model *m, int row, int z, int y)
{
    const lm_dataset *ds = m->ds;
    for (int k = 0; k < ds->n_techs; k++) {
        double c = coef(m, k, y);
        if (c == 0) continue;
        for (int t = 0; t < m->n_steps; t++) {
            int g = m->col_gen[lm_m_gen(m, z, k, y, t)];
            if (g >= 0) lm_lp_coef(m->lp, row, g, c);
        }
    }
}

static int build(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    int Z = ds->n_zones, Y = m->n_years;
    m->row_cap_basin = lm_xmalloc((size_t)Y * sizeof(int));
    m->row_cap_zone = lm_xmalloc((size_t)Z * Y * sizeof(int));
    for (int i = 0; i < Y; i++) m->row_cap_basin[i] = -1;
    for (int i = 0; i < Z * Y; i++) m->row_cap_zone[i] = -1;
    int f_basin = lm_lp_add_family(m->lp, "carbon", "cap_basin", "y", 1);
    int f_zone = lm_lp_add_family(m->lp, "carbon", "cap_zone", "zy", 1);

    if (p->carbon_caps == LM_CAPS_DATASET && ds->carbon_cap_t_co2) {
        for (int y = 0; y < Y; y++) {
            double cap = ds->carbon_cap_t_co2[m->year_ds[y]];
            if (!isfinite(cap)) continue;
            int idx[1] = {y};
            int r = lm_lp_add_row(m->lp, f_basin, idx, -LM_INF, cap / 1e6);
            m->row_cap_basin[y] = r;
            for (int z = 0; z < Z; z++) add_zone_terms(m, r, z, y);
        }
    } else if (p->carbon_caps == LM_CAPS_PLAN) {
        int bad = 0;
        for (int i = 0; i < p->n_caps; i++) {
            const lm_plan_cap *c = &p->caps[i];
            int y = -1;
            for (int j = 0; j < Y; j++)
                if (m->ds->years[m->year_ds[j]] == c->year) y = j;
            if (y < 0) {
                lm_diag_warn(d, "%s: carbon cap for %d ignored: %d is not a modelled year",
                             p->path, c->year, c->year);
                continue;
            }
            int z = -1;
            if (c->zone) {
                z = lm_dataset_zone(ds, c->zone);
                if (z < 0) {
                    lm_diag_error(d, "%s: carbon.zone_mt: \"%s\" is not a zone of dataset %s",
                                  p->path, c->zone, ds->name);
                    bad = 1;
                    continue;
                }
            }
            int *slot = z < 0 ? &m->row_cap_basin[y] : &m->row_cap_zone[z * Y + y];
            if (*slot >= 0) {
                lm_diag_error(d, "%s: carbon cap for %s %d given twice", p->path,
                              c->zone ? c->zone : "the basin", c->year);
                bad = 1;
                continue;
            }
            int idx[2] = {z < 0 ? y : z, y}; /* basin rows are indexed by year only */
            int r = lm_lp_add_row(m->lp, z < 0 ? f_basin : f_zone, idx, -LM_INF, c->cap_t_co2 / 1e6);
            *slot = r;
            if (z < 0)
                for (int zz = 0; zz < Z; zz++) add_zone_terms(m, r, zz, y);
            else
                add_zone_terms(m, r, z, y);
        }
        if (bad) return -1;
    }
    return 0;
}

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    int Z = ds->n_zones, Y = m->n_years;
    lm_result_table *em = lm_results_table(res, "emissions", "zone,#year", "emissions_mt");
    lm_result_table *caps = lm_results_table(res, "carbon_caps", "scope,#year",
                                             "cap_mt,emissions_mt,shadow_price_usd_per_t");
    double *basin = lm_xcalloc((size_t)Y, sizeof(double));
    for (int z = 0; z < Z; z++)
        for (int y = 0; y < Y; y++) {
            double e = 0;
            for (int k = 0; k < ds->n_techs; k++) {
                double c = coef(m, k, y);
                if (c == 0) continue;
                for (int t = 0; t < m->n_steps; t++) {
                    int g = m->col_gen[lm_m_gen(m, z, k, y, t)];
                    if (g >= 0) e += c * sol->x[g];
                }
            }
            basin[y] += e;
            const char *keys[2] = {ds->zones[z], m->year_labels[y]};
            lm_results_row(res, em, keys, &e);
            int r = m->row_cap_zone[z * Y + y];
            if (r >= 0) {
                double price = sol->row_dual ? -sol->row_dual[r] / m->f_var[y] : NAN;
                double v[3] = {m->lp->row_ub[r], e, price};
                lm_results_row(res, caps, keys, v);
            }
        }
    for (int y = 0; y < Y; y++) {
        const char *keys[2] = {"basin", m->year_labels[y]};
        int r = m->row_cap_basin[y];
        double price = (r >= 0 && sol->row_dual) ? -sol->row_dual[r] / m->f_var[y] : NAN;
        double v[3] = {r >= 0 ? m->lp->row_ub[r] : INFINITY, basin[y], r >= 0 ? price : 0};
        lm_results_row(res, caps, keys, v);
    }
    free(basin);
}

const lm_component lm_component_carbon = {"carbon", build, extract};
