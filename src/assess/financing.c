/* financing.c - the financing-sources table and the least-cost financing mix (an LP on CLP).
 * See financing.h for the model and docs/assessment.md ("Financing mix") for the table. */
#include "assess/financing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/csv.h"
#include "solver/lp.h"
#include "solver/solve.h"

enum {
    COL_ID, COL_NAME, COL_CATEGORY, COL_ZONE, COL_COST, COL_TENOR, COL_SHARE, COL_REQUIRES,
    COL_TECHS, COL_LIMIT, COL_BASIS, COL_SOURCE, COL_URL, COL_CHECKED, COL_N
};
static const char *const COL_NAMES[COL_N] = {
    "source_id", "name", "category", "zone", "cost_of_capital_pct", "tenor_yr",
    "max_share_pct", "requires", "technologies", "annual_limit_musd", "basis", "source",
    "source_url", "checked"};

static const char *const CATEGORY[LM_FINCAT_N] = {"public", "development_bank", "green_bond",
                                                  "private"};

/* Technologies a source may name (the names the assessment gives its projects). */
static const char *const TECHS[] = {"hydropower", "solar", "wind", "storage", "transmission",
                                    "coal", "gas", "oil", "bioenergy"};
#define N_TECHS ((int)(sizeof TECHS / sizeof TECHS[0]))

const char *lm_fin_category_name(int c)
{
    return c >= 0 && c < LM_FINCAT_N ? CATEGORY[c] : "?";
}

static int valid_id(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static int parse_requires(const char *s)
{
    if (!strcmp(s, "none")) return LM_FIN_REQ_NONE;
    if (!strcmp(s, "green_any")) return LM_FIN_REQ_GREEN_ANY;
    if (!strncmp(s, "green:", 6)) {
        int t = lm_screen_taxonomy_find(s + 6);
        if (t >= 0) return t;
    }
    return -2;
}

/* Split "a;b;c" into techs; returns -1 (and names the bad one in *bad) on an unknown name. */
static int parse_techs(const char *s, lm_fin_source *src, char *bad, size_t nbad)
{
    src->n_techs = 0;
    if (!strcmp(s, "all")) return 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[32];
        if (len == 0 || len >= sizeof name) {
            snprintf(bad, nbad, "%.*s", (int)(len < 31 ? len : 31), p);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = 0;
        int k = lm_find_name((char *const *)TECHS, N_TECHS, name);
        if (k < 0 || src->n_techs >= LM_FIN_MAX_TECHS) {
            snprintf(bad, nbad, "%s", name);
            return -1;
        }
        src->techs[src->n_techs++] = lm_xstrdup(name);
        p = e ? e + 1 : p + len;
    }
    return src->n_techs ? 0 : -1;
}

static void source_free(lm_fin_source *s)
{
    free(s->id); free(s->name); free(s->zone); free(s->basis); free(s->source); free(s->url);
    free(s->checked);
    for (int k = 0; k < s->n_techs; k++) free(s->techs[k]);
}

void lm_fin_sources_free(lm_fin_sources *fs)
{
    if (!fs) return;
    for (int i = 0; i < fs->n; i++) source_free(&fs->s[i]);
    free(fs->s);
    free(fs->file);
    free(fs);
}

int lm_fin_sources_load(const char *path, lm_fin_sources **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    lm_csv csv;
    int col[COL_N];
    if (lm_csv_read_columns(path, COL_NAMES, COL_N, &csv, col, d) != 0) return -1;
    lm_fin_sources *fs = lm_xcalloc(1, sizeof *fs);
    fs->file = lm_xstrdup(path);
    fs->s = lm_xcalloc(csv.n_rows > 0 ? (size_t)csv.n_rows : 1, sizeof *fs->s);
    for (int r = 0; r < csv.n_rows; r++) {
        long line = csv.line[r];
        const char *v[COL_N];
        for (int k = 0; k < COL_N; k++) v[k] = lm_csv_cell(&csv, r, col[k]);
        lm_fin_source s = {0};
        s.line = line;
        int bad = 0;
        if (!valid_id(v[COL_ID])) {
            lm_diag_at(d, path, line, COL_NAMES[COL_ID], v[COL_ID],
                       "must be a non-empty id of a-z, 0-9 and _");
            bad = 1;
        }
        if (!*v[COL_NAME] || !*v[COL_ZONE] || !*v[COL_SOURCE]) {
            int k = !*v[COL_NAME] ? COL_NAME : !*v[COL_ZONE] ? COL_ZONE : COL_SOURCE;
            lm_diag_at(d, path, line, COL_NAMES[k], v[k], "must not be empty");
            bad = 1;
        }
        s.category = lm_find_name((char *const *)CATEGORY, LM_FINCAT_N, v[COL_CATEGORY]);
        if (s.category < 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_CATEGORY], v[COL_CATEGORY],
                       "unknown category (public, development_bank, green_bond, private)");
            bad = 1;
        }
        if (lm_parse_double(v[COL_COST], &s.cost_pct, 0) != 0 || !(s.cost_pct > -10) ||
            !(s.cost_pct < 50)) {
            lm_diag_at(d, path, line, COL_NAMES[COL_COST], v[COL_COST],
                       "must be a real cost of capital in percent per year, above -10 and "
                       "below 50");
            bad = 1;
        }
        s.tenor_yr = NAN;
        if (*v[COL_TENOR] &&
            (lm_parse_double(v[COL_TENOR], &s.tenor_yr, 0) != 0 || !(s.tenor_yr > 0))) {
            lm_diag_at(d, path, line, COL_NAMES[COL_TENOR], v[COL_TENOR],
                       "must be a tenor in years > 0, or empty");
            bad = 1;
        }
        if (lm_parse_double(v[COL_SHARE], &s.max_share_pct, 0) != 0 ||
            !(s.max_share_pct > 0) || !(s.max_share_pct <= 100)) {
            lm_diag_at(d, path, line, COL_NAMES[COL_SHARE], v[COL_SHARE],
                       "must be a share of a project's capex in percent, > 0 and <= 100");
            bad = 1;
        }
        s.requires = parse_requires(v[COL_REQUIRES]);
        if (s.requires == -2) {
            lm_diag_at(d, path, line, COL_NAMES[COL_REQUIRES], v[COL_REQUIRES],
                       "must be none, green_any or green:<cbi|eu|asean|china2021>");
            bad = 1;
        }
        if (s.category == LM_FINCAT_GREEN_BOND && s.requires == LM_FIN_REQ_NONE) {
            lm_diag_at(d, path, line, COL_NAMES[COL_REQUIRES], v[COL_REQUIRES],
                       "a green bond must require green eligibility (green_any or green:<taxonomy>)");
            bad = 1;
        }
        char badtech[32] = "";
        if (parse_techs(v[COL_TECHS], &s, badtech, sizeof badtech) != 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_TECHS], v[COL_TECHS],
                       "unknown technology `%s` (all, or ;-separated: hydropower, solar, wind, "
                       "storage, transmission, coal, gas, oil, bioenergy)", badtech);
            bad = 1;
        }
        s.annual_limit_musd = INFINITY;
        if (*v[COL_LIMIT] && (lm_parse_double(v[COL_LIMIT], &s.annual_limit_musd, 0) != 0 ||
                              !(s.annual_limit_musd >= 0))) {
            lm_diag_at(d, path, line, COL_NAMES[COL_LIMIT], v[COL_LIMIT],
                       "must be a limit in million USD per zone and year >= 0, or empty");
            bad = 1;
        }
        if (strncmp(v[COL_CHECKED], "yes", 3) != 0 && strncmp(v[COL_CHECKED], "no", 2) != 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_CHECKED], v[COL_CHECKED],
                       "must start with `yes` or `no`");
            bad = 1;
        }
        for (int i = 0; !bad && i < fs->n; i++)
            if (!strcmp(fs->s[i].id, v[COL_ID]) && !strcmp(fs->s[i].zone, v[COL_ZONE])) {
                lm_diag_at(d, path, line, COL_NAMES[COL_ID], v[COL_ID],
                           "duplicate source for zone %s (first on line %ld)", v[COL_ZONE],
                           fs->s[i].line);
                bad = 1;
            }
        if (bad) {
            source_free(&s);
            continue;
        }
        s.id = lm_xstrdup(v[COL_ID]);
        s.name = lm_xstrdup(v[COL_NAME]);
        s.zone = lm_xstrdup(v[COL_ZONE]);
        s.basis = lm_xstrdup(v[COL_BASIS]);
        s.source = lm_xstrdup(v[COL_SOURCE]);
        s.url = lm_xstrdup(v[COL_URL]);
        s.checked = lm_xstrdup(v[COL_CHECKED]);
        fs->s[fs->n++] = s;
    }
    lm_csv_free(&csv);
    if (d->n_errors > errors0) {
        lm_fin_sources_free(fs);
        return -1;
    }
    *out = fs;
    return 0;
}

int lm_fin_admissible(const lm_fin_source *s, const lm_fin_project *p)
{
    if (strcmp(s->zone, "*") != 0 && strcmp(s->zone, p->zone) != 0) return 0;
    if (s->n_techs) {
        int ok = 0;
        for (int k = 0; k < s->n_techs; k++)
            if (!strcmp(s->techs[k], p->technology)) ok = 1;
        if (!ok) return 0;
    }
    if (s->requires == LM_FIN_REQ_GREEN_ANY) {
        int any = 0;
        for (int t = 0; t < LM_TAX_N; t++)
            if (p->eligible[t] == LM_SCREEN_ELIGIBLE) any = 1;
        return any;
    }
    if (s->requires >= 0) return p->eligible[s->requires] == LM_SCREEN_ELIGIBLE;
    return 1;
}

void lm_fin_allocation_free(lm_fin_allocation *a)
{
    if (!a) return;
    free(a->amount_musd);
    free(a->gap_musd);
    free(a->wacc_pct);
    memset(a, 0, sizeof *a);
}

/* Pools: one row per (source, zone, year) with a finite limit and at least one project. */
typedef struct pool {
    int source, year;
    const char *zone;
    int row;
} pool;

int lm_fin_allocate(const lm_fin_sources *fs, const lm_fin_project *p, int n,
                    double penalty_pct, lm_fin_allocation *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++)
        if (!(p[i].capex_musd >= 0) || !isfinite(p[i].capex_musd) || !p[i].zone ||
            !p[i].technology) {
            lm_diag_error(d, "financing: project %s has capex %g million USD (must be a finite "
                             "number >= 0) or no zone/technology",
                          p[i].id ? p[i].id : "?", p[i].capex_musd);
            return -1;
        }
    int ns = fs ? fs->n : 0;
    out->n_projects = n;
    out->n_sources = ns;
    out->amount_musd = lm_xcalloc((size_t)n * (size_t)(ns ? ns : 1), sizeof(double));
    out->gap_musd = lm_xcalloc((size_t)(n ? n : 1), sizeof(double));
    out->wacc_pct = lm_xcalloc((size_t)(n ? n : 1), sizeof(double));

    lm_lp *lp = lm_lp_new(1e6);
    int f_x = lm_lp_add_family(lp, "finance", "amount", "pi", 0);
    int f_gap = lm_lp_add_family(lp, "finance", "gap", "p", 0);
    int f_cover = lm_lp_add_family(lp, "finance", "cover", "p", 1);
    int f_pool = lm_lp_add_family(lp, "finance", "pool_limit", "iy", 1);
    int *col = lm_xmalloc((size_t)n * (size_t)(ns ? ns : 1) * sizeof *col);
    pool *pools = NULL;
    int n_pools = 0, cap_pools = 0;
    for (int i = 0; i < n; i++) {
        int row = lm_lp_add_row(lp, f_cover, &i, p[i].capex_musd, p[i].capex_musd);
        lm_lp_coef(lp, row, lm_lp_add_col(lp, f_gap, &i, 0, LM_INF, penalty_pct / 100.0), 1.0);
        for (int s = 0; s < ns; s++) {
            const lm_fin_source *src = &fs->s[s];
            col[(size_t)i * ns + s] = -1;
            if (!lm_fin_admissible(src, &p[i]) || p[i].capex_musd <= 0) continue;
            int idx[2] = {i, s};
            int c = lm_lp_add_col(lp, f_x, idx, 0, src->max_share_pct / 100.0 * p[i].capex_musd,
                                  src->cost_pct / 100.0);
            col[(size_t)i * ns + s] = c;
            lm_lp_coef(lp, row, c, 1.0);
            if (!isfinite(src->annual_limit_musd)) continue;
            int k = 0;
            for (; k < n_pools; k++)
                if (pools[k].source == s && pools[k].year == p[i].year &&
                    !strcmp(pools[k].zone, p[i].zone))
                    break;
            if (k == n_pools) {
                lm_grow(&pools, &cap_pools, n_pools + 1, sizeof *pools);
                int pidx[2] = {s, p[i].year};
                pools[k] = (pool){s, p[i].year, p[i].zone,
                                  lm_lp_add_row(lp, f_pool, pidx, -LM_INF,
                                                src->annual_limit_musd)};
                n_pools++;
            }
            lm_lp_coef(lp, pools[k].row, c, 1.0);
        }
    }
    lm_lp_finalize(lp);
    lm_solve_opts o;
    lm_solve_opts_default(&o);
    o.backend = "clp";
    o.method = "dual";
    lm_solution sol = {0};
    int rc = 0;
    if (lp->ncols == 0 || lp->nrows == 0) {
        /* nothing to finance */
    } else if (lm_solve(lp, &o, &sol, d) != 0 || sol.status != LM_STATUS_OPTIMAL) {
        lm_diag_error(d, "financing: the allocation LP did not solve to optimality (%s)",
                      lm_status_name(sol.status));
        rc = -1;
    }
    if (rc == 0) {
        out->iterations = sol.iterations;
        for (int i = 0; i < n; i++) {
            double fin = 0, cost = 0;
            for (int s = 0; s < ns; s++) {
                int c = col[(size_t)i * ns + s];
                double x = c >= 0 && sol.x ? sol.x[c] : 0;
                if (x < 1e-9 * (1 + p[i].capex_musd)) x = 0;
                out->amount_musd[(size_t)i * ns + s] = x;
                fin += x;
                cost += x * fs->s[s].cost_pct;
                out->by_category_musd[fs->s[s].category] += x;
            }
            double g = p[i].capex_musd - fin;
            out->gap_musd[i] = g > 1e-9 * (1 + p[i].capex_musd) ? g : 0;
            out->wacc_pct[i] = fin > 0 ? cost / fin : NAN;
            out->cost_musd_per_yr += cost / 100.0;
            out->total_capex_musd += p[i].capex_musd;
            out->total_gap_musd += out->gap_musd[i];
            for (int t = 0; t < LM_TAX_N; t++)
                if (p[i].eligible[t] == LM_SCREEN_ELIGIBLE)
                    out->eligible_capex_musd[t] += p[i].capex_musd;
        }
        for (int k = 0; k < n_pools; k++) {
            double act = 0;
            for (int i = 0; i < n; i++) {
                int c = col[(size_t)i * ns + pools[k].source];
                if (c >= 0 && p[i].year == pools[k].year && !strcmp(p[i].zone, pools[k].zone))
                    act += out->amount_musd[(size_t)i * ns + pools[k].source];
            }
            if (act >= fs->s[pools[k].source].annual_limit_musd * (1 - 1e-9) - 1e-9)
                out->n_pools_binding++;
        }
    } else {
        lm_fin_allocation_free(out);
    }
    lm_solution_free(&sol);
    free(pools);
    free(col);
    lm_lp_free(lp);
    return rc;
}
