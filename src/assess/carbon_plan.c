/* carbon_plan.c - the basin carbon plan (see carbon_plan.h; method and formulas in
 * docs/carbon-plan.md).
 *
 * Four parts, in the order data flows:
 *   1. the baseline path: modelled emissions per zone and year of a stored no-cap run;
 *   2. the derivation: national targets (dataset table ndc_targets) -> target levels per zone
 *      -> a piecewise-linear cap path evaluated at the modelled years;
 *   3. the outputs: a plan file (the base plan's keys copied through libyaml's parser and
 *      emitter, plus `carbon:` written here) and a CSV of the derivation;
 *   4. the carbon report of a run: emissions against caps and NDC levels, with shadow prices.
 * The store is read with SQLite directly, read-only, through the documented schema
 * (docs/results.md), so reading never changes a store. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "assess/carbon_plan.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "core/util.h"
#include "data/csv.h"

/* ---- options ---- */

void lm_cp_options_default(lm_cp_options *o)
{
    memset(o, 0, sizeof *o);
    o->sector_factor = 1;
}

void lm_cp_write_opts_default(lm_cp_write_opts *w)
{
    memset(w, 0, sizeof *w);
    w->zone_caps = 1;
}

double lm_cp_round_mt(double mt)
{
    if (!isfinite(mt)) return mt;
    /* the small offset keeps a value that is already on the grid from moving up a step */
    double r = ceil(mt * 1e4 - 1e-6) / 1e4;
    return r == 0 ? 0.0 : r;
}

/* ---- 1. baseline path from a result store ---- */

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? lm_xstrdup((const char *)t) : NULL;
}

static int open_store(const char *path, sqlite3 **db, lm_diag *d)
{
    *db = NULL;
    if (!lm_path_exists(path)) {
        lm_diag_error(d, "result store \"%s\": no such file (a baseline run is made with "
                         "`lmplan run PLAN`)", path);
        return -1;
    }
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        lm_diag_error(d, "result store \"%s\": cannot open: %s", path,
                      *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return -1;
    }
    sqlite3_busy_timeout(*db, 30000);
    return 0;
}

static int has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static int prepare(sqlite3 *db, const char *store, const char *sql, sqlite3_stmt **st, lm_diag *d)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK) return 0;
    lm_diag_error(d, "result store \"%s\": %s", store, sqlite3_errmsg(db));
    return -1;
}

/* The row of `runs` for one run. */
typedef struct run_row {
    long long id;
    char *plan_name, *plan_path, *plan_hash, *dataset_name, *dataset_hash, *status, *finished_at;
    double objective_musd;
} run_row;

static void run_row_free(run_row *r)
{
    free(r->plan_name);
    free(r->plan_path);
    free(r->plan_hash);
    free(r->dataset_name);
    free(r->dataset_hash);
    free(r->status);
    free(r->finished_at);
    memset(r, 0, sizeof *r);
}

static int read_run(sqlite3 *db, const char *store, long long id, run_row *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (prepare(db, store,
                "SELECT id, plan_name, plan_path, plan_hash, dataset_name, dataset_hash, status, "
                "finished_at, objective_musd FROM runs WHERE id = ?1",
                &st, d) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->plan_name = col_text(st, 1);
        out->plan_path = col_text(st, 2);
        out->plan_hash = col_text(st, 3);
        out->dataset_name = col_text(st, 4);
        out->dataset_hash = col_text(st, 5);
        out->status = col_text(st, 6);
        out->finished_at = col_text(st, 7);
        out->objective_musd =
            sqlite3_column_type(st, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 8);
        rc = 0;
    } else {
        lm_diag_error(d, "result store \"%s\": no run %lld", store, id);
    }
    sqlite3_finalize(st);
    return rc;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int lm_cp_baseline_from_store(const char *store_path, long long run_id, const char *plan_name,
                              const lm_dataset *ds, lm_cp_baseline *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db;
    if (open_store(store_path, &db, d) != 0) return -1;
    int rc = -1;
    sqlite3_stmt *st = NULL;
    run_row run = {0};
    if (!has_table(db, "runs")) {
        lm_diag_error(d, "result store \"%s\": not an lmplan result store (no table runs)",
                      store_path);
        goto done;
    }
    if (run_id <= 0) {
        if (prepare(db, store_path,
                    "SELECT max(id) FROM runs WHERE plan_name = ?1 AND status = 'optimal'", &st,
                    d) != 0)
            goto done;
        sqlite3_bind_text(st, 1, plan_name ? plan_name : "", -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            run_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (run_id <= 0) {
            lm_diag_error(d, "result store \"%s\": no optimal run of plan \"%s\"; run it first "
                             "(lmplan run PLAN) or name a run with --baseline-run",
                          store_path, plan_name ? plan_name : "");
            goto done;
        }
    }
    if (read_run(db, store_path, run_id, &run, d) != 0) goto done;
    if (!run.status || strcmp(run.status, "optimal") != 0) {
        lm_diag_error(d, "result store \"%s\": run %lld (plan %s) has status %s; a baseline "
                         "must be an optimal run",
                      store_path, run_id, run.plan_name ? run.plan_name : "?",
                      run.status ? run.status : "?");
        goto done;
    }
    if (!has_table(db, "r_emissions")) {
        lm_diag_error(d, "result store \"%s\": no emission results (table r_emissions)",
                      store_path);
        goto done;
    }

    /* years first (distinct, ascending), then the values */
    if (prepare(db, store_path,
                "SELECT DISTINCT year FROM r_emissions WHERE run_id = ?1 ORDER BY year", &st,
                d) != 0)
        goto done;
    sqlite3_bind_int64(st, 1, run_id);
    int cap_years = 8;
    out->years = lm_xmalloc((size_t)cap_years * sizeof *out->years);
    while (sqlite3_step(st) == SQLITE_ROW) {
        lm_grow(&out->years, &cap_years, out->n_years + 1, sizeof *out->years);
        out->years[out->n_years++] = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    st = NULL;
    qsort(out->years, (size_t)out->n_years, sizeof *out->years, cmp_int);
    if (out->n_years == 0) {
        lm_diag_error(d, "result store \"%s\": run %lld has no emission results", store_path,
                      run_id);
        goto done;
    }
    out->n_zones = ds->n_zones;
    size_t n = (size_t)ds->n_zones * (size_t)out->n_years;
    out->emissions_mt = lm_xmalloc((n ? n : 1) * sizeof *out->emissions_mt);
    for (size_t i = 0; i < n; i++) out->emissions_mt[i] = NAN;
    if (prepare(db, store_path,
                "SELECT zone, year, emissions_mt FROM r_emissions WHERE run_id = ?1 ORDER BY rowid",
                &st, d) != 0)
        goto done;
    sqlite3_bind_int64(st, 1, run_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *zone = (const char *)sqlite3_column_text(st, 0);
        int year = sqlite3_column_int(st, 1);
        int z = zone ? lm_dataset_zone(ds, zone) : -1;
        if (z < 0) {
            lm_diag_warn(d, "baseline run %lld: zone \"%s\" is not a zone of dataset %s; ignored",
                         run_id, zone ? zone : "", ds->name);
            continue;
        }
        int i = 0;
        while (i < out->n_years && out->years[i] != year) i++;
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            out->emissions_mt[(size_t)z * (size_t)out->n_years + (size_t)i] =
                sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    st = NULL;

    if (has_table(db, "r_carbon_caps")) {
        if (prepare(db, store_path,
                    "SELECT count(*) FROM r_carbon_caps WHERE run_id = ?1 AND cap_mt IS NOT NULL "
                    "AND cap_mt < 1e300",
                    &st, d) != 0)
            goto done;
        sqlite3_bind_int64(st, 1, run_id);
        if (sqlite3_step(st) == SQLITE_ROW) out->capped = sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        st = NULL;
    }
    if (out->capped)
        lm_diag_warn(d, "baseline run %lld (plan %s) had carbon caps: its emissions are not a "
                        "no-cap baseline path",
                     run_id, run.plan_name ? run.plan_name : "?");
    if (run.dataset_hash && strcmp(run.dataset_hash, ds->hash) != 0)
        lm_diag_warn(d, "baseline run %lld was made with other content of dataset %s (hash "
                        "%.12s..., now %.12s...); re-run the baseline plan so that the baseline "
                        "matches the data",
                     run_id, ds->name, run.dataset_hash, ds->hash);

    out->run_id = run_id;
    out->store_path = lm_xstrdup(store_path);
    out->plan_name = run.plan_name;
    out->plan_path = run.plan_path;
    out->plan_hash = run.plan_hash;
    out->dataset_name = run.dataset_name;
    out->dataset_hash = run.dataset_hash;
    out->finished_at = run.finished_at;
    out->objective_musd = run.objective_musd;
    free(run.status);
    memset(&run, 0, sizeof run);
    rc = 0;
done:
    if (st) sqlite3_finalize(st);
    run_row_free(&run);
    sqlite3_close(db);
    if (rc != 0) lm_cp_baseline_free(out);
    return rc;
}

void lm_cp_baseline_free(lm_cp_baseline *b)
{
    if (!b) return;
    free(b->years);
    free(b->emissions_mt);
    free(b->store_path);
    free(b->plan_name);
    free(b->plan_path);
    free(b->plan_hash);
    free(b->dataset_name);
    free(b->dataset_hash);
    free(b->finished_at);
    memset(b, 0, sizeof *b);
}

/* ---- 2. derivation ---- */

static const char *const BASELINE_NAMES[] = {"BAU", "base-year", "peak", "intensity",
                                             "cumulative"};

/* A point of a zone's cap path. */
enum { P_START, P_TARGET, P_PLATEAU, P_NEUTRAL };

typedef struct point {
    int year;
    int kind;           /* P_* */
    double level_mt;    /* cap level (with the sector factor) */
    double ndc_mt;      /* the NDC's own level (factor 1), NaN if none */
    const lm_ndc_target *t;
} point;

/* Baseline of zone z at `year`, linear between modelled years; NaN outside them. */
static double baseline_at(const lm_cp_baseline *b, int z, double year)
{
    const double *e = &b->emissions_mt[(size_t)z * (size_t)b->n_years];
    int n = b->n_years;
    if (n == 0 || year < b->years[0] || year > b->years[n - 1]) return NAN;
    for (int i = 0; i < n; i++) {
        if (b->years[i] == year) return e[i];
        if (i + 1 < n && year < b->years[i + 1]) {
            double w = (year - b->years[i]) / (double)(b->years[i + 1] - b->years[i]);
            return e[i] + w * (e[i + 1] - e[i]);
        }
    }
    return NAN;
}

/* "BAU -30% (unconditional, ndc_targets.csv:5)" */
static void describe_target(const lm_ndc_target *t, const char *file, char *buf, size_t n)
{
    const char *type = t->conditional ? "conditional" : "unconditional";
    const char *base = strrchr(file ? file : "", '/');
    base = base ? base + 1 : (file ? file : "ndc_targets");
    switch (t->baseline) {
    case LM_NDC_PEAK:
        snprintf(buf, n, "peak by %d (%s, %s:%ld)", t->target_year, type, base, t->line);
        break;
    case LM_NDC_BASE_YEAR:
        snprintf(buf, n, "-%g%% on %d by %d (%s, %s:%ld)", t->reduction_pct, t->base_year,
                 t->target_year, type, base, t->line);
        break;
    case LM_NDC_CUMULATIVE:
        if (t->base_year)
            snprintf(buf, n, "cumulative %d-%d (%s, %s:%ld)", t->base_year, t->target_year,
                     type, base, t->line);
        else
            snprintf(buf, n, "cumulative to %d (%s, %s:%ld)", t->target_year, type, base,
                     t->line);
        break;
    default:
        snprintf(buf, n, "%s -%g%% by %d (%s, %s:%ld)", BASELINE_NAMES[t->baseline],
                 isnan(t->reduction_pct) ? 0.0 : t->reduction_pct, t->target_year, type, base,
                 t->line);
        break;
    }
}

/* Append text to a growing string. */
static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t a = *s ? strlen(*s) : 0, b = strlen(buf);
    *s = lm_xrealloc(*s, a + b + 1);
    memcpy(*s + a, buf, b + 1);
}

static int cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

static const char *point_word(int kind)
{
    switch (kind) {
    case P_START: return "baseline";
    case P_TARGET: return "target";
    case P_PLATEAU: return "peak plateau";
    default: return "neutrality";
    }
}

/* The level in a target year of one target, or NaN with the reason in `why`. */
static double target_level(const lm_ndc_target *t, const lm_cp_baseline *b, int z, double factor,
                           double *ndc_mt, char *why, size_t n)
{
    int y0 = b->years[0], yn = b->years[b->n_years - 1];
    *ndc_mt = NAN;
    if (t->target_year < y0) {
        snprintf(why, n, "target year %d is before the first modelled year %d", t->target_year,
                 y0);
        return NAN;
    }
    double r = isnan(t->reduction_pct) ? 0 : t->reduction_pct / 100;
    double rho = fmin(1.0, factor * r);
    double ref;
    switch (t->baseline) {
    case LM_NDC_BAU:
    case LM_NDC_PEAK:
        ref = baseline_at(b, z, t->target_year);
        if (isnan(ref)) {
            snprintf(why, n, "target year %d is outside the modelled years %d..%d, where the "
                             "baseline is known", t->target_year, y0, yn);
            return NAN;
        }
        if (t->baseline == LM_NDC_PEAK) {
            *ndc_mt = ref;
            return ref;
        }
        break;
    case LM_NDC_BASE_YEAR:
        ref = !isnan(t->base_year_mt) ? t->base_year_mt : baseline_at(b, z, t->base_year);
        if (isnan(ref)) {
            snprintf(why, n, "no base_year_mt, and base year %d is outside the modelled years "
                             "%d..%d", t->base_year, y0, yn);
            return NAN;
        }
        break;
    case LM_NDC_INTENSITY:
        snprintf(why, n, "an intensity target (emissions per unit of GDP) needs a GDP path, "
                         "which the dataset does not have");
        return NAN;
    default:
        snprintf(why, n, "a cumulative tonnage (economy-wide) has no yearly power-sector level "
                         "without the NDC's own BAU path");
        return NAN;
    }
    *ndc_mt = (1 - r) * ref;
    return (1 - rho) * ref;
}

/* Derive the path of zone z; fills cp's row z.  Returns 1 if the zone is capped. */
static int derive_zone(const lm_dataset *ds, const lm_cp_baseline *b, const lm_cp_options *o,
                       int z, lm_carbon_plan *cp, lm_diag *d)
{
    int Y = b->n_years;
    double factor = cp->factor[z];
    char buf[512], why[512];
    char *summary = NULL, *skipped = NULL;
    point *pts = lm_xcalloc((size_t)ds->n_ndc_targets + 4, sizeof *pts);
    int np = 0, n_rows = 0, n_cond_only = 0, neutral = 0;
    const char *country = NULL;

    for (int y = 0; y < Y; y++)
        if (isnan(b->emissions_mt[(size_t)z * Y + y])) {
            for (int i = 0; i < ds->n_ndc_targets; i++)
                if (ds->ndc_targets[i].zone == z) country = ds->ndc_targets[i].country;
            cp->country[z] = country ? lm_xstrdup(country) : NULL;
            cp->summary[z] = lm_xasprintf("no cap: the baseline run has no emissions for %s in %d",
                                          ds->zones[z], b->years[y]);
            lm_diag_warn(d, "carbon plan: zone %s gets no cap: the baseline run has no emissions "
                            "for it in %d", ds->zones[z], b->years[y]);
            free(pts);
            return 0;
        }

    pts[np++] = (point){b->years[0], P_START, b->emissions_mt[(size_t)z * Y], NAN, NULL};
    for (int i = 0; i < ds->n_ndc_targets; i++) {
        const lm_ndc_target *t = &ds->ndc_targets[i];
        if (t->zone != z) continue;
        country = t->country;
        n_rows++;
        if (t->conditional && !o->conditional) {
            n_cond_only++;
            continue;
        }
        if (t->neutrality_year && (!neutral || t->neutrality_year < neutral))
            neutral = t->neutrality_year;
        double ndc;
        double level = target_level(t, b, z, factor, &ndc, why, sizeof why);
        describe_target(t, ds->ndc_targets_file, buf, sizeof buf);
        if (isnan(level)) {
            cat(&skipped, "%s%s not converted: %s", skipped ? "; " : "", buf, why);
            continue;
        }
        pts[np++] = (point){t->target_year, P_TARGET, level, ndc, t};
        if (t->baseline == LM_NDC_PEAK && o->peak_plateau_years > 0)
            pts[np++] = (point){t->target_year + o->peak_plateau_years, P_PLATEAU, level, NAN, t};
        cat(&summary, "%s%s: %.4f Mt in %d", summary ? "; " : "", buf, level, t->target_year);
    }
    cp->country[z] = country ? lm_xstrdup(country) : NULL;
    cp->neutrality_year[z] = neutral;

    /* targets at or after the neutrality year are superseded by it */
    int kept = 0;
    for (int i = 0; i < np; i++) {
        if (neutral && pts[i].kind != P_START && pts[i].year >= neutral) {
            if (pts[i].kind == P_TARGET) {
                describe_target(pts[i].t, ds->ndc_targets_file, buf, sizeof buf);
                cat(&skipped, "%s%s not used: at or after the neutrality year %d",
                    skipped ? "; " : "", buf, neutral);
            }
            continue;
        }
        pts[kept++] = pts[i];
    }
    np = kept;
    qsort(pts, (size_t)np, sizeof *pts, cmp_point);
    /* one point per year: a target replaces the start; of two targets the lower level holds
     * (a conditional target adds to the unconditional commitment, it does not relax it) */
    kept = 0;
    for (int i = 0; i < np; i++) {
        if (kept > 0 && pts[kept - 1].year == pts[i].year) {
            point *p = &pts[kept - 1];
            if (p->kind == P_START || pts[i].level_mt < p->level_mt) {
                double ndc = p->kind == P_START ? NAN : p->ndc_mt;
                *p = pts[i];
                if (!isnan(ndc) && (isnan(p->ndc_mt) || ndc < p->ndc_mt)) p->ndc_mt = ndc;
            } else if (!isnan(pts[i].ndc_mt) && (isnan(p->ndc_mt) || pts[i].ndc_mt < p->ndc_mt)) {
                p->ndc_mt = pts[i].ndc_mt;
            }
            continue;
        }
        pts[kept++] = pts[i];
    }
    np = kept;

    int capped = np > 1 || neutral;
    if (!capped) {
        const char *reason = n_rows == 0 ? "no national target in ndc_targets"
                             : n_cond_only == n_rows
                                 ? "only conditional targets (use --targets conditional)"
                                 : "no target could be converted to a power-sector level";
        cp->summary[z] = lm_xasprintf("no cap: %s%s%s", reason, skipped ? "; " : "",
                                      skipped ? skipped : "");
        lm_diag_warn(d, "carbon plan: zone %s%s%s%s gets no cap: %s%s%s", ds->zones[z],
                     country ? " (" : "", country ? country : "", country ? ")" : "", reason,
                     skipped ? "; " : "", skipped ? skipped : "");
        free(summary);
        free(skipped);
        free(pts);
        return 0;
    }
    if (neutral && neutral <= pts[0].year) {
        /* neutrality before the modelled years: the residual from the first year on */
        pts[0] = (point){pts[0].year, P_NEUTRAL, o->residual_share * pts[0].level_mt,
                         o->residual_share * pts[0].level_mt, NULL};
        np = 1;
        cat(&summary, "%sneutrality %d, before the modelled years: residual share %g of the "
            "first-year baseline", summary ? "; " : "", neutral, o->residual_share);
    } else if (neutral) {
        const point *last = &pts[np - 1];
        double ndc_last = NAN;
        for (int i = np - 1; i >= 0 && isnan(ndc_last); i--) ndc_last = pts[i].ndc_mt;
        if (isnan(ndc_last)) ndc_last = pts[0].level_mt;
        pts[np] = (point){neutral, P_NEUTRAL, o->residual_share * last->level_mt,
                          o->residual_share * ndc_last, NULL};
        np++;
        cat(&summary, "%sneutrality %d: %.4f Mt (residual share %g of the %d level)",
            summary ? "; " : "", neutral, pts[np - 1].level_mt, o->residual_share,
            last->year);
    } else {
        cat(&summary, "%sno neutrality year: the last level is held", summary ? "; " : "");
    }
    if (skipped) cat(&summary, "; %s", skipped);
    if (o->conditional && n_cond_only == 0 && n_rows > 0) {
        int any_cond = 0;
        for (int i = 0; i < ds->n_ndc_targets; i++)
            if (ds->ndc_targets[i].zone == z && ds->ndc_targets[i].conditional) any_cond = 1;
        if (!any_cond) cat(&summary, "; no conditional target: the unconditional ones apply");
    }
    cp->summary[z] = summary;
    free(skipped);

    /* evaluate at the modelled years */
    for (int y = 0; y < Y; y++) {
        int year = b->years[y];
        size_t k = (size_t)z * Y + y;
        int j = 0;
        while (j + 1 < np && pts[j + 1].year <= year) j++;
        const point *a = &pts[j];
        if (a->year == year) {
            cp->cap_mt[k] = a->level_mt;
            cp->ndc_mt[k] = a->ndc_mt;
            if (a->kind == P_TARGET) {
                describe_target(a->t, ds->ndc_targets_file, buf, sizeof buf);
                cp->method[k] = lm_xasprintf("target: %s", buf);
            } else if (a->kind == P_START) {
                cp->method[k] = lm_xstrdup("baseline in the first modelled year");
            } else if (a->kind == P_PLATEAU) {
                cp->method[k] = lm_xasprintf("peak level held to %d", year);
            } else {
                cp->method[k] = lm_xasprintf("neutrality year %d: residual share %g", year,
                                             o->residual_share);
            }
        } else if (j + 1 < np) {
            const point *c = &pts[j + 1];
            double w = (year - a->year) / (double)(c->year - a->year);
            cp->cap_mt[k] = a->level_mt + w * (c->level_mt - a->level_mt);
            cp->ndc_mt[k] = NAN;
            cp->method[k] = lm_xasprintf("linear from the %d %s to the %d %s", a->year,
                                         point_word(a->kind), c->year, point_word(c->kind));
        } else {
            cp->cap_mt[k] = a->level_mt;
            cp->ndc_mt[k] = a->kind == P_NEUTRAL ? a->ndc_mt : NAN;
            cp->method[k] = a->kind == P_NEUTRAL
                                ? lm_xasprintf("after the neutrality year %d: residual", a->year)
                                : lm_xasprintf("held at the %d %s level (no neutrality year)",
                                               a->year, point_word(a->kind));
        }
    }
    free(pts);
    return 1;
}

int lm_carbon_plan_derive(const lm_dataset *ds, const lm_cp_baseline *b, const lm_cp_options *o,
                          lm_carbon_plan **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    if (!ds->ndc_targets_file)
        lm_diag_error(d, "dataset %s has no ndc_targets table: the national targets are read "
                         "from it (docs/dataset-format.md)", ds->name);
    if (!b->n_years || b->n_zones != ds->n_zones)
        lm_diag_error(d, "the baseline path has no years or does not match dataset %s",
                      ds->name);
    if (!(o->sector_factor >= 0) || !isfinite(o->sector_factor))
        lm_diag_error(d, "sector factor must be a number >= 0, got %g", o->sector_factor);
    if (!(o->residual_share >= 0 && o->residual_share <= 1))
        lm_diag_error(d, "residual share must be in [0, 1], got %g", o->residual_share);
    if (o->peak_plateau_years < 0)
        lm_diag_error(d, "peak plateau must be >= 0 years, got %d", o->peak_plateau_years);
    for (int i = 0; i < o->n_zone_factors; i++) {
        if (lm_dataset_zone(ds, o->factor_zone[i]) < 0)
            lm_diag_error(d, "sector factor for \"%s\": not a zone of dataset %s",
                          o->factor_zone[i], ds->name);
        if (!(o->factor_value[i] >= 0) || !isfinite(o->factor_value[i]))
            lm_diag_error(d, "sector factor for %s must be a number >= 0, got %g",
                          o->factor_zone[i], o->factor_value[i]);
    }
    if (d->n_errors > errors0) return -1;

    int Z = ds->n_zones, Y = b->n_years;
    size_t n = (size_t)Z * (size_t)Y;
    lm_carbon_plan *cp = lm_xcalloc(1, sizeof *cp);
    cp->n_zones = Z;
    cp->n_years = Y;
    cp->zones = lm_xcalloc((size_t)Z, sizeof *cp->zones);
    cp->country = lm_xcalloc((size_t)Z, sizeof *cp->country);
    cp->summary = lm_xcalloc((size_t)Z, sizeof *cp->summary);
    cp->factor = lm_xcalloc((size_t)Z, sizeof *cp->factor);
    cp->neutrality_year = lm_xcalloc((size_t)Z, sizeof *cp->neutrality_year);
    cp->years = lm_xmalloc((size_t)Y * sizeof *cp->years);
    memcpy(cp->years, b->years, (size_t)Y * sizeof *cp->years);
    cp->baseline_mt = lm_xmalloc(n * sizeof *cp->baseline_mt);
    memcpy(cp->baseline_mt, b->emissions_mt, n * sizeof *cp->baseline_mt);
    cp->cap_mt = lm_xmalloc(n * sizeof *cp->cap_mt);
    cp->ndc_mt = lm_xmalloc(n * sizeof *cp->ndc_mt);
    cp->method = lm_xcalloc(n, sizeof *cp->method);
    cp->basin_mt = lm_xcalloc((size_t)Y, sizeof *cp->basin_mt);
    cp->opts = *o;
    cp->opts.n_zone_factors = 0;
    for (size_t i = 0; i < n; i++) cp->cap_mt[i] = cp->ndc_mt[i] = NAN;

    for (int z = 0; z < Z; z++) {
        cp->zones[z] = lm_xstrdup(ds->zones[z]);
        cp->factor[z] = o->sector_factor;
        for (int i = 0; i < o->n_zone_factors; i++)
            if (!strcmp(o->factor_zone[i], ds->zones[z])) cp->factor[z] = o->factor_value[i];
        if (derive_zone(ds, b, o, z, cp, d)) {
            cp->n_capped++;
        } else {
            for (int y = 0; y < Y; y++)
                cp->method[(size_t)z * Y + y] = lm_xstrdup("no cap");
        }
        for (int y = 0; y < Y; y++) {
            size_t k = (size_t)z * Y + y;
            double v = isnan(cp->cap_mt[k]) ? cp->baseline_mt[k] : lm_cp_round_mt(cp->cap_mt[k]);
            cp->basin_mt[y] += isnan(v) ? 0 : v;
        }
    }
    *out = cp;
    return 0;
}

void lm_carbon_plan_free(lm_carbon_plan *cp)
{
    if (!cp) return;
    size_t n = (size_t)cp->n_zones * (size_t)cp->n_years;
    for (int z = 0; z < cp->n_zones; z++) {
        free(cp->zones[z]);
        free(cp->country[z]);
        free(cp->summary[z]);
    }
    for (size_t i = 0; i < n; i++) free(cp->method[i]);
    free(cp->zones);
    free(cp->country);
    free(cp->summary);
    free(cp->factor);
    free(cp->neutrality_year);
    free(cp->years);
    free(cp->baseline_mt);
    free(cp->cap_mt);
    free(cp->ndc_mt);
    free(cp->method);
    free(cp->basin_mt);
    free(cp);
}

/* ---- 3. outputs ---- */

/* A number in Mt as written: 4 decimals, trailing zeros dropped. */
static const char *fmt_mt(double v, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    snprintf(buf, n, "%.4f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    if (!strcmp(buf, "-0")) snprintf(buf, n, "0");
    return buf;
}

/* Write `text` to `path` through a temporary file in the same folder and a rename. */
static int write_atomic(const char *path, const char *text, size_t len, lm_diag *d)
{
    char *tmp = lm_xasprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        lm_diag_error(d, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* A growing text buffer; also libyaml's output handler. */
typedef struct membuf {
    char *p;
    size_t n, cap;
} membuf;

static void mb_add(membuf *m, const char *s, size_t len)
{
    if (m->n + len + 1 > m->cap) {
        m->cap = (m->n + len + 1) * 2;
        m->p = lm_xrealloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, s, len);
    m->n += len;
    m->p[m->n] = 0;
}

static void mb_str(membuf *m, const char *s)
{
    mb_add(m, s, strlen(s));
}

static void mb_printf(membuf *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mb_printf(membuf *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = lm_xmalloc((size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    mb_add(m, s, (size_t)len);
    free(s);
}

static int mb_yaml_write(void *data, unsigned char *buf, size_t size)
{
    mb_add(data, (const char *)buf, size);
    return 1;
}

/* Text as a YAML scalar: plain when that reads back as the same text, else double-quoted. */
static void yaml_scalar(membuf *m, const char *s)
{
    static const char *const words[] = {"true", "false", "null", "yes", "no", "on", "off",
                                        "y", "n", "~"};
    int plain = *s && !strchr("-.0123456789", *s);
    for (const char *c = s; *c && plain; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '-' || *c == '.' || *c == '/'))
            plain = 0;
    for (size_t i = 0; plain && i < sizeof words / sizeof *words; i++)
        if (!strcasecmp(s, words[i])) plain = 0;
    if (!strcmp(s, "..") || !strncmp(s, "../", 3)) plain = 1; /* a relative path */
    if (plain) {
        mb_add(m, s, strlen(s));
        return;
    }
    mb_str(m, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') mb_printf(m, "\\%c", *c);
        else if (*c < 0x20) mb_printf(m, "\\x%02x", *c);
        else mb_add(m, (const char *)c, 1);
    }
    mb_str(m, "\"");
}

/* A comment line or lines: "# " + text, wrapped at about 96 columns. */
static void yaml_comment(membuf *m, const char *indent, const char *text)
{
    const char *s = text;
    int first = 1;
    while (*s) {
        size_t width = first ? 94 : 90, len = strlen(s);
        size_t cut = len;
        if (len > width) {
            cut = width;
            while (cut > 20 && s[cut] != ' ') cut--;
            if (cut <= 20) cut = width;
        }
        mb_printf(m, "%s#%s%.*s\n", indent, first ? " " : "     ", (int)cut, s);
        s += cut;
        while (*s == ' ') s++;
        first = 0;
    }
}

static const char *const REPLACED_KEYS[] = {"name", "description", "dataset", "carbon"};

/* Copy every top-level key of the plan file except REPLACED_KEYS, with its value, through
 * libyaml's parser and emitter (styles kept, comments lost) into `out`. */
static int copy_plan_keys(const char *path, membuf *out, int *n_kept, lm_diag *d)
{
    *n_kept = 0;
    size_t len;
    char *bytes = lm_read_file(path, &len);
    if (!bytes) {
        lm_diag_error(d, "%s: cannot read the base plan: %s", path, strerror(errno));
        return -1;
    }
    yaml_parser_t p;
    yaml_emitter_t e;
    yaml_event_t ev;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
    yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, mb_yaml_write, out);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, 96);
    int level = 0, at_key = 0, skipping = 0, sdepth = 0, rc = 0, done = 0;
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            lm_diag_error(d, "%s:%zu:%zu: YAML syntax error: %s", path, p.problem_mark.line + 1,
                          p.problem_mark.column + 1, p.problem ? p.problem : "?");
            rc = -1;
            break;
        }
        yaml_event_type_t type = ev.type;
        int start = type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT;
        int end = type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT;
        if (type == YAML_STREAM_END_EVENT) done = 1;
        if (skipping) {
            sdepth += start - end;
            if (sdepth == 0) {
                skipping = 0;
                at_key = 1;
            }
            yaml_event_delete(&ev);
            continue;
        }
        if (type == YAML_DOCUMENT_START_EVENT) ev.data.document_start.implicit = 1;
        if (type == YAML_DOCUMENT_END_EVENT) ev.data.document_end.implicit = 1;
        if (type == YAML_MAPPING_START_EVENT && level == 0) {
            ev.data.mapping_start.style = YAML_BLOCK_MAPPING_STYLE;
            at_key = 1;
        } else if (level == 1 && at_key && type == YAML_SCALAR_EVENT) {
            const char *key = (const char *)ev.data.scalar.value;
            int drop = 0;
            for (size_t i = 0; i < sizeof REPLACED_KEYS / sizeof *REPLACED_KEYS; i++)
                if (!strcmp(key, REPLACED_KEYS[i])) drop = 1;
            if (drop) {
                skipping = 1;
                sdepth = 0;
                yaml_event_delete(&ev);
                continue;
            }
            (*n_kept)++;
            at_key = 0;
        } else if (level == 1 && !at_key && !start) {
            at_key = 1; /* a scalar or alias value */
        }
        if (start) level++;
        if (end) {
            level--;
            if (level == 1) at_key = 1;
        }
        if (!yaml_emitter_emit(&e, &ev)) {
            lm_diag_error(d, "%s: cannot copy the base plan's keys: %s", path,
                          e.problem ? e.problem : "YAML emitter error");
            rc = -1;
            break;
        }
    }
    if (rc == 0) yaml_emitter_flush(&e);
    yaml_emitter_delete(&e);
    yaml_parser_delete(&p);
    free(bytes);
    /* an implicit end of document may still be marked by "..." */
    if (out->n >= 4 && !strcmp(out->p + out->n - 4, "...\n")) out->p[out->n -= 4] = 0;
    return rc;
}

/* Path of `target` relative to folder `from` (both made absolute); caller frees. */
static char *relative_path(const char *target, const char *from)
{
    char *t = realpath(target, NULL), *f = realpath(from, NULL);
    if (!t || !f) {
        free(t);
        free(f);
        return NULL;
    }
    size_t i = 0, common = 0;
    while (t[i] && f[i] && t[i] == f[i]) {
        if (t[i] == '/') common = i;
        i++;
    }
    if ((!t[i] || t[i] == '/') && !f[i]) common = i; /* from is a prefix folder of target */
    else if (!t[i] && f[i] == '/') common = i;       /* target is an ancestor of from */
    membuf m = {0};
    for (const char *s = f + common; *s; s++)
        if (*s == '/') mb_str(&m, m.n ? "/.." : "..");
    const char *rest = t + common;
    if (*rest == '/') rest++;
    if (*rest) {
        if (m.n) mb_str(&m, "/");
        mb_add(&m, rest, strlen(rest));
    }
    if (!m.n) mb_str(&m, ".");
    free(t);
    free(f);
    return m.p;
}

static void now_iso(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "2020: 87.1542, 2030: 74.722" */
static void year_map(membuf *m, const int *years, const double *v, int n, int stride)
{
    char num[64];
    mb_str(m, "{");
    for (int i = 0; i < n; i++)
        mb_printf(m, "%s%d: %s", i ? ", " : "", years[i],
                  fmt_mt(lm_cp_round_mt(v[(size_t)i * stride]), num, sizeof num));
    mb_str(m, "}");
}

int lm_carbon_plan_write(const lm_carbon_plan *cp, const lm_dataset *ds, const lm_cp_baseline *b,
                         const lm_plan *base, const char *out_path, const lm_cp_write_opts *w,
                         lm_diag *d)
{
    if (!w->zone_caps && !w->basin_cap) {
        lm_diag_error(d, "%s: neither zone caps nor a basin cap asked for: nothing to write",
                      out_path);
        return -1;
    }
    if (w->zone_caps && !w->basin_cap && cp->n_capped == 0) {
        lm_diag_error(d, "%s: no zone has a cap (see the warnings), so the plan would have none",
                      out_path);
        return -1;
    }
    char *dir = lm_path_dirname(out_path);
    if (strcmp(dir, ".") && lm_mkdir_p(dir) != 0) {
        lm_diag_error(d, "%s: cannot create folder %s: %s", out_path, dir, strerror(errno));
        free(dir);
        return -1;
    }
    char *dataset_rel = relative_path(base->dataset, dir);
    free(dir);
    if (!dataset_rel) {
        lm_diag_error(d, "%s: cannot resolve the dataset path %s: %s", out_path, base->dataset,
                      strerror(errno));
        return -1;
    }
    membuf copied = {0};
    int n_kept = 0;
    if (copy_plan_keys(base->path, &copied, &n_kept, d) != 0) {
        free(copied.p);
        free(dataset_rel);
        return -1;
    }

    char when[32], num[64], line[2048];
    if (w->generated_at) snprintf(when, sizeof when, "%s", w->generated_at);
    else now_iso(when, sizeof when);
    const char *fname = strrchr(out_path, '/');
    fname = fname ? fname + 1 : out_path;
    const lm_cp_options *o = &cp->opts;
    membuf m = {0};

    /* header: how the caps were derived */
    snprintf(line, sizeof line, "%s - generated by `lmplan carbon-plan` (lmplan %s) on %s; "
             "regenerate it rather than edit it. Method: docs/carbon-plan.md.",
             fname, w->program_version ? w->program_version : "?", when);
    yaml_comment(&m, "", line);
    if (w->command_line) {
        snprintf(line, sizeof line, "Command: %s", w->command_line);
        yaml_comment(&m, "", line);
    }
    snprintf(line, sizeof line, "Base plan: %s (sha256 %s); every key except name, description, "
             "dataset and carbon is copied from it.", base->path, base->hash);
    yaml_comment(&m, "", line);
    const char *tfile = ds->ndc_targets_file ? strrchr(ds->ndc_targets_file, '/') : NULL;
    tfile = tfile ? tfile + 1 : ds->ndc_targets_file ? ds->ndc_targets_file : "ndc_targets";
    snprintf(line, sizeof line, "Dataset: %s (sha256 %s); national targets from its table "
             "ndc_targets (%s).", ds->name, ds->hash, tfile);
    yaml_comment(&m, "", line);
    if (b->run_id)
        snprintf(line, sizeof line, "Baseline path: run %lld of plan %s in %s (plan sha256 %s, "
                 "dataset sha256 %s, finished %s): the modelled power-sector CO2 of the least-"
                 "cost plan without caps (result table emissions).",
                 b->run_id, b->plan_name ? b->plan_name : "?",
                 b->store_path ? b->store_path : "?", b->plan_hash ? b->plan_hash : "?",
                 b->dataset_hash ? b->dataset_hash : "?", b->finished_at ? b->finished_at : "?");
    else
        snprintf(line, sizeof line, "Baseline path: given by the caller (not from a stored run).");
    yaml_comment(&m, "", line);
    snprintf(line, sizeof line, "Targets: %s; sector factor %g (power-sector reduction = factor "
             "x NDC percentage); residual share %g at the neutrality year; peak plateau %d "
             "years. Assumption: an economy-wide NDC percentage is applied to the power sector.",
             o->conditional ? "conditional (with the unconditional ones, which still hold)"
                            : "unconditional",
             o->sector_factor, o->residual_share, o->peak_plateau_years);
    yaml_comment(&m, "", line);
    mb_str(&m, "#\n");
    for (int z = 0; z < cp->n_zones; z++) {
        if (cp->country[z] && strcmp(cp->country[z], cp->zones[z]))
            snprintf(line, sizeof line, "%s (targets of %s, sector factor %g): %s", cp->zones[z],
                     cp->country[z], cp->factor[z], cp->summary[z] ? cp->summary[z] : "");
        else
            snprintf(line, sizeof line, "%s (sector factor %g): %s", cp->zones[z], cp->factor[z],
                     cp->summary[z] ? cp->summary[z] : "");
        yaml_comment(&m, "", line);
    }
    mb_str(&m, "\n");

    mb_str(&m, "name: ");
    yaml_scalar(&m, w->name ? w->name : "carbon-plan");
    mb_str(&m, "\ndescription: ");
    if (w->description) {
        yaml_scalar(&m, w->description);
    } else {
        char desc[512];
        snprintf(desc, sizeof desc, "%s with power-sector CO2 caps per zone derived from the %s "
                 "national targets (lmplan carbon-plan)", base->name,
                 o->conditional ? "conditional" : "unconditional");
        yaml_scalar(&m, desc);
    }
    mb_str(&m, "\ndataset: ");
    yaml_scalar(&m, dataset_rel);
    mb_str(&m, "\n");
    if (n_kept > 0) mb_add(&m, copied.p, copied.n);

    mb_str(&m, "carbon:\n  caps: plan\n");
    if (w->zone_caps && cp->n_capped > 0) {
        mb_str(&m, "  zone_mt:                 # Mt CO2 per year\n");
        for (int z = 0; z < cp->n_zones; z++) {
            const double *cap = &cp->cap_mt[(size_t)z * cp->n_years];
            if (isnan(cap[0])) {
                snprintf(line, sizeof line, "%s: %s", cp->zones[z],
                         cp->summary[z] ? cp->summary[z] : "no cap");
                yaml_comment(&m, "    ", line);
                continue;
            }
            mb_str(&m, "    ");
            yaml_scalar(&m, cp->zones[z]);
            mb_str(&m, ": ");
            year_map(&m, cp->years, cap, cp->n_years, 1);
            mb_str(&m, "\n");
        }
    }
    if (w->basin_cap) {
        mb_str(&m, "  basin_mt: ");
        year_map(&m, cp->years, cp->basin_mt, cp->n_years, 1);
        mb_str(&m, "    # sum of the zone caps and the baseline of uncapped zones\n");
    } else {
        membuf t = {0};
        for (int i = 0; i < cp->n_years; i++)
            mb_printf(&t, "%s%d: %s", i ? ", " : "", cp->years[i],
                      fmt_mt(cp->basin_mt[i], num, sizeof num));
        snprintf(line, sizeof line, "Basin total, Mt CO2/yr (the zone caps plus the baseline of "
                 "uncapped zones; not a cap here, `--basin-cap` writes it as basin_mt): %s",
                 t.p ? t.p : "");
        free(t.p);
        yaml_comment(&m, "  ", line);
    }

    int rc = write_atomic(out_path, m.p, m.n, d);
    free(m.p);
    free(copied.p);
    free(dataset_rel);
    return rc;
}

/* One CSV field, quoted when needed (RFC 4180). */
static void csv_field(membuf *m, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        mb_str(m, "\"");
        for (const char *c = s; *c; c++) {
            if (*c == '"') mb_str(m, "\"\"");
            else mb_add(m, c, 1);
        }
        mb_str(m, "\"");
    } else {
        mb_add(m, s, strlen(s));
    }
    mb_add(m, last ? "\n" : ",", 1);
}

char *lm_carbon_plan_csv_path(const char *plan_path)
{
    const char *slash = strrchr(plan_path, '/');
    const char *base = slash ? slash + 1 : plan_path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - plan_path) : strlen(plan_path);
    return lm_xasprintf("%.*s.carbon_plan.csv", (int)stem, plan_path);
}

int lm_carbon_plan_write_csv(const lm_carbon_plan *cp, const char *path, lm_diag *d)
{
    membuf m = {0};
    char num[64], year[16];
    mb_str(&m, "zone,country,year,baseline_mt,cap_mt,ndc_target_mt,method\n");
    for (int z = 0; z < cp->n_zones; z++)
        for (int y = 0; y < cp->n_years; y++) {
            size_t k = (size_t)z * cp->n_years + y;
            csv_field(&m, cp->zones[z], 0);
            csv_field(&m, cp->country[z] ? cp->country[z] : "", 0);
            snprintf(year, sizeof year, "%d", cp->years[y]);
            csv_field(&m, year, 0);
            csv_field(&m, fmt_mt(cp->baseline_mt[k], num, sizeof num), 0);
            csv_field(&m, fmt_mt(lm_cp_round_mt(cp->cap_mt[k]), num, sizeof num), 0);
            csv_field(&m, fmt_mt(lm_cp_round_mt(cp->ndc_mt[k]), num, sizeof num), 0);
            csv_field(&m, cp->method[k] ? cp->method[k] : "", 1);
        }
    int rc = write_atomic(path, m.p, m.n, d);
    free(m.p);
    return rc;
}

/* ---- 4. carbon report ---- */

static int csv_col(const lm_csv *c, const char *name)
{
    for (int i = 0; i < c->n_cols; i++)
        if (!strcmp(c->header[i], name)) return i;
    return -1;
}

static lm_cr_row *report_row(lm_carbon_report *r, int *cap, const char *zone, int year)
{
    for (int i = 0; i < r->n_rows; i++)
        if (r->rows[i].year == year && !strcmp(r->rows[i].zone, zone)) return &r->rows[i];
    lm_grow(&r->rows, cap, r->n_rows + 1, sizeof *r->rows);
    lm_cr_row *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    row->zone = lm_xstrdup(zone);
    row->year = year;
    row->emissions_mt = row->cap_mt = row->ndc_mt = row->price_usd_per_t = NAN;
    row->baseline_mt = NAN;
    return row;
}

/* At or below a limit, up to the precision the limits are written with (0.1 kt) or a
 * relative 1e-6 (the solver's feasibility tolerance), whichever is larger. */
static int within(double v, double limit)
{
    return v <= limit + fmax(1e-4, 1e-6 * fabs(limit));
}

int lm_carbon_report_load(const char *store_path, long long run_id, const char *plan_csv,
                          long long baseline_run_id, lm_carbon_report **out, lm_diag *d)
{
    *out = NULL;
    sqlite3 *db;
    if (open_store(store_path, &db, d) != 0) return -1;
    lm_carbon_report *r = lm_xcalloc(1, sizeof *r);
    r->objective_musd = r->baseline_objective_musd = NAN;
    int cap = 0, rc = -1;
    sqlite3_stmt *st = NULL;
    run_row run = {0};
    lm_csv csv = {0};
    int have_csv = 0;
    if (!has_table(db, "runs")) {
        lm_diag_error(d, "result store \"%s\": not an lmplan result store (no table runs)",
                      store_path);
        goto done;
    }
    if (run_id <= 0) {
        if (prepare(db, store_path, "SELECT max(id) FROM runs", &st, d) != 0) goto done;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            run_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (run_id <= 0) {
            lm_diag_error(d, "result store \"%s\" has no runs", store_path);
            goto done;
        }
    }
    if (read_run(db, store_path, run_id, &run, d) != 0) goto done;
    r->run_id = run_id;
    r->plan_name = lm_xstrdup(run.plan_name ? run.plan_name : "");
    r->plan_path = lm_xstrdup(run.plan_path ? run.plan_path : "");
    r->status = lm_xstrdup(run.status ? run.status : "");
    r->objective_musd = run.objective_musd;
    if (baseline_run_id > 0) {
        run_row base;
        if (read_run(db, store_path, baseline_run_id, &base, d) != 0) goto done;
        r->baseline_run_id = baseline_run_id;
        r->baseline_objective_musd = base.objective_musd;
        run_row_free(&base);
    }
    if (!has_table(db, "r_emissions")) {
        lm_diag_error(d, "run %lld (status %s) has no emission results", run_id, r->status);
        goto done;
    }
    if (prepare(db, store_path,
                "SELECT zone, year, emissions_mt FROM r_emissions WHERE run_id = ?1 ORDER BY rowid",
                &st, d) != 0)
        goto done;
    sqlite3_bind_int64(st, 1, run_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *zone = (const char *)sqlite3_column_text(st, 0);
        lm_cr_row *row = report_row(r, &cap, zone ? zone : "", sqlite3_column_int(st, 1));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            row->emissions_mt = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (r->n_rows == 0) {
        lm_diag_error(d, "run %lld (plan %s, status %s) has no emission results", run_id,
                      r->plan_name, r->status);
        goto done;
    }
    if (has_table(db, "r_carbon_caps")) {
        if (prepare(db, store_path,
                    "SELECT scope, year, cap_mt, emissions_mt, shadow_price_usd_per_t "
                    "FROM r_carbon_caps WHERE run_id = ?1 ORDER BY rowid",
                    &st, d) != 0)
            goto done;
        sqlite3_bind_int64(st, 1, run_id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *scope = (const char *)sqlite3_column_text(st, 0);
            lm_cr_row *row = report_row(r, &cap, scope ? scope : "", sqlite3_column_int(st, 1));
            double c = sqlite3_column_type(st, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 2);
            row->cap_mt = isfinite(c) ? c : NAN;
            if (isnan(row->emissions_mt) && sqlite3_column_type(st, 3) != SQLITE_NULL)
                row->emissions_mt = sqlite3_column_double(st, 3);
            if (!isnan(row->cap_mt) && sqlite3_column_type(st, 4) != SQLITE_NULL)
                row->price_usd_per_t = sqlite3_column_double(st, 4);
        }
        sqlite3_finalize(st);
        st = NULL;
    }

    /* NDC levels and countries from the carbon plan's CSV */
    char *csv_path = plan_csv ? lm_xstrdup(plan_csv)
                     : *r->plan_path ? lm_carbon_plan_csv_path(r->plan_path) : NULL;
    if (csv_path && (plan_csv || lm_path_exists(csv_path))) {
        have_csv = 1;
        if (lm_csv_read(csv_path, &csv, d) != 0) {
            free(csv_path);
            goto done;
        }
        int cz = csv_col(&csv, "zone"), cc = csv_col(&csv, "country"), cy = csv_col(&csv, "year");
        int cn = csv_col(&csv, "ndc_target_mt"), ck = csv_col(&csv, "cap_mt");
        int cb = csv_col(&csv, "baseline_mt");
        if (cz < 0 || cy < 0 || cn < 0) {
            lm_diag_error(d, "%s: not a carbon plan CSV (needs columns zone, year, "
                             "ndc_target_mt)", csv_path);
            free(csv_path);
            goto done;
        }
        r->plan_csv = csv_path;
        for (int i = 0; i < csv.n_rows; i++) {
            long year;
            if (lm_parse_int(lm_csv_cell(&csv, i, cy), &year) != 0) continue;
            const char *zone = lm_csv_cell(&csv, i, cz);
            lm_cr_row *row = NULL;
            for (int j = 0; j < r->n_rows && !row; j++)
                if (r->rows[j].year == year && !strcmp(r->rows[j].zone, zone)) row = &r->rows[j];
            if (!row) continue; /* a year or zone the run did not model */
            const char *country = cc >= 0 ? lm_csv_cell(&csv, i, cc) : "";
            if (*country && !row->country) row->country = lm_xstrdup(country);
            double v;
            if (lm_parse_double(lm_csv_cell(&csv, i, cn), &v, 0) == 0) row->ndc_mt = v;
            if (cb >= 0 && lm_parse_double(lm_csv_cell(&csv, i, cb), &v, 0) == 0)
                row->baseline_mt = v;
            if (ck >= 0 && lm_parse_double(lm_csv_cell(&csv, i, ck), &v, 0) == 0 &&
                !isnan(row->cap_mt) && fabs(v - row->cap_mt) > 1e-3 * fmax(1.0, fabs(v)))
                lm_diag_warn(d, "%s: cap of %s in %ld is %g Mt, the run's is %g Mt (plan edited "
                                "after it was generated?)",
                             csv_path, zone, year, v, row->cap_mt);
        }
    } else {
        if (csv_path)
            lm_diag_warn(d, "no carbon plan CSV beside the run's plan (%s): NDC levels not "
                            "shown; name one with --plan-csv", csv_path);
        free(csv_path);
    }
    for (int i = 0; i < r->n_rows; i++) {
        lm_cr_row *basin = &r->rows[i];
        if (strcmp(basin->zone, "basin")) continue;
        double sum = 0;
        for (int j = 0; j < r->n_rows; j++)
            if (r->rows[j].year == basin->year && strcmp(r->rows[j].zone, "basin"))
                sum += r->rows[j].baseline_mt; /* NaN if any zone has none */
        basin->baseline_mt = sum;
    }
    for (int i = 0; i < r->n_rows; i++) {
        lm_cr_row *row = &r->rows[i];
        row->cap_met = isnan(row->cap_mt) ? -1 : within(row->emissions_mt, row->cap_mt);
        row->ndc_met = isnan(row->ndc_mt) ? -1 : within(row->emissions_mt, row->ndc_mt);
    }
    rc = 0;
done:
    if (st) sqlite3_finalize(st);
    if (have_csv) lm_csv_free(&csv);
    run_row_free(&run);
    sqlite3_close(db);
    if (rc != 0) {
        lm_carbon_report_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void lm_carbon_report_free(lm_carbon_report *r)
{
    if (!r) return;
    for (int i = 0; i < r->n_rows; i++) {
        free(r->rows[i].zone);
        free(r->rows[i].country);
    }
    free(r->rows);
    free(r->plan_name);
    free(r->plan_path);
    free(r->status);
    free(r->plan_csv);
    free(r);
}
