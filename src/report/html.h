/* html.h - a growable text buffer and the escaping rules of the report's HTML.
 *
 * The report is assembled in memory and written to disk in one go, so a half-written file is
 * never left behind.  Every string that comes from data (plan names, station names, CSV
 * citations, messages) goes through lm_html_text or lm_html_attr: the five HTML
 * metacharacters become entities and invalid UTF-8 becomes U+FFFD, so no data can close a tag,
 * open an attribute or inject a script. */
#ifndef LM_REPORT_HTML_H
#define LM_REPORT_HTML_H

#include <stddef.h>

typedef struct lm_rbuf {
    char *data; /* NUL-terminated */
    size_t len, cap;
} lm_rbuf;

void lm_rbuf_init(lm_rbuf *b);
void lm_rbuf_free(lm_rbuf *b);
void lm_rbuf_clear(lm_rbuf *b); /* empty it, keeping the memory */
void lm_rbuf_putn(lm_rbuf *b, const char *s, size_t n);
void lm_rbuf_puts(lm_rbuf *b, const char *s);
void lm_rbuf_putc(lm_rbuf *b, char c);
void lm_rbuf_printf(lm_rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Decode one UTF-8 sequence at s[0..n): returns its length (>= 1) and the code point in *cp,
 * or U+FFFD with length 1 for a byte that does not start a valid, shortest-form sequence. */
size_t lm_utf8_next(const char *s, size_t n, unsigned long *cp);

/* Text content: & < > " ' escaped; NULL writes nothing. */
void lm_html_text(lm_rbuf *b, const char *s);
/* Attribute value (to be written between double quotes): same escaping as text. */
void lm_html_attr(lm_rbuf *b, const char *s);
/* A link to `url` showing `text` if url is http(s); otherwise `text` (or the url) as text. */
void lm_html_link(lm_rbuf *b, const char *url, const char *text);
/* An inline <script> body: copies s, writing "</" as "<\/" so that the text cannot end the
 * script element early (inside JavaScript strings, regular expressions and comments "<\/"
 * means the same as "</"). */
void lm_html_script_text(lm_rbuf *b, const char *s, size_t n);

/* A number for a table cell: grouped thousands and `decimals` digits ("12,345.6"); NaN is
 * written as an en dash, infinities as "∞" / "-∞". */
void lm_html_number(lm_rbuf *b, double v, int decimals);

#endif
