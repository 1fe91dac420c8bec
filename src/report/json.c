/* json.c - streaming JSON writer with HTML-safe string escaping (see json.h). */
#include "report/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void lm_json_init(lm_json *j, lm_rbuf *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

/* Before any value or key: a comma if this level already holds something. */
static void sep(lm_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0 && j->count[j->depth - 1]++ > 0) lm_rbuf_putc(j->out, ',');
}

static void json_open(lm_json *j, char c)
{
    sep(j);
    if (j->depth >= LM_JSON_MAX_DEPTH) {
        j->error = 1;
        return;
    }
    lm_rbuf_putc(j->out, c);
    j->count[j->depth++] = 0;
}

static void json_close(lm_json *j, char c)
{
    if (j->depth == 0 || j->after_key) j->error = 1;
    else j->depth--;
    lm_rbuf_putc(j->out, c);
}

void lm_json_object(lm_json *j) { json_open(j, '{'); }
void lm_json_object_end(lm_json *j) { json_close(j, '}'); }
void lm_json_array(lm_json *j) { json_open(j, '['); }
void lm_json_array_end(lm_json *j) { json_close(j, ']'); }

static void put_string(lm_rbuf *b, const char *s)
{
    lm_rbuf_putc(b, '"');
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t k = lm_utf8_next(s + i, n - i, &cp);
        switch (cp) {
        case '"': lm_rbuf_puts(b, "\\\""); break;
        case '\\': lm_rbuf_puts(b, "\\\\"); break;
        case '\n': lm_rbuf_puts(b, "\\n"); break;
        case '\r': lm_rbuf_puts(b, "\\r"); break;
        case '\t': lm_rbuf_puts(b, "\\t"); break;
        case '<': case '>': case '&': case 0x2028: case 0x2029: case 0xFFFD:
            lm_rbuf_printf(b, "\\u%04lx", cp);
            break;
        default:
            if (cp < 0x20) lm_rbuf_printf(b, "\\u%04lx", cp);
            else lm_rbuf_putn(b, s + i, k);
        }
        i += k;
    }
    lm_rbuf_putc(b, '"');
}

void lm_json_key(lm_json *j, const char *key)
{
    if (j->depth == 0 || j->after_key) j->error = 1;
    sep(j);
    put_string(j->out, key ? key : "");
    lm_rbuf_putc(j->out, ':');
    j->after_key = 1;
}

void lm_json_string(lm_json *j, const char *s)
{
    sep(j);
    if (s) put_string(j->out, s);
    else lm_rbuf_puts(j->out, "null");
}

void lm_json_number(lm_json *j, double v)
{
    sep(j);
    if (!isfinite(v)) {
        lm_rbuf_puts(j->out, "null");
        return;
    }
    if (v == 0) v = 0; /* no "-0" */
    lm_rbuf_printf(j->out, "%.10g", v);
}

void lm_json_int(lm_json *j, long long v)
{
    sep(j);
    lm_rbuf_printf(j->out, "%lld", v);
}

void lm_json_bool(lm_json *j, int v)
{
    sep(j);
    lm_rbuf_puts(j->out, v ? "true" : "false");
}

void lm_json_null(lm_json *j)
{
    sep(j);
    lm_rbuf_puts(j->out, "null");
}

void lm_json_numbers(lm_json *j, const double *v, int n)
{
    lm_json_array(j);
    for (int i = 0; i < n; i++) lm_json_number(j, v[i]);
    lm_json_array_end(j);
}

int lm_json_finish(const lm_json *j) { return j->error || j->depth != 0 || j->after_key ? -1 : 0; }
