/* csv.h - read one CSV file into a header and rows of text fields (RFC 4180, via libcsv).
 *
 * The dataset loader needs every row with the line it starts on, so that any later rule
 * (src/data/schema.c) can report `file:line:column`.  The reader handles quoted fields
 * (including commas, doubled quotes and line breaks inside quotes), CRLF line ends, a UTF-8
 * byte-order mark, blank lines and a missing final line end.  Rows whose field count differs
 * from the header's are reported and dropped; the rest are kept, so one ragged row does not
 * hide the errors of the others.  Leading and trailing blanks of unquoted fields are trimmed
 * (libcsv's default). */
#ifndef LM_CSV_H
#define LM_CSV_H

#include <stddef.h>

#include "core/diag.h"

typedef struct lm_csv {
    char *path;         /* file name used in messages */
    int n_cols;         /* fields in the header */
    char **header;      /* [n_cols] column names */
    long header_line;   /* line of the header (1 unless the file starts with blank lines) */
    int n_rows;         /* data rows kept (ragged rows are dropped) */
    long *line;         /* [n_rows] 1-based line on which each row starts */
    char **cells;       /* [n_rows * n_cols] NUL-terminated fields, row-major */
    char *pool;         /* storage of all fields (owned) */
} lm_csv;

/* Parse `len` bytes of CSV text; `path` names the file in messages.  Returns 0 on success, -1
 * if an error was recorded (ragged rows, malformed quotes, no header).  *out is always
 * initialised and must be freed with lm_csv_free, also on failure. */
int lm_csv_parse(const char *path, const char *data, size_t len, lm_csv *out, lm_diag *d);

/* Read and parse the file at `path`.  Returns -1 with an error if it cannot be read. */
int lm_csv_read(const char *path, lm_csv *out, lm_diag *d);

/* The whole content of a file, NUL-terminated; *len excludes the NUL.  NULL (errno set) if
 * the file cannot be read.  Caller frees. */
char *lm_read_file(const char *path, size_t *len);

void lm_csv_free(lm_csv *c);

/* Read `path` and find each of the n required columns `names` (col[k] = its index); every
 * missing column is an error at the header line.  Returns 0 with *out to be freed, or -1 with
 * *out already freed (also when the file cannot be read).  Ragged rows are reported and
 * dropped as by lm_csv_read. */
int lm_csv_read_columns(const char *path, const char *const *names, int n, lm_csv *out, int *col,
                        lm_diag *d);

static inline const char *lm_csv_cell(const lm_csv *c, int row, int col)
{
    return c->cells[(size_t)row * (size_t)c->n_cols + (size_t)col];
}

#endif
