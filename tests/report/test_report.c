/* test_report.c - `lmplan report` end to end, rendered in headless Chromium.
 *
 * Runs small plans into fresh stores with the lmplan binary (LMPLAN_BIN), writes their
 * reports, and opens each one in headless Chromium (Debian package `chromium`; the test fails
 * with a clear message if it is missing) with the network switched off.  The page's own
 * script records on <body> how many charts put pixels on their canvas, how many countries and
 * dams the map drew and how many script errors occurred; the DOM dump gives them back, and
 * Chromium's log must hold no console message at all.  Also: the escaping helpers, usage
 * errors, a run without results (infeasible), hostile strings and the optional result tables
 * (dams, hydro_station, sediment) injected into a store, and the bundled dataset (57 dams,
 * NDC targets, sources).  Set LMPLAN_REPORT_SCREENSHOT=DIR to keep a screenshot of the
 * bundled-data report in DIR. */
#include "../test_util.h"
#include "report/html.h"
#include "report/json.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[256];
static char out[1 << 20];
static int n_render;

static const char *bin(void)
{
    const char *b = getenv("LMPLAN_BIN");
    return b ? b : "build/lmplan";
}

/* Run a shell command, capture stdout+stderr, return the exit status. */
static int run(const char *cmd, char *buf, size_t n)
{
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t len = fread(buf, 1, n - 1, p);
    buf[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    if (len) *len = got;
    return s;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int count_lines(const char *path)
{
    size_t n = 0;
    char *s = read_text(path, &n);
    assert_non_null(s);
    int lines = 0;
    for (size_t i = 0; i < n; i++) lines += s[i] == '\n';
    free(s);
    return lines;
}

/* ---- headless Chromium -------------------------------------------------------------------- */

static const char *chromium(void)
{
    static char path[1024];
    const char *env = getenv("LMPLAN_CHROMIUM");
    if (env && *env) return env;
    char buf[1024];
    if (run("command -v chromium || command -v chromium-browser", buf, sizeof buf) == 0) {
        buf[strcspn(buf, "\n")] = 0;
        snprintf(path, sizeof path, "%.1000s", buf);
        return path;
    }
    fail_msg("headless Chromium is needed to check the report's charts and map, but no "
             "`chromium` is installed: install the Debian package chromium (scripts/dev.sh "
             "does), or set LMPLAN_CHROMIUM to a Chromium binary");
    return NULL;
}

typedef struct rendered {
    int ready, errors, expected, drawn, countries, dams;
    char status[256];   /* data-map-status, e.g. "existing=2 built=1 ..." */
    char console[1024]; /* first console message in Chromium's log, or "" */
    char *dom;          /* the DOM after the scripts ran (owned) */
} rendered;

static int attr_int(const char *body, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "%s=\"", name);
    const char *p = strstr(body, key);
    return p ? atoi(p + strlen(key)) : -1;
}

static const char *CHROMIUM_FLAGS =
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync "
    "--disable-extensions --hide-scrollbars --host-resolver-rules='MAP * ~NOTFOUND' "
    "--virtual-time-budget=8000";

/* Open `html` in headless Chromium and read back what the page's script recorded. */
static void render(const char *html, rendered *r)
{
    memset(r, 0, sizeof *r);
    const char *chrome = chromium();
    int k = n_render++;
    char cmd[4096], dom[512], log[512];
    snprintf(dom, sizeof dom, "%s/dom-%d.html", tmp, k);
    snprintf(log, sizeof log, "%s/chromium-%d.log", tmp, k);
    snprintf(cmd, sizeof cmd,
             "timeout 120 '%s' %s --user-data-dir='%s/profile-%d' --enable-logging=stderr --v=0 "
             "--dump-dom 'file://%s' > '%s' 2> '%s'",
             chrome, CHROMIUM_FLAGS, tmp, k, html, dom, log);
    int rc = system(cmd);
    r->dom = read_text(dom, NULL);
    if (rc != 0 || !r->dom || !strstr(r->dom, "<body")) {
        char *l = read_text(log, NULL);
        fail_msg("chromium failed on %s (status %d); its log:\n%.3000s", html, rc, l ? l : "");
    }
    const char *body = strstr(r->dom, "<body");
    r->ready = attr_int(body, "data-ready");
    r->errors = attr_int(body, "data-errors");
    r->expected = attr_int(body, "data-charts-expected");
    r->drawn = attr_int(body, "data-charts-drawn");
    r->countries = attr_int(body, "data-map-countries");
    r->dams = attr_int(body, "data-map-dams");
    const char *st = strstr(body, "data-map-status=\"");
    if (st) {
        st += strlen("data-map-status=\"");
        snprintf(r->status, sizeof r->status, "%.*s", (int)strcspn(st, "\""), st);
    }
    char *l = read_text(log, NULL);
    const char *c = l ? strstr(l, ":CONSOLE") : NULL;
    if (c) snprintf(r->console, sizeof r->console, "%.*s", (int)strcspn(c, "\n"), c);
    free(l);
}

/* The checks every rendered report must pass. */
static void assert_page_ok(const rendered *r, int min_charts)
{
    const char *pre = strstr(r->dom, "id=\"lm-errors\"");
    if (r->errors != 0) fail_msg("the page recorded %d error(s): %.2000s", r->errors, pre ? pre : "");
    if (r->console[0]) fail_msg("the page logged to the console: %s", r->console);
    assert_int_equal(r->ready, 1);
    if (r->expected < min_charts)
        fail_msg("%d charts in the page, expected >= %d", r->expected, min_charts);
    if (r->drawn != r->expected) fail_msg("%d of %d charts drew", r->drawn, r->expected);
    if (r->countries < 6) fail_msg("the map drew %d country outlines, expected 6", r->countries);
}

/* A report file is self-contained: no external script, stylesheet, image or font. */
static void assert_self_contained(const char *path)
{
    size_t n;
    char *s = read_text(path, &n);
    assert_non_null(s);
    if (n >= 2u << 20) fail_msg("%s is %zu bytes, expected < 2 MB", path, n);
    assert_null(strstr(s, "<script src"));
    assert_null(strstr(s, "<link"));
    assert_null(strstr(s, "<img"));
    assert_null(strstr(s, "url("));
    assert_null(strstr(s, "@import"));
    assert_non_null(strstr(s, "Chart.js v4"));
    free(s);
}

/* ---- setup ---------------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/lmplan-report-XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- unit tests of the escaping helpers ------------------------------------------------------ */

static void test_html_and_json_escaping(void **state)
{
    (void)state;
    lm_rbuf b;
    lm_rbuf_init(&b);
    lm_html_text(&b, "</script><b a=\"x\">Tom & 'Jerry'</b>");
    assert_string_equal(b.data, "&lt;/script&gt;&lt;b a=&quot;x&quot;&gt;"
                                "Tom &amp; &#39;Jerry&#39;&lt;/b&gt;");
    lm_rbuf_clear(&b);
    lm_html_text(&b, "bad \xC3\x28 utf8 \xE2\x82\xAC ok"); /* invalid 2-byte sequence, then a euro */
    assert_string_equal(b.data, "bad \xEF\xBF\xBD( utf8 \xE2\x82\xAC ok");
    lm_rbuf_clear(&b);
    const char *js = "a='</script>';</";
    lm_html_script_text(&b, js, strlen(js));
    assert_string_equal(b.data, "a='<\\/script>';<\\/");
    lm_rbuf_clear(&b);
    lm_html_link(&b, "javascript:alert(1)", "click");
    assert_string_equal(b.data, "click");
    lm_rbuf_clear(&b);
    lm_html_link(&b, "https://example.org/?a=1&b=\"2\"", "<x>");
    assert_string_equal(b.data, "<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\" "
                                "rel=\"noreferrer\">&lt;x&gt;</a>");
    lm_rbuf_clear(&b);
    lm_html_number(&b, 1234567.891, 1);
    lm_rbuf_puts(&b, "|");
    lm_html_number(&b, -0.04, 1);
    lm_rbuf_puts(&b, "|");
    lm_html_number(&b, -98765, 0);
    lm_rbuf_puts(&b, "|");
    lm_html_number(&b, NAN, 2);
    lm_rbuf_puts(&b, "|");
    lm_html_number(&b, INFINITY, 2);
    assert_string_equal(b.data, "1,234,567.9|0.0|-98,765|\xE2\x80\x93|\xE2\x88\x9E");

    lm_rbuf_clear(&b);
    lm_json j;
    lm_json_init(&j, &b);
    lm_json_object(&j);
    lm_json_key(&j, "s");
    lm_json_string(&j, "</script>\"\\\n\x01 \xE2\x80\xA8 \xFF");
    lm_json_key(&j, "v");
    lm_json_array(&j);
    lm_json_number(&j, 1.5);
    lm_json_number(&j, NAN);
    lm_json_number(&j, -INFINITY);
    lm_json_number(&j, -0.0);
    lm_json_int(&j, 2030);
    lm_json_bool(&j, 1);
    lm_json_null(&j);
    lm_json_string(&j, NULL);
    lm_json_array_end(&j);
    lm_json_object_end(&j);
    assert_int_equal(lm_json_finish(&j), 0);
    assert_string_equal(b.data, "{\"s\":\"\\u003c/script\\u003e\\\"\\\\\\n\\u0001 \\u2028 \\ufffd\","
                                "\"v\":[1.5,null,null,0,2030,true,null,null]}");
    lm_rbuf_clear(&b);
    lm_json_init(&j, &b);
    lm_json_array(&j);
    assert_int_equal(lm_json_finish(&j), -1); /* unclosed */
    lm_json_array_end(&j);
    lm_json_array_end(&j);
    assert_int_equal(lm_json_finish(&j), -1); /* closed once too often */
    lm_rbuf_free(&b);
}

/* ---- the command ----------------------------------------------------------------------------- */

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' report --help", bin());
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "Usage: lmplan report [RUN_ID] [--store FILE] [-o FILE.html]"));
    assert_non_null(strstr(out, "results/lmplan.sqlite"));
    assert_non_null(strstr(out, "results/report-<RUN_ID>.html"));
    assert_non_null(strstr(out, "--dataset"));
    snprintf(cmd, sizeof cmd, "'%s' --help", bin());
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "report [RUN_ID]"));
    snprintf(cmd, sizeof cmd, "'%s' report abc --store '%s/none.sqlite'", bin(), tmp);
    assert_int_equal(run(cmd, out, sizeof out), 64);
    assert_non_null(strstr(out, "RUN_ID \"abc\" is not a positive whole number"));
    snprintf(cmd, sizeof cmd, "'%s' report --bogus", bin());
    assert_int_equal(run(cmd, out, sizeof out), 64);
    assert_non_null(strstr(out, "unexpected argument \"--bogus\""));
    snprintf(cmd, sizeof cmd, "'%s' report --store '%s/none.sqlite'", bin(), tmp);
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "does not exist"));
    struct stat sb;
    char p[512];
    snprintf(p, sizeof p, "%s/none.sqlite", tmp);
    assert_int_not_equal(stat(p, &sb), 0); /* a missing store is not created */
}

/* The tiny dataset through `run`, then the report of the latest run to the default path. */
static void test_tiny_run_report(void **state)
{
    (void)state;
    char cmd[4096], store[512], html[512];
    snprintf(store, sizeof store, "%s/tiny.sqlite", tmp);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --store '%s'", bin(), fixture("cli/tiny-run.yaml"), store);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "'%s' report 1 --store '%s/tiny.sqlite' --store '%s' 7", bin(), tmp, store);
    assert_int_equal(run(cmd, out, sizeof out), 64); /* two run ids */
    snprintf(cmd, sizeof cmd, "'%s' report 7 --store '%s'", bin(), store);
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "has no run 7"));
    /* default output: results/report-<run>.html below the folder it runs in */
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' report --store tiny.sqlite", tmp, bin());
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "wrote results/report-1.html (run 1"));
    snprintf(html, sizeof html, "%s/results/report-1.html", tmp);
    assert_self_contained(html);
    size_t n;
    char *page = read_text(html, &n);
    assert_non_null(strstr(page, "<h1>tiny-run</h1>"));
    assert_non_null(strstr(page, "Sediment: no data for this run"));
    assert_non_null(strstr(page, "Station results: no data for this run"));
    assert_non_null(strstr(page, "NDC targets: not available"));
    assert_non_null(strstr(page, "Sources: not available"));
    assert_non_null(strstr(page, "The dataset has no hydropower stations"));
    free(page);
    rendered r;
    render(html, &r);
    assert_page_ok(&r, 8); /* 3 capacity + generation + emissions + flows + hydro + 2 costs */
    assert_int_equal(r.dams, 0);
    free(r.dom);
}

/* A run without results: the header says why, the sections say there is nothing. */
static void test_infeasible_run_report(void **state)
{
    (void)state;
    char cmd[4096], store[512], html[512];
    snprintf(store, sizeof store, "%s/infeasible.sqlite", tmp);
    snprintf(html, sizeof html, "%s/infeasible.html", tmp);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --store '%s'", bin(), fixture("cli/infeasible-cap.yaml"),
             store);
    assert_int_equal(run(cmd, out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "'%s' report --store '%s' -o '%s'", bin(), store, html);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    char *page = read_text(html, NULL);
    assert_non_null(strstr(page, "status-infeasible"));
    assert_non_null(strstr(page, "carbon.cap_zone[Delta,2030]"));
    assert_non_null(strstr(page, "No capacity results (result table capacity) for this run."));
    assert_non_null(strstr(page, "No cost results (result table costs) for this run."));
    free(page);
    rendered r;
    render(html, &r);
    assert_page_ok(&r, 0);
    assert_int_equal(r.expected, 0);
    free(r.dom);
}

static void sql(sqlite3 *db, const char *s)
{
    char *err = NULL;
    if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", s, err);
}

/* The tiny hydro dataset with a dam portfolio (one dam built by the plan, one decided), then
 * hostile strings and the optional result tables injected into the store. */
static void test_dams_hostile_strings_and_optional_tables(void **state)
{
    (void)state;
    char plan[512], store[512], html[512], cmd[4096], text[2048];
    snprintf(plan, sizeof plan, "%s/tiny-dams.yaml", tmp);
    snprintf(store, sizeof store, "%s/dams.sqlite", tmp);
    snprintf(html, sizeof html, "%s/dams.html", tmp);
    snprintf(text, sizeof text,
             "name: tiny-dams\ndataset: %s\ncarbon: {caps: none}\ntransmission: {scenario: free}\n"
             "dams: {build: [12], decide: all}\nsolver: {log: 0}\n",
             fixture("datasets/tiny/hydro.yaml"));
    write_text(plan, text);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --store '%s'", bin(), plan, store);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "'%s' report --store '%s' -o '%s'", bin(), store, html);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    rendered r;
    render(html, &r);
    assert_page_ok(&r, 8);
    assert_int_equal(r.dams, 4); /* the 4 stations of hydro_static.csv */
    /* 11 and 99 in service in 2020; 12 built by the plan; 21 decided (not built: costly) */
    assert_non_null(strstr(r.status, "existing=2 built=1 not_built=1 not_modelled=0 planned=0"));
    free(r.dom);

    /* hostile strings in the run row and a zone name; results of the sediment and station
     * models; a station absent from the dams table */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(store, &db), SQLITE_OK);
    sql(db, "UPDATE runs SET plan_name = '<script>window.lmPwned=1</script>\"''&x', "
            "message = '</pre><img src=x onerror=alert(1)>'");
    sql(db, "UPDATE r_capacity SET zone = 'Up</script><b>land' WHERE zone = 'Upland'");
    sql(db, "UPDATE r_generation_annual SET zone = 'Up</script><b>land' WHERE zone = 'Upland'");
    sql(db, "UPDATE r_emissions SET zone = 'Up</script><b>land' WHERE zone = 'Upland'");
    sql(db, "DELETE FROM r_dams WHERE station_id = 21");
    sql(db, "DROP TABLE IF EXISTS r_sediment");
    sql(db, "CREATE TABLE r_sediment (run_id INTEGER, reach_id INTEGER, yield_mt REAL, "
            "deposition_fraction REAL, trap_efficiency REAL, in_place REAL, accumulated_mt REAL, "
            "delivered_mt REAL, deposited_mt REAL)");
    sql(db, "INSERT INTO r_sediment VALUES (1, 12, 1.0, 0.01, 0.6, 1, 2.0, 0.79, 1.21), "
            "(1, 31, 0.5, 0.02, NULL, 0, 0.79, 0.77, 0.02)");
    sql(db, "INSERT OR REPLACE INTO run_scalars (run_id, name, value) "
            "VALUES (1, 'sediment_delivered_mt', 0.77)");
    sqlite3_close(db);
    snprintf(cmd, sizeof cmd, "'%s' report 1 --store '%s' -o '%s'", bin(), store, html);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    char *page = read_text(html, NULL);
    assert_null(strstr(page, "<script>window.lmPwned"));
    assert_null(strstr(page, "<img src=x"));
    assert_null(strstr(page, "Up</script>"));
    assert_non_null(strstr(page, "&lt;script&gt;window.lmPwned=1&lt;/script&gt;&quot;&#39;&amp;x"));
    assert_non_null(strstr(page, "Up\\u003c/script\\u003e\\u003cb\\u003eland")); /* in the JSON */
    assert_non_null(strstr(page, "sediment_delivered_mt"));
    assert_non_null(strstr(page, "Middle Gorge")); /* reach 12 = station 12 */
    assert_null(strstr(page, "Station results: no data for this run"));
    free(page);
    render(html, &r);
    assert_page_ok(&r, 9); /* ... plus the sediment chart */
    assert_null(strstr(r.dom, "lmPwned=1;"));
    assert_non_null(strstr(r.status, "existing=2 built=1 not_built=0 not_modelled=1"));
    free(r.dom);
}

/* The bundled dataset with a short plan: two years, two days, a basin cap, two dams built by
 * the plan; the map shows every station of hydro_static.csv, NDC targets and sources are read
 * from the dataset folder. */
static void test_bundled_dataset_report(void **state)
{
    (void)state;
    char plan[512], store[512], html[512], cmd[4096], text[2048];
    snprintf(plan, sizeof plan, "%s/bundled.yaml", tmp);
    snprintf(store, sizeof store, "%s/bundled.sqlite", tmp);
    snprintf(html, sizeof html, "%s/bundled.html", tmp);
    snprintf(text, sizeof text,
             "name: report-test-bundled\ndataset: %s\nyears: [2020, 2030]\ntime: {months: [1, 7]}\n"
             "carbon: {caps: plan, basin_mt: {2030: 500}}\ntransmission: {scenario: planned}\n"
             "dams: {build: [103, 201]}\nsolver: {log: 0}\n",
             source_path("data/lancang-mekong"));
    write_text(plan, text);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --store '%s'", bin(), plan, store);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "'%s' report --store '%s' -o '%s'", bin(), store, html);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_self_contained(html);
    char *page = read_text(html, NULL);
    assert_non_null(strstr(page, "<h3>NDC targets</h3>"));
    assert_null(strstr(page, "NDC targets: not available"));
    assert_non_null(strstr(page, "<td>Cambodia</td>"));
    assert_non_null(strstr(page, ">S01</td>")); /* sources.csv */
    assert_non_null(strstr(page, "shadow price"));
    free(page);
    rendered r;
    render(html, &r);
    assert_page_ok(&r, 13); /* 7 capacity + generation + emissions + flows + hydro + 2 costs */
    int stations = count_lines(source_path("data/lancang-mekong/hydro_static.csv")) - 1;
    assert_int_equal(r.dams, stations);
    assert_non_null(strstr(r.status, "built=2 not_built="));
    free(r.dom);

    const char *shots = getenv("LMPLAN_REPORT_SCREENSHOT");
    if (shots && *shots) {
        snprintf(cmd, sizeof cmd,
                 "timeout 120 '%s' %s --user-data-dir='%s/profile-shot' --window-size=1280,7000 "
                 "--screenshot='%s/report-bundled.png' 'file://%s' > /dev/null 2>&1",
                 chromium(), CHROMIUM_FLAGS, tmp, shots, html);
        assert_int_equal(system(cmd), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_and_json_escaping),
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_tiny_run_report),
        cmocka_unit_test(test_infeasible_run_report),
        cmocka_unit_test(test_dams_hostile_strings_and_optional_tables),
        cmocka_unit_test(test_bundled_dataset_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
