/* yaml_util.h - small helpers over libyaml's document API for lmplan's YAML files (plans,
 * and any other manifest that wants them): load exactly one document from memory with every
 * syntax error reported at its position, 1-based positions of nodes, and typing of plain
 * scalars by the YAML 1.2 core schema (null, true/false, decimal integers and floats).
 *
 * libyaml itself does not type scalars: every scalar is text plus a style.  A quoted scalar is
 * always a string here, so `mip_gap: "0.1"` is not a number; callers say so in their errors. */
#ifndef LM_YAML_UTIL_H
#define LM_YAML_UTIL_H

#include <stddef.h>
#include <yaml.h>

#include "core/diag.h"

/* Parse `bytes` (n bytes, the content of `file`) as a single YAML document into *doc.
 * Returns 0 on success (the caller then calls yaml_document_delete), -1 after recording the
 * libyaml error as `file:line:column: YAML syntax error: ...` (nothing to delete then).  More
 * than one document in the stream is an error.  An empty stream gives a document without a
 * root node (yaml_document_get_root_node returns NULL). */
int lm_yaml_load(const char *file, const unsigned char *bytes, size_t n, yaml_document_t *doc,
                 lm_diag *d);

/* 1-based line and column where a node starts. */
static inline long lm_yaml_line(const yaml_node_t *node) { return (long)node->start_mark.line + 1; }
static inline long lm_yaml_col(const yaml_node_t *node) { return (long)node->start_mark.column + 1; }

/* A plain (unquoted) scalar. */
int lm_yaml_is_plain(const yaml_node_t *node);
/* A plain scalar that is empty, "~", "null", "Null" or "NULL". */
int lm_yaml_is_null(const yaml_node_t *node);
/* The scalar's text (NUL-terminated by libyaml), or NULL for a mapping or sequence. */
const char *lm_yaml_text(const yaml_node_t *node);

/* Typing of plain scalars (core schema, decimal only); each returns 0 on success and -1
 * when the node is not such a scalar (a quoted scalar never is). */
int lm_yaml_int(const yaml_node_t *node, long *out);        /* [-+]?[0-9]+, fits a long */
/* Like lm_yaml_int but for mapping keys, which are labels: quoted "2030" is accepted too. */
int lm_yaml_key_int(const yaml_node_t *node, long *out);
int lm_yaml_number(const yaml_node_t *node, double *out);   /* integer or float, finite */
int lm_yaml_bool(const yaml_node_t *node, int *out);        /* true/True/TRUE/false/... */
/* 1 if a plain scalar spells +-.inf or .nan (so callers can say "must be finite"). */
int lm_yaml_is_nonfinite(const yaml_node_t *node);

/* Describe a node for an error message: `a mapping`, `a list`, `no value`,
 * `"abc"` (plain) or `the quoted string "abc"`; long text is shortened.  Returns buf. */
const char *lm_yaml_describe(const yaml_node_t *node, char *buf, size_t size);

#endif
