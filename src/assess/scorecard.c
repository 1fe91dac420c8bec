/* scorecard.c - the UNEP ten-principle scorecard: indicator table, normalisation, principle
 * scores with coverage and evidence (see scorecard.h). */
#include "assess/scorecard.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/csv.h"

/* UNEP (2021), International Good Practice Principles for Sustainable Infrastructure, exact
 * titles in order (anchors.md 1.2). */
static const char *const TITLES[LM_UNEP_N] = {
    "Strategic Planning",
    "Responsive, Resilient, and Flexible Service Provision",
    "Comprehensive Lifecycle Assessment of Sustainability",
    "Avoiding Environmental Impacts and Investing in Nature",
    "Resource Efficiency and Circularity",
    "Equity, Inclusiveness, and Empowerment",
    "Enhancing Economic Benefits",
    "Fiscal Sustainability and Innovative Financing",
    "Transparent, Inclusive, and Participatory Decision-Making",
    "Evidence-Based Decision-Making",
};

static const char *const INPUTS[LM_SCI_N] = {
    "sea_covered", "horizon_covers_life", "flexibility_hours", "caps_met_pct",
    "unserved_energy_pct", "lifecycle_g_co2e_kwh", "lcoe_to_price_pct", "sediment_loss_mt_yr", "sediment_delivered_pct",
    "dcip_loss_points", "dcid_loss_points", "dcip", "dcid", "eflow_compliance_pct",
    "power_density_w_m2", "people_resettled_per_mw", "local_jobs_per_mw",
    "capacity_factor_pct", "green_taxonomies", "green_capex_pct", "financing_gap_pct",
    "wacc_pct", "eia_disclosed", "transboundary_consultation", "declared_sourced_pct",
    "reproducible", "scenarios"};

const char *lm_unep_title(int principle)
{
    return principle >= 1 && principle <= LM_UNEP_N ? TITLES[principle - 1] : NULL;
}

const char *lm_sc_input_name(int i)
{
    return i >= 0 && i < LM_SCI_N ? INPUTS[i] : "?";
}

int lm_sc_input_find(const char *name)
{
    return lm_find_name((char *const *)INPUTS, LM_SCI_N, name);
}

enum {
    COL_PRINCIPLE, COL_TITLE, COL_ID, COL_NAME, COL_SCOPE, COL_INPUT, COL_UNIT, COL_POOR,
    COL_GOOD, COL_WEIGHT, COL_BASIS, COL_SOURCE, COL_N
};
static const char *const COL_NAMES[COL_N] = {
    "principle", "principle_title", "indicator_id", "indicator", "scope", "input", "unit",
    "poor", "good", "weight", "basis", "source"};

static void ind_free(lm_sc_indicator *x)
{
    free(x->id); free(x->name); free(x->unit); free(x->basis); free(x->source);
}

void lm_sc_table_free(lm_sc_table *t)
{
    if (!t) return;
    for (int i = 0; i < t->n; i++) ind_free(&t->ind[i]);
    free(t->ind);
    free(t->file);
    free(t);
}

int lm_sc_table_load(const char *path, lm_sc_table **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    lm_csv csv;
    int col[COL_N];
    if (lm_csv_read_columns(path, COL_NAMES, COL_N, &csv, col, d) != 0) return -1;
    lm_sc_table *t = lm_xcalloc(1, sizeof *t);
    t->file = lm_xstrdup(path);
    t->ind = lm_xcalloc(csv.n_rows > 0 ? (size_t)csv.n_rows : 1, sizeof *t->ind);
    for (int r = 0; r < csv.n_rows; r++) {
        long line = csv.line[r];
        const char *v[COL_N];
        for (int k = 0; k < COL_N; k++) v[k] = lm_csv_cell(&csv, r, col[k]);
        lm_sc_indicator x = {0};
        x.line = line;
        int bad = 0;
        long pr;
        if (lm_parse_int(v[COL_PRINCIPLE], &pr) != 0 || pr < 1 || pr > LM_UNEP_N) {
            lm_diag_at(d, path, line, COL_NAMES[COL_PRINCIPLE], v[COL_PRINCIPLE],
                       "must be a principle number 1..10");
            bad = 1;
        } else {
            x.principle = (int)pr;
            if (strcmp(v[COL_TITLE], TITLES[pr - 1]) != 0) {
                lm_diag_at(d, path, line, COL_NAMES[COL_TITLE], v[COL_TITLE],
                           "is not the exact title of UNEP principle %ld (\"%s\")", pr,
                           TITLES[pr - 1]);
                bad = 1;
            }
        }
        for (int k = COL_ID; k <= COL_NAME; k++)
            if (!*v[k]) {
                lm_diag_at(d, path, line, COL_NAMES[k], v[k], "must not be empty");
                bad = 1;
            }
        if (!strcmp(v[COL_SCOPE], "project")) x.scope = LM_SC_PROJECT;
        else if (!strcmp(v[COL_SCOPE], "plan")) x.scope = LM_SC_PLAN;
        else {
            lm_diag_at(d, path, line, COL_NAMES[COL_SCOPE], v[COL_SCOPE],
                       "must be `project` or `plan`");
            bad = 1;
        }
        if ((x.input = lm_sc_input_find(v[COL_INPUT])) < 0) {
            lm_diag_at(d, path, line, COL_NAMES[COL_INPUT], v[COL_INPUT],
                       "unknown input (docs/assessment.md lists the inputs the assessment "
                       "computes)");
            bad = 1;
        }
        int okp = lm_parse_double(v[COL_POOR], &x.poor, 0) == 0;
        int okg = lm_parse_double(v[COL_GOOD], &x.good, 0) == 0;
        if (!okp) {
            lm_diag_at(d, path, line, COL_NAMES[COL_POOR], v[COL_POOR], "not a number");
            bad = 1;
        }
        if (!okg) {
            lm_diag_at(d, path, line, COL_NAMES[COL_GOOD], v[COL_GOOD], "not a number");
            bad = 1;
        } else if (okp && x.poor == x.good) {
            lm_diag_at(d, path, line, COL_NAMES[COL_GOOD], v[COL_GOOD],
                       "must differ from poor (%g): the threshold that scores 1 and the one "
                       "that scores 0",
                       x.poor);
            bad = 1;
        }
        if (lm_parse_double(v[COL_WEIGHT], &x.weight, 0) != 0 || !(x.weight > 0)) {
            lm_diag_at(d, path, line, COL_NAMES[COL_WEIGHT], v[COL_WEIGHT],
                       "must be a weight > 0");
            bad = 1;
        }
        if (!*v[COL_SOURCE]) {
            lm_diag_at(d, path, line, COL_NAMES[COL_SOURCE], v[COL_SOURCE],
                       "must name the basis of the thresholds");
            bad = 1;
        }
        for (int i = 0; !bad && i < t->n; i++)
            if (!strcmp(t->ind[i].id, v[COL_ID])) {
                lm_diag_at(d, path, line, COL_NAMES[COL_ID], v[COL_ID],
                           "duplicate indicator id (first on line %ld)", t->ind[i].line);
                bad = 1;
            }
        if (bad) continue;
        x.id = lm_xstrdup(v[COL_ID]);
        x.name = lm_xstrdup(v[COL_NAME]);
        x.unit = lm_xstrdup(v[COL_UNIT]);
        x.basis = lm_xstrdup(v[COL_BASIS]);
        x.source = lm_xstrdup(v[COL_SOURCE]);
        t->ind[t->n++] = x;
    }
    if (d->n_errors == errors0)
        for (int scope = 0; scope < 2; scope++)
            for (int p = 1; p <= LM_UNEP_N; p++) {
                int n = 0;
                for (int i = 0; i < t->n; i++)
                    if (t->ind[i].principle == p && t->ind[i].scope == scope) n++;
                if (!n)
                    lm_diag_at(d, path, csv.header_line, "principle", NULL,
                               "principle %d (%s) has no %s indicator: every principle needs "
                               "at least one per scope",
                               p, TITLES[p - 1], scope ? "plan" : "project");
            }
    lm_csv_free(&csv);
    if (d->n_errors > errors0) {
        lm_sc_table_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void lm_sc_inputs_init(lm_sc_inputs *in)
{
    for (int i = 0; i < LM_SCI_N; i++) {
        in->v[i].value = NAN;
        in->v[i].not_applicable = 0;
        snprintf(in->v[i].evidence, sizeof in->v[i].evidence, "missing: not computed");
    }
}

void lm_sc_set(lm_sc_inputs *in, int input, double value, const char *fmt, ...)
{
    if (input < 0 || input >= LM_SCI_N) return;
    in->v[input].value = value;
    in->v[input].not_applicable = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(in->v[input].evidence, sizeof in->v[input].evidence, fmt, ap);
    va_end(ap);
}

void lm_sc_set_na(lm_sc_inputs *in, int input, const char *why)
{
    if (input < 0 || input >= LM_SCI_N) return;
    in->v[input].value = NAN;
    in->v[input].not_applicable = 1;
    snprintf(in->v[input].evidence, sizeof in->v[input].evidence, "not applicable: %s", why);
}

double lm_sc_normalise(const lm_sc_indicator *ind, double value)
{
    if (isnan(value)) return NAN;
    double s = (value - ind->poor) / (ind->good - ind->poor);
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

void lm_scorecard_free(lm_scorecard *sc)
{
    if (!sc) return;
    free(sc->r);
    memset(sc, 0, sizeof *sc);
}

void lm_scorecard_evaluate(const lm_sc_table *t, int scope, const lm_sc_inputs *in,
                           lm_scorecard *out)
{
    memset(out, 0, sizeof *out);
    out->r = lm_xcalloc((size_t)(t->n ? t->n : 1), sizeof *out->r);
    double wsum[LM_UNEP_N] = {0}, wall[LM_UNEP_N] = {0}, ssum[LM_UNEP_N] = {0};
    int n_with = 0, n_app = 0;
    for (int i = 0; i < t->n; i++) {
        const lm_sc_indicator *x = &t->ind[i];
        if (x->scope != scope) continue;
        lm_sc_result *r = &out->r[out->n++];
        r->ind = x;
        r->value = in->v[x->input].value;
        r->evidence = in->v[x->input].evidence;
        r->not_applicable = in->v[x->input].not_applicable;
        r->score = r->not_applicable ? NAN : lm_sc_normalise(x, r->value);
        int p = x->principle - 1;
        out->p[p].n_defined++;
        if (r->not_applicable) continue;
        out->p[p].n_applicable++;
        n_app++;
        wall[p] += x->weight;
        if (!isnan(r->score)) {
            out->p[p].n_with_data++;
            wsum[p] += x->weight;
            ssum[p] += x->weight * r->score;
            n_with++;
        }
    }
    double sum = 0, sum_c = 0;
    int n_p = 0, n_c = 0;
    for (int p = 0; p < LM_UNEP_N; p++) {
        lm_sc_principle *q = &out->p[p];
        q->principle = p + 1;
        q->score = wsum[p] > 0 ? ssum[p] / wsum[p] : NAN;
        q->score_conservative = wall[p] > 0 ? ssum[p] / wall[p] : NAN;
        q->coverage = q->n_applicable ? (double)q->n_with_data / q->n_applicable : 1;
        if (!isnan(q->score)) {
            sum += q->score;
            n_p++;
        }
        if (!isnan(q->score_conservative)) {
            sum_c += q->score_conservative;
            n_c++;
        }
    }
    out->overall = n_p ? sum / n_p : NAN;
    out->overall_conservative = n_c ? sum_c / n_c : NAN;
    out->coverage = n_app ? (double)n_with / n_app : 1;
}
