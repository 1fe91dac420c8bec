/* cmd_export_netcdf.c - `lmplan export-netcdf [RUN_ID] [--store FILE] [-o FILE.nc]`: write a
 * stored run as a NetCDF-4 file with the variables of Xu et al. (2025) (src/store/
 * netcdf_export.h), for side-by-side comparison with the original model's outputs. */
#include "cli/cli.h"
#include "core/util.h"
#include "store/netcdf_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f,
            "Usage: lmplan export-netcdf [RUN_ID] [--store FILE] [-o FILE.nc]\n"
            "\n"
            "Write a run of the result store as one NetCDF-4 file laid out like the files of\n"
            "Xu et al. (2025): gen_v, trans_export_v, trans_import_v, install_v, new_install_v,\n"
            "cap_newline_v, cap_lines_existing_v, carbon_v, charge_v, cost_v and its components,\n"
            "genflow_v, spillflow_v, isbuilt_v, sediment_v, sediment_bound_v, with the original's\n"
            "dimension order and units (TWh per step, MW, t, USD, m3/s, Mt/yr), plus lmplan's\n"
            "extras prefixed lmplan_ (station storage, output and inflow, sediment per reach,\n"
            "emissions per zone, carbon prices, demand and prices). NaN = no value. Variables\n"
            "whose results the run did not write (no hydro cascade, no sediment) are left out.\n"
            "\n"
            "  RUN_ID          the run to export (default: the latest run in the store)\n"
            "  --store FILE    result store (default: results/lmplan.sqlite)\n"
            "  -o, --output FILE.nc\n"
            "                  where to write (default: results/run-<RUN_ID>.nc)\n"
            "  -h, --help      this help\n"
            "\n"
            "Read it with ncdump -h FILE.nc, xarray.open_dataset or any NetCDF tool.\n"
            "Exit status: 0 written, 1 no such store or run / cannot write, 64 usage error.\n"
            "Variables, dimensions and units: docs/results.md, section \"NetCDF export\".\n");
}

int cmd_export_netcdf(int argc, char **argv)
{
    const char *store = "results/lmplan.sqlite", *out = NULL, *run_arg = NULL;
    if (cli_wants_help(argc, argv)) {
        help(stdout);
        return LM_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (!strcmp(a, "--store") && has_next) store = argv[++i];
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_next) out = argv[++i];
        else if (a[0] != '-' && !run_arg) run_arg = a;
        else {
            fprintf(stderr, "lmplan export-netcdf: unexpected argument \"%s\"%s\n\n", a,
                    a[0] == '-' && !has_next ? " (missing its value?)" : "");
            help(stderr);
            return LM_EXIT_USAGE;
        }
    }
    long run_id = 0;
    if (cli_parse_run_id("export-netcdf", run_arg, &run_id) != 0) return LM_EXIT_USAGE;
    lm_diag d;
    lm_diag_init(&d);
    lm_netcdf_summary sum;
    double t0 = lm_now();
    int rc = lm_netcdf_export(store, run_id, out, &sum, &d);
    lm_diag_print(&d, stderr);
    if (rc == 0) {
        cli_status("wrote %s (run %lld, %d variables, %.1f MB) in %.2f s", sum.path,
                   (long long)sum.run_id, sum.n_vars, sum.bytes / 1e6, lm_now() - t0);
        if (sum.skipped[0])
            cli_status("not in this run, so left out: the variables of table(s) %s",
                       sum.skipped);
    }
    lm_netcdf_summary_free(&sum);
    lm_diag_free(&d);
    return rc == 0 ? LM_EXIT_OK : LM_EXIT_INPUT;
}
