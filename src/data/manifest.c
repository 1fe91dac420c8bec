/* manifest.c - read and check a dataset manifest with libyaml (see manifest.h).
 *
 * The manifest is loaded as a libyaml document (node tree with marks, through the shared
 * yaml_util.c), so every error can name the line and column of the key it is about.  Nothing
 * here knows table contents: the table names, column names and units come from the schema
 * (schema.c). */
#include "data/manifest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/util.h"
#include "data/csv.h"
#include "data/yaml_util.h"

typedef struct yctx {
    yaml_document_t *doc;
    const char *path;
    lm_diag *d;
    int errors;
} yctx;

static long line_of(const yaml_node_t *n) { return lm_yaml_line(n); }
static long col_of(const yaml_node_t *n) { return lm_yaml_col(n); }

static void yerr(yctx *y, const yaml_node_t *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void yerr(yctx *y, const yaml_node_t *at, const char *key, const char *fmt, ...)
{
    char msg[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lm_diag_error(y->d, "%s:%ld:%ld: key \"%s\": %s", y->path, line_of(at), col_of(at), key, msg);
    y->errors++;
}

static yaml_node_t *node_at(yctx *y, int i) { return yaml_document_get_node(y->doc, i); }

static const char *scalar(const yaml_node_t *n) { return n ? lm_yaml_text(n) : NULL; }

/* The text of a scalar value, or NULL after an error if it is not a (non-empty) scalar. */
static char *text_value(yctx *y, yaml_node_t *v, const char *key, int allow_empty)
{
    const char *s = scalar(v);
    if (!s) {
        yerr(y, v, key, "must be a text value, not a %s",
             v->type == YAML_MAPPING_NODE ? "mapping" : "list");
        return NULL;
    }
    if (!allow_empty && !*s) {
        yerr(y, v, key, "must not be empty");
        return NULL;
    }
    return lm_xstrdup(s);
}

/* Iterate over a mapping, checking that keys are scalars and not repeated.  Calls fn for each
 * (key, value); returns -1 if `map` is not a mapping. */
typedef void (*pair_fn)(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg);

static int each_pair(yctx *y, yaml_node_t *map, const char *where, pair_fn fn, void *arg)
{
    if (map->type != YAML_MAPPING_NODE) {
        yerr(y, map, *where ? where : "(top level)", "must be a mapping of keys to values");
        return -1;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(y, p->key), *v = node_at(y, p->value);
        const char *ks = scalar(k);
        if (!ks) {
            yerr(y, k, *where ? where : "(top level)", "keys must be plain names");
            continue;
        }
        int dup = 0;
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p && !dup; q++) {
            const char *qs = scalar(node_at(y, q->key));
            if (qs && strcmp(qs, ks) == 0) {
                char full[512];
                snprintf(full, sizeof full, "%s%s%s", where, *where ? "." : "", ks);
                yerr(y, k, full, "given twice (first at line %ld)", line_of(node_at(y, q->key)));
                dup = 1;
            }
        }
        if (!dup) fn(y, ks, k, v, arg);
    }
    return 0;
}

/* ---- sources ---- */

typedef struct sources {
    int n, cap;
    char **ids;
} sources;

static void source_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    char **id = arg;
    static const char *const keys[] = {"id", "citation", "url", "doi", "license", "note"};
    char full[256];
    snprintf(full, sizeof full, "sources.%s", key);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0) {
            char *s = text_value(y, v, full, i != 0);
            if (i == 0 && s) {
                free(*id);
                *id = s;
            } else {
                free(s);
            }
            return;
        }
    yerr(y, k, full, "unknown key in a source; keys: id, citation, url, doi, license, note");
}

static void read_sources(yctx *y, yaml_node_t *seq, sources *src)
{
    if (seq->type != YAML_SEQUENCE_NODE) {
        yerr(y, seq, "sources", "must be a list of {id, citation, url} mappings");
        return;
    }
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        yaml_node_t *e = node_at(y, *it);
        char *id = NULL;
        if (each_pair(y, e, "sources", source_pair, &id) != 0) continue;
        if (!id) {
            yerr(y, e, "sources", "every source needs an id");
            continue;
        }
        if (lm_find_name(src->ids, src->n, id) >= 0) {
            yerr(y, e, "sources.id", "source id \"%s\" given twice", id);
            free(id);
            continue;
        }
        lm_grow(&src->ids, &src->cap, src->n + 1, sizeof *src->ids);
        src->ids[src->n++] = id;
    }
}

/* ---- tables ---- */

typedef struct table_arg {
    lm_manifest *m;
    lm_manifest_table *t;
    const lm_table_schema *s;
    const sources *src;
    char where[128];
} table_arg;

static void column_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    table_arg *a = arg;
    char full[256];
    snprintf(full, sizeof full, "%s.columns.%s", a->where, key);
    int c = lm_schema_col(a->s, key);
    if (c < 0) {
        yerr(y, k, full, "table %s has no column %s (map lmplan column name: file column name)",
             a->s->name, key);
        return;
    }
    char *s = text_value(y, v, full, 0);
    if (!s) return;
    free(a->t->rename[c]);
    a->t->rename[c] = s;
}

static void unit_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    table_arg *a = arg;
    char full[256];
    snprintf(full, sizeof full, "%s.units.%s", a->where, key);
    int c = lm_schema_col(a->s, key);
    if (c < 0) {
        yerr(y, k, full, "table %s has no column %s", a->s->name, key);
        return;
    }
    const char *u = scalar(v);
    if (!u) {
        yerr(y, v, full, "must be a unit text");
        return;
    }
    if (!lm_schema_unit_equal(u, a->s->cols[c].unit))
        yerr(y, v, full, "unit \"%s\" does not match the unit of column %s, which is \"%s\"", u,
             key, a->s->cols[c].unit);
}

static int has_tech_column(const lm_table_schema *s)
{
    for (int c = 0; c < s->n_cols; c++)
        if (s->cols[c].kind == LM_COL_TECH) return 1;
    return 0;
}

static void table_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    table_arg *a = arg;
    lm_manifest_table *t = a->t;
    char full[256];
    snprintf(full, sizeof full, "%s.%s", a->where, key);
    if (strcmp(key, "file") == 0) {
        char *s = text_value(y, v, full, 0);
        if (s) {
            free(t->file);
            t->file = s;
            t->file_line = line_of(v);
            t->file_col = col_of(v);
        }
    } else if (strcmp(key, "source") == 0) {
        char *s = text_value(y, v, full, 0);
        if (!s) return;
        if (lm_find_name(a->src->ids, a->src->n, s) < 0) {
            yerr(y, v, full, "unknown source \"%s\" (not an id in sources)", s);
            free(s);
            return;
        }
        free(t->source);
        t->source = s;
    } else if (strcmp(key, "description") == 0) {
        free(text_value(y, v, full, 1));
    } else if (strcmp(key, "columns") == 0) {
        each_pair(y, v, full, column_pair, a);
    } else if (strcmp(key, "units") == 0) {
        each_pair(y, v, full, unit_pair, a);
    } else if (strcmp(key, "ignore_techs") == 0) {
        if (!has_tech_column(a->s)) {
            yerr(y, k, full, "table %s has no tech column", a->s->name);
            return;
        }
        if (v->type != YAML_SEQUENCE_NODE) {
            yerr(y, v, full, "must be a list of technology names");
            return;
        }
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            yaml_node_t *e = node_at(y, *it);
            char *s = text_value(y, e, full, 0);
            if (!s) continue;
            int n = t->n_ignore_techs + 1;
            t->ignore_techs = lm_xrealloc(t->ignore_techs, (size_t)n * sizeof *t->ignore_techs);
            t->ignore_line = lm_xrealloc(t->ignore_line, (size_t)n * sizeof *t->ignore_line);
            t->ignore_col = lm_xrealloc(t->ignore_col, (size_t)n * sizeof *t->ignore_col);
            t->ignore_techs[n - 1] = s;
            t->ignore_line[n - 1] = line_of(e);
            t->ignore_col[n - 1] = col_of(e);
            t->n_ignore_techs = n;
        }
    } else {
        yerr(y, k, full,
             "unknown key in a table entry; keys: file, source, description, columns, units, "
             "ignore_techs");
    }
}

static void tables_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    table_arg *base = arg;
    int id = lm_schema_find(key);
    if (id < 0) {
        char known[2048];
        size_t len = 0;
        known[0] = 0;
        for (int i = 0; i < LM_N_TABLES && len < sizeof known; i++)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                                    lm_schema_table(i)->name);
        char full[256];
        snprintf(full, sizeof full, "tables.%s", key);
        yerr(y, k, full, "unknown table; tables: %s", known);
        return;
    }
    table_arg a = *base;
    a.t = &a.m->tables[id];
    a.s = lm_schema_table(id);
    snprintf(a.where, sizeof a.where, "tables.%s", key);
    a.t->present = 1;
    a.t->line = line_of(k);
    a.t->col = col_of(k);
    if (v->type == YAML_SCALAR_NODE) { /* short form: `demand: demand.csv` */
        a.t->file = text_value(y, v, a.where, 0);
        a.t->file_line = line_of(v);
        a.t->file_col = col_of(v);
        return;
    }
    if (each_pair(y, v, a.where, table_pair, &a) != 0) return;
    if (!a.t->file) yerr(y, k, a.where, "a table entry needs a file");
}

/* ---- top level ---- */

typedef struct top_arg {
    lm_manifest *m;
    sources src;
    yaml_node_t *tables, *tables_key;
    char *root, *root_env;
    yaml_node_t *root_node, *root_env_node;
} top_arg;

static void top_pair(yctx *y, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    top_arg *a = arg;
    lm_manifest *m = a->m;
    if (strcmp(key, "name") == 0) {
        free(m->name);
        m->name = text_value(y, v, key, 0);
    } else if (strcmp(key, "version") == 0) {
        free(m->version);
        m->version = text_value(y, v, key, 1);
    } else if (strcmp(key, "description") == 0) {
        free(m->description);
        m->description = text_value(y, v, key, 1);
    } else if (strcmp(key, "license") == 0) {
        free(text_value(y, v, key, 1));
    } else if (strcmp(key, "root") == 0) {
        free(a->root);
        a->root = text_value(y, v, key, 0);
        a->root_node = v;
    } else if (strcmp(key, "root_env") == 0) {
        free(a->root_env);
        a->root_env = text_value(y, v, key, 0);
        a->root_env_node = v;
    } else if (strcmp(key, "sources") == 0) {
        read_sources(y, v, &a->src);
    } else if (strcmp(key, "tables") == 0) {
        a->tables = v;
        a->tables_key = k;
    } else {
        yerr(y, k, key,
             "unknown manifest key; keys: name, version, description, license, root, root_env, "
             "sources, tables");
    }
}

/* Where the tables are: root_env (if set and non-empty), else root relative to the manifest's
 * folder, else the manifest's folder. */
static void resolve_root(yctx *y, top_arg *a)
{
    lm_manifest *m = a->m;
    char *dir = lm_path_dirname(m->path);
    const char *env = a->root_env ? getenv(a->root_env) : NULL;
    if (env && *env) {
        m->root = lm_xstrdup(env);
        if (!lm_path_is_dir(m->root))
            yerr(y, a->root_env_node, "root_env",
                 "environment variable %s is \"%s\", which is not a folder", a->root_env, env);
    } else if (a->root) {
        m->root = lm_path_join(dir, a->root);
        if (!lm_path_is_dir(m->root))
            yerr(y, a->root_node, "root",
                 "folder of the tables \"%s\" (relative to the manifest's folder) not found"
                 "%s%s%s",
                 m->root, a->root_env ? "; set " : "", a->root_env ? a->root_env : "",
                 a->root_env ? " to point elsewhere" : "");
    } else {
        m->root = lm_xstrdup(dir);
    }
    free(dir);
}

static void check_presence(yctx *y, top_arg *a)
{
    lm_manifest *m = a->m;
    yaml_node_t *at = a->tables_key;
    int with_stations = m->tables[LM_T_HYDRO_STATIC].present;
    for (int i = 0; i < LM_N_TABLES; i++) {
        const lm_table_schema *s = lm_schema_table(i);
        lm_manifest_table *t = &m->tables[i];
        if (s->presence == LM_TABLE_REQUIRED && !t->present)
            yerr(y, at, "tables", "required table %s is missing", s->name);
        if (s->presence == LM_TABLE_WITH_STATIONS && with_stations && !t->present)
            yerr(y, at, "tables", "table %s is required when hydro_static is given", s->name);
        if (t->present && s->requires_table &&
            !m->tables[lm_schema_find(s->requires_table)].present) {
            char full[128];
            snprintf(full, sizeof full, "tables.%s", s->name);
            lm_diag_error(y->d, "%s:%ld:%ld: key \"%s\": table %s needs table %s", y->path,
                          t->line, t->col, full, s->name, s->requires_table);
            y->errors++;
        }
    }
}

int lm_manifest_read(const char *path, lm_manifest *m, lm_diag *d)
{
    memset(m, 0, sizeof *m);
    m->path = lm_xstrdup(path);
    size_t len;
    char *bytes = lm_read_file(path, &len);
    if (!bytes) {
        lm_diag_error(d, "%s: cannot read the manifest: %s", path, strerror(errno));
        return -1;
    }
    m->bytes = (unsigned char *)bytes;
    m->n_bytes = len;

    yaml_document_t doc;
    if (lm_yaml_load(path, m->bytes, len, &doc, d) != 0) return -1;

    yctx y = {.doc = &doc, .path = path, .d = d};
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (!top) {
        lm_diag_error(d, "%s: the manifest is empty", path);
        yaml_document_delete(&doc);
        return -1;
    }
    top_arg a = {.m = m};
    if (each_pair(&y, top, "", top_pair, &a) == 0) {
        if (!m->name) yerr(&y, top, "name", "the manifest needs a name");
        resolve_root(&y, &a);
        if (!a.tables) {
            yerr(&y, top, "tables", "the manifest needs a tables mapping");
        } else {
            m->tables_line = line_of(a.tables_key);
            m->tables_col = col_of(a.tables_key);
            table_arg ta = {.m = m, .src = &a.src};
            if (each_pair(&y, a.tables, "tables", tables_pair, &ta) == 0) check_presence(&y, &a);
        }
        for (int i = 0; i < LM_N_TABLES; i++)
            if (m->tables[i].file && m->root)
                m->tables[i].path = lm_path_join(m->root, m->tables[i].file);
    }
    for (int i = 0; i < a.src.n; i++) free(a.src.ids[i]);
    free(a.src.ids);
    free(a.root);
    free(a.root_env);
    yaml_document_delete(&doc);
    return y.errors ? -1 : 0;
}

void lm_manifest_free(lm_manifest *m)
{
    if (!m) return;
    free(m->path);
    free(m->name);
    free(m->version);
    free(m->description);
    free(m->root);
    free(m->bytes);
    for (int i = 0; i < LM_N_TABLES; i++) {
        lm_manifest_table *t = &m->tables[i];
        free(t->file);
        free(t->path);
        free(t->source);
        for (int c = 0; c < LM_SCHEMA_MAX_COLS; c++) free(t->rename[c]);
        for (int j = 0; j < t->n_ignore_techs; j++) free(t->ignore_techs[j]);
        free(t->ignore_techs);
        free(t->ignore_line);
        free(t->ignore_col);
    }
    memset(m, 0, sizeof *m);
}
