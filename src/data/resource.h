/* resource.h - the solar resource module: hourly PV capacity factors for one representative
 * day per month, computed from solar geometry at representative sites, a clear-sky model and
 * a monthly cloudiness (sunshine) climatology.
 *
 * The chain, each step with its public source (details and worked numbers: docs/resource.md):
 *   day of the month      Klein (1977) recommended mean days (17 Jan, 16 Feb, ... 10 Dec)
 *   declination, E0, EoT  Spencer (1971) Fourier series, as given by Iqbal (1983)
 *   sun position          hour angle at each clock hour's midpoint in the zone's standard time;
 *                         zenith and azimuth (Duffie & Beckman, eqs 1.5.2, 1.6.5, 1.6.6)
 *   daily H0, day length  Duffie & Beckman eq 1.10.3; FAO-56 (Allen et al. 1998) eqs 21, 25, 34
 *   monthly mean GHI      Angstrom-Prescott H = (a + b n/N) H0, FAO-56 eq 35 (a 0.25, b 0.50),
 *                         optionally scaled to a published annual GHI of the site
 *   clear-sky shape       Haurwitz (1945): G = 1098 cos z exp(-0.057 / cos z) W/m2
 *   cloudiness            clear-sky index k_c = monthly mean GHI / clear-sky daily sum, applied
 *                         to every hour of the representative day
 *   diffuse split         Erbs, Klein & Duffie (1982) diffuse fraction from the clearness index
 *   plane of array        Liu & Jordan (1963) isotropic sky, fixed tilt facing the equator
 *   PV output             P/P_dc = POA/1000 (1 + gamma (T_cell - 25)) x losses, NOCT cell
 *                         temperature; AC output clipped at P_dc / (DC/AC ratio)
 * Capacity factors are per unit of DC (peak) capacity and clamped to [0, 1].
 *
 * All angles in the API are radians unless the name says _deg; irradiance in W/m2, daily
 * irradiation in MJ/m2.  Functions are pure; loaders record errors in an lm_diag. */
#ifndef LM_RESOURCE_H
#define LM_RESOURCE_H

#include "core/diag.h"

#define LM_SOLAR_CONSTANT_W_M2 1367.0 /* Iqbal (1983); FAO-56's 0.0820 MJ/m2/min */
#define LM_RES_MONTHS 12
#define LM_RES_HOURS 24

/* ---- solar geometry (Spencer 1971; Duffie & Beckman 2013, ch. 1) ---- */

/* Day of year (1..365) of Klein's (1977) recommended mean day of month 1..12. */
int lm_solar_klein_day(int month);
/* Solar declination (rad) on day of year n, Spencer (1971). */
double lm_solar_declination(int doy);
/* Eccentricity correction factor E0 = (r0/r)^2 on day n, Spencer (1971). */
double lm_solar_eccentricity(int doy);
/* Equation of time (minutes) on day n, Spencer (1971). */
double lm_solar_equation_of_time_min(int doy);
/* Extraterrestrial irradiance on a plane normal to the beam (W/m2) = Gsc x E0. */
double lm_solar_extraterrestrial_normal(int doy);
/* Sunset hour angle (rad) omega_s = acos(-tan(lat) tan(decl)); 0 in polar night, pi in
 * polar day. */
double lm_solar_sunset_hour_angle(double lat_rad, double decl_rad);
/* Daily extraterrestrial irradiation on a horizontal plane (MJ/m2), D&B eq 1.10.3. */
double lm_solar_daily_extraterrestrial(double lat_rad, int doy);

typedef struct lm_sun_pos {
    double solar_time_h;   /* apparent solar time, hours (12 = solar noon) */
    double hour_angle;     /* rad, negative in the morning */
    double cos_zenith;     /* may be negative (sun below the horizon) */
    double zenith;         /* rad */
    double azimuth;        /* rad from south, west positive (D&B convention) */
} lm_sun_pos;

/* Sun position at local standard (clock) time clock_h (hours since local midnight) on day n,
 * for a site at lat_deg/lon_deg (east positive) whose clock is UTC + utc_offset_h. */
void lm_solar_position(double lat_deg, double lon_deg, double utc_offset_h, int doy,
                       double clock_h, lm_sun_pos *out);
/* The same for a given apparent solar time (hours), without longitude or clock. */
void lm_solar_position_solar_time(double lat_deg, int doy, double solar_time_h, lm_sun_pos *out);

/* Cosine of the angle of incidence on a plane of tilt `tilt` and surface azimuth `surf_az`
 * (from south, west positive), D&B eq 1.6.2. */
double lm_solar_cos_incidence(double lat_rad, double decl_rad, double hour_angle, double tilt,
                              double surf_az);

/* ---- irradiance models ---- */

/* Haurwitz (1945) clear-sky GHI (W/m2) for cos(zenith); 0 when the sun is down. */
double lm_clearsky_haurwitz(double cos_zenith);
/* Erbs et al. (1982) diffuse fraction of global irradiance for hourly clearness index kt. */
double lm_erbs_diffuse_fraction(double kt);
/* Liu & Jordan (1963) isotropic-sky plane-of-array irradiance (W/m2) from beam normal `dni`,
 * diffuse horizontal `dhi` and global horizontal `ghi`, for cos(incidence) (negative = sun
 * behind the plane), tilt (rad) and ground albedo. */
double lm_poa_isotropic(double ghi, double dhi, double dni, double cos_incidence, double tilt,
                        double albedo);
/* Angstrom-Prescott monthly mean daily global irradiation (MJ/m2): (a + b s) h0, with the
 * sunshine fraction s = n/N clamped to [0, 1]. */
double lm_angstrom_prescott(double h0_mj_m2, double sunshine_fraction, double a, double b);

/* ---- PV system ---- */

typedef struct lm_pv_params {
    double tilt_deg;      /* NAN (default) = |latitude| of the site; faces the equator */
    double albedo;        /* ground reflectance, default 0.2 */
    double losses;        /* DC+AC system losses as a factor, default 0.86 */
    double gamma_per_k;   /* power temperature coefficient, default -0.004 /K */
    double noct_c;        /* nominal operating cell temperature, default 45 C */
    double dc_ac_ratio;   /* inverter loading ratio, default 1.2 (clip at 1/1.2 of P_dc) */
    double angstrom_a;    /* FAO-56 default 0.25 */
    double angstrom_b;    /* FAO-56 default 0.50 */
} lm_pv_params;

void lm_pv_params_default(lm_pv_params *p);
/* 0 if every parameter is in its physical range, else -1 with one error per bad value. */
int lm_pv_params_check(const lm_pv_params *p, lm_diag *d);

/* DC-normalised AC output (fraction of P_dc) for plane-of-array irradiance poa (W/m2) and
 * ambient temperature t_amb_c: NOCT cell temperature, temperature derate, losses, clipping. */
double lm_pv_output(double poa, double t_amb_c, const lm_pv_params *p);

/* ---- sites and profiles ---- */

typedef struct lm_solar_site {
    char *zone;
    char *name;
    double weight;               /* > 0; zone profile = weighted mean of its sites */
    double lat_deg, lon_deg;     /* east positive */
    double utc_offset_h;         /* the zone's standard clock: demand is in local time */
    double ghi_anchor_kwh_m2_yr; /* published annual GHI to scale to; 0 = none */
    double sunshine_h[LM_RES_MONTHS]; /* mean monthly bright sunshine hours (month total) */
    double temp_c[LM_RES_MONTHS];     /* mean monthly air temperature */
} lm_solar_site;

typedef struct lm_solar_profile {
    double cf[LM_RES_MONTHS][LM_RES_HOURS];    /* capacity factor, hour h = clock [h-1, h) */
    double ghi_mj_m2_day[LM_RES_MONTHS];       /* monthly mean daily GHI used */
    double clearsky_index[LM_RES_MONTHS];      /* k_c of each month */
    double poa_kwh_m2_day[LM_RES_MONTHS];
    double ghi_kwh_m2_yr;                      /* sum over months of days x daily GHI */
    double poa_kwh_m2_yr;
    double annual_cf;                          /* mean of the 288 steps */
} lm_solar_profile;

/* Profile of one site.  Returns 0, or -1 with an error if the site's data are unusable. */
int lm_solar_site_profile(const lm_solar_site *s, const lm_pv_params *p, lm_solar_profile *out,
                          lm_diag *d);

typedef struct lm_solar_sites {
    int n;
    lm_solar_site *site;
} lm_solar_sites;

/* Load sites and their monthly climate from two CSV files (columns: docs/resource.md).
 * Sites: zone, lat_deg, lon_deg, utc_offset_h; optional site (default: the zone),
 * weight (default 1), ghi_anchor_kwh_m2_yr (empty, NA or 0 = none); other columns ignored.
 * Climate: site, month, sunshine_h, temp_mean_c; other columns ignored; every site needs
 * each month 1..12 exactly once.  Every error is reported as file:line:column.  Returns 0,
 * or -1 with *out = NULL. */
int lm_solar_sites_load(const char *sites_csv, const char *climate_csv, lm_solar_sites **out,
                        lm_diag *d);
void lm_solar_sites_free(lm_solar_sites *s);

typedef struct lm_solar_zones {
    int n_zones;                 /* zones in order of first appearance in the sites file */
    char **zone;
    double (*cf)[LM_RES_MONTHS][LM_RES_HOURS]; /* [n_zones] weighted profiles */
    double *annual_cf;           /* [n_zones] */
    int n_sites;
    lm_solar_profile *site;      /* [n_sites], same order as the input sites */
} lm_solar_zones;

/* Profiles of every site and their weighted mean per zone.  Returns 0 or -1. */
int lm_solar_zone_profiles(const lm_solar_sites *s, const lm_pv_params *p, lm_solar_zones **out,
                           lm_diag *d);
void lm_solar_zones_free(lm_solar_zones *z);

/* Write the capacity_factor table (tech, zone, month, hour, capacity_factor) for `tech`. */
int lm_solar_write_capacity_factor(const lm_solar_zones *z, const char *tech, const char *path,
                                   lm_diag *d);
/* Write one row per site and per zone: kind, zone, site, weight, ghi_kwh_m2_yr,
 * poa_kwh_m2_yr, annual_cf (site rows) and the weighted annual_cf (zone rows). */
int lm_solar_write_summary(const lm_solar_sites *s, const lm_solar_zones *z, const char *path,
                           lm_diag *d);

#endif
