/* cmd_sediment.c - `lmplan sediment PLAN`: the sediment delivered through the river network
 * for a dam portfolio, evaluated directly with the static routing of spec 4.9 (C40-C41;
 * lm_sediment_evaluate), no optimisation.  The portfolio is the plan's (dams.build), the
 * candidates given with --build, or the first N of a dam sequence such as the published
 * one of Xu et al. (2025) (spec 7.2, V1).  Prints the flux at the target reach next to the
 * fluxes without new dams and with every candidate, the candidates built and the reaches
 * that trap most; --csv writes the per-reach table of the model's `sediment` results. */
#include "cli/cli.h"
#include "core/util.h"
#include "model/model.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lmplan sediment PLAN [--build ID,ID,...] [--sequence FILE [--first N]]\n"
            "                            [--reach ID] [--csv FILE]\n"
            "\n"
            "Evaluate, without optimisation, the sediment delivered through the river network for a\n"
            "dam portfolio (static routing of docs/model.md, section sediment): each reach receives\n"
            "its own yield plus what leaves the reaches upstream and passes on a share of it, set by\n"
            "its deposition fraction or, where a dam is in place, its trap efficiency.\n"
            "\n"
            "The portfolio is the existing dams plus\n"
            "  (default)          the plan's dams.build (candidates in dams.decide count as not built);\n"
            "  --build ID,...     these candidate station ids instead;\n"
            "  --sequence FILE    the first N station ids of FILE (all without --first): one id per\n"
            "                     line, or a CSV file with a header and a station id column\n"
            "                     (station_id, station, stcd or id); lines starting with # are skipped.\n"
            "--build and --sequence together build the union.\n"
            "\n"
            "  --reach ID         reach to report (default: the plan's sediment.reach, else the reach\n"
            "                     flowing to the basin outlet)\n"
            "  --csv FILE         write the per-reach table (reach_id, yield_mt, deposition_fraction,\n"
            "                     trap_efficiency, in_place, accumulated_mt, delivered_mt, deposited_mt)\n"
            "\n"
            "Prints the flux delivered at the reach, the fluxes with no new dam and with every\n"
            "candidate for comparison, the plan's floor (sediment.min_delivery_mt) if any, the\n"
            "candidates built and the reaches with the largest deposition.\n"
            "Example (Xu et al. 2025, the 27-dam low-impact portfolio):\n"
            "  lmplan sediment plans/xu2025/ghg1-free-sediment50.yaml \\\n"
            "      --sequence plans/xu2025/dam-sequence-ghg1-limit6.csv --first 27\n");
}

static int find_reach(const lm_dataset *ds, long id)
{
    for (int r = 0; r < ds->n_reaches; r++)
        if (ds->reach_id[r] == id) return r;
    return -1;
}

/* Marks station `id` as built; `what` names the argument in messages. */
static int add_candidate(const lm_dataset *ds, long id, const char *what, double *ip)
{
    int s = lm_dataset_station(ds, id);
    if (s < 0) {
        fprintf(stderr, "lmplan sediment: %s: station %ld is not a hydropower station of dataset %s\n",
                what, id, ds->name);
        return -1;
    }
    if (ds->stations[s].is_existing) {
        fprintf(stderr, "lmplan sediment: %s: station %ld (%s) is already in service (commissioned %d), "
                "not a candidate\n", what, id, ds->stations[s].name, ds->stations[s].commissioning_year);
        return -1;
    }
    ip[s] = 1;
    return 0;
}

static int parse_id(const char *s, long *out)
{
    while (isspace((unsigned char)*s) || *s == '"') s++;
    char buf[32];
    size_t n = 0;
    while (*s && *s != '"' && !isspace((unsigned char)*s) && n + 1 < sizeof buf) buf[n++] = *s++;
    buf[n] = 0;
    while (isspace((unsigned char)*s) || *s == '"') s++;
    return n == 0 || *s || lm_parse_int(buf, out) != 0 || *out <= 0 ? -1 : 0;
}

static int build_list(const lm_dataset *ds, const char *list, double *ip)
{
    char *copy = lm_xstrdup(list);
    int bad = 0, n = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long id;
        if (parse_id(tok, &id) != 0) {
            fprintf(stderr, "lmplan sediment: --build: \"%s\" is not a station id\n", tok);
            bad = 1;
        } else if (add_candidate(ds, id, "--build", ip) != 0) {
            bad = 1;
        }
        n++;
    }
    if (n == 0) {
        fprintf(stderr, "lmplan sediment: --build: no station ids in \"%s\"\n", list);
        bad = 1;
    }
    free(copy);
    return bad ? -1 : 0;
}

/* Split a line in place on commas; returns the number of fields (at most max). */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',') {
            *p = 0;
            fields[n++] = p + 1;
        }
    return n;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    size_t i = 0;
    while (isspace((unsigned char)s[i]) || s[i] == '"') i++;
    memmove(s, s + i, strlen(s + i) + 1);
    n = strlen(s);
    if (n > 0 && s[n - 1] == '"') s[n - 1] = 0;
}

static int is_id_column(const char *name)
{
    for (const char *p = name; *p; p++)
        if (!strncasecmp(p, "station", 7)) return 1;
    return !strcasecmp(name, "stcd") || !strcasecmp(name, "id");
}

/* Station ids of a sequence file, in order; *n_out ids, *lines_out their lines. */
static long *read_sequence(const char *path, int *n_out, long **lines_out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "lmplan sediment: --sequence %s: %s\n", path, strerror(errno));
        return NULL;
    }
    long *ids = NULL, *lines = NULL;
    int n = 0, cap = 0, col = -1, header_done = 0, bad = 0;
    char line[4096];
    long ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        char *fields[64];
        trim(line);
        if (!line[0] || line[0] == '#') continue;
        int nf = split(line, fields, 64);
        for (int i = 0; i < nf; i++) trim(fields[i]);
        long id;
        if (!header_done) {
            header_done = 1;
            if (nf == 1 && parse_id(fields[0], &id) == 0) {
                col = 0; /* a plain list: this line is the first id */
            } else {
                for (int i = 0; i < nf && col < 0; i++)
                    if (is_id_column(fields[i])) col = i;
                if (col < 0 && nf == 1) col = 0;
                if (col < 0) {
                    fprintf(stderr, "lmplan sediment: --sequence %s:%ld: no station id column in the "
                            "header (name it station_id)\n", path, ln);
                    bad = 1;
                    break;
                }
                continue;
            }
        }
        if (col >= nf || parse_id(fields[col], &id) != 0) {
            fprintf(stderr, "lmplan sediment: --sequence %s:%ld: \"%s\" is not a station id\n", path, ln,
                    col < nf ? fields[col] : "");
            bad = 1;
            continue;
        }
        for (int i = 0; i < n; i++)
            if (ids[i] == id) {
                fprintf(stderr, "lmplan sediment: --sequence %s:%ld: station %ld listed twice (first at "
                        "line %ld)\n", path, ln, id, lines[i]);
                bad = 1;
            }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            ids = lm_xrealloc(ids, (size_t)cap * sizeof *ids);
            lines = lm_xrealloc(lines, (size_t)cap * sizeof *lines);
        }
        ids[n] = id;
        lines[n++] = ln;
    }
    fclose(f);
    if (bad) {
        free(ids);
        free(lines);
        return NULL;
    }
    if (n == 0) {
        free(ids);
        free(lines);
        fprintf(stderr, "lmplan sediment: --sequence %s: no station ids\n", path);
        return NULL;
    }
    *n_out = n;
    *lines_out = lines;
    return ids;
}

static int sequence_first(const lm_dataset *ds, const char *path, long first, double *ip, int *used)
{
    int n = 0;
    long *lines = NULL;
    long *ids = read_sequence(path, &n, &lines);
    if (!ids) return -1;
    if (first < 0) first = n;
    if (first > n) {
        fprintf(stderr, "lmplan sediment: --first: %ld is more than the %d station ids in %s\n", first, n, path);
        free(ids);
        free(lines);
        return -1;
    }
    int bad = 0;
    for (long i = 0; i < first; i++) {
        char what[1200];
        snprintf(what, sizeof what, "--sequence %s:%ld", path, lines[i]);
        if (add_candidate(ds, ids[i], what, ip) != 0) bad = 1;
    }
    *used = (int)first;
    free(ids);
    free(lines);
    return bad ? -1 : 0;
}

static double flux_at(const lm_dataset *ds, const double *ip, int target)
{
    double *out = lm_xmalloc((size_t)ds->n_reaches * sizeof(double));
    lm_sediment_evaluate(ds, ip, NULL, out);
    double v = out[target];
    free(out);
    return v;
}

static void put_number(FILE *f, double v)
{
    if (!isnan(v)) fprintf(f, "%.17g", v);
}

static int write_csv(const char *path, const lm_dataset *ds, const double *ip, const double *acc,
                     const double *out)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "lmplan sediment: --csv %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "reach_id,yield_mt,deposition_fraction,trap_efficiency,in_place,accumulated_mt,"
               "delivered_mt,deposited_mt\n");
    for (int r = 0; r < ds->n_reaches; r++) {
        double in_place = NAN;
        if (isfinite(ds->reach_trap_efficiency[r])) {
            int s = lm_dataset_station(ds, ds->reach_id[r]);
            in_place = s >= 0 && ds->stations[s].reach == r ? ip[s] : 1;
        }
        double v[7] = {ds->reach_yield_mt_per_yr[r], ds->reach_deposition_fraction[r],
                       ds->reach_trap_efficiency[r], in_place, acc[r], out[r], acc[r] - out[r]};
        fprintf(f, "%ld", ds->reach_id[r]);
        for (int j = 0; j < 7; j++) {
            putc(',', f);
            put_number(f, v[j]);
        }
        putc('\n', f);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "lmplan sediment: --csv %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

typedef struct reach_deposit {
    int reach;
    double mt;
} reach_deposit;

static int by_deposit_desc(const void *a, const void *b)
{
    double x = ((const reach_deposit *)a)->mt, y = ((const reach_deposit *)b)->mt;
    return (x < y) - (x > y);
}

static void print_report(const lm_dataset *ds, const lm_plan *plan, const char *portfolio_text,
                         const double *ip, int target, const char *reach_from, int n_decided,
                         int floor_applies)
{
    int R = ds->n_reaches, S = ds->n_stations;
    double *acc = lm_xmalloc((size_t)R * sizeof(double)), *out = lm_xmalloc((size_t)R * sizeof(double));
    lm_sediment_evaluate(ds, ip, acc, out);
    double *base = lm_xcalloc((size_t)(S ? S : 1), sizeof(double));
    int n_cand = 0, n_built = 0;
    for (int s = 0; s < S; s++) {
        base[s] = ds->stations[s].is_existing;
        n_cand += !ds->stations[s].is_existing;
        n_built += !ds->stations[s].is_existing && ip[s] > 0;
    }
    double existing = flux_at(ds, base, target);
    for (int s = 0; s < S; s++) base[s] = 1;
    double all = flux_at(ds, base, target);
    for (int s = 0; s < S; s++) base[s] = 0;
    double natural = flux_at(ds, base, target);
    free(base);

    printf("plan         %s (dataset %s)\n", plan->name, ds->name);
    printf("portfolio    existing dams + %s\n", portfolio_text);
    if (n_decided > 0)
        printf("             (the plan leaves %d candidates to the optimiser: counted as not built)\n", n_decided);
    printf("reach        %ld (%s)\n", ds->reach_id[target], reach_from);
    printf("delivered    %.4f Mt/yr  (%.1f %% of the flux with no new dam)\n", out[target],
           existing > 0 ? 100 * out[target] / existing : NAN);
    printf("  no new dam            %.4f Mt/yr\n", existing);
    printf("  all %2d candidates     %.4f Mt/yr\n", n_cand, all);
    printf("  no dam at all         %.4f Mt/yr\n", natural);
    if (plan->sediment_min_mt > 0 && floor_applies)
        printf("floor        %g Mt/yr (sediment.min_delivery_mt): %s\n", plan->sediment_min_mt,
               out[target] >= plan->sediment_min_mt ? "met" : "NOT met");
    printf("built        %d of %d candidates%s", n_built, n_cand, n_built ? ":" : "\n");
    for (int s = 0, k = 0; s < S; s++) {
        if (ds->stations[s].is_existing || ip[s] <= 0) continue;
        printf("%s%ld %s%s", k % 4 == 0 ? "\n  " : ", ", ds->stations[s].id, ds->stations[s].name,
               ds->stations[s].reach < 0 ? " (off the sediment network)" : "");
        k++;
    }
    if (n_built) printf("\n");

    reach_deposit *order = lm_xmalloc((size_t)R * sizeof *order);
    for (int r = 0; r < R; r++) order[r] = (reach_deposit){r, acc[r] - out[r]};
    qsort(order, (size_t)R, sizeof *order, by_deposit_desc);
    printf("\nlargest deposition (Mt/yr)\n  %-8s %-32s %11s %10s %10s %6s\n", "reach", "dam", "accumulated",
           "delivered", "deposited", "trap");
    for (int i = 0; i < R && i < 10; i++) {
        int r = order[i].reach;
        double deposited = order[i].mt;
        int s = lm_dataset_station(ds, ds->reach_id[r]);
        int dam = isfinite(ds->reach_trap_efficiency[r]) && (s < 0 || ip[s] > 0);
        const char *name = dam ? (s >= 0 ? ds->stations[s].name : "(dam)") : "-";
        printf("  %-8ld %-32.32s %11.4f %10.4f %10.4f %6.3f\n", ds->reach_id[r], name, acc[r], out[r],
               deposited, acc[r] > 0 ? deposited / acc[r] : 0);
    }
    free(order);
    free(out);
    free(acc);
}

int cmd_sediment(int argc, char **argv)
{
    const char *plan_path = NULL, *build = NULL, *sequence = NULL, *csv = NULL;
    long first = -1, reach_id = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) continue;
        if (!strcmp(a, "--build") && has) build = argv[++i];
        else if (!strcmp(a, "--sequence") && has) sequence = argv[++i];
        else if (!strcmp(a, "--csv") && has) csv = argv[++i];
        else if ((!strcmp(a, "--first") || !strcmp(a, "--reach")) && has) {
            int is_first = !strcmp(a, "--first");
            long v;
            const char *val = argv[++i];
            if (lm_parse_int(val, &v) != 0 || v < (is_first ? 0 : 1)) {
                fprintf(stderr, "lmplan sediment: %s: \"%s\" is not a %s\n", a, val,
                        is_first ? "count >= 0" : "reach id");
                return LM_EXIT_USAGE;
            }
            if (is_first) first = v;
            else reach_id = v;
        } else if (a[0] != '-' && !plan_path) plan_path = a;
        else {
            int known = !strcmp(a, "--build") || !strcmp(a, "--sequence") || !strcmp(a, "--csv") ||
                        !strcmp(a, "--first") || !strcmp(a, "--reach");
            fprintf(stderr, "lmplan sediment: %s \"%s\"\n", known ? "missing value after" : "unexpected argument", a);
            usage(stderr);
            return LM_EXIT_USAGE;
        }
    }
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return LM_EXIT_OK;
    }
    if (!plan_path) {
        usage(stderr);
        return LM_EXIT_USAGE;
    }
    if (first >= 0 && !sequence) {
        fprintf(stderr, "lmplan sediment: --first needs --sequence FILE\n");
        return LM_EXIT_USAGE;
    }
    lm_plan *plan;
    lm_dataset *ds;
    if (cli_load_plan(plan_path, &plan, &ds, NULL) != 0) return LM_EXIT_INPUT;
    int rc = LM_EXIT_INPUT;
    int S = ds->n_stations;
    double *ip = lm_xcalloc((size_t)(S ? S : 1), sizeof(double));
    int *state = lm_xcalloc((size_t)(S ? S : 1), sizeof(int));
    char portfolio_text[1400];
    const char *reach_from;
    int target = -1, n_decided = 0;
    if (ds->n_reaches == 0) {
        fprintf(stderr, "lmplan sediment: dataset %s has no sediment network (table river_sediment)\n", ds->name);
        goto done;
    }
    for (int s = 0; s < S; s++) ip[s] = ds->stations[s].is_existing;
    if (build || sequence) {
        int bad = build && build_list(ds, build, ip) != 0;
        int used = 0;
        if (sequence && sequence_first(ds, sequence, first, ip, &used) != 0) bad = 1;
        if (bad) goto done;
        int n = 0;
        for (int s = 0; s < S; s++) n += !ds->stations[s].is_existing && ip[s] > 0;
        if (sequence)
            snprintf(portfolio_text, sizeof portfolio_text, "%sthe first %d of %s (%d candidate%s)",
                     build ? "--build and " : "", used, sequence, n, n == 1 ? "" : "s");
        else
            snprintf(portfolio_text, sizeof portfolio_text, "--build (%d candidate%s)", n, n == 1 ? "" : "s");
    } else {
        lm_diag d;
        lm_diag_init(&d);
        int bad = lm_dams_resolve(ds, plan, state, &d);
        lm_diag_print(&d, stderr);
        lm_diag_free(&d);
        if (bad) goto done;
        for (int s = 0; s < S; s++) {
            if (state[s] == LM_DAM_BUILT) ip[s] = 1;
            n_decided += state[s] == LM_DAM_DECIDE;
        }
        snprintf(portfolio_text, sizeof portfolio_text, "the plan's dams.build (%d candidate%s)",
                 plan->n_dams_build, plan->n_dams_build == 1 ? "" : "s");
    }
    if (reach_id > 0 || plan->sediment_reach > 0) {
        long id = reach_id > 0 ? reach_id : plan->sediment_reach;
        reach_from = reach_id > 0 ? "--reach" : "the plan's sediment.reach";
        target = find_reach(ds, id);
        if (target < 0) {
            fprintf(stderr, "lmplan sediment: %s: %ld is not a reach of dataset %s\n",
                    reach_id > 0 ? "--reach" : "sediment.reach", id, ds->name);
            goto done;
        }
    } else {
        reach_from = "the reach flowing to the outlet";
        int n = 0;
        for (int r = 0; r < ds->n_reaches; r++)
            if (ds->reach_down[r] < 0) {
                target = r;
                n++;
            }
        if (n != 1) {
            fprintf(stderr, "lmplan sediment: dataset %s has %d reaches flowing to the outlet; name one "
                    "with --reach\n", ds->name, n);
            goto done;
        }
    }
    /* the plan's floor is reported only at the reach it applies to */
    int floor_applies = plan->sediment_reach > 0 ? ds->reach_id[target] == plan->sediment_reach
                                                 : ds->reach_down[target] < 0;
    print_report(ds, plan, portfolio_text, ip, target, reach_from, n_decided, floor_applies);
    rc = LM_EXIT_OK;
    if (csv) {
        double *acc = lm_xmalloc((size_t)ds->n_reaches * sizeof(double));
        double *out = lm_xmalloc((size_t)ds->n_reaches * sizeof(double));
        lm_sediment_evaluate(ds, ip, acc, out);
        if (write_csv(csv, ds, ip, acc, out) != 0) rc = LM_EXIT_INPUT;
        else fprintf(stderr, "lmplan: wrote %s\n", csv);
        free(out);
        free(acc);
    }
done:
    free(state);
    free(ip);
    lm_dataset_free(ds);
    lm_plan_free(plan);
    return rc;
}
