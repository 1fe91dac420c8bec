/* test_store.c - the result tables, the CSV exporter and the SQLite result store.
 *
 * Round trips (text and integer keys, NaN -> NULL -> NaN), CSV bytes, a schema mismatch that
 * must leave earlier runs untouched, bad paths, latest run and status, recovery of runs left
 * 'running' by dead processes, and a writer killed with SIGKILL in the middle of its
 * transaction.  The 200,000-row test prints its timings; no test asserts on time. */
#include "../test_util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "store/results.h"
#include "store/store.h"

#ifndef LMPLAN_VERSION
#define LMPLAN_VERSION "unknown" /* as store.c without the CMake definition */
#endif

/* ---- helpers ---------------------------------------------------------------------------- */

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *dir = opendir(path);
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char *sub = lm_xasprintf("%s/%s", path, e->d_name);
            rm_rf(sub);
            free(sub);
        }
        if (dir) closedir(dir);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup_dir(void **state)
{
    char tmpl[] = "/tmp/lmplan-store-XXXXXX";
    if (!mkdtemp(tmpl)) return -1;
    *state = lm_xstrdup(tmpl);
    return 0;
}

static int teardown_dir(void **state)
{
    rm_rf(*state);
    free(*state);
    return 0;
}

static char *in_dir(void **state, const char *name)
{
    return lm_xasprintf("%s/%s", (const char *)*state, name);
}

static char *read_file_or_null(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = lm_xmalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) buf = lm_xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = 0;
    return buf;
}

static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* First column of the first row as text (caller frees), NULL if none. */
static char *sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = lm_xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

static void assert_diag(const lm_diag *d, const char *needle)
{
    if (!lm_diag_contains(d, needle)) {
        lm_diag_print(d, stderr);
        fail_msg("no diagnostic contains \"%s\"", needle);
    }
}

static void assert_same_double(double a, double b)
{
    if (isnan(a) && isnan(b)) return;
    if (memcmp(&a, &b, sizeof a) != 0 && !(a == 0 && b == 0))
        fail_msg("%.17g != %.17g", a, b);
}

/* Every non-empty table and every scalar of `a` is in `b` with the same rows, and b has no
 * other non-empty tables. */
static void assert_results_equal(const lm_results *a, const lm_results *b)
{
    int n_nonempty = 0;
    for (int i = 0; i < a->n_tables; i++) {
        const lm_result_table *t = a->tables[i];
        if (t->n_rows == 0) continue;
        n_nonempty++;
        const lm_result_table *u = lm_results_find(b, t->name);
        if (!u) fail_msg("table %s missing", t->name);
        assert_int_equal(u->n_keys, t->n_keys);
        assert_int_equal(u->n_vals, t->n_vals);
        assert_int_equal(u->n_rows, t->n_rows);
        for (int j = 0; j < t->n_keys; j++) {
            assert_string_equal(u->key_names[j], t->key_names[j]);
            assert_int_equal(u->key_is_int[j], t->key_is_int[j]);
        }
        for (int j = 0; j < t->n_vals; j++) assert_string_equal(u->val_names[j], t->val_names[j]);
        for (size_t k = 0; k < (size_t)t->n_rows * (size_t)t->n_keys; k++) {
            if (!t->keys[k] || !u->keys[k]) assert_ptr_equal(t->keys[k], u->keys[k]);
            else assert_string_equal(u->keys[k], t->keys[k]);
        }
        for (size_t k = 0; k < (size_t)t->n_rows * (size_t)t->n_vals; k++)
            assert_same_double(u->vals[k], t->vals[k]);
    }
    int n_b = 0;
    for (int i = 0; i < b->n_tables; i++) n_b += b->tables[i]->n_rows > 0;
    assert_int_equal(n_b, n_nonempty);
    assert_int_equal(b->n_scalars, a->n_scalars);
    for (int i = 0; i < a->n_scalars; i++) {
        double v;
        assert_int_equal(lm_results_find_scalar(b, a->scalars[i].name, &v), 0);
        assert_same_double(v, a->scalars[i].value);
    }
}

static const char *ZONES[] = {"CHN_YN", "MMR", "LAO", "THA", "KHM", "VNM"};
static const char *TECHS[] = {"hydro", "solar", "wind", "coal", "gas",
                              "biomass", "storage", "nuclear", "oil", "geothermal"};

/* n rows of a 5-key/2-value table "dispatch" (zone, tech, #year, #month, #hour). */
static lm_results *make_bulk(int n)
{
    lm_results *r = lm_results_new();
    lm_result_table *t =
        lm_results_table(r, "dispatch", "zone,tech,#year,#month,#hour", "gen_mwh,curtail_mwh");
    assert_non_null(t);
    for (int i = 0; i < n; i++) {
        const char *k[5] = {ZONES[i % 6], TECHS[(i / 6) % 10],
                            lm_results_intern_int(r, 2025 + (i / 60) % 26),
                            lm_results_intern_int(r, 1 + (i / 1560) % 12),
                            lm_results_intern_int(r, (i / 18720) % 24)};
        double v[2] = {i * 0.37 + 1.0 / 3.0, (i % 7 == 0) ? NAN : -i * 1e-3};
        lm_results_row(r, t, k, v);
    }
    lm_results_scalar(r, "objective_musd", 1234.5678);
    return r;
}

static lm_run_outcome outcome(const char *status, double obj)
{
    lm_run_outcome o = {.status = status, .objective_musd = obj, .n_rows = 10, .n_cols = 20,
                        .n_nonzeros = 55, .load_s = 0.1, .build_s = 0.2, .solve_s = 0.3,
                        .write_s = NAN, .message = NULL};
    return o;
}

/* Open, begin, finish one run; returns its id. */
static int64_t write_run(const char *path, const lm_results *r, const char *status)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    if (lm_store_open(&s, path, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("open failed");
    }
    lm_run_info info = {.plan_name = "base", .plan_path = "plans/base.yaml",
                        .plan_hash = "abc123", .dataset_name = "mekong-xu2025",
                        .dataset_hash = "def456", .solver = "clp", .method = "dual"};
    int64_t id = 0;
    assert_int_equal(lm_store_begin_run(s, &info, &id, &d), 0);
    lm_run_outcome o = outcome(status, 42.0);
    if (lm_store_finish_run(s, id, r, &o, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("finish failed");
    }
    lm_store_close(s);
    assert_int_equal(d.n_errors, 0);
    lm_diag_free(&d);
    return id;
}

static lm_results *load_run(const char *path, int64_t id)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    lm_results *r = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    if (lm_store_load_results(s, id, &r, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("load of run %lld failed", (long long)id);
    }
    lm_store_close(s);
    lm_diag_free(&d);
    return r;
}

static void status_of(const char *path, int64_t id, char *buf, int n)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    if (lm_store_run_status(s, id, buf, n) != 0) fail_msg("no run %lld", (long long)id);
    lm_store_close(s);
    lm_diag_free(&d);
}

/* A small mixed result set: text and integer keys, NaN values, a key-only and an empty
 * table, scalars (one NaN). */
static lm_results *make_small(void)
{
    lm_results *r = lm_results_new();
    lm_result_table *cap =
        lm_results_table(r, "capacity", "zone,tech,#year", "capacity_mw,new_mw");
    lm_result_table *flow = lm_results_table(r, "flow", "#station,#month", "flow_m3s");
    lm_result_table *built = lm_results_table(r, "built", "project", "");
    assert_non_null(lm_results_table(r, "empty", "zone", "x_mw"));
    assert_non_null(cap);
    assert_non_null(flow);
    assert_non_null(built);
    const char *k1[] = {"LAO", "hydro", "2030"}, *k2[] = {"VNM", "solar, rooftop", "2035"},
               *k3[] = {"THA", "wind", "-5"};
    lm_results_row(r, cap, k1, (double[]){1500.25, 0.1});
    lm_results_row(r, cap, k2, (double[]){NAN, 1e-300});
    lm_results_row(r, cap, k3, (double[]){-2.5e10, NAN});
    const char *f1[] = {"9007199254740993", "1"}, *f2[] = {"42", "12"};
    lm_results_row(r, flow, f1, (double[]){12345.678901234567});
    lm_results_row(r, flow, f2, (double[]){0.0});
    const char *b1[] = {"Xayaburi"}, *b2[] = {"Lower Sesan 2"};
    lm_results_row(r, built, b1, NULL);
    lm_results_row(r, built, b2, NULL);
    lm_results_scalar(r, "objective_musd", 98765.4321);
    lm_results_scalar(r, "cost_fuel_musd", NAN);
    return r;
}

/* ---- results in memory ------------------------------------------------------------------ */

static void test_results_tables_and_pool(void **state)
{
    (void)state;
    lm_results *r = lm_results_new();
    lm_result_table *t = lm_results_table(r, "capacity", "zone, tech, #year", "capacity_mw");
    assert_non_null(t);
    assert_int_equal(t->n_keys, 3);
    assert_string_equal(t->key_names[1], "tech");
    assert_int_equal(t->key_is_int[2], 1);
    assert_string_equal(t->key_names[2], "year");
    /* same layout: the same table; other layout, bad names, too many columns: NULL */
    assert_ptr_equal(lm_results_table(r, "capacity", "zone,tech,#year", "capacity_mw"), t);
    assert_null(lm_results_table(r, "capacity", "zone,#year", "capacity_mw"));
    assert_null(lm_results_table(r, "Capacity", "zone", "x"));
    assert_null(lm_results_table(r, "1cap", "zone", "x"));
    assert_null(lm_results_table(r, "cap;drop", "zone", "x"));
    assert_null(lm_results_table(r, "cap", "zone,,tech", "x"));
    assert_null(lm_results_table(r, "cap", "zone,zone", "x"));
    assert_null(lm_results_table(r, "cap", "zone", "zone"));
    assert_null(lm_results_table(r, "cap", "run_id", "x"));
    assert_null(lm_results_table(r, "cap", "a,b,c,d,e,f,g", "x"));
    assert_null(lm_results_table(r, "cap", "a", "v1,v2,v3,v4,v5,v6,v7,v8,v9"));
    assert_null(lm_results_table(r, "cap", "", ""));
    assert_null(lm_results_table(r, "cap", "zone", "#x"));
    assert_non_null(lm_results_table(r, "cap6", "a,b,c,d,e,f", "v1,v2,v3,v4,v5,v6,v7,v8"));
    assert_int_equal(r->n_tables, 2);

    /* 120,000 rows over 6 x 10 x 26 distinct keys: the pool holds each string once */
    char zone[16], tech[16];
    for (int i = 0; i < 120000; i++) {
        snprintf(zone, sizeof zone, "Z%d", i % 6);
        snprintf(tech, sizeof tech, "T%d", (i / 6) % 10);
        const char *k[] = {zone, tech, lm_results_intern_int(r, 2025 + i % 26)};
        lm_results_row(r, t, k, (double[]){i});
    }
    assert_int_equal(t->n_rows, 120000);
    assert_int_equal(r->n_strings, 6 + 10 + 26);
    assert_ptr_equal(t->keys[0], t->keys[6 * 3]);          /* "Z0" shared */
    assert_ptr_equal(t->keys[2], lm_results_intern(r, "2025"));
    assert_string_equal(t->keys[119999 * 3 + 1], "T9");
    assert_true(t->vals[119999] == 119999.0);
    assert_null(lm_results_intern(r, NULL));
    assert_string_equal(lm_results_intern_int(r, 0), "0");
    assert_string_equal(lm_results_intern_int(r, -42), "-42");
    char lmin[32];
    snprintf(lmin, sizeof lmin, "%ld", (long)LONG_MIN);
    assert_string_equal(lm_results_intern_int(r, LONG_MIN), lmin);
    assert_ptr_equal(lm_results_find(r, "capacity"), t);
    assert_null(lm_results_find(r, "nope"));

    double v = 0;
    lm_results_scalar(r, "objective_musd", 1.0);
    lm_results_scalar(r, "objective_musd", 2.0);   /* replaces */
    assert_int_equal(r->n_scalars, 1);
    assert_int_equal(lm_results_find_scalar(r, "objective_musd", &v), 0);
    assert_true(v == 2.0);
    assert_int_equal(lm_results_find_scalar(r, "missing", &v), -1);
    lm_results_free(r);
    lm_results_free(NULL);
}

/* ---- CSV -------------------------------------------------------------------------------- */

static void test_csv_bytes(void **state)
{
    lm_results *r = lm_results_new();
    lm_result_table *t = lm_results_table(r, "price", "zone,#year", "price_usd_per_mwh");
    lm_result_table *k = lm_results_table(r, "built", "project", "");
    const char *k1[] = {"a,b", "2030"}, *k2[] = {"say \"hi\"", "2031"},
               *k3[] = {"line\nbreak", "2032"}, *k4[] = {"plain", "2033"};
    lm_results_row(r, t, k1, (double[]){0.1});
    lm_results_row(r, t, k2, (double[]){NAN});
    lm_results_row(r, t, k3, (double[]){-1e300});
    lm_results_row(r, t, k4, (double[]){INFINITY});
    lm_results_row(r, k, (const char *[]){"Xayaburi"}, NULL);
    lm_results_scalar(r, "objective_musd", 123.5);
    lm_results_scalar(r, "gap", 1.0 / 3.0);

    char *dir = in_dir(state, "out/csv/run1"); /* two levels to create */
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_results_write_csv(r, dir, &d), 0);
    assert_int_equal(d.n_errors, 0);

    char *p = lm_xasprintf("%s/price.csv", dir);
    char *got = read_file_or_null(p);
    assert_non_null(got);
    assert_string_equal(got, "zone,year,price_usd_per_mwh\n"
                             "\"a,b\",2030,0.10000000000000001\n"
                             "\"say \"\"hi\"\"\",2031,\n"
                             "\"line\nbreak\",2032,-1.0000000000000001e+300\n"
                             "plain,2033,inf\n");
    free(got);
    free(p);
    p = lm_xasprintf("%s/built.csv", dir);
    got = read_file_or_null(p);
    assert_string_equal(got, "project\nXayaburi\n");
    free(got);
    free(p);
    p = lm_xasprintf("%s/scalars.csv", dir);
    got = read_file_or_null(p);
    assert_string_equal(got, "name,value\nobjective_musd,123.5\ngap,0.33333333333333331\n");
    assert_true(strtod("0.33333333333333331", NULL) == 1.0 / 3.0);  /* %.17g round-trips */
    free(got);
    free(p);

    /* exactly the three files: no temporaries left behind */
    DIR *dh = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(dh)) != NULL;) n += e->d_name[0] != '.';
    closedir(dh);
    assert_int_equal(n, 3);

    /* writing again into the existing directory replaces the files */
    assert_int_equal(lm_results_write_csv(r, dir, &d), 0);
    free(dir);

    /* a table named "scalars" would clobber scalars.csv */
    lm_results_table(r, "scalars", "name", "value");
    dir = in_dir(state, "out2");
    assert_int_equal(lm_results_write_csv(r, dir, &d), -1);
    assert_diag(&d, "scalars.csv");
    assert_false(lm_path_exists(dir));
    free(dir);
    lm_diag_free(&d);
    lm_results_free(r);
}

static void test_csv_bad_directory(void **state)
{
    lm_results *r = make_small();
    lm_diag d;
    lm_diag_init(&d);
    /* a path component that is a file */
    char *file = in_dir(state, "afile");
    FILE *f = fopen(file, "w");
    fclose(f);
    char *dir = lm_xasprintf("%s/sub", file);
    assert_int_equal(lm_results_write_csv(r, dir, &d), -1);
    assert_diag(&d, "cannot create directory");
    free(dir);
    free(file);
    /* a directory nobody may write into (root may write anywhere but /proc) */
    lm_diag_clear(&d);
    char *ro = in_dir(state, "readonly");
    mkdir(ro, 0555);
    dir = geteuid() == 0 ? lm_xstrdup("/proc/lmplan-test-csv") : lm_xasprintf("%s/out", ro);
    assert_int_equal(lm_results_write_csv(r, dir, &d), -1);
    assert_diag(&d, "cannot create directory");
    free(dir);
    free(ro);
    /* an invalid table name never becomes a file name */
    lm_diag_clear(&d);
    free(r->tables[0]->name);
    r->tables[0]->name = lm_xstrdup("../escape");
    dir = in_dir(state, "out3");
    assert_int_equal(lm_results_write_csv(r, dir, &d), -1);
    assert_diag(&d, "\"../escape\" is not a valid name");
    free(dir);
    lm_diag_free(&d);
    lm_results_free(r);
}

/* ---- store ------------------------------------------------------------------------------ */

static void test_roundtrip(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    lm_results *r = make_small();
    int64_t id = write_run(path, r, "optimal");
    assert_int_equal(id, 1);

    lm_results *back = load_run(path, id);
    assert_results_equal(r, back);
    /* key-only table, integer keys beyond 2^53, key with a comma, NaN in both directions */
    const lm_result_table *flow = lm_results_find(back, "flow");
    assert_string_equal(flow->keys[0], "9007199254740993");
    assert_int_equal(flow->key_is_int[0], 1);
    const lm_result_table *cap = lm_results_find(back, "capacity");
    assert_string_equal(cap->keys[4], "solar, rooftop");
    assert_true(isnan(cap->vals[2]));
    assert_true(isnan(cap->vals[5]));
    assert_string_equal(cap->keys[8], "-5");
    assert_null(lm_results_find(back, "empty"));     /* no rows for this run */
    double v;
    assert_int_equal(lm_results_find_scalar(back, "cost_fuel_musd", &v), 0);
    assert_true(isnan(v));
    lm_results_free(back);

    /* what the file holds, seen through SQL */
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 1);
    char *mode = sql_text(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_capacity WHERE capacity_mw IS NULL"),
                     1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_capacity WHERE new_mw IS NULL"), 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM run_scalars WHERE value IS NULL"), 1);
    char *type = sql_text(path, "SELECT typeof(year) FROM r_capacity LIMIT 1");
    assert_string_equal(type, "integer");
    free(type);
    assert_int_equal(sql_int(path, "SELECT sum(year) FROM r_capacity"), 2030 + 2035 - 5);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                   "AND tbl_name = 'r_flow'"), 1);
    char *row = sql_text(path, "SELECT status || '|' || program_version || '|' || plan_name "
                               "|| '|' || dataset_hash || '|' || solver || '|' || method || '|' "
                               "|| objective_musd || '|' || n_nonzeros || '|' || "
                               "coalesce(write_s, 'null') FROM runs WHERE id = 1");
    char want[256];
    snprintf(want, sizeof want, "optimal|%s|base|def456|clp|dual|42.0|55|null", LMPLAN_VERSION);
    assert_string_equal(row, want);
    free(row);
    char *started = sql_text(path, "SELECT started_at FROM runs WHERE id = 1");
    assert_int_equal(strlen(started), 20);        /* 2025-06-01T12:00:00Z */
    assert_true(started[10] == 'T' && started[19] == 'Z');
    free(started);
    assert_int_equal(sql_int(path, "SELECT julianday(finished_at) >= julianday(started_at) "
                                   "FROM runs WHERE id = 1"), 1);
    assert_int_equal(sql_int(path, "SELECT pid FROM runs WHERE id = 1"), (int64_t)getpid());

    /* a second run adds rows to the same tables; each run reads back its own */
    int64_t id2 = write_run(path, r, "time_limit");
    assert_int_equal(id2, 2);
    back = load_run(path, id2);
    assert_results_equal(r, back);
    lm_results_free(back);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_capacity"), 6);

    /* a run without results */
    assert_int_equal(write_run(path, NULL, "infeasible"), 3);
    back = load_run(path, 3);
    assert_int_equal(back->n_tables, 0);
    assert_int_equal(back->n_scalars, 0);
    lm_results_free(back);

    lm_results_free(r);
    free(path);
}

static void test_latest_and_status(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    char buf[32];
    assert_int_equal(lm_store_latest_run(s), 0);
    assert_int_equal(lm_store_run_status(s, 1, buf, sizeof buf), -1);
    int64_t a, b;
    assert_int_equal(lm_store_begin_run(s, NULL, &a, &d), 0);
    assert_int_equal(lm_store_begin_run(s, NULL, &b, &d), 0);
    assert_true(b > a);
    assert_int_equal(lm_store_latest_run(s), b);
    assert_int_equal(lm_store_run_status(s, a, buf, sizeof buf), 0);
    assert_string_equal(buf, "running");
    assert_int_equal(lm_store_run_status(s, a, buf, 4), 0);   /* truncated, terminated */
    assert_string_equal(buf, "run");
    assert_int_equal(lm_store_run_status(s, a, NULL, 0), 0);
    lm_run_outcome o = outcome("infeasible", NAN);
    o.message = "carbon cap 2030 infeasible";
    assert_int_equal(lm_store_finish_run(s, a, NULL, &o, &d), 0);
    assert_int_equal(lm_store_run_status(s, a, buf, sizeof buf), 0);
    assert_string_equal(buf, "infeasible");
    assert_int_equal(lm_store_latest_run(s), b);

    /* misuse is an error, not a crash: finished twice, unknown run, no status, 'running' */
    assert_int_equal(lm_store_finish_run(s, a, NULL, &o, &d), -1);
    assert_diag(&d, "already finished (status infeasible)");
    assert_int_equal(lm_store_finish_run(s, 999, NULL, &o, &d), -1);
    assert_diag(&d, "no run 999");
    lm_run_outcome bad = outcome("running", 1);
    assert_int_equal(lm_store_finish_run(s, b, NULL, &bad, &d), -1);
    assert_int_equal(lm_store_finish_run(s, b, NULL, NULL, &d), -1);
    assert_int_equal(lm_store_run_status(s, b, buf, sizeof buf), 0);
    assert_string_equal(buf, "running");
    lm_results *r = NULL;
    assert_int_equal(lm_store_load_results(s, 999, &r, &d), -1);
    assert_null(r);
    lm_store_close(s);
    lm_diag_free(&d);
    assert_int_equal(sql_int(path, "SELECT objective_musd IS NULL FROM runs WHERE id = 1"), 1);
    char *msg = sql_text(path, "SELECT message FROM runs WHERE id = 1");
    assert_string_equal(msg, "carbon cap 2030 infeasible");
    free(msg);
    free(path);
}

static void test_schema_mismatch_keeps_earlier_runs(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    /* run 1: capacity as an older version wrote it */
    lm_results *old = lm_results_new();
    lm_result_table *t = lm_results_table(old, "capacity", "zone,#year", "capacity_mw");
    lm_results_row(old, t, (const char *[]){"LAO", "2030"}, (double[]){100});
    lm_results_row(old, t, (const char *[]){"KHM", "2030"}, (double[]){NAN});
    lm_results_scalar(old, "objective_musd", 7);
    int64_t id1 = write_run(path, old, "optimal");

    /* run 2: a new table written first (must vanish too), then capacity with new columns */
    lm_results *neu = lm_results_new();
    lm_result_table *a = lm_results_table(neu, "aaa_first", "zone", "x_mw");
    lm_results_row(neu, a, (const char *[]){"LAO"}, (double[]){1});
    t = lm_results_table(neu, "capacity", "zone,tech,#year", "capacity_mw,new_mw");
    lm_results_row(neu, t, (const char *[]){"LAO", "hydro", "2030"}, (double[]){100, 5});
    lm_results_scalar(neu, "objective_musd", 8);

    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    int64_t id2;
    assert_int_equal(lm_store_begin_run(s, NULL, &id2, &d), 0);
    lm_run_outcome o = outcome("optimal", 8);
    assert_int_equal(lm_store_finish_run(s, id2, neu, &o, &d), -1);
    assert_diag(&d, "table r_capacity has other columns");
    assert_diag(&d, "expected (run_id INTEGER, zone TEXT, tech TEXT, year INTEGER, "
                    "capacity_mw REAL, new_mw REAL)");
    assert_diag(&d, "found (run_id INTEGER, zone TEXT, year INTEGER, capacity_mw REAL)");
    char buf[32];
    assert_int_equal(lm_store_run_status(s, id2, buf, sizeof buf), 0);
    assert_string_equal(buf, "failed");
    lm_store_close(s);
    lm_diag_free(&d);

    /* nothing of run 2 and everything of run 1 */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                   "'r_aaa_first'"), 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM run_scalars WHERE run_id = 2"), 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_capacity"), 2);
    char *msg = sql_text(path, "SELECT message FROM runs WHERE id = 2");
    assert_non_null(strstr(msg, "results not stored: "));
    assert_non_null(strstr(msg, "r_capacity"));
    assert_non_null(strstr(msg, "solver status optimal"));
    free(msg);
    assert_int_equal(sql_int(path, "SELECT objective_musd FROM runs WHERE id = 2"), 8);
    lm_results *back = load_run(path, id1);
    assert_results_equal(old, back);
    lm_results_free(back);
    lm_results_free(old);
    lm_results_free(neu);
    free(path);
}

static void test_bad_names_and_keys(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    lm_run_outcome o = outcome("optimal", 1);

    /* a table name forged after creation (the structs are public) */
    lm_results *r = make_small();
    free(r->tables[1]->name);
    r->tables[1]->name = lm_xstrdup("x\"; DROP TABLE runs; --");
    int64_t id;
    assert_int_equal(lm_store_begin_run(s, NULL, &id, &d), 0);
    assert_int_equal(lm_store_finish_run(s, id, r, &o, &d), -1);
    assert_diag(&d, "is not a valid name");
    lm_results_free(r);

    /* a forged column name */
    r = make_small();
    free(r->tables[0]->val_names[0]);
    r->tables[0]->val_names[0] = lm_xstrdup("a b");
    assert_int_equal(lm_store_begin_run(s, NULL, &id, &d), 0);
    assert_int_equal(lm_store_finish_run(s, id, r, &o, &d), -1);
    assert_diag(&d, "column name \"a b\" is not a valid name");
    lm_results_free(r);

    /* an integer key that is not an integer: the whole run is rolled back */
    r = make_small();
    lm_result_table *t = (lm_result_table *)lm_results_find(r, "flow");
    lm_results_row(r, t, (const char *[]){"12", "2x"}, (double[]){1});
    assert_int_equal(lm_store_begin_run(s, NULL, &id, &d), 0);
    assert_int_equal(lm_store_finish_run(s, id, r, &o, &d), -1);
    assert_diag(&d, "result table flow, row 3, key month: \"2x\" is not an integer");
    lm_results_free(r);
    lm_store_close(s);
    lm_diag_free(&d);

    assert_int_equal(sql_int(path, "SELECT count(*) FROM runs WHERE status = 'failed'"), 3);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                                   "'r\\_%' ESCAPE '\\'"), 0);
    free(path);
}

static void test_bad_paths(void **state)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = (lm_store *)&d; /* must be reset to NULL on failure */

    char *p = in_dir(state, "no/such/dir/store.sqlite");
    assert_int_equal(lm_store_open(&s, p, &d), -1);
    assert_null(s);
    assert_diag(&d, "does not exist");
    free(p);

    assert_int_equal(lm_store_open(&s, (const char *)*state, &d), -1);
    assert_diag(&d, "is a directory");

    p = in_dir(state, "notes.txt");
    FILE *f = fopen(p, "w");
    fputs("this is not a database, it is a note about the Mekong delta\n"
          "and it is long enough to fill the SQLite header and some more bytes......\n", f);
    fclose(f);
    assert_int_equal(lm_store_open(&s, p, &d), -1);
    assert_diag(&d, "is not an SQLite database");
    free(p);

    p = in_dir(state, "other.sqlite");
    sql_exec(p, "CREATE TABLE foo(x)");
    assert_int_equal(lm_store_open(&s, p, &d), -1);
    assert_diag(&d, "not an lmplan result store");
    free(p);

    p = in_dir(state, "newer.sqlite");
    sql_exec(p, "CREATE TABLE runs(id); PRAGMA user_version = 99");
    assert_int_equal(lm_store_open(&s, p, &d), -1);
    assert_diag(&d, "schema_version 99, written by a newer lmplan");
    free(p);

    /* a directory nobody may create files in (for root: /proc) */
    lm_diag_clear(&d);
    char *ro = in_dir(state, "readonly");
    mkdir(ro, 0555);
    p = geteuid() == 0 ? lm_xstrdup("/proc/lmplan-test.sqlite")
                       : lm_xasprintf("%s/store.sqlite", ro);
    assert_int_equal(lm_store_open(&s, p, &d), -1);
    assert_null(s);
    assert_diag(&d, "cannot open result store");
    free(p);
    free(ro);
    assert_int_equal(lm_store_open(&s, "", &d), -1);
    lm_diag_free(&d);
}

/* Runs left 'running': by this (live) process, by a dead process on this host, and by a dead
 * pid on another host.  Only the second becomes 'interrupted'. */
static void test_recovery_only_dead_writers(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    int64_t mine, dead, elsewhere;
    assert_int_equal(lm_store_begin_run(s, NULL, &mine, &d), 0);
    assert_int_equal(lm_store_begin_run(s, NULL, &dead, &d), 0);
    assert_int_equal(lm_store_begin_run(s, NULL, &elsewhere, &d), 0);
    lm_store_close(s);

    pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, NULL, 0); /* reaped: its pid is gone */
    char *sql = lm_xasprintf("UPDATE runs SET pid = %ld WHERE id IN (%lld, %lld);"
                             "UPDATE runs SET host = 'another-host' WHERE id = %lld",
                             (long)child, (long long)dead, (long long)elsewhere,
                             (long long)elsewhere);
    sql_exec(path, sql);
    free(sql);

    char buf[32];
    status_of(path, mine, buf, sizeof buf);
    assert_string_equal(buf, "running");
    status_of(path, dead, buf, sizeof buf);
    assert_string_equal(buf, "interrupted");
    status_of(path, elsewhere, buf, sizeof buf);
    assert_string_equal(buf, "running");
    char *msg = sql_text(path, "SELECT message FROM runs WHERE status = 'interrupted'");
    assert_non_null(strstr(msg, "ended before the run was finished"));
    free(msg);
    lm_diag_free(&d);
    free(path);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A child begins a run and writes a large result set; it is killed with SIGKILL once its
 * transaction holds the write lock and has spilled pages into the WAL.  The store must pass
 * integrity_check, keep runs 1-2 intact, mark run 3 'interrupted' and hold none of its rows. */
static void test_sigkill_mid_transaction(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    char *wal = lm_xasprintf("%s-wal", path);
    lm_results *small = make_small();
    lm_results *bulk = make_bulk(5000);
    assert_int_equal(write_run(path, small, "optimal"), 1);
    assert_int_equal(write_run(path, bulk, "optimal"), 2);

    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        lm_results *big = make_bulk(600000);
        lm_diag d;
        lm_diag_init(&d);
        lm_store *s = NULL;
        int64_t id = 0;
        if (lm_store_open(&s, path, &d) != 0 || lm_store_begin_run(s, NULL, &id, &d) != 0)
            _exit(2);
        if (write(fd[1], "b", 1) != 1) _exit(3);
        lm_run_outcome o = outcome("optimal", 1);
        lm_store_finish_run(s, id, big, &o, &d);
        (void)!write(fd[1], "f", 1);
        _exit(0);
    }
    close(fd[1]);
    char c = 0;
    assert_int_equal(read(fd[0], &c, 1), 1);
    assert_int_equal(c, 'b');

    /* Wait until the child holds the write lock (our BEGIN IMMEDIATE is refused) ... */
    sqlite3 *probe = NULL;
    assert_int_equal(sqlite3_open_v2(path, &probe, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    double t0 = lm_now();
    int locked = 0;
    while (!locked && lm_now() - t0 < 60) {
        int rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_exec(probe, "ROLLBACK", NULL, NULL, NULL);
            sleep_ms(1);
        } else {
            locked = rc == SQLITE_BUSY;
        }
    }
    sqlite3_close(probe);
    assert_true(locked);
    /* ... and has written uncommitted pages into the WAL, then kill it. */
    long wal0 = file_size(wal);
    int status = 0, exited = 0;
    while (file_size(wal) < wal0 + (1L << 20) && lm_now() - t0 < 60) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = 1;
            break;
        }
        sleep_ms(1);
    }
    if (exited) fail_msg("the writer finished before it could be killed");
    long wal_at_kill = file_size(wal);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(read(fd[0], &c, 1), 0);  /* it never reported 'finished' */
    close(fd[0]);
    printf("# killed the writer after %.3f s with %ld bytes in the WAL (%ld before)\n",
           lm_now() - t0, wal_at_kill, wal0);

    char buf[32];
    status_of(path, 3, buf, sizeof buf);
    assert_string_equal(buf, "interrupted");
    char *ok = sql_text(path, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_dispatch WHERE run_id = 3"), 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_dispatch"), 5000);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM run_scalars WHERE run_id = 3"), 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM runs"), 3);
    lm_results *back = load_run(path, 1);
    assert_results_equal(small, back);
    lm_results_free(back);
    back = load_run(path, 2);
    assert_results_equal(bulk, back);
    lm_results_free(back);

    /* the store keeps working */
    assert_int_equal(write_run(path, bulk, "optimal"), 4);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_dispatch"), 10000);
    lm_results_free(small);
    lm_results_free(bulk);
    free(wal);
    free(path);
}

/* 200,000 rows of a 5-key/2-value table: written in one transaction, read back, exported.
 * Prints the timings (not asserted: machines differ). */
static void test_bulk_200k(void **state)
{
    char *path = in_dir(state, "store.sqlite");
    double t0 = lm_now();
    lm_results *r = make_bulk(200000);
    double t_build = lm_now() - t0;
    assert_true(r->n_strings < 100); /* 200,000 x 5 keys, a few dozen distinct strings */

    lm_diag d;
    lm_diag_init(&d);
    lm_store *s = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    int64_t id;
    assert_int_equal(lm_store_begin_run(s, NULL, &id, &d), 0);
    lm_run_outcome o = outcome("optimal", 1);
    t0 = lm_now();
    assert_int_equal(lm_store_finish_run(s, id, r, &o, &d), 0);
    double t_write = lm_now() - t0;
    lm_results *back = NULL;
    t0 = lm_now();
    assert_int_equal(lm_store_load_results(s, id, &back, &d), 0);
    double t_load = lm_now() - t0;
    lm_store_close(s);
    assert_results_equal(r, back);
    lm_results_free(back);

    char *dir = in_dir(state, "csv");
    t0 = lm_now();
    assert_int_equal(lm_results_write_csv(r, dir, &d), 0);
    double t_csv = lm_now() - t0;
    assert_int_equal(d.n_errors, 0);
    printf("# 200000 rows x (5 keys, 2 values): build %.3f s, store write %.3f s, "
           "store load %.3f s, CSV export %.3f s\n", t_build, t_write, t_load, t_csv);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM r_dispatch"), 200000);
    free(dir);
    lm_diag_free(&d);
    lm_results_free(r);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_tables_and_pool),
        cmocka_unit_test_setup_teardown(test_csv_bytes, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_csv_bad_directory, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_roundtrip, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_latest_and_status, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_schema_mismatch_keeps_earlier_runs, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_names_and_keys, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_paths, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_recovery_only_dead_writers, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_sigkill_mid_transaction, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bulk_200k, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
