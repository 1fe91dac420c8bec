/* mps.c - export of an lm_lp as a free-format MPS file with lmplan's row and column names
 * (lm_lp_write_mps, see solve.h and docs/solver.md), so that any external solver can be
 * used and every row of the file names its equation, e.g. power.balance[Laos,2030,m3,h14].
 *
 * Written with stdio in one pass over the compressed columns.  Row names are formatted once
 * into an arena (they are repeated for every coefficient); column names are formatted when
 * their column is written.  Names keep only the characters [A-Za-z0-9._,[]-] - anything
 * else (a space in a label, say) becomes '_' - and a name that is not unique (in its
 * namespace, rows or columns) gets the suffix "_r<row>" / "_c<col>".  Conventions: the
 * objective row is "obj" and minimised; its RHS entry is minus the objective offset (the
 * objective is c'x - rhs_obj, as CLP, CBC, HiGHS and Gurobi read it); a two-sided row is
 * written as G with RHS = lower bound and RANGES = upper - lower; integer columns sit
 * between MARKER INTORG/INTEND and always get explicit bounds (BV for 0/1), since some
 * readers give an unbounded integer column the upper bound 1. */
#include "solver/solve.h"
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 512
#define MPS_READER_NAME_LIMIT 159 /* CoinMpsIO (CLP, CBC) reads names up to this length */

static int finite_lb(double v) { return v > -LM_INF; }
static int finite_ub(double v) { return v < LM_INF; }

/* ---- names ------------------------------------------------------------------------- */

static int name_char_ok(unsigned char c)
{
    return (unsigned)((c | 32) - 'a') < 26 || (unsigned)(c - '0') < 10 || c == '.' || c == '_' ||
           c == ',' || c == '[' || c == ']' || c == '-';
}

/* Replace characters MPS readers would split on or misread; *changed is set to 1 if any
 * was.  Returns the length. */
static size_t sanitize(char *s, int *changed)
{
    char *p = s;
    for (; *p; p++)
        if (!name_char_ok((unsigned char)*p)) {
            *p = '_';
            *changed = 1;
        }
    return (size_t)(p - s);
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33; /* MurmurHash3's finaliser */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Eight bytes at a time: names differ mostly in their last characters, so every byte must
 * reach the slot index (hence the finaliser). */
static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, v;
    for (; n >= 8; n -= 8, s += 8) {
        memcpy(&v, s, 8);
        h = mix(h ^ v);
    }
    v = 0;
    memcpy(&v, s, n);
    h = mix(h ^ v);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* Set of 64-bit name hashes (open addressing).  A hash match counts as a duplicate: a false
 * positive (probability ~1e-7 for a million names) only costs an unnecessary suffix. */
typedef struct name_set {
    uint64_t *slot;
    size_t mask;
} name_set;

static void set_init(name_set *s, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 16) cap <<= 1;
    s->slot = lm_xcalloc(cap, sizeof(uint64_t));
    s->mask = cap - 1;
}

/* 1 if inserted, 0 if already present. */
static int set_insert(name_set *s, const char *name, size_t len)
{
    uint64_t h = hash_name(name, len);
    size_t i = (size_t)h & s->mask;
    while (s->slot[i]) {
        if (s->slot[i] == h) return 0;
        i = (i + 1) & s->mask;
    }
    s->slot[i] = h;
    return 1;
}

typedef struct name_stats {
    long sanitized, duplicates, too_long;
    char first_sanitized[NAME_MAX_LEN], first_duplicate[NAME_MAX_LEN], first_long[NAME_MAX_LEN];
} name_stats;

static char *put_int(char *p, long v)
{
    char tmp[24];
    int n = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    if (v < 0) *p++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n) *p++ = tmp[--n];
    return p;
}

/* lm_lp_row_name / lm_lp_col_name without snprintf: the same text (test_solver checks it on
 * every index kind), five times faster, which matters at two million names. */
static void lp_name(const lm_lp *lp, int is_row, int k, char *buf)
{
    int fam = is_row ? lp->row_fam[k] : lp->col_fam[k];
    const int32_t *idx = (is_row ? lp->row_idx : lp->col_idx) + (size_t)k * LM_LP_MAXDIM;
    const lm_lp_family *f = &lp->fam[fam];
    char *p = buf, *end = buf + NAME_MAX_LEN - 32; /* room for a number and "]" */
    size_t nc = strlen(f->component), nn = strlen(f->name);
    memcpy(p, f->component, nc);
    p += nc;
    *p++ = '.';
    memcpy(p, f->name, nn);
    p += nn;
    int nd = (int)strlen(f->dims);
    for (int i = 0; i < nd; i++) {
        char kind = f->dims[i];
        int v = idx[i];
        *p++ = i == 0 ? '[' : ',';
        int lower = kind >= 'a' && kind <= 'z';
        const char *const *labels = lower ? lp->labels[kind - 'a'] : NULL;
        if (labels && v >= 0 && v < lp->n_labels[kind - 'a']) {
            size_t n = strlen(labels[v]);
            if (p + n >= end) goto slow;
            memcpy(p, labels[v], n);
            p += n;
        } else if (kind == 'm' || kind == 'h') {
            *p++ = kind;
            p = put_int(p, (long)v + 1);
        } else {
            p = put_int(p, v);
        }
        if (p >= end) goto slow;
    }
    if (nd > 0) *p++ = ']';
    *p = 0;
    return;
slow: /* a label of hundreds of characters: let lp.c truncate it */
    if (is_row)
        lm_lp_row_name(lp, k, buf, NAME_MAX_LEN - 32);
    else
        lm_lp_col_name(lp, k, buf, NAME_MAX_LEN - 32);
}

/* The final MPS name of row/column `k` into buf (the set decides uniqueness); its length. */
static size_t mps_name(const lm_lp *lp, int is_row, int k, name_set *set, name_stats *st,
                     char *buf)
{
    lp_name(lp, is_row, k, buf);
    int changed = 0;
    size_t n = sanitize(buf, &changed);
    if (changed && st->sanitized++ == 0)
        snprintf(st->first_sanitized, sizeof st->first_sanitized, "%s", buf);
    if (!set_insert(set, buf, n)) {
        if (st->duplicates++ == 0)
            snprintf(st->first_duplicate, sizeof st->first_duplicate, "%s", buf);
        n += (size_t)snprintf(buf + n, NAME_MAX_LEN - n, "_%c%d", is_row ? 'r' : 'c', k);
        set_insert(set, buf, n);
    }
    if (n > MPS_READER_NAME_LIMIT && st->too_long++ == 0)
        snprintf(st->first_long, sizeof st->first_long, "%s", buf);
    return n;
}

/* ---- numbers ----------------------------------------------------------------------- */

/* Shortest of %.15g / %.17g that reads back exactly; integers the fast way. */
static const char *fmt_num_raw(double v, char *buf)
{
    if (v == 0) return "0";
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        long long k = (long long)v;
        char tmp[24];
        int n = 0, neg = k < 0;
        unsigned long long u = neg ? (unsigned long long)(-k) : (unsigned long long)k;
        do {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        int p = 0;
        if (neg) buf[p++] = '-';
        while (n) buf[p++] = tmp[--n];
        buf[p] = 0;
        return buf;
    }
    snprintf(buf, 32, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, 32, "%.17g", v);
    return buf;
}

/* Formatting a double costs ~1 us and models repeat few distinct coefficients (1, -1,
 * efficiencies, durations...), so formatted values are kept in a small direct-mapped cache. */
#define NUM_CACHE 4096
typedef struct num_cache {
    uint64_t key[NUM_CACHE];
    uint8_t used[NUM_CACHE];
    char text[NUM_CACHE][26];
} num_cache;

static const char *fmt_num(num_cache *c, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    size_t k = (size_t)((bits * 0x9E3779B97F4A7C15ULL) >> 52) & (NUM_CACHE - 1);
    if (!c->used[k] || c->key[k] != bits) {
        char buf[32];
        const char *t = fmt_num_raw(v, buf);
        snprintf(c->text[k], sizeof c->text[k], "%s", t);
        c->key[k] = bits;
        c->used[k] = 1;
    }
    return c->text[k];
}

/* ---- rows -------------------------------------------------------------------------- */

enum { ROW_N, ROW_E, ROW_L, ROW_G, ROW_RANGED, ROW_CROSSED };

static int row_kind(double lb, double ub)
{
    int fl = finite_lb(lb), fu = finite_ub(ub);
    if (!fl && !fu) return ROW_N;
    if (!fl) return ROW_L;
    if (!fu) return ROW_G;
    if (lb == ub) return ROW_E;
    return lb < ub ? ROW_RANGED : ROW_CROSSED;
}

/* ---- writer ------------------------------------------------------------------------ */

/* Output through our own buffer: fputs per token (locking, strlen) was a third of the time. */
#define OUT_BUF (1 << 20)
typedef struct writer {
    FILE *f;
    size_t len;
    num_cache nums;
    char buf[OUT_BUF];
} writer;

static void flush(writer *w)
{
    if (w->len) fwrite(w->buf, 1, w->len, w->f);
    w->len = 0;
}

static void put_n(writer *w, const char *s, size_t n)
{
    if (w->len + n > OUT_BUF) flush(w);
    if (n > OUT_BUF) {
        fwrite(s, 1, n, w->f);
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void put(writer *w, const char *s) { put_n(w, s, strlen(s)); }

static const char *num(writer *w, double v) { return fmt_num(&w->nums, v); }

static void put3(writer *w, const char *a, const char *b, const char *c)
{
    put(w, "    ");
    put(w, a);
    put(w, " ");
    put(w, b);
    put(w, " ");
    put(w, c);
    put(w, "\n");
}

/* One coefficient line "    col row value", with the lengths of col and row known. */
static void put_entry(writer *w, const char *col, size_t ncol, const char *row, size_t nrow,
                      const char *value)
{
    put_n(w, "    ", 4);
    put_n(w, col, ncol);
    put_n(w, " ", 1);
    put_n(w, row, nrow);
    put_n(w, " ", 1);
    put(w, value);
    put_n(w, "\n", 1);
}

static void put_line(writer *w, const char *a, const char *b)
{
    put(w, a);
    put(w, b);
    put(w, "\n");
}

static void bound(writer *w, const char *type, const char *col, const char *value)
{
    put(w, " ");
    put(w, type);
    put(w, " BND ");
    put(w, col);
    if (value) {
        put(w, " ");
        put(w, value);
    }
    put(w, "\n");
}

static void write_bounds(writer *w, const char *name, double lb, double ub, int integer)
{
    int fl = finite_lb(lb), fu = finite_ub(ub);
    if (integer && lb == 0 && ub == 1) {
        bound(w, "BV", name, NULL);
        return;
    }
    if (fl && fu && lb == ub) {
        bound(w, "FX", name, num(w, lb));
        return;
    }
    if (!fl && !fu) {
        bound(w, "FR", name, NULL);
        return;
    }
    if (!fl) {
        bound(w, "MI", name, NULL);
        bound(w, "UP", name, num(w, ub));
        return;
    }
    /* lower bound finite; UP before LO, since some readers turn "UP < 0 with lower bound 0"
     * into a free lower bound */
    if (fu)
        bound(w, "UP", name, num(w, ub));
    else if (integer)
        bound(w, "PL", name, NULL);
    if (lb != 0 || (fu && ub < 0)) bound(w, "LO", name, num(w, lb));
}

int lm_lp_write_mps(const lm_lp *lp, const char *path, lm_diag *d)
{
    if (!lp || !lp->finalized) {
        lm_diag_error(d, "MPS export: the model must be finalized (lm_lp_finalize) first");
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        lm_diag_error(d, "%s: cannot write the MPS file: %s", path, strerror(errno));
        return -1;
    }
    writer *w = lm_xcalloc(1, sizeof *w);
    w->f = f;
    name_stats st;
    memset(&st, 0, sizeof st);
    char name[NAME_MAX_LEN];

    /* row names, once */
    name_set rows;
    set_init(&rows, (size_t)lp->nrows + 1);
    set_insert(&rows, "obj", 3);
    size_t cap = (size_t)lp->nrows * 32 + 64, used = 0;
    char *arena = lm_xmalloc(cap);
    size_t *off = lm_xmalloc(((size_t)lp->nrows + 1) * sizeof(size_t));
    for (int i = 0; i < lp->nrows; i++) {
        size_t n = mps_name(lp, 1, i, &rows, &st, name) + 1;
        if (used + n > cap) {
            while (used + n > cap) cap *= 2;
            arena = lm_xrealloc(arena, cap);
        }
        memcpy(arena + used, name, n);
        off[i] = used;
        used += n;
    }
    free(rows.slot);
    off[lp->nrows] = used;
#define ROWNAME(i) (arena + off[(i)])
#define ROWLEN(i) (off[(i) + 1] - off[(i)] - 1)

    put(w, "* lmplan model: objective row \"obj\" (minimise); the objective offset is minus "
           "the RHS of obj\n");
    put(w, "NAME lmplan\nROWS\n N  obj\n");
    long crossed = 0;
    for (int i = 0; i < lp->nrows; i++) {
        static const char *const tag[] = {" N  ", " E  ", " L  ", " G  ", " G  ", " G  "};
        int k = row_kind(lp->row_lb[i], lp->row_ub[i]);
        crossed += k == ROW_CROSSED;
        put_line(w, tag[k], ROWNAME(i));
    }

    put(w, "COLUMNS\n");
    name_set cols;
    set_init(&cols, (size_t)lp->ncols);
    uint8_t *renamed = lm_xcalloc((size_t)lp->ncols + 1, 1);
    int in_int = 0, marker = 0;
    char mk[32];
    for (int j = 0; j < lp->ncols; j++) {
        if ((lp->col_int[j] != 0) != in_int) {
            in_int = !in_int;
            snprintf(mk, sizeof mk, "MARKER%d", marker++);
            put3(w, mk, "'MARKER'", in_int ? "'INTORG'" : "'INTEND'");
        }
        long before = st.duplicates;
        size_t nlen = mps_name(lp, 0, j, &cols, &st, name);
        renamed[j] = st.duplicates != before;
        long p0 = lp->start[j], p1 = lp->start[j + 1];
        if (lp->col_cost[j] != 0 || p0 == p1) /* a column without entries must still appear */
            put3(w, name, "obj", num(w, lp->col_cost[j]));
        for (long p = p0; p < p1; p++) {
            int i = lp->index[p];
            put_entry(w, name, nlen, ROWNAME(i), ROWLEN(i), num(w, lp->value[p]));
        }
    }
    if (in_int) {
        snprintf(mk, sizeof mk, "MARKER%d", marker++);
        put3(w, mk, "'MARKER'", "'INTEND'");
    }
    free(cols.slot);

    put(w, "RHS\n");
    if (lp->obj_offset != 0) put3(w, "RHS", "obj", num(w, -lp->obj_offset));
    for (int i = 0; i < lp->nrows; i++) {
        int k = row_kind(lp->row_lb[i], lp->row_ub[i]);
        double rhs = k == ROW_L ? lp->row_ub[i] : k == ROW_N ? 0 : lp->row_lb[i];
        if (rhs != 0) put3(w, "RHS", ROWNAME(i), num(w, rhs));
    }
    int any_range = 0;
    for (int i = 0; i < lp->nrows; i++) {
        if (row_kind(lp->row_lb[i], lp->row_ub[i]) != ROW_RANGED) continue;
        if (!any_range) put(w, "RANGES\n");
        any_range = 1;
        put3(w, "RNG", ROWNAME(i), num(w, lp->row_ub[i] - lp->row_lb[i]));
    }

    /* Bounds need the column names again: regenerate them, reusing the first pass's
     * renaming decisions. */
    int any_bound = 0;
    for (int j = 0; j < lp->ncols; j++) {
        double lb = lp->col_lb[j], ub = lp->col_ub[j];
        int integer = lp->col_int[j] != 0;
        if (!integer && lb == 0 && !finite_ub(ub)) continue; /* the MPS default */
        if (!any_bound) put(w, "BOUNDS\n");
        any_bound = 1;
        lp_name(lp, 0, j, name);
        int changed = 0;
        size_t n = sanitize(name, &changed);
        if (renamed[j]) snprintf(name + n, NAME_MAX_LEN - n, "_c%d", j);
        write_bounds(w, name, lb, ub, integer);
    }
    put(w, "ENDATA\n");
    flush(w);
#undef ROWNAME
#undef ROWLEN
    free(w);
    free(renamed);
    free(arena);
    free(off);

    int failed = ferror(f);
    if (fclose(f) != 0) failed = 1;
    if (failed) {
        lm_diag_error(d, "%s: writing the MPS file failed: %s", path, strerror(errno));
        return -1;
    }
    if (st.sanitized)
        lm_diag_warn(d, "MPS export: %ld names had characters other than [A-Za-z0-9._,[]-], "
                     "written as '_' (first: %s)", st.sanitized, st.first_sanitized);
    if (st.duplicates)
        lm_diag_warn(d, "MPS export: %ld names were not unique and got a _r<row>/_c<col> suffix "
                     "(first: %s)", st.duplicates, st.first_duplicate);
    if (st.too_long)
        lm_diag_warn(d, "MPS export: %ld names are longer than %d characters, which CLP and CBC "
                     "cannot read (first: %s)", st.too_long, MPS_READER_NAME_LIMIT, st.first_long);
    if (crossed)
        lm_diag_warn(d, "MPS export: %ld rows have lower bound > upper bound; MPS cannot say so "
                     "and they were written with their lower bound only", crossed);
    return 0;
}
