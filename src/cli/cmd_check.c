/* cmd_check.c - `lmplan check DATASET|PLAN`: validate and summarise.
 *
 * A dataset (folder with dataset.yaml, or a manifest file) is loaded with every table
 * validated; a plan is parsed, its dataset loaded, and its model built (not solved) so that
 * errors that need both, such as a zone name in a plan, are found before a long run. */
#include "cli/cli.h"
#include "core/util.h"
#include "model/model.h"

#include <stdio.h>
#include <string.h>

static void print_dataset(const lm_dataset *ds)
{
    static const char *type_name[] = {"dispatchable", "nondispatchable", "storage", "hydro"};
    printf("dataset      %s (version %s)\n", ds->name, ds->version ? ds->version : "-");
    printf("hash         %s\n", ds->hash);
    printf("zones        %d:", ds->n_zones);
    for (int z = 0; z < ds->n_zones; z++) printf(" %s", ds->zones[z]);
    printf("\ntechnologies %d:", ds->n_techs);
    for (int k = 0; k < ds->n_techs; k++) printf(" %s(%s)", ds->techs[k], type_name[ds->tech_type[k]]);
    printf("\nyears        %d:", ds->n_years);
    for (int y = 0; y < ds->n_years; y++) printf(" %d", ds->years[y]);
    printf("\nsteps        %d a year (%d representative days x %d hours of %g h)\n", ds->n_steps,
           ds->n_months, ds->n_hours, ds->dt_h);
    printf("corridors    %d directed\n", ds->n_lines);
    int cand = 0;
    for (int s = 0; s < ds->n_stations; s++) cand += !ds->stations[s].is_existing;
    printf("stations     %d hydropower stations (%d candidates), %d routing edges\n", ds->n_stations,
           cand, ds->n_edges);
    int traps = 0;
    for (int r = 0; r < ds->n_reaches; r++) traps += ds->reach_trap_efficiency[r] == ds->reach_trap_efficiency[r];
    printf("sediment     %d river reaches, %d with a dam trap efficiency\n", ds->n_reaches, traps);
    /* annual demand per year, all zones */
    printf("demand       ");
    for (int y = 0; y < ds->n_years; y++) {
        double s = 0;
        for (int z = 0; z < ds->n_zones; z++)
            for (int t = 0; t < ds->n_steps; t++)
                s += ds->demand_mw[((size_t)z * ds->n_years + y) * ds->n_steps + t];
        s *= ds->dt_h * 8760.0 / (ds->n_steps * ds->dt_h) / 1e6;
        printf("%d %.1f TWh%s", ds->years[y], s, y + 1 < ds->n_years ? ", " : "\n");
    }
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc != 2) {
        FILE *out = argc == 2 ? stdout : stderr;
        fprintf(out,
                "Usage: lmplan check DATASET|PLAN\n"
                "\n"
                "Validate a dataset (a folder with dataset.yaml, or a manifest file) or a plan file and\n"
                "print a summary: zones, technologies, years, steps, corridors, stations, reaches.\n"
                "For a plan, its dataset is loaded and the model is built (not solved), and its size\n"
                "is printed.  Every error is reported as file:line:column: value: rule, and the exit\n"
                "status is 1 if there is any.\n");
        return argc == 2 ? LM_EXIT_OK : LM_EXIT_USAGE;
    }
    const char *path = argv[1];
    if (lm_path_is_dir(path) || cli_is_manifest(path)) {
        lm_diag d;
        lm_diag_init(&d);
        lm_dataset *ds = NULL;
        double t0 = lm_now();
        int rc = lm_dataset_load(path, &ds, &d);
        lm_diag_print(&d, stderr);
        if (rc != 0) {
            fprintf(stderr, "lmplan: dataset %s has %d error(s)\n", path, d.n_errors);
            lm_diag_free(&d);
            return LM_EXIT_INPUT;
        }
        print_dataset(ds);
        printf("loaded in    %.3f s\nOK\n", lm_now() - t0);
        lm_dataset_free(ds);
        lm_diag_free(&d);
        return LM_EXIT_OK;
    }
    lm_plan *plan;
    lm_dataset *ds;
    double load_s;
    if (cli_load_plan(path, &plan, &ds, &load_s) != 0) return LM_EXIT_INPUT;
    printf("plan         %s\n", plan->name);
    print_dataset(ds);
    lm_diag d;
    lm_diag_init(&d);
    lm_model *m = NULL;
    double t0 = lm_now();
    int rc = lm_model_build(ds, plan, &m, &d);
    lm_diag_print(&d, stderr);
    if (rc == 0) {
        printf("model        %d rows, %d columns, %ld non-zeros (built in %.3f s)\nOK\n",
               m->lp->nrows, m->lp->ncols, m->lp->nnz, lm_now() - t0);
    } else {
        fprintf(stderr, "lmplan: plan %s: the model could not be built (%d error(s))\n", path, d.n_errors);
    }
    lm_model_free(m);
    lm_diag_free(&d);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    return rc == 0 ? LM_EXIT_OK : LM_EXIT_INPUT;
}
