/* dataset.h - a validated, immutable dataset in memory.
 *
 * A dataset is a folder of tidy CSV tables plus a manifest (`dataset.yaml`, or any manifest
 * file whose `root:` points at the folder of tables).  Loading reads the manifest, reads each
 * table against its schema (src/data/schema.c), reports every error with file:line:column,
 * and fills the dense arrays below.  Units are the ones named here; conversions happen once,
 * at load time.  The model layer reads only this struct, never the files.
 *
 * Index conventions (all 0-based):
 *   z zone, k technology, y year (dataset years, ascending), a age (0 = 1 year old),
 *   t step within a year = month_index * n_hours + hour_index, s station, e edge, l corridor,
 *   r river reach.
 * Table names and columns: docs/dataset-format.md. */
#ifndef LM_DATASET_H
#define LM_DATASET_H

#include "core/diag.h"

enum lm_tech_type {
    LM_TECH_DISPATCHABLE = 0,    /* output <= capacity, ramping, emissions */
    LM_TECH_NONDISPATCHABLE = 1, /* output <= capacity factor x capacity */
    LM_TECH_STORAGE = 2,         /* charge / discharge / state of charge */
    LM_TECH_HYDRO = 3            /* zonal output from the hydropower stations */
};

enum lm_operation_mode { LM_OP_SEASONAL = 0, LM_OP_DAILY = 1, LM_OP_RUN_OF_RIVER = 2 };

typedef struct lm_station {
    long id;                  /* station id (= river reach id for basin stations) */
    char *name;
    int zone;                 /* index into zones */
    double lon_deg, lat_deg;
    double capacity_mw;       /* installed capacity N */
    double max_output_mw, min_output_mw;
    double max_outflow_m3s, max_generation_flow_m3s, min_outflow_m3s;
    double head_m;
    double output_coefficient; /* kW per (m3/s * m) */
    int commissioning_year;
    int is_existing;          /* commissioning_year <= first dataset year */
    int operation_mode;       /* enum lm_operation_mode */
    int reach;                /* index into reaches, or -1 if not on the sediment network */
} lm_station;

/* Kind of reference a national target (NDC) is measured against (table ndc_targets). */
enum lm_ndc_baseline {
    LM_NDC_BAU = 0,        /* reduction_pct below a business-as-usual projection in target_year */
    LM_NDC_BASE_YEAR = 1,  /* reduction_pct below the emissions of base_year */
    LM_NDC_PEAK = 2,       /* emissions peak no later than target_year */
    LM_NDC_INTENSITY = 3,  /* reduction_pct of emissions per unit of GDP below base_year */
    LM_NDC_CUMULATIVE = 4  /* a tonnage summed over base_year..target_year (in sector_scope) */
};

/* One row of ndc_targets: a national target applied to one dataset zone. */
typedef struct lm_ndc_target {
    char *country;          /* the NDC's party, as written (China for the Yunnan zone) */
    int zone;               /* index of the zone the target applies to */
    int conditional;        /* 0 unconditional, 1 conditional on international support */
    int baseline;           /* enum lm_ndc_baseline */
    int base_year;          /* 0 = not given */
    int target_year;
    double reduction_pct;   /* percent, 0..100; NaN = not given (NA) */
    double base_year_mt;    /* power-sector CO2 in base_year, Mt/yr; NaN = not given */
    int neutrality_year;    /* carbon-neutrality / net-zero year; 0 = none */
    char *sector_scope;     /* coverage as stated by the NDC ("" if absent) */
    char *source_id;        /* "" if absent */
    long line;              /* line of the row in ndc_targets_file */
} lm_ndc_target;

typedef struct lm_dataset {
    char *name, *version, *description;
    char *manifest_path;  /* the manifest file read */
    char *root;           /* folder holding the tables */
    char hash[65];        /* SHA-256 (hex) over the manifest and every table file, in order */

    /* ---- sets ---- */
    int n_zones;  char **zones;          /* order of first appearance in existing capacity */
    int n_techs;  char **techs;          /* order of tech_type */
    int *tech_type;                      /* [k], enum lm_tech_type */
    int n_years;  int *years;            /* ascending, from discount_factor */
    int n_months; int *months;           /* representative days (1..12), ascending */
    int n_hours;                         /* hourly steps per representative day (24) */
    int n_steps;                         /* n_months * n_hours */
    double dt_h;                         /* hours per step (1) */

    /* ---- technology x year: [k * n_years + y] ---- */
    double *investment_cost_usd_per_mw;
    double *fixed_om_cost_usd_per_mw_yr;
    double *variable_om_cost_usd_per_mwh;
    double *fuel_cost_usd_per_mwh;
    double *emission_factor_t_co2_per_mwh;
    double *efficiency_fraction;
    double *lifetime_years;
    /* ---- technology: [k] ---- */
    double *ramp_up_fraction_per_h, *ramp_down_fraction_per_h;

    /* ---- year: [y] ---- */
    double *discount_rate;
    double *carbon_cap_t_co2;            /* +INFINITY = no cap; NULL if the table is absent */

    /* ---- zone x technology: [z * n_techs + k] ---- */
    int n_ages;                          /* ages 1..n_ages */
    double *existing_capacity_mw;        /* capacity by age: [(z * n_techs + k) * n_ages + a] */
    double *max_capacity_mw;             /* +INFINITY = unbounded */
    double *max_new_capacity_mw;         /* per build year; +INFINITY = unbounded */
    double *min_new_capacity_mw;
    double *initial_storage_fraction;    /* storage techs; 0 for others */
    double *energy_to_power_ratio_h;     /* storage techs; 0 for others */

    /* ---- time series ---- */
    double *demand_mw;                   /* [(z * n_years + y) * n_steps + t] */
    double *capacity_factor;             /* [(k * n_zones + z) * n_steps + t]; 1 where a
                                            nondispatchable tech has no row is an error */
    double *hydro_output_mw;             /* [(z * n_steps + t)] fixed hydro output, or NULL
                                            when the table is absent or empty */

    /* ---- transmission corridors (directed) ---- */
    int n_lines;
    int *line_from, *line_to;            /* zone indices */
    double *line_existing_mw;            /* per direction */
    double *line_efficiency;
    double *line_distance_km;
    double *line_max_new_mw;             /* cap on cumulative new capacity; +INFINITY */
    double *line_investment_usd_per_mw_km;
    double *line_fixed_om_usd_per_mw_yr;
    double *line_variable_usd_per_mwh;
    double *line_lifetime_years;

    /* ---- hydropower stations (optional: n_stations = 0 when absent) ---- */
    int n_stations;
    lm_station *stations;
    double *inflow_m3s;                  /* [s * n_steps + t] local natural inflow */
    double *storage_max_1e8m3;           /* [s * n_steps + t] */
    double *storage_min_1e8m3;           /* [s * n_steps + t] */
    int n_edges;
    int *edge_up, *edge_down;            /* station indices */
    double *edge_delay_h;

    /* ---- sediment network (optional: n_reaches = 0 when absent) ---- */
    int n_reaches;
    long *reach_id;
    int *reach_down;                     /* index of the downstream reach, -1 = outlet */
    double *reach_yield_mt_per_yr;
    double *reach_deposition_fraction;
    double *reach_area_km2;
    double *reach_trap_efficiency;       /* [r] dam trap efficiency, NaN where no dam */

    /* ---- national targets (optional table ndc_targets; n_ndc_targets = 0 when absent) ---- */
    int n_ndc_targets;
    lm_ndc_target *ndc_targets;          /* file order */
    char *ndc_targets_file;              /* the table's file, NULL when absent */

    /* ---- declared project data (optional table projects_declared, read by
     *      src/assess/declared.c; NULL when the manifest does not map it) ---- */
    char *projects_declared_file;
} lm_dataset;

/* Load and validate the dataset at `path` (a folder containing dataset.yaml, or a manifest
 * file).  On success returns 0 and *out owns everything; on failure returns -1, *out is NULL
 * and `d` holds every error found. */
int lm_dataset_load(const char *path, lm_dataset **out, lm_diag *d);
void lm_dataset_free(lm_dataset *ds);

/* Lookups; -1 if absent. */
int lm_dataset_zone(const lm_dataset *ds, const char *name);
int lm_dataset_tech(const lm_dataset *ds, const char *name);
int lm_dataset_year(const lm_dataset *ds, int year);
int lm_dataset_station(const lm_dataset *ds, long id);

/* Accessors for the flat arrays. */
static inline int lm_zk(const lm_dataset *ds, int z, int k) { return z * ds->n_techs + k; }
static inline int lm_ky(const lm_dataset *ds, int k, int y) { return k * ds->n_years + y; }

#endif
