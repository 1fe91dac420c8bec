/* storage.c - the storage component (batteries, technology type "storage"): charging,
 * state of charge within each representative day (spec 4.5; docs/model.md).
 *
 * Families: storage.charge[z,k,y,t], storage.soc[z,k,y,t] (end of hour), storage.soc0[z,k,y,m]
 * (improved mode only) (columns); storage.level (C15), storage.cycle (C17), storage.energy_cap
 * (C18), storage.start_cap and storage.charge_cap (improved mode) (rows).
 * Faithful mode fixes the day's start at initial_storage_fraction x energy capacity (C16) and
 * has no charging-power limit, as in Xu et al.; improved mode lets the optimiser choose the
 * day's start level (the day is still cyclic) and limits charging power to the capacity. */
#include "model/model.h"
#include "core/util.h"

#include <stdlib.h>

static int build(lm_model *m, lm_diag *d)
{
    (void)d;
    const lm_dataset *ds = m->ds;
    lm_lp *lp = m->lp;
    int Z = ds->n_zones, K = ds->n_techs, Y = m->n_years, T = m->n_steps, H = m->n_hours;
    size_t n = (size_t)Z * K * Y * T;
    m->col_chg = lm_xmalloc(n * sizeof(int));
    m->col_soc = lm_xmalloc(n * sizeof(int));
    m->col_soc0 = lm_xmalloc((size_t)Z * K * Y * m->n_months * sizeof(int));
    for (size_t i = 0; i < n; i++) m->col_chg[i] = m->col_soc[i] = -1;
    for (int i = 0; i < Z * K * Y * m->n_months; i++) m->col_soc0[i] = -1;

    int f_chg = lm_lp_add_family(lp, "storage", "charge", "zkymh", 0);
    int f_soc = lm_lp_add_family(lp, "storage", "soc", "zkymh", 0);
    int f_soc0 = lm_lp_add_family(lp, "storage", "soc0", "zkym", 0);
    int f_level = lm_lp_add_family(lp, "storage", "level", "zkymh", 1);
    int f_cycle = lm_lp_add_family(lp, "storage", "cycle", "zkym", 1);
    int f_ecap = lm_lp_add_family(lp, "storage", "energy_cap", "zkymh", 1);
    int f_scap = lm_lp_add_family(lp, "storage", "start_cap", "zkym", 1);
    int f_ccap = lm_lp_add_family(lp, "storage", "charge_cap", "zkymh", 1);

    for (int z = 0; z < Z; z++)
        for (int k = 0; k < K; k++) {
            if (ds->tech_type[k] != LM_TECH_STORAGE) continue;
            int zk = lm_zk(ds, z, k);
            double e2p = ds->energy_to_power_ratio_h[zk];
            double soc0 = ds->initial_storage_fraction[zk];
            for (int y = 0; y < Y; y++) {
                int cap = m->col_cap[lm_m_zky(m, z, k, y)];
                if (cap < 0) continue;
                double eff = ds->efficiency_fraction[lm_ky(ds, k, m->year_ds[y])];
                for (int mo = 0; mo < m->n_months; mo++) {
                    int idx4[4] = {z, k, y, mo};
                    int start = -1; /* column of the day-start level (improved mode) */
                    if (!m->faithful) {
                        start = lm_lp_add_col(lp, f_soc0, idx4, 0, LM_INF, 0);
                        m->col_soc0[(lm_m_zky(m, z, k, y)) * m->n_months + mo] = start;
                        int r = lm_lp_add_row(lp, f_scap, idx4, -LM_INF, 0);
                        lm_lp_coef(lp, r, start, 1.0);
                        lm_lp_coef(lp, r, cap, -e2p);
                    }
                    int prev = -1;
                    for (int h = 0; h < H; h++) {
                        int t = mo * H + h;
                        int gi = lm_m_gen(m, z, k, y, t);
                        int idx[5] = {z, k, y, mo, h};
                        int chg = lm_lp_add_col(lp, f_chg, idx, 0, LM_INF, 0);
                        int soc = lm_lp_add_col(lp, f_soc, idx, 0, LM_INF, 0);
                        m->col_chg[gi] = chg;
                        m->col_soc[gi] = soc;
                        lm_lp_coef(lp, m->row_balance[lm_m_zyt(m, z, y, t)], chg, -1.0);
                        /* C15: soc[h] = soc[h-1] - gen dt + eff chg dt */
                        int r = lm_lp_add_row(lp, f_level, idx, 0, 0);
                        lm_lp_coef(lp, r, soc, 1.0);
                        lm_lp_coef(lp, r, m->col_gen[gi], m->dt_h);
                        lm_lp_coef(lp, r, chg, -eff * m->dt_h);
                        if (prev >= 0) lm_lp_coef(lp, r, prev, -1.0);
                        else if (start >= 0) lm_lp_coef(lp, r, start, -1.0);
                        else lm_lp_coef(lp, r, cap, -soc0 * e2p); /* C16 */
                        /* C18 */
                        int e = lm_lp_add_row(lp, f_ecap, idx, -LM_INF, 0);
                        lm_lp_coef(lp, e, soc, 1.0);
                        lm_lp_coef(lp, e, cap, -e2p);
                        if (!m->faithful) {
                            int c = lm_lp_add_row(lp, f_ccap, idx, -LM_INF, 0);
                            lm_lp_coef(lp, c, chg, 1.0);
                            lm_lp_coef(lp, c, cap, -1.0);
                        }
                        prev = soc;
                    }
                    /* C17: the day ends where it started */
                    int r = lm_lp_add_row(lp, f_cycle, idx4, 0, 0);
                    lm_lp_coef(lp, r, prev, 1.0);
                    if (start >= 0) lm_lp_coef(lp, r, start, -1.0);
                    else lm_lp_coef(lp, r, cap, -soc0 * e2p);
                }
            }
        }
    return 0;
}

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    lm_result_table *tab = lm_results_table(res, "storage", "zone,tech,#year,#month,#hour",
                                            "charge_mw,discharge_mw,soc_mwh");
    for (int z = 0; z < ds->n_zones; z++)
        for (int k = 0; k < ds->n_techs; k++)
            for (int y = 0; y < m->n_years; y++)
                for (int t = 0; t < m->n_steps; t++) {
                    int gi = lm_m_gen(m, z, k, y, t);
                    if (m->col_chg[gi] < 0) continue;
                    double v[3] = {sol->x[m->col_chg[gi]], sol->x[m->col_gen[gi]],
                                   sol->x[m->col_soc[gi]]};
                    const char *keys[5] = {
                        ds->zones[z], ds->techs[k], m->year_labels[y],
                        lm_results_intern_int(res, ds->months[m->month_ds[t / m->n_hours]]),
                        lm_results_intern_int(res, t % m->n_hours + 1)};
                    lm_results_row(res, tab, keys, v);
                }
}

const lm_component lm_component_storage = {"storage", build, extract};
