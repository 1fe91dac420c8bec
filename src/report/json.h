/* json.h - a small streaming JSON writer for the data the report's charts and map read.
 *
 * The writer inserts commas itself (it keeps a stack of open objects and arrays) and escapes
 * strings so that the result can sit inside an HTML <script type="application/json"> element:
 * besides the JSON escapes it writes < > & as \u003c \u003e \u0026 (no "</script>" can appear),
 * U+2028/U+2029 as escapes, and invalid UTF-8 as U+FFFD.  Numbers that JSON cannot hold
 * (NaN, infinities) are written as null. */
#ifndef LM_REPORT_JSON_H
#define LM_REPORT_JSON_H

#include "report/html.h"

#define LM_JSON_MAX_DEPTH 32

typedef struct lm_json {
    lm_rbuf *out;
    int depth;
    int count[LM_JSON_MAX_DEPTH]; /* values written at each open level */
    int after_key;                /* a key was written; the next value belongs to it */
    int error;                    /* misuse (unbalanced, too deep): set, output undefined */
} lm_json;

void lm_json_init(lm_json *j, lm_rbuf *out);
void lm_json_object(lm_json *j);
void lm_json_object_end(lm_json *j);
void lm_json_array(lm_json *j);
void lm_json_array_end(lm_json *j);
void lm_json_key(lm_json *j, const char *key);
void lm_json_string(lm_json *j, const char *s); /* NULL writes null */
void lm_json_number(lm_json *j, double v);      /* shortest of %.10g; non-finite -> null */
void lm_json_int(lm_json *j, long long v);
void lm_json_bool(lm_json *j, int v);
void lm_json_null(lm_json *j);
/* An array of n numbers. */
void lm_json_numbers(lm_json *j, const double *v, int n);

/* 0 if every opened object and array was closed and nothing was misused. */
int lm_json_finish(const lm_json *j);

#endif
