/* main.c - entry point of the lmplan command: dispatches to the subcommands. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "lmplan %s - planning climate-resilient, low-carbon infrastructure in the Lancang-Mekong basin\n"
            "\n"
            "Usage: lmplan COMMAND [OPTIONS]\n"
            "\n"
            "Commands:\n"
            "  check DATASET|PLAN     validate a dataset (folder or manifest) or a plan and summarise it\n"
            "  run PLAN               build and solve the plan's model, store and export the results\n"
            "  export-mps PLAN        write the plan's model as an MPS file for any external solver\n"
            "  export-netcdf [RUN_ID] write a stored run as NetCDF with the variables of Xu et al. (2025)\n"
            "  carbon-plan -o PLAN    derive CO2 caps per zone and year from the national targets (NDCs)\n"
            "                         and a baseline run, and write them into a plan\n"
            "  carbon-report [RUN]    a run's emissions per country and year against its caps and NDC\n"
            "                         levels, with the carbon price\n"
            "  report [RUN_ID]        write a self-contained HTML report (charts, map) of a stored run\n"
            "  sediment PLAN          sediment delivered through the river network for a dam portfolio\n"
            "  assess [RUN_ID]        appraise a run: green-finance screening, financing mix, GHG, sediment,\n"
            "                         fish connectivity and the UNEP ten-principle scorecard\n"
            "  resource solar ...     hourly solar capacity factors from sites and sunshine climatology\n"
            "\n"
            "Run 'lmplan COMMAND --help' for the options of a command.\n"
            "Documentation: docs/ (dataset-format.md, plan-format.md, model.md, results.md).\n",
            LMPLAN_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return LM_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return LM_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("lmplan %s\n", LMPLAN_VERSION);
        return LM_EXIT_OK;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "export-mps")) return cmd_export_mps(argc - 1, argv + 1);
    if (!strcmp(cmd, "export-netcdf")) return cmd_export_netcdf(argc - 1, argv + 1);
    if (!strcmp(cmd, "carbon-plan") || !strcmp(cmd, "carbon-report"))
        return cmd_carbon_plan(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "sediment")) return cmd_sediment(argc - 1, argv + 1);
    if (!strcmp(cmd, "assess")) return cmd_assess(argc - 1, argv + 1);
    if (!strcmp(cmd, "resource")) return cmd_resource(argc - 1, argv + 1);
    fprintf(stderr, "lmplan: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return LM_EXIT_USAGE;
}
