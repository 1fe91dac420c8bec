/* assess.c - the whole assessment of a plan or dam portfolio (see assess.h): projects, their
 * screening, finance and financing mix, the per-dam river impacts, the scorecard inputs and
 * the scorecards, written as result tables. */
#include "assess/assess.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/finance.h"
#include "core/util.h"
#include "model/model.h"

void lm_assess_ctx_init(lm_assess_ctx *c, const lm_dataset *ds, const lm_declared *dc,
                        const lm_criteria *criteria, const lm_fin_sources *finance,
                        const lm_sc_table *indicators)
{
    memset(c, 0, sizeof *c);
    c->ds = ds;
    c->dc = dc;
    c->criteria = criteria;
    c->finance = finance;
    c->indicators = indicators;
    lm_assess_options_default(&c->opt);
    c->gap_penalty_pct = 100;
    c->reproducible = -1;
    c->n_scenarios = -1;
}

void lm_assess_summary_free(lm_assess_summary *s)
{
    if (s) lm_scorecard_free(&s->plan);
}

/* ---- reading a run's tables ---------------------------------------------------------- */

static int key_col(const lm_result_table *t, const char *name)
{
    for (int k = 0; t && k < t->n_keys; k++)
        if (!strcmp(t->key_names[k], name)) return k;
    return -1;
}

static int val_col(const lm_result_table *t, const char *name)
{
    for (int v = 0; t && v < t->n_vals; v++)
        if (!strcmp(t->val_names[v], name)) return v;
    return -1;
}

static const char *tkey(const lm_result_table *t, int r, int k)
{
    return t->keys[(size_t)r * t->n_keys + k];
}

static double tval(const lm_result_table *t, int r, int v)
{
    return v < 0 ? NAN : t->vals[(size_t)r * t->n_vals + v];
}

/* Index z * Y + y of row r of t by its zone and year keys; -1 if either is not the dataset's. */
static int zone_year_of(const lm_dataset *ds, const lm_result_table *t, int r, int kz, int ky)
{
    long yr;
    int z = lm_dataset_zone(ds, tkey(t, r, kz));
    if (z < 0 || lm_parse_int(tkey(t, r, ky), &yr) != 0) return -1;
    int y = lm_dataset_year(ds, (int)yr);
    return y < 0 ? -1 : z * ds->n_years + y;
}

/* ---- projects ------------------------------------------------------------------------- */

enum { P_DAM, P_TRANCHE, P_LINE };

typedef struct proj {
    char id[64], name[80];
    int kind, station, zone, zone_to, tech_ds, year;
    const char *tech;            /* screening / financing technology */
    int existing;
    double capacity_mw, capex_musd, gen_mwh, lifetime, fom_usd_mw_yr, vom_usd_mwh;
    double lifecycle, direct, pd, date, ror;
    double price_usd_mwh;        /* zone's demand-weighted mean price in the project's year */
    lm_screen_result scr[LM_TAX_N];
    double lcoe, npv_musd, annuity_musd;
    double sed_loss, dcip_loss, dcid_loss;
} proj;

/* Screening technology of a dataset technology: by type and name. */
static const char *screen_tech(const lm_dataset *ds, int k)
{
    if (ds->tech_type[k] == LM_TECH_HYDRO) return "hydropower";
    if (ds->tech_type[k] == LM_TECH_STORAGE) return "storage";
    char low[64];
    size_t i = 0;
    for (; ds->techs[k][i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)ds->techs[k][i]);
    low[i] = 0;
    if (strstr(low, "solar") || strstr(low, "pv")) return "solar";
    if (strstr(low, "wind")) return "wind";
    if (strstr(low, "coal") || strstr(low, "lignite")) return "coal";
    if (strstr(low, "gas") || strstr(low, "ccgt") || strstr(low, "ocgt")) return "gas";
    if (strstr(low, "oil") || strstr(low, "diesel")) return "oil";
    if (strstr(low, "bio")) return "bioenergy";
    if (strstr(low, "hydro")) return "hydropower";
    return "other";
}

static int hydro_tech(const lm_dataset *ds)
{
    for (int k = 0; k < ds->n_techs; k++)
        if (ds->tech_type[k] == LM_TECH_HYDRO) return k;
    return -1;
}

/* Dataset year index at or before `year` (0 if before the first). */
static int year_index(const lm_dataset *ds, int year)
{
    int y = 0;
    for (int i = 0; i < ds->n_years; i++)
        if (ds->years[i] <= year) y = i;
    return y;
}

static void screen_inputs(const proj *p, const double *grid_lc, const double *grid_new,
                          const lm_dataset *ds, lm_screen_inputs *in)
{
    lm_screen_inputs_init(in);
    in->value[LM_IND_COMMISSIONING_DATE] = p->date;
    if (p->kind == P_DAM) {
        in->value[LM_IND_POWER_DENSITY_W_M2] = p->pd;
        in->value[LM_IND_LIFECYCLE_G_CO2E_KWH] = p->lifecycle;
        in->value[LM_IND_RUN_OF_RIVER] = p->ror;
        return;
    }
    in->value[LM_IND_LIFECYCLE_G_CO2E_KWH] = p->lifecycle;
    in->value[LM_IND_DIRECT_G_CO2E_KWH] = p->direct;
    if (!strcmp(p->tech, "solar")) in->value[LM_IND_SOLAR_SHARE_PCT] = 100;
    int y = year_index(ds, p->year);
    double lc = grid_lc[p->zone * ds->n_years + y], nw = grid_new[p->zone * ds->n_years + y];
    if (p->kind == P_LINE) { /* both ends must qualify: the worse of the two zones */
        double lc2 = grid_lc[p->zone_to * ds->n_years + y];
        double nw2 = grid_new[p->zone_to * ds->n_years + y];
        lc = isnan(lc) || isnan(lc2) ? NAN : fmax(lc, lc2);
        nw = isnan(nw) || isnan(nw2) ? NAN : fmin(nw, nw2);
    }
    in->value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = lc;
    in->value[LM_IND_NEW_CAPACITY_GREEN_PCT] = nw;
}

/* Declared attributes the scorecard and G-res read (for the sourced share, P10). */
static const int SOURCED_ATTRS[] = {
    LM_DA_STATUS, LM_DA_COMMISSIONING_DATE, LM_DA_PEOPLE_RESETTLED, LM_DA_EIA_DISCLOSED,
    LM_DA_SEA_COVERED, LM_DA_TRANSBOUNDARY_CONSULTATION_DONE, LM_DA_LOCAL_JOBS,
    LM_DA_EFLOW_COMPLIANCE_PCT, LM_DA_RESERVOIR_AREA_KM2, LM_DA_MEAN_DEPTH_M,
    LM_DA_MAX_DEPTH_M, LM_DA_FISH_PASSAGE};
#define N_SOURCED ((int)(sizeof SOURCED_ATTRS / sizeof SOURCED_ATTRS[0]))

static int sourced(const lm_declared *dc, int s, int a)
{
    return dc && lm_declared_known(dc, s, a) && dc->project[s].source[a] &&
           dc->project[s].source[a][0];
}

/* "declared projects_declared.csv:14 (source W-XAY)" */
static void declared_evidence(const lm_declared *dc, int s, int a, char *buf, size_t n)
{
    const char *file = dc && dc->file ? strrchr(dc->file, '/') : NULL;
    file = file ? file + 1 : dc && dc->file ? dc->file : "projects_declared";
    if (dc && lm_declared_known(dc, s, a))
        snprintf(buf, n, "declared %s:%ld %s (source %s)", file, dc->project[s].line[a],
                 lm_declared_attr_name(a),
                 dc->project[s].source[a] && dc->project[s].source[a][0]
                     ? dc->project[s].source[a] : "none");
    else if (dc && dc->project[s].line[a])
        snprintf(buf, n, "missing: declared unknown at %s:%ld %s", file, dc->project[s].line[a],
                 lm_declared_attr_name(a));
    else
        snprintf(buf, n, "missing: no declared %s", lm_declared_attr_name(a));
}

static void set_declared_yesno(lm_sc_inputs *in, int input, const lm_declared *dc, int s,
                               int a)
{
    char ev[200];
    declared_evidence(dc, s, a, ev, sizeof ev);
    lm_sc_set(in, input, lm_declared_get(dc, s, a), "%s", ev);
}

static void set_declared_per_mw(lm_sc_inputs *in, int input, const lm_declared *dc, int s,
                                int a, double mw)
{
    char ev[200];
    declared_evidence(dc, s, a, ev, sizeof ev);
    double v = lm_declared_get(dc, s, a);
    lm_sc_set(in, input, mw > 0 ? v / mw : NAN, "%s / %.0f MW", ev, mw);
}

/* ---- the assessment ------------------------------------------------------------------- */

typedef struct work {
    const lm_assess_ctx *c;
    const lm_dataset *ds;
    int S, Z, Y;
    double *in_place, *gen_mwh, *first_year;
    proj *p;
    int n, cap;
    /* per zone x year */
    double *price, *grid_lc, *grid_new;
    char ev_run[64];
    int mouth;                   /* reach index of "the delta" */
} work;

static proj *add_proj(work *w)
{
    lm_grow(&w->p, &w->cap, w->n + 1, sizeof *w->p);
    proj *p = &w->p[w->n++];
    memset(p, 0, sizeof *p);
    p->station = -1;
    p->zone_to = -1;
    p->lifecycle = p->direct = p->pd = p->date = p->ror = NAN;
    p->gen_mwh = p->price_usd_mwh = p->lcoe = p->npv_musd = p->annuity_musd = NAN;
    p->sed_loss = p->dcip_loss = p->dcid_loss = NAN;
    return p;
}

/* Zone prices (demand-weighted mean over the steps of each year), the grid's lifecycle
 * intensity and the share of new capacity below 100 g lifecycle, from a run. */
static void zone_year_tables(work *w, double *unserved_pct)
{
    const lm_dataset *ds = w->ds;
    int ZY = w->Z * w->Y;
    w->price = lm_xmalloc((size_t)(ZY ? ZY : 1) * sizeof(double));
    w->grid_lc = lm_xmalloc((size_t)(ZY ? ZY : 1) * sizeof(double));
    w->grid_new = lm_xmalloc((size_t)(ZY ? ZY : 1) * sizeof(double));
    for (int i = 0; i < ZY; i++) w->price[i] = w->grid_lc[i] = w->grid_new[i] = NAN;
    *unserved_pct = NAN;
    const lm_results *run = w->c->run;
    if (!run) return;
    double *pd = lm_xcalloc((size_t)(ZY ? ZY : 1), sizeof(double));
    double *dd = lm_xcalloc((size_t)(ZY ? ZY : 1), sizeof(double));
    const lm_result_table *b = lm_results_find(run, "balance");
    int bz = key_col(b, "zone"), by = key_col(b, "year"), bd = val_col(b, "demand_mw"),
        bu = val_col(b, "unserved_mw"), bp = val_col(b, "price_usd_per_mwh");
    double dem = 0, uns = 0;
    if (b && bz >= 0 && by >= 0 && bd >= 0) {
        for (int r = 0; r < b->n_rows; r++) {
            int i = zone_year_of(ds, b, r, bz, by);
            if (i < 0) continue;
            double dmw = tval(b, r, bd), price = tval(b, r, bp);
            dem += dmw;
            if (bu >= 0 && isfinite(tval(b, r, bu))) uns += tval(b, r, bu);
            if (isfinite(price)) {
                pd[i] += price * dmw;
                dd[i] += dmw;
            }
        }
        for (int i = 0; i < ZY; i++) w->price[i] = dd[i] > 0 ? pd[i] / dd[i] : NAN;
        if (dem > 0 && bu >= 0) *unserved_pct = 100 * uns / dem;
    }
    /* grid lifecycle intensity = sum gen x factor / sum gen (technologies without a factor
     * make the zone-year unknown); new-capacity share = new MW of technologies below 100 g */
    memset(pd, 0, (size_t)ZY * sizeof(double));
    memset(dd, 0, (size_t)ZY * sizeof(double));
    int *unknown = lm_xcalloc((size_t)(ZY ? ZY : 1), sizeof(int));
    const lm_result_table *g = lm_results_find(run, "generation_annual");
    int gz = key_col(g, "zone"), gk = key_col(g, "tech"), gy = key_col(g, "year"),
        gg = val_col(g, "generation_twh");
    if (g && gz >= 0 && gk >= 0 && gy >= 0 && gg >= 0)
        for (int r = 0; r < g->n_rows; r++) {
            int i = zone_year_of(ds, g, r, gz, gy);
            double twh = tval(g, r, gg);
            if (i < 0 || !(twh > 0)) continue;
            const lm_lifecycle_factor *f = lm_lifecycle_lookup(tkey(g, r, gk));
            int k = lm_dataset_tech(ds, tkey(g, r, gk));
            double factor = f ? f->median_g_per_kwh : NAN;
            if (!f && k >= 0 && ds->tech_type[k] == LM_TECH_STORAGE) continue; /* not generation */
            /* no AR5 median (oil): its combustion factor from the dataset, a lower bound */
            if (!f && k >= 0)
                factor = ds->emission_factor_t_co2_per_mwh[lm_ky(ds, k, i % w->Y)] * 1e3;
            if (!(factor >= 0)) {
                unknown[i] = 1;
                continue;
            }
            pd[i] += twh * factor;
            dd[i] += twh;
        }
    for (int i = 0; i < ZY; i++)
        w->grid_lc[i] = dd[i] > 0 && !unknown[i] ? pd[i] / dd[i] : NAN;
    free(unknown);
    /* new capacity of a technology without an AR5 median counts as not green (conservative) */
    memset(pd, 0, (size_t)ZY * sizeof(double));
    memset(dd, 0, (size_t)ZY * sizeof(double));
    const lm_result_table *cap = lm_results_find(run, "capacity");
    int cz = key_col(cap, "zone"), ck = key_col(cap, "tech"), cy = key_col(cap, "year"),
        cn = val_col(cap, "new_mw");
    if (cap && cz >= 0 && ck >= 0 && cy >= 0 && cn >= 0)
        for (int r = 0; r < cap->n_rows; r++) {
            int i = zone_year_of(ds, cap, r, cz, cy);
            double mw = tval(cap, r, cn);
            if (i < 0 || !(mw > 0)) continue;
            int k = lm_dataset_tech(ds, tkey(cap, r, ck));
            if (k >= 0 && ds->tech_type[k] == LM_TECH_STORAGE) continue;
            const lm_lifecycle_factor *f = lm_lifecycle_lookup(tkey(cap, r, ck));
            dd[i] += mw;
            if (f && f->median_g_per_kwh < 100) pd[i] += mw;
        }
    for (int i = 0; i < ZY; i++)
        w->grid_new[i] = dd[i] > 0 ? 100 * pd[i] / dd[i] : NAN;
    free(pd);
    free(dd);
}

/* In-place shares, generation and first year per station from the run (or the portfolio). */
static int station_state(work *w, lm_diag *d)
{
    const lm_dataset *ds = w->ds;
    size_t n = (size_t)(w->S ? w->S : 1);
    w->in_place = lm_xcalloc(n, sizeof(double));
    w->gen_mwh = lm_xmalloc(n * sizeof(double));
    w->first_year = lm_xmalloc(n * sizeof(double));
    for (int s = 0; s < w->S; s++) {
        w->in_place[s] = w->c->in_place ? w->c->in_place[s] : ds->stations[s].is_existing;
        w->gen_mwh[s] = NAN;
        w->first_year[s] = NAN;
    }
    if (!w->c->run) return 0;
    /* a run without hydro (1): existing dams as the status quo */
    int rc = lm_run_dam_state(w->c->run, ds, w->ev_run, w->in_place, w->gen_mwh, w->first_year, d);
    return rc < 0 ? -1 : 0;
}

static void build_projects(work *w, const lm_results *pf)
{
    const lm_dataset *ds = w->ds;
    const lm_declared *dc = w->c->dc;
    int kh = hydro_tech(ds);
    const lm_result_table *rg = lm_results_find(pf, "reservoir_ghg");
    int ga = val_col(rg, "area_km2"), gi = val_col(rg, "g_per_kwh"),
        gm = val_col(rg, "generation_mwh_yr");
    /* dams in place */
    for (int s = 0; s < w->S; s++) {
        if (!(w->in_place[s] > 0)) continue;
        const lm_station *st = &ds->stations[s];
        proj *p = add_proj(w);
        p->kind = P_DAM;
        p->station = s;
        snprintf(p->id, sizeof p->id, "dam:%ld", st->id);
        snprintf(p->name, sizeof p->name, "%s", st->name);
        p->zone = st->zone;
        p->tech_ds = kh;
        p->tech = "hydropower";
        p->existing = st->is_existing;
        p->capacity_mw = st->capacity_mw * w->in_place[s];
        int fy = isfinite(w->first_year[s]) ? (int)w->first_year[s] : st->commissioning_year;
        if (fy < ds->years[0]) fy = ds->years[0];
        p->year = p->existing ? ds->years[0] : fy;
        int y = year_index(ds, p->year);
        if (kh >= 0) {
            p->capex_musd = p->existing ? 0
                            : p->capacity_mw * ds->investment_cost_usd_per_mw[lm_ky(ds, kh, y)] / 1e6;
            p->lifetime = ds->lifetime_years[lm_ky(ds, kh, y)];
            p->fom_usd_mw_yr = ds->fixed_om_cost_usd_per_mw_yr[lm_ky(ds, kh, y)];
            p->vom_usd_mwh = ds->variable_om_cost_usd_per_mwh[lm_ky(ds, kh, y)];
        }
        /* the reservoir_ghg row of this station (same order as the stations) */
        if (rg && s < rg->n_rows) {
            double area = tval(rg, s, ga);
            p->gen_mwh = tval(rg, s, gm);
            p->lifecycle = tval(rg, s, gi);
            if (area > 0) p->pd = st->capacity_mw / area; /* MW/km2 = W/m2 */
        }
        p->date = lm_declared_get(dc, s, LM_DA_COMMISSIONING_DATE);
        if (isnan(p->date) && st->commissioning_year > 0) p->date = st->commissioning_year;
        p->ror = st->operation_mode == LM_OP_RUN_OF_RIVER ? NAN : 0;
        p->price_usd_mwh = w->price[st->zone * w->Y + y];
    }
    if (!w->c->run) return;
    /* tranches of new capacity (hydro is built as dams, not as tranches) */
    const lm_result_table *cap = lm_results_find(w->c->run, "capacity");
    const lm_result_table *gen = lm_results_find(w->c->run, "generation_annual");
    int cz = key_col(cap, "zone"), ck = key_col(cap, "tech"), cy = key_col(cap, "year"),
        cn = val_col(cap, "new_mw"), cc = val_col(cap, "capacity_mw");
    int gz = key_col(gen, "zone"), gk = key_col(gen, "tech"), gy = key_col(gen, "year"),
        gg = val_col(gen, "generation_twh");
    if (cap && cz >= 0 && ck >= 0 && cy >= 0 && cn >= 0)
        for (int r = 0; r < cap->n_rows; r++) {
            long yr;
            int z = lm_dataset_zone(ds, tkey(cap, r, cz)), k = lm_dataset_tech(ds, tkey(cap, r, ck));
            double mw = tval(cap, r, cn);
            if (z < 0 || k < 0 || k == kh || !(mw > 1e-6) ||
                lm_parse_int(tkey(cap, r, cy), &yr) != 0)
                continue;
            int y = lm_dataset_year(ds, (int)yr);
            if (y < 0) continue;
            proj *p = add_proj(w);
            p->kind = P_TRANCHE;
            p->zone = z;
            p->tech_ds = k;
            p->tech = screen_tech(ds, k);
            p->year = (int)yr;
            snprintf(p->id, sizeof p->id, "%s/%s/%ld", ds->zones[z], ds->techs[k], yr);
            snprintf(p->name, sizeof p->name, "new %s in %s, %ld", ds->techs[k], ds->zones[z], yr);
            p->capacity_mw = mw;
            p->capex_musd = mw * ds->investment_cost_usd_per_mw[lm_ky(ds, k, y)] / 1e6;
            p->lifetime = ds->lifetime_years[lm_ky(ds, k, y)];
            p->fom_usd_mw_yr = ds->fixed_om_cost_usd_per_mw_yr[lm_ky(ds, k, y)];
            p->vom_usd_mwh = ds->variable_om_cost_usd_per_mwh[lm_ky(ds, k, y)] +
                             ds->fuel_cost_usd_per_mwh[lm_ky(ds, k, y)];
            p->date = (double)yr;
            p->price_usd_mwh = w->price[z * w->Y + y];
            const lm_lifecycle_factor *f = lm_lifecycle_lookup(ds->techs[k]);
            p->lifecycle = f ? f->median_g_per_kwh : NAN;
            p->direct = ds->emission_factor_t_co2_per_mwh[lm_ky(ds, k, y)] * 1e3;
            /* generation: the zone-technology's capacity factor in the build year */
            double total_mw = tval(cap, r, cc);
            if (gen && gz >= 0 && gk >= 0 && gy >= 0 && gg >= 0 && total_mw > 0)
                for (int j = 0; j < gen->n_rows; j++)
                    if (!strcmp(tkey(gen, j, gz), ds->zones[z]) &&
                        !strcmp(tkey(gen, j, gk), ds->techs[k]) &&
                        !strcmp(tkey(gen, j, gy), tkey(cap, r, cy))) {
                        p->gen_mwh = tval(gen, j, gg) * 1e6 * mw / total_mw;
                        break;
                    }
            if (ds->tech_type[k] == LM_TECH_STORAGE) p->gen_mwh = NAN; /* not a generator */
        }
    /* new cross-border line tranches */
    const lm_result_table *ln = lm_results_find(w->c->run, "lines");
    int lf = key_col(ln, "from_zone"), lt = key_col(ln, "to_zone"), ly = key_col(ln, "year"),
        lnw = val_col(ln, "new_mw");
    if (ln && lf >= 0 && lt >= 0 && ly >= 0 && lnw >= 0)
        for (int r = 0; r < ln->n_rows; r++) {
            long yr;
            int a = lm_dataset_zone(ds, tkey(ln, r, lf)), b = lm_dataset_zone(ds, tkey(ln, r, lt));
            double mw = tval(ln, r, lnw);
            if (a < 0 || b < 0 || !(mw > 1e-6) || lm_parse_int(tkey(ln, r, ly), &yr) != 0)
                continue;
            int l = -1;
            for (int i = 0; i < ds->n_lines; i++)
                if (ds->line_from[i] == a && ds->line_to[i] == b) l = i;
            if (l < 0) continue;
            proj *p = add_proj(w);
            p->kind = P_LINE;
            p->zone = a;
            p->zone_to = b;
            p->tech_ds = -1;
            p->tech = "transmission";
            p->year = (int)yr;
            snprintf(p->id, sizeof p->id, "line:%s-%s/%ld", ds->zones[a], ds->zones[b], yr);
            snprintf(p->name, sizeof p->name, "new line %s to %s, %ld", ds->zones[a],
                     ds->zones[b], yr);
            p->capacity_mw = mw;
            p->capex_musd = mw * ds->line_distance_km[l] * ds->line_investment_usd_per_mw_km[l] / 1e6;
            p->lifetime = ds->line_lifetime_years[l];
            p->fom_usd_mw_yr = ds->line_fixed_om_usd_per_mw_yr[l];
            p->date = (double)yr;
        }
}

/* Area drained by every reach (its own plus everything upstream), km2. */
static double *accumulated_area(const lm_dataset *ds)
{
    int R = ds->n_reaches;
    double *acc = lm_xcalloc((size_t)(R ? R : 1), sizeof(double));
    int *pending = lm_xcalloc((size_t)(R ? R : 1), sizeof(int));
    int *queue = lm_xmalloc((size_t)(R ? R : 1) * sizeof(int));
    for (int r = 0; r < R; r++) {
        acc[r] = isfinite(ds->reach_area_km2[r]) ? ds->reach_area_km2[r] : 0;
        if (ds->reach_down[r] >= 0) pending[ds->reach_down[r]]++;
    }
    int head = 0, tail = 0;
    for (int r = 0; r < R; r++)
        if (!pending[r]) queue[tail++] = r;
    while (head < tail) {
        int r = queue[head++];
        int dn = ds->reach_down[r];
        if (dn >= 0) {
            acc[dn] += acc[r];
            if (--pending[dn] == 0) queue[tail++] = dn;
        }
    }
    free(pending);
    free(queue);
    return acc;
}

/* The river's mouth: the outlet draining the largest area (the delta; reach 540 of the Xu et
 * al. network); -1 without a network. */
static int main_outlet(const lm_dataset *ds, const double *acc)
{
    int cur = -1;
    for (int r = 0; r < ds->n_reaches; r++)
        if (ds->reach_down[r] < 0 && (cur < 0 || acc[r] > acc[cur])) cur = r;
    return cur;
}

/* Sediment leaving reach `mouth` (Mt/yr) for a portfolio; out[] is scratch. */
static double delivered(const lm_dataset *ds, const double *in_place, int mouth, double *out)
{
    lm_sediment_evaluate(ds, in_place, NULL, out);
    return out[mouth];
}

/* The per-dam river impacts: marginal sediment (exact re-evaluation without the dam) and DCI. */
static void river_impacts(work *w, const lm_results *pf, double *sed_now, double *sed_none)
{
    const lm_dataset *ds = w->ds;
    *sed_now = *sed_none = NAN;
    if (ds->n_reaches <= 0) return;
    int R = ds->n_reaches;
    double *out = lm_xmalloc((size_t)R * sizeof(double));
    double *ip = lm_xmalloc((size_t)(w->S ? w->S : 1) * sizeof(double));
    int mouth = w->mouth;
    memcpy(ip, w->in_place, (size_t)w->S * sizeof(double));
    double base = delivered(ds, ip, mouth, out);
    *sed_now = base;
    const lm_result_table *fd = lm_results_find(pf, "fish_dams");
    int fp = val_col(fd, "dcip_gain"), fq = val_col(fd, "dcid_gain");
    for (int i = 0; i < w->n; i++) {
        proj *p = &w->p[i];
        if (p->kind != P_DAM) {
            p->sed_loss = p->dcip_loss = p->dcid_loss = 0;
            continue;
        }
        int s = p->station;
        if (ds->stations[s].reach < 0) continue; /* off the network: unknown */
        double keep = ip[s];
        ip[s] = 0;
        p->sed_loss = delivered(ds, ip, mouth, out) - base;
        ip[s] = keep;
        if (fd)
            for (int r = 0; r < fd->n_rows; r++) {
                long id;
                if (lm_parse_int(tkey(fd, r, 0), &id) == 0 && id == ds->stations[s].id) {
                    p->dcip_loss = tval(fd, r, fp);
                    p->dcid_loss = tval(fd, r, fq);
                }
            }
    }
    for (int s = 0; s < w->S; s++) ip[s] = 0;
    *sed_none = delivered(ds, ip, mouth, out);
    free(ip);
    free(out);
}

/* The scorecard inputs of project p. */
static void project_inputs(work *w, const proj *p, const lm_fin_allocation *fa, int i,
                           const int *mainstream, lm_sc_inputs *in)
{
    const lm_dataset *ds = w->ds;
    const lm_declared *dc = w->c->dc;
    lm_sc_inputs_init(in);
    int s = p->station;
    int dam = p->kind == P_DAM;
    /* P1 */
    if (dam) set_declared_yesno(in, LM_SCI_SEA_COVERED, dc, s, LM_DA_SEA_COVERED);
    else lm_sc_set(in, LM_SCI_SEA_COVERED, NAN, "missing: no declared data for %s projects", p->tech);
    /* P2: flexibility */
    if (dam) {
        const lm_station *st = &ds->stations[s];
        double live = 0;
        for (int t = 0; t < ds->n_steps; t++)
            live += ds->storage_max_1e8m3[(size_t)s * ds->n_steps + t] -
                    ds->storage_min_1e8m3[(size_t)s * ds->n_steps + t];
        live /= ds->n_steps ? ds->n_steps : 1;
        /* 1e8 m3 x head m x coef kW/(m3/s m) / 3600 s/h = kWh; / (MW x 1e3) = h */
        double h = st->capacity_mw > 0
                       ? live * 1e8 * st->head_m * st->output_coefficient / 3600 / (st->capacity_mw * 1e3)
                       : NAN;
        lm_sc_set(in, LM_SCI_FLEXIBILITY_HOURS, h,
                  "dataset storage bounds (mean live storage %.3g x 1e8 m3), head %.1f m, "
                  "coefficient %.2f, %.0f MW", live, st->head_m, st->output_coefficient,
                  st->capacity_mw);
    } else if (p->kind == P_TRANCHE && ds->tech_type[p->tech_ds] == LM_TECH_STORAGE) {
        lm_sc_set(in, LM_SCI_FLEXIBILITY_HOURS,
                  ds->energy_to_power_ratio_h[lm_zk(ds, p->zone, p->tech_ds)],
                  "dataset storage_ratio %s %s", ds->zones[p->zone], ds->techs[p->tech_ds]);
    } else if (p->kind == P_TRANCHE && ds->tech_type[p->tech_ds] == LM_TECH_DISPATCHABLE) {
        lm_sc_set(in, LM_SCI_FLEXIBILITY_HOURS, 24, "dispatchable %s: firm by fuel",
                  ds->techs[p->tech_ds]);
    } else if (p->kind == P_TRANCHE) {
        lm_sc_set(in, LM_SCI_FLEXIBILITY_HOURS, 0, "variable %s: no storage of its own",
                  ds->techs[p->tech_ds]);
    } else {
        lm_sc_set_na(in, LM_SCI_FLEXIBILITY_HOURS, "a line moves energy, it holds none");
    }
    /* P3 */
    if (dam)
        lm_sc_set(in, LM_SCI_LIFECYCLE_G_CO2E_KWH, p->lifecycle,
                  isfinite(p->lifecycle) ? "reservoir_ghg station %ld (%s)"
                                         : "missing: reservoir_ghg station %ld (%s) could not be computed",
                  ds->stations[s].id,
                  w->c->opt.ghg_method == LM_GHG_IPCC_TIER1 ? "IPCC 2019 Tier 1" : "G-res");
    else if (p->kind == P_LINE)
        lm_sc_set_na(in, LM_SCI_LIFECYCLE_G_CO2E_KWH, "a line generates nothing");
    else if (ds->tech_type[p->tech_ds] == LM_TECH_STORAGE)
        lm_sc_set_na(in, LM_SCI_LIFECYCLE_G_CO2E_KWH, "storage generates nothing of its own");
    else
        lm_sc_set(in, LM_SCI_LIFECYCLE_G_CO2E_KWH, p->lifecycle,
                  isfinite(p->lifecycle) ? "IPCC AR5 WGIII Annex III median for %s"
                                         : "missing: no AR5 Annex III factor for %s",
                  ds->techs[p->tech_ds]);
    double ratio = isfinite(p->lcoe) && p->price_usd_mwh > 0 ? 100 * p->lcoe / p->price_usd_mwh : NAN;
    if (p->kind == P_LINE || (p->kind == P_TRANCHE && ds->tech_type[p->tech_ds] == LM_TECH_STORAGE))
        lm_sc_set_na(in, LM_SCI_LCOE_TO_PRICE_PCT, "no own generation to levelise over");
    else if (p->existing)
        lm_sc_set_na(in, LM_SCI_LCOE_TO_PRICE_PCT, "existing asset: its capital is sunk");
    else
        lm_sc_set(in, LM_SCI_LCOE_TO_PRICE_PCT, ratio,
                  isfinite(ratio) ? "LCOE %.1f USD/MWh at WACC %.2f %% / %s mean price %.1f USD/MWh (%s, r_balance)"
                                  : "missing: LCOE %.1f USD/MWh, WACC %.2f %%, %s price %.1f USD/MWh (%s)",
                  p->lcoe, fa->wacc_pct[i], ds->zones[p->zone], p->price_usd_mwh, w->ev_run);
    /* P4 */
    if (dam) {
        lm_sc_set(in, LM_SCI_SEDIMENT_LOSS_MT_YR, p->sed_loss,
                  isfinite(p->sed_loss) ? "sediment network evaluation without station %ld"
                                        : "missing: station %ld is not on the sediment network",
                  ds->stations[s].id);
        lm_sc_set(in, LM_SCI_DCIP_LOSS_POINTS, p->dcip_loss, "fish_dams station %ld dcip_gain",
                  ds->stations[s].id);
        lm_sc_set(in, LM_SCI_DCID_LOSS_POINTS, p->dcid_loss, "fish_dams station %ld dcid_gain",
                  ds->stations[s].id);
        char ev[200];
        declared_evidence(dc, s, LM_DA_EFLOW_COMPLIANCE_PCT, ev, sizeof ev);
        lm_sc_set(in, LM_SCI_EFLOW_COMPLIANCE_PCT, lm_declared_get(dc, s, LM_DA_EFLOW_COMPLIANCE_PCT), "%s", ev);
    } else {
        lm_sc_set(in, LM_SCI_SEDIMENT_LOSS_MT_YR, 0, "%s: not a river barrier", p->tech);
        lm_sc_set(in, LM_SCI_DCIP_LOSS_POINTS, 0, "%s: not a river barrier", p->tech);
        lm_sc_set(in, LM_SCI_DCID_LOSS_POINTS, 0, "%s: not a river barrier", p->tech);
        lm_sc_set_na(in, LM_SCI_EFLOW_COMPLIANCE_PCT, "not a river barrier");
    }
    /* P5 */
    if (dam)
        lm_sc_set(in, LM_SCI_POWER_DENSITY_W_M2, p->pd,
                  isfinite(p->pd) ? "%.0f MW / reservoir area (reservoir_ghg station %ld)"
                                  : "missing: %.0f MW, reservoir area of station %ld unknown",
                  ds->stations[s].capacity_mw, ds->stations[s].id);
    else
        lm_sc_set_na(in, LM_SCI_POWER_DENSITY_W_M2, "reservoir power density is a hydropower measure");
    /* P6, P7 */
    if (dam) {
        set_declared_per_mw(in, LM_SCI_PEOPLE_RESETTLED_PER_MW, dc, s, LM_DA_PEOPLE_RESETTLED,
                            ds->stations[s].capacity_mw);
        set_declared_per_mw(in, LM_SCI_LOCAL_JOBS_PER_MW, dc, s, LM_DA_LOCAL_JOBS,
                            ds->stations[s].capacity_mw);
    } else {
        lm_sc_set(in, LM_SCI_PEOPLE_RESETTLED_PER_MW, NAN, "missing: no declared data for %s projects", p->tech);
        lm_sc_set(in, LM_SCI_LOCAL_JOBS_PER_MW, NAN, "missing: no declared data for %s projects", p->tech);
    }
    double cf = isfinite(p->gen_mwh) && p->capacity_mw > 0 ? 100 * p->gen_mwh / (p->capacity_mw * 8760) : NAN;
    if (p->kind == P_LINE || (p->kind == P_TRANCHE && ds->tech_type[p->tech_ds] == LM_TECH_STORAGE))
        lm_sc_set_na(in, LM_SCI_CAPACITY_FACTOR_PCT, "no own generation");
    else
        lm_sc_set(in, LM_SCI_CAPACITY_FACTOR_PCT, cf, "%.0f MWh/yr / (%.0f MW x 8760 h) (%s)",
                  p->gen_mwh, p->capacity_mw,
                  dam && w->c->run && isfinite(w->gen_mwh[s]) ? "run dams energy_twh_last_year"
                  : dam ? "reservoir_ghg generation_mwh_yr" : "run generation_annual");
    /* P8 */
    int n_el = 0, n_tell = 0;
    for (int t = 0; t < LM_TAX_N; t++) {
        if (p->scr[t].status == LM_SCREEN_ELIGIBLE) n_el++;
        if (p->scr[t].status != LM_SCREEN_CANNOT_TELL) n_tell++;
    }
    lm_sc_set(in, LM_SCI_GREEN_TAXONOMIES, n_tell ? n_el : NAN,
              n_tell ? "assess_screening: eligible under %d, could tell for %d of 4 taxonomies"
                     : "missing: no taxonomy could tell (%d eligible, %d told)", n_el, n_tell);
    if (p->capex_musd > 0) {
        lm_sc_set(in, LM_SCI_FINANCING_GAP_PCT, 100 * fa->gap_musd[i] / p->capex_musd,
                  "assess_financing: %.1f of %.1f million USD unfinanced", fa->gap_musd[i], p->capex_musd);
        lm_sc_set(in, LM_SCI_WACC_PCT, fa->wacc_pct[i], "assess_financing: mix of %s",
                  "financing_sources.csv");
    } else {
        lm_sc_set_na(in, LM_SCI_FINANCING_GAP_PCT, "existing asset: no new capital");
        lm_sc_set_na(in, LM_SCI_WACC_PCT, "existing asset: no new capital");
    }
    /* P9 */
    if (dam) {
        set_declared_yesno(in, LM_SCI_EIA_DISCLOSED, dc, s, LM_DA_EIA_DISCLOSED);
        if (mainstream[s])
            set_declared_yesno(in, LM_SCI_TRANSBOUNDARY_CONSULTATION, dc, s,
                               LM_DA_TRANSBOUNDARY_CONSULTATION_DONE);
        else
            lm_sc_set_na(in, LM_SCI_TRANSBOUNDARY_CONSULTATION,
                         "tributary dam: MRC prior consultation applies to the mainstream");
    } else {
        lm_sc_set(in, LM_SCI_EIA_DISCLOSED, NAN, "missing: no declared data for %s projects", p->tech);
        lm_sc_set_na(in, LM_SCI_TRANSBOUNDARY_CONSULTATION, "MRC prior consultation applies to mainstream dams");
    }
    /* P10 */
    if (dam) {
        int k = 0;
        for (int j = 0; j < N_SOURCED; j++) k += sourced(dc, s, SOURCED_ATTRS[j]);
        lm_sc_set(in, LM_SCI_DECLARED_SOURCED_PCT, 100.0 * k / N_SOURCED,
                  "%d of %d declared attributes known with a source", k, N_SOURCED);
    } else {
        lm_sc_set(in, LM_SCI_DECLARED_SOURCED_PCT, 0, "no declared facts for %s projects", p->tech);
    }
}

/* Is station s on the mainstream?  The mainstream is the path up from the mouth taking at
 * every confluence the branch that drains the most.  Only used to decide where
 * transboundary prior consultation applies. */
static int *mainstream_flags(const lm_dataset *ds)
{
    int S = ds->n_stations, R = ds->n_reaches;
    int *ms = lm_xcalloc((size_t)(S ? S : 1), sizeof(int));
    if (R <= 0) return ms;
    double *acc = accumulated_area(ds);
    char *main = lm_xcalloc((size_t)R, 1);
    int cur = main_outlet(ds, acc);
    while (cur >= 0) {
        main[cur] = 1;
        int next = -1;
        for (int r = 0; r < R; r++)
            if (ds->reach_down[r] == cur && (next < 0 || acc[r] > acc[next])) next = r;
        cur = next;
    }
    for (int s = 0; s < S; s++) {
        int r = ds->stations[s].reach;
        ms[s] = r >= 0 && main[r];
    }
    free(acc);
    free(main);
    return ms;
}

static void plan_share_yesno(lm_sc_inputs *in, int input, const lm_declared *dc, const proj *p,
                             int n, int a, const int *only)
{
    int yes = 0, no = 0, unk = 0;
    for (int i = 0; i < n; i++) {
        if (only && !only[i]) continue;
        double v = p[i].kind == P_DAM ? lm_declared_get(dc, p[i].station, a) : NAN;
        if (isnan(v)) unk++;
        else if (v > 0.5) yes++;
        else no++;
    }
    int tot = yes + no + unk;
    if (!tot) {
        lm_sc_set_na(in, input, "no project it applies to");
        return;
    }
    lm_sc_set(in, input, yes + no ? (double)yes / tot : NAN,
              "%s: %d yes, %d no, %d unknown of %d projects (unknown counts as no)",
              lm_declared_attr_name(a), yes, no, unk, tot);
}

static void plan_per_mw(lm_sc_inputs *in, int input, const lm_declared *dc, const proj *p, int n,
                        int a)
{
    double sum = 0, mw = 0;
    int known = 0, dams = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].kind != P_DAM) continue;
        dams++;
        double v = lm_declared_get(dc, p[i].station, a);
        if (isnan(v)) continue;
        known++;
        sum += v;
        mw += p[i].capacity_mw;
    }
    lm_sc_set(in, input, mw > 0 ? sum / mw : NAN, "%s declared for %d of %d dams (%.0f MW)",
              lm_declared_attr_name(a), known, dams, mw);
}

/* Capital cost of the projects eligible under at least one taxonomy (and, in *total, of all). */
static double green_any_capex(const proj *p, int n, double *total)
{
    double green = 0, tot = 0;
    for (int i = 0; i < n; i++) {
        tot += p[i].capex_musd;
        int any = 0;
        for (int t = 0; t < LM_TAX_N; t++) any |= p[i].scr[t].status == LM_SCREEN_ELIGIBLE;
        if (any) green += p[i].capex_musd;
    }
    if (total) *total = tot;
    return green;
}

static void plan_inputs(work *w, const lm_fin_allocation *fa, const int *mainstream,
                        double sed_now, double sed_none, const lm_results *pf, double unserved,
                        lm_sc_inputs *in)
{
    const lm_dataset *ds = w->ds;
    const lm_declared *dc = w->c->dc;
    proj *p = w->p;
    int n = w->n;
    lm_sc_inputs_init(in);
    plan_share_yesno(in, LM_SCI_SEA_COVERED, dc, p, n, LM_DA_SEA_COVERED, NULL);
    int span = ds->n_years ? ds->years[ds->n_years - 1] - ds->years[0] +
                                 (ds->n_years > 1 ? ds->years[1] - ds->years[0] : 1) : 0;
    lm_sc_set(in, LM_SCI_HORIZON_COVERS_LIFE, span >= 30, "horizon %d-%d: %d years",
              ds->n_years ? ds->years[0] : 0, ds->n_years ? ds->years[ds->n_years - 1] : 0, span);
    /* caps met */
    const lm_result_table *cc = w->c->run ? lm_results_find(w->c->run, "carbon_caps") : NULL;
    int ic = val_col(cc, "cap_mt"), ie = val_col(cc, "emissions_mt");
    if (cc && ic >= 0 && ie >= 0) {
        int cap = 0, met = 0;
        for (int r = 0; r < cc->n_rows; r++) {
            double c = tval(cc, r, ic), e = tval(cc, r, ie);
            if (!isfinite(c)) continue;
            cap++;
            met += e <= c * (1 + 1e-6) + 1e-9;
        }
        if (cap) lm_sc_set(in, LM_SCI_CAPS_MET_PCT, 100.0 * met / cap, "%s r_carbon_caps: %d of %d capped scope-years within the cap", w->ev_run, met, cap);
        else lm_sc_set(in, LM_SCI_CAPS_MET_PCT, NAN, "missing: %s has no finite carbon cap", w->ev_run);
    } else {
        lm_sc_set(in, LM_SCI_CAPS_MET_PCT, NAN, "missing: %s", w->c->run ? "the run has no carbon_caps table" : "no run");
    }
    lm_sc_set(in, LM_SCI_UNSERVED_ENERGY_PCT, unserved,
              isfinite(unserved) ? "%s r_balance: unserved / demand" : "missing: %s (no balance table)",
              w->c->run ? w->ev_run : "no run");
    /* lifecycle and LCOE: generation- and capex-weighted over projects with data */
    double gl = 0, g = 0, lc = 0, lw = 0, cfg = 0, cfc = 0;
    int nl = 0, nlc = 0, nproj = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].kind == P_LINE) continue;
        nproj++;
        if (isfinite(p[i].lifecycle) && p[i].gen_mwh > 0) {
            gl += p[i].lifecycle * p[i].gen_mwh;
            g += p[i].gen_mwh;
            nl++;
        }
        if (isfinite(p[i].lcoe) && p[i].price_usd_mwh > 0 && p[i].capex_musd > 0) {
            lc += 100 * p[i].lcoe / p[i].price_usd_mwh * p[i].capex_musd;
            lw += p[i].capex_musd;
            nlc++;
        }
        if (p[i].gen_mwh >= 0 && p[i].capacity_mw > 0) {
            cfg += p[i].gen_mwh;
            cfc += p[i].capacity_mw;
        }
    }
    lm_sc_set(in, LM_SCI_LIFECYCLE_G_CO2E_KWH, g > 0 ? gl / g : NAN,
              "generation-weighted over %d of %d generating projects", nl, nproj);
    lm_sc_set(in, LM_SCI_LCOE_TO_PRICE_PCT, lw > 0 ? lc / lw : NAN,
              "capex-weighted over %d new projects with an LCOE and a price", nlc);
    lm_sc_set(in, LM_SCI_CAPACITY_FACTOR_PCT, cfc > 0 ? 100 * cfg / (cfc * 8760) : NAN,
              "%.0f GWh/yr over %.0f MW of the plan's generating projects", cfg / 1e3, cfc);
    /* river */
    lm_sc_set(in, LM_SCI_SEDIMENT_DELIVERED_PCT, sed_none > 0 ? 100 * sed_now / sed_none : NAN,
              "sediment network: %.3f Mt/yr out of reach %ld with the plan's dams, %.3f without the stations' dams",
              sed_now, w->mouth >= 0 ? ds->reach_id[w->mouth] : -1L, sed_none);
    double v;
    if (lm_results_find_scalar(pf, "dcip_portfolio", &v) == 0)
        lm_sc_set(in, LM_SCI_DCIP, v, "fish_dci portfolio dci_p");
    if (lm_results_find_scalar(pf, "dcid_portfolio", &v) == 0)
        lm_sc_set(in, LM_SCI_DCID, v, "fish_dci portfolio dci_d");
    /* power density over dams with a known area */
    double mw = 0, area = 0;
    int na = 0, nd = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].kind != P_DAM) continue;
        nd++;
        if (isfinite(p[i].pd) && p[i].pd > 0) {
            mw += ds->stations[p[i].station].capacity_mw;
            area += ds->stations[p[i].station].capacity_mw / p[i].pd;
            na++;
        }
    }
    lm_sc_set(in, LM_SCI_POWER_DENSITY_W_M2, area > 0 ? mw / area : NAN,
              "%.0f MW over %.1f km2 of %d of %d dams with a known area", mw, area, na, nd);
    plan_per_mw(in, LM_SCI_PEOPLE_RESETTLED_PER_MW, dc, p, n, LM_DA_PEOPLE_RESETTLED);
    plan_per_mw(in, LM_SCI_LOCAL_JOBS_PER_MW, dc, p, n, LM_DA_LOCAL_JOBS);
    /* finance */
    double tot = 0, green = green_any_capex(p, n, &tot);
    if (tot > 0) {
        lm_sc_set(in, LM_SCI_GREEN_CAPEX_PCT, 100 * green / tot,
                  "assess_screening: %.0f of %.0f million USD eligible under at least one taxonomy", green, tot);
        lm_sc_set(in, LM_SCI_FINANCING_GAP_PCT, 100 * fa->total_gap_musd / tot,
                  "assess_financing: %.0f of %.0f million USD unfinanced", fa->total_gap_musd, tot);
        double fin = tot - fa->total_gap_musd;
        lm_sc_set(in, LM_SCI_WACC_PCT, fin > 0 ? 100 * fa->cost_musd_per_yr / fin : NAN,
                  "assess_financing: %.1f million USD/yr on %.0f million USD financed", fa->cost_musd_per_yr, fin);
    } else {
        lm_sc_set_na(in, LM_SCI_GREEN_CAPEX_PCT, "the plan builds nothing new");
        lm_sc_set_na(in, LM_SCI_FINANCING_GAP_PCT, "the plan builds nothing new");
        lm_sc_set_na(in, LM_SCI_WACC_PCT, "the plan builds nothing new");
    }
    lm_sc_set_na(in, LM_SCI_GREEN_TAXONOMIES, "a project indicator");
    plan_share_yesno(in, LM_SCI_EIA_DISCLOSED, dc, p, n, LM_DA_EIA_DISCLOSED, NULL);
    int *only = lm_xcalloc((size_t)(n ? n : 1), sizeof(int));
    for (int i = 0; i < n; i++) only[i] = p[i].kind == P_DAM && mainstream[p[i].station];
    plan_share_yesno(in, LM_SCI_TRANSBOUNDARY_CONSULTATION, dc, p, n,
                     LM_DA_TRANSBOUNDARY_CONSULTATION_DONE, only);
    free(only);
    int k = 0, all = 0;
    for (int i = 0; i < n; i++) {
        all += N_SOURCED;
        if (p[i].kind == P_DAM)
            for (int j = 0; j < N_SOURCED; j++) k += sourced(dc, p[i].station, SOURCED_ATTRS[j]);
    }
    lm_sc_set(in, LM_SCI_DECLARED_SOURCED_PCT, all ? 100.0 * k / all : NAN,
              "%d of %d declared attribute slots known with a source", k, all);
    if (w->c->reproducible >= 0)
        lm_sc_set(in, LM_SCI_REPRODUCIBLE, w->c->reproducible,
                  w->c->reproducible ? "%s: plan and dataset SHA-256 stored and matching the files"
                                     : "%s: stored hashes missing or differing from the files",
                  w->ev_run);
    else
        lm_sc_set(in, LM_SCI_REPRODUCIBLE, NAN, "missing: no run to check");
    if (w->c->n_scenarios >= 0)
        lm_sc_set(in, LM_SCI_SCENARIOS, w->c->n_scenarios,
                  "completed runs in the store on dataset %s", ds->name);
    else
        lm_sc_set(in, LM_SCI_SCENARIOS, NAN, "missing: no result store");
}

static void scorecard_rows(lm_results *res, lm_result_table *ti, lm_result_table *tp,
                           const char *scope_id, const lm_scorecard *sc)
{
    for (int i = 0; i < sc->n; i++) {
        const lm_sc_result *r = &sc->r[i];
        const char *k[4] = {lm_results_intern(res, scope_id),
                            lm_results_intern_int(res, r->ind->principle),
                            r->ind->id, lm_results_intern(res, r->evidence)};
        double v[4] = {r->value, r->score, r->ind->weight, r->not_applicable ? 0 : 1};
        lm_results_row(res, ti, k, v);
    }
    for (int p = 0; p < LM_UNEP_N; p++) {
        const lm_sc_principle *q = &sc->p[p];
        const char *k[3] = {lm_results_intern(res, scope_id),
                            lm_results_intern_int(res, p + 1), lm_unep_title(p + 1)};
        double v[6] = {q->score, q->score_conservative, q->coverage, q->n_defined,
                       q->n_applicable, q->n_with_data};
        lm_results_row(res, tp, k, v);
    }
}

int lm_assess_plan(const lm_assess_ctx *c, const char *only_project, lm_results *res,
                   lm_assess_summary *sum, lm_diag *d)
{
    memset(sum, 0, sizeof *sum);
    if (!c->ds || !c->criteria || !c->finance || !c->indicators) {
        lm_diag_error(d, "assess: dataset, green-finance criteria, financing sources and UNEP "
                         "indicators are all needed");
        return -1;
    }
    work w = {0};
    w.c = c;
    w.ds = c->ds;
    w.S = c->ds->n_stations;
    w.Z = c->ds->n_zones;
    w.Y = c->ds->n_years;
    if (c->run) snprintf(w.ev_run, sizeof w.ev_run, "run %lld", c->run_id);
    else snprintf(w.ev_run, sizeof w.ev_run, "portfolio");
    int rc = station_state(&w, d);
    w.mouth = -1;
    if (w.ds->n_reaches > 0) {
        if (c->sediment_reach_id > 0) {
            for (int r = 0; r < w.ds->n_reaches; r++)
                if (w.ds->reach_id[r] == c->sediment_reach_id) w.mouth = r;
            if (w.mouth < 0) {
                lm_diag_error(d, "assess: sediment reach %ld is not a reach of dataset %s",
                              c->sediment_reach_id, w.ds->name);
                rc = -1;
            }
        } else {
            double *acc = accumulated_area(w.ds);
            w.mouth = main_outlet(w.ds, acc);
            free(acc);
        }
    }
    lm_results *tmp = lm_results_new();
    if (rc == 0) rc = lm_assess_portfolio(c->ds, c->dc, w.in_place, w.gen_mwh, &c->opt, tmp, d);
    if (rc == 0 && c->run) {
        const lm_result_table *ga = lm_results_find(c->run, "generation_annual");
        if (ga) lm_assess_lifecycle(ga, tmp);
    }
    double unserved = NAN;
    if (rc == 0) zone_year_tables(&w, &unserved);
    if (rc == 0) build_projects(&w, tmp);
    /* screening */
    for (int i = 0; rc == 0 && i < w.n; i++) {
        lm_screen_inputs in;
        screen_inputs(&w.p[i], w.grid_lc, w.grid_new, w.ds, &in);
        for (int t = 0; t < LM_TAX_N; t++)
            lm_screen_project(c->criteria, t, w.p[i].tech, &in, &w.p[i].scr[t]);
    }
    if (rc == 0 && only_project) {
        int found = 0;
        for (int i = 0; i < w.n; i++) found |= !strcmp(w.p[i].id, only_project);
        if (!found) {
            lm_diag_error(d, "assess: no project \"%s\" in %s (ids look like dam:206, "
                             "Laos/Solar/2030 or line:Laos-Thailand/2030; `lmplan assess RUN` "
                             "lists them in assess_projects.csv)", only_project, w.ev_run);
            rc = -1;
        }
    }
    /* financing */
    lm_fin_allocation fa = {0};
    lm_fin_project *fp = lm_xcalloc((size_t)(w.n ? w.n : 1), sizeof *fp);
    for (int i = 0; i < w.n; i++) {
        fp[i].id = w.p[i].id;
        fp[i].zone = w.ds->zones[w.p[i].zone];
        fp[i].year = w.p[i].year;
        fp[i].technology = w.p[i].tech;
        fp[i].capex_musd = w.p[i].capex_musd;
        for (int t = 0; t < LM_TAX_N; t++) fp[i].eligible[t] = w.p[i].scr[t].status;
    }
    if (rc == 0) rc = lm_fin_allocate(c->finance, fp, w.n, c->gap_penalty_pct, &fa, d);
    free(fp);
    if (rc != 0) {
        lm_results_free(tmp);
        free(w.in_place); free(w.gen_mwh); free(w.first_year); free(w.p);
        free(w.price); free(w.grid_lc); free(w.grid_new);
        return -1;
    }
    /* finance per project at its mix's WACC */
    for (int i = 0; i < w.n; i++) {
        proj *p = &w.p[i];
        double r = isfinite(fa.wacc_pct[i]) ? fa.wacc_pct[i] / 100 : NAN;
        if (p->capex_musd > 0 && !isnan(r) && p->lifetime > 0)
            p->annuity_musd = lm_fin_annuity_usd_per_yr(p->capex_musd, r, p->lifetime);
        if (p->kind == P_LINE || !(p->capacity_mw > 0) || !(p->gen_mwh > 0) || isnan(r) ||
            !(p->lifetime > 0))
            continue;
        lm_fin_plant pl = {p->capacity_mw, p->capex_musd * 1e6 / (p->capacity_mw * 1e3),
                           p->fom_usd_mw_yr / 1e3, p->vom_usd_mwh,
                           p->gen_mwh / (p->capacity_mw * 8760), p->lifetime, r};
        lm_fin_plant_result pr;
        lm_diag dd;
        lm_diag_init(&dd);
        if (pl.capacity_factor > 0 && pl.capacity_factor <= 1 &&
            lm_fin_plant_evaluate(&pl, p->id, isfinite(p->price_usd_mwh) ? p->price_usd_mwh : 0,
                                  &pr, &dd) == 0) {
            p->lcoe = pr.lcoe_usd_per_mwh;
            p->npv_musd = isfinite(p->price_usd_mwh) ? pr.npv_usd / 1e6 : NAN;
        }
        lm_diag_free(&dd);
    }
    double sed_now, sed_none;
    river_impacts(&w, tmp, &sed_now, &sed_none);
    int *mainstream = mainstream_flags(w.ds);

    /* ---- tables ---- */
    lm_result_table *tpj = lm_results_table(
        tmp, "assess_projects", "project,name,zone,tech,#year",
        "capacity_mw,capex_musd,generation_gwh_yr,lifecycle_g_co2e_kwh,power_density_w_m2,"
        "lcoe_usd_mwh,wacc_pct,financing_gap_musd");
    lm_result_table *tri = lm_results_table(tmp, "assess_river", "project",
                                            "sediment_loss_mt_yr,dcip_loss,dcid_loss");
    lm_result_table *tfn = lm_results_table(tmp, "assess_finance", "project,#year",
                                            "capex_musd,annuity_musd_yr,lifetime_yr,npv_musd,price_usd_mwh");
    lm_result_table *tsc = lm_results_table(tmp, "assess_screening",
                                            "project,taxonomy,status,clause,version",
                                            "eligible,value,threshold");
    lm_result_table *tfi = lm_results_table(tmp, "assess_financing", "project,source,category,zone",
                                            "amount_musd,cost_pct");
    for (int i = 0; i < w.n; i++) {
        proj *p = &w.p[i];
        const char *k[5] = {p->id, p->name, w.ds->zones[p->zone],
                            p->tech_ds >= 0 ? w.ds->techs[p->tech_ds] : "Transmission",
                            lm_results_intern_int(tmp, p->year)};
        double v[8] = {p->capacity_mw, p->capex_musd, p->gen_mwh / 1e3, p->lifecycle, p->pd,
                       p->lcoe, fa.wacc_pct[i], fa.gap_musd[i]};
        lm_results_row(tmp, tpj, k, v);
        const char *k1[2] = {p->id, lm_results_intern_int(tmp, p->year)};
        double v1[3] = {p->sed_loss, p->dcip_loss, p->dcid_loss};
        lm_results_row(tmp, tri, k1, v1);
        double v2[5] = {p->capex_musd, p->annuity_musd, p->lifetime, p->npv_musd, p->price_usd_mwh};
        lm_results_row(tmp, tfn, k1, v2);
        for (int t = 0; t < LM_TAX_N; t++) {
            const lm_screen_result *r = &p->scr[t];
            double val = NAN, thr = NAN;
            for (int j = 0; j < r->n_compared; j++)
                if (r->clause_id && !strcmp(r->compared[j].clause_id, r->clause_id)) {
                    val = r->compared[j].value;
                    thr = r->compared[j].threshold;
                }
            const char *ks[5] = {p->id, lm_screen_taxonomy_name(t), lm_screen_status_name(r->status),
                                 r->clause_id ? r->clause_id : "none",
                                 r->version ? r->version : "-"};
            double vs[3] = {r->status == LM_SCREEN_ELIGIBLE ? 1 : r->status == LM_SCREEN_NOT_ELIGIBLE ? 0 : NAN,
                            val, thr};
            lm_results_row(tmp, tsc, ks, vs);
        }
        for (int s = 0; s < c->finance->n; s++) {
            double x = fa.amount_musd[(size_t)i * c->finance->n + s];
            if (!(x > 0)) continue;
            const lm_fin_source *src = &c->finance->s[s];
            const char *kf[4] = {p->id, src->id, lm_fin_category_name(src->category), src->zone};
            double vf[2] = {x, src->cost_pct};
            lm_results_row(tmp, tfi, kf, vf);
        }
        if (fa.gap_musd[i] > 0) {
            const char *kf[4] = {p->id, "gap", "unfinanced", w.ds->zones[p->zone]};
            double vf[2] = {fa.gap_musd[i], NAN};
            lm_results_row(tmp, tfi, kf, vf);
        }
    }
    /* financing by zone, year and category */
    lm_result_table *tfz = lm_results_table(tmp, "assess_financing_zone", "zone,#year,category",
                                            "amount_musd,capex_musd");
    for (int z = 0; z < w.Z; z++)
        for (int y = 0; y < w.Y; y++) {
            double by[LM_FINCAT_N + 1] = {0}, capex = 0;
            for (int i = 0; i < w.n; i++) {
                if (w.p[i].zone != z || year_index(w.ds, w.p[i].year) != y) continue;
                capex += w.p[i].capex_musd;
                for (int s = 0; s < c->finance->n; s++)
                    by[c->finance->s[s].category] += fa.amount_musd[(size_t)i * c->finance->n + s];
                by[LM_FINCAT_N] += fa.gap_musd[i];
            }
            if (!(capex > 0)) continue;
            for (int k = 0; k <= LM_FINCAT_N; k++) {
                const char *kk[3] = {w.ds->zones[z], lm_results_intern_int(tmp, w.ds->years[y]),
                                     k < LM_FINCAT_N ? lm_fin_category_name(k) : "unfinanced"};
                double vv[2] = {by[k], capex};
                lm_results_row(tmp, tfz, kk, vv);
            }
        }
    /* each country's grid */
    if (c->run) {
        lm_result_table *tg = lm_results_table(tmp, "assess_grid", "zone,#year,taxonomy,status,clause",
                                               "grid_lifecycle_g_co2e_kwh,new_capacity_green_pct");
        for (int z = 0; z < w.Z; z++)
            for (int y = 0; y < w.Y; y++) {
                lm_screen_inputs in;
                lm_screen_inputs_init(&in);
                in.value[LM_IND_GRID_LIFECYCLE_G_CO2E_KWH] = w.grid_lc[z * w.Y + y];
                in.value[LM_IND_NEW_CAPACITY_GREEN_PCT] = w.grid_new[z * w.Y + y];
                for (int t = 0; t < LM_TAX_N; t++) {
                    lm_screen_result r;
                    lm_screen_project(c->criteria, t, "grid", &in, &r);
                    const char *kk[5] = {w.ds->zones[z], lm_results_intern_int(tmp, w.ds->years[y]),
                                         lm_screen_taxonomy_name(t), lm_screen_status_name(r.status),
                                         r.clause_id ? r.clause_id : "none"};
                    double vv[2] = {w.grid_lc[z * w.Y + y], w.grid_new[z * w.Y + y]};
                    lm_results_row(tmp, tg, kk, vv);
                }
            }
    }
    /* scorecards */
    lm_result_table *ti = lm_results_table(tmp, "assess_indicators", "scope,#principle,indicator,evidence",
                                           "value,score,weight,applicable");
    lm_result_table *tp = lm_results_table(tmp, "assess_principles", "scope,#principle,title",
                                           "score,score_conservative,coverage,n_defined,n_applicable,n_with_data");
    lm_result_table *to = lm_results_table(tmp, "assess_overall", "scope", "overall,overall_conservative,coverage");
    for (int i = 0; i < w.n; i++) {
        if (only_project && strcmp(w.p[i].id, only_project) != 0) continue;
        lm_sc_inputs in;
        project_inputs(&w, &w.p[i], &fa, i, mainstream, &in);
        lm_scorecard sc;
        lm_scorecard_evaluate(c->indicators, LM_SC_PROJECT, &in, &sc);
        scorecard_rows(tmp, ti, tp, w.p[i].id, &sc);
        const char *k[1] = {w.p[i].id};
        double v[3] = {sc.overall, sc.overall_conservative, sc.coverage};
        lm_results_row(tmp, to, k, v);
        lm_scorecard_free(&sc);
    }
    lm_sc_inputs pin;
    plan_inputs(&w, &fa, mainstream, sed_now, sed_none, tmp, unserved, &pin);
    lm_scorecard_evaluate(c->indicators, LM_SC_PLAN, &pin, &sum->plan);
    scorecard_rows(tmp, ti, tp, "plan", &sum->plan);
    {
        const char *k[1] = {"plan"};
        double v[3] = {sum->plan.overall, sum->plan.overall_conservative, sum->plan.coverage};
        lm_results_row(tmp, to, k, v);
    }
    /* summary and scalars */
    sum->indicators = c->indicators;
    sum->n_projects = w.n;
    for (int i = 0; i < w.n; i++) {
        sum->n_dams += w.p[i].kind == P_DAM;
        sum->n_new_dams += w.p[i].kind == P_DAM && !w.p[i].existing;
        sum->n_tranches += w.p[i].kind == P_TRANCHE;
        sum->n_lines += w.p[i].kind == P_LINE;
    }
    sum->capex_musd = fa.total_capex_musd;
    sum->gap_musd = fa.total_gap_musd;
    sum->cost_of_capital_musd_yr = fa.cost_musd_per_yr;
    double fin = fa.total_capex_musd - fa.total_gap_musd;
    sum->wacc_pct = fin > 0 ? 100 * fa.cost_musd_per_yr / fin : NAN;
    double green_any = green_any_capex(w.p, w.n, NULL);
    for (int t = 0; t < LM_TAX_N; t++)
        sum->green_capex_pct[t] = fa.total_capex_musd > 0 ? 100 * fa.eligible_capex_musd[t] / fa.total_capex_musd : NAN;
    sum->green_any_capex_pct = fa.total_capex_musd > 0 ? 100 * green_any / fa.total_capex_musd : NAN;
    sum->sediment_delivered_mt = sed_now;
    sum->sediment_no_dams_mt = sed_none;
    double v;
    sum->dcip = lm_results_find_scalar(tmp, "dcip_portfolio", &v) == 0 ? v : NAN;
    sum->dcid = lm_results_find_scalar(tmp, "dcid_portfolio", &v) == 0 ? v : NAN;
    sum->dcip_status_quo = lm_results_find_scalar(tmp, "dcip_status_quo", &v) == 0 ? v : NAN;
    sum->dcid_status_quo = lm_results_find_scalar(tmp, "dcid_status_quo", &v) == 0 ? v : NAN;
    sum->reservoir_t_co2e_yr = lm_results_find_scalar(tmp, "reservoir_t_co2e_yr", &v) == 0 ? v : NAN;
    sum->reservoir_dams_unknown = lm_results_find_scalar(tmp, "reservoir_dams_unknown", &v) == 0 ? (int)v : 0;
    lm_results_scalar(tmp, "assess_projects", w.n);
    lm_results_scalar(tmp, "assess_capex_musd", sum->capex_musd);
    lm_results_scalar(tmp, "assess_financing_gap_musd", sum->gap_musd);
    lm_results_scalar(tmp, "assess_cost_of_capital_musd_yr", sum->cost_of_capital_musd_yr);
    lm_results_scalar(tmp, "assess_wacc_pct", sum->wacc_pct);
    for (int t = 0; t < LM_TAX_N; t++) {
        char name[64];
        snprintf(name, sizeof name, "assess_green_capex_pct_%s", lm_screen_taxonomy_name(t));
        lm_results_scalar(tmp, name, sum->green_capex_pct[t]);
    }
    lm_results_scalar(tmp, "assess_green_capex_pct_any", sum->green_any_capex_pct);
    lm_results_scalar(tmp, "assess_sediment_delivered_mt", sed_now);
    lm_results_scalar(tmp, "assess_sediment_no_dams_mt", sed_none);
    lm_results_scalar(tmp, "assess_plan_score", sum->plan.overall);
    lm_results_scalar(tmp, "assess_plan_score_conservative", sum->plan.overall_conservative);
    lm_results_scalar(tmp, "assess_plan_coverage", sum->plan.coverage);
    lm_results_absorb(res, tmp);

    free(mainstream);
    lm_fin_allocation_free(&fa);
    free(w.in_place); free(w.gen_mwh); free(w.first_year); free(w.p);
    free(w.price); free(w.grid_lc); free(w.grid_new);
    return 0;
}
