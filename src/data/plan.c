/* plan.c - reading and validating plan files (format: docs/plan-format.md).
 *
 * The file is read once (its bytes give the plan hash), parsed by libyaml into a document,
 * and walked section by section against a fixed schema.  Every problem is recorded as
 * `file:line:column: key "section.key": rule` and the walk goes on, so one run reports all
 * errors of a plan.  Nothing here knows the dataset: zone names and years are kept as written
 * and checked by the model against the dataset it loads. */
#include "data/plan.h"
#include "core/util.h"
#include "data/yaml_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define PLAN_YEAR_MIN 1900
#define PLAN_YEAR_MAX 2300
#define PLAN_DEFAULT_STORE "results/lmplan.sqlite"
#define PLAN_KEY_MAX 512

typedef struct pctx {
    const char *file;
    yaml_document_t *doc;
    lm_diag *d;
    lm_plan *p;
    int cap_caps, cap_external;
    int n_cap_entries; /* year entries seen in basin_mt / zone_mt, valid or not */
} pctx;

/* One key of a fixed-schema mapping: its name, and after read_fields the key and value
 * nodes found (NULL when absent). */
typedef struct field {
    const char *name;
    yaml_node_t *key;
    yaml_node_t *val;
} field;

static void perr(pctx *c, const yaml_node_t *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void perr(pctx *c, const yaml_node_t *at, const char *key, const char *fmt, ...)
{
    char rule[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    long line = at ? lm_yaml_line(at) : 1, col = at ? lm_yaml_col(at) : 1;
    lm_diag_error(c->d, "%s:%ld:%ld: key \"%s\": %s", c->file, line, col, key, rule);
}

static yaml_node_t *node_at(pctx *c, int id) { return yaml_document_get_node(c->doc, id); }

/* "path.name" into out[PLAN_KEY_MAX]; an absurdly long key (a zone name of 500 characters)
 * is shortened with "..." rather than overflowing. */
static void key_join(char *out, const char *path, const char *name)
{
    int n = path && *path ? snprintf(out, PLAN_KEY_MAX, "%s.%s", path, name)
                          : snprintf(out, PLAN_KEY_MAX, "%s", name);
    if (n >= PLAN_KEY_MAX) memcpy(out + PLAN_KEY_MAX - 4, "...", 4);
}

/* ------------------------------------------------------------------------------------------
 * Typed values.  Each getter records an error naming `key` and returns -1 on a wrong type or
 * value; ranges are checked by the caller, which knows the rule. */

static int wrong_type(pctx *c, const yaml_node_t *v, const char *key, const char *expected)
{
    char got[96];
    lm_yaml_describe(v, got, sizeof got);
    if (v->type == YAML_SCALAR_NODE && !lm_yaml_is_plain(v))
        perr(c, v, key, "expected %s, got %s (remove the quotes)", expected, got);
    else
        perr(c, v, key, "expected %s, got %s", expected, got);
    return -1;
}

static int get_string(pctx *c, const yaml_node_t *v, const char *key, char **out)
{
    if (v->type != YAML_SCALAR_NODE || lm_yaml_is_null(v)) return wrong_type(c, v, key, "text");
    free(*out);
    *out = lm_xstrdup(lm_yaml_text(v));
    return 0;
}

static int get_number(pctx *c, const yaml_node_t *v, const char *key, double *out)
{
    if (lm_yaml_is_nonfinite(v)) {
        perr(c, v, key, "must be a finite number, got \"%s\"", lm_yaml_text(v));
        return -1;
    }
    if (lm_yaml_number(v, out)) return wrong_type(c, v, key, "a number");
    return 0;
}

static int get_int(pctx *c, const yaml_node_t *v, const char *key, long *out)
{
    if (lm_yaml_int(v, out)) return wrong_type(c, v, key, "a whole number");
    return 0;
}

static int get_bool(pctx *c, const yaml_node_t *v, const char *key, int *out)
{
    if (lm_yaml_bool(v, out)) return wrong_type(c, v, key, "true or false");
    return 0;
}

/* One of `names` (the text as written); *idx is its index. */
static int get_choice(pctx *c, const yaml_node_t *v, const char *key, const char *const *names,
                      int n, const char *list, int *idx)
{
    if (v->type == YAML_SCALAR_NODE && !lm_yaml_is_null(v)) {
        const char *s = lm_yaml_text(v);
        for (int i = 0; i < n; i++)
            if (strcmp(s, names[i]) == 0) {
                *idx = i;
                return 0;
            }
    }
    char got[96];
    lm_yaml_describe(v, got, sizeof got);
    perr(c, v, key, "must be one of %s, got %s", list, got);
    return -1;
}

/* A number >= lo (lo_open: > lo) and <= hi (hi_open: < hi). */
static int get_ranged(pctx *c, const yaml_node_t *v, const char *key, double lo, int lo_open,
                      double hi, int hi_open, const char *range, double *out)
{
    double x;
    if (get_number(c, v, key, &x)) return -1;
    if ((lo_open ? !(x > lo) : !(x >= lo)) || (hi_open ? !(x < hi) : !(x <= hi))) {
        perr(c, v, key, "must be %s, got %s", range, lm_yaml_text(v));
        return -1;
    }
    *out = x;
    return 0;
}

/* 1 for a mapping, 0 for no value (an empty section: defaults apply), -1 otherwise. */
static int expect_map(pctx *c, const yaml_node_t *v, const char *key)
{
    if (v->type == YAML_MAPPING_NODE) return 1;
    if (lm_yaml_is_null(v)) return 0;
    wrong_type(c, v, key, "a mapping");
    return -1;
}

/* Sort fields of `map` into f[0..n) by name; report keys that are not names, unknown keys
 * and repeated keys. */
static void read_fields(pctx *c, const yaml_node_t *map, const char *path, field *f, int n,
                        const char *allowed)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node_at(c, pr->key), *v = node_at(c, pr->value);
        char key[PLAN_KEY_MAX];
        if (k->type != YAML_SCALAR_NODE) {
            key_join(key, path, "?");
            perr(c, k, key, "a key must be a plain name, not %s",
                 k->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
            continue;
        }
        const char *name = lm_yaml_text(k);
        key_join(key, path, name);
        int i = 0;
        while (i < n && strcmp(f[i].name, name) != 0) i++;
        if (i == n) {
            perr(c, k, key, "unknown key (allowed here: %s)", allowed);
        } else if (f[i].key) {
            perr(c, k, key, "repeated key (first at line %ld)", lm_yaml_line(f[i].key));
        } else {
            f[i].key = k;
            f[i].val = v;
        }
    }
}

static void require(pctx *c, const yaml_node_t *map, const field *f, const char *path)
{
    if (f->key) return;
    char key[PLAN_KEY_MAX];
    key_join(key, path, f->name);
    perr(c, map, key, "required key missing");
}

/* ------------------------------------------------------------------------------------------
 * Lists and tables of years. */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* `all` (-> *n = 0) or a non-empty list of distinct integers in [lo, hi], stored ascending. */
static void read_int_list(pctx *c, const yaml_node_t *v, const char *key, long lo, long hi,
                          const char *what, int **out, int *n)
{
    if (v->type == YAML_SCALAR_NODE && lm_yaml_is_plain(v) && strcmp(lm_yaml_text(v), "all") == 0)
        return;
    if (v->type != YAML_SEQUENCE_NODE) {
        char expected[96];
        snprintf(expected, sizeof expected, "all or a list of %s", what);
        wrong_type(c, v, key, expected);
        return;
    }
    int len = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (len == 0) {
        perr(c, v, key, "the list is empty (write all, or leave the key out, for every one)");
        return;
    }
    int *vals = lm_xcalloc((size_t)len, sizeof *vals);
    const yaml_node_t **where = lm_xcalloc((size_t)len, sizeof *where);
    int m = 0, bad = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *e = node_at(c, *it);
        long x;
        if (get_int(c, e, key, &x)) {
            bad = 1;
            continue;
        }
        if (x < lo || x > hi) {
            perr(c, e, key, "%ld is out of range (%ld..%ld)", x, lo, hi);
            bad = 1;
            continue;
        }
        int dup = -1;
        for (int j = 0; j < m && dup < 0; j++)
            if (vals[j] == x) dup = j;
        if (dup >= 0) {
            perr(c, e, key, "%ld is repeated (first at line %ld, column %ld)", x,
                 lm_yaml_line(where[dup]), lm_yaml_col(where[dup]));
            bad = 1;
            continue;
        }
        where[m] = e;
        vals[m++] = (int)x;
    }
    free(where);
    if (bad) {
        free(vals);
        return;
    }
    qsort(vals, (size_t)m, sizeof *vals, cmp_int);
    free(*out);
    *out = vals;
    *n = m;
}

static void add_cap(pctx *c, const char *zone, int year, double t)
{
    lm_plan *p = c->p;
    lm_grow(&p->caps, &c->cap_caps, p->n_caps + 1, sizeof *p->caps);
    p->caps[p->n_caps].zone = lm_xstrdup(zone);
    p->caps[p->n_caps].year = year;
    p->caps[p->n_caps].cap_t_co2 = t;
    p->n_caps++;
}

/* {year: Mt CO2/yr, ...} for `zone` (NULL = basin); caps are stored in tonnes. */
static void read_caps(pctx *c, const yaml_node_t *v, const char *path, const char *zone)
{
    if (expect_map(c, v, path) <= 0) return;
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node_at(c, pr->key), *val = node_at(c, pr->value);
        char key[PLAN_KEY_MAX];
        c->n_cap_entries++;
        long year;
        if (lm_yaml_key_int(k, &year)) {
            char got[96];
            key_join(key, path, k->type == YAML_SCALAR_NODE ? lm_yaml_text(k) : "?");
            perr(c, k, key, "a key here must be a year, got %s", lm_yaml_describe(k, got, sizeof got));
            continue;
        }
        key_join(key, path, lm_yaml_text(k));
        if (year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX) {
            perr(c, k, key, "year %ld is out of range (%d..%d)", year, PLAN_YEAR_MIN,
                 PLAN_YEAR_MAX);
            continue;
        }
        /* the same year written twice (also "2030" and "02030") */
        const yaml_node_t *first = NULL;
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < pr && !first; q++) {
            yaml_node_t *k2 = node_at(c, q->key);
            long y2;
            if (lm_yaml_key_int(k2, &y2) == 0 && y2 == year) first = k2;
        }
        if (first) {
            perr(c, k, key, "year %ld is repeated (first at line %ld)", year, lm_yaml_line(first));
            continue;
        }
        double mt;
        if (get_number(c, val, key, &mt)) continue;
        if (mt < 0) {
            perr(c, val, key, "a carbon cap must be >= 0 Mt CO2, got %s", lm_yaml_text(val));
            continue;
        }
        add_cap(c, zone, (int)year, mt * 1e6);
    }
}

/* Zone names are kept as written: the dataset (and so the check) is not known here. */
static int zone_key(pctx *c, const yaml_node_t *k, const char *path, const char **name)
{
    char key[PLAN_KEY_MAX];
    if (k->type != YAML_SCALAR_NODE || lm_yaml_is_null(k)) {
        char got[96];
        key_join(key, path, "?");
        perr(c, k, key, "a key here must be a zone name, got %s",
             lm_yaml_describe(k, got, sizeof got));
        return -1;
    }
    *name = lm_yaml_text(k);
    return 0;
}

/* Index of an earlier pair of `map` (before `pr`) whose key has the same text, or NULL. */
static const yaml_node_t *earlier_key(pctx *c, const yaml_node_t *map, const yaml_node_pair_t *pr,
                                      const char *name)
{
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
        yaml_node_t *k2 = node_at(c, q->key);
        if (k2->type == YAML_SCALAR_NODE && strcmp(lm_yaml_text(k2), name) == 0) return k2;
    }
    return NULL;
}

static void read_zone_caps(pctx *c, const yaml_node_t *v, const char *path)
{
    if (expect_map(c, v, path) <= 0) return;
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node_at(c, pr->key), *val = node_at(c, pr->value);
        const char *zone;
        if (zone_key(c, k, path, &zone)) continue;
        char key[PLAN_KEY_MAX];
        key_join(key, path, zone);
        const yaml_node_t *first = earlier_key(c, v, pr, zone);
        if (first) {
            perr(c, k, key, "zone \"%s\" is repeated (first at line %ld)", zone,
                 lm_yaml_line(first));
            continue;
        }
        read_caps(c, val, key, zone);
    }
}

/* ------------------------------------------------------------------------------------------
 * Sections. */

static const char *const CAPS_NAMES[] = {"dataset", "none", "plan"};
static const char *const SCENARIO_NAMES[] = {"existing", "planned", "import-cap", "free"};
static const int SCENARIO_VALUES[] = {LM_TRANS_EXISTING, LM_TRANS_PLANNED, LM_TRANS_IMPORT_CAP,
                                      LM_TRANS_FREE};
static const char *const MODE_NAMES[] = {"improved", "faithful"};
static const char *const SOLVER_NAMES[] = {"clp", "cbc", "portfolio"};
static const char *const METHOD_NAMES[] = {"dual", "primal", "barrier", "auto"};

static void read_time(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "time") <= 0) return;
    field f[] = {{"months", NULL, NULL}};
    read_fields(c, v, "time", f, 1, "months");
    if (f[0].val)
        read_int_list(c, f[0].val, "time.months", 1, 12, "months 1..12", &c->p->months,
                      &c->p->n_months);
}

static void read_carbon(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "carbon") <= 0) return;
    enum { F_CAPS, F_BASIN, F_ZONE, NF };
    field f[NF] = {{"caps", NULL, NULL}, {"basin_mt", NULL, NULL}, {"zone_mt", NULL, NULL}};
    read_fields(c, v, "carbon", f, NF, "caps, basin_mt, zone_mt");
    int caps_ok = 1, caps = LM_CAPS_DATASET;
    if (f[F_CAPS].val)
        caps_ok = get_choice(c, f[F_CAPS].val, "carbon.caps", CAPS_NAMES, 3,
                             "dataset, none, plan", &caps) == 0;
    c->p->carbon_caps = caps;
    if (f[F_BASIN].val) read_caps(c, f[F_BASIN].val, "carbon.basin_mt", NULL);
    if (f[F_ZONE].val) read_zone_caps(c, f[F_ZONE].val, "carbon.zone_mt");
    if (!caps_ok) return;
    for (int i = F_BASIN; i <= F_ZONE; i++)
        if (f[i].key && caps != LM_CAPS_PLAN) {
            char key[PLAN_KEY_MAX];
            key_join(key, "carbon", f[i].name);
            perr(c, f[i].key, key, "only allowed with caps: plan (caps is %s%s)",
                 CAPS_NAMES[caps], f[F_CAPS].key ? "" : " by default");
        }
    if (caps == LM_CAPS_PLAN && c->n_cap_entries == 0)
        perr(c, f[F_CAPS].val, "carbon.caps",
             "caps: plan needs at least one cap in carbon.basin_mt or carbon.zone_mt");
}

static void read_transmission(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "transmission") <= 0) return;
    enum { F_SCEN, F_SHARE, NF };
    field f[NF] = {{"scenario", NULL, NULL}, {"import_cap_share", NULL, NULL}};
    read_fields(c, v, "transmission", f, NF, "scenario, import_cap_share");
    int ok = 1, idx = 3;
    if (f[F_SCEN].val)
        ok = get_choice(c, f[F_SCEN].val, "transmission.scenario", SCENARIO_NAMES, 4,
                        "existing, planned, import-cap, free", &idx) == 0;
    c->p->transmission = SCENARIO_VALUES[idx];
    if (f[F_SHARE].val) {
        get_ranged(c, f[F_SHARE].val, "transmission.import_cap_share", 0, 1, 1, 0,
                   "in (0, 1]", &c->p->import_cap_share);
        if (ok && c->p->transmission != LM_TRANS_IMPORT_CAP)
            perr(c, f[F_SHARE].key, "transmission.import_cap_share",
                 "only allowed with scenario: import-cap (scenario is %s%s)", SCENARIO_NAMES[idx],
                 f[F_SCEN].key ? "" : " by default");
    }
}

static void read_external(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "external_zones") <= 0) return;
    lm_plan *p = c->p;
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node_at(c, pr->key), *val = node_at(c, pr->value);
        const char *zone;
        if (zone_key(c, k, "external_zones", &zone)) continue;
        char path[PLAN_KEY_MAX], key[PLAN_KEY_MAX];
        key_join(path, "external_zones", zone);
        const yaml_node_t *first = earlier_key(c, v, pr, zone);
        if (first) {
            perr(c, k, path, "zone \"%s\" is repeated (first at line %ld)", zone,
                 lm_yaml_line(first));
            continue;
        }
        if (val->type != YAML_MAPPING_NODE) {
            wrong_type(c, val, path, "a mapping with import_price_usd_per_mwh");
            continue;
        }
        enum { F_PRICE, F_SHARE, NF };
        field f[NF] = {{"import_price_usd_per_mwh", NULL, NULL}, {"export_share", NULL, NULL}};
        read_fields(c, val, path, f, NF, "import_price_usd_per_mwh, export_share");
        require(c, val, &f[F_PRICE], path);
        lm_external_zone z = {.zone = NULL, .import_price_usd_per_mwh = 0, .export_share = 0};
        if (f[F_PRICE].val) {
            key_join(key, path, "import_price_usd_per_mwh");
            get_ranged(c, f[F_PRICE].val, key, 0, 0, HUGE_VAL, 0, ">= 0",
                       &z.import_price_usd_per_mwh);
        }
        if (f[F_SHARE].val) {
            key_join(key, path, "export_share");
            get_ranged(c, f[F_SHARE].val, key, 0, 1, 1, 0, "in (0, 1]", &z.export_share);
        }
        z.zone = lm_xstrdup(zone);
        lm_grow(&p->external, &c->cap_external, p->n_external + 1, sizeof *p->external);
        p->external[p->n_external++] = z;
    }
}

static const char *const HYDRO_NAMES[] = {"auto", "cascade", "budget"};
static const char *const DECISION_NAMES[] = {"binary", "relaxed"};

static void read_hydro(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "hydro") <= 0) return;
    enum { F_MODEL, NF };
    field f[NF] = {{"model", NULL, NULL}};
    read_fields(c, v, "hydro", f, NF, "model");
    if (f[F_MODEL].val)
        get_choice(c, f[F_MODEL].val, "hydro.model", HYDRO_NAMES, 3, "auto, cascade, budget",
                   &c->p->hydro_model);
}

/* A station id that appears in two of the lists build / exclude / decide is an error. */
static void dams_overlap(pctx *c, const yaml_node_t *at, const char *a, const int *xa, int na,
                         const char *b, const int *xb, int nb)
{
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (xa[i] == xb[j])
                perr(c, at, "dams", "station %d is in both dams.%s and dams.%s", xa[i], a, b);
}

static void read_dams(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "dams") <= 0) return;
    lm_plan *p = c->p;
    enum { F_BUILD, F_EXCLUDE, F_DECIDE, F_DECISION, NF };
    field f[NF] = {{"build", NULL, NULL}, {"exclude", NULL, NULL}, {"decide", NULL, NULL},
                   {"decision", NULL, NULL}};
    read_fields(c, v, "dams", f, NF, "build, exclude, decide, decision");
    if (f[F_BUILD].val)
        read_int_list(c, f[F_BUILD].val, "dams.build", 1, 2147483647L, "station ids",
                      &p->dams_build, &p->n_dams_build);
    if (f[F_EXCLUDE].val)
        read_int_list(c, f[F_EXCLUDE].val, "dams.exclude", 1, 2147483647L, "station ids",
                      &p->dams_exclude, &p->n_dams_exclude);
    if (f[F_DECIDE].val) {
        const yaml_node_t *d = f[F_DECIDE].val;
        if (d->type == YAML_SCALAR_NODE && lm_yaml_is_plain(d) && !strcmp(lm_yaml_text(d), "all"))
            p->dams_decide_all = 1;
        else if (d->type == YAML_SCALAR_NODE && lm_yaml_is_plain(d) && !strcmp(lm_yaml_text(d), "none"))
            p->dams_decide_all = 0;
        else
            read_int_list(c, d, "dams.decide", 1, 2147483647L, "station ids", &p->dams_decide,
                          &p->n_dams_decide);
    }
    if (f[F_DECISION].val)
        get_choice(c, f[F_DECISION].val, "dams.decision", DECISION_NAMES, 2, "binary, relaxed",
                   &p->dam_decision);
    dams_overlap(c, v, "build", p->dams_build, p->n_dams_build, "exclude", p->dams_exclude,
                 p->n_dams_exclude);
    dams_overlap(c, v, "build", p->dams_build, p->n_dams_build, "decide", p->dams_decide,
                 p->n_dams_decide);
    dams_overlap(c, v, "exclude", p->dams_exclude, p->n_dams_exclude, "decide", p->dams_decide,
                 p->n_dams_decide);
}

static void read_sediment(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "sediment") <= 0) return;
    enum { F_MIN, F_REACH, NF };
    field f[NF] = {{"min_delivery_mt", NULL, NULL}, {"reach", NULL, NULL}};
    read_fields(c, v, "sediment", f, NF, "min_delivery_mt, reach");
    if (f[F_MIN].val)
        get_ranged(c, f[F_MIN].val, "sediment.min_delivery_mt", 0, 0, HUGE_VAL, 0, ">= 0",
                   &c->p->sediment_min_mt);
    if (f[F_REACH].val) {
        long r;
        if (get_int(c, f[F_REACH].val, "sediment.reach", &r) == 0) {
            if (r < 1 || r > 2147483647L)
                perr(c, f[F_REACH].val, "sediment.reach", "must be a reach id >= 1, got %ld", r);
            else
                c->p->sediment_reach = (int)r;
        }
    }
}

static void read_solver(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "solver") <= 0) return;
    lm_plan *p = c->p;
    enum { F_NAME, F_METHOD, F_PRESOLVE, F_TIME, F_GAP, F_LOG, F_REG, F_COARSE, NF };
    field f[NF] = {{"name", NULL, NULL},         {"method", NULL, NULL},
                   {"presolve", NULL, NULL},     {"time_limit_s", NULL, NULL},
                   {"mip_gap", NULL, NULL},      {"log", NULL, NULL},
                   {"barrier_regularization", NULL, NULL}, {"coarse_months", NULL, NULL}};
    read_fields(c, v, "solver", f, NF,
                "name, method, presolve, time_limit_s, mip_gap, log, barrier_regularization, "
                "coarse_months");
    int idx;
    if (f[F_NAME].val &&
        get_choice(c, f[F_NAME].val, "solver.name", SOLVER_NAMES, 3, "clp, cbc, portfolio", &idx) == 0) {
        free(p->solver);
        p->solver = lm_xstrdup(SOLVER_NAMES[idx]);
    }
    if (f[F_METHOD].val && get_choice(c, f[F_METHOD].val, "solver.method", METHOD_NAMES, 4,
                                      "dual, primal, barrier, auto", &idx) == 0) {
        free(p->method);
        p->method = lm_xstrdup(METHOD_NAMES[idx]);
    }
    if (f[F_PRESOLVE].val) get_bool(c, f[F_PRESOLVE].val, "solver.presolve", &p->presolve);
    if (f[F_TIME].val)
        get_ranged(c, f[F_TIME].val, "solver.time_limit_s", 0, 0, HUGE_VAL, 0, ">= 0",
                   &p->time_limit_s);
    if (f[F_GAP].val)
        get_ranged(c, f[F_GAP].val, "solver.mip_gap", 0, 0, 1, 1, "in [0, 1)", &p->mip_gap);
    if (f[F_REG].val)
        get_ranged(c, f[F_REG].val, "solver.barrier_regularization", 0, 0, 1e-2, 0,
                   "in [0, 0.01]", &p->barrier_regularization);
    if (f[F_COARSE].val) {
        read_int_list(c, f[F_COARSE].val, "solver.coarse_months", 1, 12, "months 1..12",
                      &p->coarse_months, &p->n_coarse_months);
        if (p->n_coarse_months && strcmp(p->solver, "portfolio"))
            perr(c, f[F_COARSE].val, "solver.coarse_months",
                 "a coarse search is part of the portfolio search: set solver.name: portfolio "
                 "(the solver is %s)", p->solver);
        for (int i = 0; i < p->n_coarse_months && p->n_months; i++) {
            int in = 0;
            for (int j = 0; j < p->n_months; j++) in |= p->months[j] == p->coarse_months[i];
            if (!in)
                perr(c, f[F_COARSE].val, "solver.coarse_months",
                     "month %d is not one of time.months: the coarse days must be some of the "
                     "plan's own", p->coarse_months[i]);
        }
    }
    if (f[F_LOG].val) {
        long lv;
        if (get_int(c, f[F_LOG].val, "solver.log", &lv) == 0) {
            if (lv < 0 || lv > 4)
                perr(c, f[F_LOG].val, "solver.log", "must be 0..4, got %ld", lv);
            else
                p->solver_log = (int)lv;
        }
    }
}

static void read_output(pctx *c, const yaml_node_t *v)
{
    if (expect_map(c, v, "output") <= 0) return;
    field f[] = {{"store", NULL, NULL}, {"csv", NULL, NULL}};
    read_fields(c, v, "output", f, 2, "store, csv");
    /* Kept as written: relative to the user's working directory, not to the plan (results
     * belong to whoever runs the plan; see docs/plan-format.md). */
    if (f[0].val) get_string(c, f[0].val, "output.store", &c->p->store);
    if (f[1].val) get_string(c, f[1].val, "output.csv", &c->p->csv_dir);
}

static int valid_name(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

static void read_root(pctx *c, const yaml_node_t *root)
{
    lm_plan *p = c->p;
    enum {
        F_NAME, F_DESC, F_DATASET, F_YEARS, F_TIME, F_CARBON, F_TRANS, F_EXT, F_MODE, F_UNSERVED,
        F_HYDRO, F_DAMS, F_SEDIMENT, F_SOLVER, F_OUTPUT, NF
    };
    field f[NF] = {
        {"name", NULL, NULL},           {"description", NULL, NULL},
        {"dataset", NULL, NULL},        {"years", NULL, NULL},
        {"time", NULL, NULL},           {"carbon", NULL, NULL},
        {"transmission", NULL, NULL},   {"external_zones", NULL, NULL},
        {"mode", NULL, NULL},           {"unserved_energy_cost_usd_per_mwh", NULL, NULL},
        {"hydro", NULL, NULL},          {"dams", NULL, NULL},
        {"sediment", NULL, NULL},
        {"solver", NULL, NULL},         {"output", NULL, NULL},
    };
    read_fields(c, root, NULL, f, NF,
                "name, description, dataset, years, time, carbon, transmission, external_zones, "
                "mode, unserved_energy_cost_usd_per_mwh, hydro, dams, sediment, solver, output");
    require(c, root, &f[F_NAME], NULL);
    require(c, root, &f[F_DATASET], NULL);

    if (f[F_NAME].val && get_string(c, f[F_NAME].val, "name", &p->name) == 0 &&
        !valid_name(p->name))
        perr(c, f[F_NAME].val, "name",
             "must be letters, digits, '_', '.' or '-' only ([A-Za-z0-9_.-]+), got \"%s\"",
             p->name);
    if (f[F_DESC].val) get_string(c, f[F_DESC].val, "description", &p->description);
    if (f[F_DATASET].val) {
        char *rel = NULL;
        if (get_string(c, f[F_DATASET].val, "dataset", &rel) == 0) {
            char *dir = lm_path_dirname(c->file);
            p->dataset = lm_path_join(dir, rel);
            free(dir);
        }
        free(rel);
    }
    if (f[F_YEARS].val)
        read_int_list(c, f[F_YEARS].val, "years", PLAN_YEAR_MIN, PLAN_YEAR_MAX, "years",
                      &p->years, &p->n_years);
    if (f[F_TIME].val) read_time(c, f[F_TIME].val);
    if (f[F_CARBON].val) read_carbon(c, f[F_CARBON].val);
    if (f[F_TRANS].val) read_transmission(c, f[F_TRANS].val);
    if (f[F_EXT].val) read_external(c, f[F_EXT].val);
    /* Default export share follows Xu et al. (spec section 4.1): all of an external zone's
     * output under free expansion (limit 6), a third otherwise. */
    for (int i = 0; i < p->n_external; i++)
        if (p->external[i].export_share == 0)
            p->external[i].export_share = p->transmission == LM_TRANS_FREE ? 1.0 : 1.0 / 3.0;
    if (f[F_MODE].val) get_choice(c, f[F_MODE].val, "mode", MODE_NAMES, 2, "improved, faithful",
                                  &p->mode);
    if (f[F_UNSERVED].val)
        get_ranged(c, f[F_UNSERVED].val, "unserved_energy_cost_usd_per_mwh", 0, 0, HUGE_VAL, 0,
                   ">= 0", &p->unserved_energy_cost_usd_per_mwh);
    if (f[F_HYDRO].val) read_hydro(c, f[F_HYDRO].val);
    if (f[F_DAMS].val) read_dams(c, f[F_DAMS].val);
    if (f[F_SEDIMENT].val) read_sediment(c, f[F_SEDIMENT].val);
    if (f[F_SOLVER].val) read_solver(c, f[F_SOLVER].val);
    if (f[F_OUTPUT].val) read_output(c, f[F_OUTPUT].val);
}

/* ------------------------------------------------------------------------------------------
 * Entry points. */

static unsigned char *read_file(const char *path, size_t *n, lm_diag *d)
{
    if (lm_path_is_dir(path)) {
        lm_diag_error(d, "%s: is a folder; expected a plan file (.yaml)", path);
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        lm_diag_error(d, "%s: cannot open the plan file: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = lm_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (len < cap) break;
        cap *= 2;
        buf = lm_xrealloc(buf, cap);
    }
    int bad = ferror(fp);
    int err = errno;
    fclose(fp);
    if (bad) {
        lm_diag_error(d, "%s: cannot read the plan file: %s", path, strerror(err));
        free(buf);
        return NULL;
    }
    *n = len;
    return buf;
}

static lm_plan *plan_new(const char *path)
{
    lm_plan *p = lm_xcalloc(1, sizeof *p);
    p->path = lm_xstrdup(path);
    p->carbon_caps = LM_CAPS_DATASET;
    p->transmission = LM_TRANS_FREE;
    p->import_cap_share = 1.0 / 3.0;
    p->mode = LM_MODE_IMPROVED;
    p->unserved_energy_cost_usd_per_mwh = 0;
    p->solver = lm_xstrdup("clp");
    p->method = lm_xstrdup("dual");
    p->presolve = -1;
    p->time_limit_s = 0;
    p->mip_gap = 1e-4;
    p->solver_log = 1;
    p->barrier_regularization = -1;
    p->store = lm_xstrdup(PLAN_DEFAULT_STORE);
    return p;
}

int lm_plan_load(const char *path, lm_plan **out, lm_diag *d)
{
    *out = NULL;
    int errors_before = d->n_errors;
    size_t n = 0;
    unsigned char *bytes = read_file(path, &n, d);
    if (!bytes) return -1;

    lm_plan *p = plan_new(path);
    unsigned char bin[crypto_hash_sha256_BYTES];
    if (sodium_init() < 0) {
        lm_diag_error(d, "%s: cannot initialise libsodium to hash the plan", path);
    } else {
        crypto_hash_sha256(bin, bytes, (unsigned long long)n);
        sodium_bin2hex(p->hash, sizeof p->hash, bin, sizeof bin);
    }

    yaml_document_t doc;
    if (lm_yaml_load(path, bytes, n, &doc, d) == 0) {
        pctx c = {.file = path, .doc = &doc, .d = d, .p = p};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root || lm_yaml_is_null(root)) {
            lm_diag_error(d, "%s:1:1: the plan file is empty; a plan needs at least the keys "
                          "\"name\" and \"dataset\"", path);
        } else if (root->type != YAML_MAPPING_NODE) {
            char got[96];
            lm_diag_error(d, "%s:%ld:%ld: a plan must be a mapping of keys (name: ..., "
                          "dataset: ...), got %s", path, lm_yaml_line(root), lm_yaml_col(root),
                          lm_yaml_describe(root, got, sizeof got));
        } else {
            read_root(&c, root);
        }
        yaml_document_delete(&doc);
    }
    free(bytes);

    if (d->n_errors > errors_before) {
        lm_plan_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void lm_plan_free(lm_plan *p)
{
    if (!p) return;
    free(p->path);
    free(p->name);
    free(p->description);
    free(p->dataset);
    free(p->years);
    free(p->months);
    free(p->coarse_months);
    for (int i = 0; i < p->n_caps; i++) free(p->caps[i].zone);
    free(p->caps);
    for (int i = 0; i < p->n_external; i++) free(p->external[i].zone);
    free(p->external);
    free(p->dams_build);
    free(p->dams_exclude);
    free(p->dams_decide);
    free(p->solver);
    free(p->method);
    free(p->store);
    free(p->csv_dir);
    free(p);
}
