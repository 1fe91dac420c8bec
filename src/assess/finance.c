/* finance.c - capital recovery factor, annuity, NPV, LCOE and per-project figures (finance.h).
 *
 * The functions are pure: the plain formulas return NaN outside their domain, and
 * lm_fin_plant_check turns each out-of-range field into a message naming the field, its value
 * and the rule, so that a caller reading plants from data can report them all at once. */
#include "assess/finance.h"

#include <math.h>

#define HOURS_PER_YEAR 8760.0
#define KW_PER_MW 1000.0

double lm_fin_crf(double rate, double years)
{
    if (!(rate > -1) || !(years > 0) || !isfinite(rate) || !isfinite(years)) return NAN;
    /* expm1/log1p keep the small-rate case accurate; the limit at r = 0 is 1/n. */
    if (fabs(rate) < 1e-12) return 1.0 / years;
    double g = expm1(years * log1p(rate)); /* (1+r)^n - 1 */
    return rate * (g + 1.0) / g;
}

double lm_fin_annuity_usd_per_yr(double capex_usd, double rate, double years)
{
    return capex_usd * lm_fin_crf(rate, years);
}

double lm_fin_npv_usd(double rate, const double *cash_usd, int n)
{
    if (!(rate > -1) || !isfinite(rate) || n < 0 || (n > 0 && !cash_usd)) return NAN;
    double npv = 0, disc = 1;
    for (int t = 0; t < n; t++) {
        npv += cash_usd[t] * disc;
        disc /= 1.0 + rate;
    }
    return npv;
}

static int check_field(lm_diag *d, const char *name, const char *field, double v, int ok,
                       const char *rule)
{
    if (ok) return 0;
    if (d) lm_diag_error(d, "finance: plant \"%s\": %s = %g: %s", name ? name : "?", field, v, rule);
    return -1;
}

int lm_fin_plant_check(const lm_fin_plant *p, const char *name, lm_diag *d)
{
    int bad = 0;
    bad |= check_field(d, name, "capacity_mw", p->capacity_mw,
                       isfinite(p->capacity_mw) && p->capacity_mw > 0, "must be > 0");
    bad |= check_field(d, name, "capex_usd_per_kw", p->capex_usd_per_kw,
                       isfinite(p->capex_usd_per_kw) && p->capex_usd_per_kw >= 0,
                       "must be finite and >= 0");
    bad |= check_field(d, name, "fom_usd_per_kw_yr", p->fom_usd_per_kw_yr,
                       isfinite(p->fom_usd_per_kw_yr) && p->fom_usd_per_kw_yr >= 0,
                       "must be finite and >= 0");
    bad |= check_field(d, name, "vom_fuel_usd_per_mwh", p->vom_fuel_usd_per_mwh,
                       isfinite(p->vom_fuel_usd_per_mwh) && p->vom_fuel_usd_per_mwh >= 0,
                       "must be finite and >= 0");
    bad |= check_field(d, name, "capacity_factor", p->capacity_factor,
                       p->capacity_factor > 0 && p->capacity_factor <= 1, "must be in (0, 1]");
    bad |= check_field(d, name, "lifetime_yr", p->lifetime_yr,
                       isfinite(p->lifetime_yr) && p->lifetime_yr > 0, "must be > 0");
    bad |= check_field(d, name, "discount_rate", p->discount_rate,
                       isfinite(p->discount_rate) && p->discount_rate > -1,
                       "must be > -1 (a real rate as a fraction: 0.08 = 8 %)");
    return bad ? -1 : 0;
}

double lm_fin_lcoe_usd_per_mwh(const lm_fin_plant *p)
{
    if (lm_fin_plant_check(p, NULL, NULL) != 0) return NAN;
    double crf = lm_fin_crf(p->discount_rate, p->lifetime_yr);
    double mwh_per_kw_yr = HOURS_PER_YEAR / KW_PER_MW * p->capacity_factor;
    return (p->capex_usd_per_kw * crf + p->fom_usd_per_kw_yr) / mwh_per_kw_yr +
           p->vom_fuel_usd_per_mwh;
}

int lm_fin_plant_evaluate(const lm_fin_plant *p, const char *name, double price_usd_per_mwh,
                          lm_fin_plant_result *out, lm_diag *d)
{
    out->capital_usd = out->annuity_usd_per_yr = out->energy_mwh_per_yr = NAN;
    out->lcoe_usd_per_mwh = out->npv_usd = NAN;
    int bad = lm_fin_plant_check(p, name, d);
    if (!isfinite(price_usd_per_mwh)) {
        lm_diag_error(d, "finance: plant \"%s\": price_usd_per_mwh = %g: must be finite",
                      name ? name : "?", price_usd_per_mwh);
        bad = -1;
    }
    if (bad) return -1;
    double kw = p->capacity_mw * KW_PER_MW;
    double crf = lm_fin_crf(p->discount_rate, p->lifetime_yr);
    out->capital_usd = kw * p->capex_usd_per_kw;
    out->annuity_usd_per_yr = out->capital_usd * crf;
    out->energy_mwh_per_yr = p->capacity_mw * HOURS_PER_YEAR * p->capacity_factor;
    out->lcoe_usd_per_mwh = lm_fin_lcoe_usd_per_mwh(p);
    /* A level net cash flow over the lifetime is worth net / CRF today (the annuity factor),
     * which also covers a non-integer lifetime. */
    double net_usd_per_yr = (price_usd_per_mwh - p->vom_fuel_usd_per_mwh) *
                                out->energy_mwh_per_yr - p->fom_usd_per_kw_yr * kw;
    out->npv_usd = net_usd_per_yr / crf - out->capital_usd;
    return 0;
}
