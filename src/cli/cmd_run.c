/* cmd_run.c - `lmplan run PLAN`: load, build, solve, store and export, with timings and
 * progress on stderr and a readable summary on stdout.
 *
 * The run is recorded in the result store before the solve starts; results and the final
 * status are written in one transaction afterwards.  SIGINT/SIGTERM ask the solver to stop;
 * the run is then stored as interrupted.  An infeasible model is explained by the
 * constraint families, zones and years that cannot be met. */
#include "assess/carbon_plan.h"
#include "cli/cli.h"
#include "core/util.h"
#include "model/model.h"
#include "model/portfolio_search.h"
#include "report/report.h"
#include "solver/solve.h"
#include "store/store.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_signal(int sig)
{
    (void)sig;
    lm_solver_interrupt();
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lmplan run PLAN [--store FILE] [--csv DIR] [--no-csv] [--report FILE] [--no-report]\n"
            "\n"
            "Build the model of PLAN, solve it with the plan's solver (COIN-OR CLP/CBC), write the\n"
            "results into the SQLite result store and as CSV, and print a summary.\n"
            "\n"
            "  --store FILE   result store (default: the plan's output.store, else results/lmplan.sqlite)\n"
            "  --csv DIR      also write every result table as DIR/<table>.csv (default: output.csv)\n"
            "  --no-csv       do not write CSV even if the plan asks for it\n"
            "  --report FILE  write the HTML report there (default: results/report-<run>.html\n"
            "                 beside the store's folder; see 'lmplan report --help')\n"
            "  --no-report    do not write the HTML report\n"
            "\n"
            "Exit status: 0 optimal; 1 bad input; 2 solved but not optimal (infeasible, time limit,\n"
            "interrupted) - the run is stored with its status either way.\n");
}

static void search_progress(void *ctx, const char *line)
{
    (void)ctx;
    cli_status("%s", line);
}

/* Solve with the plan's back end, or with the portfolio search (solver.name: portfolio) when
 * the model has build decisions. */
static int solve_model(const lm_model *m, const lm_solve_opts *opts, int portfolio, lm_solution *sol,
                       lm_diag *d)
{
    if (!portfolio) return lm_solve(m->lp, opts, sol, d);
    lm_portfolio_opts po = {.lp = *opts, .gap = opts->mip_gap, .time_limit_s = opts->time_limit_s,
                            .progress = search_progress};
    po.lp.log_level = 0; /* the search prints one line per LP instead */
    lm_portfolio_report rep;
    int rc = lm_portfolio_search_coarse_to_fine(m, &po, sol, &rep, d);
    if (rep.coarse_months)
        cli_status("coarse search on %d day(s): bound %.6g, best %.6g, %.1f s; %d of its cuts and "
                   "%d of its portfolios used (cheapest here %.6g)", rep.coarse_months,
                   rep.coarse_bound, rep.coarse_best, rep.coarse_seconds, rep.n_seed_cuts,
                   rep.n_seed_priced, rep.seed_best);
    cli_status("portfolio search: bound %.6g (relaxation %.6g in %.1f s, %.6g after %d cuts from "
               "the sediment floor, %d branch-and-bound nodes), best %.6g with %d of %d dams "
               "(%.4f Mt/yr), gap %.3f %%, %d portfolios priced, %.1f s",
               sol->best_bound, rep.lower_bound, rep.relaxation_s, rep.cut_bound, rep.n_cuts,
               rep.n_nodes, sol->objective,
               rep.n_built, rep.n_candidates, rep.best_sediment_mt, 100 * sol->gap, rep.n_lps,
               rep.seconds);
    return rc;
}

static double scalar(const lm_results *r, const char *name)
{
    double v = NAN;
    lm_results_find_scalar(r, name, &v);
    return v;
}

static void print_summary(const lm_model *m, const lm_results *res)
{
    const lm_dataset *ds = m->ds;
    printf("\nobjective    %.4f bn USD (discounted to %d)\n", scalar(res, "objective_musd") / 1e3, m->base_year);
    printf("  variable   %.4f  (O&M %.4f, fuel %.4f, lines %.4f, imports %.4f, unserved %.4f)\n",
           scalar(res, "cost_variable_musd") / 1e3, scalar(res, "cost_var_om_musd") / 1e3,
           scalar(res, "cost_fuel_musd") / 1e3, scalar(res, "cost_line_var_musd") / 1e3,
           scalar(res, "cost_import_musd") / 1e3, scalar(res, "cost_unserved_musd") / 1e3);
    printf("  fixed      %.4f  (technologies %.4f, lines %.4f)\n", scalar(res, "cost_fixed_musd") / 1e3,
           scalar(res, "cost_fixed_tech_musd") / 1e3, scalar(res, "cost_fixed_line_musd") / 1e3);
    printf("  investment %.4f  (+ lines %.4f)\n", scalar(res, "cost_investment_musd") / 1e3,
           scalar(res, "cost_line_investment_musd") / 1e3);

    const lm_result_table *ann = lm_results_find(res, "generation_annual");
    const lm_result_table *caps = lm_results_find(res, "carbon_caps");
    printf("\n%-6s %10s %10s %12s", "year", "CO2 Mt", "cap Mt", "USD/t CO2");
    for (int k = 0; k < ds->n_techs; k++) printf(" %9.9s", ds->techs[k]);
    printf("   (generation, TWh, all zones)\n");
    for (int y = 0; y < m->n_years; y++) {
        double em = NAN, cap = NAN, price = NAN;
        for (int i = 0; caps && i < caps->n_rows; i++)
            if (!strcmp(caps->keys[i * 2], "basin") && !strcmp(caps->keys[i * 2 + 1], m->year_labels[y])) {
                cap = caps->vals[i * 3];
                em = caps->vals[i * 3 + 1];
                price = caps->vals[i * 3 + 2];
            }
        printf("%-6s %10.2f %10.2f %12.2f", m->year_labels[y], em, cap, price);
        for (int k = 0; k < ds->n_techs; k++) {
            double s = 0;
            for (int i = 0; ann && i < ann->n_rows; i++)
                if (!strcmp(ann->keys[i * 3 + 1], ds->techs[k]) && !strcmp(ann->keys[i * 3 + 2], m->year_labels[y]))
                    s += ann->vals[i];
            printf(" %9.2f", s);
        }
        printf("\n");
    }
}

/* Does the run cap any zone's emissions (not only the basin's)? */
static int has_zone_caps(const lm_results *res)
{
    const lm_result_table *caps = lm_results_find(res, "carbon_caps");
    for (int i = 0; caps && i < caps->n_rows; i++)
        if (strcmp(caps->keys[i * 2], "basin") && isfinite(caps->vals[i * 3])) return 1;
    return 0;
}

/* Per country, zone and year: emissions against the cap and the NDC level, with the cap's
 * shadow price (the same table as `lmplan carbon-report RUN`). */
static void print_carbon(const char *store_path, long long run_id)
{
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_report *r;
    if (lm_carbon_report_load(store_path, run_id, NULL, 0, &r, &d) == 0) {
        printf("\n");
        cli_print_carbon_report(r);
        lm_carbon_report_free(r);
    }
    lm_diag_print(&d, stderr);
    lm_diag_free(&d);
}

int cmd_run(int argc, char **argv)
{
    const char *plan_path = NULL, *store_path = NULL, *csv_dir = NULL, *report_path = NULL;
    int no_csv = 0, no_report = 0;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return LM_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--store") && i + 1 < argc) store_path = argv[++i];
        else if (!strcmp(argv[i], "--csv") && i + 1 < argc) csv_dir = argv[++i];
        else if (!strcmp(argv[i], "--no-csv")) no_csv = 1;
        else if (!strcmp(argv[i], "--report") && i + 1 < argc) report_path = argv[++i];
        else if (!strcmp(argv[i], "--no-report")) no_report = 1;
        else if (argv[i][0] != '-' && !plan_path) plan_path = argv[i];
        else {
            fprintf(stderr, "lmplan run: unexpected argument \"%s\"\n\n", argv[i]);
            usage(stderr);
            return LM_EXIT_USAGE;
        }
    }
    if (!plan_path) {
        usage(stderr);
        return LM_EXIT_USAGE;
    }

    lm_plan *plan;
    lm_dataset *ds;
    double load_s;
    cli_status("loading plan %s", plan_path);
    if (cli_load_plan(plan_path, &plan, &ds, &load_s) != 0) return LM_EXIT_INPUT;
    cli_status("loaded dataset %s (%d zones, %d technologies, %d years, %d steps) in %.2f s",
               ds->name, ds->n_zones, ds->n_techs, ds->n_years, ds->n_steps, load_s);
    if (!store_path) store_path = plan->store;
    if (!csv_dir) csv_dir = plan->csv_dir;
    if (no_csv) csv_dir = NULL;

    lm_diag d;
    lm_diag_init(&d);
    int rc = LM_EXIT_OK;
    lm_model *m = NULL;
    lm_store *store = NULL;
    lm_results *res = NULL;
    lm_solution sol = {0};
    int64_t run_id = 0;

    double t0 = lm_now();
    if (lm_model_build(ds, plan, &m, &d) != 0) {
        lm_diag_print(&d, stderr);
        rc = LM_EXIT_INPUT;
        goto done;
    }
    if (d.n_warnings) lm_diag_print(&d, stderr);
    lm_diag_clear(&d);
    double build_s = lm_now() - t0;
    cli_status("built model: %d rows, %d columns, %ld non-zeros in %.2f s", m->lp->nrows,
               m->lp->ncols, m->lp->nnz, build_s);

    char *dir = lm_path_dirname(store_path);
    if (strcmp(dir, ".")) lm_mkdir_p(dir); /* a failure is reported by lm_store_open */
    free(dir);
    if (lm_store_open(&store, store_path, &d) != 0) {
        lm_diag_print(&d, stderr);
        rc = LM_EXIT_INPUT;
        goto done;
    }
    lm_solve_opts opts;
    lm_solve_opts_default(&opts);
    opts.backend = plan->solver;
    int has_int = 0;
    for (int j = 0; j < m->lp->ncols && !has_int; j++) has_int = m->lp->col_int[j];
    int portfolio = !strcmp(plan->solver, "portfolio");
    if (portfolio && !has_int) {
        opts.backend = "clp";
        portfolio = 0;
    } else if (has_int && !strcmp(plan->solver, "clp")) {
        /* binary dam decisions need branch and bound; a relaxation is asked for explicitly
         * with dams.decision: relaxed */
        cli_status("the model has integer decisions: solving with cbc");
        opts.backend = "cbc";
    }
    opts.method = plan->method;
    opts.presolve = plan->presolve;
    opts.time_limit_s = plan->time_limit_s;
    opts.mip_gap = plan->mip_gap;
    opts.log_level = plan->solver_log;
    opts.barrier_regularization = lm_model_barrier_regularization(m);
    lm_run_info info = {plan->name, plan->path, plan->hash, ds->name, ds->hash, opts.backend, opts.method};
    if (lm_store_begin_run(store, &info, &run_id, &d) != 0) {
        lm_diag_print(&d, stderr);
        rc = LM_EXIT_INPUT;
        goto done;
    }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    cli_status("solving (run %lld, %s %s) ...", (long long)run_id, opts.backend, opts.method);
    cli_ticker *tick = cli_ticker_start("solving");
    t0 = lm_now();
    int srs = solve_model(m, &opts, portfolio, &sol, &d);
    double solve_s = lm_now() - t0;
    cli_ticker_stop(tick);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (srs != 0 || d.n_warnings) lm_diag_print(&d, stderr);
    lm_diag_clear(&d);
    cli_status("solver status: %s in %.2f s (%ld iterations)", lm_status_name(sol.status), solve_s,
               sol.iterations);

    char *message = NULL;
    t0 = lm_now();
    if (sol.status == LM_STATUS_INFEASIBLE) {
        lm_infeas_report rep = {0};
        cli_status("explaining infeasibility ...");
        if (lm_explain_infeasibility(m->lp, &opts, &rep, &d) == 0 && rep.text) {
            fprintf(stderr, "%s\n", rep.text);
            message = lm_xstrdup(rep.text);
        } else {
            lm_diag_print(&d, stderr);
        }
        lm_infeas_report_free(&rep);
    }
    if (sol.has_point && sol.status == LM_STATUS_OPTIMAL) {
        res = lm_results_new();
        if (lm_model_extract(m, &sol, res, &d) != 0) lm_diag_print(&d, stderr);
    }
    lm_run_outcome outcome = {lm_status_name(sol.status), res ? sol.objective : NAN, m->lp->nrows,
                              m->lp->ncols, m->lp->nnz, load_s, build_s, solve_s, 0, message};
    outcome.write_s = lm_now() - t0;
    if (lm_store_finish_run(store, run_id, res, &outcome, &d) != 0) {
        lm_diag_print(&d, stderr);
        rc = LM_EXIT_INPUT;
    }
    double write_s = lm_now() - t0;
    free(message);
    if (res && csv_dir) {
        if (lm_results_write_csv(res, csv_dir, &d) != 0) {
            lm_diag_print(&d, stderr);
            rc = LM_EXIT_INPUT;
        } else {
            cli_status("wrote CSV results to %s", csv_dir);
        }
    }
    cli_status("stored run %lld in %s; timings: load %.2f s, build %.2f s, solve %.2f s, write %.2f s",
               (long long)run_id, store_path, load_s, build_s, solve_s, write_s);
    if (res && !no_report) {
        /* the report reads the run back from the store, so it shows exactly what was stored */
        char *dir = lm_path_dirname(store_path);
        char *def = lm_xasprintf("%s/report-%lld.html", dir, (long long)run_id);
        lm_report_summary rs = {0};
        lm_diag rd;
        lm_diag_init(&rd);
        if (lm_report_write(store_path, run_id, report_path ? report_path : def, NULL, &rs, &rd) == 0)
            cli_status("wrote the report %s (%d charts, %d dams on the map)", rs.path, rs.n_charts, rs.n_dams);
        else
            lm_diag_print(&rd, stderr); /* the run itself is stored; a report can be made later */
        lm_report_summary_free(&rs);
        lm_diag_free(&rd);
        free(def);
        free(dir);
    }
    if (res) print_summary(m, res);
    if (res && has_zone_caps(res)) print_carbon(store_path, (long long)run_id);
    if (sol.status != LM_STATUS_OPTIMAL && rc == LM_EXIT_OK) rc = LM_EXIT_NOT_OPTIMAL;

done:
    lm_solution_free(&sol);
    lm_results_free(res);
    lm_store_close(store);
    lm_model_free(m);
    lm_diag_free(&d);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    return rc;
}
