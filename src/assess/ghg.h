/* ghg.h - lifecycle emission factors per technology and reservoir greenhouse-gas emissions.
 *
 * Three things live here (docs/assessment.md, "Greenhouse gases"):
 *   1. lifecycle intensity per technology: the medians of IPCC AR5 WGIII Annex III, Table
 *      A.III.2 (Schlomer et al. 2014), as a table in code with its source and year;
 *   2. reservoir emissions from the G-res regressions (CO2 diffusion, CH4 diffusion, CH4
 *      ebullition, CH4 degassing; littoral fraction; 100-year integration) - the coefficient
 *      set of G-res Technical Documentation v3.0 / Prairie et al. (2021), Environmental
 *      Modelling & Software 143:105117 (see ghg.c for what could and could not be checked);
 *   3. the IPCC 2019 Refinement Tier 1 alternative: default emission factors per area and
 *      climate zone (Vol. 4 Ch. 7), CH4 for every year, CO2 for the first 20 years.
 * Everything is pure: inputs in, numbers out; nothing is printed or stored.  Per dam the
 * assessment combines these with declared project data (declared.h) and the dataset. */
#ifndef LM_GHG_H
#define LM_GHG_H

#include <stdint.h>

#include "assess/declared.h"
#include "assess/fish.h"
#include "core/diag.h"
#include "data/dataset.h"
#include "store/results.h"
#include "store/store.h"

/* ---- 1. lifecycle factors ---- */

typedef struct lm_lifecycle_factor {
    const char *key;           /* "coal_pc", "gas_cc", ... */
    const char *label;         /* as in the source table */
    double median_g_per_kwh;   /* g CO2e per kWh of electricity, lifecycle, median */
    const char *aliases;       /* comma-separated dataset technology names that map here */
    const char *source;        /* short citation */
    int source_year;           /* year of the source's publication */
} lm_lifecycle_factor;

int lm_lifecycle_count(void);
const lm_lifecycle_factor *lm_lifecycle_at(int i);
/* The factor for a dataset technology name (case-insensitive key or alias), or NULL when the
 * source has none (oil: not in AR5 Annex III; storage: not a generation technology). */
const lm_lifecycle_factor *lm_lifecycle_lookup(const char *tech);

/* ---- 2. G-res ---- */

/* One reservoir's inputs.  NaN marks an input that is not known; lm_gres_evaluate says which
 * required input is missing. */
typedef struct lm_gres_input {
    double area_km2;            /* reservoir surface area at full supply level, A */
    double mean_depth_m;        /* z_mean > 0 */
    double max_depth_m;         /* z_max >= z_mean */
    double discharge_m3_yr;     /* mean annual through-flow Q (residence time V/Q, degassing) */
    double temp_monthly_c[12];  /* mean monthly air temperature */
    double soil_carbon_kg_m2;   /* soil organic carbon under the impounded area, kg C/m2 */
    double tp_reservoir_ug_l;   /* reservoir total phosphorus; NaN = from tp_inflow_ug_l */
    double tp_inflow_ug_l;      /* inflow total phosphorus (used when tp_reservoir is NaN) */
    double ghi_kwh_m2_d;        /* mean daily global horizontal irradiance */
    double river_area_km2;      /* river area before impoundment (0 = none known) */
    double intake_depth_m;      /* water intake depth; NaN = unknown: deep intake assumed */
    double preimpoundment_g_m2_yr; /* landscape GHG balance before flooding, g CO2e/m2/yr
                                      (subtracted; 0 = not known, nothing subtracted) */
    double gwp_ch4;             /* GWP100 of CH4 for reporting (G-res: 34) */
} lm_gres_input;

/* An input with every field NaN except river_area 0, preimpoundment 0, gwp 34. */
void lm_gres_input_init(lm_gres_input *in);

typedef struct lm_gres_result {
    /* intermediate quantities, for traceability */
    double q_shape;             /* z_max / z_mean - 1 */
    double littoral_fraction;   /* share of the area shallower than 3 m */
    double eff_temp_co2_c, eff_temp_ch4_c;
    double residence_time_yr;
    double tp_reservoir_ug_l;
    double cum_ghr;             /* ice-free-period irradiance term, kWh/m2/d x months */
    double thermocline_m;
    int degassing;              /* 1 = intake below the thermocline (or unknown): degassing */
    /* areal fluxes, g CO2e m-2 yr-1, 100-year means */
    double co2_gross;           /* CO2 diffusion integrated over 100 years */
    double co2_baseline;        /* flux at year 100: the part that is not caused by the dam */
    double co2_net;             /* gross - baseline */
    double ch4_diffusion, ch4_ebullition, ch4_degassing;
    double preimpoundment;      /* as given (subtracted) */
    double net;                 /* co2_net + CH4 pathways - preimpoundment */
    double net_t_co2e_yr;       /* net x area */
} lm_gres_result;

/* Evaluate the G-res regressions for one reservoir.  Returns 0, or -1 when a required input is
 * missing or out of range; then `why` (if not NULL) says which one. */
int lm_gres_evaluate(const lm_gres_input *in, lm_gres_result *out, char *why, size_t why_size);

/* ---- 3. IPCC 2019 Refinement, Tier 1 ---- */

enum lm_ipcc_climate {
    LM_IPCC_BOREAL = 0,
    LM_IPCC_COOL_TEMPERATE = 1,
    LM_IPCC_WARM_TEMPERATE_DRY = 2,
    LM_IPCC_WARM_TEMPERATE_MOIST = 3,
    LM_IPCC_TROPICAL_DRY_MONTANE = 4,
    LM_IPCC_TROPICAL_MOIST_WET = 5,
    LM_IPCC_N_CLIMATES = 6
};

const char *lm_ipcc_climate_name(int zone);      /* "tropical_moist_wet", ... */
int lm_ipcc_climate_find(const char *name);      /* -1 if unknown */
double lm_ipcc_ef_ch4_kg_ha_yr(int zone);        /* Table 7.9 (reservoirs > 20 years) */
double lm_ipcc_ef_co2_t_c_ha_yr(int zone);       /* CO2 of land converted to flooded land */

typedef struct lm_tier1_result {
    double ch4_t_yr;            /* t CH4 per year */
    double co2_t_yr;            /* t CO2 per year (0 after 20 years) */
    double net_t_co2e_yr;       /* ch4 x gwp + co2 */
    double net_g_m2_yr;         /* per m2 of reservoir */
} lm_tier1_result;

/* Tier 1 emissions of a reservoir of `area_km2` in `zone`.  age_yr >= 0: the emissions in that
 * year after flooding (CO2 only while age <= 20); age_yr NaN: the mean over a 100-year life
 * (CO2 x 20/100), comparable with the G-res lifetime figures. */
int lm_ipcc_tier1(int zone, double area_km2, double age_yr, double gwp_ch4,
                  lm_tier1_result *out);

/* ---- per dam: inputs from declared data, the dataset and documented defaults ---- */

enum lm_ghg_method { LM_GHG_GRES = 0, LM_GHG_IPCC_TIER1 = 1 };

/* Values used where neither the declared data nor the dataset give an input.  Each use is
 * recorded in the dam's result (inputs_defaulted), never silently. */
typedef struct lm_ghg_defaults {
    double temp_mean_c;         /* flat monthly air temperature */
    double ghi_kwh_m2_d;
    double soil_carbon_kg_m2;
    double tp_inflow_ug_l;
    int climate_zone;           /* enum lm_ipcc_climate, for Tier 1 */
    double gwp_ch4;
} lm_ghg_defaults;

/* The documented lower-Mekong defaults (docs/assessment.md lists each value and its basis). */
lm_ghg_defaults lm_ghg_defaults_mekong(void);

enum {
    LM_GHG_DEF_TEMP = 1, LM_GHG_DEF_GHI = 2, LM_GHG_DEF_SOILC = 4, LM_GHG_DEF_TP = 8,
    LM_GHG_DEF_CLIMATE = 16, LM_GHG_MAXDEPTH_PROXY = 32, LM_GHG_DISCHARGE_DATASET = 64,
    LM_GHG_MEANDEPTH_FROM_VOLUME = 128
};

typedef struct lm_dam_ghg {
    int station;                /* index into ds->stations */
    int method;                 /* enum lm_ghg_method */
    int ok;                     /* 1 = computed; 0 = a required input is unknown */
    char why[160];              /* when !ok: which input; else "" */
    unsigned flags;             /* LM_GHG_DEF_* / proxies used */
    double area_km2;
    double co2_g_m2_yr, ch4_g_m2_yr, net_g_m2_yr; /* 100-year means, g CO2e/m2/yr */
    double t_co2e_yr;           /* net x area */
    double generation_mwh_yr;   /* NaN = unknown */
    double g_per_kwh;           /* NaN = unknown */
    lm_gres_result gres;        /* filled for LM_GHG_GRES */
} lm_dam_ghg;

/* Mean natural flow at every station (m3/s): its local inflow plus all natural inflow upstream
 * along hydro_connect, averaged over the dataset's steps.  out[s], s < ds->n_stations. */
void lm_ghg_natural_flow_m3s(const lm_dataset *ds, double *out);
/* Annual generation of every station from natural flow at fixed head, capped at its maximum
 * output (MWh/yr): sum_t min(Pmax, coef x head x Q_t / 1000) x dt / w. */
void lm_ghg_natural_generation_mwh(const lm_dataset *ds, double *out);

/* The text of `flags`, e.g. "temp,ghi,soil_carbon,tp" ("declared" when 0). */
void lm_ghg_flags_text(unsigned flags, char *buf, size_t n);

/* Reservoir emissions of station s by `method`, from the declared data `dc` (may be NULL: all
 * unknown), the dataset and `def`.  generation_mwh_yr: the generation to divide by (NaN =
 * unknown: the declared annual_generation_gwh is used if known).  Never fails: a dam whose
 * area or depths are unknown comes back with ok = 0 and the reason. */
void lm_ghg_dam(const lm_dataset *ds, const lm_declared *dc, int s, int method,
                const lm_ghg_defaults *def, double generation_mwh_yr, lm_dam_ghg *out);

/* ---- a portfolio or a stored run: reservoir GHG, lifecycle and fish connectivity ----
 * (The run-level entry point lives here for now; it joins ghg.c and fish.c.) */

typedef struct lm_assess_options {
    int ghg_method;             /* enum lm_ghg_method */
    lm_ghg_defaults defaults;
    lm_fish_options fish;
} lm_assess_options;

/* G-res, the Mekong defaults, Hack-law reach weights. */
void lm_assess_options_default(lm_assess_options *o);

/* Assess a dam portfolio and write result tables into `res` (docs/assessment.md, "Result
 * tables"): reservoir_ghg, fish_dci, fish_dams and the scalars dcip_*, dcid_*, reservoir_*.
 * in_place[s] in [0, 1] (NULL = status quo); generation_mwh[s] per station (NULL or NaN entries:
 * declared annual_generation_gwh, else the natural-flow estimate).  Returns 0, or -1 with an
 * error and nothing written to `res`. */
int lm_assess_portfolio(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                        const double *generation_mwh, const lm_assess_options *opt,
                        lm_results *res, lm_diag *d);

/* Lifecycle emissions of generation by technology: table `lifecycle` (zone, tech, year:
 * generation_twh, factor_g_per_kwh, emissions_mt_co2e; key `factor` names the AR5 entry or
 * "none") from a `generation_annual` table (zone, tech, year: generation_twh).  Returns 0. */
int lm_assess_lifecycle(const lm_result_table *generation_annual, lm_results *res);

/* The dam state a run left, from its `dams` table (station_id: built, energy_twh_last_year,
 * first_year): for every station the run names, in_place[s] = built share, gen_mwh[s] = annual
 * generation per unit built (MWh/yr; left as is when not built or not reported) and, when
 * first_year is not NULL, first_year[s].  Stations the run does not name keep the caller's
 * values.  `what` names the run in errors.  Returns 0, 1 when the run has no dams table (it did
 * not model the stations), or -1 with an error (no column built, a station the dataset does
 * not have). */
int lm_run_dam_state(const lm_results *run, const lm_dataset *ds, const char *what,
                     double *in_place, double *gen_mwh, double *first_year, lm_diag *d);

/* Read run `run_id` from the store (its `dams` table: station_id, state, built, capacity_mw,
 * first_year, energy_twh_last_year; and `generation_annual` if present) and assess it into
 * `res`.  The store is only read.  Returns 0, or -1 with an error (no such run, no dams table,
 * a station the dataset does not have) and nothing written to `res`. */
int lm_assess_run(lm_store *store, int64_t run_id, const lm_dataset *ds, const lm_declared *dc,
                  const lm_assess_options *opt, lm_results *res, lm_diag *d);

#endif
