/* sediment.c - the sediment component: the static routing of sediment through the river
 * network for a dam portfolio (spec 1.8, 2.6, 4.9: C40-C41), the floor on the flux delivered
 * at one reach (C42) with the build decisions of candidate dams (spec 4.10, 6.2), and the
 * per-reach report.  docs/model.md, section "sediment".
 *
 * The routing is linear and has no time index: a reach receives its own yield plus what
 * leaves the reaches flowing into it, and passes on (1 - tau) of it, where tau is the
 * reach's deposition fraction or, where a dam is in place, its trap efficiency.  It depends
 * on nothing but which dams exist, so it is evaluated directly (lm_sediment_evaluate) for
 * reports, for the CLI and for portfolios the plan fixes.  Only when the plan leaves dams to
 * the optimiser and sets a floor does the component add rows, and then a tight formulation
 * instead of the original's big-M of 1e5 (spec 8, item 2):
 *   - columns only for reaches whose flux depends on a decision and that reach the target;
 *     every other flux is a constant folded into a right-hand side;
 *   - for a decided dam whose inflow is itself variable, the product g = BUILD x SACC by its
 *     McCormick envelope over [L, U], L and U the inflow with every decided dam at its
 *     most and at its least trapping (exact for binary BUILD; the convex hull of the product
 *     for relaxed BUILD); with a constant inflow the product is linear already.
 * Families: sediment.acc[r], sediment.out[r] (columns), sediment.accumulate[r] (C40),
 * sediment.deposit[r] (C41 with a fixed trap fraction, or a decided dam with a constant
 * inflow), sediment.trap[r,c] (C41 for a decided dam, McCormick rows c = 1..4),
 * sediment.floor (C42). */
#include "model/model.h"
#include "core/util.h"

#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A trap efficiency closer than this to the deposition fraction makes a dam irrelevant for
 * sediment (four Xu et al. candidates have TE = dep exactly, spec 2.6). */
#define SED_SAME_TRAP 1e-12

/* ---------------------------------------------------------------------------------------
 * Static routing (C40-C41)
 * --------------------------------------------------------------------------------------- */

/* [r] index of the station whose dam sits on reach r, or -1.  Station ids are reach ids
 * (spec 1.6), so there is at most one per reach. */
static int *reach_station(const lm_dataset *ds)
{
    int *st = lm_xmalloc((size_t)ds->n_reaches * sizeof(int));
    for (int r = 0; r < ds->n_reaches; r++) st[r] = -1;
    for (int s = 0; s < ds->n_stations; s++)
        if (ds->stations[s].reach >= 0) st[ds->stations[s].reach] = s;
    return st;
}

static int has_dam(const lm_dataset *ds, int r)
{
    return isfinite(ds->reach_trap_efficiency[r]);
}

/* Share of reach r's dam in place: from its station, 1 for a dam reach without a station
 * (a dam of R_dam that is not a candidate, spec 4.9), NaN for a reach without a dam.
 * in_place NULL means "existing dams only". */
static double reach_in_place(const lm_dataset *ds, const int *station, const double *in_place, int r)
{
    if (!has_dam(ds, r)) return NAN;
    int s = station[r];
    if (s < 0) return 1.0;
    return in_place ? in_place[s] : (ds->stations[s].is_existing ? 1.0 : 0.0);
}

/* Trap fraction tau of reach r (spec 4.9): dep, or dep + in_place x (TE - dep). */
static double trap_fraction(const lm_dataset *ds, int r, double in_place)
{
    double dep = ds->reach_deposition_fraction[r];
    if (isnan(in_place)) return dep;
    return dep + in_place * (ds->reach_trap_efficiency[r] - dep);
}

void lm_sediment_evaluate(const lm_dataset *ds, const double *in_place, double *sacc, double *sout)
{
    int R = ds->n_reaches;
    if (R <= 0) return;
    double *acc = sacc ? sacc : lm_xmalloc((size_t)R * sizeof(double));
    double *out = sout ? sout : lm_xmalloc((size_t)R * sizeof(double));
    int *station = reach_station(ds);
    int *pending = lm_xcalloc((size_t)R, sizeof(int)); /* upstream reaches not yet routed */
    int *queue = lm_xmalloc((size_t)R * sizeof(int));
    for (int r = 0; r < R; r++) {
        acc[r] = ds->reach_yield_mt_per_yr[r];
        if (ds->reach_down[r] >= 0) pending[ds->reach_down[r]]++;
    }
    /* Topological order (Kahn): a reach is routed once every reach flowing into it is; the
     * loader guarantees the network is acyclic, so every reach is reached.  O(R). */
    int head = 0, tail = 0;
    for (int r = 0; r < R; r++)
        if (pending[r] == 0) queue[tail++] = r;
    while (head < tail) {
        int r = queue[head++];
        double tau = trap_fraction(ds, r, reach_in_place(ds, station, in_place, r));
        out[r] = (1.0 - tau) * acc[r];
        int dn = ds->reach_down[r];
        if (dn >= 0) {
            acc[dn] += out[r];
            if (--pending[dn] == 0) queue[tail++] = dn;
        }
    }
    free(queue);
    free(pending);
    free(station);
    if (!sacc) free(acc);
    if (!sout) free(out);
}

/* ---------------------------------------------------------------------------------------
 * Component
 * --------------------------------------------------------------------------------------- */

static int find_reach(const lm_dataset *ds, long id)
{
    for (int r = 0; r < ds->n_reaches; r++)
        if (ds->reach_id[r] == id) return r;
    return -1;
}

/* The reach the floor and the report refer to: the plan's sediment.reach, else the unique
 * reach flowing to the outlet.  Returns the index, -1 when the outlet is ambiguous and no
 * floor needs it, -2 on error. */
static int resolve_target(const lm_dataset *ds, const lm_plan *p, lm_diag *d)
{
    if (p->sediment_reach > 0) {
        int r = find_reach(ds, p->sediment_reach);
        if (r < 0) {
            lm_diag_error(d, "%s: sediment.reach: %d is not a reach of dataset %s (table river_sediment)",
                          p->path, p->sediment_reach, ds->name);
            return -2;
        }
        return r;
    }
    int n = 0, first = -1;
    for (int r = 0; r < ds->n_reaches; r++)
        if (ds->reach_down[r] < 0) {
            if (first < 0) first = r;
            n++;
        }
    if (n == 1) return first;
    if (p->sediment_min_mt <= 0) return -1;
    char ids[200] = "";
    size_t len = 0;
    for (int r = 0, k = 0; r < ds->n_reaches && k < 8 && len < sizeof ids; r++)
        if (ds->reach_down[r] < 0)
            len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%ld", k++ ? ", " : "", ds->reach_id[r]);
    lm_diag_error(d, "%s: sediment.reach: dataset %s has %d reaches flowing to the outlet (%s%s); "
                  "name the reach that sediment.min_delivery_mt applies to",
                  p->path, ds->name, n, ids, n > 8 ? ", ..." : "");
    return -2;
}

/* in_place per station for the plan's portfolio; decided dams at their least trapping
 * (lo_flux = 0) or most trapping (lo_flux = 1) state. */
static void portfolio(const lm_model *m, int lo_flux, double *ip)
{
    const lm_dataset *ds = m->ds;
    for (int s = 0; s < ds->n_stations; s++) {
        int st = m->dam_state[s];
        if (st == LM_DAM_EXISTING || st == LM_DAM_BUILT) ip[s] = 1;
        else if (st == LM_DAM_NOT_BUILT) ip[s] = 0;
        else {
            int r = ds->stations[s].reach;
            int traps = r >= 0 && has_dam(ds, r) &&
                        ds->reach_trap_efficiency[r] >= ds->reach_deposition_fraction[r];
            ip[s] = traps == lo_flux ? 1 : 0;
        }
    }
}

/* Marks reaches that flow into `target` (the target included): 1 yes, -1 no.  O(R). */
static signed char *flows_to(const lm_dataset *ds, int target)
{
    int R = ds->n_reaches;
    signed char *on = lm_xcalloc((size_t)R, 1);
    int *stack = lm_xmalloc((size_t)R * sizeof(int));
    on[target] = 1;
    for (int r = 0; r < R; r++) {
        int n = 0, c = r;
        while (c >= 0 && on[c] == 0) {
            stack[n++] = c;
            c = ds->reach_down[c];
        }
        signed char v = c < 0 ? -1 : on[c];
        while (n > 0) on[stack[--n]] = v;
    }
    free(stack);
    return on;
}

typedef struct dam_effect {
    int reach;
    double gain_mt; /* Mt/yr more at the target without this dam */
} dam_effect;

static int by_gain(const void *a, const void *b)
{
    double x = ((const dam_effect *)a)->gain_mt, y = ((const dam_effect *)b)->gain_mt;
    return (x < y) - (x > y);
}

/* Why the floor cannot be met: the dams in place whose removal would add most at the target.
 * Routing is linear, so removing dam r adds (tau_r - dep_r) x SACC[r] x T[r] at the target,
 * T[r] the share of what leaves r that reaches the target.  Appends to buf. */
static void explain_shortfall(const lm_dataset *ds, const double *ip, int target, char *buf, size_t n)
{
    int R = ds->n_reaches;
    double *acc = lm_xmalloc((size_t)R * sizeof(double));
    lm_sediment_evaluate(ds, ip, acc, NULL);
    int *station = reach_station(ds);
    signed char *on = flows_to(ds, target);
    double *T = lm_xmalloc((size_t)R * sizeof(double));
    int *stack = lm_xmalloc((size_t)R * sizeof(int));
    char *known = lm_xcalloc((size_t)R, 1);
    T[target] = 1;
    known[target] = 1;
    for (int r = 0; r < R; r++) {
        if (on[r] != 1) continue;
        int k = 0, c = r;
        while (!known[c]) {
            stack[k++] = c;
            c = ds->reach_down[c];
        }
        while (k > 0) {
            int x = stack[--k], dn = ds->reach_down[x];
            T[x] = (1 - trap_fraction(ds, dn, reach_in_place(ds, station, ip, dn))) * T[dn];
            known[x] = 1;
        }
    }
    dam_effect *eff = lm_xmalloc((size_t)R * sizeof *eff);
    int ne = 0;
    for (int r = 0; r < R; r++) {
        double in = reach_in_place(ds, station, ip, r);
        if (on[r] != 1 || isnan(in) || in <= 0) continue;
        double gain = (trap_fraction(ds, r, in) - ds->reach_deposition_fraction[r]) * acc[r] * T[r];
        if (gain > 0) eff[ne++] = (dam_effect){r, gain};
    }
    qsort(eff, (size_t)ne, sizeof *eff, by_gain);
    size_t len = strlen(buf);
    if (ne == 0 && len < n)
        snprintf(buf + len, n - len, "; no dam in place upstream of reach %ld traps more than the river would",
                 ds->reach_id[target]);
    for (int i = 0; i < ne && i < 5 && len < n; i++) {
        int s = station[eff[i].reach];
        len += (size_t)snprintf(buf + len, n - len, "%s%ld%s%s +%.4f", i ? ", " : "; dams trapping most (Mt/yr more "
                                "at the reach without each): ", ds->reach_id[eff[i].reach],
                                s >= 0 ? " " : "", s >= 0 ? ds->stations[s].name : "", eff[i].gain_mt);
    }
    free(eff);
    free(known);
    free(stack);
    free(T);
    free(on);
    free(station);
    free(acc);
}

/* Error: the floor is above what the portfolio can deliver at the target. */
static void floor_error(const lm_model *m, const double *ip, int target, double flux, int n_decided, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    double *none = lm_xcalloc((size_t)(ds->n_stations ? ds->n_stations : 1), sizeof(double));
    double *out = lm_xmalloc((size_t)ds->n_reaches * sizeof(double));
    lm_sediment_evaluate(ds, none, NULL, out);
    char buf[1024];
    if (n_decided > 0)
        snprintf(buf, sizeof buf, "%s: the plan's dam portfolio delivers at most %.4f Mt/yr at reach %ld "
                 "(with the %d decided dams at their least trapping), below sediment.min_delivery_mt %g "
                 "(without any dam the reach would receive %.4f)", p->path, flux, ds->reach_id[target],
                 n_decided, p->sediment_min_mt, out[target]);
    else
        snprintf(buf, sizeof buf, "%s: the plan's dam portfolio delivers %.4f Mt/yr at reach %ld, below "
                 "sediment.min_delivery_mt %g (without any dam the reach would receive %.4f)",
                 p->path, flux, ds->reach_id[target], p->sediment_min_mt, out[target]);
    explain_shortfall(ds, ip, target, buf, sizeof buf);
    lm_diag_error(d, "%s", buf);
    free(out);
    free(none);
}

/* One allocation for m->col_sed_out [R] and the reach-id labels the LP prints for 'r'
 * indices: the builder keeps pointers to labels, and lm_model_free releases col_sed_out. */
static int *columns_and_labels(lm_model *m)
{
    const lm_dataset *ds = m->ds;
    int R = ds->n_reaches;
    size_t text = 0;
    for (int r = 0; r < R; r++) text += (size_t)snprintf(NULL, 0, "%ld", ds->reach_id[r]) + 1;
    size_t a = alignof(char *);
    size_t off_labels = ((size_t)R * sizeof(int) + a - 1) / a * a;
    size_t off_text = off_labels + (size_t)R * sizeof(char *);
    char *block = lm_xmalloc(off_text + text);
    int *cols = (int *)(void *)block;
    char **labels = (char **)(void *)(block + off_labels);
    char *p = block + off_text;
    for (int r = 0; r < R; r++) {
        cols[r] = -1;
        labels[r] = p;
        p += sprintf(p, "%ld", ds->reach_id[r]) + 1;
    }
    lm_lp_set_labels(m->lp, 'r', (const char *const *)labels, R);
    return cols;
}

typedef struct sed_build {
    lm_model *m;
    int *station;            /* [r] */
    signed char *on;         /* [r] flows to the target */
    char *decided;           /* [r] a decided dam that changes trapping */
    char *acc_var, *out_var; /* [r] SACC / SOUT depend on decisions */
    double *ip;              /* [s] the portfolio with decided dams at 0 */
    double *acc_lo, *acc_hi, *out_lo, *out_hi; /* [r] bounds over all decisions */
    int *col_acc, *col_out;  /* [r] */
} sed_build;

/* C40: SACC[r] - sum of variable SOUT upstream = yield + constant SOUT upstream. */
static void add_accumulation(sed_build *b, int f_acc_row, const double *rhs)
{
    lm_model *m = b->m;
    const lm_dataset *ds = m->ds;
    int R = ds->n_reaches;
    int *row = lm_xmalloc((size_t)R * sizeof(int));
    for (int r = 0; r < R; r++) {
        row[r] = -1;
        if (!b->acc_var[r]) continue;
        int idx[1] = {r};
        row[r] = lm_lp_add_row(m->lp, f_acc_row, idx, rhs[r], rhs[r]);
        lm_lp_coef(m->lp, row[r], b->col_acc[r], 1);
    }
    for (int u = 0; u < R; u++) {
        int dn = ds->reach_down[u];
        if (dn >= 0 && row[dn] >= 0 && b->out_var[u]) lm_lp_coef(m->lp, row[dn], b->col_out[u], -1);
    }
    free(row);
}

/* C41 for a decided dam with variable inflow: SOUT = (1-dep) SACC - (TE-dep) g with
 * g = BUILD x SACC, g eliminated (g = ((1-dep) SACC - SOUT) / c, c = TE - dep) and each row
 * multiplied by |c| so that coefficients stay of order one.  McCormick over SACC in [L, U]:
 *   1: g >= L b        2: g >= SACC - U (1 - b)        3: g <= U b        4: g <= SACC - L (1 - b) */
static void add_mccormick(sed_build *b, int f_trap, int r, int col_b)
{
    lm_lp *lp = b->m->lp;
    const lm_dataset *ds = b->m->ds;
    double dep = ds->reach_deposition_fraction[r], c = ds->reach_trap_efficiency[r] - dep;
    double sg = c > 0 ? 1 : -1, ac = fabs(c), a = 1 - dep;
    double L = b->acc_lo[r], U = b->acc_hi[r];
    int sa = b->col_acc[r], so = b->col_out[r];
    /* |c| g = sg (a SACC - SOUT) */
    struct { double lb, ub, k_acc, k_b; } cut[4] = {
        {0, LM_INF, 0, -ac * L},         /* |c| g - |c| L b >= 0 */
        {-ac * U, LM_INF, -ac, -ac * U}, /* |c| g - |c| SACC - |c| U b >= -|c| U */
        {-LM_INF, 0, 0, -ac * U},        /* |c| g - |c| U b <= 0 */
        {-LM_INF, -ac * L, -ac, -ac * L} /* |c| g - |c| SACC - |c| L b <= -|c| L */
    };
    for (int k = 0; k < 4; k++) {
        int idx[2] = {r, k + 1};
        int row = lm_lp_add_row(lp, f_trap, idx, cut[k].lb, cut[k].ub);
        lm_lp_coef(lp, row, sa, sg * a + cut[k].k_acc);
        lm_lp_coef(lp, row, so, -sg);
        lm_lp_coef(lp, row, col_b, cut[k].k_b);
    }
}

static void free_build(sed_build *b)
{
    free(b->station); free(b->on); free(b->decided); free(b->acc_var); free(b->out_var);
    free(b->ip); free(b->acc_lo); free(b->acc_hi); free(b->out_lo); free(b->out_hi);
    free(b->col_acc);
}

static int build(lm_model *m, lm_diag *d)
{
    const lm_dataset *ds = m->ds;
    const lm_plan *p = m->plan;
    int R = ds->n_reaches, S = ds->n_stations;
    if (R <= 0) {
        if (p->sediment_min_mt > 0 || p->sediment_reach > 0) {
            lm_diag_error(d, "%s: sediment: dataset %s has no sediment network (table river_sediment)",
                          p->path, ds->name);
            return -1;
        }
        return 0;
    }
    int target = resolve_target(ds, p, d);
    if (target == -2) return -1;
    m->sediment_reach = target;
    if (p->sediment_min_mt <= 0 || target < 0) return 0; /* reported only */

    sed_build b;
    memset(&b, 0, sizeof b);
    b.m = m;
    b.station = reach_station(ds);
    b.on = flows_to(ds, target);
    b.ip = lm_xmalloc((size_t)(S ? S : 1) * sizeof(double));
    double *ip_hi = lm_xmalloc((size_t)(S ? S : 1) * sizeof(double));
    b.acc_lo = lm_xmalloc((size_t)R * sizeof(double));
    b.acc_hi = lm_xmalloc((size_t)R * sizeof(double));
    b.out_lo = lm_xmalloc((size_t)R * sizeof(double));
    b.out_hi = lm_xmalloc((size_t)R * sizeof(double));
    /* routing is monotone in each dam's share, so the corners bound every flux */
    portfolio(m, 0, b.ip);
    portfolio(m, 1, ip_hi);
    lm_sediment_evaluate(ds, b.ip, b.acc_hi, b.out_hi);
    lm_sediment_evaluate(ds, ip_hi, b.acc_lo, b.out_lo);
    free(ip_hi);

    /* which fluxes reaching the target depend on a decision */
    b.decided = lm_xcalloc((size_t)R, 1);
    b.acc_var = lm_xcalloc((size_t)R, 1);
    b.out_var = lm_xcalloc((size_t)R, 1);
    int n_decided = 0;
    for (int r = 0; r < R; r++) {
        int s = b.station[r];
        if (b.on[r] != 1 || s < 0 || m->dam_state[s] != LM_DAM_DECIDE || m->col_build[s] < 0 ||
            !has_dam(ds, r) ||
            fabs(ds->reach_trap_efficiency[r] - ds->reach_deposition_fraction[r]) <= SED_SAME_TRAP)
            continue;
        b.decided[r] = 1;
        n_decided++;
        for (int c = r; c >= 0 && b.on[c] == 1 && !b.out_var[c]; c = ds->reach_down[c]) b.out_var[c] = 1;
    }
    for (int u = 0; u < R; u++)
        if (b.out_var[u] && ds->reach_down[u] >= 0) b.acc_var[ds->reach_down[u]] = 1;

    if (b.out_hi[target] < p->sediment_min_mt) {
        floor_error(m, b.ip, target, b.out_hi[target], n_decided, d);
        free_build(&b);
        return -1;
    }
    if (!b.out_var[target]) { /* a constant flux that meets the floor: nothing to add */
        free_build(&b);
        return 0;
    }

    lm_lp *lp = m->lp;
    int f_acc = lm_lp_add_family(lp, "sediment", "acc", "r", 0);
    int f_out = lm_lp_add_family(lp, "sediment", "out", "r", 0);
    int f_accumulate = lm_lp_add_family(lp, "sediment", "accumulate", "r", 1);
    int f_deposit = lm_lp_add_family(lp, "sediment", "deposit", "r", 1);
    int f_trap = lm_lp_add_family(lp, "sediment", "trap", "rc", 1);
    int f_floor = lm_lp_add_family(lp, "sediment", "floor", "", 1);
    m->col_sed_out = columns_and_labels(m);
    b.col_out = m->col_sed_out;
    b.col_acc = lm_xmalloc((size_t)R * sizeof(int));
    double *rhs = lm_xmalloc((size_t)R * sizeof(double));
    for (int r = 0; r < R; r++) {
        int idx[1] = {r};
        b.col_acc[r] = b.acc_var[r] ? lm_lp_add_col(lp, f_acc, idx, b.acc_lo[r], b.acc_hi[r], 0) : -1;
        if (b.out_var[r]) b.col_out[r] = lm_lp_add_col(lp, f_out, idx, b.out_lo[r], b.out_hi[r], 0);
        rhs[r] = ds->reach_yield_mt_per_yr[r];
    }
    for (int u = 0; u < R; u++) {
        int dn = ds->reach_down[u];
        if (dn >= 0 && b.acc_var[dn] && !b.out_var[u]) rhs[dn] += b.out_hi[u]; /* = out_lo[u] */
    }
    add_accumulation(&b, f_accumulate, rhs);
    free(rhs);

    for (int r = 0; r < R; r++) {
        if (!b.out_var[r]) continue;
        int idx[1] = {r};
        if (!b.decided[r]) { /* C41 with a fixed trap: SOUT - (1 - tau) SACC = 0 */
            double tau = trap_fraction(ds, r, reach_in_place(ds, b.station, b.ip, r));
            int row = lm_lp_add_row(lp, f_deposit, idx, 0, 0);
            lm_lp_coef(lp, row, b.col_out[r], 1);
            lm_lp_coef(lp, row, b.col_acc[r], -(1 - tau));
        } else if (!b.acc_var[r]) { /* constant inflow K: SOUT + (TE - dep) K b = (1 - dep) K */
            double K = b.acc_hi[r], dep = ds->reach_deposition_fraction[r];
            int row = lm_lp_add_row(lp, f_deposit, idx, (1 - dep) * K, (1 - dep) * K);
            lm_lp_coef(lp, row, b.col_out[r], 1);
            lm_lp_coef(lp, row, m->col_build[b.station[r]], (ds->reach_trap_efficiency[r] - dep) * K);
        } else {
            add_mccormick(&b, f_trap, r, m->col_build[b.station[r]]);
        }
    }
    m->row_sediment_floor = lm_lp_add_row(lp, f_floor, NULL, p->sediment_min_mt, LM_INF);
    lm_lp_coef(lp, m->row_sediment_floor, b.col_out[target], 1);
    free_build(&b);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Extraction: the routing evaluated exactly for the solution's portfolio.
 * --------------------------------------------------------------------------------------- */

static void extract(const lm_model *m, const lm_solution *sol, lm_results *res)
{
    const lm_dataset *ds = m->ds;
    int R = ds->n_reaches, S = ds->n_stations;
    if (R <= 0) return;
    double *ip = lm_xmalloc((size_t)(S ? S : 1) * sizeof(double));
    portfolio(m, 0, ip);
    for (int s = 0; s < S; s++) {
        int col = m->col_build[s];
        if (m->dam_state[s] != LM_DAM_DECIDE || col < 0) continue;
        double x = fmin(1, fmax(0, sol->x[col]));
        if (m->lp->col_int[col] && fabs(x - round(x)) <= 1e-6) x = round(x);
        ip[s] = x;
    }
    double *acc = lm_xmalloc((size_t)R * sizeof(double));
    double *out = lm_xmalloc((size_t)R * sizeof(double));
    lm_sediment_evaluate(ds, ip, acc, out);
    int *station = reach_station(ds);
    lm_result_table *t = lm_results_table(res, "sediment", "#reach_id",
                                          "yield_mt,deposition_fraction,trap_efficiency,in_place,"
                                          "accumulated_mt,delivered_mt,deposited_mt");
    for (int r = 0; r < R; r++) {
        const char *keys[1] = {lm_results_intern_int(res, ds->reach_id[r])};
        double v[7] = {ds->reach_yield_mt_per_yr[r], ds->reach_deposition_fraction[r],
                       ds->reach_trap_efficiency[r], reach_in_place(ds, station, ip, r),
                       acc[r], out[r], acc[r] - out[r]};
        lm_results_row(res, t, keys, v);
    }
    int target = m->sediment_reach;
    if (target >= 0) lm_results_scalar(res, "sediment_delivered_mt", out[target]);
    lm_results_scalar(res, "sediment_floor_mt", m->plan->sediment_min_mt);
    /* the formulation's own value: equal to the above for binary decisions; for relaxed ones
     * the McCormick envelope is a relaxation and the two may differ */
    if (target >= 0 && m->col_sed_out && m->col_sed_out[target] >= 0)
        lm_results_scalar(res, "sediment_delivered_lp_mt", sol->x[m->col_sed_out[target]]);
    free(station);
    free(out);
    free(acc);
    free(ip);
}

const lm_component lm_component_sediment = {"sediment", build, extract};
