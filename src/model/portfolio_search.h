/* portfolio_search.h - the dam-portfolio MILP solved by a relax-and-fix search over
 * portfolios with warm-started CLP LPs, with a proven gap (docs/solver.md, "Portfolio search").
 *
 * The binaries of the Mekong model are the 48 build decisions; the sediment delivered depends
 * on them alone (spec 4.9), and given them the rest is an LP.  So: solve the LP relaxation
 * once (its optimum is a lower bound on the MILP), strengthen it by cuts that the floor implies
 * (minimal covers and polymatroid inequalities, separated by exact evaluation), turn its fractional build values into
 * portfolios that meet the sediment floor by exact evaluation (lm_sediment_evaluate, no
 * solve), price each portfolio by fixing the build columns and re-solving warm from the
 * relaxation's basis (an upper bound each), improve the best one by single-dam moves; if the
 * gap is not yet proven, raise the bound by a best-first branch and bound on the build
 * decisions (warm LPs again; a node whose floor cannot be met is dropped by exact evaluation),
 * and stop when (best - bound) / best is within the requested gap or the time is up.  The
 * answer is either proven within the gap or reported with the gap it has. */
#ifndef LM_PORTFOLIO_SEARCH_H
#define LM_PORTFOLIO_SEARCH_H

#include "model/model.h"

/* What one search hands to another on the same plan at a finer time resolution (or to a
 * re-run): the cuts from the sediment floor, which depend on the build decisions and the
 * sediment network alone and so are valid for every time resolution, and the portfolios it
 * priced, cheapest first.  Stations are indices into the dataset's stations. */
typedef struct lm_portfolio_carry {
    int n_stations;
    int n_sets;
    unsigned char *sets;   /* [n_sets * n_stations]: 1 = the decided dam is built */
    double *objective;     /* [n_sets] its LP optimum in the search that priced it */
    int n_cuts;
    int *start;            /* [n_cuts + 1] into station / coef */
    int *station;
    double *coef;
    double *rhs;           /* [n_cuts]: sum coef * build(station) <= rhs */
} lm_portfolio_carry;

void lm_portfolio_carry_free(lm_portfolio_carry *c);

typedef struct lm_portfolio_opts {
    lm_solve_opts lp;      /* LP options for CLP (method, presolve, log); backend forced to clp */
    double gap;            /* relative gap to prove, e.g. 0.01 */
    double time_limit_s;   /* wall seconds for the whole search; 0 = none */
    int max_lps;           /* portfolios priced at most (0 = 200) */
    int max_nodes;         /* branch-and-bound node LPs at most (0 = 100000) */
    int cut_rounds;        /* rounds of cuts from the sediment floor (0 = 20, -1 = none) */
    double cut_time_share; /* a cut round starts only if the rounds' time, with the next one
                              estimated as the longest LP so far, stays within this share of
                              time_limit_s (0 = 0.5; no effect without a time limit) */
    const lm_portfolio_carry *seed; /* cuts and portfolios of an earlier search, or NULL */
    int seed_portfolios;   /* of the seed's portfolios, the cheapest this many are priced
                              first, cold with the LP method (0 = 1) */
    lm_portfolio_carry *carry_out; /* if non-NULL, receives this search's cuts and portfolios */
    void (*progress)(void *ctx, const char *line); /* one line per step, or NULL */
    void *progress_ctx;
} lm_portfolio_opts;

typedef struct lm_portfolio_report {
    double lower_bound;    /* LP relaxation optimum (objective units, with offset) */
    double proven_bound;   /* the bound at the end: relaxation raised by branch and bound */
    int n_nodes;           /* branch-and-bound node LPs solved */
    double relaxation_s;   /* wall seconds of the relaxation */
    long relaxation_iterations;
    int n_lps;             /* portfolios priced (fixed LPs solved) */
    int n_candidates;      /* decided dams */
    int n_fractional;      /* decided dams fractional in the relaxation (after the cuts) */
    int n_cuts;            /* cover cuts from the sediment floor added */
    int n_cut_rounds;      /* separation rounds that added cuts and re-solved */
    double cut_bound;      /* the bound after the cover cuts (= lower_bound without any) */
    int n_built;           /* decided dams built in the best portfolio */
    double best_sediment_mt; /* delivered at the floor's reach by the best portfolio */
    int n_seed_cuts;       /* cuts taken from opts->seed before the relaxation */
    int n_seed_priced;     /* seed portfolios priced before the relaxation */
    double seed_best;      /* the cheapest of them here (NAN if none) */
    int coarse_months;     /* lm_portfolio_search_coarse_to_fine: days of the coarse search */
    double coarse_bound, coarse_best, coarse_seconds; /* its bound, best and wall seconds */
    double seconds;        /* wall seconds of the whole search */
} lm_portfolio_report;

/* Solve model m (built with dams.decision binary and a sediment floor or none) by the
 * portfolio search.  *best receives the solution of the best portfolio's LP (with duals),
 * best_bound = the proven bound (the relaxation's optimum, raised by branch and bound when
 * the portfolios alone did not prove the gap) and gap = (objective - bound) / |objective|;
 * status OPTIMAL when that gap is within opts->gap, TIME_LIMIT (with the point) when the time
 * ran out first, ITERATION_LIMIT when the moves, max_lps or max_nodes were exhausted first,
 * otherwise the status of the relaxation (infeasible, unbounded, interrupted, ...).  Returns 0
 * whenever a status was determined, -1 with a message in d otherwise. */
int lm_portfolio_search(const lm_model *m, const lm_portfolio_opts *opts, lm_solution *best,
                        lm_portfolio_report *rep, lm_diag *d);

/* Coarse to fine (m->plan's solver.coarse_months): build the model of the same plan on the coarse
 * representative days only, search it (to half the gap, a tenth of the time limit, dual
 * simplex), then search the fine model m with the coarse search's cuts added before the
 * relaxation and its cheapest portfolios priced first, so that the bound starts with the cuts
 * and an upper bound exists before the long relaxation.  Without coarse months it is
 * lm_portfolio_search.  Same results and return value as lm_portfolio_search. */
int lm_portfolio_search_coarse_to_fine(const lm_model *m, const lm_portfolio_opts *opts,
                                       lm_solution *best, lm_portfolio_report *rep, lm_diag *d);

#endif
