/* test_cli.c - the lmplan program end to end: check on the Xu et al. data and on broken
 * input (exit status and message), run on a tiny dataset into a fresh store, export-mps,
 * and --help on every subcommand.  The binary comes from LMPLAN_BIN (set by CTest). */
#include "../test_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run a shell command, capture stdout+stderr into out, return the exit status. */
static int run(const char *cmd, char *out, size_t n)
{
    char full[4096];
    int k = snprintf(full, sizeof full, "%s 2>&1", cmd);
    assert_true(k > 0 && (size_t)k < sizeof full); /* a cut command would test something else */
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *bin(void)
{
    const char *b = getenv("LMPLAN_BIN");
    return b ? b : "build/lmplan";
}

static char out[1 << 20];

static void test_check_xu2025(void **state)
{
    (void)state;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s/tech_type.csv", xu2025_dir());
    if (access(cmd, R_OK) != 0) skip();
    snprintf(cmd, sizeof cmd, "LMPLAN_XU2025_DIR='%s' %s check %s", xu2025_dir(), bin(),
             source_path("data/mekong-xu2025.yaml"));
    int rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "zones        6: Cambodia Laos Myanmar Thailand Vietnam China"));
    assert_non_null(strstr(out, "technologies 8:"));
    assert_non_null(strstr(out, "years        4: 2020 2030 2040 2050"));
    assert_non_null(strstr(out, "steps        288 a year (12 representative days x 24 hours"));
    assert_non_null(strstr(out, "corridors    20 directed"));
    assert_non_null(strstr(out, "stations     110 hydropower stations (48 candidates), 101 routing edges"));
    assert_non_null(strstr(out, "sediment     552 river reaches, 104 with a dam trap efficiency"));
}

static void test_check_plan_builds_model(void **state)
{
    (void)state;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s check %s", bin(), fixture("cli/tiny-run.yaml"));
    int rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "model "));
    assert_non_null(strstr(out, "OK"));
}

static void test_bad_inputs_exit_nonzero_with_location(void **state)
{
    (void)state;
    char cmd[2048];
    /* a plan naming an unknown zone */
    snprintf(cmd, sizeof cmd, "%s check %s", bin(), fixture("cli/bad-zone.yaml"));
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "\"Atlantis\" is not a zone"));
    /* a plan file that does not exist */
    snprintf(cmd, sizeof cmd, "%s run /nonexistent/plan.yaml", bin());
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "/nonexistent/plan.yaml"));
    /* a folder without a manifest */
    snprintf(cmd, sizeof cmd, "%s check %s", bin(), fixture("cli"));
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "dataset.yaml"));
    /* an unknown command */
    snprintf(cmd, sizeof cmd, "%s frobnicate", bin());
    assert_int_equal(run(cmd, out, sizeof out), 64);
}

static void test_run_stores_results(void **state)
{
    (void)state;
    char dir[] = "/tmp/lmplan-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run %s --store %s/r.sqlite --csv %s/csv", bin(),
             fixture("cli/tiny-run.yaml"), dir, dir);
    int rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "solver status: optimal"));
    assert_non_null(strstr(out, "objective"));
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite \"select status from runs\"", dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_string_equal(out, "optimal\n");
    snprintf(cmd, sizeof cmd, "test -s %s/csv/capacity.csv && test -s %s/csv/balance.csv", dir, dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    /* a second run appends, the first stays */
    snprintf(cmd, sizeof cmd, "%s run %s --store %s/r.sqlite --no-csv", bin(), fixture("cli/tiny-run.yaml"), dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite \"select count(*) from runs where status='optimal'\"", dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_string_equal(out, "2\n");
    /* export-mps writes a file the clp command reads to the same optimum */
    snprintf(cmd, sizeof cmd, "%s export-mps %s -o %s/m.mps && test -s %s/m.mps", bin(),
             fixture("cli/tiny-run.yaml"), dir, dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* An infeasible plan: exit 2, the report names the family, zone and year, and the run is
 * stored as infeasible with the report as its message. */
/* A plan that caps a zone: the run ends with the carbon report, the cap binding (1.00 Mt
 * emitted against the uncapped 1.54) with a positive shadow price. */
static void test_run_prints_carbon_report(void **state)
{
    (void)state;
    char dir[] = "/tmp/lmplan-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run %s --store %s/r.sqlite --no-csv --no-report", bin(),
             fixture("cli/tiny-zone-cap.yaml"), dir);
    int rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    const char *row = strstr(out, "Delta        2030");
    if (!row) fail_msg("no carbon report row for Delta 2030:\n%s", out);
    double em, cap, price;
    assert_int_equal(sscanf(row, "Delta 2030 - %lf %lf - %lf met", &em, &cap, &price), 3);
    assert_float_equal(em, 1.0, 0.005);
    assert_float_equal(cap, 1.0, 1e-9);
    assert_true(price > 0);
    assert_non_null(strstr(out, "caps met: 1 of 1"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_infeasible_run_is_explained(void **state)
{
    (void)state;
    char dir[] = "/tmp/lmplan-inf-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run %s --store %s/r.sqlite", bin(), fixture("cli/infeasible-cap.yaml"), dir);
    assert_int_equal(run(cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "solver status: infeasible"));
    assert_non_null(strstr(out, "carbon.cap_zone: 1 row"));
    assert_non_null(strstr(out, "carbon.cap_zone[Delta,2030]"));
    assert_non_null(strstr(out, "zones Delta; years 2030"));
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite \"select status, instr(message, 'carbon.cap_zone') > 0 from runs\"", dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_string_equal(out, "infeasible|1\n");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* lmplan assess on a stored run: the assessment lands in the store and as CSV; bad declared
 * data (negative area, zero depth, a future date for an existing dam, an unknown project) and an
 * unknown --project are rejected with file:line:column and leave the store byte-for-byte as it
 * was (compared through sqlite3 .dump). */
static void test_assess_run(void **state)
{
    (void)state;
    char dir[] = "/tmp/lmplan-assess-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run %s --store %s/r.sqlite --no-csv", bin(), fixture("cli/tiny-assess.yaml"), dir);
    int rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    snprintf(cmd, sizeof cmd, "%s assess --store %s/r.sqlite --csv %s/a --as-of 2025-06-01 --project dam:11", bin(), dir, dir);
    rc = run(cmd, out, sizeof out);
    if (rc != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, "Assessment of run 1 (tiny-assess"));
    assert_non_null(strstr(out, "Project dam:11:"));
    assert_non_null(strstr(out, "p6-resettled"));
    /* ten principles for the plan and for dam 11 in the store; CSV written */
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite \"select scope, count(*) from r_assess_principles "
             "where run_id = 1 group by scope order by scope\" && test -s %s/a/assess_screening.csv", dir, dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_string_equal(out, "dam:11|10\nplan|10\n");
    /* dam 11 declares 1200 people resettled for 30 MW: 40 per MW, past the 10 that scores 0 */
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite \"select round(value, 4), score from r_assess_indicators "
             "where scope = 'dam:11' and indicator = 'p6-resettled'\"", dir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    assert_string_equal(out, "40.0|0.0\n");
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite .dump | sha256sum > %s/before", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "printf 'project_id,attribute,value,source_id,note\\n"
             "11,reservoir_area_km2,-5,x,\\n11,mean_depth_m,0,x,\\n11,status,existing,x,\\n"
             "11,commissioning_date,2031-05,x,\\n77,local_jobs,10,x,\\n' > %s/bad.csv", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s assess --store %s/r.sqlite --csv %s/b --as-of 2025-06-01 --declared %s/bad.csv", bin(), dir, dir, dir);
    assert_int_equal(run(cmd, out, sizeof out), 1);
    char want[1024];
    snprintf(want, sizeof want, "%s/bad.csv:2:value: value \"-5\"", dir);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "%s/bad.csv:3:value: value \"0\"", dir);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "%s/bad.csv:5:value: value \"2031-05\"", dir);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "commissioning date in the future"));
    snprintf(want, sizeof want, "%s/bad.csv:6:project_id: value \"77\": unknown project id", dir);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "nothing was stored"));
    snprintf(cmd, sizeof cmd, "%s assess --store %s/r.sqlite --csv %s/c --project dam:77", bin(), dir, dir);
    assert_int_equal(run(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "no project \"dam:77\""));
    snprintf(cmd, sizeof cmd, "sqlite3 %s/r.sqlite .dump | sha256sum | cmp - %s/before", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_help_everywhere(void **state)
{
    (void)state;
    const char *cmds[] = {"--help", "check --help", "run --help", "export-mps --help",
                          "assess --help"};
    for (int i = 0; i < 5; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "%s %s", bin(), cmds[i]);
        assert_int_equal(run(cmd, out, sizeof out), 0);
        assert_non_null(strstr(out, "Usage: lmplan"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_xu2025),
        cmocka_unit_test(test_check_plan_builds_model),
        cmocka_unit_test(test_bad_inputs_exit_nonzero_with_location),
        cmocka_unit_test(test_run_stores_results),
        cmocka_unit_test(test_run_prints_carbon_report),
        cmocka_unit_test(test_infeasible_run_is_explained),
        cmocka_unit_test(test_assess_run),
        cmocka_unit_test(test_help_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
