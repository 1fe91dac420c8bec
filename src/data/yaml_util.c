/* yaml_util.c - loading one YAML document with located syntax errors, and core-schema typing
 * of plain scalars (see yaml_util.h). */
#include "data/yaml_util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line and column (1-based, columns in characters) of byte `offset`: libyaml's reader errors
 * (bad UTF-8, control characters) carry only the offset. */
static void offset_position(const unsigned char *bytes, size_t n, size_t offset, long *line,
                            long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < n; i++) {
        if (bytes[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
            (*col)++; /* count characters, not UTF-8 continuation bytes */
        }
    }
}

static void report_parser_error(const char *file, const unsigned char *bytes, size_t n,
                                const yaml_parser_t *ps, lm_diag *d)
{
    const char *problem = ps->problem ? ps->problem : "unknown error";
    if (ps->error == YAML_MEMORY_ERROR) {
        lm_diag_error(d, "%s: out of memory while reading YAML", file);
        return;
    }
    if (ps->error == YAML_READER_ERROR) {
        long line, col;
        offset_position(bytes, n, ps->problem_offset, &line, &col);
        if (ps->problem_value >= 0)
            lm_diag_error(d, "%s:%ld:%ld: YAML syntax error: %s (byte 0x%02X)", file, line, col,
                          problem, (unsigned)ps->problem_value & 0xFFu);
        else
            lm_diag_error(d, "%s:%ld:%ld: YAML syntax error: %s", file, line, col, problem);
        return;
    }
    long line = (long)ps->problem_mark.line + 1, col = (long)ps->problem_mark.column + 1;
    if (ps->context)
        lm_diag_error(d, "%s:%ld:%ld: YAML syntax error: %s (%s at %ld:%ld)", file, line, col,
                      problem, ps->context, (long)ps->context_mark.line + 1,
                      (long)ps->context_mark.column + 1);
    else
        lm_diag_error(d, "%s:%ld:%ld: YAML syntax error: %s", file, line, col, problem);
}

int lm_yaml_load(const char *file, const unsigned char *bytes, size_t n, yaml_document_t *doc,
                 lm_diag *d)
{
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps)) {
        lm_diag_error(d, "%s: cannot initialise the YAML parser", file);
        return -1;
    }
    yaml_parser_set_input_string(&ps, bytes, n);
    if (!yaml_parser_load(&ps, doc)) {
        report_parser_error(file, bytes, n, &ps, d);
        yaml_parser_delete(&ps);
        return -1;
    }
    /* A second document would be silently ignored by a single load: refuse it. */
    int rc = 0;
    yaml_document_t extra;
    if (!yaml_parser_load(&ps, &extra)) {
        report_parser_error(file, bytes, n, &ps, d);
        rc = -1;
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&extra);
        if (root) {
            lm_diag_error(d, "%s:%ld:%ld: YAML syntax error: a second document starts here; "
                          "a file holds exactly one", file,
                          (long)extra.start_mark.line + 1, (long)extra.start_mark.column + 1);
            rc = -1;
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&ps);
    if (rc) yaml_document_delete(doc);
    return rc;
}

int lm_yaml_is_plain(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE &&
           node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int lm_yaml_is_null(const yaml_node_t *node)
{
    if (!lm_yaml_is_plain(node)) return 0;
    const char *s = (const char *)node->data.scalar.value;
    return s[0] == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *lm_yaml_text(const yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE) return NULL;
    return (const char *)node->data.scalar.value;
}

static const char *skip_digits(const char *s)
{
    while (*s >= '0' && *s <= '9') s++;
    return s;
}

/* Core schema integer: [-+]?[0-9]+ */
static int is_int_text(const char *s)
{
    if (*s == '-' || *s == '+') s++;
    const char *e = skip_digits(s);
    return e > s && *e == 0;
}

/* Core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float_text(const char *s)
{
    if (*s == '-' || *s == '+') s++;
    if (*s == '.') {
        const char *e = skip_digits(s + 1);
        if (e == s + 1) return 0;
        s = e;
    } else {
        const char *e = skip_digits(s);
        if (e == s) return 0;
        s = e;
        if (*s == '.') s = skip_digits(s + 1);
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+') s++;
        const char *e = skip_digits(s);
        if (e == s) return 0;
        s = e;
    }
    return *s == 0;
}

static int scalar_int(const yaml_node_t *node, long *out)
{
    const char *s = (const char *)node->data.scalar.value;
    if (!is_int_text(s)) return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == ERANGE || *end != 0) return -1;
    *out = v;
    return 0;
}

int lm_yaml_int(const yaml_node_t *node, long *out)
{
    if (!lm_yaml_is_plain(node)) return -1;
    return scalar_int(node, out);
}

int lm_yaml_key_int(const yaml_node_t *node, long *out)
{
    if (!node || node->type != YAML_SCALAR_NODE) return -1;
    return scalar_int(node, out);
}

int lm_yaml_number(const yaml_node_t *node, double *out)
{
    if (!lm_yaml_is_plain(node)) return -1;
    const char *s = (const char *)node->data.scalar.value;
    if (!is_float_text(s)) return -1; /* integers match the float pattern too */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != 0 || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0)) return -1;
    *out = v;
    return 0;
}

int lm_yaml_bool(const yaml_node_t *node, int *out)
{
    if (!lm_yaml_is_plain(node)) return -1;
    const char *s = (const char *)node->data.scalar.value;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
        *out = 0;
        return 0;
    }
    return -1;
}

int lm_yaml_is_nonfinite(const yaml_node_t *node)
{
    if (!lm_yaml_is_plain(node)) return 0;
    const char *s = (const char *)node->data.scalar.value;
    if (*s == '-' || *s == '+') s++;
    return !strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") ||
           !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN");
}

const char *lm_yaml_describe(const yaml_node_t *node, char *buf, size_t size)
{
    if (!node) {
        snprintf(buf, size, "nothing");
    } else if (node->type == YAML_MAPPING_NODE) {
        snprintf(buf, size, "a mapping");
    } else if (node->type == YAML_SEQUENCE_NODE) {
        snprintf(buf, size, "a list");
    } else if (lm_yaml_is_null(node)) {
        snprintf(buf, size, "no value");
    } else {
        const char *s = (const char *)node->data.scalar.value;
        size_t len = strlen(s);
        int cut = len > 60;
        int shown = cut ? 57 : (int)len;
        /* do not cut inside a UTF-8 sequence */
        while (cut && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80) shown--;
        snprintf(buf, size, "%s\"%.*s%s\"", lm_yaml_is_plain(node) ? "" : "the quoted string ",
                 shown, s, cut ? "..." : "");
    }
    return buf;
}
