/* cmd_resource.c - `lmplan resource solar`: compute hourly PV capacity factors for one
 * representative day per month and zone from representative sites and their monthly sunshine
 * and temperature climatology (src/data/resource.c, docs/resource.md), and write them as rows
 * of the capacity_factor table. */
#include "cli/cli.h"
#include "core/util.h"
#include "data/resource.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lmplan resource solar --sites FILE --climate FILE -o FILE [options]\n"
            "\n"
            "Hourly solar PV capacity factors (12 representative days x 24 h per zone) from solar\n"
            "geometry at representative sites, a Haurwitz clear sky scaled to the monthly mean\n"
            "irradiation given by the sites' sunshine hours (Angstrom-Prescott), an Erbs diffuse\n"
            "split, an isotropic-sky fixed tilt facing the equator and a NOCT temperature model.\n"
            "Capacity factors are per unit of DC (peak) capacity.  See docs/resource.md.\n"
            "\n"
            "  --sites FILE       CSV: zone, lat_deg, lon_deg, utc_offset_h [, site, weight,\n"
            "                     ghi_anchor_kwh_m2_yr]; several sites of a zone are averaged by weight\n"
            "  --climate FILE     CSV: site, month, sunshine_h, temp_mean_c (12 months per site)\n"
            "  -o FILE            output: tech,zone,month,hour,capacity_factor\n"
            "  --summary FILE     also write annual GHI, plane-of-array irradiation and capacity\n"
            "                     factor per site and zone\n"
            "  --tech NAME        technology name in the output (default Solar)\n"
            "  --tilt DEG         panel tilt (default: the site's latitude)\n"
            "  --losses F         system loss factor (default 0.86)\n"
            "  --gamma F          power temperature coefficient per K (default -0.004)\n"
            "  --noct C           nominal operating cell temperature (default 45)\n"
            "  --dc-ac R          DC/AC ratio; AC output is clipped at 1/R of DC capacity (default 1.2)\n"
            "  --albedo F         ground reflectance (default 0.2)\n"
            "  --angstrom A,B     Angstrom-Prescott coefficients (default 0.25,0.50, FAO-56)\n");
}

/* Parse the value of option argv[i] as a number; 0 on success. */
static int opt_num(const char *opt, const char *v, double *out)
{
    if (lm_parse_double(v, out, 0) == 0) return 0;
    fprintf(stderr, "lmplan resource: %s needs a number, got \"%s\"\n", opt, v);
    return -1;
}

int cmd_resource(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? LM_EXIT_USAGE : LM_EXIT_OK;
    }
    if (strcmp(argv[1], "solar")) {
        fprintf(stderr, "lmplan resource: unknown resource \"%s\" (known: solar)\n\n", argv[1]);
        usage(stderr);
        return LM_EXIT_USAGE;
    }
    if (cli_wants_help(argc - 1, argv + 1)) {
        usage(stdout);
        return LM_EXIT_OK;
    }
    const char *sites = NULL, *climate = NULL, *out = NULL, *summary = NULL, *tech = "Solar";
    lm_pv_params p;
    lm_pv_params_default(&p);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v) {
            fprintf(stderr, "lmplan resource: unexpected argument \"%s\"\n", a);
            return LM_EXIT_USAGE;
        }
        if (!strcmp(a, "--sites")) sites = v;
        else if (!strcmp(a, "--climate")) climate = v;
        else if (!strcmp(a, "-o")) out = v;
        else if (!strcmp(a, "--summary")) summary = v;
        else if (!strcmp(a, "--tech")) tech = v;
        else if (!strcmp(a, "--tilt")) bad = opt_num(a, v, &p.tilt_deg);
        else if (!strcmp(a, "--losses")) bad = opt_num(a, v, &p.losses);
        else if (!strcmp(a, "--gamma")) bad = opt_num(a, v, &p.gamma_per_k);
        else if (!strcmp(a, "--noct")) bad = opt_num(a, v, &p.noct_c);
        else if (!strcmp(a, "--dc-ac")) bad = opt_num(a, v, &p.dc_ac_ratio);
        else if (!strcmp(a, "--albedo")) bad = opt_num(a, v, &p.albedo);
        else if (!strcmp(a, "--angstrom")) {
            char *comma = strchr(v, ',');
            char *first = lm_xstrdup(v);
            if (comma) first[comma - v] = '\0';
            bad = !comma || opt_num(a, first, &p.angstrom_a) || opt_num(a, comma + 1, &p.angstrom_b);
            if (!comma) fprintf(stderr, "lmplan resource: --angstrom needs A,B\n");
            free(first);
        } else {
            fprintf(stderr, "lmplan resource: unexpected argument \"%s\"\n", a);
            return LM_EXIT_USAGE;
        }
        if (bad) return LM_EXIT_USAGE;
        i++;
    }
    if (!sites || !climate || !out) {
        fprintf(stderr, "lmplan resource solar: --sites, --climate and -o are required\n\n");
        usage(stderr);
        return LM_EXIT_USAGE;
    }

    lm_diag d;
    lm_diag_init(&d);
    lm_solar_sites *s = NULL;
    lm_solar_zones *z = NULL;
    int rc = LM_EXIT_OK;
    if (lm_pv_params_check(&p, &d) != 0 || lm_solar_sites_load(sites, climate, &s, &d) != 0 ||
        lm_solar_zone_profiles(s, &p, &z, &d) != 0 ||
        lm_solar_write_capacity_factor(z, tech, out, &d) != 0 ||
        (summary && lm_solar_write_summary(s, z, summary, &d) != 0)) {
        rc = LM_EXIT_INPUT;
    } else {
        for (int i = 0; i < s->n; i++)
            cli_status("site %-22s %-9s GHI %6.0f kWh/m2/yr, POA %6.0f kWh/m2/yr, CF %.3f",
                       s->site[i].name, s->site[i].zone, z->site[i].ghi_kwh_m2_yr,
                       z->site[i].poa_kwh_m2_yr, z->site[i].annual_cf);
        for (int k = 0; k < z->n_zones; k++)
            cli_status("zone %-9s annual capacity factor %.3f", z->zone[k], z->annual_cf[k]);
        cli_status("wrote %s (%d rows)", out, z->n_zones * LM_RES_MONTHS * LM_RES_HOURS);
    }
    lm_diag_print(&d, stderr);
    if (rc != LM_EXIT_OK) fprintf(stderr, "lmplan resource: %d error(s)\n", d.n_errors);
    lm_solar_zones_free(z);
    lm_solar_sites_free(s);
    lm_diag_free(&d);
    return rc;
}
