/* model.c - builds the planning model from a dataset and a plan: selects years and
 * representative days, sets the cost scope and discount factors (spec section 5), runs every
 * component's build in order, and collects results and the cost breakdown afterwards. */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lm_component *const components[] = {
    &lm_component_power,        /* creates power.balance rows, gen/cap/new columns */
    &lm_component_storage,      /* charge, state of charge */
    &lm_component_grid,         /* corridors, flows, expansion */
    &lm_component_hydro,        /* hydropower cascade (stations, routing, dams) */
    &lm_component_hydro_budget, /* hydropower as a daily energy budget (no cascade) */
    &lm_component_sediment,     /* sediment routing and the delivery floor */
    &lm_component_carbon,       /* emission caps */
};
#define N_COMPONENTS ((int)(sizeof components / sizeof components[0]))

static int select_time(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    int bad = 0;
    if (p->n_years > 0) {
        m->n_years = p->n_years;
        m->year_ds = lm_xmalloc((size_t)p->n_years * sizeof(int));
        for (int i = 0; i < p->n_years; i++) {
            int y = lm_dataset_year(ds, p->years[i]);
            if (y < 0) {
                lm_diag_error(d, "%s: years: %d is not a year of dataset %s", p->path,
                              p->years[i], ds->name);
                bad = 1;
            }
            if (i > 0 && p->years[i] <= p->years[i - 1]) {
                lm_diag_error(d, "%s: years: must be strictly ascending (%d after %d)", p->path,
                              p->years[i], p->years[i - 1]);
                bad = 1;
            }
            m->year_ds[i] = y;
        }
    } else {
        m->n_years = ds->n_years;
        m->year_ds = lm_xmalloc((size_t)ds->n_years * sizeof(int));
        for (int i = 0; i < ds->n_years; i++) m->year_ds[i] = i;
    }
    if (p->n_months > 0) {
        m->n_months = p->n_months;
        m->month_ds = lm_xmalloc((size_t)p->n_months * sizeof(int));
        for (int i = 0; i < p->n_months; i++) {
            int found = -1;
            for (int j = 0; j < ds->n_months; j++)
                if (ds->months[j] == p->months[i]) found = j;
            if (found < 0) {
                lm_diag_error(d, "%s: time.months: month %d has no representative day in dataset %s",
                              p->path, p->months[i], ds->name);
                bad = 1;
            }
            m->month_ds[i] = found;
        }
    } else {
        m->n_months = ds->n_months;
        m->month_ds = lm_xmalloc((size_t)ds->n_months * sizeof(int));
        for (int i = 0; i < ds->n_months; i++) m->month_ds[i] = i;
    }
    if (bad) return -1;
    m->n_hours = ds->n_hours;
    m->n_steps = m->n_months * m->n_hours;
    m->dt_h = ds->dt_h;
    m->weight = m->n_steps * m->dt_h / 8760.0;
    m->base_year = ds->years[0];
    m->last_year = ds->years[m->year_ds[m->n_years - 1]];

    /* Years represented by each modelled year: up to the next modelled year; the last one
     * stands for as many years as the step before it (10 in the Xu et al. setup). */
    m->period_years = lm_xmalloc((size_t)m->n_years * sizeof(double));
    m->f_var = lm_xmalloc((size_t)m->n_years * sizeof(double));
    for (int y = 0; y < m->n_years; y++) {
        int yr = ds->years[m->year_ds[y]];
        double P;
        if (y + 1 < m->n_years) P = ds->years[m->year_ds[y + 1]] - yr;
        else if (m->n_years > 1) P = yr - ds->years[m->year_ds[y - 1]];
        else P = 10;
        m->period_years[y] = P;
        double r = ds->discount_rate[m->year_ds[y]];
        double k = yr - m->base_year;
        /* spec 5: sum_{t=0}^{P-1} (1+r)^-(k+t) = (1-(1+r)^-P) / (r (1+r)^(k-1)) */
        m->f_var[y] = r > 0 ? (1 - pow(1 + r, -P)) / (r * pow(1 + r, k - 1)) : P;
    }
    m->year_labels = lm_xmalloc((size_t)ds->n_years * sizeof(char *));
    for (int y = 0; y < m->n_years; y++)
        m->year_labels[y] = lm_xasprintf("%d", ds->years[m->year_ds[y]]);
    m->month_labels = lm_xmalloc((size_t)m->n_months * sizeof(char *));
    for (int i = 0; i < m->n_months; i++)
        m->month_labels[i] = lm_xasprintf("m%d", ds->months[m->month_ds[i]]);
    return 0;
}

double lm_model_f_inv(const lm_model *m, double n, int y)
{
    const lm_dataset *ds = m->ds;
    int yr = ds->years[m->year_ds[y]];
    double r = ds->discount_rate[m->year_ds[y]];
    double k = yr - m->base_year;
    double K = m->last_year - yr + m->period_years[m->n_years - 1];
    double paid = fmin(n, K);
    if (r <= 0) return paid / n;
    double crf = r / (1 - pow(1 + r, -n));
    return crf * (1 - pow(1 + r, -paid)) / (r * pow(1 + r, k));
}

static int setup_zones(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    m->external = lm_xcalloc((size_t)ds->n_zones, sizeof(int));
    m->export_share = lm_xmalloc((size_t)ds->n_zones * sizeof(double));
    m->import_price = lm_xcalloc((size_t)ds->n_zones, sizeof(double));
    for (int z = 0; z < ds->n_zones; z++) m->export_share[z] = 1.0;
    int bad = 0;
    for (int i = 0; i < p->n_external; i++) {
        int z = lm_dataset_zone(ds, p->external[i].zone);
        if (z < 0) {
            lm_diag_error(d, "%s: external_zones: zone \"%s\" is not a zone of dataset %s",
                          p->path, p->external[i].zone, ds->name);
            bad = 1;
            continue;
        }
        m->external[z] = 1;
        m->export_share[z] = p->external[i].export_share;
        m->import_price[z] = p->external[i].import_price_usd_per_mwh;
    }
    return bad ? -1 : 0;
}

/* The dam portfolio: a state per station and, for candidates the optimiser decides, one
 * build column (family dams.build[s], binary or relaxed to [0,1]) that the hydro component
 * links to capacity and cost and the sediment component to trapping. */
static int setup_dams(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    int S = ds->n_stations;
    m->dam_state = lm_xcalloc((size_t)(S ? S : 1), sizeof(int));
    m->col_build = lm_xmalloc((size_t)(S ? S : 1) * sizeof(int));
    m->station_labels = lm_xcalloc((size_t)(S ? S : 1), sizeof(char *));
    for (int s = 0; s < S; s++) {
        m->col_build[s] = -1;
        m->station_labels[s] = lm_xasprintf("%ld", ds->stations[s].id);
    }
    lm_lp_set_labels(m->lp, 's', (const char *const *)m->station_labels, S);
    if (S == 0) {
        if (m->plan->hydro_model == LM_HYDRO_CASCADE) {
            lm_diag_error(d, "%s: hydro.model: cascade needs hydropower stations; dataset %s has none",
                          m->plan->path, ds->name);
            return -1;
        }
        if (m->plan->n_dams_build || m->plan->n_dams_decide || m->plan->n_dams_exclude ||
            m->plan->dams_decide_all) {
            lm_diag_error(d, "%s: dams: dataset %s has no hydropower stations", m->plan->path, ds->name);
            return -1;
        }
        return 0;
    }
    if (lm_dams_resolve(ds, m->plan, m->dam_state, d) != 0) return -1;
    int model = m->plan->hydro_model;
    m->hydro_cascade = !ds->hydro_output_mw && model != LM_HYDRO_BUDGET;
    if (!m->hydro_cascade) {
        for (int s = 0; s < S; s++)
            if (m->dam_state[s] == LM_DAM_BUILT || m->dam_state[s] == LM_DAM_DECIDE) {
                lm_diag_error(d, "%s: dams: candidate dams need hydro.model: cascade (the plan "
                              "uses the daily energy budget%s)", m->plan->path,
                              ds->hydro_output_mw ? " because the dataset fixes hydro output" : "");
                return -1;
            }
        return 0;
    }
    int f_build = lm_lp_add_family(m->lp, "dams", "build", "s", 0);
    for (int s = 0; s < S; s++) {
        if (m->dam_state[s] != LM_DAM_DECIDE) continue;
        int idx[1] = {s};
        m->col_build[s] = lm_lp_add_col(m->lp, f_build, idx, 0, 1, 0);
        if (m->plan->dam_decision == LM_DAMS_BINARY) lm_lp_set_integer(m->lp, m->col_build[s]);
    }
    return 0;
}

int lm_model_build(const lm_dataset *ds, const lm_plan *plan, lm_model **out, lm_diag *d)
{
    *out = NULL;
    lm_model *m = lm_xcalloc(1, sizeof *m);
    m->ds = ds;
    m->plan = plan;
    m->faithful = plan->mode == LM_MODE_FAITHFUL;
    if (select_time(m, d) || setup_zones(m, d)) {
        lm_model_free(m);
        return -1;
    }
    m->lp = lm_lp_new(1e6); /* objective in million USD */
    lm_lp_set_labels(m->lp, 'z', (const char *const *)ds->zones, ds->n_zones);
    lm_lp_set_labels(m->lp, 'k', (const char *const *)ds->techs, ds->n_techs);
    lm_lp_set_labels(m->lp, 'y', (const char *const *)m->year_labels, m->n_years);
    lm_lp_set_labels(m->lp, 'm', (const char *const *)m->month_labels, m->n_months);
    m->sediment_reach = -1;
    m->row_sediment_floor = -1;
    if (setup_dams(m, d) != 0) {
        lm_model_free(m);
        return -1;
    }
    for (int c = 0; c < N_COMPONENTS; c++) {
        if (components[c]->build(m, d) != 0) {
            lm_model_free(m);
            return -1;
        }
    }
    lm_lp_finalize(m->lp);
    *out = m;
    return 0;
}

void lm_model_free(lm_model *m)
{
    if (!m) return;
    lm_lp_free(m->lp);
    if (m->year_labels)
        for (int y = 0; y < m->n_years; y++) free(m->year_labels[y]);
    if (m->month_labels)
        for (int i = 0; i < m->n_months; i++) free(m->month_labels[i]);
    if (m->line_labels)
        for (int l = 0; l < m->ds->n_lines; l++) free(m->line_labels[l]);
    if (m->station_labels)
        for (int s = 0; s < m->ds->n_stations; s++) free(m->station_labels[s]);
    free(m->year_labels); free(m->month_labels); free(m->line_labels); free(m->station_labels);
    free(m->dam_state); free(m->col_build); free(m->col_sed_out);
    lm_hydro_state_free(m->hydro_state);
    free(m->year_ds); free(m->month_ds); free(m->f_var); free(m->period_years);
    free(m->external); free(m->export_share); free(m->import_price);
    free(m->row_balance); free(m->col_new); free(m->col_cap); free(m->row_capacity); free(m->col_gen); free(m->rem_mw);
    free(m->col_chg); free(m->col_soc); free(m->col_soc0); free(m->col_unserved);
    free(m->col_exp); free(m->col_lnew); free(m->col_lcap); free(m->line_pair);
    free(m->row_cap_basin); free(m->row_cap_zone);
    free(m->hydro_energy_mwh); free(m->row_hydro_energy);
    free(m);
}

/* Cost breakdown from the objective ledger: table costs(category, zone, year) and scalars. */
static void extract_costs(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_lp *lp = m->lp;
    const lm_dataset *ds = m->ds;
    int nz = ds->n_zones + 1, ny = m->n_years + 1;
    double *acc = lm_xcalloc((size_t)LM_COST_N * nz * ny, sizeof(double));
    double total[LM_COST_N] = {0};
    for (int i = 0; i < lp->n_cost; i++) {
        const lm_cost_entry *e = &lp->cost[i];
        double v = e->value * sol->x[e->col];
        int z = e->zone < 0 ? ds->n_zones : e->zone;
        int y = e->year < 0 ? m->n_years : e->year;
        acc[((size_t)e->category * nz + z) * ny + y] += v;
        total[e->category] += v;
    }
    lm_result_table *t = lm_results_table(res, "costs", "category,zone,#year", "cost_musd");
    for (int c = 0; c < LM_COST_N; c++)
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++) {
                double v = acc[((size_t)c * nz + z) * ny + y];
                if (v == 0.0) continue;
                const char *keys[3] = {lm_cost_category_name[c],
                                       z < ds->n_zones ? ds->zones[z] : "all",
                                       y < m->n_years ? m->year_labels[y] : "0"};
                lm_results_row(res, t, keys, &v);
            }
    free(acc);
    for (int c = 0; c < LM_COST_N; c++) {
        char name[64];
        snprintf(name, sizeof name, "cost_%s_musd", lm_cost_category_name[c]);
        lm_results_scalar(res, name, total[c]);
    }
    /* the groupings of spec section 5 */
    lm_results_scalar(res, "cost_variable_musd",
                      total[LM_COST_VAR_OM] + total[LM_COST_FUEL] + total[LM_COST_LINE_VAR] +
                          total[LM_COST_IMPORT] + total[LM_COST_UNSERVED]);
    lm_results_scalar(res, "cost_fixed_musd", total[LM_COST_FIX_TECH] + total[LM_COST_FIX_LINE]);
    lm_results_scalar(res, "cost_investment_musd", total[LM_COST_INV_TECH] + total[LM_COST_INV_HYDRO]);
    lm_results_scalar(res, "cost_line_investment_musd", total[LM_COST_INV_LINE]);
    lm_results_scalar(res, "objective_musd", sol->objective);
}

int lm_model_extract(const lm_model *m, const lm_solution *sol, lm_results *res, lm_diag *d)
{
    if (!sol->has_point) {
        lm_diag_error(d, "no solution to extract (status %s)", lm_status_name(sol->status));
        return -1;
    }
    for (int c = 0; c < N_COMPONENTS; c++)
        if (components[c]->extract) components[c]->extract(m, sol, res);
    extract_costs(m, sol, res);
    lm_results_scalar(res, "weight", m->weight);
    return 0;
}

double lm_model_barrier_regularization(const lm_model *m)
{
    if (m->plan->barrier_regularization >= 0) return m->plan->barrier_regularization;
    return m->row_sediment_floor >= 0 ? 1e-5 : 0;
}
