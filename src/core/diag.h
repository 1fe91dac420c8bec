/* diag.h - error and warning collection for the whole library.
 *
 * Library code never prints and never exits: it records messages in an lm_diag that the
 * caller owns and prints.  A loader keeps going after an error so that all errors of a file
 * are reported at once; functions return 0 on success and -1 when they recorded an error.
 * Located messages read `file:line:column: value "v": rule broken`. */
#ifndef LM_DIAG_H
#define LM_DIAG_H

#include <stdio.h>

#define LM_DIAG_MAX_STORED 500 /* messages kept; further errors are only counted */

typedef struct lm_diag {
    int n_errors;   /* errors recorded (also those not stored) */
    int n_warnings;
    int n_stored;
    char **messages; /* n_stored messages, each with its "error: "/"warning: " prefix */
} lm_diag;

void lm_diag_init(lm_diag *d);
void lm_diag_free(lm_diag *d);
void lm_diag_clear(lm_diag *d);

void lm_diag_error(lm_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lm_diag_warn(lm_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A located error in a table: file, 1-based line (header = line 1), column name, the
 * offending text (may be NULL), and the rule it breaks. */
void lm_diag_at(lm_diag *d, const char *file, long line, const char *column, const char *value,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Print every stored message, one per line, and a count of those not stored. */
void lm_diag_print(const lm_diag *d, FILE *out);

/* 1 if any stored message contains `needle` (for tests). */
int lm_diag_contains(const lm_diag *d, const char *needle);

#endif
