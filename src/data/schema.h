/* schema.h - what every dataset table must look like, as data, and the generic checker.
 *
 * Each logical table (tech_type, demand, inflow, ...) is described once, in schema.c, by its
 * columns: name (the unit is part of the name), kind (what a value may be), whether it is
 * required and whether it is part of the row's key.  The checker binds a CSV header to a
 * schema (every required column present, nothing unknown) and then converts every cell,
 * recording a located error `file:line:column: value "x": rule` for each bad one; it never
 * stops at the first error.  References to sets (zones, technologies, years, stations,
 * reaches) are resolved to indices here, against an lm_schema_ctx filled by the loader as the
 * sets become known.  docs/dataset-format.md describes the same tables for users. */
#ifndef LM_SCHEMA_H
#define LM_SCHEMA_H

#include <limits.h>

#include "core/diag.h"
#include "data/csv.h"

/* What a column's values may be.  "Index" kinds store the 0-based index of the referenced set
 * element in lm_table.ival; integer kinds store the integer itself; number kinds store a double
 * in lm_table.num. */
enum lm_col_kind {
    LM_COL_NAME,        /* non-empty name that defines a set element (text) */
    LM_COL_TEXT,        /* free text, may be empty */
    LM_COL_ZONE,        /* a dataset zone -> index */
    LM_COL_TECH,        /* a dataset technology -> index (or row ignored, see ignore_techs) */
    LM_COL_TECH_TYPE,   /* dispatchable | nondispatchable | storage | hydro -> enum value */
    LM_COL_YEAR_DEF,    /* integer year 1000..9999 that defines the set of years */
    LM_COL_YEAR,        /* a dataset year -> index */
    LM_COL_MONTH_DEF,   /* integer 1..12 that defines the representative months */
    LM_COL_MONTH,       /* one of the dataset's months -> the month itself */
    LM_COL_HOUR_DEF,    /* integer >= 1 that defines the hours of a representative day */
    LM_COL_HOUR,        /* integer 1..n_hours -> the hour itself */
    LM_COL_AGE,         /* integer >= 1 (years) */
    LM_COL_ID,          /* integer identifier */
    LM_COL_INT,         /* any integer */
    LM_COL_BOOL,        /* 0 or 1 */
    LM_COL_OPMODE,      /* 0 seasonal, 1 daily, 2 run-of-river */
    LM_COL_STATION,     /* id of a hydropower station -> index */
    LM_COL_REACH,       /* id of a river reach -> index */
    LM_COL_NUMBER,      /* finite number */
    LM_COL_NONNEG,      /* finite number >= 0 */
    LM_COL_NONNEG_INF,  /* number >= 0 or inf */
    LM_COL_POSITIVE,    /* finite number > 0 */
    LM_COL_FRACTION,    /* number in [0, 1] */
    LM_COL_FRACTION_POS,/* number in (0, 1] */
    LM_COL_RATE,        /* number in [0, 1) */
    LM_COL_LON,         /* degrees in [-180, 180] */
    LM_COL_LAT          /* degrees in [-90, 90] */
};

enum { LM_COL_REQUIRED = 1, LM_COL_KEY = 2 };

typedef struct lm_column_schema {
    const char *name;
    int kind;          /* enum lm_col_kind */
    int flags;         /* LM_COL_REQUIRED | LM_COL_KEY */
    const char *unit;  /* unit the name carries ("MW", "USD/MW/yr", "-" for none) */
} lm_column_schema;

enum lm_table_presence {
    LM_TABLE_REQUIRED = 0,
    LM_TABLE_OPTIONAL = 1,
    LM_TABLE_WITH_STATIONS = 2 /* required when hydro_static is given, else not allowed */
};

#define LM_SCHEMA_MAX_COLS 18

typedef struct lm_table_schema {
    const char *name;  /* lmplan table name (= file stem in the Xu et al. data) */
    int presence;      /* enum lm_table_presence */
    const char *requires_table; /* another table this one needs, or NULL */
    int n_cols;
    lm_column_schema cols[LM_SCHEMA_MAX_COLS];
} lm_table_schema;

/* Table ids, in the order of the schema array. */
enum lm_table_id {
    LM_T_TECH_TYPE, LM_T_DISCOUNT_FACTOR, LM_T_TECHNOLOGY_PORTFOLIO, LM_T_DEMAND,
    LM_T_CAPACITY_FACTOR, LM_T_TECHNOLOGY_INVESTMENT_COST, LM_T_TECHNOLOGY_FIX_COST,
    LM_T_TECHNOLOGY_VARIABLE_COST, LM_T_FUEL_PRICE, LM_T_CARBON_CONTENT, LM_T_EFFICIENCY,
    LM_T_LIFETIME, LM_T_RAMP_UP, LM_T_RAMP_DOWN, LM_T_TECHNOLOGY_UPPER_BOUND,
    LM_T_NEW_TECHNOLOGY_UPPER_BOUND, LM_T_INIT_STORAGE_LEVEL, LM_T_STORAGE_RATIO,
    LM_T_TRANSLINE, LM_T_TRANSLINE_EFFICIENCY, LM_T_DISTANCE, LM_T_TRANSLINE_INVESTMENT_COST,
    LM_T_TRANSLINE_FIX_COST, LM_T_TRANSLINE_VARIABLE_COST, LM_T_TRANSMISSION_LINE_LIFETIME,
    LM_T_AGE, LM_T_NEW_TECHNOLOGY_LOWER_BOUND, LM_T_CARBON_CAP, LM_T_TRANSLINE_LIMIT,
    LM_T_HYDROPOWER, LM_T_HYDRO_STATIC, LM_T_HYDRO_CONNECT, LM_T_INFLOW, LM_T_STORAGE_UPBOUND,
    LM_T_STORAGE_DOWNBOUND, LM_T_RIVER_SEDIMENT, LM_T_RESERVOIR_SEDIMENT_TRAP,
    LM_T_NDC_TARGETS,
    LM_T_PROJECTS_DECLARED,
    LM_N_TABLES
};

const lm_table_schema *lm_schema_table(int id);
/* Table id of `name`, or -1. */
int lm_schema_find(const char *name);
/* Column index of `name` in table `s`, or -1. */
int lm_schema_col(const lm_table_schema *s, const char *name);
/* 1 if two unit spellings are the same unit (case and blanks ignored). */
int lm_schema_unit_equal(const char *a, const char *b);

/* An (id, index) pair; sorted by id for binary search. */
typedef struct lm_id_index {
    long id;
    int index;
} lm_id_index;

/* The sets known so far, against which references are resolved.  A NULL/0 set means "not
 * known yet"; tables whose columns need it are not checked (the loader skips them). */
typedef struct lm_schema_ctx {
    int n_zones;   char *const *zones;   const char *zones_file;
    int n_techs;   char *const *techs;   const char *techs_file;
    int n_years;   const int *years;     const char *years_file;
    int n_months;  const int *months;    const char *time_file;
    int n_hours;
    int n_stations; const lm_id_index *stations; const char *stations_file; /* sorted by id */
    int n_reaches;  const lm_id_index *reaches;  const char *reaches_file;  /* sorted by id */
    int n_ignore_techs; char *const *ignore_techs; /* rows naming these are skipped on purpose */
} lm_schema_ctx;

/* State of a row after checking. */
enum lm_row_state {
    LM_ROW_OK = 0,        /* every cell valid */
    LM_ROW_IGNORED = 1,   /* names a technology in ignore_techs: skipped on purpose */
    LM_ROW_BAD_KEY = 2,   /* a key cell is invalid: the row cannot be placed */
    LM_ROW_BAD_VALUE = 3  /* keys valid, some other cell invalid */
};

/* Value of an integer cell that is invalid (ids may be negative, so -1 cannot mark it). */
#define LM_IVAL_INVALID LONG_MIN

/* A CSV bound to a schema, with converted values. */
typedef struct lm_table {
    const lm_table_schema *schema;
    const lm_csv *csv;
    const char *file;     /* name used in messages (= csv->path) */
    int n_rows;
    int col[LM_SCHEMA_MAX_COLS];        /* schema column -> CSV column, -1 if absent */
    double *num[LM_SCHEMA_MAX_COLS];    /* [row] for number kinds (NaN where invalid) */
    long *ival[LM_SCHEMA_MAX_COLS];     /* [row] for integer, enum and index kinds
                                           (LM_IVAL_INVALID where invalid) */
    unsigned char *state;               /* [row] enum lm_row_state */
    int n_key_errors;                   /* rows in state LM_ROW_BAD_KEY */
    int n_value_errors;                 /* rows in state LM_ROW_BAD_VALUE */
} lm_table;

/* Bind the header of `csv` to schema `s`.  renames[c] (may be NULL, or NULL entries) gives
 * the file's name for schema column c.  Every required column must be present, each at most
 * once, and every file column must be a declared one.  Returns 0 or -1 (errors recorded). */
int lm_table_bind(lm_table *t, const lm_table_schema *s, const lm_csv *csv,
                  char *const *renames, lm_diag *d);

/* 1 if every set the table's columns refer to is known in ctx. */
int lm_table_sets_known(const lm_table *t, const lm_schema_ctx *ctx);

/* Check and convert every cell of a bound table.  Returns 0, or -1 if any error was recorded. */
int lm_table_check(lm_table *t, const lm_schema_ctx *ctx, lm_diag *d);

/* Text of schema column c in row r ("" if the column is absent). */
const char *lm_table_text(const lm_table *t, int c, int r);
/* Name of schema column c as written in the file (the manifest may rename columns). */
const char *lm_table_colname(const lm_table *t, int c);

/* Look up `id` in a sorted lm_id_index array; index or -1. */
int lm_id_lookup(const lm_id_index *a, int n, long id);

void lm_table_free(lm_table *t);

#endif
