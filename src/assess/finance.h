/* finance.h - textbook project finance: capital recovery factor, annuity, net present value and
 * levelised cost of electricity, and the four per-project figures built from them (capital
 * need, annuity, LCOE, NPV of revenue at a given price minus costs).
 *
 * All rates are real and per year, as fractions (0.08 = 8 %); money is in constant USD;
 * cash flows are at year ends with the capital spent at t = 0 (no construction period).
 * Formulas: CRF(r, n) = r (1+r)^n / ((1+r)^n - 1), CRF(0, n) = 1/n; NPV = sum_t CF_t /
 * (1+r)^t; LCOE = (capex CRF + fixed O&M) / (8.76 cf) + variable O&M and fuel, in USD/MWh
 * with capex in USD/kW and 8.76 MWh per kW-year at cf = 1 (e.g. Short, Packey & Holt 1995,
 * NREL/TP-462-5173, "A Manual for the Economic Evaluation of Energy Efficiency and Renewable
 * Energy Technologies", sections 4 and 5).  The financing mix across public budgets,
 * development banks, green bonds and private capital is not built yet (issue 5, part 5). */
#ifndef LM_FINANCE_H
#define LM_FINANCE_H

#include "core/diag.h"

/* Capital recovery factor (1/yr): the level annual payment that repays 1 USD over `years` at
 * `rate`.  NaN unless rate > -1 and years > 0. */
double lm_fin_crf(double rate, double years);

/* Level annual payment (USD/yr) that repays `capex_usd` over `years` at `rate`; NaN as for
 * lm_fin_crf. */
double lm_fin_annuity_usd_per_yr(double capex_usd, double rate, double years);

/* NPV at `rate` of cash_usd[0..n), cash_usd[t] falling at the end of year t (t = 0 undiscounted).
 * NaN unless rate > -1, n >= 0 and cash_usd is non-NULL when n > 0. */
double lm_fin_npv_usd(double rate, const double *cash_usd, int n);

/* One generating project's cost data, units in the names. */
typedef struct lm_fin_plant {
    double capacity_mw;
    double capex_usd_per_kw;           /* overnight capital cost */
    double fom_usd_per_kw_yr;          /* fixed O&M */
    double vom_fuel_usd_per_mwh;       /* variable O&M plus fuel */
    double capacity_factor;            /* fraction of the year at full output, (0, 1] */
    double lifetime_yr;                /* economic lifetime, > 0 */
    double discount_rate;              /* real, > -1 */
} lm_fin_plant;

typedef struct lm_fin_plant_result {
    double capital_usd;                /* capacity x capex */
    double annuity_usd_per_yr;         /* capital x CRF */
    double energy_mwh_per_yr;          /* capacity x 8760 h x cf */
    double lcoe_usd_per_mwh;
    double npv_usd;                    /* of (price - vom_fuel) x energy - fom, years 1..n,
                                          minus the capital at t = 0 */
} lm_fin_plant_result;

/* Check every field of `p` (named `name` in messages: `finance: plant "name": field = value:
 * rule`).  Returns 0, or -1 with one error per bad field.  With `d` NULL it only answers. */
int lm_fin_plant_check(const lm_fin_plant *p, const char *name, lm_diag *d);

/* LCOE (USD/MWh) of `p`; NaN if a field is out of range (lm_fin_plant_check says which). */
double lm_fin_lcoe_usd_per_mwh(const lm_fin_plant *p);

/* Capital need, annuity, energy, LCOE and the NPV of selling every MWh at `price_usd_per_mwh`
 * (finite).  Returns 0, or -1 with errors from lm_fin_plant_check (then *out is all NaN). */
int lm_fin_plant_evaluate(const lm_fin_plant *p, const char *name, double price_usd_per_mwh,
                          lm_fin_plant_result *out, lm_diag *d);

#endif
