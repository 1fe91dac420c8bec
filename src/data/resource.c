/* resource.c - the solar resource module: sun position, clear-sky irradiance scaled by a
 * monthly sunshine climatology, plane-of-array irradiance and PV output for one
 * representative day per month, then weighted zone profiles for the capacity_factor table.
 *
 * Every formula cites its source here and in docs/resource.md, which also works one hour
 * through by hand.  The order of the computation is the order of resource.h. */
#include "data/resource.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/csv.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* Klein (1977), "Calculation of monthly average insolation on tilted surfaces", Solar Energy
 * 19:325, Table 1 (also Duffie & Beckman Table 1.6.1): the day whose extraterrestrial
 * irradiation is closest to the monthly mean. */
static const int klein_doy[LM_RES_MONTHS] = {17, 47, 75, 105, 135, 162, 198, 228, 258, 288, 318, 344};
static const int days_in_month[LM_RES_MONTHS] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

int lm_solar_klein_day(int month)
{
    return month >= 1 && month <= 12 ? klein_doy[month - 1] : 0;
}

/* Spencer (1971), "Fourier series representation of the position of the sun", Search 2:172;
 * day angle Gamma = 2 pi (n - 1) / 365 (Iqbal 1983, eq 1.2.2). */
static double day_angle(int doy)
{
    return 2.0 * PI * (doy - 1) / 365.0;
}

double lm_solar_declination(int doy)
{
    double g = day_angle(doy);
    return 0.006918 - 0.399912 * cos(g) + 0.070257 * sin(g) - 0.006758 * cos(2 * g) +
           0.000907 * sin(2 * g) - 0.002697 * cos(3 * g) + 0.00148 * sin(3 * g);
}

double lm_solar_eccentricity(int doy)
{
    double g = day_angle(doy);
    return 1.000110 + 0.034221 * cos(g) + 0.001280 * sin(g) + 0.000719 * cos(2 * g) +
           0.000077 * sin(2 * g);
}

double lm_solar_equation_of_time_min(int doy)
{
    double g = day_angle(doy);
    return 229.18 * (0.000075 + 0.001868 * cos(g) - 0.032077 * sin(g) - 0.014615 * cos(2 * g) -
                     0.040849 * sin(2 * g));
}

double lm_solar_extraterrestrial_normal(int doy)
{
    return LM_SOLAR_CONSTANT_W_M2 * lm_solar_eccentricity(doy);
}

/* Duffie & Beckman eq 1.6.10; FAO-56 eq 25. */
double lm_solar_sunset_hour_angle(double lat_rad, double decl_rad)
{
    double x = -tan(lat_rad) * tan(decl_rad);
    if (x >= 1.0) return 0.0;
    if (x <= -1.0) return PI;
    return acos(x);
}

/* Duffie & Beckman eq 1.10.3 (FAO-56 eq 21): H0 = 24 x 3600 / pi x Gsc E0 x
 * (cos lat cos decl sin ws + ws sin lat sin decl), in MJ/m2. */
double lm_solar_daily_extraterrestrial(double lat_rad, int doy)
{
    double decl = lm_solar_declination(doy);
    double ws = lm_solar_sunset_hour_angle(lat_rad, decl);
    double h0 = 24.0 * 3600.0 / PI * lm_solar_extraterrestrial_normal(doy) *
                (cos(lat_rad) * cos(decl) * sin(ws) + ws * sin(lat_rad) * sin(decl));
    return h0 > 0 ? h0 / 1e6 : 0.0;
}

/* Zenith: D&B eq 1.6.5; azimuth: D&B eq 1.6.6, from south, west positive. */
void lm_solar_position_solar_time(double lat_deg, int doy, double solar_time_h, lm_sun_pos *out)
{
    double lat = lat_deg * DEG, decl = lm_solar_declination(doy);
    double w = 15.0 * (solar_time_h - 12.0) * DEG;
    double cz = sin(lat) * sin(decl) + cos(lat) * cos(decl) * cos(w);
    if (cz > 1.0) cz = 1.0;
    if (cz < -1.0) cz = -1.0;
    out->solar_time_h = solar_time_h;
    out->hour_angle = w;
    out->cos_zenith = cz;
    out->zenith = acos(cz);
    double sz = sin(out->zenith), az = 0.0;
    if (sz > 1e-9 && fabs(cos(lat)) > 1e-9) {
        double c = (cz * sin(lat) - sin(decl)) / (sz * cos(lat));
        if (c > 1.0) c = 1.0;
        if (c < -1.0) c = -1.0;
        az = acos(c);
        if (w < 0) az = -az;
    }
    out->azimuth = az;
}

/* Apparent solar time = standard time + (4 (L_loc - L_std) + E) minutes, D&B eq 1.5.2 with
 * east-positive longitudes; the standard meridian of a UTC+k clock is 15 k degrees. */
void lm_solar_position(double lat_deg, double lon_deg, double utc_offset_h, int doy,
                       double clock_h, lm_sun_pos *out)
{
    double st = clock_h + (4.0 * (lon_deg - 15.0 * utc_offset_h) +
                           lm_solar_equation_of_time_min(doy)) / 60.0;
    lm_solar_position_solar_time(lat_deg, doy, st, out);
}

/* D&B eq 1.6.2. */
double lm_solar_cos_incidence(double lat, double decl, double w, double tilt, double surf_az)
{
    return sin(decl) * sin(lat) * cos(tilt) - sin(decl) * cos(lat) * sin(tilt) * cos(surf_az) +
           cos(decl) * cos(lat) * cos(tilt) * cos(w) +
           cos(decl) * sin(lat) * sin(tilt) * cos(surf_az) * cos(w) +
           cos(decl) * sin(tilt) * sin(surf_az) * sin(w);
}

/* Haurwitz (1945), "Insolation in relation to cloudiness and cloud density", J. Meteorology
 * 2:154-166, with Haurwitz (1946), J. Meteorology 3:123; in the form
 * reviewed by Reno, Hansen & Stein (2012), SAND2012-2389. */
double lm_clearsky_haurwitz(double cz)
{
    return cz > 0 ? 1098.0 * cz * exp(-0.057 / cz) : 0.0;
}

/* Erbs, Klein & Duffie (1982), Solar Energy 28:293, eq 1 (D&B eq 2.10.1). */
double lm_erbs_diffuse_fraction(double kt)
{
    if (kt <= 0.22) return 1.0 - 0.09 * (kt > 0 ? kt : 0.0);
    if (kt <= 0.80)
        return 0.9511 - 0.1604 * kt + 4.388 * kt * kt - 16.638 * kt * kt * kt +
               12.336 * kt * kt * kt * kt;
    return 0.165;
}

/* Liu & Jordan (1963) isotropic sky (D&B eq 2.15.1 written with DNI): beam on the plane +
 * sky diffuse x (1 + cos tilt)/2 + ground-reflected GHI x albedo x (1 - cos tilt)/2. */
double lm_poa_isotropic(double ghi, double dhi, double dni, double cos_inc, double tilt,
                        double albedo)
{
    double beam = cos_inc > 0 ? dni * cos_inc : 0.0;
    return beam + dhi * (1.0 + cos(tilt)) / 2.0 + ghi * albedo * (1.0 - cos(tilt)) / 2.0;
}

/* Angstrom (1924), Prescott (1940); FAO-56 eq 35. */
double lm_angstrom_prescott(double h0, double s, double a, double b)
{
    if (s < 0) s = 0;
    if (s > 1) s = 1;
    return (a + b * s) * h0;
}

void lm_pv_params_default(lm_pv_params *p)
{
    p->tilt_deg = NAN;
    p->albedo = 0.2;
    p->losses = 0.86;
    p->gamma_per_k = -0.004;
    p->noct_c = 45.0;
    p->dc_ac_ratio = 1.2;
    p->angstrom_a = 0.25;
    p->angstrom_b = 0.50;
}

static int check_range(lm_diag *d, const char *name, double v, double lo, double hi)
{
    if (v >= lo && v <= hi) return 0;
    lm_diag_error(d, "PV parameter %s = %g: must be in [%g, %g]", name, v, lo, hi);
    return -1;
}

int lm_pv_params_check(const lm_pv_params *p, lm_diag *d)
{
    int rc = 0;
    if (!isnan(p->tilt_deg)) rc |= check_range(d, "tilt_deg", p->tilt_deg, 0, 90);
    rc |= check_range(d, "albedo", p->albedo, 0, 1);
    rc |= check_range(d, "losses", p->losses, 0.01, 1);
    rc |= check_range(d, "gamma_per_k", p->gamma_per_k, -0.02, 0);
    rc |= check_range(d, "noct_c", p->noct_c, 20, 80);
    rc |= check_range(d, "dc_ac_ratio", p->dc_ac_ratio, 0.5, 3);
    rc |= check_range(d, "angstrom_a", p->angstrom_a, 0, 1);
    rc |= check_range(d, "angstrom_b", p->angstrom_b, 0, 1);
    if (rc == 0 && p->angstrom_a + p->angstrom_b > 1.0) {
        lm_diag_error(d, "PV parameters angstrom_a + angstrom_b = %g: must be at most 1",
                      p->angstrom_a + p->angstrom_b);
        rc = -1;
    }
    return rc ? -1 : 0;
}

/* NOCT model T_cell = T_amb + (NOCT - 20)/800 x POA (D&B ch. 23, with tau alpha/U_L fixed
 * at NOCT conditions), linear power temperature coefficient, losses, inverter clipping. */
double lm_pv_output(double poa, double t_amb_c, const lm_pv_params *p)
{
    if (poa <= 0) return 0.0;
    double t_cell = t_amb_c + (p->noct_c - 20.0) / 800.0 * poa;
    double out = poa / 1000.0 * (1.0 + p->gamma_per_k * (t_cell - 25.0)) * p->losses;
    double clip = 1.0 / p->dc_ac_ratio;
    if (out > clip) out = clip;
    if (out < 0) out = 0;
    if (out > 1) out = 1;
    return out;
}

/* Sun position at the midpoint of clock hour h (0-based: clock time [h, h+1)). */
static void hour_position(const lm_solar_site *s, int doy, int h, lm_sun_pos *pos)
{
    lm_solar_position(s->lat_deg, s->lon_deg, s->utc_offset_h, doy, h + 0.5, pos);
}

int lm_solar_site_profile(const lm_solar_site *s, const lm_pv_params *p, lm_solar_profile *out,
                          lm_diag *d)
{
    memset(out, 0, sizeof *out);
    if (lm_pv_params_check(p, d) != 0) return -1;
    double lat = s->lat_deg * DEG;
    double tilt = (isnan(p->tilt_deg) ? fabs(s->lat_deg) : p->tilt_deg) * DEG;
    double surf_az = s->lat_deg >= 0 ? 0.0 : PI; /* face the equator */
    double h_month[LM_RES_MONTHS], h_cs[LM_RES_MONTHS], ghi_yr = 0.0;

    /* monthly mean daily GHI from sunshine (Angstrom-Prescott) and the clear-sky day sum */
    for (int m = 0; m < LM_RES_MONTHS; m++) {
        int doy = klein_doy[m];
        double ws = lm_solar_sunset_hour_angle(lat, lm_solar_declination(doy));
        double day_len_h = 24.0 / PI * ws; /* FAO-56 eq 34 */
        double frac = day_len_h > 0 ? s->sunshine_h[m] / days_in_month[m] / day_len_h : 0.0;
        h_month[m] = lm_angstrom_prescott(lm_solar_daily_extraterrestrial(lat, doy), frac,
                                          p->angstrom_a, p->angstrom_b);
        h_cs[m] = 0.0;
        for (int h = 0; h < LM_RES_HOURS; h++) {
            lm_sun_pos pos;
            hour_position(s, doy, h, &pos);
            h_cs[m] += lm_clearsky_haurwitz(pos.cos_zenith) * 3600.0 / 1e6;
        }
        ghi_yr += h_month[m] * days_in_month[m] / 3.6;
    }
    double scale = 1.0;
    if (s->ghi_anchor_kwh_m2_yr > 0) {
        if (ghi_yr <= 0) {
            lm_diag_error(d, "site \"%s\": no irradiation to scale to the annual GHI anchor",
                          s->name);
            return -1;
        }
        scale = s->ghi_anchor_kwh_m2_yr / ghi_yr;
    }

    double sum_cf = 0.0;
    for (int m = 0; m < LM_RES_MONTHS; m++) {
        int doy = klein_doy[m];
        double decl = lm_solar_declination(doy), gon = lm_solar_extraterrestrial_normal(doy);
        double kc = h_cs[m] > 0 ? h_month[m] * scale / h_cs[m] : 0.0;
        if (kc > 1.1)
            lm_diag_warn(d, "site \"%s\" month %d: clear-sky index %.2f is above 1.1; check "
                            "its sunshine hours or GHI anchor", s->name, m + 1, kc);
        out->ghi_mj_m2_day[m] = h_month[m] * scale;
        out->clearsky_index[m] = kc;
        for (int h = 0; h < LM_RES_HOURS; h++) {
            lm_sun_pos pos;
            hour_position(s, doy, h, &pos);
            double cz = pos.cos_zenith, cf = 0.0;
            if (cz > 0) {
                double ghi = kc * lm_clearsky_haurwitz(cz);
                double kt = ghi / (gon * cz);
                if (kt > 1) kt = 1;
                double dhi = lm_erbs_diffuse_fraction(kt) * ghi;
                double dni = (ghi - dhi) / cz;
                if (dni > gon) { /* beam cannot exceed the extraterrestrial beam */
                    dni = gon;
                    dhi = ghi - dni * cz;
                }
                double ci = lm_solar_cos_incidence(lat, decl, pos.hour_angle, tilt, surf_az);
                double poa = lm_poa_isotropic(ghi, dhi, dni, ci, tilt, p->albedo);
                out->poa_kwh_m2_day[m] += poa / 1000.0;
                cf = lm_pv_output(poa, s->temp_c[m], p);
            }
            out->cf[m][h] = cf;
            sum_cf += cf;
        }
        out->poa_kwh_m2_yr += out->poa_kwh_m2_day[m] * days_in_month[m];
    }
    out->ghi_kwh_m2_yr = ghi_yr * scale;
    out->annual_cf = sum_cf / (LM_RES_MONTHS * LM_RES_HOURS);
    return 0;
}

/* ---- loading ---- */

static int col_of(const lm_csv *c, const char *name)
{
    for (int j = 0; j < c->n_cols; j++)
        if (!strcmp(c->header[j], name)) return j;
    return -1;
}

static int need_col(const lm_csv *c, const char *name, lm_diag *d)
{
    int j = col_of(c, name);
    if (j < 0)
        lm_diag_at(d, c->path, c->header_line, "-", NULL, "missing required column \"%s\"",
                   name);
    return j;
}

/* Parse cell (r, j) as a number in [lo, hi]; records a located error and returns -1 if not. */
static int cell_num(const lm_csv *c, int r, int j, double lo, double hi, double *out, lm_diag *d)
{
    const char *v = lm_csv_cell(c, r, j);
    if (lm_parse_double(v, out, 0) != 0) {
        lm_diag_at(d, c->path, c->line[r], c->header[j], v, "not a finite number");
        return -1;
    }
    if (*out < lo || *out > hi) {
        lm_diag_at(d, c->path, c->line[r], c->header[j], v, "must be in [%g, %g]", lo, hi);
        return -1;
    }
    return 0;
}

static int blank_or_na(const char *v)
{
    return !*v || !strcmp(v, "NA") || !strcmp(v, "na");
}

static void sites_free_parts(lm_solar_sites *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->site[i].zone);
        free(s->site[i].name);
    }
    free(s->site);
    free(s);
}

static void load_sites(const lm_csv *c, lm_solar_sites *s, lm_diag *d)
{
    int cz = need_col(c, "zone", d), cla = need_col(c, "lat_deg", d);
    int clo = need_col(c, "lon_deg", d), ctz = need_col(c, "utc_offset_h", d);
    int cs = col_of(c, "site"), cw = col_of(c, "weight");
    int ca = col_of(c, "ghi_anchor_kwh_m2_yr");
    if (cz < 0 || cla < 0 || clo < 0 || ctz < 0) return;
    if (c->n_rows == 0) lm_diag_error(d, "%s: no sites", c->path);
    s->site = lm_xcalloc(c->n_rows > 0 ? (size_t)c->n_rows : 1, sizeof *s->site);
    for (int r = 0; r < c->n_rows; r++) {
        lm_solar_site *t = &s->site[s->n];
        const char *zone = lm_csv_cell(c, r, cz);
        const char *name = cs >= 0 ? lm_csv_cell(c, r, cs) : zone;
        int bad = 0;
        if (!*zone) {
            lm_diag_at(d, c->path, c->line[r], "zone", zone, "must not be empty");
            bad = 1;
        }
        if (cs >= 0 && !*name) {
            lm_diag_at(d, c->path, c->line[r], "site", name, "must not be empty");
            bad = 1;
        }
        for (int i = 0; i < s->n && *name; i++)
            if (!strcmp(s->site[i].name, name)) {
                lm_diag_at(d, c->path, c->line[r], cs >= 0 ? "site" : "zone", name,
                           "duplicate site");
                bad = 1;
            }
        /* |lat| <= 66: the representative day needs a sunrise and a sunset */
        bad |= cell_num(c, r, cla, -66, 66, &t->lat_deg, d) != 0;
        bad |= cell_num(c, r, clo, -180, 180, &t->lon_deg, d) != 0;
        bad |= cell_num(c, r, ctz, -12, 14, &t->utc_offset_h, d) != 0;
        t->weight = 1.0;
        if (cw >= 0) bad |= cell_num(c, r, cw, 1e-12, 1e12, &t->weight, d) != 0;
        t->ghi_anchor_kwh_m2_yr = 0.0;
        if (ca >= 0 && !blank_or_na(lm_csv_cell(c, r, ca)))
            bad |= cell_num(c, r, ca, 0, 4000, &t->ghi_anchor_kwh_m2_yr, d) != 0;
        for (int m = 0; m < LM_RES_MONTHS; m++) t->sunshine_h[m] = t->temp_c[m] = NAN;
        if (bad) continue;
        t->zone = lm_xstrdup(zone);
        t->name = lm_xstrdup(name);
        s->n++;
    }
}

static void load_climate(const lm_csv *c, lm_solar_sites *s, lm_diag *d)
{
    int cs = need_col(c, "site", d), cm = need_col(c, "month", d);
    int csun = need_col(c, "sunshine_h", d), ct = need_col(c, "temp_mean_c", d);
    if (cs < 0 || cm < 0 || csun < 0 || ct < 0) return;
    long *seen = lm_xcalloc((size_t)(s->n > 0 ? s->n : 1) * LM_RES_MONTHS, sizeof *seen);
    for (int r = 0; r < c->n_rows; r++) {
        const char *name = lm_csv_cell(c, r, cs), *mv = lm_csv_cell(c, r, cm);
        int i = 0;
        while (i < s->n && strcmp(s->site[i].name, name)) i++;
        if (i == s->n) {
            lm_diag_at(d, c->path, c->line[r], "site", name, "unknown site (not in the sites file)");
            continue;
        }
        long month;
        if (lm_parse_int(mv, &month) != 0 || month < 1 || month > 12) {
            lm_diag_at(d, c->path, c->line[r], "month", mv, "must be an integer 1..12");
            continue;
        }
        long *first = &seen[(size_t)i * LM_RES_MONTHS + (size_t)(month - 1)];
        if (*first) {
            lm_diag_at(d, c->path, c->line[r], "site,month", NULL,
                       "duplicate row for site \"%s\", month %ld; first at line %ld", name,
                       month, *first);
            continue;
        }
        *first = c->line[r];
        double sun, temp;
        /* a month has at most 31 x 24 hours of sunshine */
        if (cell_num(c, r, csun, 0, 744, &sun, d) == 0)
            s->site[i].sunshine_h[month - 1] = sun;
        if (cell_num(c, r, ct, -60, 60, &temp, d) == 0) s->site[i].temp_c[month - 1] = temp;
    }
    for (int i = 0; i < s->n; i++)
        for (int m = 0; m < LM_RES_MONTHS; m++)
            if (!seen[(size_t)i * LM_RES_MONTHS + (size_t)m])
                lm_diag_error(d, "%s: missing row for site \"%s\", month %d", c->path,
                              s->site[i].name, m + 1);
    free(seen);
}

int lm_solar_sites_load(const char *sites_csv, const char *climate_csv, lm_solar_sites **out,
                        lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    lm_solar_sites *s = lm_xcalloc(1, sizeof *s);
    lm_csv c;
    if (lm_csv_read(sites_csv, &c, d) == 0) load_sites(&c, s, d);
    lm_csv_free(&c);
    if (d->n_errors == errors0) {
        if (lm_csv_read(climate_csv, &c, d) == 0) load_climate(&c, s, d);
        lm_csv_free(&c);
    }
    if (d->n_errors != errors0) {
        sites_free_parts(s);
        return -1;
    }
    *out = s;
    return 0;
}

void lm_solar_sites_free(lm_solar_sites *s)
{
    if (s) sites_free_parts(s);
}

/* ---- zones ---- */

void lm_solar_zones_free(lm_solar_zones *z)
{
    if (!z) return;
    for (int i = 0; i < z->n_zones; i++) free(z->zone[i]);
    free(z->zone);
    free(z->cf);
    free(z->annual_cf);
    free(z->site);
    free(z);
}

int lm_solar_zone_profiles(const lm_solar_sites *s, const lm_pv_params *p, lm_solar_zones **out,
                           lm_diag *d)
{
    *out = NULL;
    if (lm_pv_params_check(p, d) != 0) return -1;
    lm_solar_zones *z = lm_xcalloc(1, sizeof *z);
    size_t n = s->n > 0 ? (size_t)s->n : 1;
    z->zone = lm_xcalloc(n, sizeof *z->zone);
    z->cf = lm_xcalloc(n, sizeof *z->cf);
    z->annual_cf = lm_xcalloc(n, sizeof *z->annual_cf);
    z->site = lm_xcalloc(n, sizeof *z->site);
    double *wsum = lm_xcalloc(n, sizeof *wsum);
    int rc = 0;
    for (int i = 0; i < s->n; i++) {
        const lm_solar_site *t = &s->site[i];
        if (lm_solar_site_profile(t, p, &z->site[i], d) != 0) {
            rc = -1;
            continue;
        }
        int k = lm_find_name(z->zone, z->n_zones, t->zone);
        if (k < 0) {
            k = z->n_zones++;
            z->zone[k] = lm_xstrdup(t->zone);
        }
        wsum[k] += t->weight;
        for (int m = 0; m < LM_RES_MONTHS; m++)
            for (int h = 0; h < LM_RES_HOURS; h++)
                z->cf[k][m][h] += t->weight * z->site[i].cf[m][h];
    }
    z->n_sites = s->n;
    for (int k = 0; k < z->n_zones; k++) {
        double sum = 0.0;
        for (int m = 0; m < LM_RES_MONTHS; m++)
            for (int h = 0; h < LM_RES_HOURS; h++) {
                z->cf[k][m][h] /= wsum[k];
                sum += z->cf[k][m][h];
            }
        z->annual_cf[k] = sum / (LM_RES_MONTHS * LM_RES_HOURS);
    }
    free(wsum);
    if (rc != 0) {
        lm_solar_zones_free(z);
        return -1;
    }
    *out = z;
    return 0;
}

/* Up to 5 decimals without trailing zeros ("0", "0.1234", "0.5"). */
static void fmt_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.5f", v);
    char *dot = strchr(buf, '.');
    if (!dot) return;
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
    if (!strcmp(buf, "-0")) strcpy(buf, "0");
}

static FILE *open_out(const char *path, lm_diag *d)
{
    FILE *f = fopen(path, "w");
    if (!f) lm_diag_error(d, "%s: cannot write: %s", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path, lm_diag *d)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        lm_diag_error(d, "%s: write failed", path);
        return -1;
    }
    return 0;
}

int lm_solar_write_capacity_factor(const lm_solar_zones *z, const char *tech, const char *path,
                                   lm_diag *d)
{
    FILE *f = open_out(path, d);
    if (!f) return -1;
    fprintf(f, "tech,zone,month,hour,capacity_factor\n");
    char v[64];
    for (int k = 0; k < z->n_zones; k++)
        for (int m = 0; m < LM_RES_MONTHS; m++)
            for (int h = 0; h < LM_RES_HOURS; h++) {
                fmt_num(v, sizeof v, z->cf[k][m][h]);
                fprintf(f, "%s,%s,%d,%d,%s\n", tech, z->zone[k], m + 1, h + 1, v);
            }
    return close_out(f, path, d);
}

int lm_solar_write_summary(const lm_solar_sites *s, const lm_solar_zones *z, const char *path,
                           lm_diag *d)
{
    FILE *f = open_out(path, d);
    if (!f) return -1;
    fprintf(f, "kind,zone,site,weight,ghi_kwh_m2_yr,poa_kwh_m2_yr,annual_cf\n");
    for (int i = 0; i < s->n; i++) {
        const lm_solar_profile *p = &z->site[i];
        fprintf(f, "site,%s,%s,%g,%.1f,%.1f,%.4f\n", s->site[i].zone, s->site[i].name,
                s->site[i].weight, p->ghi_kwh_m2_yr, p->poa_kwh_m2_yr, p->annual_cf);
    }
    for (int k = 0; k < z->n_zones; k++) {
        double w = 0, ghi = 0, poa = 0;
        for (int i = 0; i < s->n; i++)
            if (!strcmp(s->site[i].zone, z->zone[k])) {
                w += s->site[i].weight;
                ghi += s->site[i].weight * z->site[i].ghi_kwh_m2_yr;
                poa += s->site[i].weight * z->site[i].poa_kwh_m2_yr;
            }
        fprintf(f, "zone,%s,-,%g,%.1f,%.1f,%.4f\n", z->zone[k], w, ghi / w, poa / w,
                z->annual_cf[k]);
    }
    return close_out(f, path, d);
}
