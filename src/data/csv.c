/* csv.c - CSV table reader on libcsv (see csv.h).
 *
 * libcsv reports fields and row ends through callbacks but not where a row starts.  To give
 * every row its physical line number, the text is fed to libcsv one physical line at a time:
 * the first non-blank line fed after a row end is where the next row starts, which stays true
 * for quoted fields that span several lines (no row end is reported inside them).  Fields are
 * copied into one growing pool and addressed by offset until parsing ends, then turned into
 * pointers, so a large table costs two allocations rather than one per field. */
#include "data/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"

typedef struct parse_state {
    const char *path;
    lm_diag *d;
    char *pool;
    size_t pool_len, pool_cap;
    size_t *off;          /* field offsets into pool: kept rows, then the current row */
    size_t n_off, off_cap;
    size_t row_first;     /* index in off of the current row's first field */
    long *line;           /* start line of each kept row, header first */
    int n_lines, line_cap;
    long cur_line;        /* physical line being fed */
    long row_start;       /* line where the current row started */
    int need_start;       /* the next non-blank line starts a row */
    int n_cols;           /* -1 until the header has been read */
    int errors;
} parse_state;

static void on_field(void *field, size_t len, void *data)
{
    parse_state *st = data;
    if (st->pool_len + len + 1 > st->pool_cap) {
        size_t cap = st->pool_cap ? st->pool_cap : 4096;
        while (cap < st->pool_len + len + 1) cap *= 2;
        st->pool = lm_xrealloc(st->pool, cap);
        st->pool_cap = cap;
    }
    if (len) memcpy(st->pool + st->pool_len, field, len);
    st->pool[st->pool_len + len] = 0;
    if (st->n_off == st->off_cap) {
        st->off_cap = st->off_cap ? 2 * st->off_cap : 1024;
        st->off = lm_xrealloc(st->off, st->off_cap * sizeof *st->off);
    }
    st->off[st->n_off++] = st->pool_len;
    st->pool_len += len + 1;
}

static void on_row(int term, void *data)
{
    (void)term;
    parse_state *st = data;
    int nf = (int)(st->n_off - st->row_first);
    st->need_start = 1;
    if (st->n_cols < 0) {
        st->n_cols = nf;
    } else if (nf != st->n_cols) {
        lm_diag_at(st->d, st->path, st->row_start, NULL, NULL, "row has %d fields, header has %d",
                   nf, st->n_cols);
        st->errors++;
        /* drop the row: rewind the pool and the offsets to where it began */
        if (nf > 0) st->pool_len = st->off[st->row_first];
        st->n_off = st->row_first;
        return;
    }
    lm_grow(&st->line, &st->line_cap, st->n_lines + 1, sizeof *st->line);
    st->line[st->n_lines++] = st->row_start;
    st->row_first = st->n_off;
}

/* 1 if the line holds only blanks and line-end characters (libcsv skips such lines). */
static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

int lm_csv_parse(const char *path, const char *data, size_t len, lm_csv *out, lm_diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = lm_xstrdup(path);

    /* A UTF-8 byte-order mark (spreadsheet exports) is not part of the first column name. */
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }

    parse_state st = {.path = path, .d = d, .n_cols = -1, .need_start = 1};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        lm_diag_error(d, "%s: cannot initialise the CSV parser", path);
        return -1;
    }
    int parse_failed = 0;
    size_t pos = 0;
    st.cur_line = 0;
    while (pos < len && !parse_failed) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        st.cur_line++;
        if (st.need_start && !is_blank(data + pos, end - pos)) {
            st.row_start = st.cur_line;
            st.need_start = 0;
        }
        size_t n = end - pos;
        if (csv_parse(&p, data + pos, n, on_field, on_row, &st) != n) parse_failed = 1;
        pos = end;
    }
    if (!parse_failed && csv_fini(&p, on_field, on_row, &st) != 0) parse_failed = 1;
    if (parse_failed) {
        /* libcsv in strict mode stops at a quote inside an unquoted field, text after a
         * closing quote, or an unterminated quoted field. */
        lm_diag_at(d, path, st.need_start ? st.cur_line : st.row_start, NULL, NULL,
                   "malformed CSV: %s (a quote inside an unquoted field, text after a closing "
                   "quote, or an unterminated quoted field)",
                   csv_strerror(csv_error(&p)));
        st.errors++;
    }
    csv_free(&p);

    if (st.n_cols < 0) {
        if (!parse_failed) lm_diag_at(d, path, 1, NULL, NULL, "empty file: no header row");
        st.errors++;
        free(st.pool);
        free(st.off);
        free(st.line);
        return -1;
    }

    /* Fields of an unfinished row (only after a parse failure) are not part of any row. */
    st.n_off = st.row_first;
    out->n_cols = st.n_cols;
    out->n_rows = st.n_lines - 1;
    out->header_line = st.line[0];
    out->pool = st.pool;
    out->header = lm_xmalloc((size_t)st.n_cols * sizeof *out->header);
    for (int c = 0; c < st.n_cols; c++) out->header[c] = st.pool + st.off[c];
    size_t n_cells = (size_t)out->n_rows * (size_t)st.n_cols;
    out->cells = lm_xmalloc((n_cells ? n_cells : 1) * sizeof *out->cells);
    for (size_t i = 0; i < n_cells; i++) out->cells[i] = st.pool + st.off[(size_t)st.n_cols + i];
    out->line = lm_xmalloc((size_t)(out->n_rows ? out->n_rows : 1) * sizeof *out->line);
    if (out->n_rows) memcpy(out->line, st.line + 1, (size_t)out->n_rows * sizeof *out->line);
    free(st.off);
    free(st.line);
    return st.errors ? -1 : 0;
}

char *lm_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    /* Size the buffer from the file size when it is known (regular files), so that reading
     * many small tables does not allocate a large buffer each; grow if the file is longer. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    size_t cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *buf = lm_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = lm_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

int lm_csv_read(const char *path, lm_csv *out, lm_diag *d)
{
    size_t len;
    char *data = lm_read_file(path, &len);
    if (!data) {
        memset(out, 0, sizeof *out);
        out->path = lm_xstrdup(path);
        lm_diag_error(d, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = lm_csv_parse(path, data, len, out, d);
    free(data);
    return rc;
}

void lm_csv_free(lm_csv *c)
{
    if (!c) return;
    free(c->path);
    free(c->header);
    free(c->line);
    free(c->cells);
    free(c->pool);
    memset(c, 0, sizeof *c);
}

int lm_csv_read_columns(const char *path, const char *const *names, int n, lm_csv *out, int *col,
                        lm_diag *d)
{
    if (lm_csv_read(path, out, d) != 0 && out->n_cols <= 0) {
        lm_csv_free(out);
        return -1;
    }
    int missing = 0;
    for (int k = 0; k < n; k++) {
        col[k] = lm_find_name(out->header, out->n_cols, names[k]);
        if (col[k] < 0) {
            lm_diag_at(d, path, out->header_line, names[k], NULL, "required column missing");
            missing = 1;
        }
    }
    if (missing) {
        lm_csv_free(out);
        return -1;
    }
    return 0;
}
