/* manifest.h - the dataset manifest: which file holds each table, where the files are, where
 * the data come from.
 *
 * A manifest is a small YAML file (docs/dataset-format.md, "The manifest"):
 *
 *   name: mekong-xu2025
 *   version: "2025-08-30"
 *   description: ...
 *   root: ../../shared/data/mekong-xu2025   # folder of the tables, relative to this file
 *   root_env: LMPLAN_XU2025_DIR             # if set and non-empty, overrides root
 *   sources: [{id: xu2025, citation: "...", url: "..."}]
 *   tables:
 *     tech_type: {file: tech_type.csv, source: xu2025}
 *     transline_fix_cost:
 *       file: transline_fix_cost.csv
 *       columns: {fixed_om_cost_usd_per_mw_yr: fixed_om_cost_usd_per_mw_km_yr}
 *     init_storage_level: {file: init_storage_level.csv, ignore_techs: [HPS]}
 *
 * Reading checks the structure (known keys, known table names, required tables present,
 * column renames and units against the schema) and reports errors as
 * `manifest:line:column: key "k": rule`.  It does not open the table files; the dataset
 * loader does, and reports a missing file at the line of its `file:` key. */
#ifndef LM_MANIFEST_H
#define LM_MANIFEST_H

#include <stddef.h>

#include "core/diag.h"
#include "data/schema.h"

typedef struct lm_manifest_table {
    int present;               /* the manifest maps this table */
    char *file;                /* as written */
    char *path;                /* resolved against the root folder */
    long line, col;            /* 1-based position of the table's key */
    long file_line, file_col;  /* position of the file name */
    char *source;              /* source id, or NULL */
    char *rename[LM_SCHEMA_MAX_COLS]; /* [schema column] name in the file, NULL = same */
    int n_ignore_techs;
    char **ignore_techs;
    long *ignore_line, *ignore_col;
} lm_manifest_table;

typedef struct lm_manifest {
    char *path;                /* the manifest file */
    char *name, *version, *description;
    char *root;                /* folder of the tables, resolved */
    unsigned char *bytes;      /* the manifest file's bytes (for the dataset hash) */
    size_t n_bytes;
    long tables_line, tables_col;
    lm_manifest_table tables[LM_N_TABLES]; /* indexed by enum lm_table_id */
} lm_manifest;

/* Read and check the manifest file at `path`.  Returns 0, or -1 with every error recorded.
 * *m is always initialised; free it with lm_manifest_free. */
int lm_manifest_read(const char *path, lm_manifest *m, lm_diag *d);
void lm_manifest_free(lm_manifest *m);

#endif
