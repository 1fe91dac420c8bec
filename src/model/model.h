/* model.h - the planning model: a dataset and a plan turned into one sparse LP, and the
 * solution turned back into result tables.
 *
 * Components (power, storage, grid, carbon, hydro, ...) each own their variables, their
 * named constraint families and their result extraction; they share only the context below:
 * the selected years and representative days, discount factors, the cost scope, and the rows
 * and columns that several components touch (the demand balance rows, generation and
 * capacity columns).  Equations are numbered as in docs/model.md, which follows
 * ../shared/spec/mekong-model.md (C1..C42). */
#ifndef LM_MODEL_H
#define LM_MODEL_H

#include "core/diag.h"
#include "data/dataset.h"
#include "data/plan.h"
#include "solver/lp.h"
#include "solver/solve.h"
#include "store/results.h"

typedef struct lm_model {
    const lm_dataset *ds;
    const lm_plan *plan;
    lm_lp *lp;
    int faithful;             /* plan mode == faithful */

    /* ---- time ---- */
    int n_years;  int *year_ds;   /* selected years -> dataset year index */
    int n_months; int *month_ds;  /* selected representative days -> dataset month index */
    int n_hours;                  /* steps per day */
    int n_steps;                  /* n_months * n_hours (model steps per year) */
    double dt_h;
    double weight;                /* n_steps * dt / 8760: annual = sum over steps / weight */
    double *f_var;                /* [y] discount factor of annual running costs (spec 5) */
    double *period_years;         /* [y] years represented by modelled year y */
    int base_year;                /* first dataset year: base of discounting and ages */
    int last_year;                /* last selected year */

    /* ---- zones ---- */
    int *external;                /* [z] 1 = outside the cost scope */
    double *export_share;         /* [z] share of generation in the balance (phi, spec C1) */
    double *import_price;         /* [z] USD/MWh paid for energy sent from z (external) */

    /* ---- shared rows and columns (-1 = not created) ---- */
    int *row_balance;             /* [(z * n_years + y) * n_steps + t]  power.balance (C1) */
    int *col_new;                 /* [(z * n_techs + k) * n_years + y]  power.new */
    int *col_cap;                 /* [(z * n_techs + k) * n_years + y]  power.cap */
    int *row_capacity;            /* same index: power.capacity row (C14), -1 */
    int *col_gen;                 /* [((z * n_techs + k) * n_years + y) * n_steps + t] */
    double *rem_mw;               /* [(z * n_techs + k) * n_years + y] surviving 2020 fleet */

    /* ---- component state ---- */
    int *col_chg, *col_soc, *col_soc0;  /* storage: as col_gen; soc0 per day [.. * n_months + m] */
    int *col_unserved;            /* as row_balance */
    int *col_exp;                 /* [(l * n_years + y) * n_steps + t] grid.flow */
    int *col_lnew, *col_lcap;     /* [l * n_years + y]; lnew per corridor pair (shared) */
    int *line_pair;               /* [l] representative direction of l's pair */
    int *row_cap_basin;           /* [y] carbon.cap_basin or -1 */
    int *row_cap_zone;            /* [z * n_years + y] carbon.cap_zone or -1 */
    double *hydro_energy_mwh;     /* [(z * n_years + y) * n_months + m] daily energy budget */
    int *row_hydro_energy;        /* same index */

    /* ---- dams (dams.c, hydro.c) ---- */
    int hydro_cascade;            /* 1 = the station model (hydro.c) is active */
    int *dam_state;               /* [s] enum lm_dam_state, from the plan's portfolio */
    int *col_build;               /* [s] build decision column for LM_DAM_DECIDE, else -1 */

    void *hydro_state;            /* private to hydro.c (freed by lm_hydro_state_free) */

    /* ---- sediment (sediment.c) ---- */
    int sediment_reach;           /* target reach index (floor and report), -1 if none */
    int row_sediment_floor;       /* sediment.floor row, -1 */
    int *col_sed_out;             /* [r] sediment.out column (Mt/yr leaving reach r), or NULL */

    /* label arrays for names (point into ds / owned here) */
    char **year_labels;
    char **month_labels;
    char **line_labels;           /* "from.to" per corridor (MPS-safe) */
    char **station_labels;        /* station ids as text */
} lm_model;

enum lm_dam_state {
    LM_DAM_EXISTING = 0,  /* in service in the base year */
    LM_DAM_BUILT = 1,     /* candidate built by the plan */
    LM_DAM_NOT_BUILT = 2, /* candidate not built (passes water and sediment through) */
    LM_DAM_DECIDE = 3     /* candidate whose build decision is a variable */
};

/* The plan's portfolio as a state per station (dams.c).  Unknown station ids, or ids of
 * stations already in service, are errors naming the plan key. */
int lm_dams_resolve(const lm_dataset *ds, const lm_plan *plan, int *state, lm_diag *d);

/* Sediment delivered through the network for a given set of dams (sediment.c), no
 * optimisation: in_place[s] in [0,1] is the share of station s's dam that exists (1 = built or
 * existing).  Fills sacc[r] (Mt/yr entering reach r incl. its own yield) and sout[r] (Mt/yr
 * leaving it), spec C40-C41.  Either output may be NULL. */
void lm_sediment_evaluate(const lm_dataset *ds, const double *in_place, double *sacc, double *sout);

void lm_hydro_state_free(void *state);

/* Daily energy (MWh) per zone and representative day [z * n_months + m] that the stations in
 * service in the base year make from natural flow at fixed head, capped at their maximum
 * output, and that maximum output per zone [z] (hydro_budget.c). */
void lm_hydro_natural_energy(const lm_model *m, double *energy, double *station_mw);
/* Availability (energy / (day x maximum output)) given to hydro capacity that no station
 * represents: the zone's stations' ratio, or all stations' where the zone has none. */
double lm_hydro_other_ratio(const lm_model *m, const double *energy, const double *station_mw,
                            int z, int mo);

/* Build the model; on error returns -1 and fills d (errors name the plan/dataset item). */
int lm_model_build(const lm_dataset *ds, const lm_plan *plan, lm_model **out, lm_diag *d);
void lm_model_free(lm_model *m);
/* The barrier regularisation for model m under its plan: the plan's solver.barrier_regularization,
 * or when automatic (-1) 1e-5 where the sediment floor's McCormick rows exist (the barrier needs
 * it to converge on them; docs/solver.md) and 0 elsewhere (left as measured). */
double lm_model_barrier_regularization(const lm_model *m);

/* Extract every component's results from a solution (x, duals). */
int lm_model_extract(const lm_model *m, const lm_solution *sol, lm_results *res, lm_diag *d);

/* ---- helpers shared by components (model.c) ---- */
static inline int lm_m_zky(const lm_model *m, int z, int k, int y)
{
    return (z * m->ds->n_techs + k) * m->n_years + y;
}
static inline int lm_m_zyt(const lm_model *m, int z, int y, int t)
{
    return (z * m->n_years + y) * m->n_steps + t;
}
static inline int lm_m_gen(const lm_model *m, int z, int k, int y, int t)
{
    return lm_m_zky(m, z, k, y) * m->n_steps + t;
}
/* dataset step of model step t */
static inline int lm_m_ds_step(const lm_model *m, int t)
{
    return m->month_ds[t / m->n_hours] * m->n_hours + t % m->n_hours;
}
/* Annuity-and-horizon factor f_inv(n, y) of spec section 5. */
double lm_model_f_inv(const lm_model *m, double lifetime_years, int y);

/* ---- components ---- */
typedef struct lm_component {
    const char *name;
    int (*build)(lm_model *m, lm_diag *d);
    void (*extract)(const lm_model *m, const lm_solution *sol, lm_results *res);
} lm_component;

extern const lm_component lm_component_power;
extern const lm_component lm_component_storage;
extern const lm_component lm_component_grid;
extern const lm_component lm_component_hydro_budget;
extern const lm_component lm_component_carbon;
extern const lm_component lm_component_hydro;
extern const lm_component lm_component_sediment;

#endif
