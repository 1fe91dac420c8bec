/* grid.c - the grid component: cross-border corridors, hourly flows with losses, corridor
 * expansion under the transmission scenario, import costs (spec 4.2, 5; docs/model.md).
 *
 * Families: grid.flow[l,y,t] (sent into corridor l), grid.new[l,y] (new capacity of the
 * corridor pair, one column for both directions: C6 by construction), grid.cap[l,y]
 * (columns); grid.capacity (C4), grid.flow_limit (C3), grid.import_cap (C7c) (rows).
 * Scenario "existing" fixes grid.new to 0 (C7a); "planned" bounds grid.cap by the existing
 * plus the planned capacity (C7b); "import-cap" limits annual imports to a share of demand.
 * Nothing flows into an external zone (C5).  Costs count only corridors between costed
 * zones; energy sent by an external zone into a costed zone is bought at its import price.
 * The factor 1/2 of spec 5 appears as 1/(number of directions of the pair), which is the same
 * for the usual two-way corridor; faithful mode also halves the variable cost of every MWh
 * sent, as Xu et al. do (spec 8, item 11), improved mode does not. */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>

static int reverse_of(const lm_dataset *ds, int l)
{
    for (int j = 0; j < ds->n_lines; j++)
        if (ds->line_from[j] == ds->line_to[l] && ds->line_to[j] == ds->line_from[l]) return j;
    return -1;
}

static int build(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    lm_lp *lp = m->lp;
    int L = ds->n_lines, Y = m->n_years, T = m->n_steps, Z = ds->n_zones;
    double dt = m->dt_h;

    m->line_labels = lm_xmalloc((size_t)(L ? L : 1) * sizeof(char *));
    m->line_pair = lm_xmalloc((size_t)(L ? L : 1) * sizeof(int));
    int *ndir = lm_xmalloc((size_t)(L ? L : 1) * sizeof(int));
    for (int l = 0; l < L; l++) {
        m->line_labels[l] = lm_xasprintf("%s.%s", ds->zones[ds->line_from[l]], ds->zones[ds->line_to[l]]);
        int r = reverse_of(ds, l);
        m->line_pair[l] = (r >= 0 && r < l) ? r : l;
        ndir[l] = r >= 0 ? 2 : 1;
    }
    lm_lp_set_labels(lp, 'l', (const char *const *)m->line_labels, L);

    double line_life = 0;
    for (int l = 0; l < L; l++) line_life = fmax(line_life, ds->line_lifetime_years[l]);

    int f_flow = lm_lp_add_family(lp, "grid", "flow", "lymh", 0);
    int f_new = lm_lp_add_family(lp, "grid", "new", "ly", 0);
    int f_cap = lm_lp_add_family(lp, "grid", "cap", "ly", 0);
    int f_capacity = lm_lp_add_family(lp, "grid", "capacity", "ly", 1);
    int f_limit = lm_lp_add_family(lp, "grid", "flow_limit", "lymh", 1);
    int f_imp = lm_lp_add_family(lp, "grid", "import_cap", "zy", 1);

    m->col_lnew = lm_xmalloc((size_t)(L ? L : 1) * Y * sizeof(int));
    m->col_lcap = lm_xmalloc((size_t)(L ? L : 1) * Y * sizeof(int));
    m->col_exp = lm_xmalloc((size_t)(L ? L : 1) * Y * T * sizeof(int));
    for (int i = 0; i < L * Y; i++) m->col_lnew[i] = m->col_lcap[i] = -1;
    for (int i = 0; i < L * Y * T; i++) m->col_exp[i] = -1;

    /* expansion: one column per pair and year, costed per direction */
    for (int l = 0; l < L; l++) {
        if (m->line_pair[l] != l) continue;
        for (int y = 0; y < Y; y++) {
            int idx[2] = {l, y};
            double ub = p->transmission == LM_TRANS_EXISTING ? 0 : LM_INF;
            m->col_lnew[l * Y + y] = lm_lp_add_col(lp, f_new, idx, 0, ub, 0);
        }
    }
    for (int l = 0; l < L; l++) {
        int a = ds->line_from[l], b = ds->line_to[l];
        int costed = !m->external[a] && !m->external[b];
        int pair = m->line_pair[l];
        double share = 1.0 / ndir[l];
        for (int y = 0; y < Y; y++) {
            int idx[2] = {l, y};
            double ub = LM_INF;
            if (p->transmission == LM_TRANS_PLANNED && isfinite(ds->line_max_new_mw[l]))
                ub = ds->line_existing_mw[l] + ds->line_max_new_mw[l];
            int cap = lm_lp_add_col(lp, f_cap, idx, 0, ub, 0);
            m->col_lcap[l * Y + y] = cap;
            int row = lm_lp_add_row(lp, f_capacity, idx, ds->line_existing_mw[l], ds->line_existing_mw[l]);
            lm_lp_coef(lp, row, cap, 1.0);
            for (int v = 0; v <= y; v++) lm_lp_coef(lp, row, m->col_lnew[pair * Y + v], -1.0);
            if (costed) {
                lm_lp_add_cost(lp, cap, LM_COST_FIX_LINE, a, y,
                               share * m->f_var[y] * ds->line_fixed_om_usd_per_mw_yr[l] / 1e6);
                lm_lp_add_cost(lp, m->col_lnew[pair * Y + y], LM_COST_INV_LINE, a, y,
                               share * ds->line_investment_usd_per_mw_km[l] * ds->line_distance_km[l] *
                                   lm_model_f_inv(m, line_life, y) / 1e6);
            }
        }
    }

    /* hourly flows */
    for (int l = 0; l < L; l++) {
        int a = ds->line_from[l], b = ds->line_to[l];
        if (m->external[b]) continue; /* C5: nothing flows into an external zone */
        int costed = !m->external[a];
        double eff = ds->line_efficiency[l];
        for (int y = 0; y < Y; y++) {
            double s = dt * m->f_var[y] / m->weight / 1e6;
            double var = costed ? ds->line_variable_usd_per_mwh[l] * (m->faithful ? 0.5 : 1.0) * s : 0;
            double imp = m->external[a] ? m->import_price[a] * s : 0;
            for (int t = 0; t < T; t++) {
                int idx[4] = {l, y, t / m->n_hours, t % m->n_hours};
                int x = lm_lp_add_col(lp, f_flow, idx, 0, LM_INF, 0);
                m->col_exp[(l * Y + y) * T + t] = x;
                lm_lp_coef(lp, m->row_balance[lm_m_zyt(m, a, y, t)], x, -1.0);
                lm_lp_coef(lp, m->row_balance[lm_m_zyt(m, b, y, t)], x, eff);
                int r = lm_lp_add_row(lp, f_limit, idx, -LM_INF, 0);
                lm_lp_coef(lp, r, x, 1.0);
                lm_lp_coef(lp, r, m->col_lcap[l * Y + y], -1.0);
                if (var > 0) lm_lp_add_cost(lp, x, LM_COST_LINE_VAR, a, y, var);
                if (imp > 0) lm_lp_add_cost(lp, x, LM_COST_IMPORT, b, y, imp);
            }
        }
    }

    /* C7c: annual imports of a costed zone at most a share of its annual demand */
    if (p->transmission == LM_TRANS_IMPORT_CAP) {
        for (int z = 0; z < Z; z++) {
            if (m->external[z]) continue;
            for (int y = 0; y < Y; y++) {
                double dem = 0;
                for (int t = 0; t < T; t++) dem += m->lp->row_lb[m->row_balance[lm_m_zyt(m, z, y, t)]];
                int idx[2] = {z, y};
                int r = lm_lp_add_row(lp, f_imp, idx, -LM_INF, p->import_cap_share * dem);
                for (int l = 0; l < L; l++)
                    if (ds->line_to[l] == z)
                        for (int t = 0; t < T; t++) {
                            int x = m->col_exp[(l * Y + y) * T + t];
                            if (x >= 0) lm_lp_coef(lp, r, x, ds->line_efficiency[l]);
                        }
            }
        }
    }
    free(ndir);
    (void)d;
    return 0;
}

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    int L = ds->n_lines, Y = m->n_years, T = m->n_steps;
    lm_result_table *lines = lm_results_table(res, "lines", "from_zone,to_zone,#year",
                                              "capacity_mw,new_mw,energy_sent_twh");
    lm_result_table *flows = lm_results_table(res, "flows", "from_zone,to_zone,#year,#month,#hour",
                                              "sent_mw,received_mw");
    for (int l = 0; l < L; l++)
        for (int y = 0; y < Y; y++) {
            const char *keys[5] = {ds->zones[ds->line_from[l]], ds->zones[ds->line_to[l]],
                                   m->year_labels[y], NULL, NULL};
            double sent = 0;
            for (int t = 0; t < T; t++) {
                int x = m->col_exp[(l * Y + y) * T + t];
                if (x < 0) continue;
                double v[2] = {sol->x[x], sol->x[x] * ds->line_efficiency[l]};
                sent += v[0];
                keys[3] = lm_results_intern_int(res, ds->months[m->month_ds[t / m->n_hours]]);
                keys[4] = lm_results_intern_int(res, t % m->n_hours + 1);
                lm_results_row(res, flows, keys, v);
            }
            int nc = m->col_lnew[m->line_pair[l] * Y + y];
            double v[3] = {sol->x[m->col_lcap[l * Y + y]], nc >= 0 ? sol->x[nc] : 0,
                           sent * m->dt_h / m->weight / 1e6};
            lm_results_row(res, lines, keys, v);
        }
}

const lm_component lm_component_grid = {"grid", build, extract};
