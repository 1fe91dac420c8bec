/* cmd_export_mps.c - `lmplan export-mps PLAN [-o FILE]`: write the plan's model as free MPS
 * with lmplan's row and column names, so that any external solver can be used. */
#include "cli/cli.h"
#include "core/util.h"
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_export_mps(int argc, char **argv)
{
    const char *plan_path = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (argv[i][0] != '-' && !plan_path) plan_path = argv[i];
        else if (strcmp(argv[i], "-h") && strcmp(argv[i], "--help")) {
            fprintf(stderr, "lmplan export-mps: unexpected argument \"%s\"\n", argv[i]);
            return LM_EXIT_USAGE;
        }
    }
    if (cli_wants_help(argc, argv) || !plan_path) {
        FILE *f = plan_path || cli_wants_help(argc, argv) ? stdout : stderr;
        fprintf(f,
                "Usage: lmplan export-mps PLAN [-o FILE]\n"
                "\n"
                "Build the plan's model and write it in free MPS format (default FILE: <plan name>.mps).\n"
                "Rows and columns carry lmplan's names, e.g. power.balance[Laos,2030,m3,h14], so an\n"
                "external solver's output can be traced back to the equations of docs/model.md.\n"
                "The objective is in million USD.\n");
        return cli_wants_help(argc, argv) ? LM_EXIT_OK : LM_EXIT_USAGE;
    }
    lm_plan *plan;
    lm_dataset *ds;
    if (cli_load_plan(plan_path, &plan, &ds, NULL) != 0) return LM_EXIT_INPUT;
    lm_diag d;
    lm_diag_init(&d);
    lm_model *m = NULL;
    int rc = LM_EXIT_OK;
    char *file = out ? lm_xstrdup(out) : lm_xasprintf("%s.mps", plan->name);
    double t0 = lm_now();
    if (lm_model_build(ds, plan, &m, &d) != 0) {
        rc = LM_EXIT_INPUT;
    } else {
        cli_status("model built: %d rows, %d columns, %ld non-zeros in %.2f s", m->lp->nrows,
                   m->lp->ncols, m->lp->nnz, lm_now() - t0);
        t0 = lm_now();
        if (lm_lp_write_mps(m->lp, file, &d) != 0) rc = LM_EXIT_INPUT;
        else cli_status("wrote %s in %.2f s", file, lm_now() - t0);
    }
    lm_diag_print(&d, stderr);
    free(file);
    lm_model_free(m);
    lm_diag_free(&d);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    return rc;
}
