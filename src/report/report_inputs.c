/* report_inputs.c - gather what a report needs about one run: its row of `runs`, its result
 * tables and scalars (through the store API), the plan file it names, the dataset that plan
 * names (for dam positions, NDC targets and sources), and the axes (zones, technologies,
 * years) and dam statuses derived from them.
 *
 * Only the store and the run are required.  Everything else is optional: when the plan file
 * or the dataset cannot be read, or differs from what the run used (hashes), the report says
 * so in a note instead of failing, and never fills a gap with invented numbers. */
#include "report/report.h"
#include "report/report_internal.h"
#include "core/util.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lm_dam_status_key[LM_DAM_N] = {"existing", "built", "not_built",
                                                 "not_modelled", "planned"};
const char *const lm_dam_status_label[LM_DAM_N] = {
    "existing", "candidate built", "candidate not built", "not modelled", "planned"};

void lm_report_note(lm_report_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = lm_xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    lm_grow(&c->notes, &c->cap_notes, c->n_notes + 1, sizeof *c->notes);
    c->notes[c->n_notes++] = s;
    if (c->d) lm_diag_warn(c->d, "report: %s", s);
}

/* ---- the run's row, read-only ---------------------------------------------------------- */

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? lm_xstrdup((const char *)t) : NULL;
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static long long col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static int read_run_row(const char *path, int64_t id, lm_report_run *r, lm_diag *d)
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
    const char *sql =
        "SELECT started_at, finished_at, status, plan_name, plan_path, plan_hash, dataset_name,"
        " dataset_hash, program_version, solver, method, objective_musd, n_rows, n_cols,"
        " n_nonzeros, load_s, build_s, solve_s, write_s, message, host FROM runs WHERE id = ?1";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        lm_diag_error(d, "result store \"%s\": cannot read table runs: %s", path,
                      sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        lm_diag_error(d, "result store \"%s\": no run %lld", path, (long long)id);
        goto done;
    }
    r->id = id;
    r->started_at = col_text(st, 0);
    r->finished_at = col_text(st, 1);
    r->status = col_text(st, 2);
    r->plan_name = col_text(st, 3);
    r->plan_path = col_text(st, 4);
    r->plan_hash = col_text(st, 5);
    r->dataset_name = col_text(st, 6);
    r->dataset_hash = col_text(st, 7);
    r->program_version = col_text(st, 8);
    r->solver = col_text(st, 9);
    r->method = col_text(st, 10);
    r->objective_musd = col_real(st, 11);
    r->n_rows = col_int(st, 12);
    r->n_cols = col_int(st, 13);
    r->n_nonzeros = col_int(st, 14);
    r->load_s = col_real(st, 15);
    r->build_s = col_real(st, 16);
    r->solve_s = col_real(st, 17);
    r->write_s = col_real(st, 18);
    r->message = col_text(st, 19);
    r->host = col_text(st, 20);
    ret = 0;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ret;
}

static void free_run(lm_report_run *r)
{
    char **s[] = {&r->started_at, &r->finished_at, &r->status, &r->plan_name, &r->plan_path,
                  &r->plan_hash, &r->dataset_name, &r->dataset_hash, &r->program_version,
                  &r->solver, &r->method, &r->message, &r->host};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        free(*s[i]);
        *s[i] = NULL;
    }
}

/* ---- plan, dataset and the dataset's extra CSV files ----------------------------------- */

static const char *first_message(const lm_diag *d)
{
    return d->n_stored > 0 ? d->messages[0] : "unknown error";
}

/* The plan file as stored with the run is relative to the folder lmplan ran in.  Look for it
 * there, then beside the store and one folder up (results/lmplan.sqlite sits one level below
 * the folder runs are started from); a candidate whose SHA-256 matches the run's wins. */
static void load_plan(lm_report_ctx *c)
{
    const char *p = c->run.plan_path;
    if (!p || !*p) {
        lm_report_note(c, "the run does not name a plan file; plan details are not available");
        return;
    }
    char *store_dir = lm_path_dirname(c->store_path);
    char *store_up = lm_path_join(store_dir, "..");
    char *cand[3] = {lm_xstrdup(p), lm_path_join(store_dir, p), lm_path_join(store_up, p)};
    int n_cand = p[0] == '/' ? 1 : 3;
    char *first_error = NULL;
    int n_errors = 0, found = 0;
    for (int i = 0; i < n_cand; i++) {
        if (!lm_path_exists(cand[i]) || lm_path_is_dir(cand[i])) continue;
        found = 1;
        lm_plan *plan = NULL;
        lm_diag pd;
        lm_diag_init(&pd);
        if (lm_plan_load(cand[i], &plan, &pd) != 0) {
            if (!first_error) {
                first_error = lm_xstrdup(first_message(&pd));
                n_errors = pd.n_errors;
            }
        } else if (!c->plan || (c->run.plan_hash && !strcmp(plan->hash, c->run.plan_hash) &&
                                strcmp(c->plan->hash, c->run.plan_hash))) {
            lm_plan_free(c->plan);
            c->plan = plan;
            plan = NULL;
        }
        lm_plan_free(plan);
        lm_diag_free(&pd);
    }
    if (!found)
        lm_report_note(c, "plan file %s (stored with the run, relative to the folder lmplan ran "
                          "in) was not found here, beside the store or one folder up; plan "
                          "details are not available", p);
    else if (!c->plan)
        lm_report_note(c, "plan file %s cannot be read (%d error(s); first: %s); plan details "
                          "are not available", p, n_errors, first_error ? first_error : "?");
    else if (c->run.plan_hash && strcmp(c->plan->hash, c->run.plan_hash) != 0)
        lm_report_note(c, "plan file %s has changed since the run (SHA-256 %.12s... now, "
                          "%.12s... at run time); the plan details shown are from the file as "
                          "it is now", c->plan->path, c->plan->hash, c->run.plan_hash);
    free(first_error);
    for (int i = 0; i < 3; i++) free(cand[i]);
    free(store_dir);
    free(store_up);
}

static void read_optional_csv(lm_report_ctx *c, const char *root, const char *file, lm_csv *csv,
                              int *has)
{
    char *path = lm_path_join(root, file);
    memset(csv, 0, sizeof *csv);
    if (lm_path_exists(path)) {
        lm_diag cd;
        lm_diag_init(&cd);
        if (lm_csv_read(path, csv, &cd) == 0) {
            *has = 1;
        } else {
            lm_report_note(c, "%s cannot be read (%s); it is left out", path, first_message(&cd));
            lm_csv_free(csv);
        }
        lm_diag_free(&cd);
    }
    free(path);
}

static void load_dataset(lm_report_ctx *c, const lm_report_options *opt)
{
    const char *p = opt && opt->dataset ? opt->dataset : c->plan ? c->plan->dataset : NULL;
    if (!p) {
        lm_report_note(c, "no dataset to read dam positions, NDC targets and sources from "
                          "(give one with --dataset)");
        return;
    }
    c->dataset_path = lm_xstrdup(p);
    lm_diag dd;
    lm_diag_init(&dd);
    if (lm_dataset_load(p, &c->ds, &dd) != 0) {
        lm_report_note(c, "dataset %s cannot be read (%d error(s); first: %s); dam positions "
                          "are not available", p, dd.n_errors, first_message(&dd));
    } else if (c->run.dataset_hash && strcmp(c->ds->hash, c->run.dataset_hash) != 0) {
        lm_report_note(c, "dataset %s differs from the one the run used (SHA-256 %.12s... now, "
                          "%.12s... at run time); dam positions, NDC targets and sources are "
                          "from the files as they are now", p, c->ds->hash, c->run.dataset_hash);
    }
    lm_diag_free(&dd);
    const char *root = c->ds ? c->ds->root : lm_path_is_dir(p) ? p : NULL;
    if (!root) return;
    read_optional_csv(c, root, "sources.csv", &c->sources, &c->has_sources);
    read_optional_csv(c, root, "ndc_targets.csv", &c->ndc, &c->has_ndc);
    read_optional_csv(c, root, "dams_extra.csv", &c->dams_extra, &c->has_dams_extra);
}

/* ---- axes ------------------------------------------------------------------------------- */

static void axis_from(lm_axis *a, const lm_results *res, const char *table, const char *key,
                      const char *skip)
{
    const lm_result_table *t = lm_results_find(res, table);
    if (!t) return;
    int k = lm_rt_col(t, key);
    if (k < 0 || k >= t->n_keys) return;
    for (int i = 0; i < t->n_rows; i++) {
        const char *v = lm_rt_key(t, i, k);
        if (v && (!skip || strcmp(v, skip))) lm_axis_add(a, v);
    }
}

static void build_axes(lm_report_ctx *c)
{
    static const char *zone_tables[] = {"capacity", "generation_annual", "emissions"};
    for (size_t i = 0; i < 3; i++) axis_from(&c->zones, c->res, zone_tables[i], "zone", NULL);
    axis_from(&c->zones, c->res, "lines", "from_zone", NULL);
    axis_from(&c->zones, c->res, "lines", "to_zone", NULL);
    axis_from(&c->techs, c->res, "capacity", "tech", NULL);
    axis_from(&c->techs, c->res, "generation_annual", "tech", NULL);
    static const char *year_tables[] = {"capacity", "generation_annual", "emissions",
                                        "carbon_caps", "lines"};
    for (size_t i = 0; i < 5; i++) axis_from(&c->years, c->res, year_tables[i], "year", NULL);
    axis_from(&c->years, c->res, "costs", "year", "0"); /* 0 = not tied to a year */
    lm_axis_sort_numeric(&c->years);
}

/* ---- dams: dataset stations with the run's build decisions (r_dams) if any --------------- */

static const char *dams_extra_river(const lm_report_ctx *c, long id)
{
    if (!c->has_dams_extra) return NULL;
    int ci = lm_find_name(c->dams_extra.header, c->dams_extra.n_cols, "station_id");
    int cr = lm_find_name(c->dams_extra.header, c->dams_extra.n_cols, "river");
    if (ci < 0 || cr < 0) return NULL;
    for (int i = 0; i < c->dams_extra.n_rows; i++) {
        long v;
        if (lm_parse_int(lm_csv_cell(&c->dams_extra, i, ci), &v) == 0 && v == id)
            return lm_csv_cell(&c->dams_extra, i, cr);
    }
    return NULL;
}

/* Value column `name` of row i of r_dams, NaN if the table has no such column. */
static double dam_value(const lm_result_table *t, int row, const char *name)
{
    int col = lm_rt_col(t, name);
    return col >= t->n_keys ? lm_rt_val(t, row, col) : NAN;
}

static void build_dams(lm_report_ctx *c)
{
    if (!c->ds || c->ds->n_stations == 0) return;
    const lm_dataset *ds = c->ds;
    const lm_result_table *rd = lm_results_find(c->res, "dams");
    int k_id = rd ? lm_rt_col(rd, "station_id") : -1;
    if (rd && (k_id < 0 || k_id >= rd->n_keys || lm_rt_col(rd, "built") < rd->n_keys)) {
        lm_report_note(c, "result table dams has no key station_id or no value built; dam "
                          "statuses come from commissioning years instead");
        rd = NULL;
    }
    c->n_dams = ds->n_stations;
    c->dams = lm_xcalloc((size_t)c->n_dams, sizeof *c->dams);
    for (int s = 0; s < ds->n_stations; s++) {
        lm_report_dam *dm = &c->dams[s];
        dm->st = &ds->stations[s];
        dm->zone = dm->st->zone >= 0 && dm->st->zone < ds->n_zones ? ds->zones[dm->st->zone] : "";
        dm->river = dams_extra_river(c, dm->st->id);
        dm->built = dm->energy_twh = NAN;
        dm->decided = -1;
        int row = -1;
        for (int i = 0; rd && i < rd->n_rows && row < 0; i++) {
            long id;
            if (lm_parse_int(lm_rt_key(rd, i, k_id), &id) == 0 && id == dm->st->id) row = i;
        }
        if (row >= 0) {
            dm->built = dam_value(rd, row, "built");
            double fy = dam_value(rd, row, "first_year"), state = dam_value(rd, row, "state");
            dm->first_year = isfinite(fy) && dm->built >= 0.5 ? (int)fy : 0; /* built only */
            dm->decided = isnan(state) ? -1 : state == 3;
            dm->energy_twh = dam_value(rd, row, "energy_twh_last_year");
        }
        if (dm->st->is_existing) dm->status = LM_DAM_EXISTING;
        else if (!rd) dm->status = LM_DAM_PLANNED;
        else if (row < 0 || isnan(dm->built)) dm->status = LM_DAM_NOT_MODELLED;
        else dm->status = dm->built >= 0.5 ? LM_DAM_BUILT : LM_DAM_NOT_BUILT;
    }
}

/* ---- entry ------------------------------------------------------------------------------ */

int lm_report_gather(lm_report_ctx *c, const char *store_path, int64_t run_id,
                     const lm_report_options *opt, lm_diag *d)
{
    memset(c, 0, sizeof *c);
    c->store_path = store_path;
    if (!store_path || !lm_path_exists(store_path) || lm_path_is_dir(store_path)) {
        lm_diag_error(d, "result store \"%s\" does not exist (run `lmplan run PLAN` first, or "
                         "name the store with --store)", store_path ? store_path : "");
        return -1;
    }
    lm_store *s;
    if (lm_store_open(&s, store_path, d) != 0) return -1;
    if (run_id == 0) run_id = lm_store_latest_run(s);
    int ret = -1;
    if (run_id == 0) {
        lm_diag_error(d, "result store \"%s\" holds no runs", store_path);
    } else if (lm_store_run_status(s, run_id, NULL, 0) != 0) {
        lm_diag_error(d, "result store \"%s\" has no run %lld (latest: %lld)", store_path,
                      (long long)run_id, (long long)lm_store_latest_run(s));
    } else if (lm_store_load_results(s, run_id, &c->res, d) == 0) {
        ret = 0;
    }
    lm_store_close(s);
    if (ret != 0 || read_run_row(store_path, run_id, &c->run, d) != 0) return -1;
    c->d = d;
    load_plan(c);
    load_dataset(c, opt);
    build_axes(c);
    build_dams(c);
    return 0;
}

void lm_report_ctx_free(lm_report_ctx *c)
{
    free_run(&c->run);
    lm_results_free(c->res);
    lm_plan_free(c->plan);
    lm_dataset_free(c->ds);
    free(c->dataset_path);
    if (c->has_sources) lm_csv_free(&c->sources);
    if (c->has_ndc) lm_csv_free(&c->ndc);
    if (c->has_dams_extra) lm_csv_free(&c->dams_extra);
    lm_axis_free(&c->zones);
    lm_axis_free(&c->techs);
    lm_axis_free(&c->years);
    free(c->dams);
    for (int i = 0; i < c->n_notes; i++) free(c->notes[i]);
    free(c->notes);
    memset(c, 0, sizeof *c);
}
