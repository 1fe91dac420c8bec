/* cmd_report.c - `lmplan report [RUN_ID] [--store FILE] [-o FILE.html] [--dataset DIR]`:
 * write the self-contained HTML report of a stored run (src/report/report.h). */
#include "cli/cli.h"
#include "core/util.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f,
            "Usage: lmplan report [RUN_ID] [--store FILE] [-o FILE.html] [--dataset DIR]\n"
            "\n"
            "Write one self-contained HTML file about a run in the result store: the plan, run\n"
            "status, objective, dataset and its hash, timings and program version; capacity and\n"
            "generation mix by zone and year; emissions against the carbon caps (with shadow\n"
            "prices) and the dataset's NDC targets; cross-border flows per corridor; hydropower\n"
            "and sediment; a map of the basin with the dams coloured by status; the cost\n"
            "breakdown; and the dataset's sources. Open it in any browser; it needs no network\n"
            "(Chart.js and the Natural Earth outlines are inside the file).\n"
            "\n"
            "  RUN_ID          the run to report (default: the latest run in the store)\n"
            "  --store FILE    result store (default: results/lmplan.sqlite)\n"
            "  -o, --output FILE.html\n"
            "                  where to write (default: results/report-<RUN_ID>.html)\n"
            "  --dataset DIR   dataset folder or manifest to read the dam positions, NDC targets\n"
            "                  and sources from (default: the dataset named by the run's plan\n"
            "                  file, found at the plan path stored with the run)\n"
            "  -h, --help      this help\n"
            "\n"
            "Missing inputs are shown as missing: if the plan file or dataset cannot be found,\n"
            "or has changed since the run (hashes differ), the page says so at the top; sections\n"
            "whose result tables the run did not write say \"no data for this run\".\n"
            "Exit status: 0 written, 1 no such store or run / cannot write, 64 usage error.\n"
            "Where each number comes from: docs/report.md.\n");
}

int cmd_report(int argc, char **argv)
{
    const char *store = "results/lmplan.sqlite", *out = NULL, *run_arg = NULL;
    lm_report_options opt = {0};
    if (cli_wants_help(argc, argv)) {
        help(stdout);
        return LM_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (!strcmp(a, "--store") && has_next) store = argv[++i];
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_next) out = argv[++i];
        else if (!strcmp(a, "--dataset") && has_next) opt.dataset = argv[++i];
        else if (a[0] != '-' && !run_arg) run_arg = a;
        else {
            fprintf(stderr, "lmplan report: unexpected argument \"%s\"%s\n\n", a,
                    a[0] == '-' && !has_next ? " (missing its value?)" : "");
            help(stderr);
            return LM_EXIT_USAGE;
        }
    }
    long run_id = 0;
    if (cli_parse_run_id("report", run_arg, &run_id) != 0) return LM_EXIT_USAGE;
    lm_diag d;
    lm_diag_init(&d);
    lm_report_summary sum;
    int rc = lm_report_write(store, run_id, out, &opt, &sum, &d);
    lm_diag_print(&d, stderr);
    if (rc == 0)
        cli_status("wrote %s (run %lld, %.0f kB, %d charts, %d dams on the map%s)", sum.path,
                   (long long)sum.run_id, sum.bytes / 1024.0, sum.n_charts, sum.n_dams,
                   sum.n_notes ? "; see the notes at the top of the page" : "");
    lm_report_summary_free(&sum);
    lm_diag_free(&d);
    return rc == 0 ? LM_EXIT_OK : LM_EXIT_INPUT;
}
