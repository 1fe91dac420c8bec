/* netcdf_export.h - one stored run as a NetCDF-4 file laid out like the files of Xu et al.
 * (2025), so that users of the original model can compare the two side by side.
 *
 * The variables named in spec section 7.1 (gen_v, trans_export_v, install_v, cost_v,
 * genflow_v, isbuilt_v, sediment_v, ...) keep the original's names, dimension order and units;
 * what lmplan stores beyond that is written with an `lmplan_` prefix.  Result tables a run did
 * not write (a run without the hydro cascade, without sediment) just leave their variables
 * out.  Layout and the full variable list: docs/results.md, section "NetCDF export". */
#ifndef LM_NETCDF_EXPORT_H
#define LM_NETCDF_EXPORT_H

#include <stdint.h>

#include "core/diag.h"

typedef struct lm_netcdf_summary {
    int64_t run_id;    /* the run exported (resolved when 0 was asked for) */
    char *path;        /* the file written */
    long long bytes;   /* its size */
    int n_vars;        /* data variables written (coordinates not counted) */
    char skipped[256]; /* groups of variables left out for lack of data, e.g. "hydro cascade" */
} lm_netcdf_summary;

/* Write run `run_id` (0 = the latest) of the result store `store_path` to `nc_path` (NULL:
 * results/run-<id>.nc, folders created as needed).  The file is written under a temporary
 * name and renamed into place; on error nothing is left behind.  Returns 0, or -1 with the
 * reason in `d` (no such store, no such run, a run without results, a NetCDF error).
 * `sum` may be NULL; otherwise free it with lm_netcdf_summary_free. */
int lm_netcdf_export(const char *store_path, int64_t run_id, const char *nc_path,
                     lm_netcdf_summary *sum, lm_diag *d);
void lm_netcdf_summary_free(lm_netcdf_summary *sum);

#endif
