/* hydro.c - the hydropower cascade: every station's water balance with routing delays,
 * turbine and spill flows, storage bounds, operation modes, output at fixed head, the link to
 * the zones' hydro generation, and candidate dams' build decisions (spec 4.8, 4.10; docs/model.md).
 *
 * Formulation (what differs from the original, and why, is in docs/model.md):
 * - A station that does not operate in a year (a candidate not built, or not yet commissioned)
 *   passes its inflow through unchanged (C37).  It gets no variables: its outflow is its
 *   inflow, substituted into the stations below, so routing composes through it.
 * - Inflow = local natural inflow + upstream outflows delayed by the travel time, wrapped
 *   within the representative day (C23, C24).  Outflow = turbine + spill (C26).
 * - Volume is in (m3/s)·h (= 3600 m3) so the water balance has unit coefficients (C25);
 *   results are reported in 1e8 m3 as in the data.  Bounds per step (C28, C29).
 * - Daily stations end the day where they started (C33); run-of-river stations pass the hour's
 *   inflow (C34) and need no volume; seasonal stations move by w of the change to the next
 *   representative day's start (C35), w = days represented / 365 per day.
 * - Output = coefficient x head x turbine flow / 1000 MW (C30) <= maximum output (C31, as a
 *   bound on the turbine flow).  Zonal hydro generation = sum of station outputs (C36).
 * - Candidates the optimiser decides (dams.build[s] in [0,1]) use no big-M: turbine flow <=
 *   its capacity x build and volume <= maximum volume x build, so an unbuilt dam has no
 *   storage and no turbine and its water balance forces outflow = inflow; its capacity enters
 *   the zone's hydro capacity (C39) and its investment cost the objective from the first
 *   modelled year at or after its commissioning year.
 * Families: hydro.turbine, hydro.spill, hydro.volume, hydro.volume0 (columns, [s,y,m,h] / [s,y,m]),
 * hydro.built (fixed columns carrying built dams' costs), hydro.water, hydro.ror,
 * hydro.seasonal_bound, hydro.turbine_build, hydro.volume_build, hydro.zone_output (rows);
 * hydro.other[z,y,m,h] and hydro.other_energy[z,y,m] for hydro capacity outside the stations. */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VOL_UNIT (1e8 / 3600.0) /* (m3/s)·h per 1e8 m3 */

/* A linear expression for a flow: constant + sum coef x column. */
typedef struct expr {
    double k;
    int off, n; /* terms in the pool */
} expr;

typedef struct pool {
    int n, cap;
    int *col;
    double *coef;
} pool;

static void pool_add(pool *p, int col, double coef)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->col = lm_xrealloc(p->col, (size_t)p->cap * sizeof(int));
        p->coef = lm_xrealloc(p->coef, (size_t)p->cap * sizeof(double));
    }
    p->col[p->n] = col;
    p->coef[p->n] = coef;
    p->n++;
}

typedef struct hydro_ctx {
    lm_model *m;
    int hydro;          /* technology index of type hydro */
    int *order;         /* stations, upstream first */
    int *active;        /* [s] for the current year */
    int *first_year;    /* [s] first modelled year index in which the dam operates, or -1 */
    /* columns per (s, y, t) */
    int *col_tur, *col_spl, *col_vol; /* [(s * Y + y) * T + t]; vol = end of hour */
    int *col_vol0;      /* [(s * Y + y) * M + m] start of day */
    expr *in, *out;     /* [s * T + t] for the current year */
    pool terms;
    int f_tur, f_spl, f_vol, f_vol0, f_water, f_ror, f_seas, f_tb, f_vb, f_zone; /* families */
    int f_other, f_other_energy;
    double *energy, *station_mw; /* natural-flow energy per zone and day, station MW per zone */
} hydro_ctx;

/* Stations in topological order (upstream first). */
static int *topo_order(const lm_dataset *ds)
{
    int S = ds->n_stations;
    int *indeg = lm_xcalloc((size_t)S, sizeof(int));
    int *order = lm_xmalloc((size_t)S * sizeof(int));
    for (int e = 0; e < ds->n_edges; e++) indeg[ds->edge_down[e]]++;
    int head = 0, tail = 0;
    for (int s = 0; s < S; s++)
        if (indeg[s] == 0) order[tail++] = s;
    while (head < tail) {
        int u = order[head++];
        for (int e = 0; e < ds->n_edges; e++)
            if (ds->edge_up[e] == u && --indeg[ds->edge_down[e]] == 0) order[tail++] = ds->edge_down[e];
    }
    free(indeg);
    return order; /* the loader guarantees an acyclic network, so tail == S */
}

/* Upstream step for a delay (spec C24): delta = trunc(delay/dt) reduced below the day length
 * (a full day acts as no delay), wrapped within the same representative day. */
static int delayed(int h, double delay_h, double dt, int H)
{
    int delta = (int)trunc(delay_h / dt);
    while (delta > H) delta -= H;
    int src = h - delta;
    return src >= 0 ? src : H - delta + h;
}

static double station_mw_per_m3s(const lm_station *st) { return st->output_coefficient * st->head_m * 1e-3; }

/* Maximum turbine flow: maximum output at the fixed head (C31); improved mode also keeps the
 * generating-flow limit of the data. */
static double turbine_max(const lm_model *m, const lm_station *st)
{
    double k = station_mw_per_m3s(st);
    if (k <= 0) return 0;
    double q = st->max_output_mw / k;
    if (!m->faithful && st->max_generation_flow_m3s > 0) q = fmin(q, st->max_generation_flow_m3s);
    return q;
}

/* A decided dam's storage exists only if it is built: lo x build <= volume <= hi x build. */
static void volume_by_build(lm_lp *lp, int fam, const int *idx, int vol, int build, double lo, double hi)
{
    int r = lm_lp_add_row(lp, fam, idx, -LM_INF, 0);
    lm_lp_coef(lp, r, vol, 1.0);
    lm_lp_coef(lp, r, build, -hi);
    if (lo > 0) {
        r = lm_lp_add_row(lp, fam, idx, 0, LM_INF);
        lm_lp_coef(lp, r, vol, 1.0);
        lm_lp_coef(lp, r, build, -lo);
    }
}

static void build_year(hydro_ctx *c, int y, lm_diag *d)
{
    lm_model *m = c->m;
    const lm_dataset *ds = m->ds;
    lm_lp *lp = m->lp;
    int S = ds->n_stations, T = m->n_steps, H = m->n_hours, M = m->n_months, Y = m->n_years;
    double dt = m->dt_h;
    int f_tur = c->f_tur, f_spl = c->f_spl, f_vol = c->f_vol, f_vol0 = c->f_vol0,
        f_water = c->f_water, f_ror = c->f_ror, f_seas = c->f_seas, f_tb = c->f_tb,
        f_vb = c->f_vb, f_zone = c->f_zone;
    (void)d;
    c->terms.n = 0;
    double w = M / 365.0; /* share of a month's change that one representative day makes */

    for (int oi = 0; oi < S; oi++) {
        int s = c->order[oi];
        const lm_station *st = &ds->stations[s];
        /* inflow expressions: local inflow + delayed upstream outflows */
        for (int t = 0; t < T; t++) {
            expr *in = &c->in[s * T + t];
            int mo = t / H, h = t % H;
            in->k = ds->inflow_m3s[(size_t)s * ds->n_steps + lm_m_ds_step(m, t)];
            in->off = c->terms.n;
            for (int e = 0; e < ds->n_edges; e++) {
                if (ds->edge_down[e] != s) continue;
                int u = ds->edge_up[e];
                const expr *o = &c->out[u * T + mo * H + delayed(h, ds->edge_delay_h[e], dt, H)];
                in->k += o->k;
                for (int i = 0; i < o->n; i++) pool_add(&c->terms, c->terms.col[o->off + i], c->terms.coef[o->off + i]);
            }
            in->n = c->terms.n - in->off;
        }
        int yd = m->year_ds[y];
        int active = c->first_year[s] >= 0 && y >= c->first_year[s];
        c->active[s] = active;
        if (!active) {
            for (int t = 0; t < T; t++) c->out[s * T + t] = c->in[s * T + t];
            continue;
        }
        int build = m->dam_state[s] == LM_DAM_DECIDE ? m->col_build[s] : -1;
        double qmax = turbine_max(m, st);
        int ror = st->operation_mode == LM_OP_RUN_OF_RIVER;
        /* columns */
        for (int t = 0; t < T; t++) {
            int idx[4] = {s, y, t / H, t % H};
            size_t i = ((size_t)s * Y + y) * T + t;
            c->col_tur[i] = lm_lp_add_col(lp, f_tur, idx, 0, qmax, 0);
            c->col_spl[i] = lm_lp_add_col(lp, f_spl, idx, 0, LM_INF, 0);
            expr *o = &c->out[s * T + t];
            o->k = 0;
            o->off = c->terms.n;
            pool_add(&c->terms, c->col_tur[i], 1.0);
            pool_add(&c->terms, c->col_spl[i], 1.0);
            o->n = 2;
            if (build >= 0 && qmax > 0) {
                int r = lm_lp_add_row(lp, f_tb, idx, -LM_INF, 0);
                lm_lp_coef(lp, r, c->col_tur[i], 1.0);
                lm_lp_coef(lp, r, build, -qmax);
            }
        }
        if (ror) {
            /* C34: outflow = inflow every hour; no storage */
            for (int t = 0; t < T; t++) {
                int idx[4] = {s, y, t / H, t % H};
                const expr *in = &c->in[s * T + t];
                size_t i = ((size_t)s * Y + y) * T + t;
                int r = lm_lp_add_row(lp, f_ror, idx, in->k, in->k);
                lm_lp_coef(lp, r, c->col_tur[i], 1.0);
                lm_lp_coef(lp, r, c->col_spl[i], 1.0);
                for (int k = 0; k < in->n; k++) lm_lp_coef(lp, r, c->terms.col[in->off + k], -c->terms.coef[in->off + k]);
            }
            continue;
        }
        /* volumes: start of each day, end of hours 1..H-1 (hour H is the day's end state) */
        for (int mo = 0; mo < M; mo++) {
            int t0 = mo * H;
            size_t ds0 = (size_t)s * ds->n_steps + lm_m_ds_step(m, t0);
            int idx3[3] = {s, y, mo};
            double lo = ds->storage_min_1e8m3[ds0] * VOL_UNIT, hi = ds->storage_max_1e8m3[ds0] * VOL_UNIT;
            int v0 = lm_lp_add_col(lp, f_vol0, idx3, build >= 0 ? 0 : lo, hi, 0);
            c->col_vol0[((size_t)s * Y + y) * M + mo] = v0;
            if (build >= 0) {
                int idx4[4] = {s, y, mo, 0};
                volume_by_build(lp, f_vb, idx4, v0, build, lo, hi);
            }
            for (int h = 0; h < H - 1; h++) {
                int t = t0 + h;
                size_t dsi = (size_t)s * ds->n_steps + lm_m_ds_step(m, t);
                int idx[4] = {s, y, mo, h};
                double vlo = ds->storage_min_1e8m3[dsi] * VOL_UNIT, vhi = ds->storage_max_1e8m3[dsi] * VOL_UNIT;
                int v = lm_lp_add_col(lp, f_vol, idx, build >= 0 ? 0 : vlo, vhi, 0);
                c->col_vol[((size_t)s * Y + y) * T + t] = v;
                if (build >= 0) volume_by_build(lp, f_vb, idx, v, build, vlo, vhi);
            }
        }
        /* C25 water balance, with the day's end given by the operation mode */
        for (int mo = 0; mo < M; mo++) {
            int v0 = c->col_vol0[((size_t)s * Y + y) * M + mo];
            int vnext = c->col_vol0[((size_t)s * Y + y) * M + (mo + 1) % M];
            for (int h = 0; h < H; h++) {
                int t = mo * H + h;
                size_t i = ((size_t)s * Y + y) * T + t;
                const expr *in = &c->in[s * T + t];
                int idx[4] = {s, y, mo, h};
                /* vol[h] - vol[h-1] + (tur + spl) dt - inflow dt = 0 */
                int r = lm_lp_add_row(lp, f_water, idx, in->k * dt, in->k * dt);
                if (h < H - 1) {
                    lm_lp_coef(lp, r, c->col_vol[i], 1.0);
                } else if (st->operation_mode == LM_OP_SEASONAL && M > 1) {
                    lm_lp_coef(lp, r, v0, 1.0 - w); /* C35 */
                    lm_lp_coef(lp, r, vnext, w);
                } else {
                    lm_lp_coef(lp, r, v0, 1.0);     /* C33 (and a single day) */
                }
                lm_lp_coef(lp, r, h == 0 ? v0 : c->col_vol[i - 1], -1.0);
                lm_lp_coef(lp, r, c->col_tur[i], dt);
                lm_lp_coef(lp, r, c->col_spl[i], dt);
                for (int k = 0; k < in->n; k++)
                    lm_lp_coef(lp, r, c->terms.col[in->off + k], -c->terms.coef[in->off + k] * dt);
            }
            /* C28 at the day's end for seasonal stations: bounded by construction when the
             * bounds are the same in both months; otherwise a row */
            if (st->operation_mode == LM_OP_SEASONAL && M > 1) {
                size_t e = (size_t)s * ds->n_steps + lm_m_ds_step(m, mo * H + H - 1);
                size_t a = (size_t)s * ds->n_steps + lm_m_ds_step(m, mo * H);
                size_t b = (size_t)s * ds->n_steps + lm_m_ds_step(m, ((mo + 1) % M) * H);
                double hi_e = ds->storage_max_1e8m3[e], lo_e = ds->storage_min_1e8m3[e];
                double hi_c = (1 - w) * ds->storage_max_1e8m3[a] + w * ds->storage_max_1e8m3[b];
                double lo_c = (1 - w) * ds->storage_min_1e8m3[a] + w * ds->storage_min_1e8m3[b];
                if (hi_c > hi_e + 1e-12 || lo_c < lo_e - 1e-12) {
                    int idx3[3] = {s, y, mo};
                    int r = lm_lp_add_row(lp, f_seas, idx3, lo_e * VOL_UNIT, hi_e * VOL_UNIT);
                    lm_lp_coef(lp, r, v0, 1.0 - w);
                    lm_lp_coef(lp, r, vnext, w);
                }
            }
        }
        (void)yd;
    }

    /* C36: zonal hydro generation = sum of station outputs (+ capacity outside the network) */
    for (int z = 0; z < ds->n_zones; z++) {
        /* Hydro capacity no station represents (plants outside the modelled rivers) gets a
         * daily energy budget at the availability of the zone's stations (hydro_budget.c). */
        double other_mw = m->rem_mw[lm_m_zky(m, z, c->hydro, y)] - c->station_mw[z];
        int has_other = other_mw > 1e-6 * fmax(1.0, c->station_mw[z]);
        for (int mo = 0; mo < M; mo++) {
            int row_energy = -1;
            if (has_other) {
                int idx3[3] = {z, y, mo};
                double budget = other_mw * H * dt * lm_hydro_other_ratio(m, c->energy, c->station_mw, z, mo);
                row_energy = lm_lp_add_row(lp, c->f_other_energy, idx3, -LM_INF, budget);
            }
            for (int h = 0; h < H; h++) {
                int t = mo * H + h;
                int g = m->col_gen[lm_m_gen(m, z, c->hydro, y, t)];
                if (g < 0) continue;
                int idx[4] = {z, y, mo, h};
                int r = lm_lp_add_row(lp, f_zone, idx, 0, 0);
                lm_lp_coef(lp, r, g, 1.0);
                for (int s = 0; s < S; s++) {
                    if (!c->active[s] || ds->stations[s].zone != z) continue;
                    lm_lp_coef(lp, r, c->col_tur[((size_t)s * Y + y) * T + t], -station_mw_per_m3s(&ds->stations[s]));
                }
                if (row_energy >= 0) {
                    int o = lm_lp_add_col(lp, c->f_other, idx, 0, other_mw, 0);
                    lm_lp_coef(lp, r, o, -1.0);
                    lm_lp_coef(lp, row_energy, o, dt);
                }
            }
        }
    }
}

/* First modelled year in which a station operates: existing stations from the start;
 * candidates (built or decided) from the first modelled year at or after commissioning. */
static void first_years(hydro_ctx *c)
{
    lm_model *m = c->m;
    const lm_dataset *ds = m->ds;
    for (int s = 0; s < ds->n_stations; s++) {
        int st = m->dam_state[s];
        c->first_year[s] = -1;
        if (st == LM_DAM_NOT_BUILT) continue;
        for (int y = 0; y < m->n_years; y++)
            if (st == LM_DAM_EXISTING || ds->years[m->year_ds[y]] >= ds->stations[s].commissioning_year) {
                c->first_year[s] = y;
                break;
            }
    }
}

/* C39: built and decided candidates add capacity to their zone from their first year on and
 * cost their investment then (zones in the cost scope only). */
static void link_capacity(hydro_ctx *c)
{
    lm_model *m = c->m;
    const lm_dataset *ds = m->ds;
    lm_lp *lp = m->lp;
    int f_built = lm_lp_add_family(lp, "hydro", "built", "s", 0);
    for (int s = 0; s < ds->n_stations; s++) {
        int state = m->dam_state[s];
        int y0 = c->first_year[s];
        if ((state != LM_DAM_BUILT && state != LM_DAM_DECIDE) || y0 < 0) continue;
        const lm_station *st = &ds->stations[s];
        int col = m->col_build[s];
        if (state == LM_DAM_BUILT) {
            int idx[1] = {s};
            col = lm_lp_add_col(lp, f_built, idx, 1, 1, 0);
        }
        for (int y = y0; y < m->n_years; y++) {
            int row = m->row_capacity[lm_m_zky(m, st->zone, c->hydro, y)];
            if (row >= 0) lm_lp_coef(lp, row, col, -st->capacity_mw);
        }
        if (!m->external[st->zone]) {
            int k = c->hydro, yd = m->year_ds[y0];
            double cost = st->capacity_mw * ds->investment_cost_usd_per_mw[lm_ky(ds, k, yd)] *
                          lm_model_f_inv(m, ds->lifetime_years[lm_ky(ds, k, yd)], y0) / 1e6;
            lm_lp_add_cost(lp, col, LM_COST_INV_HYDRO, st->zone, y0, cost);
        }
    }
}

/* Saved between build and extract */
typedef struct hydro_saved {
    int *col_tur, *col_spl, *col_vol, *col_vol0, *first_year;
    int *order;
} hydro_saved;

static hydro_saved *saved_of(const lm_model *m);

static int build(lm_model *m, lm_diag *d)
{
    if (!m->hydro_cascade) return 0;
    const lm_dataset *ds = m->ds;
    hydro_ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.hydro = -1;
    for (int k = 0; k < ds->n_techs; k++)
        if (ds->tech_type[k] == LM_TECH_HYDRO) c.hydro = k;
    if (c.hydro < 0) {
        lm_diag_error(d, "dataset %s has hydropower stations but no technology of type hydro", ds->name);
        return -1;
    }
    int S = ds->n_stations, Y = m->n_years, T = m->n_steps, M = m->n_months;
    size_t n = (size_t)S * Y * T;
    c.order = topo_order(ds);
    c.active = lm_xcalloc((size_t)S, sizeof(int));
    c.first_year = lm_xmalloc((size_t)S * sizeof(int));
    c.col_tur = lm_xmalloc(n * sizeof(int));
    c.col_spl = lm_xmalloc(n * sizeof(int));
    c.col_vol = lm_xmalloc(n * sizeof(int));
    c.col_vol0 = lm_xmalloc((size_t)S * Y * M * sizeof(int));
    for (size_t i = 0; i < n; i++) c.col_tur[i] = c.col_spl[i] = c.col_vol[i] = -1;
    for (size_t i = 0; i < (size_t)S * Y * M; i++) c.col_vol0[i] = -1;
    c.in = lm_xmalloc((size_t)S * T * sizeof(expr));
    c.out = lm_xmalloc((size_t)S * T * sizeof(expr));
    first_years(&c);
    lm_lp *lp = m->lp;
    c.f_tur = lm_lp_add_family(lp, "hydro", "turbine", "symh", 0);
    c.f_spl = lm_lp_add_family(lp, "hydro", "spill", "symh", 0);
    c.f_vol = lm_lp_add_family(lp, "hydro", "volume", "symh", 0);
    c.f_vol0 = lm_lp_add_family(lp, "hydro", "volume0", "sym", 0);
    c.f_water = lm_lp_add_family(lp, "hydro", "water", "symh", 1);
    c.f_ror = lm_lp_add_family(lp, "hydro", "ror", "symh", 1);
    c.f_seas = lm_lp_add_family(lp, "hydro", "seasonal_bound", "sym", 1);
    c.f_tb = lm_lp_add_family(lp, "hydro", "turbine_build", "symh", 1);
    c.f_vb = lm_lp_add_family(lp, "hydro", "volume_build", "symh", 1);
    c.f_zone = lm_lp_add_family(lp, "hydro", "zone_output", "zymh", 1);
    c.f_other = lm_lp_add_family(lp, "hydro", "other", "zymh", 0);
    c.f_other_energy = lm_lp_add_family(lp, "hydro", "other_energy", "zym", 1);
    c.energy = lm_xmalloc((size_t)ds->n_zones * M * sizeof(double));
    c.station_mw = lm_xmalloc((size_t)ds->n_zones * sizeof(double));
    lm_hydro_natural_energy(m, c.energy, c.station_mw);
    for (int y = 0; y < Y; y++) build_year(&c, y, d);
    link_capacity(&c);
    free(c.active); free(c.in); free(c.out); free(c.terms.col); free(c.terms.coef);
    free(c.energy); free(c.station_mw);
    hydro_saved *sv = lm_xmalloc(sizeof *sv);
    sv->col_tur = c.col_tur; sv->col_spl = c.col_spl; sv->col_vol = c.col_vol;
    sv->col_vol0 = c.col_vol0; sv->first_year = c.first_year; sv->order = c.order;
    m->hydro_state = sv;
    return 0;
}

static hydro_saved *saved_of(const lm_model *m) { return (hydro_saved *)m->hydro_state; }

void lm_hydro_state_free(void *p)
{
    hydro_saved *sv = p;
    if (!sv) return;
    free(sv->col_tur); free(sv->col_spl); free(sv->col_vol); free(sv->col_vol0);
    free(sv->first_year); free(sv->order);
    free(sv);
}

static double xv(const lm_solution *sol, int col) { return col >= 0 ? sol->x[col] : 0.0; }

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    hydro_saved *sv = saved_of(m);
    if (!sv) return;
    const lm_dataset *ds = m->ds;
    int S = ds->n_stations, Y = m->n_years, T = m->n_steps, H = m->n_hours, M = m->n_months;
    double dt = m->dt_h;
    lm_result_table *tab = lm_results_table(res, "hydro_station", "#station_id,#year,#month,#hour",
                                            "inflow_m3s,turbine_m3s,spill_m3s,storage_start_1e8m3,storage_end_1e8m3,output_mw");
    lm_result_table *dams = lm_results_table(res, "dams", "#station_id",
                                             "state,built,capacity_mw,first_year,energy_twh_last_year");
    /* outflow of every station and step, evaluated upstream first */
    double *out = lm_xcalloc((size_t)S * T, sizeof(double));
    double *in = lm_xcalloc((size_t)S * T, sizeof(double));
    double *energy = lm_xcalloc((size_t)S, sizeof(double));
    for (int y = 0; y < Y; y++) {
        for (int oi = 0; oi < S; oi++) {
            int s = sv->order[oi];
            const lm_station *st = &ds->stations[s];
            double k = station_mw_per_m3s(st);
            for (int t = 0; t < T; t++) {
                int mo = t / H, h = t % H;
                double q = ds->inflow_m3s[(size_t)s * ds->n_steps + lm_m_ds_step(m, t)];
                for (int e = 0; e < ds->n_edges; e++)
                    if (ds->edge_down[e] == s)
                        q += out[ds->edge_up[e] * T + mo * H + delayed(h, ds->edge_delay_h[e], dt, H)];
                in[s * T + t] = q;
            }
            for (int t = 0; t < T; t++) {
                int mo = t / H, h = t % H;
                size_t i = ((size_t)s * Y + y) * T + t;
                int active = sv->col_tur[i] >= 0;
                double tur = xv(sol, sv->col_tur[i]);
                double spl = active ? xv(sol, sv->col_spl[i]) : in[s * T + t];
                out[s * T + t] = tur + spl;
                double v_start = NAN, v_end = NAN;
                int v0 = sv->col_vol0[((size_t)s * Y + y) * M + mo];
                if (v0 >= 0) {
                    v_start = (h == 0 ? sol->x[v0] : sol->x[sv->col_vol[i - 1]]) / VOL_UNIT;
                    if (h < H - 1) v_end = sol->x[sv->col_vol[i]] / VOL_UNIT;
                    else if (st->operation_mode == LM_OP_SEASONAL && M > 1) {
                        double w = M / 365.0;
                        int vn = sv->col_vol0[((size_t)s * Y + y) * M + (mo + 1) % M];
                        v_end = ((1 - w) * sol->x[v0] + w * sol->x[vn]) / VOL_UNIT;
                    } else v_end = sol->x[v0] / VOL_UNIT;
                }
                double v[6] = {in[s * T + t], tur, spl, v_start, v_end, k * tur};
                if (y == Y - 1) energy[s] += k * tur * dt;
                const char *keys[4] = {m->station_labels[s], m->year_labels[y],
                                       lm_results_intern_int(res, ds->months[m->month_ds[mo]]),
                                       lm_results_intern_int(res, h + 1)};
                lm_results_row(res, tab, keys, v);
            }
        }
    }
    for (int s = 0; s < S; s++) {
        int state = m->dam_state[s];
        double built = state == LM_DAM_EXISTING || state == LM_DAM_BUILT ? 1
                       : state == LM_DAM_DECIDE ? xv(sol, m->col_build[s]) : 0;
        int fy = sv->first_year[s];
        double v[5] = {state, built, ds->stations[s].capacity_mw,
                       fy >= 0 ? ds->years[m->year_ds[fy]] : NAN, energy[s] / m->weight / 1e6};
        const char *keys[1] = {m->station_labels[s]};
        lm_results_row(res, dams, keys, v);
    }
    free(out); free(in); free(energy);
}

const lm_component lm_component_hydro = {"hydro", build, extract};
