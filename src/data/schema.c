/* schema.c - the schema of every dataset table and the generic header and value checker
 * (see schema.h).  The schema is data: adding a column or a table is one line here plus the
 * code in dataset.c that moves its values into lm_dataset, and a paragraph in
 * docs/dataset-format.md (a test checks that every table and column named here is
 * documented there). */
#include "data/schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

/* ---- the schema ---- */

#define REQ LM_COL_REQUIRED
#define KEY (LM_COL_REQUIRED | LM_COL_KEY)
#define OPT 0
#define NCOLS(...) ((int)(sizeof((lm_column_schema[]){__VA_ARGS__}) / sizeof(lm_column_schema)))
#define TABLE(id, name, presence, requires, ...) \
    [id] = {name, presence, requires, NCOLS(__VA_ARGS__), {__VA_ARGS__}}

/* Key columns shared by many tables. */
#define C_TECH {"tech", LM_COL_TECH, KEY, "-"}
#define C_ZONE {"zone", LM_COL_ZONE, KEY, "-"}
#define C_YEAR {"year", LM_COL_YEAR, KEY, "year"}
#define C_MONTH {"month", LM_COL_MONTH, KEY, "-"}
#define C_HOUR {"hour", LM_COL_HOUR, KEY, "-"}
#define C_FROM {"from_zone", LM_COL_ZONE, KEY, "-"}
#define C_TO {"to_zone", LM_COL_ZONE, KEY, "-"}
#define C_STATION {"station_id", LM_COL_STATION, KEY, "-"}

static const lm_table_schema SCHEMA[LM_N_TABLES] = {
    /* sets */
    TABLE(LM_T_TECH_TYPE, "tech_type", LM_TABLE_REQUIRED, NULL,
          {"tech", LM_COL_NAME, KEY, "-"}, {"tech_type", LM_COL_TECH_TYPE, REQ, "-"}),
    TABLE(LM_T_DISCOUNT_FACTOR, "discount_factor", LM_TABLE_REQUIRED, NULL,
          {"year", LM_COL_YEAR_DEF, KEY, "year"}, {"discount_rate", LM_COL_RATE, REQ, "1/yr"}),
    TABLE(LM_T_TECHNOLOGY_PORTFOLIO, "technology_portfolio", LM_TABLE_REQUIRED, NULL,
          {"zone", LM_COL_NAME, KEY, "-"}, C_TECH,
          {"existing_capacity_mw", LM_COL_NONNEG, REQ, "MW"}),
    TABLE(LM_T_DEMAND, "demand", LM_TABLE_REQUIRED, NULL, C_ZONE, C_YEAR,
          {"month", LM_COL_MONTH_DEF, KEY, "-"}, {"hour", LM_COL_HOUR_DEF, KEY, "-"},
          {"demand_mw", LM_COL_NONNEG, REQ, "MW"}),
    /* technologies */
    TABLE(LM_T_CAPACITY_FACTOR, "capacity_factor", LM_TABLE_REQUIRED, NULL, C_TECH, C_ZONE,
          C_MONTH, C_HOUR, {"capacity_factor", LM_COL_FRACTION, REQ, "fraction"}),
    TABLE(LM_T_TECHNOLOGY_INVESTMENT_COST, "technology_investment_cost", LM_TABLE_REQUIRED,
          NULL, C_TECH, C_YEAR, {"investment_cost_usd_per_mw", LM_COL_NONNEG, REQ, "USD/MW"}),
    TABLE(LM_T_TECHNOLOGY_FIX_COST, "technology_fix_cost", LM_TABLE_REQUIRED, NULL, C_TECH,
          C_YEAR, {"fixed_om_cost_usd_per_mw_yr", LM_COL_NONNEG, REQ, "USD/MW/yr"}),
    TABLE(LM_T_TECHNOLOGY_VARIABLE_COST, "technology_variable_cost", LM_TABLE_REQUIRED, NULL,
          C_TECH, C_YEAR, {"variable_om_cost_usd_per_mwh", LM_COL_NONNEG, REQ, "USD/MWh"}),
    TABLE(LM_T_FUEL_PRICE, "fuel_price", LM_TABLE_REQUIRED, NULL, C_TECH, C_YEAR,
          {"fuel_cost_usd_per_mwh", LM_COL_NONNEG, REQ, "USD/MWh"}),
    TABLE(LM_T_CARBON_CONTENT, "carbon_content", LM_TABLE_REQUIRED, NULL, C_TECH, C_YEAR,
          {"emission_factor_t_co2_per_mwh", LM_COL_NONNEG, REQ, "t CO2/MWh"}),
    TABLE(LM_T_EFFICIENCY, "efficiency", LM_TABLE_REQUIRED, NULL, C_TECH, C_YEAR,
          {"efficiency_fraction", LM_COL_FRACTION_POS, REQ, "fraction"}),
    TABLE(LM_T_LIFETIME, "lifetime", LM_TABLE_REQUIRED, NULL, C_TECH, C_YEAR,
          {"lifetime_years", LM_COL_POSITIVE, REQ, "yr"}),
    TABLE(LM_T_RAMP_UP, "ramp_up", LM_TABLE_REQUIRED, NULL, C_TECH,
          {"ramp_up_fraction_per_h", LM_COL_NONNEG, REQ, "1/h"}),
    TABLE(LM_T_RAMP_DOWN, "ramp_down", LM_TABLE_REQUIRED, NULL, C_TECH,
          {"ramp_down_fraction_per_h", LM_COL_NONNEG, REQ, "1/h"}),
    TABLE(LM_T_TECHNOLOGY_UPPER_BOUND, "technology_upper_bound", LM_TABLE_REQUIRED, NULL,
          C_ZONE, C_TECH, {"max_capacity_mw", LM_COL_NONNEG_INF, REQ, "MW"}),
    TABLE(LM_T_NEW_TECHNOLOGY_UPPER_BOUND, "new_technology_upper_bound", LM_TABLE_REQUIRED,
          NULL, C_ZONE, C_TECH, {"max_new_capacity_mw", LM_COL_NONNEG_INF, REQ, "MW"}),
    TABLE(LM_T_INIT_STORAGE_LEVEL, "init_storage_level", LM_TABLE_REQUIRED, NULL, C_ZONE,
          C_TECH, {"initial_storage_fraction", LM_COL_FRACTION, REQ, "fraction"}),
    TABLE(LM_T_STORAGE_RATIO, "storage_ratio", LM_TABLE_REQUIRED, NULL, C_ZONE, C_TECH,
          {"energy_to_power_ratio_h", LM_COL_NONNEG, REQ, "h"}),
    /* transmission */
    TABLE(LM_T_TRANSLINE, "transline", LM_TABLE_REQUIRED, NULL, C_FROM, C_TO,
          {"existing_capacity_mw", LM_COL_NONNEG, REQ, "MW"}),
    TABLE(LM_T_TRANSLINE_EFFICIENCY, "transline_efficiency", LM_TABLE_REQUIRED, NULL, C_FROM,
          C_TO, {"efficiency_fraction", LM_COL_FRACTION_POS, REQ, "fraction"}),
    TABLE(LM_T_DISTANCE, "distance", LM_TABLE_REQUIRED, NULL, C_FROM, C_TO,
          {"distance_km", LM_COL_POSITIVE, REQ, "km"}),
    TABLE(LM_T_TRANSLINE_INVESTMENT_COST, "transline_investment_cost", LM_TABLE_REQUIRED, NULL,
          C_FROM, C_TO, {"investment_cost_usd_per_mw_km", LM_COL_NONNEG, REQ, "USD/MW/km"}),
    TABLE(LM_T_TRANSLINE_FIX_COST, "transline_fix_cost", LM_TABLE_REQUIRED, NULL, C_FROM, C_TO,
          {"fixed_om_cost_usd_per_mw_yr", LM_COL_NONNEG, REQ, "USD/MW/yr"}),
    TABLE(LM_T_TRANSLINE_VARIABLE_COST, "transline_variable_cost", LM_TABLE_REQUIRED, NULL,
          C_FROM, C_TO, {"variable_cost_usd_per_mwh", LM_COL_NONNEG, REQ, "USD/MWh"}),
    TABLE(LM_T_TRANSMISSION_LINE_LIFETIME, "transmission_line_lifetime", LM_TABLE_REQUIRED,
          NULL, C_FROM, C_TO, {"lifetime_years", LM_COL_POSITIVE, REQ, "yr"}),
    /* optional */
    TABLE(LM_T_AGE, "age", LM_TABLE_OPTIONAL, NULL, C_ZONE, C_TECH,
          {"age_years", LM_COL_AGE, KEY, "yr"}, {"capacity_mw", LM_COL_NONNEG, REQ, "MW"}),
    TABLE(LM_T_NEW_TECHNOLOGY_LOWER_BOUND, "new_technology_lower_bound", LM_TABLE_OPTIONAL,
          NULL, C_ZONE, C_TECH, {"min_new_capacity_mw", LM_COL_NONNEG, REQ, "MW"}),
    TABLE(LM_T_CARBON_CAP, "carbon_cap", LM_TABLE_OPTIONAL, NULL, C_YEAR,
          {"carbon_cap_t_co2", LM_COL_NONNEG_INF, REQ, "t CO2/yr"}),
    TABLE(LM_T_TRANSLINE_LIMIT, "transline_limit", LM_TABLE_OPTIONAL, NULL, C_FROM, C_TO,
          {"max_new_capacity_mw", LM_COL_NONNEG_INF, REQ, "MW"}),
    TABLE(LM_T_HYDROPOWER, "hydropower", LM_TABLE_OPTIONAL, NULL, C_TECH, C_ZONE, C_MONTH,
          C_HOUR, {"hydro_output_mw", LM_COL_NONNEG, REQ, "MW"}),
    /* hydropower stations */
    TABLE(LM_T_HYDRO_STATIC, "hydro_static", LM_TABLE_OPTIONAL, NULL,
          {"station_id", LM_COL_ID, KEY, "-"}, {"station_name", LM_COL_TEXT, OPT, "-"},
          {"zone", LM_COL_ZONE, REQ, "-"}, {"longitude_deg", LM_COL_LON, OPT, "deg"},
          {"latitude_deg", LM_COL_LAT, OPT, "deg"},
          {"installed_capacity_mw", LM_COL_NONNEG, REQ, "MW"},
          {"max_output_mw", LM_COL_NONNEG, REQ, "MW"}, {"min_output_mw", LM_COL_NONNEG, OPT, "MW"},
          {"max_outflow_m3s", LM_COL_NONNEG, REQ, "m3/s"},
          {"max_generation_flow_m3s", LM_COL_NONNEG, OPT, "m3/s"},
          {"min_outflow_m3s", LM_COL_NONNEG, OPT, "m3/s"}, {"head_m", LM_COL_NONNEG, REQ, "m"},
          {"output_coefficient", LM_COL_NONNEG, REQ, "kW/(m3/s*m)"},
          {"commissioning_year", LM_COL_INT, REQ, "year"},
          {"is_existing_2020", LM_COL_BOOL, OPT, "-"},
          {"investment_cost_usd", LM_COL_NONNEG, OPT, "USD"},
          {"operation_mode", LM_COL_OPMODE, REQ, "-"}),
    TABLE(LM_T_HYDRO_CONNECT, "hydro_connect", LM_TABLE_OPTIONAL, "hydro_static",
          {"upstream_station_id", LM_COL_STATION, KEY, "-"},
          {"downstream_station_id", LM_COL_STATION, KEY, "-"},
          {"travel_delay_h", LM_COL_NONNEG, REQ, "h"}),
    TABLE(LM_T_INFLOW, "inflow", LM_TABLE_WITH_STATIONS, "hydro_static", C_STATION, C_MONTH,
          C_HOUR, {"inflow_m3s", LM_COL_NONNEG, REQ, "m3/s"}),
    TABLE(LM_T_STORAGE_UPBOUND, "storage_upbound", LM_TABLE_WITH_STATIONS, "hydro_static",
          C_STATION, C_MONTH, C_HOUR, {"storage_max_1e8m3", LM_COL_NONNEG, REQ, "1e8 m3"}),
    TABLE(LM_T_STORAGE_DOWNBOUND, "storage_downbound", LM_TABLE_WITH_STATIONS, "hydro_static",
          C_STATION, C_MONTH, C_HOUR, {"storage_min_1e8m3", LM_COL_NONNEG, REQ, "1e8 m3"}),
    /* sediment */
    TABLE(LM_T_RIVER_SEDIMENT, "river_sediment", LM_TABLE_OPTIONAL, NULL,
          {"node_id", LM_COL_ID, OPT, "-"}, {"from_node", LM_COL_ID, KEY, "-"},
          {"to_node", LM_COL_ID, REQ, "-"}, {"sediment_in_t_per_yr", LM_COL_NONNEG, OPT, "t/yr"},
          {"sediment_out_t_per_yr", LM_COL_NONNEG, OPT, "t/yr"},
          {"deposition_fraction", LM_COL_FRACTION, REQ, "fraction"},
          {"q_undocumented_unit", LM_COL_NUMBER, OPT, "?"}, {"area_km2", LM_COL_NONNEG, OPT, "km2"},
          {"specific_yield_t_per_ha_yr", LM_COL_NONNEG, OPT, "t/ha/yr"},
          {"sediment_yield_mt_per_yr", LM_COL_NONNEG, REQ, "Mt/yr"}),
    TABLE(LM_T_RESERVOIR_SEDIMENT_TRAP, "reservoir_sediment_trap", LM_TABLE_OPTIONAL,
          "river_sediment", {"source_row_index", LM_COL_INT, OPT, "-"},
          {"station_id", LM_COL_REACH, KEY, "-"}, {"station_name", LM_COL_TEXT, OPT, "-"},
          {"country_iso3", LM_COL_TEXT, OPT, "-"},
          {"trap_efficiency_fraction", LM_COL_FRACTION, REQ, "fraction"},
          {"ci_undocumented", LM_COL_NUMBER, OPT, "?"}),
    /* national targets (NDCs), read by the carbon plan (src/assess/carbon_plan.c).  Columns
     * that may say NA, and the enumerations, are text here and checked in dataset.c, whose
     * rules depend on the row's baseline kind. */
    TABLE(LM_T_NDC_TARGETS, "ndc_targets", LM_TABLE_OPTIONAL, NULL,
          {"country", LM_COL_NAME, KEY, "-"}, {"zone", LM_COL_TEXT, OPT, "-"},
          {"target_type", LM_COL_TEXT, KEY, "-"}, {"baseline", LM_COL_TEXT, KEY, "-"},
          {"base_year", LM_COL_TEXT, OPT, "year"},
          {"target_year", LM_COL_YEAR_DEF, KEY, "year"},
          {"reduction_pct", LM_COL_TEXT, REQ, "%"},
          {"base_year_mt", LM_COL_TEXT, OPT, "Mt CO2/yr"},
          {"sector_scope", LM_COL_TEXT, OPT, "-"},
          {"neutrality_year", LM_COL_TEXT, REQ, "year"},
          {"source_id", LM_COL_TEXT, OPT, "-"}),
    /* declared project data, one fact per row, read and checked by src/assess/declared.c
     * (the rules depend on the attribute, so every column is text here) */
    TABLE(LM_T_PROJECTS_DECLARED, "projects_declared", LM_TABLE_OPTIONAL, NULL,
          {"project_id", LM_COL_TEXT, REQ, "-"}, {"attribute", LM_COL_TEXT, REQ, "-"},
          {"value", LM_COL_TEXT, REQ, "-"}, {"source_id", LM_COL_TEXT, OPT, "-"},
          {"note", LM_COL_TEXT, OPT, "-"}),
};

const lm_table_schema *lm_schema_table(int id)
{
    return id >= 0 && id < LM_N_TABLES ? &SCHEMA[id] : NULL;
}

int lm_schema_find(const char *name)
{
    for (int i = 0; i < LM_N_TABLES; i++)
        if (strcmp(SCHEMA[i].name, name) == 0) return i;
    return -1;
}

int lm_schema_col(const lm_table_schema *s, const char *name)
{
    for (int c = 0; c < s->n_cols; c++)
        if (strcmp(s->cols[c].name, name) == 0) return c;
    return -1;
}

int lm_schema_unit_equal(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '\t') a++;
        while (*b == ' ' || *b == '\t') b++;
        if (!*a || !*b) return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++;
        b++;
    }
}

int lm_id_lookup(const lm_id_index *a, int n, long id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid].id == id) return a[mid].index;
        if (a[mid].id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* ---- binding a header ---- */

/* "a, b, c (optional: d, e)" - the columns of a table, for messages. */
static const char *file_name_of(const lm_table_schema *s, char *const *renames, int c);

/* Names are those expected in the file (after the manifest's renames). */
static void describe_columns(const lm_table_schema *s, char *const *renames, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (int pass = 0; pass < 2; pass++) {
        int first = 1;
        for (int c = 0; c < s->n_cols; c++) {
            int req = (s->cols[c].flags & LM_COL_REQUIRED) != 0;
            if (req != (pass == 0)) continue;
            if (pass == 1 && first && len < n)
                len += (size_t)snprintf(buf + len, n - len, " (optional: ");
            if (len < n)
                len += (size_t)snprintf(buf + len, n - len, "%s%s", first ? "" : ", ",
                                        file_name_of(s, renames, c));
            first = 0;
        }
        if (pass == 1 && !first && len < n) len += (size_t)snprintf(buf + len, n - len, ")");
    }
}

static const char *file_name_of(const lm_table_schema *s, char *const *renames, int c)
{
    return renames && renames[c] ? renames[c] : s->cols[c].name;
}

int lm_table_bind(lm_table *t, const lm_table_schema *s, const lm_csv *csv,
                  char *const *renames, lm_diag *d)
{
    memset(t, 0, sizeof *t);
    t->schema = s;
    t->csv = csv;
    t->file = csv->path;
    t->n_rows = csv->n_rows;
    for (int c = 0; c < LM_SCHEMA_MAX_COLS; c++) t->col[c] = -1;
    int errors = 0;
    char cols[1024];
    describe_columns(s, renames, cols, sizeof cols);
    for (int h = 0; h < csv->n_cols; h++) {
        int found = -1;
        for (int c = 0; c < s->n_cols && found < 0; c++)
            if (strcmp(csv->header[h], file_name_of(s, renames, c)) == 0) found = c;
        if (found < 0) {
            lm_diag_at(d, csv->path, csv->header_line, csv->header[h], NULL,
                       "unknown column; table %s has columns %s", s->name, cols);
            errors++;
        } else if (t->col[found] >= 0) {
            lm_diag_at(d, csv->path, csv->header_line, csv->header[h], NULL,
                       "column appears twice (fields %d and %d)", t->col[found] + 1, h + 1);
            errors++;
        } else {
            t->col[found] = h;
        }
    }
    for (int c = 0; c < s->n_cols; c++) {
        if (!(s->cols[c].flags & LM_COL_REQUIRED) || t->col[c] >= 0) continue;
        if (renames && renames[c])
            lm_diag_at(d, csv->path, csv->header_line, NULL, NULL,
                       "missing required column \"%s\" (lmplan column %s, renamed in the "
                       "manifest); table %s has columns %s",
                       renames[c], s->cols[c].name, s->name, cols);
        else
            lm_diag_at(d, csv->path, csv->header_line, NULL, NULL,
                       "missing required column \"%s\"; table %s has columns %s",
                       s->cols[c].name, s->name, cols);
        errors++;
    }
    return errors ? -1 : 0;
}

/* ---- checking values ---- */

static int needs_set(int kind, const lm_schema_ctx *x)
{
    switch (kind) {
    case LM_COL_ZONE: return x->n_zones > 0;
    case LM_COL_TECH: return x->n_techs > 0;
    case LM_COL_YEAR: return x->n_years > 0;
    case LM_COL_MONTH:
    case LM_COL_HOUR: return x->n_months > 0 && x->n_hours > 0;
    case LM_COL_STATION: return x->n_stations > 0;
    case LM_COL_REACH: return x->n_reaches > 0;
    default: return 1;
    }
}

int lm_table_sets_known(const lm_table *t, const lm_schema_ctx *ctx)
{
    for (int c = 0; c < t->schema->n_cols; c++)
        if (t->col[c] >= 0 && !needs_set(t->schema->cols[c].kind, ctx)) return 0;
    return 1;
}

const char *lm_table_text(const lm_table *t, int c, int r)
{
    return t->col[c] >= 0 ? lm_csv_cell(t->csv, r, t->col[c]) : "";
}

const char *lm_table_colname(const lm_table *t, int c)
{
    return t->col[c] >= 0 ? t->csv->header[t->col[c]] : t->schema->cols[c].name;
}

static int is_number_kind(int kind)
{
    return kind >= LM_COL_NUMBER;
}

/* The rule a value of this kind must follow, for messages. */
static const char *rule_of(int kind)
{
    switch (kind) {
    case LM_COL_NAME: return "must be a non-empty name";
    case LM_COL_TECH_TYPE: return "must be one of dispatchable, nondispatchable, storage, hydro";
    case LM_COL_YEAR_DEF: return "must be an integer year 1000..9999";
    case LM_COL_MONTH_DEF: return "must be a month 1..12";
    case LM_COL_HOUR_DEF: return "must be an hour 1..8784";
    case LM_COL_AGE: return "must be an integer age >= 1";
    case LM_COL_ID: return "must be an integer id";
    case LM_COL_INT: return "must be an integer";
    case LM_COL_BOOL: return "must be 0 or 1";
    case LM_COL_OPMODE: return "must be 0 (seasonal), 1 (daily) or 2 (run-of-river)";
    case LM_COL_NUMBER: return "must be a finite number";
    case LM_COL_NONNEG: return "must be a number >= 0";
    case LM_COL_NONNEG_INF: return "must be a number >= 0 or inf";
    case LM_COL_POSITIVE: return "must be a number > 0";
    case LM_COL_FRACTION: return "must be a fraction in [0, 1]";
    case LM_COL_FRACTION_POS: return "must be a fraction in (0, 1]";
    case LM_COL_RATE: return "must be a rate in [0, 1)";
    case LM_COL_LON: return "must be a longitude in [-180, 180] degrees";
    case LM_COL_LAT: return "must be a latitude in [-90, 90] degrees";
    default: return "invalid";
    }
}

enum { NUM_OK, NUM_EMPTY, NUM_NAN, NUM_INF, NUM_BAD, NUM_RANGE };

/* strtod plus a classification, so that each failure gets its own message. */
static int parse_number(const char *s, double *v)
{
    if (!*s) return NUM_EMPTY;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end) return NUM_BAD;
    if (isnan(x)) return NUM_NAN;
    if (isinf(x)) {
        /* strtod also returns inf, with ERANGE, for a finite number too large for a double */
        if (errno == ERANGE) return NUM_RANGE;
        *v = x;
        return NUM_INF;
    }
    *v = x;
    return NUM_OK;
}

/* "a, b, c" of at most ~12 names, for messages. */
static void list_names(char *const *names, int n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n && len < size; i++) {
        if (i == 12) {
            snprintf(buf + len, size - len, ", ... (%d in all)", n);
            return;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", names[i]);
    }
}

static void list_ints(const int *v, int n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n && len < size; i++) {
        if (i == 24) {
            snprintf(buf + len, size - len, ", ...");
            return;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? ", " : "", v[i]);
    }
}

/* Check one cell; store its value; 0 if valid, -1 after recording an error. */
static int check_cell(lm_table *t, int c, int r, const lm_schema_ctx *x, lm_diag *d)
{
    const lm_column_schema *cs = &t->schema->cols[c];
    const char *v = lm_table_text(t, c, r);
    const char *col = lm_table_colname(t, c);
    long line = t->csv->line[r];
    const char *file = t->file;
    char list[512];
    long iv;

    if (is_number_kind(cs->kind)) {
        double x0 = NAN;
        int st = parse_number(v, &x0);
        const char *rule = rule_of(cs->kind);
        t->num[c][r] = NAN;
        switch (st) {
        case NUM_EMPTY: lm_diag_at(d, file, line, col, v, "empty field; %s", rule); return -1;
        case NUM_NAN: lm_diag_at(d, file, line, col, v, "NaN is not allowed; %s", rule); return -1;
        case NUM_BAD: lm_diag_at(d, file, line, col, v, "not a number; %s", rule); return -1;
        case NUM_RANGE:
            lm_diag_at(d, file, line, col, v, "number too large for a double; %s", rule);
            return -1;
        case NUM_INF:
            if (cs->kind == LM_COL_NONNEG_INF && x0 > 0) break;
            lm_diag_at(d, file, line, col, v, "%s is not allowed here; %s",
                       x0 > 0 ? "inf" : "-inf", rule);
            return -1;
        default: break;
        }
        int ok = 1;
        switch (cs->kind) {
        case LM_COL_NONNEG:
        case LM_COL_NONNEG_INF: ok = x0 >= 0; break;
        case LM_COL_POSITIVE: ok = x0 > 0; break;
        case LM_COL_FRACTION: ok = x0 >= 0 && x0 <= 1; break;
        case LM_COL_FRACTION_POS: ok = x0 > 0 && x0 <= 1; break;
        case LM_COL_RATE: ok = x0 >= 0 && x0 < 1; break;
        case LM_COL_LON: ok = x0 >= -180 && x0 <= 180; break;
        case LM_COL_LAT: ok = x0 >= -90 && x0 <= 90; break;
        default: break;
        }
        if (!ok) {
            lm_diag_at(d, file, line, col, v, "%s", rule);
            return -1;
        }
        t->num[c][r] = x0 == 0 ? 0.0 : x0; /* no -0 in the data */
        return 0;
    }

    if (t->ival[c]) t->ival[c][r] = LM_IVAL_INVALID;
    switch (cs->kind) {
    case LM_COL_TEXT: return 0;
    case LM_COL_NAME:
        if (*v) return 0;
        lm_diag_at(d, file, line, col, v, "%s", rule_of(cs->kind));
        return -1;
    case LM_COL_ZONE: {
        int z = lm_find_name(x->zones, x->n_zones, v);
        if (z >= 0) {
            t->ival[c][r] = z;
            return 0;
        }
        list_names(x->zones, x->n_zones, list, sizeof list);
        lm_diag_at(d, file, line, col, v, "unknown zone; zones (from %s): %s", x->zones_file,
                   list);
        return -1;
    }
    case LM_COL_TECH: {
        int k = lm_find_name(x->techs, x->n_techs, v);
        if (k >= 0) {
            t->ival[c][r] = k;
            return 0;
        }
        list_names(x->techs, x->n_techs, list, sizeof list);
        lm_diag_at(d, file, line, col, v, "unknown technology; technologies (from %s): %s",
                   x->techs_file, list);
        return -1;
    }
    case LM_COL_TECH_TYPE: {
        static const char *const types[] = {"dispatchable", "nondispatchable", "storage", "hydro"};
        for (int i = 0; i < 4; i++)
            if (strcmp(v, types[i]) == 0) {
                t->ival[c][r] = i;
                return 0;
            }
        lm_diag_at(d, file, line, col, v, "%s", rule_of(cs->kind));
        return -1;
    }
    default: break;
    }

    /* integer kinds */
    if (lm_parse_int(v, &iv) != 0) {
        lm_diag_at(d, file, line, col, v, "%s; %s", *v ? "not an integer" : "empty field",
                   cs->kind == LM_COL_YEAR      ? "must be a dataset year"
                   : cs->kind == LM_COL_MONTH   ? "must be a representative month"
                   : cs->kind == LM_COL_HOUR    ? "must be an hour of the representative day"
                   : cs->kind == LM_COL_STATION ? "must be a station id"
                   : cs->kind == LM_COL_REACH   ? "must be a river reach id"
                                                : rule_of(cs->kind));
        return -1;
    }
    switch (cs->kind) {
    case LM_COL_YEAR_DEF:
        if (iv < 1000 || iv > 9999) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_MONTH_DEF:
        if (iv < 1 || iv > 12) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_HOUR_DEF:
        if (iv < 1 || iv > 8784) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_AGE:
        if (iv < 1) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_BOOL:
        if (iv != 0 && iv != 1) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_OPMODE:
        if (iv < 0 || iv > 2) break;
        t->ival[c][r] = iv;
        return 0;
    case LM_COL_ID:
    case LM_COL_INT: t->ival[c][r] = iv; return 0;
    case LM_COL_YEAR:
        for (int y = 0; y < x->n_years; y++)
            if (x->years[y] == iv) {
                t->ival[c][r] = y;
                return 0;
            }
        list_ints(x->years, x->n_years, list, sizeof list);
        lm_diag_at(d, file, line, col, v, "not a dataset year; years (from %s): %s",
                   x->years_file, list);
        return -1;
    case LM_COL_MONTH:
        for (int m = 0; m < x->n_months; m++)
            if (x->months[m] == iv) {
                t->ival[c][r] = iv;
                return 0;
            }
        list_ints(x->months, x->n_months, list, sizeof list);
        lm_diag_at(d, file, line, col, v,
                   "not a representative month of the dataset; months (from %s): %s",
                   x->time_file, list);
        return -1;
    case LM_COL_HOUR:
        if (iv >= 1 && iv <= x->n_hours) {
            t->ival[c][r] = iv;
            return 0;
        }
        lm_diag_at(d, file, line, col, v, "must be an hour 1..%d (hours from %s)", x->n_hours,
                   x->time_file);
        return -1;
    case LM_COL_STATION: {
        int s = lm_id_lookup(x->stations, x->n_stations, iv);
        if (s >= 0) {
            t->ival[c][r] = s;
            return 0;
        }
        lm_diag_at(d, file, line, col, v, "unknown station id (not a station_id of %s)",
                   x->stations_file);
        return -1;
    }
    case LM_COL_REACH: {
        int s = lm_id_lookup(x->reaches, x->n_reaches, iv);
        if (s >= 0) {
            t->ival[c][r] = s;
            return 0;
        }
        lm_diag_at(d, file, line, col, v, "unknown river reach id (not a from_node of %s)",
                   x->reaches_file);
        return -1;
    }
    default: break;
    }
    lm_diag_at(d, file, line, col, v, "%s", rule_of(cs->kind));
    return -1;
}

int lm_table_check(lm_table *t, const lm_schema_ctx *ctx, lm_diag *d)
{
    const lm_table_schema *s = t->schema;
    size_t n = (size_t)(t->n_rows ? t->n_rows : 1);
    for (int c = 0; c < s->n_cols; c++) {
        if (t->col[c] < 0) continue;
        int kind = s->cols[c].kind;
        if (is_number_kind(kind)) t->num[c] = lm_xmalloc(n * sizeof(double));
        else if (kind != LM_COL_TEXT && kind != LM_COL_NAME)
            t->ival[c] = lm_xmalloc(n * sizeof(long));
    }
    t->state = lm_xcalloc(n, 1);
    t->n_key_errors = t->n_value_errors = 0;
    for (int r = 0; r < t->n_rows; r++) {
        /* Rows naming a technology the manifest says to ignore are skipped whole, before any
         * other cell is judged: they are known foreign data (e.g. HPS in the Xu tables). */
        int ignored = 0;
        for (int c = 0; c < s->n_cols && !ignored; c++) {
            if (t->col[c] < 0 || s->cols[c].kind != LM_COL_TECH) continue;
            const char *v = lm_table_text(t, c, r);
            if (lm_find_name(ctx->ignore_techs, ctx->n_ignore_techs, v) >= 0 &&
                lm_find_name(ctx->techs, ctx->n_techs, v) < 0)
                ignored = 1;
        }
        if (ignored) {
            t->state[r] = LM_ROW_IGNORED;
            continue;
        }
        int bad_key = 0, bad_value = 0;
        for (int c = 0; c < s->n_cols; c++) {
            if (t->col[c] < 0) continue;
            if (check_cell(t, c, r, ctx, d) != 0) {
                if (s->cols[c].flags & LM_COL_KEY) bad_key = 1;
                else bad_value = 1;
            }
        }
        t->state[r] = bad_key ? LM_ROW_BAD_KEY : bad_value ? LM_ROW_BAD_VALUE : LM_ROW_OK;
        if (bad_key) t->n_key_errors++;
        else if (bad_value) t->n_value_errors++;
    }
    return t->n_key_errors || t->n_value_errors ? -1 : 0;
}

void lm_table_free(lm_table *t)
{
    if (!t) return;
    for (int c = 0; c < LM_SCHEMA_MAX_COLS; c++) {
        free(t->num[c]);
        free(t->ival[c]);
    }
    free(t->state);
    memset(t, 0, sizeof *t);
}
