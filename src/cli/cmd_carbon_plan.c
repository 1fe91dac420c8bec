/* cmd_carbon_plan.c - `lmplan carbon-plan` and `lmplan carbon-report`.
 *
 * carbon-plan derives power-sector CO2 caps per zone and year from the dataset's national
 * targets (ndc_targets) and the modelled emissions of a stored no-cap baseline run, prints
 * them, and writes a plan (the base plan's settings plus `carbon: caps: plan`) and the CSV of
 * the derivation beside it.  carbon-report prints, for a run of such a plan, the emissions of
 * each country and year against its cap and its NDC level, with the cap's shadow price.  The
 * method lives in src/assess/carbon_plan.c and docs/carbon-plan.md; this file parses
 * arguments and prints. */
#include "assess/carbon_plan.h"
#include "cli/cli.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BASE_PLAN "data/lancang-mekong/plans/baseline.yaml"
#define DEFAULT_STORE "results/lmplan.sqlite"

static void usage_plan(FILE *f)
{
    fprintf(f,
            "Usage: lmplan carbon-plan -o PLAN.yaml [OPTIONS]\n"
            "\n"
            "Derive power-sector CO2 caps per zone and year from the national targets (the\n"
            "dataset's ndc_targets table) and a baseline path (the modelled emissions of a stored\n"
            "least-cost run without caps), print them, and write a plan that applies them as\n"
            "carbon.zone_mt, with PLAN.carbon_plan.csv (zone, country, year, baseline_mt, cap_mt,\n"
            "ndc_target_mt, method) beside it.  Method and assumptions: docs/carbon-plan.md.\n"
            "\n"
            "  -o, --output FILE      the plan to write (required)\n"
            "  --base-plan PLAN       plan whose settings and dataset the new plan takes\n"
            "                         (default " DEFAULT_BASE_PLAN ")\n"
            "  --baseline-run ID      run whose emissions are the baseline path (default: the\n"
            "                         latest optimal run of the base plan in the store)\n"
            "  --store FILE           result store (default: the base plan's output.store,\n"
            "                         else " DEFAULT_STORE ")\n"
            "  --targets KIND         unconditional (default) or conditional; conditional uses\n"
            "                         the conditional targets and the unconditional ones, which\n"
            "                         still hold (the lower level applies)\n"
            "  --sector-factor F      power-sector reduction = F x the NDC percentage, at most\n"
            "                         100 %% (default 1: the economy-wide percentage as is)\n"
            "  --sector-factor ZONE=F the same for one zone (repeatable)\n"
            "  --residual-share S     cap in the neutrality year = S x the last target level,\n"
            "                         in [0, 1] (default 0: zero emissions)\n"
            "  --peak-plateau YEARS   hold a peak target's level this long before the path\n"
            "                         turns down to neutrality (default 0)\n"
            "  --basin-cap            also write the basin total as carbon.basin_mt (otherwise it\n"
            "                         is only a comment)\n"
            "  --no-zone-caps         with --basin-cap: the basin cap only (zones may trade)\n"
            "  --name NAME            plan name (default: <dataset>-<file name>)\n"
            "  --description TEXT     plan description (default: generated)\n"
            "  --csv FILE             derivation table (default: PLAN.carbon_plan.csv)\n"
            "\n"
            "A zone without a target that can be turned into a power-sector level gets no cap,\n"
            "with a warning.  Exit status: 0 written; 1 bad input; 64 usage.\n"
            "\n"
            "See also: lmplan carbon-report --help\n");
}

static void usage_report(FILE *f)
{
    fprintf(f,
            "Usage: lmplan carbon-report [--store FILE] [--plan-csv FILE] [--baseline-run ID] [RUN]\n"
            "\n"
            "For a stored run (default: the latest), print per country, zone and year the baseline\n"
            "and the modelled power-sector CO2 emissions, the cap, the NDC level, the cap's shadow\n"
            "price (the cost of the last tonne avoided, USD/t in that year) and whether the cap and\n"
            "the NDC level are met; then the basin total.  Baseline, NDC levels and countries come\n"
            "from the carbon plan's CSV.\n"
            "\n"
            "  --store FILE        result store (default " DEFAULT_STORE ")\n"
            "  --plan-csv FILE     the carbon plan's CSV with the NDC levels (default: the\n"
            "                      .carbon_plan.csv beside the run's plan file, if it exists)\n"
            "  --baseline-run ID   also show the cost of the caps: the run's objective minus\n"
            "                      this run's (both discounted system costs)\n"
            "\n"
            "Exit status: 0 shown and every cap met; 2 a cap is exceeded or the run is not\n"
            "optimal; 1 bad input; 64 usage.\n");
}

static int parse_id(const char *s, long long *out)
{
    long v;
    if (lm_parse_int(s, &v) != 0 || v <= 0) return -1;
    *out = v;
    return 0;
}

/* The command line, for the plan's header. */
static char *command_line(int argc, char **argv)
{
    char *s = lm_xstrdup("lmplan");
    for (int i = 0; i < argc; i++) {
        char *t = lm_xasprintf(strpbrk(argv[i], " \t\"'") ? "%s '%s'" : "%s %s", s, argv[i]);
        free(s);
        s = t;
    }
    return s;
}

/* "<dataset>-<file stem>", with characters a plan name may not have replaced by '-'. */
static char *default_name(const char *dataset, const char *out_path)
{
    const char *base = strrchr(out_path, '/');
    base = base ? base + 1 : out_path;
    const char *dot = strrchr(base, '.');
    int len = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    char *s = lm_xasprintf("%s-%.*s", dataset, len, base);
    for (char *c = s; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *c))
            *c = '-';
    return s;
}

static const char *num(double v, char *buf, size_t n, const char *fmt)
{
    if (isnan(v)) snprintf(buf, n, "-");
    else snprintf(buf, n, fmt, v);
    return buf;
}

static void print_plan(const lm_carbon_plan *cp, const lm_cp_baseline *b)
{
    char a[32], c[32], e[32];
    printf("\nPower-sector CO2 caps, Mt/yr (baseline: run %lld of %s)\n", b->run_id,
           b->plan_name ? b->plan_name : "?");
    printf("%-10s %-10s %6s %12s %10s %10s  %s\n", "zone", "country", "year", "baseline", "cap",
           "NDC level", "method");
    for (int z = 0; z < cp->n_zones; z++)
        for (int y = 0; y < cp->n_years; y++) {
            size_t k = (size_t)z * cp->n_years + y;
            printf("%-10s %-10s %6d %12s %10s %10s  %s\n", cp->zones[z],
                   cp->country[z] ? cp->country[z] : "-", cp->years[y],
                   num(cp->baseline_mt[k], a, sizeof a, "%.2f"),
                   num(lm_cp_round_mt(cp->cap_mt[k]), c, sizeof c, "%.2f"),
                   num(cp->ndc_mt[k], e, sizeof e, "%.2f"), cp->method[k]);
        }
    printf("%-10s %-10s", "basin", "(total)");
    for (int y = 0; y < cp->n_years; y++) printf("  %d: %.2f", cp->years[y], cp->basin_mt[y]);
    printf("   (zone caps + baseline of uncapped zones)\n\nHow each zone's cap was derived:\n");
    for (int z = 0; z < cp->n_zones; z++) printf("  %s: %s\n", cp->zones[z], cp->summary[z]);
}

static int carbon_plan(int argc, char **argv)
{
    const char *out = NULL, *base_path = DEFAULT_BASE_PLAN, *store = NULL, *csv = NULL;
    long long run_id = 0;
    lm_cp_options o;
    lm_cp_write_opts w;
    lm_cp_options_default(&o);
    lm_cp_write_opts_default(&w);
    w.program_version = LMPLAN_VERSION;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && v) out = argv[++i];
        else if (!strcmp(a, "--base-plan") && v) base_path = argv[++i];
        else if (!strcmp(a, "--store") && v) store = argv[++i];
        else if (!strcmp(a, "--csv") && v) csv = argv[++i];
        else if (!strcmp(a, "--name") && v) w.name = argv[++i];
        else if (!strcmp(a, "--description") && v) w.description = argv[++i];
        else if (!strcmp(a, "--basin-cap")) w.basin_cap = 1;
        else if (!strcmp(a, "--no-zone-caps")) w.zone_caps = 0;
        else if (!strcmp(a, "--baseline-run") && v) bad = parse_id(argv[++i], &run_id);
        else if (!strcmp(a, "--targets") && v) {
            i++;
            if (!strcmp(v, "unconditional")) o.conditional = 0;
            else if (!strcmp(v, "conditional")) o.conditional = 1;
            else bad = 1;
        } else if (!strcmp(a, "--residual-share") && v) {
            i++;
            bad = lm_parse_double(v, &o.residual_share, 0) != 0;
        } else if (!strcmp(a, "--peak-plateau") && v) {
            long p;
            i++;
            bad = lm_parse_int(v, &p) != 0 || p < 0 || p > 100;
            o.peak_plateau_years = (int)p;
        } else if (!strcmp(a, "--sector-factor") && v) {
            const char *eq = strrchr(v, '=');
            i++;
            if (!eq) {
                bad = lm_parse_double(v, &o.sector_factor, 0) != 0;
            } else if (o.n_zone_factors < LM_CP_MAX_ZONE_FACTORS) {
                argv[i][eq - v] = 0; /* split ZONE=F in place */
                o.factor_zone[o.n_zone_factors] = argv[i];
                bad = lm_parse_double(eq + 1, &o.factor_value[o.n_zone_factors++], 0) != 0;
            } else {
                bad = 1;
            }
        } else {
            fprintf(stderr, "lmplan carbon-plan: unexpected argument \"%s\"\n\n", a);
            usage_plan(stderr);
            return LM_EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, "lmplan carbon-plan: bad value \"%s\" for %s\n\n", argv[i], a);
            usage_plan(stderr);
            return LM_EXIT_USAGE;
        }
    }
    if (!out) {
        fprintf(stderr, "lmplan carbon-plan: name the plan to write with -o FILE\n\n");
        usage_plan(stderr);
        return LM_EXIT_USAGE;
    }

    lm_plan *base;
    lm_dataset *ds;
    cli_status("loading base plan %s", base_path);
    if (cli_load_plan(base_path, &base, &ds, NULL) != 0) return LM_EXIT_INPUT;
    if (!store) store = base->store ? base->store : DEFAULT_STORE;

    int rc = LM_EXIT_INPUT;
    lm_diag d;
    lm_diag_init(&d);
    lm_cp_baseline b;
    lm_carbon_plan *cp = NULL;
    char *csv_path = NULL, *name = NULL, *cmd = command_line(argc, argv);
    lm_plan *check = NULL;
    if (lm_cp_baseline_from_store(store, run_id, base->name, ds, &b, &d) != 0) {
        lm_diag_print(&d, stderr);
        goto done;
    }
    cli_status("baseline path: run %lld of plan %s in %s (%d years)", b.run_id, b.plan_name,
               store, b.n_years);
    if (lm_carbon_plan_derive(ds, &b, &o, &cp, &d) != 0) {
        lm_diag_print(&d, stderr);
        goto done;
    }
    lm_diag_print(&d, stderr);
    lm_diag_clear(&d);
    print_plan(cp, &b);

    name = w.name ? lm_xstrdup(w.name) : default_name(ds->name, out);
    w.name = name;
    w.command_line = cmd;
    csv_path = csv ? lm_xstrdup(csv) : lm_carbon_plan_csv_path(out);
    if (lm_carbon_plan_write(cp, ds, &b, base, out, &w, &d) != 0 ||
        lm_carbon_plan_write_csv(cp, csv_path, &d) != 0) {
        lm_diag_print(&d, stderr);
        goto done;
    }
    /* the plan must load as any other plan */
    if (lm_plan_load(out, &check, &d) != 0) {
        lm_diag_print(&d, stderr);
        fprintf(stderr, "lmplan carbon-plan: the written plan %s does not load (a bug: please "
                        "report it)\n", out);
        goto done;
    }
    printf("\nwrote %s (plan %s: %d caps, %d of %d zones capped%s) and %s\n", out, check->name,
           check->n_caps, cp->n_capped, cp->n_zones, w.basin_cap ? ", basin cap" : "", csv_path);
    printf("next: lmplan run %s; then lmplan carbon-report --baseline-run %lld\n", out, b.run_id);
    rc = LM_EXIT_OK;
done:
    lm_plan_free(check);
    lm_carbon_plan_free(cp);
    lm_cp_baseline_free(&b);
    lm_diag_free(&d);
    free(csv_path);
    free(name);
    free(cmd);
    lm_dataset_free(ds);
    lm_plan_free(base);
    return rc;
}

static const char *met_word(int met)
{
    return met < 0 ? "-" : met ? "met" : "EXCEEDED";
}

/* Print a run's carbon report (per country, zone and year, then the basin) to stdout.
 * Returns 1 if a cap is exceeded or the run is not optimal, else 0. */
int cli_print_carbon_report(const lm_carbon_report *r)
{
    char a[32], b[32], c[32], e[32], bl[32];
    printf("Carbon report: run %lld, plan %s (%s), status %s\n", r->run_id, r->plan_name,
           r->plan_path, r->status);
    if (!isnan(r->objective_musd)) {
        printf("objective (discounted system cost) %.3f bn USD", r->objective_musd / 1e3);
        if (r->baseline_run_id && !isnan(r->baseline_objective_musd))
            printf("; baseline run %lld %.3f bn USD; cost of the caps %+.3f bn USD (%+.2f %%)",
                   r->baseline_run_id, r->baseline_objective_musd / 1e3,
                   (r->objective_musd - r->baseline_objective_musd) / 1e3,
                   100 * (r->objective_musd - r->baseline_objective_musd) /
                       r->baseline_objective_musd);
        printf("\n");
    }
    printf("NDC levels: %s\n\n", r->plan_csv ? r->plan_csv : "none (no carbon plan CSV)");
    printf("%-10s %-10s %6s %10s %10s %10s %10s %10s  %-8s  %-8s\n", "country", "zone", "year",
           "baseline", "emissions", "cap", "NDC level", "price", "cap", "NDC");
    printf("%-10s %-10s %6s %10s %10s %10s %10s %10s\n", "", "", "", "Mt CO2", "Mt CO2",
           "Mt CO2", "Mt CO2", "USD/t CO2");
    int n_cap = 0, n_cap_met = 0, n_ndc = 0, n_ndc_met = 0, worst = -1;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < r->n_rows; i++) {
            const lm_cr_row *row = &r->rows[i];
            int is_basin = !strcmp(row->zone, "basin");
            if (is_basin != pass) continue;
            if (pass == 1 && (i == 0 || strcmp(r->rows[i - 1].zone, "basin"))) printf("\n");
            printf("%-10s %-10s %6d %10s %10s %10s %10s %10s  %-8s  %-8s\n",
                   is_basin ? "(basin)" : row->country ? row->country : "-", row->zone, row->year,
                   num(row->baseline_mt, bl, sizeof bl, "%.2f"),
                   num(row->emissions_mt, a, sizeof a, "%.2f"),
                   num(row->cap_mt, b, sizeof b, "%.2f"), num(row->ndc_mt, c, sizeof c, "%.2f"),
                   num(row->price_usd_per_t, e, sizeof e, "%.2f"), met_word(row->cap_met),
                   met_word(row->ndc_met));
            if (row->cap_met >= 0) n_cap++, n_cap_met += row->cap_met;
            if (row->ndc_met >= 0) n_ndc++, n_ndc_met += row->ndc_met;
            if (!isnan(row->price_usd_per_t) &&
                (worst < 0 || row->price_usd_per_t > r->rows[worst].price_usd_per_t))
                worst = i;
        }
    printf("\ncaps met: %d of %d; NDC levels met: %d of %d", n_cap_met, n_cap, n_ndc_met, n_ndc);
    if (worst >= 0)
        printf("; highest carbon price %.2f USD/t (%s %d)", r->rows[worst].price_usd_per_t,
               r->rows[worst].zone, r->rows[worst].year);
    printf("\n");
    return strcmp(r->status, "optimal") || n_cap_met < n_cap;
}

static int carbon_report(int argc, char **argv)
{
    const char *store = DEFAULT_STORE, *csv = NULL;
    long long run_id = 0, base_id = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int bad = 0;
        if (!strcmp(a, "--store") && i + 1 < argc) store = argv[++i];
        else if (!strcmp(a, "--plan-csv") && i + 1 < argc) csv = argv[++i];
        else if (!strcmp(a, "--baseline-run") && i + 1 < argc) bad = parse_id(argv[++i], &base_id);
        else if (!strcmp(a, "--report") && i + 1 < argc) bad = parse_id(argv[++i], &run_id);
        else if (a[0] != '-' && !run_id) bad = parse_id(a, &run_id);
        else {
            fprintf(stderr, "lmplan carbon-report: unexpected argument \"%s\"\n\n", a);
            usage_report(stderr);
            return LM_EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, "lmplan carbon-report: \"%s\" is not a run id\n\n", argv[i]);
            usage_report(stderr);
            return LM_EXIT_USAGE;
        }
    }
    lm_diag d;
    lm_diag_init(&d);
    lm_carbon_report *r;
    if (lm_carbon_report_load(store, run_id, csv, base_id, &r, &d) != 0) {
        lm_diag_print(&d, stderr);
        lm_diag_free(&d);
        return LM_EXIT_INPUT;
    }
    lm_diag_print(&d, stderr);
    lm_diag_free(&d);

    int rc = cli_print_carbon_report(r) ? LM_EXIT_NOT_OPTIMAL : LM_EXIT_OK;
    lm_carbon_report_free(r);
    return rc;
}

int cmd_carbon_plan(int argc, char **argv)
{
    int report = argc > 0 && !strcmp(argv[0], "carbon-report");
    for (int i = 1; i < argc && !report; i++)
        if (!strcmp(argv[i], "--report")) report = 1;
    if (cli_wants_help(argc, argv)) {
        if (report) usage_report(stdout);
        else usage_plan(stdout);
        return LM_EXIT_OK;
    }
    return report ? carbon_report(argc, argv) : carbon_plan(argc, argv);
}
