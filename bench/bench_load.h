/* bench_load.h - what every benchmark starts with: load a plan, its dataset and build the
 * model, printing the diagnostics on failure. */
#ifndef LM_BENCH_LOAD_H
#define LM_BENCH_LOAD_H

#include "data/dataset.h"
#include "data/plan.h"
#include "model/model.h"

#include <stdio.h>

/* Returns 0 with *plan, *ds and *m set (and the plan's path and the model's size printed),
 * or 1 after printing why not. */
static inline int bench_load(const char *plan_path, lm_plan **plan, lm_dataset **ds, lm_model **m,
                             lm_diag *d)
{
    *plan = NULL;
    *ds = NULL;
    *m = NULL;
    if (lm_plan_load(plan_path, plan, d) || lm_dataset_load((*plan)->dataset, ds, d) ||
        lm_model_build(*ds, *plan, m, d)) {
        lm_diag_print(d, stderr);
        return 1;
    }
    printf("plan            %s\n", plan_path);
    printf("model           %d rows, %d columns, %ld non-zeros\n", (*m)->lp->nrows,
           (*m)->lp->ncols, (*m)->lp->nnz);
    return 0;
}

#endif
