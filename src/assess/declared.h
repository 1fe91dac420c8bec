/* declared.h - declared project data: the facts about each project that no model computes.
 *
 * People resettled, EIA disclosure, transboundary prior consultation, local jobs, e-flow
 * compliance, reservoir area and depths, catchment land use, soil carbon, inflow phosphorus,
 * commissioning date, fish passage, ... come from project documents, not from the planning
 * model.  They are kept in one tidy table, `projects_declared` (docs/dataset-format.md and
 * docs/assessment.md): one fact per row, `project_id,attribute,value,source_id,note`, where
 * project_id is a station_id of the dataset's hydro_static table.  Every value may be written
 * `unknown`, and a fact without a row is unknown too; unknown is stored as NaN and is never
 * scored as good by the assessment.
 *
 * The table is validated like every other table: every bad value, unknown project or attribute,
 * duplicated fact and broken cross-rule (max depth below mean depth, a future commissioning
 * date for a dam stated as existing, ...) is reported as `file:line:column: value "v": rule`,
 * and the load fails if any error was found.  The attributes and their rules are data
 * (declared.c, LM_DECLARED_ATTRS). */
#ifndef LM_DECLARED_H
#define LM_DECLARED_H

#include "core/diag.h"
#include "data/dataset.h"

/* Attribute ids, in the order of the attribute table in declared.c. */
enum lm_declared_attr {
    LM_DA_STATUS,                 /* existing | under_construction | planned | cancelled */
    LM_DA_COMMISSIONING_DATE,     /* YYYY, YYYY-MM or YYYY-MM-DD; value = decimal year */
    LM_DA_PEOPLE_RESETTLED,       /* persons */
    LM_DA_EIA_DISCLOSED,          /* yes/no */
    LM_DA_SEA_COVERED,            /* yes/no: covered by a strategic environmental assessment */
    LM_DA_TRANSBOUNDARY_CONSULTATION_DONE, /* yes/no: e.g. MRC PNPCA prior consultation */
    LM_DA_LOCAL_JOBS,             /* jobs */
    LM_DA_EFLOW_COMPLIANCE_PCT,   /* % of days meeting the environmental flow */
    LM_DA_RESERVOIR_AREA_KM2,
    LM_DA_RESERVOIR_VOLUME_HM3,   /* total storage, 1e6 m3 */
    LM_DA_MEAN_DEPTH_M,
    LM_DA_MAX_DEPTH_M,
    LM_DA_DAM_HEIGHT_M,
    LM_DA_RIVER_AREA_BEFORE_KM2,  /* river surface inside the reservoir before impoundment */
    LM_DA_CATCHMENT_AREA_KM2,
    LM_DA_CATCHMENT_FOREST_PCT,
    LM_DA_CATCHMENT_CROPLAND_PCT,
    LM_DA_CATCHMENT_GRASSLAND_PCT,
    LM_DA_CATCHMENT_URBAN_PCT,
    LM_DA_CATCHMENT_WETLAND_PCT,
    LM_DA_CATCHMENT_BARE_PCT,
    LM_DA_SOIL_CARBON_KG_M2,      /* soil organic carbon under the impounded area, kg C/m2 */
    LM_DA_INFLOW_TP_UG_L,         /* total phosphorus of the inflow */
    LM_DA_AIR_TEMP_MEAN_C,
    LM_DA_AIR_TEMP_MONTHLY_C,     /* 12 values separated by ';' (value = their mean) */
    LM_DA_GHI_KWH_M2_D,
    LM_DA_INTAKE_DEPTH_M,
    LM_DA_MEAN_DISCHARGE_M3S,
    LM_DA_ANNUAL_GENERATION_GWH,
    LM_DA_CLIMATE_ZONE_IPCC,      /* IPCC 2019 Refinement climate zone (ghg.h) */
    LM_DA_PREIMPOUNDMENT_G_M2_YR, /* landscape GHG balance before flooding, g CO2e/m2/yr */
    LM_DA_FISH_PASSAGE,           /* yes/no: a fish passage facility exists */
    LM_DA_FISH_PASSABILITY_UP,    /* fraction of fish passing the barrier upstream */
    LM_DA_FISH_PASSABILITY_DOWN,  /* ... downstream */
    LM_DA_N
};

enum lm_declared_status {
    LM_STATUS_EXISTING = 0,
    LM_STATUS_UNDER_CONSTRUCTION = 1,
    LM_STATUS_PLANNED = 2,
    LM_STATUS_CANCELLED = 3
};

typedef struct lm_declared_project {
    double value[LM_DA_N];        /* NaN = unknown; yes/no as 1/0; enumerations as codes */
    long line[LM_DA_N];           /* line of the fact's row, 0 = no row */
    char *source[LM_DA_N];        /* source_id of the row ("" if none), NULL = no row; owned */
    double temp_monthly_c[12];    /* when LM_DA_AIR_TEMP_MONTHLY_C is known */
    int date_month, date_day;     /* of the commissioning date; 0 = not given */
} lm_declared_project;

typedef struct lm_declared {
    char *file;                   /* the table's file */
    int n_projects;               /* = ds->n_stations; index = station index */
    lm_declared_project *project;
    int n_facts;                  /* rows holding a known value */
    int n_unknown;                /* rows saying unknown */
} lm_declared;

typedef struct lm_declared_options {
    /* Date the rule "no future commissioning date for an existing dam" is checked against, as
     * yyyymmdd (e.g. 20250601).  0 = today (UTC). */
    long as_of_yyyymmdd;
} lm_declared_options;

/* Read and validate the declared table at `path` against dataset `ds`.  On success returns 0
 * and *out owns the data; on failure returns -1, *out is NULL and every error is in `d`.
 * `opt` may be NULL (defaults). */
int lm_declared_read(const lm_dataset *ds, const char *path, const lm_declared_options *opt,
                     lm_declared **out, lm_diag *d);

/* The dataset's own projects_declared table (its manifest entry), or, when the dataset has
 * none, an empty declared set (everything unknown). */
int lm_declared_load(const lm_dataset *ds, const lm_declared_options *opt, lm_declared **out,
                     lm_diag *d);

/* Everything unknown, for n stations. */
lm_declared *lm_declared_empty(const lm_dataset *ds);

void lm_declared_free(lm_declared *dc);

/* Value of attribute `a` for station s; NaN if unknown (also when dc is NULL). */
double lm_declared_get(const lm_declared *dc, int s, int a);
/* 1 if known. */
int lm_declared_known(const lm_declared *dc, int s, int a);

/* Name of attribute a ("reservoir_area_km2"), its unit, and the id of a name (-1). */
const char *lm_declared_attr_name(int a);
const char *lm_declared_attr_unit(int a);
int lm_declared_attr_find(const char *name);

#endif
