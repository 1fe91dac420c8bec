/* html.c - the report's text buffer, UTF-8 checking and HTML escaping (see html.h). */
#include "report/html.h"
#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_rbuf_init(lm_rbuf *b)
{
    b->cap = 4096;
    b->len = 0;
    b->data = lm_xmalloc(b->cap);
    b->data[0] = '\0';
}

void lm_rbuf_free(lm_rbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void lm_rbuf_clear(lm_rbuf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static void reserve(lm_rbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (b->len + extra + 1 > cap) cap *= 2;
    b->data = lm_xrealloc(b->data, cap);
    b->cap = cap;
}

void lm_rbuf_putn(lm_rbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lm_rbuf_puts(lm_rbuf *b, const char *s) { lm_rbuf_putn(b, s, strlen(s)); }

void lm_rbuf_putc(lm_rbuf *b, char c) { lm_rbuf_putn(b, &c, 1); }

void lm_rbuf_printf(lm_rbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

size_t lm_utf8_next(const char *str, size_t n, unsigned long *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned long c = s[0], min;
    size_t len;
    *cp = 0xFFFD;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; c &= 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; c &= 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; c &= 0x07; min = 0x10000; }
    else return 1;
    if (len > n) return 1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 1;
    *cp = c;
    return len;
}

static void escape(lm_rbuf *b, const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t k = lm_utf8_next(s + i, n - i, &cp);
        switch (cp) {
        case '&': lm_rbuf_puts(b, "&amp;"); break;
        case '<': lm_rbuf_puts(b, "&lt;"); break;
        case '>': lm_rbuf_puts(b, "&gt;"); break;
        case '"': lm_rbuf_puts(b, "&quot;"); break;
        case '\'': lm_rbuf_puts(b, "&#39;"); break;
        case 0xFFFD: lm_rbuf_puts(b, "\xEF\xBF\xBD"); break;
        default:
            if (cp < 0x20 && cp != '\n' && cp != '\t') lm_rbuf_putc(b, ' ');
            else lm_rbuf_putn(b, s + i, k);
        }
        i += k;
    }
}

void lm_html_text(lm_rbuf *b, const char *s) { escape(b, s); }

void lm_html_attr(lm_rbuf *b, const char *s) { escape(b, s); }

void lm_html_link(lm_rbuf *b, const char *url, const char *text)
{
    int web = url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
    if (!text || !*text) text = url;
    if (!web) {
        lm_html_text(b, text);
        return;
    }
    lm_rbuf_puts(b, "<a href=\"");
    lm_html_attr(b, url);
    lm_rbuf_puts(b, "\" rel=\"noreferrer\">");
    lm_html_text(b, text);
    lm_rbuf_puts(b, "</a>");
}

void lm_html_script_text(lm_rbuf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '<' && s[i + 1] == '/') {
            lm_rbuf_putn(b, s + start, i + 1 - start);
            lm_rbuf_puts(b, "\\");
            start = i + 1;
        }
    lm_rbuf_putn(b, s + start, n - start);
}

void lm_html_number(lm_rbuf *b, double v, int decimals)
{
    if (isnan(v)) { lm_rbuf_puts(b, "\xE2\x80\x93"); return; }
    if (isinf(v)) { lm_rbuf_puts(b, v > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E"); return; }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals < 0 ? 0 : decimals, v);
    if (!strcmp(raw, "-0") || !strncmp(raw, "-0.", 3)) {
        /* a tiny negative value rounded to zero reads as 0 */
        int zero = 1;
        for (const char *p = raw + 1; *p; p++)
            if (*p != '0' && *p != '.') zero = 0;
        if (zero) memmove(raw, raw + 1, strlen(raw));
    }
    const char *p = raw;
    if (*p == '-') lm_rbuf_putc(b, *p++);
    size_t int_len = strcspn(p, ".");
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) lm_rbuf_putc(b, ',');
        lm_rbuf_putc(b, p[i]);
    }
    lm_rbuf_puts(b, p + int_len);
}
