/* fish.h - river connectivity for fish: the Dendritic Connectivity Index (DCI).
 *
 * Cote, Kehler, Bourne & Wiersma (2009), A new measure of longitudinal connectivity for stream
 * networks, Landscape Ecology 24:101-113, doi:10.1007/s10980-008-9283-y.  Barriers split a
 * dendritic network into segments i of length l_i (L = sum l_i); the connectivity between two
 * segments is the product of the passabilities of the barriers between them,
 * c_ij = prod_m p_m^u p_m^d (c_ii = 1), and
 *     DCIp = sum_i sum_j c_ij (l_i / L) (l_j / L) x 100    (potamodromous fish)
 *     DCId = sum_i c_i0 (l_i / L) x 100                    (diadromous fish; 0 = the sea)
 * DCIp is the chance that a fish can move between two random points of the network, DCId that
 * it can reach a random point from the sea.
 *
 * In lmplan the network is the dataset's sediment reach network (river_sediment: reach_down);
 * a dam sits at the downstream end of the reach of its station (stations[s].reach) or of a
 * reach with a trap efficiency but no station (counted as an existing dam, as the sediment
 * model does).  A barrier of passability 1 is the same as no barrier, so a portfolio is a set of
 * passabilities, one per reach: 1 where no dam is in place.  Reach lengths: see
 * lm_fish_weight; docs/assessment.md explains the proxy used for the Xu et al. network, which
 * has areas but no lengths. */
#ifndef LM_FISH_H
#define LM_FISH_H

#include "assess/declared.h"
#include "core/diag.h"
#include "data/dataset.h"

typedef struct lm_dci_result {
    double dci_p, dci_d;   /* percent, 0..100 */
    int n_segments;        /* pieces separated by barriers with c < 1 */
    int n_barriers;        /* edges with c < 1 */
    double total_weight;   /* L */
} lm_dci_result;

/* DCI of a network of n reaches: down[r] is the next reach downstream (-1: flows to the sea),
 * weight[r] >= 0 the reach's length (or proxy), c[r] in [0, 1] the connectivity across the
 * barrier at the downstream end of r (p_up x p_down; 1 = no barrier).  Reaches that reach the
 * sea by different outlets are separate rivers: c = 0 between them for DCIp.  Returns 0, or -1
 * with an error (cycle, bad index, negative weight, c outside [0, 1], zero total weight). */
int lm_dci(int n, const int *down, const double *weight, const double *c, lm_dci_result *out,
           lm_diag *d);

/* What stands in for a reach's length. */
enum lm_fish_weight {
    LM_FISH_WEIGHT_HACK = 0,   /* area^0.6 (Hack's law L ~ A^h, h ~ 0.6), the default */
    LM_FISH_WEIGHT_AREA = 1,   /* area */
    LM_FISH_WEIGHT_EQUAL = 2,  /* 1 per reach */
    LM_FISH_WEIGHT_GIVEN = 3   /* the caller's array (e.g. measured lengths) */
};

typedef struct lm_fish_options {
    int weight;                /* enum lm_fish_weight */
    const double *reach_weight;/* [r] for LM_FISH_WEIGHT_GIVEN */
    double hack_exponent;      /* 0 = 0.6 */
} lm_fish_options;

/* Weights of every reach under `opt` (NULL = default); -1 with an error if a reach's area is
 * missing (NaN) or negative for an area-based weight. */
int lm_fish_weights(const lm_dataset *ds, const lm_fish_options *opt, double *w, lm_diag *d);

/* Per station: the connectivity factor c = p_up x p_down of its dam when in place, from the
 * declared fish_passability_up/down (0 when unknown: a dam without a declared passability is
 * impassable).  c_station[s], s < ds->n_stations. */
void lm_fish_station_passability(const lm_dataset *ds, const lm_declared *dc, double *c_station);

typedef struct lm_fish_result {
    lm_dci_result dci;
    int n_dams_in_place;       /* stations on the network with a share in place > 0 */
    int n_fixed_dams;          /* reaches with a trap efficiency and no station */
    int n_fishpass_unknown;    /* dams in place with fish_passage yes but no passability */
} lm_fish_result;

/* DCI for a portfolio: in_place[s] in [0, 1] is the share of station s's dam in place
 * (NULL = the status quo: stations with is_existing).  A share f gives the reach
 * c = 1 - f (1 - c_station): exact for 0/1, linear in between (relaxed decisions). */
int lm_fish_evaluate(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                     const lm_fish_options *opt, lm_fish_result *out, lm_diag *d);

/* For every station with a dam in place: by how much DCIp and DCId would rise if that dam
 * alone were removed (gain_p[s], gain_d[s]; 0 for stations not in place or off the network). */
int lm_fish_dam_gains(const lm_dataset *ds, const lm_declared *dc, const double *in_place,
                      const lm_fish_options *opt, double *gain_p, double *gain_d, lm_diag *d);

#endif
