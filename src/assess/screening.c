/* screening.c - green-finance screening over a criteria table (screening.h).
 *
 * The loader validates data/criteria/green_finance_criteria.csv row by row and reports every
 * error as `file:line:column`; the screen evaluates the clauses of one taxonomy+technology
 * with three-valued logic (satisfied / not / cannot tell) and combines them with the table's
 * `all` or `any`.  Nothing here knows a taxonomy's thresholds: they, and their sources (CBI
 * Hydropower Criteria 2021, EU Delegated Acts 2021/2139 and 2022/1214, ASEAN Taxonomy v2/v3,
 * China's 2021 Green Bond Endorsed Projects Catalogue; ../shared/research/anchors.md
 * section 2), live in the table. */
#include "assess/screening.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/csv.h"

static const char *const TAX_NAMES[LM_TAX_N] = {"cbi", "eu", "asean", "china2021"};

static const char *const IND_NAMES[LM_IND_N] = {
    "none",
    "power_density_w_m2",
    "lifecycle_g_co2e_kwh",
    "direct_g_co2e_kwh",
    "commissioning_date",
    "run_of_river",
    "solar_share_pct",
    "new_capacity_green_pct",
    "grid_lifecycle_g_co2e_kwh",
};

static const char *const CMP_NAMES[LM_CMP_N] = {"<",     "<=",          ">",   ">=",  "before",
                                                "after", "on_or_after", "any", "none"};

static int find(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}

const char *lm_screen_taxonomy_name(int t) { return t >= 0 && t < LM_TAX_N ? TAX_NAMES[t] : "?"; }
int lm_screen_taxonomy_find(const char *s) { return s ? find(TAX_NAMES, LM_TAX_N, s) : -1; }
const char *lm_screen_indicator_name(int i) { return i >= 0 && i < LM_IND_N ? IND_NAMES[i] : "?"; }
int lm_screen_indicator_find(const char *s) { return s ? find(IND_NAMES, LM_IND_N, s) : -1; }
const char *lm_screen_cmp_name(int c) { return c >= 0 && c < LM_CMP_N ? CMP_NAMES[c] : "?"; }
int lm_screen_cmp_find(const char *s) { return s ? find(CMP_NAMES, LM_CMP_N, s) : -1; }

const char *lm_screen_status_name(int s)
{
    switch (s) {
    case LM_SCREEN_ELIGIBLE: return "eligible";
    case LM_SCREEN_NOT_ELIGIBLE: return "not eligible";
    default: return "cannot tell";
    }
}

static int is_date_cmp(int c) { return c == LM_CMP_BEFORE || c == LM_CMP_AFTER || c == LM_CMP_ON_OR_AFTER; }

/* YYYY, YYYY-MM or YYYY-MM-DD as a decimal year, as declared.c converts commissioning dates. */
static int parse_date(const char *s, double *out)
{
    int y = 0, m = 0, d = 0, n = 0;
    size_t len = strlen(s);
    if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4) {
    } else if (len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7) {
    } else if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
    } else {
        return -1;
    }
    if (m < 0 || m > 12 || d < 0 || d > 31 || (len >= 7 && m == 0) || (len == 10 && d == 0))
        return -1;
    *out = y + (m ? (m - 1) / 12.0 : 0) + (d ? (d - 1) / 365.0 : 0);
    return 0;
}

/* Threshold text for comparison `cmp`; records a located error and returns -1 if bad. */
static int parse_threshold(lm_diag *d, const char *file, long line, const char *col, int cmp,
                           const char *s, double *out)
{
    *out = NAN;
    if (cmp == LM_CMP_ANY || cmp == LM_CMP_NONE) {
        if (*s) {
            lm_diag_at(d, file, line, col, s, "comparison `%s` takes no threshold",
                       CMP_NAMES[cmp]);
            return -1;
        }
        return 0;
    }
    if (is_date_cmp(cmp)) {
        if (parse_date(s, out) != 0) {
            lm_diag_at(d, file, line, col, s, "not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
            return -1;
        }
        return 0;
    }
    if (lm_parse_double(s, out, 0) != 0) {
        lm_diag_at(d, file, line, col, s, "not a number");
        return -1;
    }
    return 0;
}

/* Indicator and comparison must fit: dates compare only with dates, `any`/`none` need none. */
static int check_pair(lm_diag *d, const char *file, long line, const char *col, const char *v,
                      int ind, int cmp)
{
    int needs_none = cmp == LM_CMP_ANY || cmp == LM_CMP_NONE;
    if (needs_none != (ind == LM_IND_NONE)) {
        lm_diag_at(d, file, line, col, v,
                   needs_none ? "comparison `%s` takes indicator `none`"
                              : "comparison `%s` needs an indicator other than `none`",
                   CMP_NAMES[cmp]);
        return -1;
    }
    if (!needs_none && is_date_cmp(cmp) != (ind == LM_IND_COMMISSIONING_DATE)) {
        lm_diag_at(d, file, line, col, v,
                   "date comparisons (before/after/on_or_after) go with commissioning_date only");
        return -1;
    }
    return 0;
}

enum {
    COL_TAXONOMY, COL_VERSION, COL_TECHNOLOGY, COL_CLAUSE_ID, COL_CLAUSE_TEXT, COL_INDICATOR,
    COL_COMPARISON, COL_THRESHOLD, COL_UNIT, COL_COMBINATION, COL_APPLIES_IF, COL_SOURCE,
    COL_SOURCE_URL, COL_CHECKED, COL_N
};
static const char *const COL_NAMES[COL_N] = {
    "taxonomy", "version", "technology", "clause_id", "clause_text", "indicator", "comparison",
    "threshold", "unit", "combination", "applies_if", "source", "source_url", "checked"};

/* `applies_if`: empty, or "indicator comparison threshold" separated by blanks. */
static int parse_condition(lm_diag *d, const char *file, long line, const char *s,
                           lm_criterion *c)
{
    const char *col = COL_NAMES[COL_APPLIES_IF];
    c->has_condition = 0;
    if (!*s) return 0;
    char ind[64], cmp[32], thr[64], extra[2];
    if (sscanf(s, "%63s %31s %63s %1s", ind, cmp, thr, extra) != 3) {
        lm_diag_at(d, file, line, col, s, "expected `indicator comparison threshold`");
        return -1;
    }
    int i = lm_screen_indicator_find(ind), k = lm_screen_cmp_find(cmp);
    if (i < 0) {
        lm_diag_at(d, file, line, col, s, "unknown indicator `%s`", ind);
        return -1;
    }
    if (k < 0 || k == LM_CMP_ANY || k == LM_CMP_NONE) {
        lm_diag_at(d, file, line, col, s, "unknown or unusable comparison `%s`", cmp);
        return -1;
    }
    if (check_pair(d, file, line, col, s, i, k) != 0) return -1;
    if (parse_threshold(d, file, line, col, k, thr, &c->condition.threshold) != 0) return -1;
    c->condition.indicator = i;
    c->condition.cmp = k;
    c->has_condition = 1;
    return 0;
}

void lm_criteria_free(lm_criteria *cr)
{
    if (!cr) return;
    for (int i = 0; i < cr->n; i++) {
        lm_criterion *c = &cr->c[i];
        free(c->version); free(c->technology); free(c->clause_id); free(c->clause_text);
        free(c->unit); free(c->source); free(c->source_url); free(c->checked);
    }
    free(cr->c);
    free(cr->file);
    free(cr);
}

int lm_criteria_load(const char *path, lm_criteria **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    lm_csv csv;
    int col[COL_N];
    if (lm_csv_read_columns(path, COL_NAMES, COL_N, &csv, col, d) != 0) return -1;
    lm_criteria *cr = lm_xcalloc(1, sizeof *cr);
    cr->file = lm_xstrdup(path);
    cr->c = lm_xcalloc(csv.n_rows > 0 ? (size_t)csv.n_rows : 1, sizeof *cr->c);
    for (int r = 0; r < csv.n_rows; r++) {
        long line = csv.line[r];
        const char *v[COL_N];
        for (int k = 0; k < COL_N; k++) v[k] = lm_csv_cell(&csv, r, col[k]);
        int bad = 0;
        lm_criterion c = {0};
        c.line = line;
        if ((c.taxonomy = lm_screen_taxonomy_find(v[COL_TAXONOMY])) < 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_TAXONOMY], v[COL_TAXONOMY],
                       "unknown taxonomy (cbi, eu, asean, china2021)");
            bad = 1;
        }
        for (int k = COL_VERSION; k <= COL_CLAUSE_TEXT; k++)
            if (!*v[k]) {
                lm_diag_at(d, path, line, COL_NAMES[k], v[k], "must not be empty");
                bad = 1;
            }
        int ind = lm_screen_indicator_find(v[COL_INDICATOR]);
        int cmp = lm_screen_cmp_find(v[COL_COMPARISON]);
        if (ind < 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_INDICATOR], v[COL_INDICATOR],
                       "unknown indicator");
            bad = 1;
        }
        if (cmp < 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_COMPARISON], v[COL_COMPARISON],
                       "unknown comparison (<, <=, >, >=, before, after, on_or_after, any, none)");
            bad = 1;
        }
        if (ind >= 0 && cmp >= 0) {
            if (check_pair(d, path, line, COL_NAMES[COL_COMPARISON], v[COL_COMPARISON], ind,
                           cmp) != 0 ||
                parse_threshold(d, path, line, COL_NAMES[COL_THRESHOLD], cmp, v[COL_THRESHOLD],
                                &c.test.threshold) != 0)
                bad = 1;
        }
        c.test.indicator = ind;
        c.test.cmp = cmp;
        if (strcmp(v[COL_COMBINATION], "all") == 0) {
            c.combination = LM_COMB_ALL;
        } else if (strcmp(v[COL_COMBINATION], "any") == 0) {
            c.combination = LM_COMB_ANY;
        } else {
            lm_diag_at(d, path, line, COL_NAMES[COL_COMBINATION], v[COL_COMBINATION],
                       "must be `all` or `any`");
            bad = 1;
        }
        if (parse_condition(d, path, line, v[COL_APPLIES_IF], &c) != 0) bad = 1;
        if (strncmp(v[COL_CHECKED], "yes", 3) != 0 && strncmp(v[COL_CHECKED], "no", 2) != 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_CHECKED], v[COL_CHECKED],
                       "must start with `yes` or `no`");
            bad = 1;
        }
        for (int i = 0; i < cr->n; i++) {
            const lm_criterion *o = &cr->c[i];
            if (strcmp(o->clause_id, v[COL_CLAUSE_ID]) == 0) {
                lm_diag_at(d, path, line, COL_NAMES[COL_CLAUSE_ID], v[COL_CLAUSE_ID],
                           "duplicate clause id (first on line %ld)", o->line);
                bad = 1;
            } else if (!bad && o->taxonomy == c.taxonomy &&
                       strcmp(o->technology, v[COL_TECHNOLOGY]) == 0 &&
                       o->combination != c.combination) {
                lm_diag_at(d, path, line, COL_NAMES[COL_COMBINATION], v[COL_COMBINATION],
                           "differs from line %ld for the same taxonomy and technology",
                           o->line);
                bad = 1;
            }
        }
        if (bad) continue;
        c.version = lm_xstrdup(v[COL_VERSION]);
        c.technology = lm_xstrdup(v[COL_TECHNOLOGY]);
        c.clause_id = lm_xstrdup(v[COL_CLAUSE_ID]);
        c.clause_text = lm_xstrdup(v[COL_CLAUSE_TEXT]);
        c.unit = lm_xstrdup(v[COL_UNIT]);
        c.source = lm_xstrdup(v[COL_SOURCE]);
        c.source_url = lm_xstrdup(v[COL_SOURCE_URL]);
        c.checked = lm_xstrdup(v[COL_CHECKED]);
        cr->c[cr->n++] = c;
    }
    lm_csv_free(&csv);
    if (d->n_errors > errors0) {
        lm_criteria_free(cr);
        return -1;
    }
    *out = cr;
    return 0;
}

void lm_screen_inputs_init(lm_screen_inputs *in)
{
    for (int i = 0; i < LM_IND_N; i++) in->value[i] = NAN;
}

/* 1 satisfied, 0 not, -1 cannot tell (the indicator is unknown). */
static int eval_test(const lm_screen_test *t, const lm_screen_inputs *in, double *value)
{
    *value = NAN;
    if (t->cmp == LM_CMP_ANY) return 1;
    if (t->cmp == LM_CMP_NONE) return 0;
    double x = in->value[t->indicator];
    *value = x;
    if (isnan(x)) return -1;
    switch (t->cmp) {
    case LM_CMP_LT: case LM_CMP_BEFORE: return x < t->threshold;
    case LM_CMP_LE: return x <= t->threshold;
    case LM_CMP_GT: case LM_CMP_AFTER: return x > t->threshold;
    case LM_CMP_GE: case LM_CMP_ON_OR_AFTER: return x >= t->threshold;
    default: return -1;
    }
}

static void screen_once(const lm_criteria *cr, int taxonomy, const char *technology,
                        const lm_screen_inputs *in, lm_screen_result *out)
{
    memset(out, 0, sizeof *out);
    out->over_unknown = -1;
    int comb = LM_COMB_ANY;
    /* Effective result of each clause, and the first clause with each result. */
    int first[3] = {-1, -1, -1}; /* index by result + 1: cannot tell, not satisfied, satisfied */
    int last_ok = -1, n_clauses = 0;
    for (int i = 0; i < cr->n; i++) {
        const lm_criterion *c = &cr->c[i];
        if (c->taxonomy != taxonomy || strcmp(c->technology, technology) != 0) continue;
        n_clauses++;
        comb = c->combination;
        out->version = c->version;
        double cv = NAN;
        int applies = c->has_condition ? eval_test(&c->condition, in, &cv) : 1;
        double value;
        int outcome = eval_test(&c->test, in, &value);
        if (out->n_compared < LM_SCREEN_MAX_COMPARED) {
            lm_screen_compared *m = &out->compared[out->n_compared++];
            m->clause_id = c->clause_id;
            m->applies = applies;
            m->indicator = c->test.indicator;
            m->value = value;
            m->cmp = c->test.cmp;
            m->threshold = c->test.threshold;
            m->outcome = outcome;
        }
        if (applies == 0) continue;
        int r = outcome;
        /* Condition unknown: the clause still decides when its outcome is the one that cannot
         * change the combination whether or not it applies (a failed `any` clause, a
         * satisfied `all` clause). */
        if (applies < 0) r = outcome == (comb == LM_COMB_ANY ? 0 : 1) ? outcome : -1;
        if (first[r + 1] < 0) first[r + 1] = i;
        if (r == 1) last_ok = i;
    }
    int decide;
    if (n_clauses == 0) {
        out->status = LM_SCREEN_NOT_ELIGIBLE;
        out->clause_text = "no clause of this taxonomy covers the technology";
        return;
    }
    if (comb == LM_COMB_ANY) {
        if (first[2] >= 0) { out->status = LM_SCREEN_ELIGIBLE; decide = first[2]; }
        else if (first[0] >= 0) { out->status = LM_SCREEN_CANNOT_TELL; decide = first[0]; }
        else { out->status = LM_SCREEN_NOT_ELIGIBLE; decide = first[1]; }
    } else {
        if (first[1] >= 0) { out->status = LM_SCREEN_NOT_ELIGIBLE; decide = first[1]; }
        else if (first[0] >= 0) { out->status = LM_SCREEN_CANNOT_TELL; decide = first[0]; }
        else { out->status = LM_SCREEN_ELIGIBLE; decide = last_ok; }
    }
    if (decide < 0) { /* every clause excluded by its condition */
        out->status = LM_SCREEN_NOT_ELIGIBLE;
        out->clause_text = "no clause applies to this project";
        return;
    }
    out->clause_id = cr->c[decide].clause_id;
    out->clause_text = cr->c[decide].clause_text;
}

int lm_screen_project(const lm_criteria *cr, int taxonomy, const char *technology,
                      const lm_screen_inputs *in, lm_screen_result *out)
{
    if (!cr || !technology || !in || !out || taxonomy < 0 || taxonomy >= LM_TAX_N) return -1;
    screen_once(cr, taxonomy, technology, in, out);
    if (out->status != LM_SCREEN_CANNOT_TELL) return 0;
    /* Cannot tell, perhaps only because an applicability condition is unknown (CBI's
     * commissioning date).  If exactly one condition indicator is unknown, try it at every
     * threshold of the conditions and on both sides of each: when every case gives the same
     * verdict, that verdict holds whatever the unknown value is. */
    int unknown = -1;
    for (int i = 0; i < cr->n; i++) {
        const lm_criterion *c = &cr->c[i];
        if (c->taxonomy != taxonomy || strcmp(c->technology, technology) != 0 ||
            !c->has_condition || !isnan(in->value[c->condition.indicator]))
            continue;
        if (unknown >= 0 && unknown != c->condition.indicator) return 0;
        unknown = c->condition.indicator;
    }
    if (unknown < 0) return 0;
    int verdict = -1;
    const char *first_id = NULL, *first_text = NULL;
    for (int i = 0; i < cr->n; i++) {
        const lm_criterion *c = &cr->c[i];
        if (c->taxonomy != taxonomy || strcmp(c->technology, technology) != 0 ||
            !c->has_condition || c->condition.indicator != unknown)
            continue;
        double t = c->condition.threshold, eps = 1e-6 * fmax(1.0, fabs(t));
        double cand[3] = {t - eps, t, t + eps};
        for (int k = 0; k < 3; k++) {
            lm_screen_inputs alt = *in;
            lm_screen_result r;
            alt.value[unknown] = cand[k];
            screen_once(cr, taxonomy, technology, &alt, &r);
            if (r.status == LM_SCREEN_CANNOT_TELL || (verdict >= 0 && r.status != verdict))
                return 0;
            if (verdict < 0) {
                first_id = r.clause_id;
                first_text = r.clause_text;
            }
            verdict = r.status;
        }
    }
    out->status = verdict;
    out->clause_id = first_id;
    out->clause_text = first_text;
    out->over_unknown = unknown;
    return 0;
}
