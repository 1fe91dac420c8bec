/* report.h - `lmplan report`: one self-contained HTML file describing a stored run.
 *
 * The page shows the run's header (plan, status, objective, dataset and its hash, timings),
 * capacity and generation mix by zone and year, emissions against caps and NDC targets,
 * cross-border flows, hydropower and sediment, a map of the basin with the dams coloured by
 * status, and the cost breakdown.  Every number comes from the result store or from the
 * dataset the run's plan names; where a table is absent the section says so.  Chart.js and
 * the Natural Earth outlines (vendor/) are compiled into the program and inlined, so the file
 * opens without a network.  What each section shows and where it comes from: docs/report.md. */
#ifndef LM_REPORT_H
#define LM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

typedef struct lm_report_options {
    /* Dataset (folder or manifest) to read dam positions, NDC targets and sources from;
     * NULL = the dataset named by the run's plan file (runs.plan_path, as stored). */
    const char *dataset;
} lm_report_options;

typedef struct lm_report_summary {
    int64_t run_id;   /* the run reported */
    char *path;       /* the file written (owned; lm_report_summary_free) */
    size_t bytes;     /* its size */
    int n_charts;     /* charts the page draws */
    int n_dams;       /* dams on the map */
    int n_notes;      /* notes in the page about missing or mismatched inputs */
} lm_report_summary;

/* Write the report of run `run_id` (0 = the latest run) of the result store at `store_path` to
 * `html_path` (NULL = results/report-<run id>.html; missing folders are created).  The file
 * is written under a temporary name and renamed into place.  Returns 0, or -1 with the reason
 * in `d` (no such store or run, unreadable store, file not writable).  Missing optional inputs
 * (plan file, dataset, NDC table, hydro or sediment results) are not errors: they are noted in
 * the page and as warnings in `d`.  `opt` and `sum` may be NULL. */
int lm_report_write(const char *store_path, int64_t run_id, const char *html_path,
                    const lm_report_options *opt, lm_report_summary *sum, lm_diag *d);

void lm_report_summary_free(lm_report_summary *sum);

#endif
