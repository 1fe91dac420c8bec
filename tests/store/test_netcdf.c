/* test_netcdf.c - `lmplan export-netcdf` and lm_netcdf_export: two runs made with the CLI
 * (the tiny dataset without and with the hydro cascade) are exported, reopened with the
 * netCDF C API and compared with the store value by value: dimensions, gen_v summed over the
 * steps against generation_annual, cost_v against the objective, genflow_v against the
 * stations' turbine flow, NaN off the corridors, the global attributes; then broken inputs
 * (no store, no run, a run without results, a bad output path) give clear errors and leave no
 * file behind.  The binary comes from LMPLAN_BIN (set by CTest). */
#include "../test_util.h"

#include <dirent.h>
#include <netcdf.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "store/netcdf_export.h"
#include "store/results.h"
#include "store/store.h"

#ifndef LMPLAN_VERSION
#define LMPLAN_VERSION "unknown"
#endif

static char dir[64];      /* temp folder with the store r.sqlite holding runs 1 and 2 */
static char out[1 << 16]; /* output of the last command */

static const char *bin(void)
{
    const char *b = getenv("LMPLAN_BIN");
    return b ? b : "build/lmplan";
}

/* Run a shell command, capture stdout+stderr into out, return the exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd - 8, fmt, ap);
    va_end(ap);
    strcat(cmd, " 2>&1");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, sizeof out - 1, p);
    out[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs 1 (tiny-run) and 2 (the tiny hydro dataset with the cascade and dam 12 built). */
static int setup(void **state)
{
    (void)state;
    if (fixture("x")[0] != '/') return -1; /* the plan needs an absolute dataset path */
    snprintf(dir, sizeof dir, "/tmp/lmplan-nc-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char path[256];
    snprintf(path, sizeof path, "%s/cascade.yaml", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f,
            "name: tiny-cascade\n"
            "dataset: %s\n"
            "hydro: {model: cascade}\n"
            "dams: {build: [12]}\n"
            "unserved_energy_cost_usd_per_mwh: 10000\n"
            "carbon: {caps: none}\n",
            fixture("datasets/tiny/hydro.yaml"));
    fclose(f);
    if (run("%s run %s --store %s/r.sqlite --no-csv", bin(), fixture("cli/tiny-run.yaml"),
            dir) != 0 ||
        run("%s run %s/cascade.yaml --store %s/r.sqlite --no-csv", bin(), dir, dir) != 0) {
        fprintf(stderr, "%s", out);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static lm_results *load(int64_t run_id)
{
    char path[256];
    snprintf(path, sizeof path, "%s/r.sqlite", dir);
    lm_diag d;
    lm_diag_init(&d);
    lm_store *s;
    lm_results *r = NULL;
    assert_int_equal(lm_store_open(&s, path, &d), 0);
    assert_int_equal(lm_store_load_results(s, run_id, &r, &d), 0);
    lm_store_close(s);
    lm_diag_free(&d);
    return r;
}

/* ---- reading the file back --------------------------------------------------------------- */

#define NC_OK(call) assert_int_equal((call), NC_NOERR)

static size_t dim_len(int nc, const char *name)
{
    int id;
    size_t n;
    if (nc_inq_dimid(nc, name, &id) != NC_NOERR) return 0;
    NC_OK(nc_inq_dimlen(nc, id, &n));
    return n;
}

/* A whole double variable (caller frees); its size in *n. */
static double *get_var(int nc, const char *name, size_t *n)
{
    int id, nd, dims[8];
    if (nc_inq_varid(nc, name, &id) != NC_NOERR) fail_msg("no variable %s", name);
    NC_OK(nc_inq_varndims(nc, id, &nd));
    NC_OK(nc_inq_vardimid(nc, id, dims));
    size_t len = 1;
    for (int i = 0; i < nd; i++) {
        size_t l;
        NC_OK(nc_inq_dimlen(nc, dims[i], &l));
        len *= l;
    }
    double *v = malloc(len * sizeof *v);
    NC_OK(nc_get_var_double(nc, id, v));
    if (n) *n = len;
    return v;
}

static void assert_var_dims(int nc, const char *name, const char *dims)
{
    int id, nd, ids[8];
    char got[256] = "", dn[NC_MAX_NAME + 1];
    NC_OK(nc_inq_varid(nc, name, &id));
    NC_OK(nc_inq_varndims(nc, id, &nd));
    NC_OK(nc_inq_vardimid(nc, id, ids));
    for (int i = 0; i < nd; i++) {
        NC_OK(nc_inq_dimname(nc, ids[i], dn));
        if (i) strcat(got, ",");
        strcat(got, dn);
    }
    assert_string_equal(got, dims);
}

static void assert_units(int nc, const char *var, const char *units)
{
    int id;
    size_t len;
    char buf[64] = "";
    NC_OK(nc_inq_varid(nc, var, &id));
    NC_OK(nc_inq_attlen(nc, id, "units", &len));
    assert_true(len < sizeof buf);
    NC_OK(nc_get_att_text(nc, id, "units", buf));
    buf[len] = 0;
    assert_string_equal(buf, units);
}

static char *global_text(int nc, const char *name)
{
    size_t len;
    if (nc_inq_attlen(nc, NC_GLOBAL, name, &len) != NC_NOERR) fail_msg("no attribute %s", name);
    char *s = calloc(len + 1, 1);
    NC_OK(nc_get_att_text(nc, NC_GLOBAL, name, s));
    return s;
}

static void assert_global(int nc, const char *name, const char *expected)
{
    char *s = global_text(nc, name);
    if (strcmp(s, expected) != 0)
        fail_msg("attribute %s = \"%s\", expected \"%s\"", name, s, expected);
    free(s);
}

/* Index of `label` in a string coordinate, or -1. */
static int str_index(int nc, const char *coord, const char *label)
{
    int id;
    size_t n = dim_len(nc, coord);
    NC_OK(nc_inq_varid(nc, coord, &id));
    char **v = calloc(n, sizeof *v);
    NC_OK(nc_get_var_string(nc, id, v));
    int found = -1;
    for (size_t i = 0; i < n; i++)
        if (found < 0 && strcmp(v[i], label) == 0) found = (int)i;
    nc_free_string(n, v);
    free(v);
    return found;
}

/* Index of `value` in an integer coordinate, or -1. */
static int int_index(int nc, const char *coord, long long value)
{
    int id;
    size_t n = dim_len(nc, coord);
    NC_OK(nc_inq_varid(nc, coord, &id));
    long long *v = calloc(n, sizeof *v);
    NC_OK(nc_get_var_longlong(nc, id, v));
    int found = -1;
    for (size_t i = 0; i < n; i++)
        if (found < 0 && v[i] == value) found = (int)i;
    free(v);
    return found;
}

static int n_distinct(const lm_result_table *t, const char *key)
{
    int j = -1;
    for (int k = 0; k < t->n_keys; k++)
        if (!strcmp(t->key_names[k], key)) j = k;
    assert_true(j >= 0);
    int n = 0;
    for (int i = 0; i < t->n_rows; i++) {
        int seen = 0;
        for (int p = 0; p < i && !seen; p++)
            seen = !strcmp(t->keys[(size_t)p * t->n_keys + j], t->keys[(size_t)i * t->n_keys + j]);
        n += !seen;
    }
    return n;
}

static int no_temp_files(void)
{
    DIR *dd = opendir(dir);
    struct dirent *e;
    int ok = 1;
    while (dd && (e = readdir(dd)) != NULL) ok &= strstr(e->d_name, ".tmp.") == NULL;
    if (dd) closedir(dd);
    return ok;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_tiny_run(void **state)
{
    (void)state;
    int rc = run("%s export-netcdf --store %s/r.sqlite 1 -o %s/run1.nc", bin(), dir, dir);
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "run1.nc (run 1,"));
    assert_non_null(strstr(out, "hydro_station")); /* told what was left out */
    assert_true(no_temp_files());
    lm_results *res = load(1);
    const lm_result_table *cap = lm_results_find(res, "capacity");
    const lm_result_table *ann = lm_results_find(res, "generation_annual");
    assert_non_null(cap);
    assert_non_null(ann);
    double weight, objective;
    assert_int_equal(lm_results_find_scalar(res, "weight", &weight), 0);
    assert_int_equal(lm_results_find_scalar(res, "objective_musd", &objective), 0);

    char path[256];
    snprintf(path, sizeof path, "%s/run1.nc", dir);
    int nc;
    NC_OK(nc_open(path, NC_NOWRITE, &nc));
    size_t K = dim_len(nc, "tech"), Z = dim_len(nc, "zone"), Y = dim_len(nc, "year");
    size_t M = dim_len(nc, "month"), H = dim_len(nc, "hour");
    assert_int_equal(K, n_distinct(cap, "tech"));
    assert_int_equal(Z, 2);
    assert_int_equal(Y, 2);
    assert_int_equal(M * H, (size_t)round(weight * 8760)); /* dt = 1 h */
    assert_int_equal(dim_len(nc, "zone_out"), 2);
    assert_int_equal(dim_len(nc, "zone_in"), 2);
    /* no cascade in this run: no stations, no station variables */
    assert_int_equal(dim_len(nc, "station"), 0);
    int id;
    assert_int_not_equal(nc_inq_varid(nc, "genflow_v", &id), NC_NOERR);
    assert_var_dims(nc, "gen_v", "tech,zone,year,month,hour");
    assert_var_dims(nc, "trans_export_v", "zone_out,zone_in,year,month,hour");
    assert_var_dims(nc, "trans_import_v", "zone_in,zone_out,year,month,hour");
    assert_var_dims(nc, "cap_newline_v", "zone_in,zone_out,year");
    assert_var_dims(nc, "install_v", "tech,zone,year");
    assert_var_dims(nc, "carbon_v", "year");
    assert_units(nc, "gen_v", "TWh");
    assert_units(nc, "cost_v", "USD");
    assert_units(nc, "carbon_v", "t");

    /* annual TWh = sum over month, hour of gen_v / weight, for every row of the store */
    double *gen = get_var(nc, "gen_v", NULL);
    for (int i = 0; i < ann->n_rows; i++) {
        const char *const *k = &ann->keys[(size_t)i * ann->n_keys]; /* zone, tech, year */
        int z = str_index(nc, "zone", k[0]), t = str_index(nc, "tech", k[1]);
        int y = int_index(nc, "year", atoll(k[2]));
        assert_true(z >= 0 && t >= 0 && y >= 0);
        double sum = 0;
        for (size_t s = 0; s < M * H; s++) sum += gen[(((size_t)t * Z + z) * Y + y) * M * H + s];
        double twh = ann->vals[(size_t)i * ann->n_vals];
        if (!(fabs(sum / weight - twh) <= 1e-9 * fmax(1, fabs(twh))))
            fail_msg("%s %s %s: %.15g TWh in the file, %.15g in the store", k[0], k[1], k[2],
                     sum / weight, twh);
    }
    free(gen);

    /* cost_v = objective (million USD) x 1e6 */
    double *cost = get_var(nc, "cost_v", NULL);
    assert_rel(cost[0], objective * 1e6, 1e-12);
    free(cost);

    /* no corridor Upland -> Upland: NaN; the corridor Upland -> Delta: numbers */
    double *exp_v = get_var(nc, "trans_export_v", NULL);
    double *lcap = get_var(nc, "cap_lines_existing_v", NULL);
    int up = str_index(nc, "zone_out", "Upland"), de = str_index(nc, "zone_in", "Delta");
    assert_true(up >= 0 && de >= 0);
    assert_int_equal(str_index(nc, "zone_in", "Upland"), up);
    size_t step = Y * M * H;
    for (size_t s = 0; s < step; s++) {
        assert_true(isnan(exp_v[((size_t)up * 2 + up) * step + s]));
        assert_false(isnan(exp_v[((size_t)up * 2 + de) * step + s]));
    }
    assert_true(isnan(lcap[((size_t)up * 2 + up) * Y]));
    assert_false(isnan(lcap[((size_t)de * 2 + up) * Y])); /* (to, from): Upland -> Delta */
    free(exp_v);
    free(lcap);

    /* global attributes */
    long long run_id = 0;
    NC_OK(nc_get_att_longlong(nc, NC_GLOBAL, "run_id", &run_id));
    assert_int_equal(run_id, 1);
    assert_global(nc, "plan_name", "tiny-run");
    assert_global(nc, "status", "optimal");
    assert_global(nc, "lmplan_version", LMPLAN_VERSION);
    assert_global(nc, "title", "lmplan run 1: tiny-run");
    char *s = global_text(nc, "conventions");
    assert_non_null(strstr(s, "Xu et al. (2025)"));
    assert_non_null(strstr(s, "lmplan_"));
    free(s);
    s = global_text(nc, "created");
    assert_int_equal(strlen(s), 20); /* 2025-06-01T12:00:00Z */
    free(s);
    s = global_text(nc, "dataset_hash");
    assert_int_equal(strlen(s), 64);
    free(s);
    s = global_text(nc, "plan_hash");
    assert_int_equal(strlen(s), 64);
    free(s);
    double obj_att;
    NC_OK(nc_get_att_double(nc, NC_GLOBAL, "objective_musd", &obj_att));
    assert_rel(obj_att, objective, 1e-15);
    NC_OK(nc_close(nc));
    lm_results_free(res);
}

/* The cascade run, exported with the defaults: the latest run, results/run-<id>.nc. */
static void test_cascade_run_defaults(void **state)
{
    (void)state;
    int rc = run("cd %s && %s export-netcdf --store r.sqlite", dir, bin());
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "results/run-2.nc (run 2,"));
    lm_results *res = load(2);
    const lm_result_table *hs = lm_results_find(res, "hydro_station");
    const lm_result_table *sed = lm_results_find(res, "sediment");
    assert_non_null(hs);
    assert_non_null(sed);

    char path[256];
    snprintf(path, sizeof path, "%s/results/run-2.nc", dir);
    int nc;
    NC_OK(nc_open(path, NC_NOWRITE, &nc));
    size_t S = dim_len(nc, "station"), Y = dim_len(nc, "year"), M = dim_len(nc, "month"),
           H = dim_len(nc, "hour");
    assert_int_equal(S, 4);
    assert_int_equal(dim_len(nc, "unbuiltstation"), 2); /* candidates 12 (built), 21 */
    assert_int_equal(dim_len(nc, "reach"), sed->n_rows);
    assert_var_dims(nc, "genflow_v", "station,year,month,hour");
    assert_var_dims(nc, "isbuilt_v", "unbuiltstation");
    assert_var_dims(nc, "lmplan_sediment_delivered_mt", "reach");
    assert_units(nc, "genflow_v", "m3/s");
    assert_units(nc, "lmplan_storage_1e8m3", "1e8 m3");

    /* genflow_v and spillflow_v = the store's turbine and spill flow, every station and step */
    double *gf = get_var(nc, "genflow_v", NULL), *sp = get_var(nc, "spillflow_v", NULL);
    for (int i = 0; i < hs->n_rows; i++) {
        const char *const *k = &hs->keys[(size_t)i * hs->n_keys]; /* station, year, m, h */
        int s = int_index(nc, "station", atoll(k[0])), y = int_index(nc, "year", atoll(k[1]));
        int m = int_index(nc, "month", atoll(k[2])), h = int_index(nc, "hour", atoll(k[3]));
        assert_true(s >= 0 && y >= 0 && m >= 0 && h >= 0);
        size_t off = (((size_t)s * Y + y) * M + m) * H + h;
        assert_rel(gf[off], hs->vals[(size_t)i * hs->n_vals + 1], 1e-15); /* turbine_m3s */
        assert_rel(sp[off], hs->vals[(size_t)i * hs->n_vals + 2], 1e-15); /* spill_m3s */
    }
    free(gf);
    free(sp);

    /* the built candidate is 1, the other 0; the existing dams are not in isbuilt_v */
    double *ib = get_var(nc, "isbuilt_v", NULL);
    assert_int_equal(int_index(nc, "unbuiltstation", 11), -1);
    assert_true(ib[int_index(nc, "unbuiltstation", 12)] == 1.0);
    assert_true(ib[int_index(nc, "unbuiltstation", 21)] == 0.0);
    free(ib);

    /* sediment at the target and per reach */
    double delivered, *sv = get_var(nc, "sediment_v", NULL);
    assert_int_equal(lm_results_find_scalar(res, "sediment_delivered_mt", &delivered), 0);
    assert_rel(sv[0], delivered, 1e-15);
    free(sv);
    double *per = get_var(nc, "lmplan_sediment_delivered_mt", NULL);
    for (int i = 0; i < sed->n_rows; i++) {
        int r = int_index(nc, "reach", atoll(sed->keys[i]));
        assert_true(r >= 0);
        assert_rel(per[r], sed->vals[(size_t)i * sed->n_vals + 5], 1e-15); /* delivered_mt */
    }
    free(per);
    /* storage of station 12 before it is commissioned (2020): no value */
    double *st = get_var(nc, "lmplan_storage_1e8m3", NULL);
    int s12 = int_index(nc, "station", 12), y20 = int_index(nc, "year", 2020);
    assert_true(isnan(st[(((size_t)s12 * Y + y20) * M) * H]));
    free(st);
    assert_global(nc, "plan_name", "tiny-cascade");
    assert_global(nc, "dataset_name", "tiny-hydro");
    NC_OK(nc_close(nc));
    lm_results_free(res);
}

static void test_errors(void **state)
{
    (void)state;
    /* a store that does not exist: exit 1, named, no store created */
    assert_int_equal(run("%s export-netcdf --store %s/nope.sqlite -o %s/x.nc", bin(), dir, dir), 1);
    assert_non_null(strstr(out, "nope.sqlite\" does not exist"));
    char *nope = lm_xasprintf("%s/nope.sqlite", dir);
    assert_int_not_equal(access(nope, F_OK), 0);
    free(nope);
    /* a run that does not exist */
    assert_int_equal(run("%s export-netcdf 99 --store %s/r.sqlite -o %s/x.nc", bin(), dir, dir), 1);
    assert_non_null(strstr(out, "has no run 99 (latest: 2)"));
    /* usage errors */
    assert_int_equal(run("%s export-netcdf abc --store %s/r.sqlite", bin(), dir), 64);
    assert_non_null(strstr(out, "not a positive whole number"));
    assert_int_equal(run("%s export-netcdf --bogus", bin()), 64);
    assert_int_equal(run("%s export-netcdf --help", bin()), 0);
    assert_non_null(strstr(out, "Usage: lmplan export-netcdf"));
    /* a file that is not a store */
    assert_int_equal(
        run("%s export-netcdf --store %s/cascade.yaml -o %s/x.nc", bin(), dir, dir), 1);
    assert_non_null(strstr(out, "not an SQLite database"));
    /* the output is a folder */
    assert_int_equal(run("%s export-netcdf --store %s/r.sqlite -o %s", bin(), dir, dir), 1);
    assert_non_null(strstr(out, "is a directory"));
    /* nothing was written by the failures */
    char *x = lm_xasprintf("%s/x.nc", dir);
    assert_int_not_equal(access(x, F_OK), 0);
    free(x);
    assert_true(no_temp_files());
}

/* The library function: errors come back in lm_diag; a run without results is refused. */
static void test_api_errors(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    lm_netcdf_summary sum;
    char *store = lm_xasprintf("%s/r.sqlite", dir), *nc = lm_xasprintf("%s/api.nc", dir);
    assert_int_equal(lm_netcdf_export("/nonexistent/r.sqlite", 0, nc, &sum, &d), -1);
    assert_true(lm_diag_contains(&d, "does not exist"));
    assert_null(sum.path);
    lm_diag_clear(&d);
    assert_int_equal(lm_netcdf_export(store, 7, nc, &sum, &d), -1);
    assert_true(lm_diag_contains(&d, "has no run 7"));
    lm_diag_clear(&d);
    /* the output's folder cannot be created (a file stands in its way) */
    char *bad = lm_xasprintf("%s/cascade.yaml/sub/x.nc", dir);
    assert_int_equal(lm_netcdf_export(store, 1, bad, &sum, &d), -1);
    assert_true(lm_diag_contains(&d, "cannot create folder"));
    free(bad);
    lm_diag_clear(&d);
    /* an infeasible run has no results */
    assert_int_equal(run("%s run %s --store %s --no-csv", bin(), fixture("cli/infeasible-cap.yaml"),
                         store), 2);
    assert_int_equal(lm_netcdf_export(store, 3, nc, &sum, &d), -1);
    assert_true(lm_diag_contains(&d, "run 3 of"));
    assert_true(lm_diag_contains(&d, "has no results to export (status infeasible)"));
    assert_int_not_equal(access(nc, F_OK), 0);
    lm_diag_clear(&d);
    /* and a good one through the API */
    assert_int_equal(lm_netcdf_export(store, 2, nc, &sum, &d), 0);
    assert_int_equal(sum.run_id, 2);
    assert_string_equal(sum.path, nc);
    assert_true(sum.bytes > 0);
    assert_true(sum.n_vars > 30);
    assert_string_equal(sum.skipped, "");
    lm_netcdf_summary_free(&sum);
    assert_int_equal(d.n_errors, 0);
    lm_diag_free(&d);
    free(store);
    free(nc);
    assert_true(no_temp_files());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_run),
        cmocka_unit_test(test_cascade_run_defaults),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_api_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
