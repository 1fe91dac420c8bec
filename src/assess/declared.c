/* declared.c - read and validate the declared project data table (see declared.h).
 *
 * The table is tidy: `project_id,attribute,value[,source_id][,note]`, one fact per row.  The
 * attributes are data (ATTRS below): name with its unit, kind of value and range, and the rule
 * a message quotes.  Checking goes in three passes: the header against the schema
 * (src/data/schema.c, table projects_declared); every row (project id, attribute, value,
 * duplicates), reporting every error with file:line:column; then the rules between the facts of
 * one project (max depth not below mean depth, river area inside the reservoir, land-use shares
 * summing to at most 100 %, no future commissioning date for a dam stated as existing).
 *
 * Where the attributes come from: the measurable indicators of UNEP (2022) International Good
 * Practice Principles for Sustainable Infrastructure that the planning model cannot compute
 * (../shared/research/anchors.md section 1.3: people resettled, EIA/SEA disclosure, MRC PNPCA
 * prior consultation, local jobs, e-flow compliance), the reservoir and catchment inputs of the
 * G-res tool (Prairie et al. 2021, see ghg.c) and of the IPCC 2019 Refinement Tier 1 method,
 * and the barrier passabilities of the Dendritic Connectivity Index (Cote et al. 2009, see
 * fish.c). */
#include "assess/declared.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "assess/ghg.h"
#include "core/util.h"
#include "data/csv.h"
#include "data/schema.h"

enum { K_NUM, K_STATUS, K_DATE, K_BOOL, K_MONTHLY, K_CLIMATE };

typedef struct attr_def {
    const char *name;
    int kind;
    double lo, hi;       /* K_NUM / K_MONTHLY: allowed range */
    int lo_open;         /* 1: value must be > lo */
    const char *unit;
    const char *rule;    /* quoted in messages */
} attr_def;

#define INF INFINITY
static const attr_def ATTRS[LM_DA_N] = {
    [LM_DA_STATUS] = {"status", K_STATUS, 0, 0, 0, "-",
                      "must be one of existing, under_construction, planned, cancelled or unknown"},
    [LM_DA_COMMISSIONING_DATE] = {"commissioning_date", K_DATE, 1850, 2150, 0, "date",
                                  "must be a date YYYY, YYYY-MM or YYYY-MM-DD (1850..2150) or unknown"},
    [LM_DA_PEOPLE_RESETTLED] = {"people_resettled", K_NUM, 0, INF, 0, "persons",
                                "must be a number of persons >= 0 or unknown"},
    [LM_DA_EIA_DISCLOSED] = {"eia_disclosed", K_BOOL, 0, 0, 0, "-", "must be yes, no or unknown"},
    [LM_DA_SEA_COVERED] = {"sea_covered", K_BOOL, 0, 0, 0, "-", "must be yes, no or unknown"},
    [LM_DA_TRANSBOUNDARY_CONSULTATION_DONE] = {"transboundary_consultation_done", K_BOOL, 0, 0, 0,
                                               "-", "must be yes, no or unknown"},
    [LM_DA_LOCAL_JOBS] = {"local_jobs", K_NUM, 0, INF, 0, "jobs",
                          "must be a number of jobs >= 0 or unknown"},
    [LM_DA_EFLOW_COMPLIANCE_PCT] = {"eflow_compliance_pct", K_NUM, 0, 100, 0, "%",
                                    "must be a percentage in [0, 100] or unknown"},
    [LM_DA_RESERVOIR_AREA_KM2] = {"reservoir_area_km2", K_NUM, 0, INF, 1, "km2",
                                  "must be an area > 0 km2 or unknown"},
    [LM_DA_RESERVOIR_VOLUME_HM3] = {"reservoir_volume_hm3", K_NUM, 0, INF, 1, "hm3",
                                    "must be a volume > 0 hm3 (1e6 m3) or unknown"},
    [LM_DA_MEAN_DEPTH_M] = {"mean_depth_m", K_NUM, 0, INF, 1, "m",
                            "must be a depth > 0 m or unknown"},
    [LM_DA_MAX_DEPTH_M] = {"max_depth_m", K_NUM, 0, INF, 1, "m", "must be a depth > 0 m or unknown"},
    [LM_DA_DAM_HEIGHT_M] = {"dam_height_m", K_NUM, 0, INF, 1, "m",
                            "must be a height > 0 m or unknown"},
    [LM_DA_RIVER_AREA_BEFORE_KM2] = {"river_area_before_km2", K_NUM, 0, INF, 0, "km2",
                                     "must be an area >= 0 km2 or unknown"},
    [LM_DA_CATCHMENT_AREA_KM2] = {"catchment_area_km2", K_NUM, 0, INF, 1, "km2",
                                  "must be an area > 0 km2 or unknown"},
    [LM_DA_CATCHMENT_FOREST_PCT] = {"catchment_forest_pct", K_NUM, 0, 100, 0, "%",
                                    "must be a percentage in [0, 100] or unknown"},
    [LM_DA_CATCHMENT_CROPLAND_PCT] = {"catchment_cropland_pct", K_NUM, 0, 100, 0, "%",
                                      "must be a percentage in [0, 100] or unknown"},
    [LM_DA_CATCHMENT_GRASSLAND_PCT] = {"catchment_grassland_pct", K_NUM, 0, 100, 0, "%",
                                       "must be a percentage in [0, 100] or unknown"},
    [LM_DA_CATCHMENT_URBAN_PCT] = {"catchment_urban_pct", K_NUM, 0, 100, 0, "%",
                                   "must be a percentage in [0, 100] or unknown"},
    [LM_DA_CATCHMENT_WETLAND_PCT] = {"catchment_wetland_pct", K_NUM, 0, 100, 0, "%",
                                     "must be a percentage in [0, 100] or unknown"},
    [LM_DA_CATCHMENT_BARE_PCT] = {"catchment_bare_pct", K_NUM, 0, 100, 0, "%",
                                  "must be a percentage in [0, 100] or unknown"},
    [LM_DA_SOIL_CARBON_KG_M2] = {"soil_carbon_kg_m2", K_NUM, 0, INF, 0, "kg C/m2",
                                 "must be a number >= 0 kg C/m2 or unknown"},
    [LM_DA_INFLOW_TP_UG_L] = {"inflow_tp_ug_l", K_NUM, 0, INF, 1, "ug/L",
                              "must be a concentration > 0 ug/L or unknown"},
    [LM_DA_AIR_TEMP_MEAN_C] = {"air_temp_mean_c", K_NUM, -60, 50, 0, "C",
                               "must be a temperature in [-60, 50] C or unknown"},
    [LM_DA_AIR_TEMP_MONTHLY_C] = {"air_temp_monthly_c", K_MONTHLY, -60, 50, 0, "C",
                                  "must be 12 temperatures in [-60, 50] C separated by ';' "
                                  "(January first) or unknown"},
    [LM_DA_GHI_KWH_M2_D] = {"ghi_kwh_m2_d", K_NUM, 0, 12, 1, "kWh/m2/d",
                            "must be an irradiance in (0, 12] kWh/m2/d or unknown"},
    [LM_DA_INTAKE_DEPTH_M] = {"intake_depth_m", K_NUM, 0, INF, 0, "m",
                              "must be a depth >= 0 m or unknown"},
    [LM_DA_MEAN_DISCHARGE_M3S] = {"mean_discharge_m3s", K_NUM, 0, INF, 1, "m3/s",
                                  "must be a discharge > 0 m3/s or unknown"},
    [LM_DA_ANNUAL_GENERATION_GWH] = {"annual_generation_gwh", K_NUM, 0, INF, 0, "GWh/yr",
                                     "must be an energy >= 0 GWh/yr or unknown"},
    [LM_DA_CLIMATE_ZONE_IPCC] = {"climate_zone_ipcc", K_CLIMATE, 0, 0, 0, "-",
                                 "must be one of boreal, cool_temperate, warm_temperate_dry, "
                                 "warm_temperate_moist, tropical_dry_montane, tropical_moist_wet "
                                 "or unknown"},
    [LM_DA_PREIMPOUNDMENT_G_M2_YR] = {"preimpoundment_g_m2_yr", K_NUM, -INF, INF, 0,
                                      "g CO2e/m2/yr", "must be a finite number or unknown"},
    [LM_DA_FISH_PASSAGE] = {"fish_passage", K_BOOL, 0, 0, 0, "-", "must be yes, no or unknown"},
    [LM_DA_FISH_PASSABILITY_UP] = {"fish_passability_up", K_NUM, 0, 1, 0, "fraction",
                                   "must be a fraction in [0, 1] or unknown"},
    [LM_DA_FISH_PASSABILITY_DOWN] = {"fish_passability_down", K_NUM, 0, 1, 0, "fraction",
                                     "must be a fraction in [0, 1] or unknown"},
};

static const char *const STATUS[] = {"existing", "under_construction", "planned", "cancelled"};

const char *lm_declared_attr_name(int a) { return a >= 0 && a < LM_DA_N ? ATTRS[a].name : "?"; }
const char *lm_declared_attr_unit(int a) { return a >= 0 && a < LM_DA_N ? ATTRS[a].unit : "?"; }

int lm_declared_attr_find(const char *name)
{
    for (int a = 0; a < LM_DA_N; a++)
        if (strcmp(ATTRS[a].name, name) == 0) return a;
    return -1;
}

/* ---- values ---- */

static int is_unknown(const char *v) { return strcasecmp(v, "unknown") == 0; }

static int days_in_month(int y, int m)
{
    static const int D[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return D[m - 1];
}

/* YYYY, YYYY-MM or YYYY-MM-DD; 0 on success. */
static int parse_date(const char *v, int *y, int *m, int *d)
{
    int n = (int)strlen(v);
    *m = *d = 0;
    if (n != 4 && n != 7 && n != 10) return -1;
    for (int i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? v[i] != '-' : !isdigit((unsigned char)v[i])) return -1;
    }
    *y = atoi(v);
    if (n >= 7) *m = atoi(v + 5);
    if (n == 10) *d = atoi(v + 8);
    if (n >= 7 && (*m < 1 || *m > 12)) return -1;
    if (n == 10 && (*d < 1 || *d > days_in_month(*y, *m))) return -1;
    return 0;
}

/* Convert one value; 0 and *out, or -1 (the rule of the attribute is broken). */
static int convert(int a, const char *v, double *out, double *monthly, int *mon, int *day)
{
    const attr_def *ad = &ATTRS[a];
    switch (ad->kind) {
    case K_STATUS:
        for (int i = 0; i < 4; i++)
            if (strcmp(v, STATUS[i]) == 0) {
                *out = i;
                return 0;
            }
        return -1;
    case K_BOOL:
        if (strcasecmp(v, "yes") == 0) *out = 1;
        else if (strcasecmp(v, "no") == 0) *out = 0;
        else return -1;
        return 0;
    case K_CLIMATE: {
        int z = lm_ipcc_climate_find(v);
        if (z < 0) return -1;
        *out = z;
        return 0;
    }
    case K_DATE: {
        int y, m, d;
        if (parse_date(v, &y, &m, &d) != 0 || y < ad->lo || y > ad->hi) return -1;
        *mon = m;
        *day = d;
        *out = y + (m ? (m - 1) / 12.0 : 0) + (d ? (d - 1) / 365.0 : 0);
        return 0;
    }
    case K_MONTHLY: {
        double s = 0;
        const char *p = v;
        for (int i = 0; i < 12; i++) {
            const char *e = strchr(p, ';');
            if ((i < 11) != (e != NULL)) return -1;
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char buf[64];
            if (len == 0 || len >= sizeof buf) return -1;
            memcpy(buf, p, len);
            buf[len] = 0;
            /* trim blanks around each value */
            char *b = buf;
            while (*b == ' ') b++;
            for (char *t = b + strlen(b); t > b && t[-1] == ' ';) *--t = 0;
            double x;
            if (lm_parse_double(b, &x, 0) != 0 || !isfinite(x) || x < ad->lo || x > ad->hi)
                return -1;
            monthly[i] = x;
            s += x;
            p = e ? e + 1 : p + len;
        }
        *out = s / 12;
        return 0;
    }
    default: {
        double x;
        if (lm_parse_double(v, &x, 0) != 0 || !isfinite(x)) return -1;
        if (ad->lo_open ? !(x > ad->lo) : !(x >= ad->lo)) return -1;
        if (x > ad->hi) return -1;
        *out = x == 0 ? 0.0 : x;
        return 0;
    }
    }
}

/* ---- loading ---- */

static long today_yyyymmdd(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) return 0;
    return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

lm_declared *lm_declared_empty(const lm_dataset *ds)
{
    lm_declared *dc = lm_xcalloc(1, sizeof *dc);
    dc->n_projects = ds->n_stations;
    dc->project = lm_xcalloc((size_t)(ds->n_stations ? ds->n_stations : 1), sizeof *dc->project);
    for (int s = 0; s < ds->n_stations; s++)
        for (int a = 0; a < LM_DA_N; a++) dc->project[s].value[a] = NAN;
    return dc;
}

void lm_declared_free(lm_declared *dc)
{
    if (!dc) return;
    for (int s = 0; s < dc->n_projects; s++)
        for (int a = 0; a < LM_DA_N; a++) free(dc->project[s].source[a]);
    free(dc->project);
    free(dc->file);
    free(dc);
}

double lm_declared_get(const lm_declared *dc, int s, int a)
{
    if (!dc || s < 0 || s >= dc->n_projects || a < 0 || a >= LM_DA_N) return NAN;
    return dc->project[s].value[a];
}

int lm_declared_known(const lm_declared *dc, int s, int a) { return !isnan(lm_declared_get(dc, s, a)); }

typedef struct reader {
    const lm_dataset *ds;
    const lm_table *t;
    lm_declared *dc;
    lm_diag *d;
    int c_id, c_attr, c_value, c_source;
    long as_of;
} reader;

/* Report a rule between two facts of project s at the line of fact `a`. */
static void cross_error(reader *R, int s, int a, const char *fmt, double other, int b)
{
    const lm_declared_project *p = &R->dc->project[s];
    char v[64], rule[512];
    snprintf(v, sizeof v, "%.10g", p->value[a]);
    snprintf(rule, sizeof rule, fmt, ATTRS[a].name, ATTRS[b].name, other, p->line[b]);
    lm_diag_at(R->d, R->t->file, p->line[a], lm_table_colname(R->t, R->c_value), v,
               "project %ld: %s", R->ds->stations[s].id, rule);
}

static void read_row(reader *R, int r)
{
    const lm_table *t = R->t;
    const lm_dataset *ds = R->ds;
    long line = t->csv->line[r];
    const char *id_text = lm_table_text(t, R->c_id, r);
    const char *attr_text = lm_table_text(t, R->c_attr, r);
    const char *v = lm_table_text(t, R->c_value, r);
    long id;
    int s = -1, a = -1;
    if (lm_parse_int(id_text, &id) != 0)
        lm_diag_at(R->d, t->file, line, lm_table_colname(t, R->c_id), id_text,
                   "%s; must be a station_id of the dataset's hydro_static table",
                   *id_text ? "not an integer" : "empty field");
    else if ((s = lm_dataset_station(ds, id)) < 0)
        lm_diag_at(R->d, t->file, line, lm_table_colname(t, R->c_id), id_text,
                   "unknown project id: not a station_id of the dataset's hydro_static table "
                   "(%d stations)", ds->n_stations);
    if ((a = lm_declared_attr_find(attr_text)) < 0) {
        char list[1536];
        size_t len = 0;
        for (int i = 0; i < LM_DA_N && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                    ATTRS[i].name);
        lm_diag_at(R->d, t->file, line, lm_table_colname(t, R->c_attr), attr_text,
                   "unknown attribute; attributes: %s", list);
    }
    if (a >= 0 && !*v) {
        lm_diag_at(R->d, t->file, line, lm_table_colname(t, R->c_value), v,
                   "empty value; %s (write unknown when the fact is not known)", ATTRS[a].rule);
        return;
    }
    double x = NAN, monthly[12];
    int mon = 0, day = 0, unknown = a >= 0 && is_unknown(v);
    if (a >= 0 && !unknown && convert(a, v, &x, monthly, &mon, &day) != 0) {
        lm_diag_at(R->d, t->file, line, lm_table_colname(t, R->c_value), v, "%s: %s",
                   ATTRS[a].name, ATTRS[a].rule);
        return;
    }
    if (s < 0 || a < 0) return;
    lm_declared_project *p = &R->dc->project[s];
    if (p->line[a]) {
        char key[160];
        snprintf(key, sizeof key, "%s,%s", id_text, attr_text);
        lm_diag_at(R->d, t->file, line, "project_id,attribute", key,
                   "duplicate fact for project %ld, attribute %s; first at line %ld", id,
                   attr_text, p->line[a]);
        return;
    }
    p->line[a] = line;
    p->source[a] = lm_xstrdup(R->c_source >= 0 ? lm_table_text(t, R->c_source, r) : "");
    if (unknown) {
        R->dc->n_unknown++;
        return;
    }
    p->value[a] = x;
    if (a == LM_DA_AIR_TEMP_MONTHLY_C) memcpy(p->temp_monthly_c, monthly, sizeof monthly);
    if (a == LM_DA_COMMISSIONING_DATE) {
        p->date_month = mon;
        p->date_day = day;
    }
    R->dc->n_facts++;
}

/* Rules between the facts of one project. */
static void cross_rules(reader *R, int s)
{
    lm_declared *dc = R->dc;
    const lm_declared_project *p = &dc->project[s];
    const lm_station *st = &R->ds->stations[s];
    const double *v = p->value;
    if (!isnan(v[LM_DA_MAX_DEPTH_M]) && !isnan(v[LM_DA_MEAN_DEPTH_M]) &&
        v[LM_DA_MAX_DEPTH_M] < v[LM_DA_MEAN_DEPTH_M])
        cross_error(R, s, LM_DA_MAX_DEPTH_M, "%s must not be below %s (%.10g, line %ld)",
                    v[LM_DA_MEAN_DEPTH_M], LM_DA_MEAN_DEPTH_M);
    if (!isnan(v[LM_DA_RIVER_AREA_BEFORE_KM2]) && !isnan(v[LM_DA_RESERVOIR_AREA_KM2]) &&
        v[LM_DA_RIVER_AREA_BEFORE_KM2] >= v[LM_DA_RESERVOIR_AREA_KM2])
        cross_error(R, s, LM_DA_RIVER_AREA_BEFORE_KM2,
                    "%s must be below %s (%.10g, line %ld): the river lay inside the reservoir",
                    v[LM_DA_RESERVOIR_AREA_KM2], LM_DA_RESERVOIR_AREA_KM2);
    if (!isnan(v[LM_DA_INTAKE_DEPTH_M]) && !isnan(v[LM_DA_MAX_DEPTH_M]) &&
        v[LM_DA_INTAKE_DEPTH_M] > v[LM_DA_MAX_DEPTH_M])
        cross_error(R, s, LM_DA_INTAKE_DEPTH_M, "%s must not exceed %s (%.10g, line %ld)",
                    v[LM_DA_MAX_DEPTH_M], LM_DA_MAX_DEPTH_M);
    /* land-use shares of the catchment add up to at most 100 % (0.5 points for rounding) */
    double sum = 0;
    int last = -1;
    for (int a = LM_DA_CATCHMENT_FOREST_PCT; a <= LM_DA_CATCHMENT_BARE_PCT; a++)
        if (!isnan(v[a])) {
            sum += v[a];
            if (last < 0 || p->line[a] > p->line[last]) last = a;
        }
    if (last >= 0 && sum > 100.5) {
        char val[64];
        snprintf(val, sizeof val, "%.10g", v[last]);
        lm_diag_at(R->d, R->t->file, p->line[last], lm_table_colname(R->t, R->c_value), val,
                   "project %ld: the catchment land-use shares add up to %.4g %%, more than 100",
                   st->id, sum);
    }
    /* a dam stated as existing cannot be commissioned after the as-of date; "stated" = the
     * declared status, or, without one, the dataset (commissioning year <= first year) */
    if (!isnan(v[LM_DA_COMMISSIONING_DATE])) {
        int declared_existing = !isnan(v[LM_DA_STATUS]) && v[LM_DA_STATUS] == LM_STATUS_EXISTING;
        int existing = isnan(v[LM_DA_STATUS]) ? st->is_existing : declared_existing;
        int y = (int)floor(v[LM_DA_COMMISSIONING_DATE] + 1e-9);
        long key = (long)y * 10000 + (p->date_month ? p->date_month : 1) * 100 +
                   (p->date_day ? p->date_day : 1);
        if (existing && key > R->as_of) {
            char val[32];
            snprintf(val, sizeof val, "%d", y);
            if (p->date_month) snprintf(val + 4, sizeof val - 4, "-%02d", p->date_month);
            if (p->date_day) snprintf(val + 7, sizeof val - 7, "-%02d", p->date_day);
            char why[128];
            if (declared_existing) snprintf(why, sizeof why, "status existing, line %ld",
                                            p->line[LM_DA_STATUS]);
            else snprintf(why, sizeof why, "existing in the dataset: commissioning year %d",
                          st->commissioning_year);
            lm_diag_at(R->d, R->t->file, p->line[LM_DA_COMMISSIONING_DATE],
                       lm_table_colname(R->t, R->c_value), val,
                       "project %ld: commissioning date in the future (after %04ld-%02ld-%02ld) "
                       "for a dam stated as existing (%s)",
                       st->id, R->as_of / 10000, R->as_of / 100 % 100, R->as_of % 100, why);
        }
    }
    /* mean depth and volume / area that disagree by more than half: a warning, since either
     * may be the one at full supply level */
    if (!isnan(v[LM_DA_MEAN_DEPTH_M]) && !isnan(v[LM_DA_RESERVOIR_VOLUME_HM3]) &&
        !isnan(v[LM_DA_RESERVOIR_AREA_KM2])) {
        double z = v[LM_DA_RESERVOIR_VOLUME_HM3] / v[LM_DA_RESERVOIR_AREA_KM2];
        if (fabs(z - v[LM_DA_MEAN_DEPTH_M]) > 0.5 * v[LM_DA_MEAN_DEPTH_M])
            lm_diag_warn(R->d, "%s:%ld: project %ld: mean_depth_m %.4g differs from "
                               "reservoir_volume_hm3 / reservoir_area_km2 = %.4g m",
                         R->t->file, p->line[LM_DA_MEAN_DEPTH_M], st->id,
                         v[LM_DA_MEAN_DEPTH_M], z);
    }
}

int lm_declared_read(const lm_dataset *ds, const char *path, const lm_declared_options *opt,
                     lm_declared **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    lm_csv csv;
    if (lm_csv_read(path, &csv, d) != 0 && csv.n_cols <= 0) {
        lm_csv_free(&csv);
        return -1;
    }
    lm_table t;
    if (lm_table_bind(&t, lm_schema_table(LM_T_PROJECTS_DECLARED), &csv, NULL, d) != 0) {
        lm_table_free(&t);
        lm_csv_free(&csv);
        return -1;
    }
    lm_declared *dc = lm_declared_empty(ds);
    dc->file = lm_xstrdup(path);
    reader R = {.ds = ds, .t = &t, .dc = dc, .d = d};
    R.c_id = lm_schema_col(t.schema, "project_id");
    R.c_attr = lm_schema_col(t.schema, "attribute");
    R.c_value = lm_schema_col(t.schema, "value");
    R.c_source = t.col[lm_schema_col(t.schema, "source_id")] >= 0
                     ? lm_schema_col(t.schema, "source_id") : -1;
    R.as_of = opt && opt->as_of_yyyymmdd > 0 ? opt->as_of_yyyymmdd : today_yyyymmdd();
    for (int r = 0; r < t.n_rows; r++) read_row(&R, r);
    for (int s = 0; s < ds->n_stations; s++) cross_rules(&R, s);
    lm_table_free(&t);
    lm_csv_free(&csv);
    if (d->n_errors > errors0) {
        lm_declared_free(dc);
        return -1;
    }
    *out = dc;
    return 0;
}

int lm_declared_load(const lm_dataset *ds, const lm_declared_options *opt, lm_declared **out,
                     lm_diag *d)
{
    if (!ds->projects_declared_file) {
        *out = lm_declared_empty(ds);
        return 0;
    }
    return lm_declared_read(ds, ds->projects_declared_file, opt, out, d);
}
