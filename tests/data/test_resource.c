/* test_resource.c - the solar resource module (src/data/resource.c).
 *
 * Geometry and irradiance formulas against numbers worked out by hand from the published
 * equations (Spencer 1971, Duffie & Beckman, Haurwitz 1945, Erbs et al. 1982, Liu & Jordan
 * 1963) and against almanac values; the representative-day profiles for their physics (night,
 * symmetry, energy bookkeeping, weights); the loaders for broken input with located
 * messages; and the bundled dataset's sites for annual capacity factors inside the published
 * ranges of docs/resource.md, and for agreement with the committed capacity_factor.csv. */
#include "../test_util.h"

#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/util.h"
#include "data/csv.h"
#include "data/resource.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* ---- geometry ---- */

static void test_klein_days(void **state)
{
    (void)state;
    assert_int_equal(lm_solar_klein_day(1), 17);
    assert_int_equal(lm_solar_klein_day(6), 162);  /* 11 June */
    assert_int_equal(lm_solar_klein_day(12), 344); /* 10 December */
    assert_int_equal(lm_solar_klein_day(0), 0);
    assert_int_equal(lm_solar_klein_day(13), 0);
}

static void test_declination_equinox_and_solstices(void **state)
{
    (void)state;
    /* Spencer's series by hand: n = 172, Gamma = 2 pi 171/365 = 2.943631 rad,
     * delta = 0.409317 rad = 23.4520 deg; the almanac gives 23.44 deg at the June solstice. */
    assert_rel(lm_solar_declination(172) / DEG, 23.45205, 1e-5);
    assert_true(fabs(lm_solar_declination(172) / DEG - 23.44) < 0.05);
    /* 21 December (n = 355): -23.4199 deg by the series, -23.44 deg in the almanac */
    assert_rel(lm_solar_declination(355) / DEG, -23.41989, 1e-5);
    assert_true(fabs(lm_solar_declination(355) / DEG + 23.44) < 0.05);
    /* equinoxes: 21 March (n = 80) and 23 September (n = 266) are within 0.4 deg of 0 */
    assert_rel(lm_solar_declination(80) / DEG, -0.065924, 1e-4);
    assert_true(fabs(lm_solar_declination(80) / DEG) < 0.4);
    assert_true(fabs(lm_solar_declination(266) / DEG) < 0.4);
}

static void test_sunset_hour_angle(void **state)
{
    (void)state;
    /* declination 0: the sun sets at omega = 90 deg at every latitude (12-hour day) */
    assert_rel(lm_solar_sunset_hour_angle(45 * DEG, 0.0), PI / 2, 1e-12);
    assert_rel(lm_solar_sunset_hour_angle(-30 * DEG, 0.0), PI / 2, 1e-12);
    /* 45 N at the June solstice: acos(-tan 45 tan 23.44) = acos(-0.433503) = 115.6942 deg */
    assert_rel(lm_solar_sunset_hour_angle(45 * DEG, 23.44 * DEG) / DEG, 115.69419, 1e-6);
    /* the same latitude in December: 180 - 115.6942 = 64.3058 deg */
    assert_rel(lm_solar_sunset_hour_angle(45 * DEG, -23.44 * DEG) / DEG, 64.30581, 1e-6);
    /* polar day and polar night */
    assert_rel(lm_solar_sunset_hour_angle(80 * DEG, 23 * DEG), PI, 1e-12);
    assert_rel(lm_solar_sunset_hour_angle(80 * DEG, -23 * DEG), 0.0, 1e-12);
}

static void test_extraterrestrial_eccentricity(void **state)
{
    (void)state;
    /* perihelion (3 January) and aphelion (4 July, n = 185): Spencer's E0 = 1.035077 and
     * 0.966589, so Gon = 1367 E0 = 1414.95 and 1321.33 W/m2 */
    double jan = lm_solar_extraterrestrial_normal(3), jul = lm_solar_extraterrestrial_normal(185);
    assert_rel(jan, 1414.951, 1e-5);
    assert_rel(jul, 1321.328, 1e-5);
    /* the orbit: (1.0167/0.9833)^2 = 1.0691 between aphelion and perihelion distances */
    assert_true(fabs(jan / jul - 1.0691) < 0.003);
    assert_true(jan > LM_SOLAR_CONSTANT_W_M2 && jul < LM_SOLAR_CONSTANT_W_M2);
}

static void test_equation_of_time(void **state)
{
    (void)state;
    /* almanac extremes: about -14.2 min around 11 February (n = 42) and +16.4 min around
     * 3 November (n = 307) */
    assert_true(fabs(lm_solar_equation_of_time_min(42) + 14.2) < 0.5);
    assert_true(fabs(lm_solar_equation_of_time_min(307) - 16.4) < 0.5);
}

static void test_daily_extraterrestrial(void **state)
{
    (void)state;
    /* equator, declination ~0: H0 = 24 x 3600 / pi x 1367 x E0 x cos(delta) (ws = 90 deg);
     * with n = 80: E0 = 1.007900, delta = -0.065924 deg -> 37.8922 MJ/m2 */
    double e0 = lm_solar_eccentricity(80), dec = lm_solar_declination(80);
    double expect = 24.0 * 3600.0 / PI * 1367.0 * e0 * cos(dec) / 1e6;
    assert_rel(lm_solar_daily_extraterrestrial(0.0, 80), expect, 1e-9);
    assert_rel(expect, 37.8922, 1e-4);
    /* polar night */
    assert_rel(lm_solar_daily_extraterrestrial(85 * DEG, 355), 0.0, 1e-12);
}

static void test_solar_noon_symmetry(void **state)
{
    (void)state;
    lm_sun_pos noon, am, pm;
    int doy = 105;
    double lat = 15.0, dec = lm_solar_declination(doy);
    lm_solar_position_solar_time(lat, doy, 12.0, &noon);
    /* at solar noon the zenith angle is |lat - delta| and the sun is due south (azimuth 0) */
    assert_rel(noon.zenith, fabs(lat * DEG - dec), 1e-9);
    assert_rel(noon.azimuth, 0.0, 1e-12);
    for (double x = 0.5; x < 6.0; x += 1.25) {
        lm_solar_position_solar_time(lat, doy, 12.0 - x, &am);
        lm_solar_position_solar_time(lat, doy, 12.0 + x, &pm);
        assert_rel(am.cos_zenith, pm.cos_zenith, 1e-12);
        assert_rel(am.azimuth, -pm.azimuth, 1e-12);
        assert_true(am.azimuth < 0 && pm.azimuth > 0); /* east in the morning */
        assert_true(am.cos_zenith < noon.cos_zenith);
    }
    /* 6 h from noon at the equinox-like declination the sun is near the horizon */
    lm_solar_position_solar_time(0.0, 80, 6.0, &am);
    assert_true(fabs(am.cos_zenith) < 0.01);
}

static void test_clock_to_solar_time(void **state)
{
    (void)state;
    lm_sun_pos p;
    /* on its clock's standard meridian (105 E for UTC+7) solar time = clock + EoT */
    lm_solar_position(10.0, 105.0, 7.0, 42, 12.0, &p);
    assert_rel(p.solar_time_h, 12.0 + lm_solar_equation_of_time_min(42) / 60.0, 1e-12);
    /* Mandalay, 96.08 E on UTC+6:30 (meridian 97.5 E): 4 x (96.08 - 97.5) = -5.68 min */
    lm_solar_position(21.98, 96.08, 6.5, 162, 12.0, &p);
    assert_rel(p.solar_time_h, 12.0 + (-5.68 + lm_solar_equation_of_time_min(162)) / 60.0, 1e-9);
    /* Kunming, 102.68 E on UTC+8 (meridian 120 E): 69.3 min behind the clock */
    lm_solar_position(25.02, 102.68, 8.0, 105, 13.0, &p);
    assert_rel(p.solar_time_h, 13.0 + (-69.28 + lm_solar_equation_of_time_min(105)) / 60.0, 1e-9);
}

/* ---- irradiance ---- */

static void test_haurwitz_by_hand(void **state)
{
    (void)state;
    /* z = 60 deg: 1098 x 0.5 x exp(-0.057/0.5) = 549 x 0.892258 = 489.8496 W/m2 */
    assert_rel(lm_clearsky_haurwitz(0.5), 489.8496, 1e-6);
    /* overhead: 1098 x exp(-0.057) = 1098 x 0.944594 = 1037.1643 W/m2 */
    assert_rel(lm_clearsky_haurwitz(1.0), 1037.1643, 1e-6);
    assert_rel(lm_clearsky_haurwitz(0.0), 0.0, 1e-12);
    assert_rel(lm_clearsky_haurwitz(-0.3), 0.0, 1e-12);
}

static void test_erbs_by_hand(void **state)
{
    (void)state;
    assert_rel(lm_erbs_diffuse_fraction(0.1), 0.991, 1e-12);
    /* kt = 0.5: 0.9511 - 0.0802 + 4.388/4 - 16.638/8 + 12.336/16 = 0.65915 */
    assert_rel(lm_erbs_diffuse_fraction(0.5), 0.65915, 1e-9);
    assert_rel(lm_erbs_diffuse_fraction(0.9), 0.165, 1e-12);
    /* the pieces meet at kt = 0.22 within 0.001 */
    assert_true(fabs(lm_erbs_diffuse_fraction(0.2200001) - lm_erbs_diffuse_fraction(0.22)) < 1e-3);
}

static void test_poa_south_tilt_equinox_noon(void **state)
{
    (void)state;
    /* lat 15 N, tilt 15 facing south, declination 0, solar noon: the beam is normal to the
     * plane (cos theta = cos(lat - tilt) = 1) */
    double lat = 15 * DEG, tilt = 15 * DEG;
    double ci = lm_solar_cos_incidence(lat, 0.0, 0.0, tilt, 0.0);
    assert_rel(ci, 1.0, 1e-12);
    /* DNI 800, DHI 100, GHI = 800 cos 15 + 100 = 872.741; POA = 800 + 100 (1 + cos 15)/2 +
     * 872.741 x 0.2 x (1 - cos 15)/2 = 800 + 98.2963 + 2.9738 = 901.2701 W/m2 */
    double ghi = 800 * cos(15 * DEG) + 100;
    assert_rel(lm_poa_isotropic(ghi, 100, 800, ci, tilt, 0.2), 901.2701, 1e-6);
    /* the same plane 6 hours later: incidence 90 deg, only diffuse and reflected remain */
    double ci6 = lm_solar_cos_incidence(lat, 0.0, 90 * DEG, tilt, 0.0);
    assert_rel(ci6, 0.0, 1e-12);
    /* horizontal plane: cos theta = cos zenith */
    lm_sun_pos p;
    lm_solar_position_solar_time(15.0, 200, 10.0, &p);
    assert_rel(lm_solar_cos_incidence(lat, lm_solar_declination(200), p.hour_angle, 0, 0),
               p.cos_zenith, 1e-12);
}

static void test_angstrom_prescott_and_pv(void **state)
{
    (void)state;
    assert_rel(lm_angstrom_prescott(30.0, 0.6, 0.25, 0.5), 16.5, 1e-12);
    assert_rel(lm_angstrom_prescott(30.0, 1.7, 0.25, 0.5), 22.5, 1e-12); /* s clamped to 1 */
    lm_pv_params p;
    lm_pv_params_default(&p);
    /* 1000 W/m2 at 25 C air: T_cell = 25 + 25/800 x 1000 = 56.25; 0.86 x (1 - 0.004 x 31.25) */
    assert_rel(lm_pv_output(1000, 25, &p), 0.7525, 1e-12);
    assert_rel(lm_pv_output(0, 25, &p), 0.0, 1e-12);
    p.dc_ac_ratio = 1.5; /* clipped at 1/1.5 of DC capacity */
    assert_rel(lm_pv_output(1000, 25, &p), 1.0 / 1.5, 1e-12);
    lm_diag d;
    lm_diag_init(&d);
    p.losses = 1.5;
    assert_int_equal(lm_pv_params_check(&p, &d), -1);
    expect_msg(&d, "PV parameter losses = 1.5: must be in [0.01, 1]");
    lm_diag_free(&d);
}

/* ---- site profiles ---- */

static lm_solar_site test_site(const char *zone, const char *name, double lat, double lon,
                               double tz)
{
    lm_solar_site s;
    memset(&s, 0, sizeof s);
    s.zone = (char *)zone;
    s.name = (char *)name;
    s.weight = 1;
    s.lat_deg = lat;
    s.lon_deg = lon;
    s.utc_offset_h = tz;
    for (int m = 0; m < 12; m++) {
        s.sunshine_h[m] = 150 + 10 * m;
        s.temp_c[m] = 27;
    }
    return s;
}

static void test_profile_night_and_bounds(void **state)
{
    (void)state;
    lm_solar_site s = test_site("Z", "Bangkok-like", 13.7, 100.5, 7);
    lm_pv_params p;
    lm_pv_params_default(&p);
    lm_solar_profile out;
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_solar_site_profile(&s, &p, &out, &d), 0);
    for (int m = 0; m < 12; m++) {
        /* clock hours 00-05 and 19-24 are dark at 13.7 N on UTC+7 */
        for (int h = 0; h < 5; h++) assert_rel(out.cf[m][h], 0.0, 0);
        for (int h = 19; h < 24; h++) assert_rel(out.cf[m][h], 0.0, 0);
        double peak = 0;
        for (int h = 0; h < 24; h++) {
            assert_true(out.cf[m][h] >= 0 && out.cf[m][h] <= 1);
            if (out.cf[m][h] > peak) peak = out.cf[m][h];
        }
        assert_true(peak > 0.3);
        /* the day's GHI equals the Angstrom-Prescott value (no anchor) */
        int doy = lm_solar_klein_day(m + 1);
        static const int nd[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        double ws = lm_solar_sunset_hour_angle(13.7 * DEG, lm_solar_declination(doy));
        double frac = s.sunshine_h[m] / nd[m] / (24.0 / PI * ws);
        assert_rel(out.ghi_mj_m2_day[m],
                   lm_angstrom_prescott(lm_solar_daily_extraterrestrial(13.7 * DEG, doy), frac,
                                        0.25, 0.5), 1e-12);
    }
    /* solar noon near 12:25 local in April: the profile peaks in clock hour 12-13 */
    int best = 0;
    for (int h = 1; h < 24; h++)
        if (out.cf[3][h] > out.cf[3][best]) best = h;
    assert_int_equal(best, 12);
    assert_int_equal(d.n_errors, 0);
    lm_diag_free(&d);
}

static void test_profile_anchor_scales_year(void **state)
{
    (void)state;
    lm_solar_site s = test_site("Z", "anchored", 20, 100, 7);
    lm_pv_params p;
    lm_pv_params_default(&p);
    lm_solar_profile free_, anchored;
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_solar_site_profile(&s, &p, &free_, &d), 0);
    s.ghi_anchor_kwh_m2_yr = 0.9 * free_.ghi_kwh_m2_yr;
    assert_int_equal(lm_solar_site_profile(&s, &p, &anchored, &d), 0);
    assert_rel(anchored.ghi_kwh_m2_yr, s.ghi_anchor_kwh_m2_yr, 1e-12);
    for (int m = 0; m < 12; m++) {
        assert_rel(anchored.ghi_mj_m2_day[m], 0.9 * free_.ghi_mj_m2_day[m], 1e-12);
        assert_rel(anchored.clearsky_index[m], 0.9 * free_.clearsky_index[m], 1e-12);
    }
    assert_true(anchored.annual_cf < free_.annual_cf);
    lm_diag_free(&d);
}

static void test_zone_weights(void **state)
{
    (void)state;
    lm_solar_site site[3] = {test_site("A", "a1", 12, 104, 7), test_site("A", "a2", 20, 96, 6.5),
                             test_site("B", "b1", 25, 102.7, 8)};
    site[1].weight = 3;
    lm_solar_sites sites = {3, site};
    lm_pv_params p;
    lm_pv_params_default(&p);
    lm_solar_zones *z;
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_solar_zone_profiles(&sites, &p, &z, &d), 0);
    assert_int_equal(z->n_zones, 2);
    assert_string_equal(z->zone[0], "A");
    assert_string_equal(z->zone[1], "B");
    for (int m = 0; m < 12; m++)
        for (int h = 0; h < 24; h++) {
            assert_rel(z->cf[0][m][h], (z->site[0].cf[m][h] + 3 * z->site[1].cf[m][h]) / 4, 1e-12);
            assert_rel(z->cf[1][m][h], z->site[2].cf[m][h], 1e-12);
        }
    assert_rel(z->annual_cf[0], (z->site[0].annual_cf + 3 * z->site[1].annual_cf) / 4, 1e-12);
    lm_solar_zones_free(z);
    lm_diag_free(&d);
}

/* ---- loaders ---- */

static char *write_tmp(const char *text)
{
    char tmpl[] = "/tmp/lmplan-resource-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) fail_msg("mkstemp failed");
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return lm_xstrdup(tmpl);
}

static char *climate_text(const char *site, int skip_month, int dup_month)
{
    char *t = lm_xstrdup("site,month,sunshine_h,temp_mean_c\n");
    for (int m = 1; m <= 12; m++) {
        if (m == skip_month) continue;
        for (int k = 0; k < (m == dup_month ? 2 : 1); k++) {
            char *n = lm_xasprintf("%s%s,%d,200,27\n", t, site, m);
            free(t);
            t = n;
        }
    }
    return t;
}

/* Load the two texts; returns the loader's status and leaves the messages in d. */
static int load_texts(const char *sites, const char *climate, lm_diag *d)
{
    char *fs = write_tmp(sites), *fc = write_tmp(climate);
    lm_solar_sites *s = NULL;
    int rc = lm_solar_sites_load(fs, fc, &s, d);
    if (rc == 0) assert_non_null(s);
    else assert_null(s);
    lm_solar_sites_free(s);
    unlink(fs);
    unlink(fc);
    free(fs);
    free(fc);
    return rc;
}

static void test_load_good_and_defaults(void **state)
{
    (void)state;
    char *fs = write_tmp("zone,lat_deg,lon_deg,utc_offset_h,note\nLaos,17.97,102.6,7,x\n");
    char *clim = climate_text("Laos", 0, 0);
    char *fc = write_tmp(clim);
    lm_solar_sites *s;
    lm_diag d;
    lm_diag_init(&d);
    assert_int_equal(lm_solar_sites_load(fs, fc, &s, &d), 0);
    assert_int_equal(s->n, 1);
    assert_string_equal(s->site[0].name, "Laos"); /* site defaults to the zone */
    assert_rel(s->site[0].weight, 1.0, 0);
    assert_rel(s->site[0].ghi_anchor_kwh_m2_yr, 0.0, 0);
    assert_rel(s->site[0].sunshine_h[11], 200.0, 0);
    lm_solar_sites_free(s);
    lm_diag_free(&d);
    unlink(fs);
    unlink(fc);
    free(fs);
    free(fc);
    free(clim);
}

static void test_load_errors_located(void **state)
{
    (void)state;
    lm_diag d;
    lm_diag_init(&d);
    char *clim = climate_text("K", 0, 0);

    assert_int_equal(load_texts("zone,lat_deg,lon_deg\nY,25,102\n", clim, &d), -1);
    expect_msg(&d, ":1:-: missing required column \"utc_offset_h\"");
    lm_diag_clear(&d);

    assert_int_equal(load_texts("zone,site,lat_deg,lon_deg,utc_offset_h,weight\n"
                                "Y,K,95,102,8,1\nY,K2,25,abc,8,0\n", clim, &d), -1);
    expect_msg(&d, ":2:lat_deg: value \"95\": must be in [-66, 66]");
    expect_msg(&d, ":3:lon_deg: value \"abc\": not a finite number");
    expect_msg(&d, ":3:weight: value \"0\": must be in [1e-12, 1e+12]");
    lm_diag_clear(&d);

    assert_int_equal(load_texts("zone,site,lat_deg,lon_deg,utc_offset_h\nY,K,25,102,8\n"
                                "Y,K,24,101,8\n", clim, &d), -1);
    expect_msg(&d, ":3:site: value \"K\": duplicate site");
    lm_diag_clear(&d);

    const char *one = "zone,site,lat_deg,lon_deg,utc_offset_h,ghi_anchor_kwh_m2_yr\n"
                      "Y,K,25,102,8,NA\n";
    char *missing = climate_text("K", 7, 0), *dup = climate_text("K", 0, 3);
    assert_int_equal(load_texts(one, missing, &d), -1);
    expect_msg(&d, "missing row for site \"K\", month 7");
    lm_diag_clear(&d);
    assert_int_equal(load_texts(one, dup, &d), -1);
    expect_msg(&d, ":5:site,month: duplicate row for site \"K\", month 3; first at line 4");
    lm_diag_clear(&d);
    assert_int_equal(load_texts(one, "site,month,sunshine_h,temp_mean_c\nX,1,200,27\n"
                                     "K,13,200,27\nK,1,-5,27\nK,2,200,hot\n", &d), -1);
    expect_msg(&d, ":2:site: value \"X\": unknown site (not in the sites file)");
    expect_msg(&d, ":3:month: value \"13\": must be an integer 1..12");
    expect_msg(&d, ":4:sunshine_h: value \"-5\": must be in [0, 744]");
    expect_msg(&d, ":5:temp_mean_c: value \"hot\": not a finite number");
    lm_diag_clear(&d);

    lm_solar_sites *s;
    assert_int_equal(lm_solar_sites_load("/nonexistent/sites.csv", "/nonexistent/c.csv", &s, &d),
                     -1);
    assert_null(s);
    expect_msg(&d, "/nonexistent/sites.csv: cannot read");
    free(missing);
    free(dup);
    free(clim);
    lm_diag_free(&d);
}

/* ---- the bundled dataset ---- */

/* Published annual capacity factors per unit of DC capacity (docs/resource.md, Validation):
 * Viet Nam: Nhon Hai 35 MWp 59 GWh/yr (19.2 %), BIM/AC Energy 330 MW 545 GWh/yr (18.9 %);
 * Thailand: 35 solar farms 257 MW 345 GWh/yr (15.3 %); Myanmar: Minbu 220 MWdc 350 GWh/yr
 * (18.2 %); China fleet average 1133 h (12.9 %, 2015, with curtailment); Cambodia and Laos:
 * the band of their neighbours. */
static const struct {
    const char *zone;
    double lo, hi;
} published[] = {{"Vietnam", 0.17, 0.20}, {"Thailand", 0.15, 0.18}, {"Myanmar", 0.16, 0.20},
                 {"Cambodia", 0.15, 0.20}, {"Laos", 0.15, 0.20},    {"Yunnan", 0.13, 0.17}};

static void test_bundled_sites_in_published_range(void **state)
{
    (void)state;
    char *sites = lm_xstrdup(source_path("data/lancang-mekong/facts/vre_sites.csv"));
    char *clim = lm_xstrdup(source_path("data/lancang-mekong/facts/solar_cloudiness.csv"));
    lm_solar_sites *s;
    lm_solar_zones *z;
    lm_pv_params p;
    lm_pv_params_default(&p);
    lm_diag d;
    lm_diag_init(&d);
    if (lm_solar_sites_load(sites, clim, &s, &d) != 0) {
        lm_diag_print(&d, stderr);
        fail_msg("bundled solar sites do not load");
    }
    assert_int_equal(lm_solar_zone_profiles(s, &p, &z, &d), 0);
    assert_int_equal(z->n_zones, 6);
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        int k = lm_find_name(z->zone, z->n_zones, published[i].zone);
        assert_true(k >= 0);
        if (z->annual_cf[k] < published[i].lo || z->annual_cf[k] > published[i].hi)
            fail_msg("%s: annual capacity factor %.4f outside the published range [%.2f, %.2f]",
                     published[i].zone, z->annual_cf[k], published[i].lo, published[i].hi);
    }

    /* the committed capacity_factor.csv holds exactly these Solar rows (5 decimals) */
    lm_csv c;
    assert_int_equal(lm_csv_read(source_path("data/lancang-mekong/capacity_factor.csv"), &c, &d), 0);
    int ct = -1, cz = -1, cm = -1, ch = -1, cv = -1, n_solar = 0;
    for (int j = 0; j < c.n_cols; j++) {
        if (!strcmp(c.header[j], "tech")) ct = j;
        if (!strcmp(c.header[j], "zone")) cz = j;
        if (!strcmp(c.header[j], "month")) cm = j;
        if (!strcmp(c.header[j], "hour")) ch = j;
        if (!strcmp(c.header[j], "capacity_factor")) cv = j;
    }
    assert_true(ct >= 0 && cz >= 0 && cm >= 0 && ch >= 0 && cv >= 0);
    for (int r = 0; r < c.n_rows; r++) {
        if (strcmp(lm_csv_cell(&c, r, ct), "Solar")) continue;
        int k = lm_find_name(z->zone, z->n_zones, lm_csv_cell(&c, r, cz));
        int m = atoi(lm_csv_cell(&c, r, cm)), h = atoi(lm_csv_cell(&c, r, ch));
        assert_true(k >= 0 && m >= 1 && m <= 12 && h >= 1 && h <= 24);
        double v = atof(lm_csv_cell(&c, r, cv));
        if (fabs(v - z->cf[k][m - 1][h - 1]) > 6e-6)
            fail_msg("capacity_factor.csv line %ld: Solar %s m%d h%d = %g, module gives %.6f; "
                     "regenerate with tools/build_tables.py", c.line[r], z->zone[k], m, h, v,
                     z->cf[k][m - 1][h - 1]);
        n_solar++;
    }
    assert_int_equal(n_solar, 6 * 12 * 24);
    lm_csv_free(&c);
    lm_solar_zones_free(z);
    lm_solar_sites_free(s);
    lm_diag_free(&d);
    free(sites);
    free(clim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_klein_days),
        cmocka_unit_test(test_declination_equinox_and_solstices),
        cmocka_unit_test(test_sunset_hour_angle),
        cmocka_unit_test(test_extraterrestrial_eccentricity),
        cmocka_unit_test(test_equation_of_time),
        cmocka_unit_test(test_daily_extraterrestrial),
        cmocka_unit_test(test_solar_noon_symmetry),
        cmocka_unit_test(test_clock_to_solar_time),
        cmocka_unit_test(test_haurwitz_by_hand),
        cmocka_unit_test(test_erbs_by_hand),
        cmocka_unit_test(test_poa_south_tilt_equinox_noon),
        cmocka_unit_test(test_angstrom_prescott_and_pv),
        cmocka_unit_test(test_profile_night_and_bounds),
        cmocka_unit_test(test_profile_anchor_scales_year),
        cmocka_unit_test(test_zone_weights),
        cmocka_unit_test(test_load_good_and_defaults),
        cmocka_unit_test(test_load_errors_located),
        cmocka_unit_test(test_bundled_sites_in_published_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
