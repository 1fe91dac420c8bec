/* dataset.c - load a dataset: manifest, tables, sets, dense arrays, cross-table rules
 * (see dataset.h; the format is in docs/dataset-format.md).
 *
 * Order of work:
 *   1. read the manifest (manifest.c);
 *   2. read every table file in table-name order, feeding its bytes to the SHA-256 hash,
 *      parse it (csv.c) and bind its header to the schema (schema.c);
 *   3. derive the sets in dependency order: technologies (tech_type), years (discount_factor),
 *      zones (technology_portfolio), months and hours (demand), corridors (transline),
 *      stations (hydro_static), reaches (river_sediment) - each table is value-checked once the
 *      sets its columns refer to are known;
 *   4. move every keyed table into its dense array with one generic routine (fill), which also
 *      finds duplicated and missing rows;
 *   5. cross-table rules (age sums, bounds ordering, acyclic networks), and the national
 *      targets (ndc_targets), whose rules depend on each row's kind of target.
 * Errors never stop the load early: everything that can be checked is checked, and the load
 * fails at the end if any error was recorded.  A table whose referenced sets could not be
 * built is not value-checked, since every row would repeat the same root cause. */
#include "data/dataset.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/csv.h"
#include "data/manifest.h"
#include "data/schema.h"

#define MAX_MISSING_REPORTED 10 /* per table; the rest are counted in one message */

typedef struct loader {
    lm_diag *d;
    lm_dataset *ds;
    lm_manifest m;
    lm_csv csv[LM_N_TABLES];
    lm_table tab[LM_N_TABLES];
    int bound[LM_N_TABLES];    /* file read and header bound to the schema */
    int csv_bad[LM_N_TABLES];  /* ragged or malformed rows were dropped */
    int checked[LM_N_TABLES];  /* values checked (lm_table_check ran) */
    lm_schema_ctx ctx;
    int month_index[13];       /* month (1..12) -> index into ds->months, -1 if absent */
    int *corridor;             /* [from * n_zones + to] -> corridor index, -1 = none */
    long *line_row_line;       /* [l] transline.csv line of corridor l */
    lm_id_index *station_ids;  /* sorted */
    lm_id_index *reach_ids;    /* sorted */
    double *portfolio_mw;      /* [z * n_techs + k] technology_portfolio */
    long *portfolio_line;
    long *reach_line;          /* [r] river_sediment.csv line */
} loader;

/* ---- small helpers ---- */

static lm_table *T(loader *L, int id) { return &L->tab[id]; }

static int col(const lm_table *t, const char *name)
{
    return lm_schema_col(t->schema, name);
}

static int key_ok(const lm_table *t, int r)
{
    return t->state[r] == LM_ROW_OK || t->state[r] == LM_ROW_BAD_VALUE;
}

/* "zone,year,month,hour": the key columns of a table as named in its file. */
static void key_columns(const lm_table *t, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (int c = 0; c < t->schema->n_cols && len < n; c++)
        if ((t->schema->cols[c].flags & LM_COL_KEY) && t->col[c] >= 0)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "",
                                    lm_table_colname(t, c));
}

static double *alloc_fill(size_t n, double v)
{
    double *a = lm_xmalloc((n ? n : 1) * sizeof *a);
    for (size_t i = 0; i < n; i++) a[i] = v;
    return a;
}

static int cmp_id_index(const void *a, const void *b)
{
    const lm_id_index *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index; /* file order among equal ids */
}

/* Value-check table `id` if it was read and the sets it refers to are known.  Returns 0 if
 * its rows may be used (rows with errors are marked and skipped by the callers). */
static int check(loader *L, int id)
{
    if (!L->bound[id]) return -1;
    if (L->checked[id]) return 0;
    lm_table *t = T(L, id);
    if (!lm_table_sets_known(t, &L->ctx)) return -1;
    L->ctx.n_ignore_techs = L->m.tables[id].n_ignore_techs;
    L->ctx.ignore_techs = L->m.tables[id].ignore_techs;
    lm_table_check(t, &L->ctx, L->d);
    L->ctx.n_ignore_techs = 0;
    L->ctx.ignore_techs = NULL;
    L->checked[id] = 1;
    return 0;
}

/* ---- step 2: read the files ---- */

static int cmp_table_name(const void *a, const void *b)
{
    return strcmp(lm_schema_table(*(const int *)a)->name, lm_schema_table(*(const int *)b)->name);
}

static void read_tables(loader *L)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, L->m.bytes, L->m.n_bytes);
    int order[LM_N_TABLES];
    for (int i = 0; i < LM_N_TABLES; i++) order[i] = i;
    qsort(order, LM_N_TABLES, sizeof *order, cmp_table_name);
    for (int j = 0; j < LM_N_TABLES; j++) {
        int i = order[j];
        lm_manifest_table *mt = &L->m.tables[i];
        if (!mt->present || !mt->path) continue;
        size_t len;
        char *bytes = lm_read_file(mt->path, &len);
        if (!bytes) {
            lm_diag_error(L->d, "%s:%ld:%ld: key \"tables.%s.file\": cannot read \"%s\": %s",
                          L->m.path, mt->file_line, mt->file_col, lm_schema_table(i)->name,
                          mt->path, strerror(errno));
            continue;
        }
        crypto_hash_sha256_update(&h, (const unsigned char *)bytes, len);
        L->csv_bad[i] = lm_csv_parse(mt->path, bytes, len, &L->csv[i], L->d) != 0;
        free(bytes);
        if (L->csv[i].n_cols <= 0) continue;
        if (lm_table_bind(&L->tab[i], lm_schema_table(i), &L->csv[i], mt->rename, L->d) == 0)
            L->bound[i] = 1;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(L->ds->hash, sizeof L->ds->hash, digest, sizeof digest);
}

/* ---- step 4: the generic keyed fill ---- */

enum { D_ZONE, D_TECH, D_YEAR, D_STEP, D_STATION, D_CORRIDOR, D_AGE };

typedef struct dim {
    int kind;
    const char *c1, *c2; /* key column(s); D_STEP: month, hour; D_CORRIDOR: from, to */
} dim;

typedef struct fill_spec {
    int table;
    const char *value;      /* value column */
    int n_dims;
    dim dims[3];
    double *dst;            /* [slot], slot = mixed radix over dims */
    int complete;           /* every slot needs a row */
    int only_type;          /* >= 0: rows must name a technology of this type */
    int extra_pairs_ok;     /* D_CORRIDOR: rows for non-corridor pairs are ignored */
    long *lines;            /* optional [slot] out: line of the row, 0 = none */
} fill_spec;

static int dim_size(const loader *L, int kind)
{
    const lm_dataset *ds = L->ds;
    switch (kind) {
    case D_ZONE: return ds->n_zones;
    case D_TECH: return ds->n_techs;
    case D_YEAR: return ds->n_years;
    case D_STEP: return ds->n_steps;
    case D_STATION: return ds->n_stations;
    case D_CORRIDOR: return ds->n_lines;
    case D_AGE: return ds->n_ages;
    default: return 0;
    }
}

static const char *const TYPE_NAMES[] = {"dispatchable", "nondispatchable", "storage", "hydro"};

/* `zone "Delta", year 2030, month 7, hour 2` for a slot. */
static void describe_slot(const loader *L, const fill_spec *f, long slot, char *buf, size_t n)
{
    const lm_dataset *ds = L->ds;
    int coord[3];
    for (int i = f->n_dims - 1; i >= 0; i--) {
        int s = dim_size(L, f->dims[i].kind);
        coord[i] = (int)(slot % s);
        slot /= s;
    }
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < f->n_dims && len < n; i++) {
        const char *sep = i ? ", " : "";
        int c = coord[i];
        switch (f->dims[i].kind) {
        case D_ZONE:
            len += (size_t)snprintf(buf + len, n - len, "%szone \"%s\"", sep, ds->zones[c]);
            break;
        case D_TECH:
            len += (size_t)snprintf(buf + len, n - len, "%stech \"%s\"", sep, ds->techs[c]);
            break;
        case D_YEAR:
            len += (size_t)snprintf(buf + len, n - len, "%syear %d", sep, ds->years[c]);
            break;
        case D_STEP:
            len += (size_t)snprintf(buf + len, n - len, "%smonth %d, hour %d", sep,
                                    ds->months[c / ds->n_hours], c % ds->n_hours + 1);
            break;
        case D_STATION:
            len += (size_t)snprintf(buf + len, n - len, "%sstation %ld", sep, ds->stations[c].id);
            break;
        case D_CORRIDOR:
            len += (size_t)snprintf(buf + len, n - len, "%scorridor %s -> %s", sep,
                                    ds->zones[ds->line_from[c]], ds->zones[ds->line_to[c]]);
            break;
        case D_AGE: len += (size_t)snprintf(buf + len, n - len, "%sage %d", sep, c + 1); break;
        default: break;
        }
    }
}

/* Tech index of a slot's D_TECH coordinate, or -1 if the fill has no tech dimension. */
static int slot_tech(const loader *L, const fill_spec *f, long slot)
{
    for (int i = f->n_dims - 1; i >= 0; i--) {
        int s = dim_size(L, f->dims[i].kind);
        if (f->dims[i].kind == D_TECH) return (int)(slot % s);
        slot /= s;
    }
    return -1;
}

/* Move the value column of a keyed table into f->dst.  Reports rows whose key is used twice
 * (naming both lines), rows for pairs that are not corridors, rows for technologies of the
 * wrong type and, if f->complete, every slot without a row.  Returns -1 if the table could not
 * be used at all. */
static int fill(loader *L, const fill_spec *f)
{
    if (check(L, f->table) != 0) return -1;
    const lm_dataset *ds = L->ds;
    lm_table *t = T(L, f->table);
    int size[3], kc1[3], kc2[3];
    long n_slots = 1;
    for (int i = 0; i < f->n_dims; i++) {
        size[i] = dim_size(L, f->dims[i].kind);
        kc1[i] = col(t, f->dims[i].c1);
        kc2[i] = f->dims[i].c2 ? col(t, f->dims[i].c2) : -1;
        n_slots *= size[i];
    }
    int vc = col(t, f->value);
    int tc = f->only_type >= 0 ? col(t, "tech") : -1;
    long *first = lm_xcalloc((size_t)(n_slots ? n_slots : 1), sizeof *first);
    char keys[256], desc[512];
    key_columns(t, keys, sizeof keys);

    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        long line = t->csv->line[r];
        if (tc >= 0) {
            int k = (int)t->ival[tc][r];
            if (ds->tech_type[k] != f->only_type) {
                lm_diag_at(L->d, t->file, line, lm_table_colname(t, tc), ds->techs[k],
                           "table %s has rows only for %s technologies; %s is %s",
                           t->schema->name, TYPE_NAMES[f->only_type], ds->techs[k],
                           TYPE_NAMES[ds->tech_type[k]]);
                continue;
            }
        }
        long slot = 0;
        int skip = 0;
        for (int i = 0; i < f->n_dims && !skip; i++) {
            long a = t->ival[kc1[i]][r];
            long idx;
            switch (f->dims[i].kind) {
            case D_STEP:
                idx = (long)L->month_index[a] * ds->n_hours + (t->ival[kc2[i]][r] - 1);
                break;
            case D_CORRIDOR: {
                long b = t->ival[kc2[i]][r];
                idx = L->corridor[a * ds->n_zones + b];
                if (idx < 0) {
                    skip = 1;
                    if (f->extra_pairs_ok) break;
                    char pair[256];
                    snprintf(pair, sizeof pair, "%s,%s", ds->zones[a], ds->zones[b]);
                    lm_diag_at(L->d, t->file, line, keys, pair,
                               "not a corridor (corridors are the rows of %s)",
                               L->m.tables[LM_T_TRANSLINE].file);
                }
                break;
            }
            case D_AGE: idx = a - 1; break;
            default: idx = a; break;
            }
            if (!skip) slot = slot * size[i] + idx;
        }
        if (skip) continue;
        if (first[slot]) {
            describe_slot(L, f, slot, desc, sizeof desc);
            lm_diag_at(L->d, t->file, line, keys, NULL, "duplicate row for %s; first at line %ld",
                       desc, first[slot]);
            continue;
        }
        first[slot] = line;
        if (t->state[r] == LM_ROW_OK) f->dst[slot] = t->num[vc][r];
    }

    /* Missing rows are only reported when every row could be placed: a misspelt key already
     * has its error, and its "missing" twin would only repeat it. */
    if (f->complete && t->n_key_errors == 0 && !L->csv_bad[f->table]) {
        long missing = 0;
        for (long s = 0; s < n_slots; s++) {
            if (first[s]) continue;
            if (f->only_type >= 0) {
                int k = slot_tech(L, f, s);
                if (k >= 0 && ds->tech_type[k] != f->only_type) continue;
            }
            if (++missing <= MAX_MISSING_REPORTED) {
                describe_slot(L, f, s, desc, sizeof desc);
                lm_diag_error(L->d, "%s: missing row for %s", t->file, desc);
            }
        }
        if (missing > MAX_MISSING_REPORTED)
            lm_diag_error(L->d, "%s: %ld more missing rows not listed (%ld in all)", t->file,
                          missing - MAX_MISSING_REPORTED, missing);
    }
    if (f->lines) memcpy(f->lines, first, (size_t)n_slots * sizeof *first);
    free(first);
    return 0;
}

/* ---- step 3: sets ---- */

static void define_techs(loader *L)
{
    lm_dataset *ds = L->ds;
    if (check(L, LM_T_TECH_TYPE) != 0) return;
    lm_table *t = T(L, LM_T_TECH_TYPE);
    int cn = col(t, "tech"), ct = col(t, "tech_type");
    ds->techs = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *ds->techs);
    ds->tech_type = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *ds->tech_type);
    long *lines = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *lines);
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        const char *name = lm_table_text(t, cn, r);
        int k = lm_find_name(ds->techs, ds->n_techs, name);
        if (k >= 0) {
            lm_diag_at(L->d, t->file, t->csv->line[r], lm_table_colname(t, cn), name,
                       "duplicate technology; first at line %ld", lines[k]);
            continue;
        }
        lines[ds->n_techs] = t->csv->line[r];
        ds->tech_type[ds->n_techs] = t->ival[ct][r] >= 0 ? (int)t->ival[ct][r] : 0;
        ds->techs[ds->n_techs++] = lm_xstrdup(name);
    }
    free(lines);
    if (ds->n_techs == 0) lm_diag_error(L->d, "%s: no technologies", t->file);
    L->ctx.n_techs = ds->n_techs;
    L->ctx.techs = ds->techs;
    L->ctx.techs_file = t->file;

    /* ignore_techs is for names outside the technology set; naming a real technology there
     * would silently drop its data. */
    for (int i = 0; i < LM_N_TABLES; i++) {
        const lm_manifest_table *mt = &L->m.tables[i];
        for (int j = 0; j < mt->n_ignore_techs; j++)
            if (lm_find_name(ds->techs, ds->n_techs, mt->ignore_techs[j]) >= 0)
                lm_diag_error(L->d,
                              "%s:%ld:%ld: key \"tables.%s.ignore_techs\": \"%s\" is a "
                              "technology of the dataset (in %s); only other names may be "
                              "ignored",
                              L->m.path, mt->ignore_line[j], mt->ignore_col[j],
                              lm_schema_table(i)->name, mt->ignore_techs[j], t->file);
    }
}

typedef struct year_row {
    int year;
    double rate;
    long line;
} year_row;

static int cmp_year_row(const void *a, const void *b)
{
    const year_row *x = a, *y = b;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void define_years(loader *L)
{
    lm_dataset *ds = L->ds;
    if (check(L, LM_T_DISCOUNT_FACTOR) != 0) return;
    lm_table *t = T(L, LM_T_DISCOUNT_FACTOR);
    int cy = col(t, "year"), cr = col(t, "discount_rate");
    year_row *rows = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *rows);
    int n = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        rows[n++] = (year_row){(int)t->ival[cy][r], t->num[cr][r], t->csv->line[r]};
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_year_row);
    ds->years = lm_xcalloc((size_t)(n + 1), sizeof *ds->years);
    ds->discount_rate = lm_xcalloc((size_t)(n + 1), sizeof *ds->discount_rate);
    for (int i = 0; i < n; i++) {
        if (ds->n_years > 0 && ds->years[ds->n_years - 1] == rows[i].year) {
            char v[32];
            snprintf(v, sizeof v, "%d", rows[i].year);
            lm_diag_at(L->d, t->file, rows[i].line, lm_table_colname(t, cy), v,
                       "duplicate year; first at line %ld", rows[i - 1].line);
            continue;
        }
        ds->years[ds->n_years] = rows[i].year;
        ds->discount_rate[ds->n_years++] = isnan(rows[i].rate) ? 0 : rows[i].rate;
    }
    free(rows);
    if (ds->n_years == 0) lm_diag_error(L->d, "%s: no years", t->file);
    L->ctx.n_years = ds->n_years;
    L->ctx.years = ds->years;
    L->ctx.years_file = t->file;
}

static void define_zones(loader *L)
{
    lm_dataset *ds = L->ds;
    if (check(L, LM_T_TECHNOLOGY_PORTFOLIO) != 0) return;
    lm_table *t = T(L, LM_T_TECHNOLOGY_PORTFOLIO);
    int cz = col(t, "zone");
    ds->zones = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *ds->zones);
    /* The zone column defines the set (kind NAME), so its indices are assigned here, once the
     * order of first appearance is known. */
    t->ival[cz] = lm_xmalloc((size_t)(t->n_rows + 1) * sizeof(long));
    for (int r = 0; r < t->n_rows; r++) {
        t->ival[cz][r] = -1;
        if (t->state[r] == LM_ROW_IGNORED) continue;
        const char *name = lm_table_text(t, cz, r);
        if (!*name) continue;
        int z = lm_find_name(ds->zones, ds->n_zones, name);
        if (z < 0) {
            z = ds->n_zones;
            ds->zones[ds->n_zones++] = lm_xstrdup(name);
        }
        t->ival[cz][r] = z;
    }
    if (ds->n_zones == 0) lm_diag_error(L->d, "%s: no zones", t->file);
    L->ctx.n_zones = ds->n_zones;
    L->ctx.zones = ds->zones;
    L->ctx.zones_file = t->file;
    if (ds->n_zones == 0 || ds->n_techs == 0) return;
    size_t n = (size_t)ds->n_zones * (size_t)ds->n_techs;
    L->portfolio_mw = alloc_fill(n, 0);
    L->portfolio_line = lm_xcalloc(n, sizeof *L->portfolio_line);
    fill(L, &(fill_spec){.table = LM_T_TECHNOLOGY_PORTFOLIO, .value = "existing_capacity_mw",
                         .n_dims = 2, .dims = {{D_ZONE, "zone", NULL}, {D_TECH, "tech", NULL}},
                         .dst = L->portfolio_mw, .complete = 1, .only_type = -1,
                         .lines = L->portfolio_line});
}

/* Months and hours are the distinct values found in demand; hours must run 1..n. */
static void define_time(loader *L)
{
    lm_dataset *ds = L->ds;
    for (int m = 0; m < 13; m++) L->month_index[m] = -1;
    if (check(L, LM_T_DEMAND) != 0) return;
    lm_table *t = T(L, LM_T_DEMAND);
    int cm = col(t, "month"), ch = col(t, "hour");
    int seen_month[13] = {0};
    int max_hour = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        seen_month[t->ival[cm][r]] = 1;
        if (t->ival[ch][r] > max_hour) max_hour = (int)t->ival[ch][r];
    }
    if (max_hour == 0) {
        lm_diag_error(L->d, "%s: no rows; the representative months and hours are taken from "
                            "demand", t->file);
        return;
    }
    unsigned char *seen_hour = lm_xcalloc((size_t)max_hour + 1, 1);
    for (int r = 0; r < t->n_rows; r++)
        if (key_ok(t, r)) seen_hour[t->ival[ch][r]] = 1;
    int gaps = 0;
    for (int h = 1; h <= max_hour; h++)
        if (!seen_hour[h]) {
            lm_diag_error(L->d, "%s: hours must run 1..%d without gaps; no row has hour %d",
                          t->file, max_hour, h);
            gaps = 1;
        }
    free(seen_hour);
    if (gaps) return;
    ds->months = lm_xcalloc(12, sizeof *ds->months);
    for (int m = 1; m <= 12; m++)
        if (seen_month[m]) {
            L->month_index[m] = ds->n_months;
            ds->months[ds->n_months++] = m;
        }
    ds->n_hours = max_hour;
    ds->n_steps = ds->n_months * ds->n_hours;
    L->ctx.n_months = ds->n_months;
    L->ctx.months = ds->months;
    L->ctx.n_hours = ds->n_hours;
    L->ctx.time_file = t->file;
}

static void define_corridors(loader *L)
{
    lm_dataset *ds = L->ds;
    if (ds->n_zones == 0) return;
    L->corridor = lm_xmalloc((size_t)ds->n_zones * (size_t)ds->n_zones * sizeof *L->corridor);
    for (int i = 0; i < ds->n_zones * ds->n_zones; i++) L->corridor[i] = -1;
    if (check(L, LM_T_TRANSLINE) != 0) return;
    lm_table *t = T(L, LM_T_TRANSLINE);
    int cf = col(t, "from_zone"), ct = col(t, "to_zone"), cv = col(t, "existing_capacity_mw");
    size_t n = (size_t)(t->n_rows + 1);
    ds->line_from = lm_xcalloc(n, sizeof *ds->line_from);
    ds->line_to = lm_xcalloc(n, sizeof *ds->line_to);
    ds->line_existing_mw = lm_xcalloc(n, sizeof *ds->line_existing_mw);
    L->line_row_line = lm_xcalloc(n, sizeof *L->line_row_line);
    char keys[128];
    key_columns(t, keys, sizeof keys);
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        int a = (int)t->ival[cf][r], b = (int)t->ival[ct][r];
        long line = t->csv->line[r];
        if (a == b) {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, ct), ds->zones[b],
                       "a corridor must join two different zones (from_zone is also \"%s\")",
                       ds->zones[a]);
            continue;
        }
        int l = L->corridor[a * ds->n_zones + b];
        if (l >= 0) {
            lm_diag_at(L->d, t->file, line, keys, NULL,
                       "duplicate row for corridor %s -> %s; first at line %ld", ds->zones[a],
                       ds->zones[b], L->line_row_line[l]);
            continue;
        }
        l = ds->n_lines++;
        L->corridor[a * ds->n_zones + b] = l;
        ds->line_from[l] = a;
        ds->line_to[l] = b;
        ds->line_existing_mw[l] = t->state[r] == LM_ROW_OK ? t->num[cv][r] : 0;
        L->line_row_line[l] = line;
    }
    /* New capacity is built for a zone pair (both directions at once), so a corridor without
     * its reverse is almost always a data error. */
    for (int l = 0; l < ds->n_lines; l++) {
        int a = ds->line_from[l], b = ds->line_to[l];
        if (L->corridor[b * ds->n_zones + a] >= 0) continue;
        char pair[256];
        snprintf(pair, sizeof pair, "%s,%s", ds->zones[a], ds->zones[b]);
        lm_diag_at(L->d, t->file, L->line_row_line[l], keys, pair,
                   "corridor has no reverse row \"%s,%s\"; every corridor needs both directions",
                   ds->zones[b], ds->zones[a]);
    }
}

/* ---- hydropower stations ---- */

static void define_stations(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->m.tables[LM_T_HYDRO_STATIC].present || check(L, LM_T_HYDRO_STATIC) != 0) return;
    lm_table *t = T(L, LM_T_HYDRO_STATIC);
    int c_id = col(t, "station_id"), c_name = col(t, "station_name"), c_zone = col(t, "zone");
    int c_lon = col(t, "longitude_deg"), c_lat = col(t, "latitude_deg");
    int c_cap = col(t, "installed_capacity_mw"), c_max = col(t, "max_output_mw");
    int c_min = col(t, "min_output_mw"), c_qmax = col(t, "max_outflow_m3s");
    int c_gq = col(t, "max_generation_flow_m3s"), c_qmin = col(t, "min_outflow_m3s");
    int c_head = col(t, "head_m"), c_coef = col(t, "output_coefficient");
    int c_cod = col(t, "commissioning_year"), c_mode = col(t, "operation_mode");
    ds->stations = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *ds->stations);
    L->station_ids = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *L->station_ids);
    /* Duplicated ids: sort (id, row) pairs, then every row after the first of an id is
     * reported and left out. */
    lm_id_index *byid = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *byid);
    unsigned char *dup = lm_xcalloc((size_t)(t->n_rows + 1), 1);
    int n_ok = 0;
    for (int r = 0; r < t->n_rows; r++)
        if (key_ok(t, r)) byid[n_ok++] = (lm_id_index){t->ival[c_id][r], r};
    qsort(byid, (size_t)n_ok, sizeof *byid, cmp_id_index);
    for (int i = 1, first = 0; i < n_ok; i++) {
        if (byid[i].id != byid[first].id) {
            first = i;
            continue;
        }
        int r = byid[i].index;
        dup[r] = 1;
        lm_diag_at(L->d, t->file, t->csv->line[r], lm_table_colname(t, c_id),
                   lm_table_text(t, c_id, r), "duplicate station id; first at line %ld",
                   t->csv->line[byid[first].index]);
    }
    free(byid);
#define NUM(c, r, dflt) (t->col[c] >= 0 && t->state[r] == LM_ROW_OK ? t->num[c][r] : (dflt))
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r) || dup[r]) continue;
        long id = t->ival[c_id][r], line = t->csv->line[r];
        lm_station *st = &ds->stations[ds->n_stations];
        st->id = id;
        st->name = t->col[c_name] >= 0 ? lm_xstrdup(lm_table_text(t, c_name, r))
                                       : lm_xasprintf("%ld", id);
        st->zone = t->ival[c_zone][r] >= 0 ? (int)t->ival[c_zone][r] : -1;
        st->lon_deg = NUM(c_lon, r, NAN);
        st->lat_deg = NUM(c_lat, r, NAN);
        st->capacity_mw = NUM(c_cap, r, 0);
        st->max_output_mw = NUM(c_max, r, 0);
        st->min_output_mw = NUM(c_min, r, 0);
        st->max_outflow_m3s = NUM(c_qmax, r, 0);
        st->max_generation_flow_m3s = NUM(c_gq, r, st->max_outflow_m3s);
        st->min_outflow_m3s = NUM(c_qmin, r, 0);
        st->head_m = NUM(c_head, r, 0);
        st->output_coefficient = NUM(c_coef, r, 0);
        st->commissioning_year =
            t->ival[c_cod][r] != LM_IVAL_INVALID ? (int)t->ival[c_cod][r] : 0;
        st->is_existing = ds->n_years > 0 && st->commissioning_year <= ds->years[0];
        st->operation_mode = t->ival[c_mode][r] >= 0 ? (int)t->ival[c_mode][r] : 0;
        st->reach = -1;
        if (st->min_output_mw > st->max_output_mw) {
            char v[64];
            snprintf(v, sizeof v, "%.10g", st->min_output_mw);
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_min), v,
                       "above max_output_mw (%.10g)", st->max_output_mw);
        }
        if (st->min_outflow_m3s > st->max_outflow_m3s) {
            char v[64];
            snprintf(v, sizeof v, "%.10g", st->min_outflow_m3s);
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_qmin), v,
                       "above max_outflow_m3s (%.10g)", st->max_outflow_m3s);
        }
        L->station_ids[ds->n_stations] = (lm_id_index){id, ds->n_stations};
        ds->n_stations++;
    }
#undef NUM
    free(dup);
    qsort(L->station_ids, (size_t)ds->n_stations, sizeof *L->station_ids, cmp_id_index);
    if (ds->n_stations == 0) lm_diag_error(L->d, "%s: no stations", t->file);
    L->ctx.n_stations = ds->n_stations;
    L->ctx.stations = L->station_ids;
    L->ctx.stations_file = t->file;
}

static void load_station_series(loader *L)
{
    lm_dataset *ds = L->ds;
    if (ds->n_stations == 0 || ds->n_steps == 0) return;
    size_t n = (size_t)ds->n_stations * (size_t)ds->n_steps;
    ds->inflow_m3s = alloc_fill(n, 0);
    ds->storage_max_1e8m3 = alloc_fill(n, 0);
    ds->storage_min_1e8m3 = alloc_fill(n, 0);
    long *up_line = lm_xcalloc(n, sizeof *up_line), *down_line = lm_xcalloc(n, sizeof *down_line);
    const dim sdims[2] = {{D_STATION, "station_id", NULL}, {D_STEP, "month", "hour"}};
    fill_spec f = {.table = LM_T_INFLOW, .value = "inflow_m3s", .n_dims = 2,
                   .dims = {sdims[0], sdims[1]}, .dst = ds->inflow_m3s, .complete = 1,
                   .only_type = -1};
    fill(L, &f);
    f.table = LM_T_STORAGE_UPBOUND;
    f.value = "storage_max_1e8m3";
    f.dst = ds->storage_max_1e8m3;
    f.lines = up_line;
    int up_ok = fill(L, &f) == 0;
    f.table = LM_T_STORAGE_DOWNBOUND;
    f.value = "storage_min_1e8m3";
    f.dst = ds->storage_min_1e8m3;
    f.lines = down_line;
    int down_ok = fill(L, &f) == 0;
    if (up_ok && down_ok) {
        const lm_table *t = T(L, LM_T_STORAGE_DOWNBOUND);
        int vc = col(t, "storage_min_1e8m3");
        for (size_t i = 0; i < n; i++) {
            if (!up_line[i] || !down_line[i]) continue;
            if (ds->storage_min_1e8m3[i] <= ds->storage_max_1e8m3[i]) continue;
            char v[64];
            snprintf(v, sizeof v, "%.10g", ds->storage_min_1e8m3[i]);
            lm_diag_at(L->d, t->file, down_line[i], lm_table_colname(t, vc), v,
                       "storage lower bound above the upper bound %.10g (%s:%ld)",
                       ds->storage_max_1e8m3[i], T(L, LM_T_STORAGE_UPBOUND)->file, up_line[i]);
        }
    }
    free(up_line);
    free(down_line);
}

typedef struct edge_key {
    int up, down;
    int row;
} edge_key;

static int cmp_edge(const void *a, const void *b)
{
    const edge_key *x = a, *y = b;
    if (x->up != y->up) return x->up < y->up ? -1 : 1;
    if (x->down != y->down) return x->down < y->down ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Report one cycle of the station graph (called when a topological sort did not finish):
 * walk backwards along edges between unfinished stations until a station repeats. */
static void report_edge_cycle(loader *L, const lm_table *t, const long *edge_line,
                              const int *indeg)
{
    lm_dataset *ds = L->ds;
    int start = -1;
    for (int s = 0; s < ds->n_stations && start < 0; s++)
        if (indeg[s] > 0) start = s;
    if (start < 0) return;
    int *pos = lm_xmalloc((size_t)ds->n_stations * sizeof *pos);
    int *path = lm_xmalloc((size_t)(ds->n_stations + 1) * sizeof *path);
    int *path_edge = lm_xmalloc((size_t)(ds->n_stations + 1) * sizeof *path_edge);
    for (int s = 0; s < ds->n_stations; s++) pos[s] = -1;
    int n = 0, cur = start;
    while (pos[cur] < 0) {
        pos[cur] = n;
        path[n] = cur;
        int via = -1;
        for (int e = 0; e < ds->n_edges && via < 0; e++)
            if (ds->edge_down[e] == cur && indeg[ds->edge_up[e]] > 0) via = e;
        path_edge[n++] = via;
        cur = ds->edge_up[via];
    }
    /* The walk went upstream: path[pos[cur]] = cur, and path_edge[i] flows from path[i+1]
     * (or from cur, for i = n-1) into path[i].  In downstream order the cycle is
     * cyc[0] = cur, cyc[j] = path[n-j], with edge ce[j] from cyc[j] to cyc[j+1].  Report the
     * edge written last in the file (most likely the one just added) and start the text at
     * its upstream station. */
    int m = n - pos[cur], best = 0;
    int *cyc = lm_xmalloc((size_t)m * sizeof *cyc), *ce = lm_xmalloc((size_t)m * sizeof *ce);
    for (int j = 0; j < m; j++) {
        cyc[j] = j == 0 ? cur : path[n - j];
        ce[j] = path_edge[n - j - 1];
        if (edge_line[ce[j]] > edge_line[ce[best]]) best = j;
    }
    char buf[1024];
    size_t len = 0;
    buf[0] = 0;
    for (int j = 0; j <= m && len < sizeof buf; j++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%ld", j ? " -> " : "",
                                ds->stations[cyc[(best + j) % m]].id);
    int e = ce[best];
    char v[32];
    snprintf(v, sizeof v, "%ld", ds->stations[ds->edge_up[e]].id);
    lm_diag_at(L->d, t->file, edge_line[e], lm_table_colname(t, col(t, "upstream_station_id")), v,
               "cycle in the river network: %s; links must flow downstream only", buf);
    free(cyc);
    free(ce);
    free(pos);
    free(path);
    free(path_edge);
}

static void load_edges(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->m.tables[LM_T_HYDRO_CONNECT].present || ds->n_stations == 0) return;
    if (check(L, LM_T_HYDRO_CONNECT) != 0) return;
    lm_table *t = T(L, LM_T_HYDRO_CONNECT);
    int cu = col(t, "upstream_station_id"), cd = col(t, "downstream_station_id");
    int cv = col(t, "travel_delay_h");
    edge_key *keys = lm_xcalloc((size_t)(t->n_rows + 1), sizeof *keys);
    int n = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        int u = (int)t->ival[cu][r], dn = (int)t->ival[cd][r];
        if (u == dn) {
            lm_diag_at(L->d, t->file, t->csv->line[r], lm_table_colname(t, cd),
                       lm_table_text(t, cd, r), "a station cannot flow into itself");
            continue;
        }
        keys[n++] = (edge_key){u, dn, r};
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_edge);
    ds->edge_up = lm_xcalloc((size_t)(n + 1), sizeof *ds->edge_up);
    ds->edge_down = lm_xcalloc((size_t)(n + 1), sizeof *ds->edge_down);
    ds->edge_delay_h = lm_xcalloc((size_t)(n + 1), sizeof *ds->edge_delay_h);
    long *edge_line = lm_xcalloc((size_t)(n + 1), sizeof *edge_line);
    /* keep file order in the dataset: mark duplicates first, then copy by row */
    unsigned char *dup = lm_xcalloc((size_t)t->n_rows + 1, 1);
    for (int i = 1; i < n; i++)
        if (keys[i].up == keys[i - 1].up && keys[i].down == keys[i - 1].down) {
            int first = i - 1;
            while (first > 0 && keys[first - 1].up == keys[i].up &&
                   keys[first - 1].down == keys[i].down)
                first--;
            lm_diag_at(L->d, t->file, t->csv->line[keys[i].row], lm_table_colname(t, cu), NULL,
                       "duplicate link %ld -> %ld; first at line %ld",
                       ds->stations[keys[i].up].id, ds->stations[keys[i].down].id,
                       t->csv->line[keys[first].row]);
            dup[keys[i].row] = 1;
        }
    unsigned char *is_edge = lm_xcalloc((size_t)t->n_rows + 1, 1);
    for (int i = 0; i < n; i++) is_edge[keys[i].row] = !dup[keys[i].row];
    for (int r = 0; r < t->n_rows; r++) {
        if (!is_edge[r]) continue;
        int e = ds->n_edges++;
        ds->edge_up[e] = (int)t->ival[cu][r];
        ds->edge_down[e] = (int)t->ival[cd][r];
        ds->edge_delay_h[e] = t->state[r] == LM_ROW_OK ? t->num[cv][r] : 0;
        edge_line[e] = t->csv->line[r];
    }
    free(keys);
    free(dup);
    free(is_edge);

    /* Acyclic: Kahn's topological sort over the stations. */
    int *indeg = lm_xcalloc((size_t)ds->n_stations, sizeof *indeg);
    int *queue = lm_xmalloc((size_t)ds->n_stations * sizeof *queue);
    for (int e = 0; e < ds->n_edges; e++) indeg[ds->edge_down[e]]++;
    int head = 0, tail = 0;
    for (int s = 0; s < ds->n_stations; s++)
        if (indeg[s] == 0) queue[tail++] = s;
    /* outgoing edges by station (CSR) so the sort is linear */
    int *start = lm_xcalloc((size_t)ds->n_stations + 1, sizeof *start);
    int *out = lm_xmalloc((size_t)(ds->n_edges + 1) * sizeof *out);
    for (int e = 0; e < ds->n_edges; e++) start[ds->edge_up[e] + 1]++;
    for (int s = 0; s < ds->n_stations; s++) start[s + 1] += start[s];
    int *fillp = lm_xmalloc((size_t)ds->n_stations * sizeof *fillp);
    memcpy(fillp, start, (size_t)ds->n_stations * sizeof *fillp);
    for (int e = 0; e < ds->n_edges; e++) out[fillp[ds->edge_up[e]]++] = e;
    while (head < tail) {
        int s = queue[head++];
        for (int i = start[s]; i < start[s + 1]; i++)
            if (--indeg[ds->edge_down[out[i]]] == 0) queue[tail++] = ds->edge_down[out[i]];
    }
    if (tail < ds->n_stations) report_edge_cycle(L, t, edge_line, indeg);
    free(indeg);
    free(queue);
    free(start);
    free(out);
    free(fillp);
    free(edge_line);
}

/* ---- sediment network ---- */

static void load_reaches(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->m.tables[LM_T_RIVER_SEDIMENT].present || check(L, LM_T_RIVER_SEDIMENT) != 0) return;
    lm_table *t = T(L, LM_T_RIVER_SEDIMENT);
    int c_node = col(t, "node_id"), c_from = col(t, "from_node"), c_to = col(t, "to_node");
    int c_dep = col(t, "deposition_fraction"), c_area = col(t, "area_km2");
    int c_yield = col(t, "sediment_yield_mt_per_yr");
    size_t n = (size_t)(t->n_rows + 1);
    ds->reach_id = lm_xcalloc(n, sizeof *ds->reach_id);
    ds->reach_down = lm_xcalloc(n, sizeof *ds->reach_down);
    ds->reach_yield_mt_per_yr = lm_xcalloc(n, sizeof *ds->reach_yield_mt_per_yr);
    ds->reach_deposition_fraction = lm_xcalloc(n, sizeof *ds->reach_deposition_fraction);
    ds->reach_area_km2 = lm_xcalloc(n, sizeof *ds->reach_area_km2);
    ds->reach_trap_efficiency = lm_xcalloc(n, sizeof *ds->reach_trap_efficiency);
    L->reach_ids = lm_xcalloc(n, sizeof *L->reach_ids);
    L->reach_line = lm_xcalloc(n, sizeof *L->reach_line);
    int *row_of = lm_xcalloc(n, sizeof *row_of);
    int nr = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        long id = t->ival[c_from][r], line = t->csv->line[r];
        if (id == 0) {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_from), "0",
                       "reach id 0 is reserved: to_node 0 means the basin outlet");
            continue;
        }
        if (t->col[c_node] >= 0 && t->ival[c_node][r] != LM_IVAL_INVALID &&
            t->ival[c_node][r] != id)
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_node),
                       lm_table_text(t, c_node, r), "node_id must equal from_node (%ld)", id);
        L->reach_ids[nr] = (lm_id_index){id, nr};
        ds->reach_id[nr] = id;
        L->reach_line[nr] = line;
        row_of[nr++] = r;
    }
    qsort(L->reach_ids, (size_t)nr, sizeof *L->reach_ids, cmp_id_index);
    /* duplicates sit next to each other after sorting; keep the first in file order */
    unsigned char *drop = lm_xcalloc((size_t)nr + 1, 1);
    for (int i = 1; i < nr; i++)
        if (L->reach_ids[i].id == L->reach_ids[i - 1].id) {
            int a = L->reach_ids[i - 1].index, b = L->reach_ids[i].index;
            int later = a > b ? a : b, earlier = a > b ? b : a;
            if (drop[later]) continue;
            char v[32];
            snprintf(v, sizeof v, "%ld", L->reach_ids[i].id);
            lm_diag_at(L->d, t->file, L->reach_line[later], lm_table_colname(t, c_from), v,
                       "duplicate reach id; first at line %ld", L->reach_line[earlier]);
            drop[later] = 1;
        }
    int kept = 0;
    for (int i = 0; i < nr; i++) {
        if (drop[i]) continue;
        ds->reach_id[kept] = ds->reach_id[i];
        L->reach_line[kept] = L->reach_line[i];
        row_of[kept++] = row_of[i];
    }
    free(drop);
    ds->n_reaches = kept;
    if (kept == 0) lm_diag_error(L->d, "%s: no river reaches", t->file);
    for (int i = 0; i < kept; i++) L->reach_ids[i] = (lm_id_index){ds->reach_id[i], i};
    qsort(L->reach_ids, (size_t)kept, sizeof *L->reach_ids, cmp_id_index);

    for (int i = 0; i < kept; i++) {
        int r = row_of[i];
        long to = t->ival[c_to][r];
        ds->reach_down[i] = -1;
        ds->reach_trap_efficiency[i] = NAN;
        ds->reach_yield_mt_per_yr[i] = t->state[r] == LM_ROW_OK ? t->num[c_yield][r] : 0;
        ds->reach_deposition_fraction[i] = t->state[r] == LM_ROW_OK ? t->num[c_dep][r] : 0;
        ds->reach_area_km2[i] =
            t->col[c_area] >= 0 && t->state[r] == LM_ROW_OK ? t->num[c_area][r] : NAN;
        if (to == 0 || to == LM_IVAL_INVALID) continue; /* outlet, or invalid (reported) */
        int down = lm_id_lookup(L->reach_ids, kept, to);
        if (down < 0)
            lm_diag_at(L->d, t->file, L->reach_line[i], lm_table_colname(t, c_to),
                       lm_table_text(t, c_to, r),
                       "unknown to_node: not a from_node of any row, and not 0 (the outlet)");
        else if (down == i)
            lm_diag_at(L->d, t->file, L->reach_line[i], lm_table_colname(t, c_to),
                       lm_table_text(t, c_to, r), "a reach cannot flow into itself");
        else
            ds->reach_down[i] = down;
    }
    free(row_of);
    L->ctx.n_reaches = kept;
    L->ctx.reaches = L->reach_ids;
    L->ctx.reaches_file = t->file;

    /* Acyclic: every reach has at most one downstream reach, so follow each path once; a
     * path that meets itself is a cycle. */
    unsigned char *color = lm_xcalloc((size_t)kept + 1, 1); /* 0 new, 1 on path, 2 done */
    for (int i = 0; i < kept; i++) {
        int cur = i;
        while (cur >= 0 && color[cur] == 0) {
            color[cur] = 1;
            cur = ds->reach_down[cur];
        }
        if (cur >= 0 && color[cur] == 1) {
            char buf[1024];
            size_t len = 0;
            int s = cur;
            do {
                if (len < sizeof buf)
                    len += (size_t)snprintf(buf + len, sizeof buf - len, "%ld -> ",
                                            ds->reach_id[s]);
                s = ds->reach_down[s];
            } while (s != cur);
            if (len < sizeof buf) snprintf(buf + len, sizeof buf - len, "%ld", ds->reach_id[cur]);
            char v[32];
            snprintf(v, sizeof v, "%ld", ds->reach_id[ds->reach_down[cur]]);
            lm_diag_at(L->d, t->file, L->reach_line[cur], lm_table_colname(t, c_to), v,
                       "cycle in the sediment network: %s; reaches must flow to the outlet", buf);
        }
        for (cur = i; cur >= 0 && color[cur] == 1; cur = ds->reach_down[cur]) color[cur] = 2;
    }
    free(color);
}

static void load_traps(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->m.tables[LM_T_RESERVOIR_SEDIMENT_TRAP].present || ds->n_reaches == 0) return;
    if (check(L, LM_T_RESERVOIR_SEDIMENT_TRAP) != 0) return;
    lm_table *t = T(L, LM_T_RESERVOIR_SEDIMENT_TRAP);
    int cs = col(t, "station_id"), ct = col(t, "trap_efficiency_fraction");
    long *first = lm_xcalloc((size_t)ds->n_reaches, sizeof *first);
    for (int r = 0; r < t->n_rows; r++) {
        if (!key_ok(t, r)) continue;
        int i = (int)t->ival[cs][r];
        long line = t->csv->line[r];
        if (first[i]) {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, cs), lm_table_text(t, cs, r),
                       "duplicate dam for this reach; first at line %ld", first[i]);
            continue;
        }
        first[i] = line;
        if (t->state[r] == LM_ROW_OK) ds->reach_trap_efficiency[i] = t->num[ct][r];
    }
    free(first);
}

/* ---- national targets (ndc_targets) ---- */

static const char *const NDC_BASELINES[] = {"BAU", "base-year", "peak", "intensity", "cumulative"};

static int is_na(const char *v)
{
    return !*v || strcmp(v, "NA") == 0;
}

/* A year or NA (0); -1 after recording an error. */
static int ndc_year(loader *L, const lm_table *t, int c, int r, int *out)
{
    *out = 0;
    if (c < 0 || t->col[c] < 0) return 0;
    const char *v = lm_table_text(t, c, r);
    long y;
    if (is_na(v)) return 0;
    if (lm_parse_int(v, &y) != 0 || y < 1000 || y > 9999) {
        lm_diag_at(L->d, t->file, t->csv->line[r], lm_table_colname(t, c), v,
                   "must be a year 1000..9999 or NA");
        return -1;
    }
    *out = (int)y;
    return 0;
}

/* A number in [lo, hi] or NA (NaN); -1 after recording an error. */
static int ndc_number(loader *L, const lm_table *t, int c, int r, double lo, double hi,
                      const char *rule, double *out)
{
    *out = NAN;
    if (c < 0 || t->col[c] < 0) return 0;
    const char *v = lm_table_text(t, c, r);
    double x;
    if (is_na(v)) return 0;
    if (lm_parse_double(v, &x, 0) != 0 || x < lo || x > hi) {
        lm_diag_at(L->d, t->file, t->csv->line[r], lm_table_colname(t, c), v, "%s", rule);
        return -1;
    }
    *out = x == 0 ? 0.0 : x;
    return 0;
}

/* The table of national targets: one row per target and zone; the rules that depend on the
 * kind of baseline are checked here (docs/dataset-format.md, "ndc_targets"). */
static void load_ndc_targets(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->m.tables[LM_T_NDC_TARGETS].present || ds->n_zones == 0) return;
    if (check(L, LM_T_NDC_TARGETS) != 0) return;
    lm_table *t = T(L, LM_T_NDC_TARGETS);
    int c_country = col(t, "country"), c_zone = col(t, "zone"), c_type = col(t, "target_type");
    int c_base = col(t, "baseline"), c_by = col(t, "base_year"), c_ty = col(t, "target_year");
    int c_red = col(t, "reduction_pct"), c_bmt = col(t, "base_year_mt");
    int c_scope = col(t, "sector_scope"), c_neut = col(t, "neutrality_year");
    int c_src = col(t, "source_id");
    ds->ndc_targets_file = lm_xstrdup(t->file);
    ds->ndc_targets = lm_xcalloc((size_t)t->n_rows + 1, sizeof *ds->ndc_targets);
    /* the country each zone follows, and the line that said so */
    const char **zone_country = lm_xcalloc((size_t)ds->n_zones, sizeof *zone_country);
    long *zone_line = lm_xcalloc((size_t)ds->n_zones, sizeof *zone_line);
    char zones[512];
    zones[0] = 0;
    for (int z = 0, len = 0; z < ds->n_zones && len < (int)sizeof zones; z++)
        len += snprintf(zones + len, sizeof zones - (size_t)len, "%s%s", z ? ", " : "",
                        ds->zones[z]);
    const char *zones_file = T(L, LM_T_TECHNOLOGY_PORTFOLIO)->file;

    for (int r = 0; r < t->n_rows; r++) {
        if (t->state[r] == LM_ROW_BAD_KEY) continue; /* empty country or bad target_year */
        long line = t->csv->line[r];
        int bad = t->state[r] != LM_ROW_OK;
        lm_ndc_target g = {0};
        const char *country = lm_table_text(t, c_country, r);
        const char *zone = lm_table_text(t, c_zone, r);
        const char *zcol = lm_table_colname(t, c_zone);

        /* zone: as given, else the zone named like the country */
        g.zone = -1;
        if (*zone) {
            g.zone = lm_dataset_zone(ds, zone);
            if (g.zone < 0)
                lm_diag_at(L->d, t->file, line, zcol, zone, "unknown zone; zones (from %s): %s",
                           zones_file, zones);
        } else {
            g.zone = lm_dataset_zone(ds, country);
            if (g.zone < 0)
                lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_country), country,
                           "unknown country: not a zone of the dataset and no zone given; "
                           "zones (from %s): %s; name the zone the target applies to in "
                           "column zone",
                           zones_file, zones);
        }
        if (g.zone < 0) bad = 1;
        else if (zone_country[g.zone] && strcmp(zone_country[g.zone], country) != 0) {
            lm_diag_at(L->d, t->file, line, *zone ? zcol : lm_table_colname(t, c_country),
                       *zone ? zone : country,
                       "zone \"%s\" already follows the targets of \"%s\" (line %ld); a zone "
                       "follows one country",
                       ds->zones[g.zone], zone_country[g.zone], zone_line[g.zone]);
            bad = 1;
        } else if (!zone_country[g.zone]) {
            zone_country[g.zone] = country;
            zone_line[g.zone] = line;
        }

        const char *type = lm_table_text(t, c_type, r);
        if (!strcmp(type, "unconditional")) g.conditional = 0;
        else if (!strcmp(type, "conditional")) g.conditional = 1;
        else {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_type), type,
                       "must be unconditional or conditional");
            bad = 1;
        }
        const char *base = lm_table_text(t, c_base, r);
        g.baseline = -1;
        for (int i = 0; i < 5; i++)
            if (!strcmp(base, NDC_BASELINES[i])) g.baseline = i;
        if (g.baseline < 0) {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_base), base,
                       "must be one of BAU, base-year, peak, intensity, cumulative");
            bad = 1;
        }
        g.target_year = (int)t->ival[c_ty][r];
        if (ndc_year(L, t, c_by, r, &g.base_year) != 0) bad = 1;
        if (ndc_year(L, t, c_neut, r, &g.neutrality_year) != 0) bad = 1;
        if (ndc_number(L, t, c_red, r, 0, 100, "must be a percentage in [0, 100] or NA",
                       &g.reduction_pct) != 0)
            bad = 1;
        if (ndc_number(L, t, c_bmt, r, 0, INFINITY, "must be a number >= 0 or NA",
                       &g.base_year_mt) != 0)
            bad = 1;

        /* year order: base_year <= target_year < neutrality_year */
        char v[32];
        if (g.base_year && g.base_year > g.target_year) {
            snprintf(v, sizeof v, "%d", g.base_year);
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_by), v,
                       "base_year must not be after target_year (%d)", g.target_year);
            bad = 1;
        }
        if (g.neutrality_year && g.neutrality_year <= g.target_year) {
            snprintf(v, sizeof v, "%d", g.neutrality_year);
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_neut), v,
                       "neutrality_year must be after target_year (%d)", g.target_year);
            bad = 1;
        }
        /* what each kind of target needs */
        if (g.baseline == LM_NDC_BASE_YEAR || g.baseline == LM_NDC_INTENSITY) {
            if (!g.base_year && (c_by < 0 || is_na(lm_table_text(t, c_by, r)))) {
                lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_by),
                           lm_table_text(t, c_by, r), "a %s target needs a base_year",
                           NDC_BASELINES[g.baseline]);
                bad = 1;
            }
        }
        if (g.baseline == LM_NDC_BAU || g.baseline == LM_NDC_BASE_YEAR ||
            g.baseline == LM_NDC_INTENSITY) {
            if (isnan(g.reduction_pct) && is_na(lm_table_text(t, c_red, r))) {
                lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_red),
                           lm_table_text(t, c_red, r), "a %s target needs reduction_pct",
                           NDC_BASELINES[g.baseline]);
                bad = 1;
            }
        }
        if (g.baseline == LM_NDC_PEAK && !isnan(g.reduction_pct) && g.reduction_pct != 0) {
            lm_diag_at(L->d, t->file, line, lm_table_colname(t, c_red),
                       lm_table_text(t, c_red, r),
                       "a peak target has no reduction; write NA or 0");
            bad = 1;
        }

        /* one row per country, target type, baseline kind and target year */
        for (int i = 0; i < ds->n_ndc_targets && !bad; i++) {
            const lm_ndc_target *o = &ds->ndc_targets[i];
            if (strcmp(o->country, country) || o->conditional != g.conditional ||
                o->baseline != g.baseline || o->target_year != g.target_year || o->zone != g.zone)
                continue;
            lm_diag_at(L->d, t->file, line, "country,target_type,baseline,target_year", NULL,
                       "duplicate target for %s (%s, %s, %d); first at line %ld", country,
                       type, base, g.target_year, o->line);
            bad = 1;
        }
        if (bad) continue;
        g.country = lm_xstrdup(country);
        g.sector_scope = lm_xstrdup(lm_table_text(t, c_scope, r));
        g.source_id = lm_xstrdup(lm_table_text(t, c_src, r));
        g.line = line;
        ds->ndc_targets[ds->n_ndc_targets++] = g;
    }
    free(zone_country);
    free(zone_line);
}

/* ---- technologies, zones, corridors ---- */

static void load_tech_tables(loader *L)
{
    lm_dataset *ds = L->ds;
    int nk = ds->n_techs, ny = ds->n_years, nz = ds->n_zones;
    if (nk == 0) return;
    static const struct {
        int table;
        const char *value;
        size_t offset;
    } ky[] = {
        {LM_T_TECHNOLOGY_INVESTMENT_COST, "investment_cost_usd_per_mw",
         offsetof(lm_dataset, investment_cost_usd_per_mw)},
        {LM_T_TECHNOLOGY_FIX_COST, "fixed_om_cost_usd_per_mw_yr",
         offsetof(lm_dataset, fixed_om_cost_usd_per_mw_yr)},
        {LM_T_TECHNOLOGY_VARIABLE_COST, "variable_om_cost_usd_per_mwh",
         offsetof(lm_dataset, variable_om_cost_usd_per_mwh)},
        {LM_T_FUEL_PRICE, "fuel_cost_usd_per_mwh", offsetof(lm_dataset, fuel_cost_usd_per_mwh)},
        {LM_T_CARBON_CONTENT, "emission_factor_t_co2_per_mwh",
         offsetof(lm_dataset, emission_factor_t_co2_per_mwh)},
        {LM_T_EFFICIENCY, "efficiency_fraction", offsetof(lm_dataset, efficiency_fraction)},
        {LM_T_LIFETIME, "lifetime_years", offsetof(lm_dataset, lifetime_years)},
    };
    for (size_t i = 0; i < sizeof ky / sizeof *ky; i++) {
        double **dst = (double **)((char *)ds + ky[i].offset);
        *dst = alloc_fill((size_t)nk * (size_t)(ny ? ny : 1), 0);
        if (ny == 0) continue;
        fill(L, &(fill_spec){.table = ky[i].table, .value = ky[i].value, .n_dims = 2,
                             .dims = {{D_TECH, "tech", NULL}, {D_YEAR, "year", NULL}},
                             .dst = *dst, .complete = 1, .only_type = -1});
    }
    ds->ramp_up_fraction_per_h = alloc_fill((size_t)nk, 1);
    ds->ramp_down_fraction_per_h = alloc_fill((size_t)nk, 1);
    fill(L, &(fill_spec){.table = LM_T_RAMP_UP, .value = "ramp_up_fraction_per_h", .n_dims = 1,
                         .dims = {{D_TECH, "tech", NULL}}, .dst = ds->ramp_up_fraction_per_h,
                         .complete = 1, .only_type = -1});
    fill(L, &(fill_spec){.table = LM_T_RAMP_DOWN, .value = "ramp_down_fraction_per_h",
                         .n_dims = 1, .dims = {{D_TECH, "tech", NULL}},
                         .dst = ds->ramp_down_fraction_per_h, .complete = 1, .only_type = -1});
    if (ny > 0 && L->m.tables[LM_T_CARBON_CAP].present) {
        ds->carbon_cap_t_co2 = alloc_fill((size_t)ny, INFINITY);
        fill(L, &(fill_spec){.table = LM_T_CARBON_CAP, .value = "carbon_cap_t_co2", .n_dims = 1,
                             .dims = {{D_YEAR, "year", NULL}}, .dst = ds->carbon_cap_t_co2,
                             .complete = 1, .only_type = -1});
    }
    if (nz == 0) return;

    /* zone x technology */
    size_t nzk = (size_t)nz * (size_t)nk;
    const dim zk[2] = {{D_ZONE, "zone", NULL}, {D_TECH, "tech", NULL}};
    long *max_line = lm_xcalloc(nzk, sizeof *max_line);
    long *min_line = lm_xcalloc(nzk, sizeof *min_line);
    ds->max_capacity_mw = alloc_fill(nzk, INFINITY);
    ds->max_new_capacity_mw = alloc_fill(nzk, INFINITY);
    ds->min_new_capacity_mw = alloc_fill(nzk, 0);
    ds->initial_storage_fraction = alloc_fill(nzk, 0);
    ds->energy_to_power_ratio_h = alloc_fill(nzk, 0);
    fill(L, &(fill_spec){.table = LM_T_TECHNOLOGY_UPPER_BOUND, .value = "max_capacity_mw",
                         .n_dims = 2, .dims = {zk[0], zk[1]}, .dst = ds->max_capacity_mw,
                         .complete = 1, .only_type = -1});
    int max_ok = fill(L, &(fill_spec){.table = LM_T_NEW_TECHNOLOGY_UPPER_BOUND,
                                      .value = "max_new_capacity_mw", .n_dims = 2,
                                      .dims = {zk[0], zk[1]}, .dst = ds->max_new_capacity_mw,
                                      .complete = 1, .only_type = -1, .lines = max_line}) == 0;
    int min_ok = L->m.tables[LM_T_NEW_TECHNOLOGY_LOWER_BOUND].present &&
                 fill(L, &(fill_spec){.table = LM_T_NEW_TECHNOLOGY_LOWER_BOUND,
                                      .value = "min_new_capacity_mw", .n_dims = 2,
                                      .dims = {zk[0], zk[1]}, .dst = ds->min_new_capacity_mw,
                                      .complete = 1, .only_type = -1, .lines = min_line}) == 0;
    if (max_ok && min_ok) {
        const lm_table *t = T(L, LM_T_NEW_TECHNOLOGY_LOWER_BOUND);
        for (size_t i = 0; i < nzk; i++) {
            if (!min_line[i] || !max_line[i] ||
                ds->min_new_capacity_mw[i] <= ds->max_new_capacity_mw[i])
                continue;
            char v[64];
            snprintf(v, sizeof v, "%.10g", ds->min_new_capacity_mw[i]);
            lm_diag_at(L->d, t->file, min_line[i],
                       lm_table_colname(t, col(t, "min_new_capacity_mw")), v,
                       "above max_new_capacity_mw %.10g (%s:%ld)", ds->max_new_capacity_mw[i],
                       T(L, LM_T_NEW_TECHNOLOGY_UPPER_BOUND)->file, max_line[i]);
        }
    }
    free(max_line);
    free(min_line);
    fill(L, &(fill_spec){.table = LM_T_INIT_STORAGE_LEVEL, .value = "initial_storage_fraction",
                         .n_dims = 2, .dims = {zk[0], zk[1]}, .dst = ds->initial_storage_fraction,
                         .complete = 1, .only_type = LM_TECH_STORAGE});
    fill(L, &(fill_spec){.table = LM_T_STORAGE_RATIO, .value = "energy_to_power_ratio_h",
                         .n_dims = 2, .dims = {zk[0], zk[1]}, .dst = ds->energy_to_power_ratio_h,
                         .complete = 1, .only_type = LM_TECH_STORAGE});
}

/* Existing capacity by age: from the age table if given (its sums must match
 * technology_portfolio), else all of technology_portfolio at age 1. */
static void load_ages(loader *L)
{
    lm_dataset *ds = L->ds;
    int nz = ds->n_zones, nk = ds->n_techs;
    if (!L->portfolio_mw) return;
    size_t nzk = (size_t)nz * (size_t)nk;
    ds->n_ages = 1;
    if (L->m.tables[LM_T_AGE].present && check(L, LM_T_AGE) == 0) {
        lm_table *t = T(L, LM_T_AGE);
        int ca = col(t, "age_years");
        for (int r = 0; r < t->n_rows; r++)
            if (key_ok(t, r) && t->ival[ca][r] > ds->n_ages) ds->n_ages = (int)t->ival[ca][r];
        ds->existing_capacity_mw = alloc_fill(nzk * (size_t)ds->n_ages, 0);
        fill(L, &(fill_spec){.table = LM_T_AGE, .value = "capacity_mw", .n_dims = 3,
                             .dims = {{D_ZONE, "zone", NULL}, {D_TECH, "tech", NULL},
                                      {D_AGE, "age_years", NULL}},
                             .dst = ds->existing_capacity_mw, .complete = 0, .only_type = -1});
        if (t->n_key_errors || t->n_value_errors || L->csv_bad[LM_T_AGE]) return;
        for (size_t i = 0; i < nzk; i++) {
            double sum = 0, want = L->portfolio_mw[i];
            const double *by_age = &ds->existing_capacity_mw[i * (size_t)ds->n_ages];
            for (int a = 0; a < ds->n_ages; a++) sum += by_age[a];
            if (!L->portfolio_line[i] || fabs(sum - want) <= 1e-6 * fmax(fabs(want), 1.0)) continue;
            lm_diag_error(L->d,
                          "%s: zone \"%s\", tech \"%s\": capacity_mw sums to %.10g over ages, "
                          "but %s:%ld has existing_capacity_mw %.10g",
                          t->file, ds->zones[i / (size_t)nk], ds->techs[i % (size_t)nk], sum,
                          T(L, LM_T_TECHNOLOGY_PORTFOLIO)->file, L->portfolio_line[i], want);
        }
        return;
    }
    ds->existing_capacity_mw = alloc_fill(nzk, 0);
    memcpy(ds->existing_capacity_mw, L->portfolio_mw, nzk * sizeof *L->portfolio_mw);
}

static void load_time_series(loader *L)
{
    lm_dataset *ds = L->ds;
    int nz = ds->n_zones, nk = ds->n_techs, ny = ds->n_years, nt = ds->n_steps;
    if (nz == 0 || nt == 0) return;
    if (ny > 0) {
        ds->demand_mw = alloc_fill((size_t)nz * (size_t)ny * (size_t)nt, 0);
        fill(L, &(fill_spec){.table = LM_T_DEMAND, .value = "demand_mw", .n_dims = 3,
                             .dims = {{D_ZONE, "zone", NULL}, {D_YEAR, "year", NULL},
                                      {D_STEP, "month", "hour"}},
                             .dst = ds->demand_mw, .complete = 1, .only_type = -1});
    }
    if (nk > 0) {
        /* 1 for technologies that are not nondispatchable: their output is limited by
         * capacity alone. */
        ds->capacity_factor = alloc_fill((size_t)nk * (size_t)nz * (size_t)nt, 1);
        fill(L, &(fill_spec){.table = LM_T_CAPACITY_FACTOR, .value = "capacity_factor",
                             .n_dims = 3,
                             .dims = {{D_TECH, "tech", NULL}, {D_ZONE, "zone", NULL},
                                      {D_STEP, "month", "hour"}},
                             .dst = ds->capacity_factor, .complete = 1,
                             .only_type = LM_TECH_NONDISPATCHABLE});
    }
    if (L->m.tables[LM_T_HYDROPOWER].present && L->bound[LM_T_HYDROPOWER] &&
        T(L, LM_T_HYDROPOWER)->n_rows > 0 && nk > 0) {
        ds->hydro_output_mw = alloc_fill((size_t)nz * (size_t)nt, 0);
        fill(L, &(fill_spec){.table = LM_T_HYDROPOWER, .value = "hydro_output_mw", .n_dims = 2,
                             .dims = {{D_ZONE, "zone", NULL}, {D_STEP, "month", "hour"}},
                             .dst = ds->hydro_output_mw, .complete = 1,
                             .only_type = LM_TECH_HYDRO});
    }
}

static void load_corridor_tables(loader *L)
{
    lm_dataset *ds = L->ds;
    if (!L->corridor || !L->checked[LM_T_TRANSLINE]) return;
    size_t nl = (size_t)ds->n_lines;
    static const struct {
        int table;
        const char *value;
        size_t offset;
        int exact;
        double dflt;
    } tabs[] = {
        {LM_T_TRANSLINE_EFFICIENCY, "efficiency_fraction", offsetof(lm_dataset, line_efficiency),
         1, 1},
        {LM_T_DISTANCE, "distance_km", offsetof(lm_dataset, line_distance_km), 1, 0},
        {LM_T_TRANSLINE_LIMIT, "max_new_capacity_mw", offsetof(lm_dataset, line_max_new_mw), 1,
         INFINITY},
        {LM_T_TRANSLINE_INVESTMENT_COST, "investment_cost_usd_per_mw_km",
         offsetof(lm_dataset, line_investment_usd_per_mw_km), 0, 0},
        {LM_T_TRANSLINE_FIX_COST, "fixed_om_cost_usd_per_mw_yr",
         offsetof(lm_dataset, line_fixed_om_usd_per_mw_yr), 0, 0},
        {LM_T_TRANSLINE_VARIABLE_COST, "variable_cost_usd_per_mwh",
         offsetof(lm_dataset, line_variable_usd_per_mwh), 0, 0},
        {LM_T_TRANSMISSION_LINE_LIFETIME, "lifetime_years",
         offsetof(lm_dataset, line_lifetime_years), 0, 0},
    };
    long *dist_line = lm_xcalloc(nl + 1, sizeof *dist_line);
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
        double **dst = (double **)((char *)ds + tabs[i].offset);
        *dst = alloc_fill(nl, tabs[i].dflt);
        if (!L->m.tables[tabs[i].table].present) continue;
        fill(L, &(fill_spec){.table = tabs[i].table, .value = tabs[i].value, .n_dims = 1,
                             .dims = {{D_CORRIDOR, "from_zone", "to_zone"}}, .dst = *dst,
                             .complete = 1, .only_type = -1, .extra_pairs_ok = !tabs[i].exact,
                             .lines = tabs[i].table == LM_T_DISTANCE ? dist_line : NULL});
    }
    /* A corridor is one physical line: both directions must have the same length. */
    for (int l = 0; l < ds->n_lines; l++) {
        int rev = L->corridor[ds->line_to[l] * ds->n_zones + ds->line_from[l]];
        if (rev <= l || !dist_line[l] || !dist_line[rev]) continue;
        double a = ds->line_distance_km[l], b = ds->line_distance_km[rev];
        if (fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b))) continue;
        const lm_table *t = T(L, LM_T_DISTANCE);
        char v[64];
        snprintf(v, sizeof v, "%.10g", b);
        lm_diag_at(L->d, t->file, dist_line[rev], lm_table_colname(t, col(t, "distance_km")), v,
                   "distance %s -> %s differs from the reverse direction (%.10g km, line %ld)",
                   ds->zones[ds->line_to[l]], ds->zones[ds->line_from[l]], a, dist_line[l]);
    }
    free(dist_line);
}

/* ---- public API ---- */

static void loader_free(loader *L)
{
    for (int i = 0; i < LM_N_TABLES; i++) {
        lm_table_free(&L->tab[i]);
        lm_csv_free(&L->csv[i]);
    }
    lm_manifest_free(&L->m);
    free(L->corridor);
    free(L->line_row_line);
    free(L->station_ids);
    free(L->reach_ids);
    free(L->portfolio_mw);
    free(L->portfolio_line);
    free(L->reach_line);
}

int lm_dataset_load(const char *path, lm_dataset **out, lm_diag *d)
{
    *out = NULL;
    int errors0 = d->n_errors;
    if (!lm_path_exists(path)) {
        lm_diag_error(d, "%s: no such dataset folder or manifest file", path);
        return -1;
    }
    if (sodium_init() < 0) {
        lm_diag_error(d, "%s: cannot initialise libsodium (needed for the dataset hash)", path);
        return -1;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.d = d;
    char *mpath = lm_path_is_dir(path) ? lm_path_join(path, "dataset.yaml") : lm_xstrdup(path);
    int rc = lm_manifest_read(mpath, &L.m, d);
    free(mpath);
    if (rc != 0) {
        loader_free(&L);
        return -1;
    }
    lm_dataset *ds = lm_xcalloc(1, sizeof *ds);
    L.ds = ds;
    ds->name = lm_xstrdup(L.m.name);
    ds->version = lm_xstrdup(L.m.version ? L.m.version : "");
    ds->description = lm_xstrdup(L.m.description ? L.m.description : "");
    ds->manifest_path = lm_xstrdup(L.m.path);
    ds->root = lm_xstrdup(L.m.root);
    ds->dt_h = 1.0;

    read_tables(&L);
    define_techs(&L);
    define_years(&L);
    define_zones(&L);
    define_time(&L);
    define_corridors(&L);
    define_stations(&L);
    load_reaches(&L);
    load_tech_tables(&L);
    load_ages(&L);
    load_time_series(&L);
    load_corridor_tables(&L);
    load_station_series(&L);
    load_edges(&L);
    load_traps(&L);
    load_ndc_targets(&L);
    for (int s = 0; s < ds->n_stations; s++)
        ds->stations[s].reach = lm_id_lookup(L.reach_ids, ds->n_reaches, ds->stations[s].id);
    if (L.m.tables[LM_T_PROJECTS_DECLARED].present && L.bound[LM_T_PROJECTS_DECLARED])
        ds->projects_declared_file = lm_xstrdup(L.m.tables[LM_T_PROJECTS_DECLARED].path);

    /* Every table the manifest names is checked, also one that nothing above used (an empty
     * hydropower table).  A table that cannot be checked because a set it refers to is empty
     * has no error of its own when that set's table had none, so say so. */
    for (int i = 0; i < LM_N_TABLES; i++)
        if (L.m.tables[i].present && L.bound[i] && check(&L, i) != 0 && d->n_errors == errors0)
            lm_diag_error(d, "%s: cannot be checked: a set it refers to is empty", L.csv[i].path);
    loader_free(&L);
    if (d->n_errors > errors0) {
        lm_dataset_free(ds);
        return -1;
    }
    *out = ds;
    return 0;
}

void lm_dataset_free(lm_dataset *ds)
{
    if (!ds) return;
    free(ds->name);
    free(ds->version);
    free(ds->description);
    free(ds->manifest_path);
    free(ds->root);
    for (int z = 0; z < ds->n_zones; z++) free(ds->zones[z]);
    free(ds->zones);
    for (int k = 0; k < ds->n_techs; k++) free(ds->techs[k]);
    free(ds->techs);
    free(ds->tech_type);
    free(ds->years);
    free(ds->months);
    free(ds->investment_cost_usd_per_mw);
    free(ds->fixed_om_cost_usd_per_mw_yr);
    free(ds->variable_om_cost_usd_per_mwh);
    free(ds->fuel_cost_usd_per_mwh);
    free(ds->emission_factor_t_co2_per_mwh);
    free(ds->efficiency_fraction);
    free(ds->lifetime_years);
    free(ds->ramp_up_fraction_per_h);
    free(ds->ramp_down_fraction_per_h);
    free(ds->discount_rate);
    free(ds->carbon_cap_t_co2);
    free(ds->existing_capacity_mw);
    free(ds->max_capacity_mw);
    free(ds->max_new_capacity_mw);
    free(ds->min_new_capacity_mw);
    free(ds->initial_storage_fraction);
    free(ds->energy_to_power_ratio_h);
    free(ds->demand_mw);
    free(ds->capacity_factor);
    free(ds->hydro_output_mw);
    free(ds->line_from);
    free(ds->line_to);
    free(ds->line_existing_mw);
    free(ds->line_efficiency);
    free(ds->line_distance_km);
    free(ds->line_max_new_mw);
    free(ds->line_investment_usd_per_mw_km);
    free(ds->line_fixed_om_usd_per_mw_yr);
    free(ds->line_variable_usd_per_mwh);
    free(ds->line_lifetime_years);
    for (int s = 0; s < ds->n_stations; s++) free(ds->stations[s].name);
    free(ds->stations);
    free(ds->inflow_m3s);
    free(ds->storage_max_1e8m3);
    free(ds->storage_min_1e8m3);
    free(ds->edge_up);
    free(ds->edge_down);
    free(ds->edge_delay_h);
    free(ds->reach_id);
    free(ds->reach_down);
    free(ds->reach_yield_mt_per_yr);
    free(ds->reach_deposition_fraction);
    free(ds->reach_area_km2);
    free(ds->reach_trap_efficiency);
    for (int i = 0; i < ds->n_ndc_targets; i++) {
        free(ds->ndc_targets[i].country);
        free(ds->ndc_targets[i].sector_scope);
        free(ds->ndc_targets[i].source_id);
    }
    free(ds->ndc_targets);
    free(ds->ndc_targets_file);
    free(ds->projects_declared_file);
    free(ds);
}

int lm_dataset_zone(const lm_dataset *ds, const char *name)
{
    return lm_find_name(ds->zones, ds->n_zones, name);
}

int lm_dataset_tech(const lm_dataset *ds, const char *name)
{
    return lm_find_name(ds->techs, ds->n_techs, name);
}

int lm_dataset_year(const lm_dataset *ds, int year)
{
    for (int y = 0; y < ds->n_years; y++)
        if (ds->years[y] == year) return y;
    return -1;
}

int lm_dataset_station(const lm_dataset *ds, long id)
{
    for (int s = 0; s < ds->n_stations; s++)
        if (ds->stations[s].id == id) return s;
    return -1;
}
