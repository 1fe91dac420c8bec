/* fish.c - Dendritic Connectivity Index on the dataset's reach network (see fish.h).
 *
 * Sources: Cote et al. (2009), Landscape Ecology 24:101-113 (the DCIp and DCId formulas and
 * c_ij = prod p_u p_d); the formulas as implemented in the R package dci (A. Arkilanian,
 * github.com/aarkilanian/dci, R/calculate_dci.R: segment weights over the total, pairwise
 * permeability products, x 100); Hack (1957), USGS Professional Paper 294-B, for the length
 * proxy L ~ A^h with h slightly below 0.6 (an assumption when applied to the pieces of a
 * sub-basin network, see docs/assessment.md).
 *
 * Computation: reaches are ordered outlet first; a reach starts a new segment where the edge to
 * its downstream reach has c < 1 (or it flows to the sea), otherwise it joins the segment below.
 * Segments form a forest rooted at the outlets; each has its weight and the factor of the
 * barrier below it.  DCId sums weight x product of factors down to the sea; DCIp walks the
 * segment forest from every segment, multiplying factors (O(S^2), S segments; branches whose
 * product is 0 are not walked). */
#include "assess/fish.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const double HACK_EXPONENT = 0.6;

/* Depth of every reach (edges to the sea), -1 on a cycle; 0 or -1. */
static int depths(int n, const int *down, int *depth)
{
    for (int r = 0; r < n; r++) depth[r] = -2; /* -2 unknown, -3 on the current path */
    for (int r = 0; r < n; r++) {
        if (depth[r] >= 0) continue;
        int cur = r, len = 0;
        while (cur >= 0 && depth[cur] == -2) {
            depth[cur] = -3;
            cur = down[cur];
            len++;
        }
        if (cur >= 0 && depth[cur] == -3) return -1;
        int base = cur < 0 ? -1 : depth[cur];
        /* walk again, assigning base + remaining length */
        int k = len;
        for (int x = r; x >= 0 && depth[x] == -3; x = down[x]) depth[x] = base + k--;
    }
    return 0;
}

typedef struct seg_forest {
    int S;
    int *parent;     /* [k] segment below, -1 = the sea */
    double *factor;  /* [k] c of the barrier between k and its parent (or the sea) */
    double *w;       /* [k] */
    int *root;       /* [k] outlet segment of k's river */
    int *child_start, *child;   /* CSR children lists */
} seg_forest;

static void forest_free(seg_forest *f)
{
    free(f->parent); free(f->factor); free(f->w); free(f->root);
    free(f->child_start); free(f->child);
}

/* DCIp contribution of segment i: sum_j c_ij w_j, walking the forest from i. */
static double reach_sum(const seg_forest *f, int i, int *stack_node, int *stack_from,
                        double *stack_c)
{
    double total = 0;
    int top = 0;
    stack_node[top] = i;
    stack_from[top] = -1;
    stack_c[top] = 1;
    top++;
    while (top > 0) {
        top--;
        int k = stack_node[top], from = stack_from[top];
        double c = stack_c[top];
        total += c * f->w[k];
        int p = f->parent[k];
        if (p >= 0 && p != from && c * f->factor[k] > 0) {
            stack_node[top] = p; stack_from[top] = k; stack_c[top] = c * f->factor[k]; top++;
        }
        for (int e = f->child_start[k]; e < f->child_start[k + 1]; e++) {
            int ch = f->child[e];
            if (ch == from || c * f->factor[ch] <= 0) continue;
            stack_node[top] = ch; stack_from[top] = k; stack_c[top] = c * f->factor[ch]; top++;
        }
    }
    return total;
}

int lm_dci(int n, const int *down, const double *weight, const double *c, lm_dci_result *out,
           lm_diag *d)
{
    memset(out, 0, sizeof *out);
    if (n <= 0) {
        lm_diag_error(d, "DCI: the river network has no reaches");
        return -1;
    }
    double W = 0;
    for (int r = 0; r < n; r++) {
        if (down[r] < -1 || down[r] >= n || down[r] == r) {
            lm_diag_error(d, "DCI: reach %d has an invalid downstream reach %d", r, down[r]);
            return -1;
        }
        if (!(weight[r] >= 0) || !isfinite(weight[r])) {
            lm_diag_error(d, "DCI: reach %d has weight %g; weights must be finite and >= 0", r,
                          weight[r]);
            return -1;
        }
        if (!(c[r] >= 0 && c[r] <= 1)) {
            lm_diag_error(d, "DCI: reach %d has passability %g; it must be in [0, 1]", r, c[r]);
            return -1;
        }
        W += weight[r];
    }
    if (!(W > 0)) {
        lm_diag_error(d, "DCI: the total weight (length) of the network is 0");
        return -1;
    }
    int *depth = lm_xmalloc((size_t)n * sizeof *depth);
    if (depths(n, down, depth) != 0) {
        free(depth);
        lm_diag_error(d, "DCI: the river network has a cycle");
        return -1;
    }
    /* outlet-first order: counting sort by depth */
    int maxd = 0;
    for (int r = 0; r < n; r++) maxd = depth[r] > maxd ? depth[r] : maxd;
    int *cnt = lm_xcalloc((size_t)maxd + 2, sizeof *cnt), *order = lm_xmalloc((size_t)n * sizeof *order);
    for (int r = 0; r < n; r++) cnt[depth[r] + 1]++;
    for (int i = 1; i <= maxd + 1; i++) cnt[i] += cnt[i - 1];
    for (int r = 0; r < n; r++) order[cnt[depth[r]]++] = r;
    free(cnt);

    seg_forest f = {0};
    int *seg = lm_xmalloc((size_t)n * sizeof *seg);
    f.parent = lm_xmalloc((size_t)n * sizeof *f.parent);
    f.factor = lm_xmalloc((size_t)n * sizeof *f.factor);
    f.w = lm_xcalloc((size_t)n, sizeof *f.w);
    f.root = lm_xmalloc((size_t)n * sizeof *f.root);
    for (int i = 0; i < n; i++) {
        int r = order[i], dn = down[r];
        if (dn >= 0 && c[r] >= 1) {
            seg[r] = seg[dn];
        } else {
            int k = f.S++;
            seg[r] = k;
            f.parent[k] = dn >= 0 ? seg[dn] : -1;
            f.factor[k] = c[r];
            f.root[k] = dn >= 0 ? f.root[f.parent[k]] : k;
            if (c[r] < 1) out->n_barriers++;
        }
        f.w[seg[r]] += weight[r];
    }
    f.child_start = lm_xcalloc((size_t)f.S + 1, sizeof *f.child_start);
    f.child = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *f.child);
    for (int k = 0; k < f.S; k++)
        if (f.parent[k] >= 0) f.child_start[f.parent[k] + 1]++;
    for (int k = 0; k < f.S; k++) f.child_start[k + 1] += f.child_start[k];
    int *fill = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *fill);
    memcpy(fill, f.child_start, (size_t)f.S * sizeof *fill);
    for (int k = 0; k < f.S; k++)
        if (f.parent[k] >= 0) f.child[fill[f.parent[k]]++] = k;
    free(fill);

    /* DCId: product of factors down to the sea (parents come first: they were created first) */
    double *to_sea = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *to_sea);
    double dci_d = 0;
    for (int k = 0; k < f.S; k++) {
        to_sea[k] = f.factor[k] * (f.parent[k] >= 0 ? to_sea[f.parent[k]] : 1.0);
        dci_d += to_sea[k] * f.w[k];
    }
    /* DCIp: within each river (outlet tree) */
    int *sn = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *sn);
    int *sf = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *sf);
    double *sc = lm_xmalloc((size_t)(f.S ? f.S : 1) * sizeof *sc);
    double dci_p = 0;
    for (int k = 0; k < f.S; k++)
        if (f.w[k] > 0) dci_p += f.w[k] * reach_sum(&f, k, sn, sf, sc);
    out->dci_p = 100.0 * dci_p / (W * W);
    out->dci_d = 100.0 * dci_d / W;
    out->n_segments = f.S;
    out->total_weight = W;
    free(sn); free(sf); free(sc); free(to_sea);
    forest_free(&f);
    free(seg); free(order); free(depth);
    return 0;
}

int lm_fish_weights(const lm_dataset *ds, const lm_fish_options *opt, double *w, lm_diag *d)
{
    int kind = opt ? opt->weight : LM_FISH_WEIGHT_HACK;
    double h = opt && opt->hack_exponent > 0 ? opt->hack_exponent : HACK_EXPONENT;
    int errors = 0;
    for (int r = 0; r < ds->n_reaches; r++) {
        double a = ds->reach_area_km2 ? ds->reach_area_km2[r] : NAN;
        switch (kind) {
        case LM_FISH_WEIGHT_EQUAL: w[r] = 1; continue;
        case LM_FISH_WEIGHT_GIVEN:
            if (!opt->reach_weight) {
                lm_diag_error(d, "fish: weight LM_FISH_WEIGHT_GIVEN without reach weights");
                return -1;
            }
            w[r] = opt->reach_weight[r];
            continue;
        default: break;
        }
        if (!(a >= 0) || !isfinite(a)) {
            if (errors++ < 10)
                lm_diag_error(d, "fish: reach %ld has no area (area_km2 of river_sediment), "
                                 "needed for the length proxy; give lengths or use equal weights",
                              ds->reach_id[r]);
            continue;
        }
        w[r] = kind == LM_FISH_WEIGHT_AREA ? a : pow(a, h);
    }
    return errors ? -1 : 0;
}

void lm_fish_station_passability(const lm_dataset *ds, const lm_declared *dc, double *c)
{
    for (int s = 0; s < ds->n_stations; s++) {
        double u = lm_declared_get(dc, s, LM_DA_FISH_PASSABILITY_UP);
        double dn = lm_declared_get(dc, s, LM_DA_FISH_PASSABILITY_DOWN);
        c[s] = isnan(u) || isnan(dn) ? 0.0 : u * dn;
    }
}

/* Per-reach connectivity for a portfolio; counts in *res. */
static void reach_factors(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                          double *c, lm_fish_result *res)
{
    int R = ds->n_reaches;
    for (int r = 0; r < R; r++) c[r] = 1;
    unsigned char *has_station = lm_xcalloc((size_t)R + 1, 1);
    double *cs = lm_xmalloc((size_t)(ds->n_stations ? ds->n_stations : 1) * sizeof *cs);
    lm_fish_station_passability(ds, dc, cs);
    for (int s = 0; s < ds->n_stations; s++) {
        int r = ds->stations[s].reach;
        if (r < 0) continue;
        has_station[r] = 1;
        double f = in_place ? in_place[s] : ds->stations[s].is_existing;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        if (f <= 0) continue;
        c[r] = 1.0 - f * (1.0 - cs[s]);
        if (res) {
            res->n_dams_in_place++;
            if (lm_declared_get(dc, s, LM_DA_FISH_PASSAGE) == 1 &&
                (!lm_declared_known(dc, s, LM_DA_FISH_PASSABILITY_UP) ||
                 !lm_declared_known(dc, s, LM_DA_FISH_PASSABILITY_DOWN)))
                res->n_fishpass_unknown++;
        }
    }
    /* a dam known to the sediment network only (trap efficiency, no station): existing and
     * impassable, as in lm_sediment_evaluate */
    if (ds->reach_trap_efficiency)
        for (int r = 0; r < R; r++)
            if (!has_station[r] && !isnan(ds->reach_trap_efficiency[r])) {
                c[r] = 0;
                if (res) res->n_fixed_dams++;
            }
    free(cs);
    free(has_station);
}

int lm_fish_evaluate(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                     const lm_fish_options *opt, lm_fish_result *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    if (ds->n_reaches == 0) {
        lm_diag_error(d, "fish: dataset %s has no river network (table river_sediment)", ds->name);
        return -1;
    }
    double *w = lm_xmalloc((size_t)ds->n_reaches * sizeof *w);
    double *c = lm_xmalloc((size_t)ds->n_reaches * sizeof *c);
    int rc = lm_fish_weights(ds, opt, w, d);
    if (rc == 0) {
        reach_factors(ds, dc, in_place, c, out);
        rc = lm_dci(ds->n_reaches, ds->reach_down, w, c, &out->dci, d);
    }
    free(w);
    free(c);
    return rc;
}

int lm_fish_dam_gains(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                      const lm_fish_options *opt, double *gain_p, double *gain_d, lm_diag *d)
{
    int S = ds->n_stations, R = ds->n_reaches;
    for (int s = 0; s < S; s++) gain_p[s] = gain_d[s] = 0;
    if (R == 0) return 0;
    double *w = lm_xmalloc((size_t)R * sizeof *w);
    double *c = lm_xmalloc((size_t)R * sizeof *c);
    int rc = lm_fish_weights(ds, opt, w, d);
    lm_dci_result base, alt;
    if (rc == 0) {
        reach_factors(ds, dc, in_place, c, NULL);
        rc = lm_dci(R, ds->reach_down, w, c, &base, d);
    }
    for (int s = 0; s < S && rc == 0; s++) {
        int r = ds->stations[s].reach;
        if (r < 0 || c[r] >= 1) continue;
        double keep = c[r];
        c[r] = 1;
        rc = lm_dci(R, ds->reach_down, w, c, &alt, d);
        c[r] = keep;
        gain_p[s] = alt.dci_p - base.dci_p;
        gain_d[s] = alt.dci_d - base.dci_d;
    }
    free(w);
    free(c);
    return rc;
}
