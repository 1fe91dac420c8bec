/* barrier.cpp - the interior-point back end (barrier.h): CLP's ClpInterior with a CHOLMOD
 * factorisation of the normal equations, dense columns split, crossover to a basis.
 *
 * Why: Debian's CLP has only its native Cholesky ("not state of the art", CLP's own words);
 * on the Xu et al. V2 model its factor has 8.4e7 non-zeros and the barrier is slower than
 * the dual simplex (docs/solver.md).  Two things make it fast: CHOLMOD's supernodal
 * factorisation on OpenBLAS (both cores), and splitting the long columns - a capacity column
 * appears in the output, ramp-up and ramp-down rows of every step of its year (842
 * non-zeros) and alone makes a dense 842 x 842 block of A D A^T; split into copies of at
 * most `split_len` non-zeros linked by x_copy - x = 0, A D A^T falls from 1.8e7 to 4.1e6
 * non-zeros and the factor from 6.3e7 to 1.7e7.
 *
 * The class below plugs into ClpInterior through ClpCholeskyBase's virtual order / symbolic /
 * factorize / solve (the extension point CLP documents for other factorisations); it keeps
 * its own copies of everything and uses none of the base class's factor storage. */
#include "solver/barrier.h"

#include <coin/ClpCholeskyBase.hpp>
#include <coin/ClpEventHandler.hpp>
#include <coin/ClpInterior.hpp>
#include <coin/ClpPresolve.hpp>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <suitesparse/cholmod.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

static_assert(sizeof(CoinWorkDouble) == sizeof(double), "CLP built with double work arrays");

namespace {

double wall_now()
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* When to stop: the caller's flag or the deadline. */
struct Stop {
    volatile sig_atomic_t *flag = nullptr;
    double deadline = 0; /* wall clock, 0 = none */
    int why = 0;         /* 0, LM_BARRIER_STOPPED or LM_BARRIER_TIME_LIMIT once seen */
    bool now()
    {
        if (!why && flag && *flag) why = LM_BARRIER_STOPPED;
        if (!why && deadline > 0 && wall_now() > deadline) why = LM_BARRIER_TIME_LIMIT;
        return why != 0;
    }
};

/* Stops the simplex passes (crossover, clean-up) at the end of an iteration. */
class StopHandler : public ClpEventHandler {
public:
    explicit StopHandler(Stop *s) : stop_(s) {}
    int event(Event e) override
    {
        if (e == endOfIteration && stop_->now()) return 5; /* CLP: stopped by event handler */
        return -1;
    }
    ClpEventHandler *clone() const override { return new StopHandler(*this); }

private:
    Stop *stop_;
};

/* A D A^T = L L^T by CHOLMOD.  The pattern of the lower triangle is built once in order();
 * factorize() fills its values from the barrier's diagonal D (columns) and slack diagonal
 * (rows), adds the regularisation ClpInterior asks for (delta^2, perturbation), and - where
 * CHOLMOD finds the matrix not positive definite at the current iterate - adds a growing
 * multiple of the largest diagonal and retries.  Empty rows are dropped (identity). */
class CholmodCholesky : public ClpCholeskyBase {
public:
    CholmodCholesky(Stop *stop, int log) : stop_(stop), log_(log)
    {
        cholmod_start(&c_);
        c_.supernodal = CHOLMOD_SUPERNODAL;
        c_.print = 0;
        c_.error_handler = nullptr; /* statuses are checked here */
    }
    ~CholmodCholesky() override
    {
        if (L_) cholmod_free_factor(&L_, &c_);
        if (A_) cholmod_free_sparse(&A_, &c_);
        cholmod_finish(&c_);
    }
    CholmodCholesky(const CholmodCholesky &) = delete;
    CholmodCholesky &operator=(const CholmodCholesky &) = delete;
    /* ClpInterior clones a Cholesky only when the whole model is copied, which lmplan never
     * does mid-solve: a fresh, unordered factorisation is the right copy. */
    ClpCholeskyBase *clone() const override { return new CholmodCholesky(stop_, log_); }

    int order(ClpInterior *model) override
    {
        model_ = model;
        numberRows_ = model->numberRows();
        const int n = numberRows_;
        rowsDropped_ = new char[n > 0 ? n : 1](); /* the base class frees it */
        numberRowsDropped_ = 0;
        const ClpMatrixBase *m = model->clpMatrix();
        const CoinBigIndex *cs = m->getVectorStarts();
        const int *cl = m->getVectorLengths(), *ri = m->getIndices();
        const double *el = m->getElements();
        const int nc = m->getNumCols();
        /* row-wise copy */
        rstart_.assign((size_t)n + 1, 0);
        for (int j = 0; j < nc; j++)
            for (CoinBigIndex k = cs[j]; k < cs[j] + cl[j]; k++) rstart_[(size_t)ri[k] + 1]++;
        for (int i = 0; i < n; i++) rstart_[(size_t)i + 1] += rstart_[(size_t)i];
        rcol_.resize((size_t)rstart_[(size_t)n]);
        rval_.resize((size_t)rstart_[(size_t)n]);
        std::vector<long> pos(rstart_.begin(), rstart_.end() - 1);
        for (int j = 0; j < nc; j++)
            for (CoinBigIndex k = cs[j]; k < cs[j] + cl[j]; k++) {
                long p = pos[(size_t)ri[k]]++;
                rcol_[(size_t)p] = j;
                rval_[(size_t)p] = el[k];
            }
        /* pattern of the lower triangle, column i = rows r >= i sharing a column with i */
        std::vector<int> ap((size_t)n + 1, 0), ai, mark((size_t)n, -1), which;
        for (int i = 0; i < n; i++) {
            which.clear();
            which.push_back(i);
            mark[(size_t)i] = i;
            for (long k = rstart_[(size_t)i]; k < rstart_[(size_t)i + 1]; k++) {
                int j = rcol_[(size_t)k];
                for (CoinBigIndex q = cs[j]; q < cs[j] + cl[j]; q++) {
                    int r = ri[q];
                    if (r > i && mark[(size_t)r] != i) {
                        mark[(size_t)r] = i;
                        which.push_back(r);
                    }
                }
            }
            std::sort(which.begin(), which.end());
            ai.insert(ai.end(), which.begin(), which.end());
            if (ai.size() > (size_t)INT32_MAX) return 1; /* beyond CHOLMOD's int interface */
            ap[(size_t)i + 1] = (int)ai.size();
        }
        A_ = cholmod_allocate_sparse((size_t)n, (size_t)n, ai.size(), 1, 1, -1, CHOLMOD_REAL, &c_);
        if (!A_) return 1;
        std::copy(ap.begin(), ap.end(), (int *)A_->p);
        std::copy(ai.begin(), ai.end(), (int *)A_->i);
        L_ = cholmod_analyze(A_, &c_);
        if (!L_) return 1;
        normal_nnz = (double)ai.size();
        factor_nnz = c_.lnz;
        factor_flops = c_.fl;
        work_.assign((size_t)n, 0.0);
        sizeFactor_ = (int)ai.size();
        if (log_ > 0)
            fprintf(stderr, "barrier: A D A^T %d rows, %.3g non-zeros; CHOLMOD ordering %d, "
                            "factor %.3g non-zeros, %.3g flops\n",
                    n, normal_nnz, c_.selected, factor_nnz, factor_flops);
        return 0;
    }

    int symbolic() override { return 0; } /* done by cholmod_analyze in order() */

    int factorize(const CoinWorkDouble *diagonal, int *rowsDropped) override
    {
        /* CLP's barrier aborts the process ("dual off to infinity") when an infeasible LP
         * sends its duals (or an unbounded one its primal values) to infinity: stop it well
         * before, and leave the proof to the simplex */
        double big = 0;
        const double *y = model_->dualRowSolution(), *xc = model_->primalColumnSolution();
        for (int i = 0; i < model_->numberRows(); i++) big = std::max(big, std::fabs(y[i]));
        for (int j = 0; j < model_->numberColumns(); j++) big = std::max(big, std::fabs(xc[j]));
        if (!(big < 1e14)) diverged = true;
        if (stop_->now() || diverged) {
            /* ClpInterior checks its iteration limit at the top of each iteration */
            model_->setMaximumBarrierIterations(0);
        }
        const ClpMatrixBase *m = model_->clpMatrix();
        const CoinBigIndex *cs = m->getVectorStarts();
        const int *cl = m->getVectorLengths(), *ri = m->getIndices();
        const double *el = m->getElements();
        const int n = numberRows_, nc = m->getNumCols();
        const double *dslack = diagonal + nc;
        double pert = (double)(model_->diagonalPerturbation() * model_->diagonalNorm());
        pert *= pert;
        if (pert > 1.0) pert = 1e-6;
        double delta2 = (double)model_->delta();
        delta2 *= delta2;
        const int *ap = (const int *)A_->p, *ai = (const int *)A_->i;
        double *ax = (double *)A_->x, largest = 0;
        for (int i = 0; i < n; i++) {
            work_[(size_t)i] = dslack[i] + delta2;
            for (long k = rstart_[(size_t)i]; k < rstart_[(size_t)i + 1]; k++) {
                int j = rcol_[(size_t)k];
                double mult = diagonal[j] * rval_[(size_t)k];
                for (CoinBigIndex q = cs[j]; q < cs[j] + cl[j]; q++)
                    if (ri[q] >= i) work_[(size_t)ri[q]] += el[q] * mult;
            }
            for (int p = ap[i]; p < ap[i + 1]; p++) {
                ax[p] = work_[(size_t)ai[p]];
                work_[(size_t)ai[p]] = 0;
            }
            largest = std::max(largest, ax[ap[i]]);
        }
        /* a row once dropped stays dropped (as in CLP's own Cholesky) */
        for (int i = 0; i < n; i++) {
            double &dg = ax[ap[i]];
            if (!rowsDropped_[i] &&
                (rstart_[(size_t)i] == rstart_[(size_t)i + 1] || !(dg > largest * 1e-30))) {
                rowsDropped_[i] = 1;
                numberRowsDropped_++;
            }
            if (rowsDropped_[i]) {
                for (int p = ap[i] + 1; p < ap[i + 1]; p++) ax[p] = 0;
                dg = 1;
            } else {
                dg += pert;
            }
            rowsDropped[i] = rowsDropped_[i];
        }
        cholmod_factorize(A_, L_, &c_);
        double reg = largest * 1e-14;
        for (int tries = 0; c_.status == CHOLMOD_NOT_POSDEF && tries < 6; tries++, reg *= 100) {
            for (int i = 0; i < n; i++) ax[ap[i]] += reg;
            cholmod_factorize(A_, L_, &c_);
            regularised++;
        }
        factorizations++;
        return c_.status == CHOLMOD_OK ? numberRowsDropped_ : -1;
    }

    void solve(CoinWorkDouble *region) override
    {
        const int n = numberRows_;
        cholmod_dense *b = cholmod_allocate_dense((size_t)n, 1, (size_t)n, CHOLMOD_REAL, &c_);
        if (!b) return;
        std::copy(region, region + n, (double *)b->x);
        cholmod_dense *x = cholmod_solve(CHOLMOD_A, L_, b, &c_);
        if (x) {
            const double *xv = (const double *)x->x;
            for (int i = 0; i < n; i++) region[i] = rowsDropped_[i] ? 0.0 : xv[i];
            cholmod_free_dense(&x, &c_);
        }
        cholmod_free_dense(&b, &c_);
    }

    double normal_nnz = 0, factor_nnz = 0, factor_flops = 0;
    int factorizations = 0, regularised = 0;
    bool diverged = false; /* duals or values on their way to infinity: infeasible or unbounded */

private:
    Stop *stop_;
    int log_;
    cholmod_common c_;
    cholmod_sparse *A_ = nullptr;
    cholmod_factor *L_ = nullptr;
    std::vector<long> rstart_;
    std::vector<int> rcol_;
    std::vector<double> rval_, work_;
};

/* p with every column longer than len split: the column keeps its first len non-zeros, each
 * further chunk of len goes to a copy column (same bounds, cost 0) with a link row
 * x_copy - x = 0.  Columns and rows of p keep their indices; copies and links follow, copy c
 * (column nc + c, link row nr + c) of column (*owner)[c]. */
ClpSimplex *split_long_columns(const ClpSimplex &p, int len, int *n_split,
                               std::vector<int> *owner)
{
    const CoinPackedMatrix *m = p.matrix();
    const int nr = p.numberRows(), nc = p.numberColumns();
    const CoinBigIndex *cs = m->getVectorStarts();
    const int *cl = m->getVectorLengths(), *ri = m->getIndices();
    const double *el = m->getElements();
    std::vector<double> lo(p.columnLower(), p.columnLower() + nc),
        up(p.columnUpper(), p.columnUpper() + nc), obj(p.objective(), p.objective() + nc),
        rlo(p.rowLower(), p.rowLower() + nr), rup(p.rowUpper(), p.rowUpper() + nr);
    struct Chunk {
        int col;
        CoinBigIndex from, to;
    };
    std::vector<Chunk> chunks;
    std::vector<CoinBigIndex> start{0};
    std::vector<int> i2;
    std::vector<double> v2;
    i2.reserve((size_t)m->getNumElements() + 2 * (size_t)nr);
    v2.reserve(i2.capacity());
    *n_split = 0;
    /* the original columns: first len non-zeros, then -1 in the link row of each chunk */
    for (int j = 0; j < nc; j++) {
        CoinBigIndex b = cs[j], e = cs[j] + cl[j], keep = std::min(e, b + len);
        for (CoinBigIndex k = b; k < keep; k++) {
            i2.push_back(ri[k]);
            v2.push_back(el[k]);
        }
        if (keep < e) ++*n_split;
        for (CoinBigIndex k = keep; k < e; k += len) {
            i2.push_back(nr + (int)chunks.size());
            v2.push_back(-1.0);
            chunks.push_back({j, k, std::min(e, k + len)});
        }
        start.push_back((CoinBigIndex)i2.size());
    }
    owner->clear();
    for (const Chunk &c : chunks) owner->push_back(c.col);
    /* the copies: their chunk and +1 in their link row */
    for (size_t c = 0; c < chunks.size(); c++) {
        for (CoinBigIndex k = chunks[c].from; k < chunks[c].to; k++) {
            i2.push_back(ri[k]);
            v2.push_back(el[k]);
        }
        i2.push_back(nr + (int)c);
        v2.push_back(1.0);
        start.push_back((CoinBigIndex)i2.size());
        lo.push_back(p.columnLower()[chunks[c].col]);
        up.push_back(p.columnUpper()[chunks[c].col]);
        obj.push_back(0.0);
        rlo.push_back(0.0);
        rup.push_back(0.0);
    }
    const int nc2 = nc + (int)chunks.size(), nr2 = nr + (int)chunks.size();
    CoinPackedMatrix mat(true, nr2, nc2, (CoinBigIndex)i2.size(), v2.data(), i2.data(), start.data(), nullptr);
    ClpSimplex *q = new ClpSimplex();
    q->loadProblem(mat, lo.data(), up.data(), obj.data(), rlo.data(), rup.data());
    q->setOptimizationDirection(p.optimizationDirection());
    q->setObjectiveOffset(p.objectiveOffset());
    return q;
}

/* A starting basis for crossover from the interior point in q: rows superbasic; a column
 * within `near` of a bound goes to that bound (nonbasic, value moved there); the columns
 * farthest from their bounds - those whose reduced cost is about zero counted as a hundred
 * times farther, as they are the likeliest basic - fill the basis, one per row; the rest stay
 * superbasic at their interior values for the primal simplex to push to a bound.  `near` is
 * absolute (1e-4, in the model's units: MW, Mm3, ...): the barrier stops with many variables
 * within 1e-5 of a bound they belong at, and the primal tolerance (1e-7) would keep them all
 * off it (measured on the Xu et al. V2 case: 247,138 of 247,386 columns "interior" at 1e-7,
 * 133,590 at 1e-4, crossover 48 s against more than ten minutes). */
void crash_basis(ClpSimplex *q, int log)
{
    const double near = 1e-4;
    const int nr = q->numberRows(), nc = q->numberColumns();
    double *x = q->primalColumnSolution();
    const double *dj = q->dualColumnSolution(), *lo = q->columnLower(), *up = q->columnUpper();
    for (int i = 0; i < nr; i++) q->setRowStatus(i, ClpSimplex::superBasic);
    std::vector<std::pair<double, int>> far;
    for (int j = 0; j < nc; j++) {
        double dist = std::min(up[j] - x[j], x[j] - lo[j]);
        if (dist > near) {
            far.push_back({-(std::fabs(dj[j]) < 1e-5 ? 100 * dist : dist), j});
            q->setColumnStatus(j, ClpSimplex::superBasic);
        } else if (x[j] - lo[j] <= up[j] - x[j]) {
            q->setColumnStatus(j, lo[j] == up[j] ? ClpSimplex::isFixed : ClpSimplex::atLowerBound);
            x[j] = lo[j];
        } else {
            q->setColumnStatus(j, ClpSimplex::atUpperBound);
            x[j] = up[j];
        }
    }
    std::sort(far.begin(), far.end());
    const size_t nb = std::min(far.size(), (size_t)nr);
    for (size_t k = 0; k < nb; k++) q->setColumnStatus(far[k].second, ClpSimplex::basic);
    if (log > 0)
        fprintf(stderr, "barrier: crossover from %zu columns off their bounds, %zu made basic\n",
                far.size(), nb);
}

/* Crossover from the barrier's point in q to an optimal basis.  The barrier stops in the
 * interior of the optimal face, often with 200,000 columns off their bounds on the Xu et al.
 * V2 case, and a primal simplex from there spends most of its time pushing columns that
 * the duals already place at a bound.  So: a column within `near` of a bound whose reduced
 * cost holds it there (|dj| > 1e-6, the right sign) is fixed at that bound; presolve takes
 * the fixed columns and whatever they make redundant away; the crash basis and the primal
 * simplex cross the smaller LP over; postsolve and a primal pass with the bounds restored
 * finish on q (a few thousand iterations: the fixing was right).  Measured on V2 from two
 * barrier end points: 31,767 and 62,381 columns fixed, crossover 30-40 s, against 390-440 s
 * for the crash basis on the whole LP.  Returns the simplex iterations. */
long crossover(ClpSimplex *q, int log)
{
    const double near = 1e-4, dj_tol = 1e-6;
    const int n = q->numberColumns();
    const double *x = q->primalColumnSolution(), *dj = q->dualColumnSolution();
    std::vector<double> lo(q->columnLower(), q->columnLower() + n),
        up(q->columnUpper(), q->columnUpper() + n);
    int fixed = 0;
    for (int j = 0; j < n; j++) {
        if (lo[j] == up[j]) continue;
        if (x[j] - lo[j] <= near && dj[j] > dj_tol) {
            q->setColumnUpper(j, lo[j]);
            fixed++;
        } else if (up[j] - x[j] <= near && dj[j] < -dj_tol) {
            q->setColumnLower(j, up[j]);
            fixed++;
        }
    }
    long iters = 0;
    bool crossed = false;
    ClpPresolve presolve;
    ClpSimplex *r = presolve.presolvedModel(*q, 1e-8, false, 5);
    if (log > 0)
        fprintf(stderr, "barrier: crossover: %d columns fixed by their reduced costs, %d x %d left\n",
                fixed, r ? r->numberRows() : 0, r ? r->numberColumns() : 0);
    if (r) {
        r->passInEventHandler(q->eventHandler());
        crash_basis(r, log);
        r->setPerturbation(100);
        const double t = wall_now();
        r->primal(1);
        iters += r->numberIterations();
        if (log > 0)
            fprintf(stderr, "barrier: crossover: reduced LP status %d after %d iterations in %.1f s\n",
                    r->status(), r->numberIterations(), wall_now() - t);
        if (r->status() == 0) {
            presolve.postsolve(true);
            crossed = true;
        }
        delete r;
    }
    /* whatever happened above, q is solved from the status it has now: postsolved, or
     * crashed afresh when the fixing made the LP infeasible or presolve failed */
    for (int j = 0; j < n; j++) {
        q->setColumnLower(j, lo[j]);
        q->setColumnUpper(j, up[j]);
    }
    if (!crossed) crash_basis(q, log);
    q->setPerturbation(100);
    const double t = wall_now();
    q->primal(1);
    if (log > 0)
        fprintf(stderr, "barrier: crossover: whole LP status %d after %d iterations in %.1f s\n",
                q->status(), q->numberIterations(), wall_now() - t);
    return iters + q->numberIterations();
}

/* The basis of q carried to pre (q without the copies and link rows), group by group
 * (lm_barrier_unsplit_basis).  Copied member by member, the statuses gave pre 20 basic columns
 * too many on Xu et al. V2, and the clean-up simplex ran for more than 390 s instead of
 * seconds. */
void basis_without_copies(const ClpSimplex &q, int nc, int nr, const std::vector<int> &owner,
                          ClpSimplex *pre)
{
    const int nq = q.numberColumns(), mq = q.numberRows();
    std::vector<int> qc((size_t)nq), qr((size_t)mq), cs((size_t)nc), rs((size_t)nr);
    for (int j = 0; j < nq; j++) qc[(size_t)j] = (int)q.getColumnStatus(j);
    for (int i = 0; i < mq; i++) qr[(size_t)i] = (int)q.getRowStatus(i);
    lm_barrier_unsplit_basis(nc, nr, (int)owner.size(), owner.data(), qc.data(), qr.data(),
                             q.primalColumnSolution(), q.columnLower(), q.columnUpper(),
                             cs.data(), rs.data());
    for (int j = 0; j < nc; j++) pre->setColumnStatus(j, (ClpSimplex::Status)cs[(size_t)j]);
    for (int i = 0; i < nr; i++) pre->setRowStatus(i, (ClpSimplex::Status)rs[(size_t)i]);
}

} // namespace

extern "C" void lm_barrier_unsplit_basis(int nc, int nr, int ncopies, const int *owner,
                                         const int *q_col_status, const int *q_row_status,
                                         const double *x, const double *lo, const double *up,
                                         int *col_status, int *row_status)
{
    const int basic = (int)ClpSimplex::basic;
    std::vector<int> extra((size_t)nc, 0); /* basic members of the group beyond k */
    for (int c = 0; c < ncopies; c++)
        extra[(size_t)owner[c]] +=
            (q_col_status[nc + c] == basic) + (q_row_status[nr + c] == basic) - 1;
    for (int j = 0; j < nc; j++) {
        int st = q_col_status[j];
        int n_basic = extra[(size_t)j] + (st == basic);
        if (n_basic >= 1) {
            st = basic;
        } else if (st == basic) {
            /* basic in q only to carry a link row: its copies hold it at a bound */
            st = lo[j] == up[j]                  ? (int)ClpSimplex::isFixed
                 : x[j] - lo[j] <= up[j] - x[j] ? (int)ClpSimplex::atLowerBound
                                                : (int)ClpSimplex::atUpperBound;
        }
        col_status[j] = st;
    }
    for (int i = 0; i < nr; i++) row_status[i] = q_row_status[i];
}

extern "C" int lm_barrier_solve(const lm_barrier_problem *pr, const lm_barrier_opts *o,
                                int *col_status, int *row_status, double *x,
                                lm_barrier_info *info)
{
    memset(info, 0, sizeof *info);
    const double t0 = wall_now();
    Stop stop;
    stop.flag = o ? o->stop : nullptr;
    stop.deadline = o && o->time_limit_s > 0 ? t0 + o->time_limit_s : 0;
    const int log = o ? o->log_level : 0;
    const int len = o && o->split_len > 0 ? o->split_len : 100;
    StopHandler handler(&stop);

    /* CLP's barrier aborts the process ("dual off to infinity") on an unbounded LP.  An
     * improving ray needs a column whose cost falls without bound: cost < 0 and no upper
     * bound, or cost > 0 and no lower bound.  Without such a column the LP is bounded and
     * safe for the barrier; with one, it is left to the simplex. */
    for (int j = 0; j < pr->ncols; j++)
        if ((pr->cost[j] < 0 && !(pr->col_ub[j] < 1e30)) ||
            (pr->cost[j] > 0 && !(pr->col_lb[j] > -1e30))) {
            info->status = LM_BARRIER_NOT_TRIED;
            snprintf(info->message, sizeof info->message,
                     "column %d can improve the objective without bound", j);
            return info->status;
        }
    ClpSimplex orig;
    orig.setLogLevel(log > 1 ? log : 0);
    std::vector<CoinBigIndex> st(pr->start, pr->start + pr->ncols + 1);
    /* bounds beyond 1e27 are "none": give them to CLP as infinities, which ClpInterior needs
     * (a finite 1e30 would become a bound with a slack and slow the barrier down) */
    auto none = [](const double *v, int n) {
        std::vector<double> b(v, v + n);
        for (double &x : b)
            if (x >= 1e27) x = COIN_DBL_MAX;
            else if (x <= -1e27) x = -COIN_DBL_MAX;
        return b;
    };
    std::vector<double> clb = none(pr->col_lb, pr->ncols), cub = none(pr->col_ub, pr->ncols),
                        rlb = none(pr->row_lb, pr->nrows), rub = none(pr->row_ub, pr->nrows);
    orig.loadProblem(pr->ncols, pr->nrows, st.data(), pr->index, pr->value, clb.data(),
                     cub.data(), pr->cost, rlb.data(), rub.data());
    orig.passInEventHandler(&handler);

    ClpPresolve presolve;
    const bool presolving = !(o && o->skip_presolve);
    ClpSimplex *pre = presolving ? presolve.presolvedModel(orig, 1e-8, false, 5) : new ClpSimplex(orig);
    info->seconds_presolve = wall_now() - t0;
    if (!pre) {
        info->status = LM_BARRIER_INFEASIBLE;
        snprintf(info->message, sizeof info->message,
                 "presolve found the LP primal or dual infeasible");
        return info->status;
    }
    info->presolved_rows = pre->numberRows();
    info->presolved_cols = pre->numberColumns();
    std::vector<int> owner;
    ClpSimplex *q = split_long_columns(*pre, len, &info->split_columns, &owner);
    info->copies = (int)owner.size();
    q->setLogLevel(log > 1 ? log : 0);

    /* the barrier on q; ClpInterior borrows q's arrays and gives them back with the
     * solution.  The event handler is detached meanwhile: its model must be a ClpSimplex. */
    double t1 = wall_now();
    CholmodCholesky *chol = new CholmodCholesky(&stop, log);
    int barrier_status = 0;
    {
        q->eventHandler()->setSimplex(nullptr);
        ClpInterior barrier;
        barrier.borrowModel(*q);
        barrier.setLogLevel(log > 1 ? log : 0);
        barrier.setCholesky(chol); /* owned by barrier from here */
        barrier.scaling(1);
        if (o->regularization > 0) {
            /* Saunders and Tomlin: gamma^2 added to the primal diagonal, delta^2 to the
             * normal equations' (CholmodCholesky::factorize adds model_->delta()^2) */
            barrier.setGamma(o->regularization);
            barrier.setDelta(o->regularization);
        }
        barrier.primalDual();
        info->barrier_iterations = barrier.numberIterations();
        info->normal_nnz = chol->normal_nnz;
        info->factor_nnz = chol->factor_nnz;
        info->factor_flops = chol->factor_flops;
        info->factorizations = chol->factorizations;
        barrier_status = chol->diverged ? 1 : barrier.status();
        barrier.returnModel(*q);
        q->eventHandler()->setSimplex(q);
        info->seconds_barrier = wall_now() - t1;
        if (log > 0)
            fprintf(stderr, "barrier: %d iterations (%d factorisations, %d regularised) in "
                            "%.1f s, status %d\n",
                    info->barrier_iterations, chol->factorizations, chol->regularised,
                    info->seconds_barrier, barrier_status);
    }
    int rc = LM_BARRIER_OK;
    double xmax = 0;
    for (int j = 0; j < q->numberColumns(); j++)
        xmax = std::max(xmax, std::fabs(q->primalColumnSolution()[j]));
    if (stop.why) {
        rc = stop.why;
    } else if (barrier_status == 1 || barrier_status == 2 || !(xmax < 1e15)) {
        /* CLP's barrier reports infeasibility poorly and does not detect unboundedness (it
         * runs off towards 1e20): leave both to the simplex, which proves them */
        rc = LM_BARRIER_INFEASIBLE;
        snprintf(info->message, sizeof info->message,
                 "the barrier ended with status %d and largest value %.3g", barrier_status, xmax);
    } else {
        double t2 = wall_now();
        q->passInEventHandler(&handler);
        long iters = crossover(q, log);
        if (stop.why) rc = stop.why;
        else if (q->status() != 0) rc = LM_BARRIER_FAILED;
        if (rc == LM_BARRIER_OK) {
            /* back to the presolved model: its columns and rows are q's first ones */
            const int nc = pre->numberColumns(), nr = pre->numberRows();
            basis_without_copies(*q, nc, nr, owner, pre);
            std::copy(q->primalColumnSolution(), q->primalColumnSolution() + nc, pre->primalColumnSolution());
            std::copy(q->primalRowSolution(), q->primalRowSolution() + nr, pre->primalRowSolution());
            std::copy(q->dualRowSolution(), q->dualRowSolution() + nr, pre->dualRowSolution());
            std::copy(q->dualColumnSolution(), q->dualColumnSolution() + nc, pre->dualColumnSolution());
            pre->passInEventHandler(&handler);
            const double t = wall_now();
            pre->primal(0); /* the copies gone, the basis may need a few pivots */
            iters += pre->numberIterations();
            info->unsplit_iterations = pre->numberIterations();
            if (log > 0)
                fprintf(stderr, "barrier: without the copies: %d iterations in %.1f s\n",
                        pre->numberIterations(), wall_now() - t);
            if (stop.why) rc = stop.why;
            else if (pre->status() != 0) rc = LM_BARRIER_FAILED;
        }
        if (rc == LM_BARRIER_OK) {
            if (presolving) {
                presolve.postsolve(true);
            } else { /* pre is a plain copy of orig */
                orig.copyinStatus(pre->statusArray());
                std::copy(pre->primalColumnSolution(), pre->primalColumnSolution() + pr->ncols,
                          orig.primalColumnSolution());
            }
            orig.primal(0); /* clean-up after postsolve, usually no iterations */
            iters += orig.numberIterations();
            if (stop.why) rc = stop.why;
            else if (orig.status() != 0) rc = LM_BARRIER_FAILED;
        }
        info->crossover_iterations = iters;
        info->seconds_crossover = wall_now() - t2;
        if (log > 0)
            fprintf(stderr, "barrier: crossover and clean-up %ld iterations in %.1f s\n", iters,
                    info->seconds_crossover);
    }
    delete q;
    delete pre;
    info->status = (lm_barrier_status)rc;
    if (rc == LM_BARRIER_OK) {
        for (int j = 0; j < pr->ncols; j++) col_status[j] = (int)orig.getColumnStatus(j);
        for (int i = 0; i < pr->nrows; i++) row_status[i] = (int)orig.getRowStatus(i);
        std::copy(orig.primalColumnSolution(), orig.primalColumnSolution() + pr->ncols, x);
        info->objective = orig.objectiveValue();
    } else if (rc == LM_BARRIER_FAILED) {
        snprintf(info->message, sizeof info->message,
                 "the barrier and crossover ended without an optimal basis");
    }
    return rc;
}
