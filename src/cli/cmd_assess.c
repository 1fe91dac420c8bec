/* cmd_assess.c - `lmplan assess [RUN_ID] [--project ID] ...`: appraise a stored run against
 * green-finance taxonomies, finance it, and score it on UNEP's ten principles (src/assess/
 * assess.h); store the assessment with the run, write it as CSV, print a summary. */
#include "assess/assess.h"
#include "cli/cli.h"
#include "core/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f,
            "Usage: lmplan assess [RUN_ID] [--project ID] [--store FILE] [--csv DIR] [--no-store]\n"
            "                     [--dataset DIR] [--declared FILE] [--criteria FILE]\n"
            "                     [--financing FILE] [--indicators FILE] [--ghg gres|ipcc-tier1]\n"
            "                     [--as-of YYYY-MM-DD]\n"
            "\n"
            "Appraise a run in the result store: every dam it has in place, every tranche of new\n"
            "capacity and every new cross-border line it builds is screened under the Climate\n"
            "Bonds Initiative criteria, the EU taxonomy, the ASEAN taxonomy and China's 2021\n"
            "Green Bond Endorsed Projects Catalogue (each separately, with the deciding clause);\n"
            "financed from public budgets, development banks, green bonds (eligible projects\n"
            "only) and private capital by a least-cost LP under each source's limits (the gap\n"
            "that no source can fill is reported); given its LCOE at the mix's cost of capital,\n"
            "reservoir and lifecycle GHG, sediment withheld from the delta and fish connectivity\n"
            "lost; and scored on UNEP's ten Good Practice Principles for Sustainable\n"
            "Infrastructure, per project and for the plan, with each principle's coverage and\n"
            "every indicator's evidence. Missing data are shown as missing, never scored good.\n"
            "\n"
            "  RUN_ID             the run to assess (default: the latest run in the store)\n"
            "  --project ID       print this project's scorecard with its evidence (ids such as\n"
            "                     dam:206, Laos/Solar/2030, line:Laos-Thailand/2030; see\n"
            "                     assess_projects.csv); the store gets the scorecard rows of this\n"
            "                     project only, the plan is always assessed whole\n"
            "  --store FILE       result store (default: results/lmplan.sqlite)\n"
            "  --csv DIR          where to write the assessment tables as CSV\n"
            "                     (default: results/assess-<RUN_ID>)\n"
            "  --no-store         do not write the assessment into the store (CSV and summary only)\n"
            "  --dataset DIR      dataset the run was solved with (default: the one named by the\n"
            "                     run's plan file, found at the plan path stored with the run)\n"
            "  --declared FILE    declared project data (projects_declared table; default: the\n"
            "                     dataset's own, else everything unknown)\n"
            "  --criteria FILE    green-finance criteria (default: data/criteria/green_finance_criteria.csv)\n"
            "  --financing FILE   sources of capital (default: data/criteria/financing_sources.csv)\n"
            "  --indicators FILE  UNEP indicators and thresholds (default: data/criteria/unep_indicators.csv)\n"
            "                     (the defaults are looked up in the working directory, then in\n"
            "                     $LMPLAN_HOME, then one folder above the lmplan binary)\n"
            "  --ghg METHOD       reservoir emissions: gres (G-res v3, default) or ipcc-tier1\n"
            "                     (IPCC 2019 Refinement Tier 1)\n"
            "  --as-of DATE       date the declared data's future-date rule is checked against\n"
            "                     (default: today)\n"
            "  -h, --help         this help\n"
            "\n"
            "The assessment is computed completely before anything is written; if any input is\n"
            "bad (file:line:column and the rule are printed) nothing in the store changes.\n"
            "Assessing a run again replaces its earlier assessment.\n"
            "Exit status: 0 assessed, 1 bad input / no such run, 64 usage error.\n"
            "Method, tables and thresholds: docs/assessment.md.\n");
}

/* A bundled data file (rel = "data/criteria/...") when no path was given: relative to the
 * working directory, else to $LMPLAN_HOME, else one folder above the lmplan binary (the
 * checkout, for build/lmplan).  Returns the first that exists, or rel (whose absence the
 * loader then reports).  The result is in buf. */
static const char *default_path(const char *given, const char *rel, char *buf, size_t n)
{
    if (given) return given;
    snprintf(buf, n, "%s", rel);
    if (lm_path_exists(buf)) return buf;
    const char *home = getenv("LMPLAN_HOME");
    if (home && *home) {
        snprintf(buf, n, "%s/%s", home, rel);
        if (lm_path_exists(buf)) return buf;
    }
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        char *cand = lm_xasprintf("%s/../%s", exe, rel);
        int ok = lm_path_exists(cand) && strlen(cand) < n;
        if (ok) memcpy(buf, cand, strlen(cand) + 1);
        free(cand);
        if (ok) return buf;
    }
    snprintf(buf, n, "%s", rel);
    return buf;
}

static void print_scorecard(const lm_results *res, const char *scope)
{
    const lm_result_table *tp = lm_results_find(res, "assess_principles");
    if (!tp) return;
    printf("  %-2s %-58s %7s %7s %9s\n", "#", "UNEP principle", "score", "consv.", "coverage");
    for (int r = 0; r < tp->n_rows; r++) {
        const char *const *k = tp->keys + (size_t)r * tp->n_keys;
        if (strcmp(k[0], scope) != 0) continue;
        const double *v = tp->vals + (size_t)r * tp->n_vals;
        char sc[16], cs[16];
        if (isnan(v[0])) snprintf(sc, sizeof sc, "missing");
        else snprintf(sc, sizeof sc, "%.2f", v[0]);
        if (isnan(v[1])) snprintf(cs, sizeof cs, "-");
        else snprintf(cs, sizeof cs, "%.2f", v[1]);
        printf("  %-2s %-58.58s %7s %7s %4.0f/%-4.0f\n", k[1], k[2], sc, cs, v[5], v[4]);
    }
}

static void print_indicators(const lm_results *res, const char *scope)
{
    const lm_result_table *ti = lm_results_find(res, "assess_indicators");
    if (!ti) return;
    for (int r = 0; r < ti->n_rows; r++) {
        const char *const *k = ti->keys + (size_t)r * ti->n_keys;
        if (strcmp(k[0], scope) != 0) continue;
        const double *v = ti->vals + (size_t)r * ti->n_vals;
        if (v[3] == 0)
            printf("  P%-2s %-14s %10s  n/a    %s\n", k[1], k[2], "", k[3]);
        else if (isnan(v[0]))
            printf("  P%-2s %-14s %10s  -      %s\n", k[1], k[2], "missing", k[3]);
        else
            printf("  P%-2s %-14s %10.4g  %.2f   %s\n", k[1], k[2], v[0], v[1], k[3]);
    }
}

int cmd_assess(int argc, char **argv)
{
    const char *store_path = "results/lmplan.sqlite", *csv_dir = NULL, *run_arg = NULL;
    const char *project = NULL, *dataset = NULL, *declared = NULL, *criteria = NULL;
    const char *financing = NULL, *indicators = NULL, *ghg = "gres", *as_of = NULL;
    int no_store = 0;
    if (cli_wants_help(argc, argv)) {
        help(stdout);
        return LM_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int nx = i + 1 < argc;
        if (!strcmp(a, "--store") && nx) store_path = argv[++i];
        else if (!strcmp(a, "--csv") && nx) csv_dir = argv[++i];
        else if (!strcmp(a, "--project") && nx) project = argv[++i];
        else if (!strcmp(a, "--dataset") && nx) dataset = argv[++i];
        else if (!strcmp(a, "--declared") && nx) declared = argv[++i];
        else if (!strcmp(a, "--criteria") && nx) criteria = argv[++i];
        else if (!strcmp(a, "--financing") && nx) financing = argv[++i];
        else if (!strcmp(a, "--indicators") && nx) indicators = argv[++i];
        else if (!strcmp(a, "--ghg") && nx) ghg = argv[++i];
        else if (!strcmp(a, "--as-of") && nx) as_of = argv[++i];
        else if (!strcmp(a, "--no-store")) no_store = 1;
        else if (a[0] != '-' && !run_arg) run_arg = a;
        else {
            fprintf(stderr, "lmplan assess: unexpected argument \"%s\"%s\n\n", a,
                    a[0] == '-' && !nx ? " (missing its value?)" : "");
            help(stderr);
            return LM_EXIT_USAGE;
        }
    }
    if (strcmp(ghg, "gres") && strcmp(ghg, "ipcc-tier1")) {
        fprintf(stderr, "lmplan assess: --ghg \"%s\": must be gres or ipcc-tier1\n", ghg);
        return LM_EXIT_USAGE;
    }
    long as_of_date = 0;
    if (as_of) {
        int y, m, dd;
        char extra;
        if (sscanf(as_of, "%4d-%2d-%2d%c", &y, &m, &dd, &extra) != 3 || m < 1 || m > 12 ||
            dd < 1 || dd > 31) {
            fprintf(stderr, "lmplan assess: --as-of \"%s\": must be a date YYYY-MM-DD\n", as_of);
            return LM_EXIT_USAGE;
        }
        as_of_date = (long)y * 10000 + m * 100 + dd;
    }
    long run_id = 0;
    if (cli_parse_run_id("assess", run_arg, &run_id) != 0) return LM_EXIT_USAGE;
    if (!lm_path_exists(store_path)) {
        fprintf(stderr, "lmplan assess: no result store \"%s\" (run a plan first: lmplan run "
                        "PLAN, or give --store)\n", store_path);
        return LM_EXIT_INPUT;
    }

    lm_diag d;
    lm_diag_init(&d);
    int rc = LM_EXIT_INPUT;
    lm_store *st = NULL;
    lm_results *run = NULL, *res = NULL;
    lm_plan *plan = NULL;
    lm_dataset *ds = NULL;
    lm_declared *dc = NULL;
    lm_criteria *cr = NULL;
    lm_fin_sources *fs = NULL;
    lm_sc_table *sct = NULL;
    lm_run_record rec = {0};
    lm_assess_summary sum = {0};
    char *csv_default = NULL;
    double t0 = lm_now();
    if (lm_store_open(&st, store_path, &d) != 0) goto out;
    if (run_id == 0) run_id = lm_store_latest_run(st);
    if (run_id == 0) {
        lm_diag_error(&d, "result store \"%s\" holds no run", store_path);
        goto out;
    }
    if (lm_store_run_record(st, run_id, &rec, &d) != 0) goto out;
    /* the dataset: --dataset, or the run's plan's; the plan (when its file is here) gives the
     * sediment reach and lets the run be checked for reproducibility */
    if (!dataset && (!rec.plan_path || !lm_path_exists(rec.plan_path))) {
        lm_diag_error(&d, "run %ld: its plan file \"%s\" is not found from here; give the "
                          "dataset the run was solved with (--dataset DIR)",
                      run_id, rec.plan_path ? rec.plan_path : "");
        goto out;
    }
    if (rec.plan_path && lm_path_exists(rec.plan_path)) {
        lm_diag pd;
        lm_diag_init(&pd);
        int prc = lm_plan_load(rec.plan_path, &plan, dataset ? &pd : &d);
        lm_diag_free(&pd);
        if (prc != 0 && !dataset) goto out;
    }
    if (!dataset) dataset = plan->dataset;
    if (lm_dataset_load(dataset, &ds, &d) != 0) goto out;
    if (rec.dataset_hash && strcmp(rec.dataset_hash, ds->hash) != 0)
        lm_diag_warn(&d, "dataset %s differs from the one run %ld used (SHA-256 %.12s... now, "
                         "%.12s... at run time); the assessment uses the files as they are now",
                     dataset, run_id, ds->hash, rec.dataset_hash);
    int reproducible = rec.dataset_hash && rec.plan_hash && plan &&
                       !strcmp(rec.dataset_hash, ds->hash) && !strcmp(rec.plan_hash, plan->hash);
    lm_declared_options dopt = {as_of_date};
    int bad = 0;
    if (declared) bad |= lm_declared_read(ds, declared, &dopt, &dc, &d) != 0;
    else bad |= lm_declared_load(ds, &dopt, &dc, &d) != 0;
    char pbuf[4096];
    bad |= lm_criteria_load(default_path(criteria, "data/criteria/green_finance_criteria.csv",
                                         pbuf, sizeof pbuf), &cr, &d) != 0;
    bad |= lm_fin_sources_load(default_path(financing, "data/criteria/financing_sources.csv",
                                            pbuf, sizeof pbuf), &fs, &d) != 0;
    bad |= lm_sc_table_load(default_path(indicators, "data/criteria/unep_indicators.csv", pbuf,
                                         sizeof pbuf), &sct, &d) != 0;
    if (bad) goto out;
    if (lm_store_load_results(st, run_id, &run, &d) != 0) goto out;

    lm_assess_ctx c;
    lm_assess_ctx_init(&c, ds, dc, cr, fs, sct);
    c.opt.ghg_method = !strcmp(ghg, "ipcc-tier1") ? LM_GHG_IPCC_TIER1 : LM_GHG_GRES;
    c.run = run;
    c.run_id = run_id;
    c.reproducible = reproducible;
    c.sediment_reach_id = plan ? plan->sediment_reach : 0;
    c.n_scenarios = rec.n_runs_same_dataset;
    res = lm_results_new();
    if (lm_assess_plan(&c, project, res, &sum, &d) != 0) goto out;
    double assess_s = lm_now() - t0;
    if (!csv_dir) csv_dir = csv_default = lm_xasprintf("results/assess-%ld", run_id);
    if (lm_results_write_csv(res, csv_dir, &d) != 0) goto out;
    if (!no_store && lm_store_add_results(st, run_id, res, &d) != 0) goto out;

    printf("Assessment of run %ld (%s, dataset %s): %d projects - %d dams (%d new), %d tranches "
           "of new capacity, %d new lines\n", run_id, rec.plan_name ? rec.plan_name : "?",
           ds->name, sum.n_projects, sum.n_dams, sum.n_new_dams, sum.n_tranches, sum.n_lines);
    printf("  capital need %.0f million USD; financed at %.2f %% real (%.0f million USD/yr); "
           "gap %.0f million USD\n", sum.capex_musd, sum.wacc_pct, sum.cost_of_capital_musd_yr,
           sum.gap_musd);
    printf("  green-finance eligible share of capex: CBI %.1f %%, EU %.1f %%, ASEAN %.1f %%, "
           "China 2021 %.1f %% (any %.1f %%)\n", sum.green_capex_pct[LM_TAX_CBI],
           sum.green_capex_pct[LM_TAX_EU], sum.green_capex_pct[LM_TAX_ASEAN],
           sum.green_capex_pct[LM_TAX_CHINA2021], sum.green_any_capex_pct);
    printf("  sediment to the delta %.2f Mt/yr (%.2f without the stations' dams); DCIp %.1f "
           "(status quo %.1f), DCId %.1f (%.1f); reservoir GHG %.3g t CO2e/yr (%d dams without "
           "the data)\n", sum.sediment_delivered_mt, sum.sediment_no_dams_mt, sum.dcip,
           sum.dcip_status_quo, sum.dcid, sum.dcid_status_quo, sum.reservoir_t_co2e_yr,
           sum.reservoir_dams_unknown);
    printf("Plan scorecard (score over indicators with data; consv. = missing counted 0; "
           "coverage = with data / applicable):\n");
    print_scorecard(res, "plan");
    printf("  overall %.2f, conservative %.2f, coverage %.0f %%\n", sum.plan.overall,
           sum.plan.overall_conservative, 100 * sum.plan.coverage);
    if (project) {
        printf("Project %s:\n", project);
        print_scorecard(res, project);
        printf("  indicators (value, score, evidence):\n");
        print_indicators(res, project);
    }
    cli_status("assessed run %ld in %.2f s; %s%s", run_id, assess_s,
               no_store ? "" : "stored in the run's assess_* tables; ", csv_dir);
    rc = LM_EXIT_OK;
out:
    lm_diag_print(&d, stderr);
    if (rc != LM_EXIT_OK && d.n_errors) fprintf(stderr, "lmplan assess: nothing was stored\n");
    lm_assess_summary_free(&sum);
    lm_results_free(res);
    lm_results_free(run);
    lm_sc_table_free(sct);
    lm_fin_sources_free(fs);
    lm_criteria_free(cr);
    lm_declared_free(dc);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    lm_run_record_free(&rec);
    if (st) lm_store_close(st);
    free(csv_default);
    lm_diag_free(&d);
    return rc;
}
