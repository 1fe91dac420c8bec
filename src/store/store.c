/* store.c - the SQLite result store (see store.h and docs/results.md).
 *
 * One database file in WAL mode.  `runs` holds one row per run; a run is inserted as
 * 'running' (committed at once, with the writer's pid and host), and lm_store_finish_run
 * writes every result table, the scalars and the final run row in a single BEGIN IMMEDIATE
 * transaction, so a killed writer leaves nothing of its results behind.  Opening the store
 * marks runs left 'running' by a dead process on this host as 'interrupted'.  Result table
 * <name> lives in r_<name>(run_id, keys..., values...); names are checked against
 * [a-z][a-z0-9_]* before they are spliced into SQL (and quoted as identifiers as well), all
 * data goes through bound parameters.  A handle is opened without SQLite's mutexes: use one
 * lm_store per thread (threads of a sweep each open their own; WAL lets them share the file). */
#include "store/store.h"
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef LMPLAN_VERSION
#define LMPLAN_VERSION "unknown"
#endif

#define LM_STORE_SCHEMA_VERSION 1
#define LM_STORE_BUSY_MS 30000 /* wait this long for another writer (sweeps share a store) */
#define LM_STORE_BATCH 64      /* result rows per INSERT statement */

/* Defined in results.c, shared with the CSV exporter (not part of results.h). */
int lm_results_name_ok(const char *s);
int lm_results_check_table(const lm_result_table *t, lm_diag *d);

struct lm_store {
    sqlite3 *db;
    char *path;
    char host[256];
};

static const char *SCHEMA =
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  started_at TEXT NOT NULL,      -- ISO-8601 UTC, e.g. 2025-06-01T12:00:00Z\n"
    "  finished_at TEXT,\n"
    "  status TEXT NOT NULL,          -- running, optimal, infeasible, ..., failed, interrupted\n"
    "  plan_name TEXT, plan_path TEXT, plan_hash TEXT,\n"
    "  dataset_name TEXT, dataset_hash TEXT,\n"
    "  program_version TEXT NOT NULL,\n"
    "  solver TEXT, method TEXT,\n"
    "  objective_musd REAL,\n"
    "  n_rows INTEGER, n_cols INTEGER, n_nonzeros INTEGER,\n"
    "  load_s REAL, build_s REAL, solve_s REAL, write_s REAL,\n"
    "  message TEXT,\n"
    "  pid INTEGER, host TEXT         -- the writer, to detect runs left by a dead process\n"
    ");\n"
    "CREATE TABLE run_scalars (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  name TEXT NOT NULL,\n"
    "  value REAL,\n"
    "  UNIQUE (run_id, name)\n"
    ");\n";

/* ---- small helpers -------------------------------------------------------------------- */

static void db_error(lm_store *s, lm_diag *d, const char *what)
{
    lm_diag_error(d, "result store \"%s\": %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(lm_store *s, const char *sql, lm_diag *d, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK) return 0;
    db_error(s, d, what);
    return -1;
}

static sqlite3_stmt *prepare(lm_store *s, const char *sql, lm_diag *d)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_error(s, d, "cannot prepare statement");
        return NULL;
    }
    return st;
}

static void rollback(lm_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* NaN (and so "no value") is stored as NULL. */
static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static void now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One integer from a one-row query; `dflt` if no row. */
static int query_int(lm_store *s, const char *sql, int64_t *v, int64_t dflt, lm_diag *d)
{
    sqlite3_stmt *st = prepare(s, sql, d);
    if (!st) return -1;
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : dflt;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) db_error(s, d, "query failed");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* ---- open, schema, recovery ----------------------------------------------------------- */

static int create_or_check_schema(lm_store *s, lm_diag *d)
{
    int readonly = sqlite3_db_readonly(s->db, "main") == 1;
    if (!readonly && exec(s, "BEGIN IMMEDIATE", d, "cannot start transaction") != 0) return -1;
    int64_t version = 0, n_objects = 0;
    if (query_int(s, "PRAGMA user_version", &version, 0, d) != 0 ||
        query_int(s, "SELECT count(*) FROM sqlite_master", &n_objects, 0, d) != 0)
        goto fail;
    if (version == 0 && n_objects == 0) {
        if (readonly) {
            lm_diag_error(d, "result store \"%s\" is empty and read-only", s->path);
            goto fail;
        }
        char *sql = lm_xasprintf("%s PRAGMA user_version = %d;", SCHEMA,
                                 LM_STORE_SCHEMA_VERSION);
        int rc = exec(s, sql, d, "cannot create schema");
        free(sql);
        if (rc) goto fail;
    } else if (version == 0) {
        lm_diag_error(d, "\"%s\" is an SQLite database but not an lmplan result store "
                         "(no schema_version and %lld other objects)",
                      s->path, (long long)n_objects);
        goto fail;
    } else if (version > LM_STORE_SCHEMA_VERSION) {
        lm_diag_error(d, "result store \"%s\" has schema_version %lld, written by a newer "
                         "lmplan; this lmplan %s reads up to schema_version %d",
                      s->path, (long long)version, LMPLAN_VERSION, LM_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (!readonly && exec(s, "COMMIT", d, "cannot create schema") != 0) goto fail;
    return 0;
fail:
    rollback(s);
    return -1;
}

static int process_gone(int64_t pid)
{
    if (pid <= 0 || (int64_t)(pid_t)pid != pid) return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Runs still 'running' whose writer (on this host) no longer exists become 'interrupted'.
 * A live pid (even a reused one) or another host's run is left alone.  The pids are checked
 * without a lock, so opening a store that a sweep is writing to does not wait for a writer
 * unless there is something to mark; the update re-checks status and pid. */
static int mark_interrupted(lm_store *s, lm_diag *d)
{
    if (sqlite3_db_readonly(s->db, "main") == 1) return 0;
    sqlite3_stmt *sel = prepare(s, "SELECT id, pid FROM runs WHERE status = 'running' AND "
                                   "host = ?1", d);
    if (!sel) return -1;
    bind_text(sel, 1, s->host);
    int64_t *dead = NULL;
    int n_dead = 0, cap_dead = 0, step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(sel, 0), pid = sqlite3_column_int64(sel, 1);
        if (!process_gone(pid)) continue;
        lm_grow(&dead, &cap_dead, n_dead + 2, sizeof *dead);
        dead[n_dead++] = id;
        dead[n_dead++] = pid;
    }
    sqlite3_finalize(sel);
    int rc = 0;
    if (step != SQLITE_DONE) {
        db_error(s, d, "cannot read runs");
        rc = -1;
    }
    if (!rc && n_dead > 0) {
        sqlite3_stmt *upd = NULL;
        rc = exec(s, "BEGIN IMMEDIATE", d, "cannot start transaction");
        if (!rc) upd = prepare(s, "UPDATE runs SET status = 'interrupted', finished_at = ?3, "
                                  "message = ?4 WHERE id = ?1 AND pid = ?2 AND "
                                  "status = 'running'", d);
        if (!rc && !upd) rc = -1;
        char now[32];
        now_iso(now);
        for (int i = 0; !rc && i < n_dead; i += 2) {
            char msg[128];
            snprintf(msg, sizeof msg, "process %lld ended before the run was finished",
                     (long long)dead[i + 1]);
            sqlite3_bind_int64(upd, 1, dead[i]);
            sqlite3_bind_int64(upd, 2, dead[i + 1]);
            bind_text(upd, 3, now);
            bind_text(upd, 4, msg);
            if (sqlite3_step(upd) != SQLITE_DONE) {
                db_error(s, d, "cannot mark interrupted run");
                rc = -1;
            }
            sqlite3_reset(upd);
        }
        sqlite3_finalize(upd);
        if (!rc) rc = exec(s, "COMMIT", d, "cannot mark interrupted runs");
        if (rc) rollback(s);
    }
    free(dead);
    return rc;
}

static int configure(lm_store *s, lm_diag *d)
{
    sqlite3_busy_timeout(s->db, LM_STORE_BUSY_MS);
    /* The first read tells whether the file is a database at all. */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_NOTADB) {
        lm_diag_error(d, "\"%s\" is not an SQLite database (not a result store)", s->path);
        return -1;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(s, d, "cannot read");
        return -1;
    }
    if (sqlite3_db_readonly(s->db, "main") != 1) {
        st = prepare(s, "PRAGMA journal_mode = WAL", d);
        if (!st) return -1;
        rc = sqlite3_step(st);
        const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (rc != SQLITE_ROW) db_error(s, d, "cannot set journal_mode=WAL");
        else if (mode && strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
            lm_diag_warn(d, "result store \"%s\": journal_mode is %s, not wal (file system "
                            "without shared memory?)", s->path, mode);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) return -1;
    }
    /* foreign_keys stays off (SQLite's default): finish_run checks the run inside its
     * transaction, and enforcement costs ~10% of a bulk write. */
    if (exec(s, "PRAGMA synchronous = NORMAL;", d,
             "cannot configure") != 0)
        return -1;
    return 0;
}

int lm_store_open(lm_store **out, const char *path, lm_diag *d)
{
    *out = NULL;
    if (!path || !*path) {
        lm_diag_error(d, "result store: no path given");
        return -1;
    }
    if (lm_path_is_dir(path)) {
        lm_diag_error(d, "result store \"%s\" is a directory, not a file", path);
        return -1;
    }
    if (!lm_path_exists(path) && strcmp(path, ":memory:") != 0) {
        char *dir = lm_path_dirname(path);
        int ok = lm_path_is_dir(dir);
        if (!ok) lm_diag_error(d, "cannot create result store \"%s\": directory \"%s\" does "
                                  "not exist", path, dir);
        free(dir);
        if (!ok) return -1;
    }
    lm_store *s = lm_xcalloc(1, sizeof *s);
    s->path = lm_xstrdup(path);
    if (gethostname(s->host, sizeof s->host - 1) != 0) snprintf(s->host, sizeof s->host, "?");
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                              SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int e = s->db ? sqlite3_system_errno(s->db) : 0;
        lm_diag_error(d, "cannot open result store \"%s\": %s%s%s%s", path,
                      s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), e ? " (" : "",
                      e ? strerror(e) : "", e ? ")" : "");
        lm_store_close(s);
        return -1;
    }
    if (configure(s, d) != 0 || create_or_check_schema(s, d) != 0 ||
        mark_interrupted(s, d) != 0) {
        lm_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void lm_store_close(lm_store *s)
{
    if (!s) return;
    if (s->db) sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* ---- runs ----------------------------------------------------------------------------- */

int lm_store_begin_run(lm_store *s, const lm_run_info *info, int64_t *run_id, lm_diag *d)
{
    static const lm_run_info none = {0};
    if (!info) info = &none;
    *run_id = 0;
    sqlite3_stmt *st = prepare(s,
        "INSERT INTO runs (started_at, status, plan_name, plan_path, plan_hash, dataset_name,"
        " dataset_hash, program_version, solver, method, pid, host)"
        " VALUES (?1, 'running', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", d);
    if (!st) return -1;
    char now[32];
    now_iso(now);
    bind_text(st, 1, now);
    bind_text(st, 2, info->plan_name);
    bind_text(st, 3, info->plan_path);
    bind_text(st, 4, info->plan_hash);
    bind_text(st, 5, info->dataset_name);
    bind_text(st, 6, info->dataset_hash);
    bind_text(st, 7, LMPLAN_VERSION);
    bind_text(st, 8, info->solver);
    bind_text(st, 9, info->method);
    sqlite3_bind_int64(st, 10, (int64_t)getpid());
    bind_text(st, 11, s->host);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        db_error(s, d, "cannot record new run");
    else
        *run_id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

/* State of one finish_run: the first error's text is kept for the run row's message. */
typedef struct finish_ctx {
    lm_store *s;
    lm_diag *d;
    int64_t run_id;
    char err[1024];
} finish_ctx;

static void ferr(finish_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ferr(finish_ctx *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lm_diag_error(c->d, "%s", buf);
    if (!c->err[0]) snprintf(c->err, sizeof c->err, "%s", buf);
}

/* Keep the newest diag error (recorded by a helper since `before`) as the run's reason. */
static void keep_error(finish_ctx *c, int before)
{
    const lm_diag *d = c->d;
    if (c->err[0] || d->n_errors == before || d->n_stored == 0) return;
    const char *m = d->messages[d->n_stored - 1];
    if (strncmp(m, "error: ", 7) == 0) m += 7;
    snprintf(c->err, sizeof c->err, "%s", m);
}

static void ferr_db(finish_ctx *c, const char *what)
{
    ferr(c, "result store \"%s\": %s: %s", c->s->path, what, sqlite3_errmsg(c->s->db));
}

static const char *col_name(const lm_result_table *t, int j)
{
    return j < t->n_keys ? t->key_names[j] : t->val_names[j - t->n_keys];
}

static const char *col_type(const lm_result_table *t, int j)
{
    return j < t->n_keys ? (t->key_is_int[j] ? "INTEGER" : "TEXT") : "REAL";
}

/* Append text to a growing string. */
static void cat(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void cat(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (*len + (size_t)n + 1 > *cap) {
        *cap = 2 * (*len + (size_t)n + 1);
        *buf = lm_xrealloc(*buf, *cap);
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* Create r_<name> if missing; if it exists, its columns must be exactly ours. */
static int ensure_table(finish_ctx *c, const lm_result_table *t)
{
    lm_store *s = c->s;
    char *tname = lm_xasprintf("r_%s", t->name);
    sqlite3_stmt *st = prepare(s, "SELECT name, upper(type) FROM pragma_table_info(?1)", c->d);
    if (!st) {
        free(tname);
        return -1;
    }
    bind_text(st, 1, tname);
    char *found = NULL;
    size_t flen = 0, fcap = 0;
    int n_found = 0, same = 1, rc;
    const int n_cols = 1 + t->n_keys + t->n_vals;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        name = name ? name : "";
        type = type ? type : "";
        cat(&found, &flen, &fcap, "%s%s %s", n_found ? ", " : "", name, type);
        const char *want_name = n_found == 0 ? "run_id" : n_found < n_cols
                                                             ? col_name(t, n_found - 1) : "";
        const char *want_type = n_found == 0 ? "INTEGER" : n_found < n_cols
                                                              ? col_type(t, n_found - 1) : "";
        if (n_found >= n_cols || strcmp(name, want_name) || strcmp(type, want_type)) same = 0;
        n_found++;
    }
    sqlite3_finalize(st);
    int ret = 0;
    if (rc != SQLITE_DONE) {
        ferr_db(c, "cannot read table layout");
        ret = -1;
    } else if (n_found > 0 && (!same || n_found != n_cols)) {
        char *want = NULL;
        size_t wlen = 0, wcap = 0;
        cat(&want, &wlen, &wcap, "run_id INTEGER");
        for (int j = 0; j < n_cols - 1; j++)
            cat(&want, &wlen, &wcap, ", %s %s", col_name(t, j), col_type(t, j));
        ferr(c, "result store \"%s\": table %s has other columns than result table %s "
                "(older or newer schema): expected (%s), found (%s); nothing of run %lld "
                "was stored",
             s->path, tname, t->name, want, found, (long long)c->run_id);
        free(want);
        ret = -1;
    } else if (n_found == 0) {
        char *sql = NULL;
        size_t len = 0, cap = 0;
        cat(&sql, &len, &cap, "CREATE TABLE \"%s\" (run_id INTEGER NOT NULL REFERENCES runs(id)",
            tname);
        for (int j = 0; j < n_cols - 1; j++)
            cat(&sql, &len, &cap, ", \"%s\" %s", col_name(t, j), col_type(t, j));
        cat(&sql, &len, &cap, "); CREATE INDEX \"ix_%s_run_id\" ON \"%s\" (run_id);", tname,
            tname);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            ferr_db(c, "cannot create result table");
            ret = -1;
        }
        free(sql);
    }
    free(found);
    free(tname);
    return ret;
}

static int parse_int_key(const char *s, int64_t *v)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*end || errno == ERANGE) return -1;
    *v = x;
    return 0;
}

/* INSERT of n_rows rows into r_<name>; the run id is a literal, every key and value a
 * parameter (n_rows * (n_keys + n_vals) <= 64 * 14 stays under SQLite's oldest limit, 999). */
static sqlite3_stmt *prepare_insert(finish_ctx *c, const lm_result_table *t, int n_rows)
{
    char *sql = NULL;
    size_t len = 0, cap = 0;
    const int n_cols = t->n_keys + t->n_vals;
    cat(&sql, &len, &cap, "INSERT INTO \"r_%s\" (run_id", t->name);
    for (int j = 0; j < n_cols; j++) cat(&sql, &len, &cap, ", \"%s\"", col_name(t, j));
    cat(&sql, &len, &cap, ") VALUES ");
    for (int i = 0; i < n_rows; i++) {
        cat(&sql, &len, &cap, "%s(%lld", i ? ", " : "", (long long)c->run_id);
        for (int j = 0; j < n_cols; j++) cat(&sql, &len, &cap, ", ?");
        cat(&sql, &len, &cap, ")");
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        ferr_db(c, "cannot prepare insert");
        st = NULL;
    }
    free(sql);
    return st;
}

/* Integer keys are interned strings, so a column's last pointer caches its parsed value. */
typedef struct int_cache {
    const char *text[LM_RT_MAXKEYS];
    int64_t value[LM_RT_MAXKEYS];
} int_cache;

/* Bind row i of t to parameters base+1 .. base+n_keys+n_vals. */
static int bind_row(finish_ctx *c, sqlite3_stmt *st, int base, const lm_result_table *t, int i,
                    int_cache *ic)
{
    const char *const *k = t->keys + (size_t)i * (size_t)t->n_keys;
    const double *v = t->vals + (size_t)i * (size_t)t->n_vals;
    for (int j = 0; j < t->n_keys; j++) {
        if (!k[j]) {
            sqlite3_bind_null(st, base + j + 1);
        } else if (!t->key_is_int[j]) {
            sqlite3_bind_text(st, base + j + 1, k[j], -1, SQLITE_STATIC);
        } else {
            if (k[j] != ic->text[j]) {
                if (parse_int_key(k[j], &ic->value[j]) != 0) {
                    ic->text[j] = NULL;
                    ferr(c, "result table %s, row %d, key %s: \"%s\" is not an integer",
                         t->name, i + 1, t->key_names[j], k[j]);
                    return -1;
                }
                ic->text[j] = k[j];
            }
            sqlite3_bind_int64(st, base + j + 1, ic->value[j]);
        }
    }
    for (int j = 0; j < t->n_vals; j++) bind_real(st, base + t->n_keys + j + 1, v[j]);
    return 0;
}

/* Rows go in LM_STORE_BATCH at a time: one multi-row INSERT keeps its cursors open and
 * appends to the run_id index without a descent per row (about 2x faster than one INSERT per
 * row); the last n_rows % LM_STORE_BATCH rows use a one-row statement. */
static int insert_rows(finish_ctx *c, const lm_result_table *t)
{
    const int n_cols = t->n_keys + t->n_vals;
    int_cache ic = {{0}, {0}};
    int ret = 0, i = 0;
    sqlite3_stmt *st = NULL;
    if (t->n_rows >= LM_STORE_BATCH) {
        st = prepare_insert(c, t, LM_STORE_BATCH);
        if (!st) return -1;
        for (; i + LM_STORE_BATCH <= t->n_rows && !ret; i += LM_STORE_BATCH) {
            for (int b = 0; b < LM_STORE_BATCH && !ret; b++)
                ret = bind_row(c, st, b * n_cols, t, i + b, &ic);
            if (!ret && sqlite3_step(st) != SQLITE_DONE) {
                ferr_db(c, "cannot insert result rows");
                ret = -1;
            }
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (!ret && i < t->n_rows) {
        st = prepare_insert(c, t, 1);
        if (!st) return -1;
        for (; i < t->n_rows && !ret; i++) {
            ret = bind_row(c, st, 0, t, i, &ic);
            if (!ret && sqlite3_step(st) != SQLITE_DONE) {
                ferr_db(c, "cannot insert result row");
                ret = -1;
            }
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    return ret;
}

static int insert_scalars(finish_ctx *c, const lm_results *res)
{
    if (res->n_scalars == 0) return 0;
    sqlite3_stmt *st = prepare(c->s, "INSERT INTO run_scalars (run_id, name, value) "
                                     "VALUES (?1, ?2, ?3)", c->d);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, c->run_id);
    int ret = 0;
    for (int i = 0; i < res->n_scalars && !ret; i++) {
        if (!res->scalars[i].name) {
            ferr(c, "result scalar %d has no name", i + 1);
            ret = -1;
            break;
        }
        sqlite3_bind_text(st, 2, res->scalars[i].name, -1, SQLITE_STATIC);
        bind_real(st, 3, res->scalars[i].value);
        if (sqlite3_step(st) != SQLITE_DONE) {
            ferr_db(c, "cannot insert scalar");
            ret = -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ret;
}

/* Write the final run row; status and message as given (the outcome's or a failure's). */
static int update_run(lm_store *s, int64_t run_id, const lm_run_outcome *o, const char *status,
                      const char *message, lm_diag *d)
{
    sqlite3_stmt *st = prepare(s,
        "UPDATE runs SET finished_at = ?2, status = ?3, objective_musd = ?4, n_rows = ?5,"
        " n_cols = ?6, n_nonzeros = ?7, load_s = ?8, build_s = ?9, solve_s = ?10,"
        " write_s = ?11, message = ?12 WHERE id = ?1 AND status = 'running'", d);
    if (!st) return -1;
    char now[32];
    now_iso(now);
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, now);
    bind_text(st, 3, status);
    bind_real(st, 4, o->objective_musd);
    sqlite3_bind_int(st, 5, o->n_rows);
    sqlite3_bind_int(st, 6, o->n_cols);
    sqlite3_bind_int64(st, 7, o->n_nonzeros);
    bind_real(st, 8, o->load_s);
    bind_real(st, 9, o->build_s);
    bind_real(st, 10, o->solve_s);
    bind_real(st, 11, o->write_s);
    bind_text(st, 12, message);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc) db_error(s, d, "cannot update run");
    sqlite3_finalize(st);
    return rc;
}

/* After a failed finish: keep the outcome, status 'failed', and say why in the message.
 * Best effort; its own errors are not reported (the first error already is). */
static void mark_failed(finish_ctx *c, const lm_run_outcome *o)
{
    char *msg = lm_xasprintf("results not stored: %s (solver status %s%s%s)", c->err,
                             o->status, o->message ? "; " : "", o->message ? o->message : "");
    lm_diag quiet;
    lm_diag_init(&quiet);
    update_run(c->s, c->run_id, o, "failed", msg, &quiet);
    lm_diag_free(&quiet);
    free(msg);
}

int lm_store_finish_run(lm_store *s, int64_t run_id, const lm_results *res,
                        const lm_run_outcome *out, lm_diag *d)
{
    finish_ctx c = {.s = s, .d = d, .run_id = run_id};
    if (!out || !out->status || !*out->status || strcmp(out->status, "running") == 0) {
        lm_diag_error(d, "result store: run %lld: the final status must be given and not "
                         "'running'", (long long)run_id);
        return -1;
    }
    char status[64];
    if (lm_store_run_status(s, run_id, status, sizeof status) != 0) {
        lm_diag_error(d, "result store \"%s\": no run %lld", s->path, (long long)run_id);
        return -1;
    }
    if (strcmp(status, "running") != 0) {
        lm_diag_error(d, "result store \"%s\": run %lld is already finished (status %s)",
                      s->path, (long long)run_id, status);
        return -1;
    }
    int rc = 0;
    for (int i = 0; res && i < res->n_tables; i++) {
        int before = d->n_errors;
        if (lm_results_check_table(res->tables[i], d) != 0) {
            keep_error(&c, before);
            rc = -1;
        }
    }
    if (!rc && sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        ferr_db(&c, "cannot start transaction");
        rc = -1;
    }
    if (!rc) {
        /* Re-check inside the transaction: another handle may have finished it meanwhile. */
        int64_t running = 0;
        sqlite3_stmt *st = prepare(s, "SELECT count(*) FROM runs WHERE id = ?1 AND "
                                      "status = 'running'", d);
        if (st) {
            sqlite3_bind_int64(st, 1, run_id);
            if (sqlite3_step(st) == SQLITE_ROW) running = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        if (!running) {
            rollback(s);
            lm_diag_error(d, "result store \"%s\": run %lld is no longer running", s->path,
                          (long long)run_id);
            return -1;
        }
    }
    for (int i = 0; !rc && res && i < res->n_tables; i++)
        if (ensure_table(&c, res->tables[i]) != 0 || insert_rows(&c, res->tables[i]) != 0)
            rc = -1;
    if (!rc && res) rc = insert_scalars(&c, res);
    if (!rc) {
        int before = d->n_errors;
        rc = update_run(s, run_id, out, out->status, out->message, d);
        if (rc) keep_error(&c, before);
    }
    if (!rc && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        ferr_db(&c, "cannot commit results");
        rc = -1;
    }
    if (rc) {
        rollback(s);
        mark_failed(&c, out);
    }
    return rc;
}

/* ---- adding results to a finished run (the assessment) ------------------------------ */

int lm_store_add_results(lm_store *s, int64_t run_id, const lm_results *res, lm_diag *d)
{
    finish_ctx c = {.s = s, .d = d, .run_id = run_id};
    char status[64];
    if (lm_store_run_status(s, run_id, status, sizeof status) != 0) {
        lm_diag_error(d, "result store \"%s\": no run %lld", s->path, (long long)run_id);
        return -1;
    }
    if (!strcmp(status, "running")) {
        lm_diag_error(d, "result store \"%s\": run %lld is still running; add results once it "
                         "has finished", s->path, (long long)run_id);
        return -1;
    }
    for (int i = 0; i < res->n_tables; i++)
        if (lm_results_check_table(res->tables[i], d) != 0) return -1;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        ferr_db(&c, "cannot start transaction");
        return -1;
    }
    int rc = 0;
    for (int i = 0; !rc && i < res->n_tables; i++) {
        const lm_result_table *t = res->tables[i];
        if (ensure_table(&c, t) != 0) {
            rc = -1;
            break;
        }
        char *sql = lm_xasprintf("DELETE FROM \"r_%s\" WHERE run_id = ?1", t->name);
        sqlite3_stmt *st = prepare(s, sql, d);
        free(sql);
        if (!st) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(st, 1, run_id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            ferr_db(&c, "cannot replace earlier rows");
            rc = -1;
        }
        sqlite3_finalize(st);
        if (!rc) rc = insert_rows(&c, t);
    }
    if (!rc && res->n_scalars) {
        sqlite3_stmt *st = prepare(s, "DELETE FROM run_scalars WHERE run_id = ?1 AND name = ?2", d);
        if (!st) rc = -1;
        for (int i = 0; st && !rc && i < res->n_scalars; i++) {
            sqlite3_bind_int64(st, 1, run_id);
            sqlite3_bind_text(st, 2, res->scalars[i].name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                ferr_db(&c, "cannot replace earlier scalars");
                rc = -1;
            }
            sqlite3_reset(st);
        }
        if (st) sqlite3_finalize(st);
        if (!rc) rc = insert_scalars(&c, res);
    }
    if (!rc && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        ferr_db(&c, "cannot commit");
        rc = -1;
    }
    if (rc) rollback(s);
    return rc;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? lm_xstrdup((const char *)t) : NULL;
}

int lm_store_run_record(lm_store *s, int64_t run_id, lm_run_record *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(s, "SELECT status, plan_name, plan_path, plan_hash, dataset_name, "
                                  "dataset_hash FROM runs WHERE id = ?1", d);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, run_id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->status = col_dup(st, 0);
        out->plan_name = col_dup(st, 1);
        out->plan_path = col_dup(st, 2);
        out->plan_hash = col_dup(st, 3);
        out->dataset_name = col_dup(st, 4);
        out->dataset_hash = col_dup(st, 5);
        rc = 0;
    } else {
        lm_diag_error(d, "result store \"%s\": no run %lld", s->path, (long long)run_id);
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        st = prepare(s, "SELECT count(*) FROM runs WHERE dataset_hash = ?1 AND status IN "
                        "('optimal', 'time_limit', 'iteration_limit')", d);
        if (st) {
            bind_text(st, 1, out->dataset_hash);
            if (sqlite3_step(st) == SQLITE_ROW) out->n_runs_same_dataset = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
    }
    return rc;
}

void lm_run_record_free(lm_run_record *r)
{
    free(r->status); free(r->plan_name); free(r->plan_path); free(r->plan_hash);
    free(r->dataset_name); free(r->dataset_hash);
    memset(r, 0, sizeof *r);
}

/* ---- reading back --------------------------------------------------------------------- */

/* Columns of one r_<name> table, as lm_results_table specs. */
static int table_spec(lm_store *s, const char *tname, char **keys, char **vals,
                      char **select, lm_diag *d)
{
    sqlite3_stmt *st = prepare(s, "SELECT name, upper(type) FROM pragma_table_info(?1)", d);
    if (!st) return -1;
    bind_text(st, 1, tname);
    size_t kl = 0, kc = 0, vl = 0, vc = 0, sl = 0, sc = 0;
    int i = 0, n_vals = 0, ret = 0, rc;
    *keys = lm_xstrdup("");
    *vals = lm_xstrdup("");
    *select = NULL;
    cat(select, &sl, &sc, "SELECT ");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (i++ == 0) {
            if (!name || strcmp(name, "run_id") != 0) {
                lm_diag_error(d, "result store \"%s\": table %s does not start with run_id",
                              s->path, tname);
                ret = -1;
            }
            continue;
        }
        if (!lm_results_name_ok(name) || !type) {
            lm_diag_error(d, "result store \"%s\": table %s: column \"%s\" is not a valid "
                             "name", s->path, tname, name ? name : "");
            ret = -1;
        } else if (strcmp(type, "REAL") == 0) {
            cat(vals, &vl, &vc, "%s%s", n_vals++ ? "," : "", name);
        } else if ((strcmp(type, "TEXT") == 0 || strcmp(type, "INTEGER") == 0) && !n_vals) {
            cat(keys, &kl, &kc, "%s%s%s", kl ? "," : "", type[0] == 'I' ? "#" : "", name);
        } else {
            lm_diag_error(d, "result store \"%s\": table %s: column %s has type %s (keys are "
                             "TEXT or INTEGER and come before the REAL values)",
                          s->path, tname, name, type);
            ret = -1;
        }
        if (!ret) cat(select, &sl, &sc, "%s\"%s\"", i > 2 ? ", " : "", name);
    }
    if (!ret && rc != SQLITE_DONE) {
        db_error(s, d, "cannot read table layout");
        ret = -1;
    }
    sqlite3_finalize(st);
    if (!ret && i < 2) {
        lm_diag_error(d, "result store \"%s\": table %s has no key or value columns", s->path,
                      tname);
        ret = -1;
    }
    cat(select, &sl, &sc, " FROM \"%s\" WHERE run_id = ?1 ORDER BY rowid", tname);
    return ret;
}

static int load_table(lm_store *s, int64_t run_id, const char *tname, lm_results *r,
                      lm_diag *d)
{
    char *keys = NULL, *vals = NULL, *select = NULL;
    int ret = table_spec(s, tname, &keys, &vals, &select, d);
    sqlite3_stmt *st = ret ? NULL : prepare(s, select, d);
    if (!ret && !st) ret = -1;
    lm_result_table *t = NULL;
    int rc = SQLITE_DONE;
    if (!ret) {
        sqlite3_bind_int64(st, 1, run_id);
        const char *kv[LM_RT_MAXKEYS];
        double vv[LM_RT_MAXVALS];
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!t) t = lm_results_table(r, tname + 2, keys, vals);
            if (!t) {
                lm_diag_error(d, "result store \"%s\": table %s: cannot hold columns (%s; %s)",
                              s->path, tname, keys, vals);
                ret = -1;
                break;
            }
            for (int j = 0; j < t->n_keys; j++) {
                int type = sqlite3_column_type(st, j);
                if (type == SQLITE_NULL) {
                    kv[j] = NULL;
                } else if (t->key_is_int[j] && type == SQLITE_INTEGER) {
                    kv[j] = lm_results_intern_int(r, (long)sqlite3_column_int64(st, j));
                } else {
                    kv[j] = (const char *)sqlite3_column_text(st, j);
                }
            }
            for (int j = 0; j < t->n_vals; j++)
                vv[j] = sqlite3_column_type(st, t->n_keys + j) == SQLITE_NULL
                            ? NAN
                            : sqlite3_column_double(st, t->n_keys + j);
            lm_results_row(r, t, kv, vv);
        }
        if (!ret && rc != SQLITE_DONE) {
            db_error(s, d, "cannot read results");
            ret = -1;
        }
    }
    sqlite3_finalize(st);
    free(keys);
    free(vals);
    free(select);
    return ret;
}

/* Tables are those named r_<name> in sqlite_master holding rows of the run (in name order);
 * a table the run wrote with no rows is not distinguishable from one it did not write. */
int lm_store_load_results(lm_store *s, int64_t run_id, lm_results **out, lm_diag *d)
{
    *out = NULL;
    char status[64];
    if (lm_store_run_status(s, run_id, status, sizeof status) != 0) {
        lm_diag_error(d, "result store \"%s\": no run %lld", s->path, (long long)run_id);
        return -1;
    }
    /* One read transaction, so the tables and scalars are from one snapshot. */
    if (exec(s, "BEGIN", d, "cannot start read transaction") != 0) return -1;
    lm_results *r = lm_results_new();
    sqlite3_stmt *st = prepare(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                  "name LIKE 'r\\_%' ESCAPE '\\' ORDER BY name", d);
    int ret = st ? 0 : -1, rc = SQLITE_DONE;
    while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *tname = (const char *)sqlite3_column_text(st, 0);
        if (!tname || !lm_results_name_ok(tname + 2)) {
            lm_diag_warn(d, "result store \"%s\": table \"%s\" skipped (not a valid result "
                            "table name)", s->path, tname ? tname : "");
            continue;
        }
        ret = load_table(s, run_id, tname, r, d);
    }
    if (!ret && rc != SQLITE_DONE) {
        db_error(s, d, "cannot list result tables");
        ret = -1;
    }
    sqlite3_finalize(st);
    st = ret ? NULL : prepare(s, "SELECT name, value FROM run_scalars WHERE run_id = ?1 "
                                 "ORDER BY rowid", d);
    if (!ret && !st) ret = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, run_id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            double v = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN
                                                                 : sqlite3_column_double(st, 1);
            lm_results_scalar(r, name ? name : "", v);
        }
        if (rc != SQLITE_DONE) {
            db_error(s, d, "cannot read scalars");
            ret = -1;
        }
        sqlite3_finalize(st);
    }
    rollback(s);
    if (ret) {
        lm_results_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int64_t lm_store_latest_run(lm_store *s)
{
    lm_diag quiet;
    lm_diag_init(&quiet);
    int64_t id = 0;
    if (query_int(s, "SELECT coalesce(max(id), 0) FROM runs", &id, 0, &quiet) != 0) id = 0;
    lm_diag_free(&quiet);
    return id;
}

int lm_store_run_status(lm_store *s, int64_t run_id, char *buf, int n)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT status FROM runs WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        if (buf && n > 0) snprintf(buf, (size_t)n, "%s", status ? status : "");
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}
