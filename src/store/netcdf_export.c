/* netcdf_export.c - a stored run as a NetCDF-4 file with the variables of Xu et al. (2025).
 *
 * The run's result tables (docs/results.md) are long tables; the original writes dense arrays
 * over named dimensions (spec section 7.1).  This file turns the one into the other: it
 * collects the coordinates (tech, zone, year, month, hour, station, ...) from the keys of the
 * tables, then scatters each value column into a dense array over them, converting units once
 * (MW per step -> TWh per step with dt, million USD -> USD, Mt -> t).  The list of variables is
 * data (table `table_vars` below): name, unit, meaning, source table, dimensions and the key
 * column that indexes each dimension, so the dimension order of a variable is exactly the
 * original's (trans_import_v has zone_in before zone_out, as in the original).
 *
 * A cell without a value is NaN, which is also the variables' _FillValue.  Variables whose
 * table the run did not write are left out.  The file is written as <path>.tmp.<pid> and
 * renamed into place. */
#include "store/netcdf_export.h"
#include "core/util.h"
#include "store/results.h"
#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <netcdf.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- dimensions ------------------------------------------------------------------------ */

enum { D_TECH, D_ZONE, D_YEAR, D_MONTH, D_HOUR, D_ZONE_OUT, D_ZONE_IN, D_STATION, D_UNBUILT,
       D_REACH, D_SCOPE, D_N };
enum { K_TEXT, K_INT, K_INT64 };

static const struct {
    const char *name, *long_name, *units;
    int kind;
    int sorted; /* integer coordinates in ascending order; others in the run's order */
} dim_info[D_N] = {
    [D_TECH] = {"tech", "technology", NULL, K_TEXT, 0},
    [D_ZONE] = {"zone", "zone (country)", NULL, K_TEXT, 0},
    [D_YEAR] = {"year", "modelled year", "year", K_INT, 1},
    [D_MONTH] = {"month", "month of the representative day", NULL, K_INT, 1},
    [D_HOUR] = {"hour", "hour of the representative day (1 = first)", NULL, K_INT, 1},
    [D_ZONE_OUT] = {"zone_out", "zone at the sending end of a corridor", NULL, K_TEXT, 0},
    [D_ZONE_IN] = {"zone_in", "zone at the receiving end of a corridor", NULL, K_TEXT, 0},
    [D_STATION] = {"station", "hydropower station id (stcd)", NULL, K_INT64, 0},
    [D_UNBUILT] = {"unbuiltstation", "candidate hydropower station id (not in service in the "
                                     "base year)", NULL, K_INT64, 0},
    [D_REACH] = {"reach", "sediment reach id", NULL, K_INT64, 0},
    [D_SCOPE] = {"carbon_scope", "scope of a carbon cap: basin or a zone", NULL, K_TEXT, 0},
};

typedef struct nc_dim {
    int n, cap;
    const char **labels; /* key text; pointers into the results' string pool */
    int last;            /* index of the last hit: rows come grouped by key */
    int dimid, varid;
} nc_dim;

/* ---- variables ------------------------------------------------------------------------- */

enum { F_ONE, F_TWH, F_MEGA };          /* factor: 1, dt / 1e6 (MW per step -> TWh), 1e6 */
enum { M_NONE, M_CORRIDOR, M_STORAGE }; /* cells set to 0 before the rows are placed */

typedef struct var_spec {
    const char *name, *units, *long_name, *table;
    int nd;
    int dims[5];
    const char *keys[5]; /* key column of `table` that indexes dims[i] */
    const char *val;
    int factor;
    double dflt; /* value of a cell without a row */
    int mask;    /* M_CORRIDOR: 0 on (dims[0], dims[1]) pairs that are corridors (table
                    lines, same key columns); M_STORAGE: 0 for the techs of table storage */
} var_spec;

#define TZYMH {D_TECH, D_ZONE, D_YEAR, D_MONTH, D_HOUR}, {"tech", "zone", "year", "month", "hour"}
#define TZY {D_TECH, D_ZONE, D_YEAR}, {"tech", "zone", "year"}
#define ZYMH {D_ZONE, D_YEAR, D_MONTH, D_HOUR}, {"zone", "year", "month", "hour"}
#define SYMH {D_STATION, D_YEAR, D_MONTH, D_HOUR}, {"station_id", "year", "month", "hour"}
#define OUT_IN_YMH {D_ZONE_OUT, D_ZONE_IN, D_YEAR, D_MONTH, D_HOUR}, \
                   {"from_zone", "to_zone", "year", "month", "hour"}
#define IN_OUT_YMH {D_ZONE_IN, D_ZONE_OUT, D_YEAR, D_MONTH, D_HOUR}, \
                   {"to_zone", "from_zone", "year", "month", "hour"}

static const var_spec table_vars[] = {
    /* the names of Xu et al. (2025), spec section 7.1 */
    {"gen_v", "TWh", "generation (storage: discharge) per step = MW x dt / 1e6; annual TWh = "
     "sum over month, hour / weight", "generation", 5, TZYMH, "generation_mw", F_TWH, 0, M_NONE},
    {"trans_export_v", "TWh", "energy sent into the corridor zone_out -> zone_in per step "
     "(NaN: no corridor)", "flows", 5, OUT_IN_YMH, "sent_mw", F_TWH, NAN, M_CORRIDOR},
    {"trans_import_v", "TWh", "energy received at zone_in from the corridor zone_out -> "
     "zone_in per step, after losses (NaN: no corridor)", "flows", 5, IN_OUT_YMH,
     "received_mw", F_TWH, NAN, M_CORRIDOR},
    {"install_v", "MW", "capacity available", "capacity", 3, TZY, "capacity_mw", F_ONE, NAN,
     M_NONE},
    {"new_install_v", "MW", "capacity built in the year", "capacity", 3, TZY, "new_mw", F_ONE,
     NAN, M_NONE},
    {"cap_newline_v", "MW", "new corridor capacity built in the year, zone_out -> zone_in "
     "(NaN: no corridor)", "lines", 3, {D_ZONE_IN, D_ZONE_OUT, D_YEAR},
     {"to_zone", "from_zone", "year"}, "new_mw", F_ONE, NAN, M_NONE},
    {"cap_lines_existing_v", "MW", "corridor capacity available in the year, zone_out -> "
     "zone_in (NaN: no corridor)", "lines", 3, {D_ZONE_IN, D_ZONE_OUT, D_YEAR},
     {"to_zone", "from_zone", "year"}, "capacity_mw", F_ONE, NAN, M_NONE},
    {"charge_v", "MW", "battery charging (NaN: not a storage technology)", "storage", 5, TZYMH,
     "charge_mw", F_ONE, NAN, M_STORAGE},
    {"genflow_v", "m3/s", "turbine (generation) flow", "hydro_station", 4, SYMH, "turbine_m3s",
     F_ONE, NAN, M_NONE},
    {"spillflow_v", "m3/s", "spill", "hydro_station", 4, SYMH, "spill_m3s", F_ONE, NAN, M_NONE},
    {"isbuilt_v", "1", "candidate dam built (1) or not (0); a fraction for relaxed decisions",
     "dams", 1, {D_UNBUILT}, {"station_id"}, "built", F_ONE, NAN, M_NONE},
    /* lmplan's extras */
    {"lmplan_existing_capacity_mw", "MW", "surviving base-year capacity", "capacity", 3, TZY,
     "existing_mw", F_ONE, NAN, M_NONE},
    {"lmplan_generation_annual_twh", "TWh", "annual generation (TWh per year)",
     "generation_annual", 3, TZY, "generation_twh", F_ONE, NAN, M_NONE},
    {"lmplan_soc_mwh", "MWh", "battery state of charge at the end of the hour (NaN: not a "
     "storage technology)", "storage", 5, TZYMH, "soc_mwh", F_ONE, NAN, M_STORAGE},
    {"lmplan_demand_mw", "MW", "demand", "balance", 4, ZYMH, "demand_mw", F_ONE, NAN, M_NONE},
    {"lmplan_unserved_mw", "MW", "unserved demand", "balance", 4, ZYMH, "unserved_mw", F_ONE,
     NAN, M_NONE},
    {"lmplan_price_usd_per_mwh", "USD/MWh", "price of electricity: dual of power.balance, "
     "undiscounted", "balance", 4, ZYMH, "price_usd_per_mwh", F_ONE, NAN, M_NONE},
    {"lmplan_line_energy_sent_twh", "TWh", "energy sent into the corridor zone_out -> zone_in "
     "(TWh per year; NaN: no corridor)", "lines", 3, {D_ZONE_OUT, D_ZONE_IN, D_YEAR},
     {"from_zone", "to_zone", "year"}, "energy_sent_twh", F_ONE, NAN, M_NONE},
    {"lmplan_emissions_t", "t", "CO2 emissions of the zone (t per year)", "emissions", 2,
     {D_ZONE, D_YEAR}, {"zone", "year"}, "emissions_mt", F_MEGA, NAN, M_NONE},
    {"lmplan_carbon_cap_t", "t", "CO2 cap (t per year; NaN: no cap)", "carbon_caps", 2,
     {D_SCOPE, D_YEAR}, {"scope", "year"}, "cap_mt", F_MEGA, NAN, M_NONE},
    {"lmplan_carbon_price_usd_per_t", "USD/t", "carbon price: shadow price of the cap in its "
     "year (0: cap not binding)", "carbon_caps", 2, {D_SCOPE, D_YEAR}, {"scope", "year"},
     "shadow_price_usd_per_t", F_ONE, NAN, M_NONE},
    {"lmplan_inflow_m3s", "m3/s", "inflow: local natural inflow plus routed upstream outflow",
     "hydro_station", 4, SYMH, "inflow_m3s", F_ONE, NAN, M_NONE},
    {"lmplan_storage_1e8m3", "1e8 m3", "reservoir storage at the end of the hour (NaN: no "
     "reservoir in operation)", "hydro_station", 4, SYMH, "storage_end_1e8m3", F_ONE, NAN,
     M_NONE},
    {"lmplan_storage_start_1e8m3", "1e8 m3", "reservoir storage at the start of the hour (NaN: "
     "no reservoir in operation)", "hydro_station", 4, SYMH, "storage_start_1e8m3", F_ONE, NAN,
     M_NONE},
    {"lmplan_station_output_mw", "MW", "station output", "hydro_station", 4, SYMH, "output_mw",
     F_ONE, NAN, M_NONE},
    {"lmplan_hydro_budget_mwh_per_day", "MWh", "hydro budget mode: energy available to the "
     "zone's hydropower per representative day", "hydro_budget", 3, {D_ZONE, D_YEAR, D_MONTH},
     {"zone", "year", "month"}, "budget_mwh_per_day", F_ONE, NAN, M_NONE},
    {"lmplan_hydro_budget_used_mwh_per_day", "MWh", "hydro budget mode: energy used per "
     "representative day", "hydro_budget", 3, {D_ZONE, D_YEAR, D_MONTH},
     {"zone", "year", "month"}, "used_mwh_per_day", F_ONE, NAN, M_NONE},
    {"lmplan_station_capacity_mw", "MW", "installed capacity of the station", "dams", 1,
     {D_STATION}, {"station_id"}, "capacity_mw", F_ONE, NAN, M_NONE},
    {"lmplan_station_built", "1", "station in service: existing or built (1), not built (0)",
     "dams", 1, {D_STATION}, {"station_id"}, "built", F_ONE, NAN, M_NONE},
    {"lmplan_dam_state", "1", "0 existing, 1 candidate built by the plan, 2 candidate not "
     "built, 3 candidate decided by the optimiser", "dams", 1, {D_STATION}, {"station_id"},
     "state", F_ONE, NAN, M_NONE},
    {"lmplan_sediment_yield_mt", "Mt/yr", "sediment yield of the reach", "sediment", 1,
     {D_REACH}, {"reach_id"}, "yield_mt", F_ONE, NAN, M_NONE},
    {"lmplan_sediment_accumulated_mt", "Mt/yr", "sediment entering the reach (SACC)",
     "sediment", 1, {D_REACH}, {"reach_id"}, "accumulated_mt", F_ONE, NAN, M_NONE},
    {"lmplan_sediment_delivered_mt", "Mt/yr", "sediment leaving the reach downstream (SOUT)",
     "sediment", 1, {D_REACH}, {"reach_id"}, "delivered_mt", F_ONE, NAN, M_NONE},
};

/* Scalars: the run's scalar in million USD (or Mt/yr) -> a 0-d variable. */
static const struct {
    const char *name, *units, *long_name, *scalar;
    int factor;
    int always; /* written as NaN when the run has no such scalar */
} scalar_vars[] = {
    {"cost_v", "USD", "total discounted system cost (the objective)", "objective_musd", F_MEGA,
     0},
    {"cost_var_v", "USD", "variable costs: O&M, fuel, line use, imports, unserved energy",
     "cost_variable_musd", F_MEGA, 0},
    {"cost_fix_v", "USD", "fixed O&M of technologies and lines", "cost_fixed_musd", F_MEGA, 0},
    {"cost_newtech_v", "USD", "investment in technologies and dams", "cost_investment_musd",
     F_MEGA, 0},
    {"cost_newline_v", "USD", "investment in corridors", "cost_line_investment_musd", F_MEGA, 0},
    {"sediment_v", "Mt/yr", "sediment delivered at the target reach, SOUT (NaN: no sediment "
     "network)", "sediment_delivered_mt", F_ONE, 1},
    {"sediment_bound_v", "Mt/yr", "lower bound on the sediment delivered at the target reach "
     "(0: none; NaN: no sediment network)", "sediment_floor_mt", F_ONE, 1},
};

/* Tables whose absence is worth telling (the summary's `skipped`). */
static const char *const optional_tables[] = {"lines", "storage", "hydro_station", "dams",
                                              "sediment", "carbon_caps"};

typedef struct nc_var {
    char *name, *long_name;
    const char *units;
    int nd, dims[5];
    size_t n;
    double *data;
    int varid;
} nc_var;

/* The runs row (all may be NULL). */
typedef struct run_row {
    char *status, *plan_name, *plan_path, *plan_hash, *dataset_name, *dataset_hash;
    char *program_version, *solver, *method, *started_at, *finished_at;
    double objective_musd;
} run_row;

typedef struct exp_ctx {
    const lm_results *res;
    nc_dim dims[D_N];
    nc_var *vars;
    int n_vars, cap_vars;
    double dt_h, weight;
    run_row run;
    int64_t run_id;
    lm_diag *d;
} exp_ctx;

/* ---- coordinates ----------------------------------------------------------------------- */

static int key_col(const lm_result_table *t, const char *name)
{
    for (int j = 0; j < t->n_keys; j++)
        if (strcmp(t->key_names[j], name) == 0) return j;
    return -1;
}

static int val_col(const lm_result_table *t, const char *name)
{
    for (int j = 0; j < t->n_vals; j++)
        if (strcmp(t->val_names[j], name) == 0) return j;
    return -1;
}

static int dim_find(nc_dim *dm, const char *key)
{
    if (!key) return -1;
    if (dm->last >= 0 && dm->last < dm->n &&
        (dm->labels[dm->last] == key || strcmp(dm->labels[dm->last], key) == 0))
        return dm->last;
    for (int i = 0; i < dm->n; i++)
        if (dm->labels[i] == key || strcmp(dm->labels[i], key) == 0) return dm->last = i;
    return -1;
}

static void dim_add(nc_dim *dm, const char *key)
{
    if (!key || dim_find(dm, key) >= 0) return;
    lm_grow(&dm->labels, &dm->cap, dm->n + 1, sizeof *dm->labels);
    dm->labels[dm->n] = key;
    dm->last = dm->n++;
}

/* Every value of key column `key` of table `tname`, in row order. */
static void dim_collect(exp_ctx *c, int dim, const char *tname, const char *key)
{
    const lm_result_table *t = lm_results_find(c->res, tname);
    int j = t ? key_col(t, key) : -1;
    if (j < 0) return;
    for (int i = 0; i < t->n_rows; i++) dim_add(&c->dims[dim], t->keys[(size_t)i * t->n_keys + j]);
}

static int cmp_int_label(const void *a, const void *b)
{
    long long x = strtoll(*(const char *const *)a, NULL, 10);
    long long y = strtoll(*(const char *const *)b, NULL, 10);
    return (x > y) - (x < y);
}

static void collect_dims(exp_ctx *c)
{
    static const char *const zone_tables[][2] = {
        {"capacity", "zone"}, {"generation", "zone"}, {"balance", "zone"}, {"emissions", "zone"},
        {"lines", "from_zone"}, {"lines", "to_zone"}, {"flows", "from_zone"}, {"flows", "to_zone"}};
    static const char *const step_tables[] = {"generation", "balance", "storage", "flows",
                                              "hydro_station"};
    static const char *const year_tables[] = {"capacity", "generation", "balance", "emissions",
                                              "carbon_caps", "lines", "hydro_station"};
    dim_collect(c, D_TECH, "capacity", "tech");
    dim_collect(c, D_TECH, "generation", "tech");
    dim_collect(c, D_TECH, "storage", "tech");
    for (size_t i = 0; i < sizeof zone_tables / sizeof *zone_tables; i++)
        dim_collect(c, D_ZONE, zone_tables[i][0], zone_tables[i][1]);
    for (size_t i = 0; i < sizeof year_tables / sizeof *year_tables; i++)
        dim_collect(c, D_YEAR, year_tables[i], "year");
    for (size_t i = 0; i < sizeof step_tables / sizeof *step_tables; i++) {
        dim_collect(c, D_MONTH, step_tables[i], "month");
        dim_collect(c, D_HOUR, step_tables[i], "hour");
    }
    if (lm_results_find(c->res, "lines") || lm_results_find(c->res, "flows"))
        for (int i = 0; i < c->dims[D_ZONE].n; i++) {
            dim_add(&c->dims[D_ZONE_OUT], c->dims[D_ZONE].labels[i]);
            dim_add(&c->dims[D_ZONE_IN], c->dims[D_ZONE].labels[i]);
        }
    dim_collect(c, D_STATION, "dams", "station_id");
    dim_collect(c, D_STATION, "hydro_station", "station_id");
    /* candidates: every station of table dams that was not in service in the base year */
    const lm_result_table *dams = lm_results_find(c->res, "dams");
    int js = dams ? key_col(dams, "station_id") : -1, jv = dams ? val_col(dams, "state") : -1;
    if (js >= 0 && jv >= 0)
        for (int i = 0; i < dams->n_rows; i++) {
            double state = dams->vals[(size_t)i * dams->n_vals + jv];
            if (!isnan(state) && state != 0)
                dim_add(&c->dims[D_UNBUILT], dams->keys[(size_t)i * dams->n_keys + js]);
        }
    dim_collect(c, D_REACH, "sediment", "reach_id");
    dim_collect(c, D_SCOPE, "carbon_caps", "scope");
    for (int k = 0; k < D_N; k++) {
        nc_dim *dm = &c->dims[k];
        if (dim_info[k].sorted && dm->n > 1)
            qsort(dm->labels, (size_t)dm->n, sizeof *dm->labels, cmp_int_label);
        dm->last = -1;
    }
}

/* ---- filling variables ----------------------------------------------------------------- */

static nc_var *var_new(exp_ctx *c, const char *name, const char *units, const char *long_name,
                       int nd, const int *dims, double dflt)
{
    size_t n = 1;
    for (int i = 0; i < nd; i++) {
        if (c->dims[dims[i]].n == 0) return NULL;
        n *= (size_t)c->dims[dims[i]].n;
    }
    lm_grow(&c->vars, &c->cap_vars, c->n_vars + 1, sizeof *c->vars);
    nc_var *v = &c->vars[c->n_vars++];
    memset(v, 0, sizeof *v);
    v->name = lm_xstrdup(name);
    v->long_name = lm_xstrdup(long_name);
    v->units = units;
    v->nd = nd;
    if (nd > 0) memcpy(v->dims, dims, (size_t)nd * sizeof *dims);
    v->n = n;
    v->data = lm_xmalloc(n * sizeof *v->data);
    for (size_t i = 0; i < n; i++) v->data[i] = dflt;
    return v;
}

/* Set to `x` every cell whose first `nlead` indices (flattened) have mask[] set. */
static void fill_leading(nc_var *v, const exp_ctx *c, int nlead, const unsigned char *mask,
                         double x)
{
    size_t lead = 1;
    for (int i = 0; i < nlead; i++) lead *= (size_t)c->dims[v->dims[i]].n;
    size_t inner = v->n / lead;
    for (size_t p = 0; p < lead; p++)
        if (mask[p])
            for (size_t j = 0; j < inner; j++) v->data[p * inner + j] = x;
}

/* Mask over (dims[0], dims[1]) or dims[0] of the cells that have a row in table `tname`,
 * keyed by the spec's first key columns; NULL if the table lacks them. */
static unsigned char *row_mask(exp_ctx *c, const var_spec *s, int nlead, const char *tname)
{
    const lm_result_table *t = lm_results_find(c->res, tname);
    if (!t) return NULL;
    int kc[2];
    size_t n = 1;
    for (int i = 0; i < nlead; i++) {
        if ((kc[i] = key_col(t, s->keys[i])) < 0) return NULL;
        n *= (size_t)c->dims[s->dims[i]].n;
    }
    unsigned char *mask = lm_xcalloc(n, 1);
    for (int r = 0; r < t->n_rows; r++) {
        size_t off = 0;
        int ok = 1;
        for (int i = 0; i < nlead && ok; i++) {
            nc_dim *dm = &c->dims[s->dims[i]];
            int idx = dim_find(dm, t->keys[(size_t)r * t->n_keys + kc[i]]);
            ok = idx >= 0;
            off = off * (size_t)dm->n + (size_t)(ok ? idx : 0);
        }
        if (ok) mask[off] = 1;
    }
    return mask;
}

static double factor_of(const exp_ctx *c, int f)
{
    return f == F_TWH ? c->dt_h / 1e6 : f == F_MEGA ? 1e6 : 1.0;
}

/* One variable of table_vars; left out when its table, a column or a dimension is missing
 * (a run without the cascade has no table hydro_station and no dimension station). */
static void add_table_var(exp_ctx *c, const var_spec *s)
{
    const lm_result_table *t = lm_results_find(c->res, s->table);
    if (!t) return;
    int kc[5], vc = val_col(t, s->val);
    if (vc < 0) return;
    for (int i = 0; i < s->nd; i++)
        if ((kc[i] = key_col(t, s->keys[i])) < 0) return;
    nc_var *v = var_new(c, s->name, s->units, s->long_name, s->nd, s->dims, s->dflt);
    if (!v) return;
    unsigned char *mask = NULL;
    int nlead = s->mask == M_CORRIDOR ? 2 : 1;
    if (s->mask == M_CORRIDOR) mask = row_mask(c, s, 2, "lines");
    else if (s->mask == M_STORAGE) mask = row_mask(c, s, 1, "storage");
    if (mask) fill_leading(v, c, nlead, mask, 0.0);
    free(mask);
    double f = factor_of(c, s->factor);
    for (int r = 0; r < t->n_rows; r++) {
        size_t off = 0;
        int ok = 1;
        for (int i = 0; i < s->nd && ok; i++) {
            nc_dim *dm = &c->dims[s->dims[i]];
            int idx = dim_find(dm, t->keys[(size_t)r * t->n_keys + kc[i]]);
            ok = idx >= 0;
            off = off * (size_t)dm->n + (size_t)(ok ? idx : 0);
        }
        if (!ok) continue; /* e.g. an existing dam in isbuilt_v */
        double x = t->vals[(size_t)r * t->n_vals + vc];
        /* NaN and +-inf (an absent cap) are "no value" */
        v->data[off] = isfinite(x) ? x * f : NAN;
    }
}

/* carbon_v: the basin's emissions per year = the sum over the zones (C21). */
static void add_carbon_v(exp_ctx *c)
{
    const lm_result_table *t = lm_results_find(c->res, "emissions");
    if (!t) return;
    int jy = key_col(t, "year"), jv = val_col(t, "emissions_mt");
    if (jy < 0 || jv < 0) return;
    int dims[1] = {D_YEAR};
    nc_var *v = var_new(c, "carbon_v", "t", "CO2 emissions of all zones (t per year)", 1, dims,
                        0.0);
    if (!v) return;
    for (int r = 0; r < t->n_rows; r++) {
        int y = dim_find(&c->dims[D_YEAR], t->keys[(size_t)r * t->n_keys + jy]);
        if (y >= 0) v->data[y] += t->vals[(size_t)r * t->n_vals + jv] * 1e6;
    }
}

static void add_scalar(exp_ctx *c, const char *name, const char *units, const char *long_name,
                       double x)
{
    var_new(c, name, units, long_name, 0, NULL, isfinite(x) ? x : NAN);
}

static void add_scalars(exp_ctx *c)
{
    for (size_t i = 0; i < sizeof scalar_vars / sizeof *scalar_vars; i++) {
        double x;
        int have = lm_results_find_scalar(c->res, scalar_vars[i].scalar, &x) == 0;
        if (!have && !scalar_vars[i].always) continue;
        add_scalar(c, scalar_vars[i].name, scalar_vars[i].units, scalar_vars[i].long_name,
                   have ? x * factor_of(c, scalar_vars[i].factor) : NAN);
    }
    /* every other cost_<category>_musd scalar (the ledger's categories) */
    for (int i = 0; i < c->res->n_scalars; i++) {
        const char *n = c->res->scalars[i].name;
        size_t len = strlen(n);
        if (strncmp(n, "cost_", 5) != 0 || len <= 10 || strcmp(n + len - 5, "_musd") != 0)
            continue;
        int grouped = 0;
        for (size_t k = 0; k < sizeof scalar_vars / sizeof *scalar_vars; k++)
            grouped |= strcmp(n, scalar_vars[k].scalar) == 0;
        if (grouped) continue;
        char *name = lm_xasprintf("lmplan_%.*s_usd", (int)(len - 5), n);
        char *ln = lm_xasprintf("cost category %.*s (run scalar %s x 1e6)", (int)(len - 10),
                                n + 5, n);
        add_scalar(c, name, "USD", ln, c->res->scalars[i].value * 1e6);
        free(name);
        free(ln);
    }
}

/* ---- the runs row ---------------------------------------------------------------------- */

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? lm_xstrdup((const char *)t) : NULL;
}

static int read_run(const char *path, int64_t id, run_row *r, lm_diag *d)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ret = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        lm_diag_error(d, "result store \"%s\": cannot open read-only: %s", path,
                      db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 30000);
    if (sqlite3_prepare_v2(db,
                           "SELECT status, plan_name, plan_path, plan_hash, dataset_name, "
                           "dataset_hash, program_version, solver, method, started_at, "
                           "finished_at, objective_musd FROM runs WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        lm_diag_error(d, "result store \"%s\": cannot read table runs: %s", path,
                      sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        lm_diag_error(d, "result store \"%s\": no run %lld", path, (long long)id);
        goto done;
    }
    char **f[] = {&r->status, &r->plan_name, &r->plan_path, &r->plan_hash, &r->dataset_name,
                  &r->dataset_hash, &r->program_version, &r->solver, &r->method,
                  &r->started_at, &r->finished_at};
    for (int i = 0; i < (int)(sizeof f / sizeof *f); i++) *f[i] = col_text(st, i);
    r->objective_musd = sqlite3_column_type(st, 11) == SQLITE_NULL ? NAN
                                                                   : sqlite3_column_double(st, 11);
    ret = 0;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ret;
}

static void run_free(run_row *r)
{
    char *f[] = {r->status, r->plan_name, r->plan_path, r->plan_hash, r->dataset_name,
                 r->dataset_hash, r->program_version, r->solver, r->method, r->started_at,
                 r->finished_at};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) free(f[i]);
}

/* ---- writing --------------------------------------------------------------------------- */

#define NC_TRY(call, what)                                                                   \
    do {                                                                                     \
        int nc_rc_ = (call);                                                                 \
        if (nc_rc_ != NC_NOERR) {                                                            \
            lm_diag_error(c->d, "NetCDF file \"%s\": %s: %s", path, (what),                 \
                          nc_strerror(nc_rc_));                                              \
            return -1;                                                                       \
        }                                                                                    \
    } while (0)

static int put_text(int nc, int varid, const char *name, const char *value)
{
    if (!value) return NC_NOERR;
    return nc_put_att_text(nc, varid, name, strlen(value), value);
}

static int put_double_att(int nc, int varid, const char *name, double x)
{
    return nc_put_att_double(nc, varid, name, NC_DOUBLE, 1, &x);
}

static const char conventions[] =
    "Variables without a prefix (gen_v, trans_export_v, trans_import_v, install_v, "
    "new_install_v, cap_newline_v, cap_lines_existing_v, carbon_v, charge_v, cost_v, "
    "cost_var_v, cost_fix_v, cost_newtech_v, cost_newline_v, genflow_v, spillflow_v, "
    "isbuilt_v, sediment_v, sediment_bound_v) follow the names, dimension order and units of "
    "the NetCDF files of Xu et al. (2025), Nature Sustainability, doi:10.1038/"
    "s41893-025-01626-5; variables prefixed lmplan_ are lmplan extras the original does not "
    "write. NaN (also the _FillValue) = no value. Coordinates are in the run's order "
    "(technologies and zones as in the dataset, not sorted). See lmplan's docs/results.md.";

static int define_globals(exp_ctx *c, int nc, const char *path)
{
    const run_row *r = &c->run;
    char title[512], created[32];
    snprintf(title, sizeof title, "lmplan run %lld: %s", (long long)c->run_id,
             r->plan_name ? r->plan_name : "(no plan name)");
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    long long id = (long long)c->run_id;
    NC_TRY(put_text(nc, NC_GLOBAL, "title", title), "global attributes");
    NC_TRY(put_text(nc, NC_GLOBAL, "source", "lmplan " LMPLAN_VERSION), "global attributes");
    NC_TRY(put_text(nc, NC_GLOBAL, "lmplan_version", LMPLAN_VERSION), "global attributes");
    NC_TRY(nc_put_att_longlong(nc, NC_GLOBAL, "run_id", NC_INT64, 1, &id), "global attributes");
    const char *text[][2] = {
        {"status", r->status}, {"plan_name", r->plan_name}, {"plan_path", r->plan_path},
        {"plan_hash", r->plan_hash}, {"dataset_name", r->dataset_name},
        {"dataset_hash", r->dataset_hash}, {"run_program_version", r->program_version},
        {"solver", r->solver}, {"method", r->method}, {"run_started_at", r->started_at},
        {"run_finished_at", r->finished_at}, {"created", created},
        {"conventions", conventions}};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        NC_TRY(put_text(nc, NC_GLOBAL, text[i][0], text[i][1]), "global attributes");
    NC_TRY(put_double_att(nc, NC_GLOBAL, "objective_musd", r->objective_musd),
           "global attributes");
    NC_TRY(put_double_att(nc, NC_GLOBAL, "weight", c->weight), "global attributes");
    NC_TRY(put_double_att(nc, NC_GLOBAL, "dt_h", c->dt_h), "global attributes");
    return 0;
}

static int define_all(exp_ctx *c, int nc, const char *path)
{
    if (define_globals(c, nc, path) != 0) return -1;
    for (int k = 0; k < D_N; k++) {
        nc_dim *dm = &c->dims[k];
        if (dm->n == 0) continue;
        nc_type type = dim_info[k].kind == K_TEXT ? NC_STRING
                       : dim_info[k].kind == K_INT ? NC_INT : NC_INT64;
        NC_TRY(nc_def_dim(nc, dim_info[k].name, (size_t)dm->n, &dm->dimid), dim_info[k].name);
        NC_TRY(nc_def_var(nc, dim_info[k].name, type, 1, &dm->dimid, &dm->varid),
               dim_info[k].name);
        NC_TRY(put_text(nc, dm->varid, "long_name", dim_info[k].long_name), dim_info[k].name);
        NC_TRY(put_text(nc, dm->varid, "units", dim_info[k].units), dim_info[k].name);
    }
    double nan = NAN;
    for (int i = 0; i < c->n_vars; i++) {
        nc_var *v = &c->vars[i];
        int dimids[5];
        for (int j = 0; j < v->nd; j++) dimids[j] = c->dims[v->dims[j]].dimid;
        NC_TRY(nc_def_var(nc, v->name, NC_DOUBLE, v->nd, dimids, &v->varid), v->name);
        if (v->nd > 0) NC_TRY(nc_def_var_deflate(nc, v->varid, 1, 1, 4), v->name);
        NC_TRY(nc_def_var_fill(nc, v->varid, 0, &nan), v->name);
        NC_TRY(put_text(nc, v->varid, "units", v->units), v->name);
        NC_TRY(put_text(nc, v->varid, "long_name", v->long_name), v->name);
    }
    return 0;
}

static int put_all(exp_ctx *c, int nc, const char *path)
{
    for (int k = 0; k < D_N; k++) {
        nc_dim *dm = &c->dims[k];
        if (dm->n == 0) continue;
        if (dim_info[k].kind == K_TEXT) {
            NC_TRY(nc_put_var_string(nc, dm->varid, dm->labels), dim_info[k].name);
            continue;
        }
        long long *ids = lm_xmalloc((size_t)dm->n * sizeof *ids);
        for (int i = 0; i < dm->n; i++) ids[i] = strtoll(dm->labels[i], NULL, 10);
        int rc = nc_put_var_longlong(nc, dm->varid, ids); /* converted to int for NC_INT */
        free(ids);
        NC_TRY(rc, dim_info[k].name);
    }
    for (int i = 0; i < c->n_vars; i++)
        NC_TRY(nc_put_var_double(nc, c->vars[i].varid, c->vars[i].data), c->vars[i].name);
    return 0;
}

static int write_file(exp_ctx *c, const char *path)
{
    char *dir = lm_path_dirname(path);
    if (!lm_path_is_dir(dir) && lm_mkdir_p(dir) != 0) {
        lm_diag_error(c->d, "cannot create folder \"%s\" for the NetCDF file: %s", dir,
                      strerror(errno));
        free(dir);
        return -1;
    }
    free(dir);
    if (lm_path_is_dir(path)) {
        lm_diag_error(c->d, "NetCDF file \"%s\" is a directory", path);
        return -1;
    }
    char *tmp = lm_xasprintf("%s.tmp.%ld", path, (long)getpid());
    int nc = -1, rc = nc_create(tmp, NC_NETCDF4 | NC_CLOBBER, &nc);
    int ret = -1;
    if (rc != NC_NOERR) {
        lm_diag_error(c->d, "cannot create NetCDF file \"%s\": %s", tmp, nc_strerror(rc));
        nc = -1;
    } else if (define_all(c, nc, path) == 0 && put_all(c, nc, path) == 0) {
        rc = nc_close(nc);
        nc = -1;
        if (rc != NC_NOERR)
            lm_diag_error(c->d, "NetCDF file \"%s\": cannot close: %s", path, nc_strerror(rc));
        else if (rename(tmp, path) != 0)
            lm_diag_error(c->d, "cannot rename \"%s\" to \"%s\": %s", tmp, path, strerror(errno));
        else
            ret = 0;
    }
    if (nc >= 0) nc_abort(nc);
    if (ret != 0) remove(tmp);
    free(tmp);
    return ret;
}

/* ---- entry point ----------------------------------------------------------------------- */

static void ctx_free(exp_ctx *c)
{
    for (int k = 0; k < D_N; k++) free(c->dims[k].labels);
    for (int i = 0; i < c->n_vars; i++) {
        free(c->vars[i].name);
        free(c->vars[i].long_name);
        free(c->vars[i].data);
    }
    free(c->vars);
    run_free(&c->run);
}

static int load_run(const char *store_path, int64_t *run_id, lm_results **res, lm_diag *d)
{
    if (!store_path || !*store_path || !lm_path_exists(store_path) || lm_path_is_dir(store_path)) {
        lm_diag_error(d, "result store \"%s\" does not exist (run `lmplan run PLAN` first, or "
                         "name the store with --store)", store_path ? store_path : "");
        return -1;
    }
    lm_store *s;
    if (lm_store_open(&s, store_path, d) != 0) return -1;
    int ret = -1;
    char status[64];
    if (*run_id == 0) *run_id = lm_store_latest_run(s);
    if (*run_id == 0) {
        lm_diag_error(d, "result store \"%s\" holds no runs", store_path);
    } else if (lm_store_run_status(s, *run_id, status, sizeof status) != 0) {
        lm_diag_error(d, "result store \"%s\" has no run %lld (latest: %lld)", store_path,
                      (long long)*run_id, (long long)lm_store_latest_run(s));
    } else if (lm_store_load_results(s, *run_id, res, d) == 0) {
        if ((*res)->n_tables == 0) {
            lm_diag_error(d, "run %lld of \"%s\" has no results to export (status %s)",
                          (long long)*run_id, store_path, status);
            lm_results_free(*res);
            *res = NULL;
        } else {
            ret = 0;
        }
    }
    lm_store_close(s);
    return ret;
}

int lm_netcdf_export(const char *store_path, int64_t run_id, const char *nc_path,
                     lm_netcdf_summary *sum, lm_diag *d)
{
    if (sum) memset(sum, 0, sizeof *sum);
    lm_results *res = NULL;
    if (run_id < 0) {
        lm_diag_error(d, "run id %lld is not a positive number", (long long)run_id);
        return -1;
    }
    if (load_run(store_path, &run_id, &res, d) != 0) return -1;
    exp_ctx c;
    memset(&c, 0, sizeof c);
    c.res = res;
    c.d = d;
    c.run_id = run_id;
    int ret = read_run(store_path, run_id, &c.run, d);
    char *path = nc_path ? lm_xstrdup(nc_path)
                         : lm_xasprintf("results/run-%lld.nc", (long long)run_id);
    if (ret == 0) {
        collect_dims(&c);
        /* dt from the weight w = steps x dt / 8760 (docs/model.md, "Sets and time") */
        int steps = c.dims[D_MONTH].n * c.dims[D_HOUR].n;
        c.weight = NAN;
        c.dt_h = 1.0;
        if (lm_results_find_scalar(res, "weight", &c.weight) == 0 && c.weight > 0 && steps > 0)
            c.dt_h = round(c.weight * 8760.0 / steps * 1e9) / 1e9;
        else if (steps > 0)
            lm_diag_warn(d, "run %lld has no scalar `weight`: TWh variables assume dt = 1 h",
                         (long long)run_id);
        for (size_t i = 0; i < sizeof table_vars / sizeof *table_vars; i++)
            add_table_var(&c, &table_vars[i]);
        add_carbon_v(&c);
        add_scalars(&c);
        ret = write_file(&c, path);
    }
    if (ret == 0 && sum) {
        struct stat stt;
        sum->run_id = run_id;
        sum->path = path;
        path = NULL;
        sum->bytes = stat(sum->path, &stt) == 0 ? (long long)stt.st_size : -1;
        sum->n_vars = c.n_vars;
        size_t len = 0;
        for (size_t i = 0; i < sizeof optional_tables / sizeof *optional_tables; i++)
            if (!lm_results_find(res, optional_tables[i]) && len < sizeof sum->skipped)
                len += (size_t)snprintf(sum->skipped + len, sizeof sum->skipped - len, "%s%s",
                                        len ? ", " : "", optional_tables[i]);
    }
    free(path);
    ctx_free(&c);
    lm_results_free(res);
    return ret;
}

void lm_netcdf_summary_free(lm_netcdf_summary *sum)
{
    if (!sum) return;
    free(sum->path);
    sum->path = NULL;
}
