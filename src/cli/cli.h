/* cli.h - the lmplan command-line program: one function per subcommand, shared helpers for
 * loading inputs with located errors, progress lines and timings on stderr. */
#ifndef LM_CLI_H
#define LM_CLI_H

#include "data/dataset.h"
#include "data/plan.h"

/* exit codes */
enum { LM_EXIT_OK = 0, LM_EXIT_INPUT = 1, LM_EXIT_NOT_OPTIMAL = 2, LM_EXIT_USAGE = 64 };

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_export_mps(int argc, char **argv);
int cmd_export_netcdf(int argc, char **argv);
int cmd_carbon_plan(int argc, char **argv); /* carbon-plan and carbon-report (argv[0] says which) */
int cmd_report(int argc, char **argv);
int cmd_sediment(int argc, char **argv);
int cmd_resource(int argc, char **argv);
int cmd_assess(int argc, char **argv);

/* 1 if argv has -h or --help */
int cli_wants_help(int argc, char **argv);
/* Load a plan and its dataset, printing every error; returns 0 on success. */
int cli_load_plan(const char *path, lm_plan **plan, lm_dataset **ds, double *load_s);
/* Parse an optional RUN_ID argument (NULL -> 0 = latest run); prints the error naming the
 * command and returns -1 when it is not a positive whole number. */
int cli_parse_run_id(const char *command, const char *arg, long *run_id);
/* Is this YAML file a dataset manifest (has a top-level `tables:` key)? */
int cli_is_manifest(const char *path);

/* Progress: a status line on stderr every few seconds while a long step runs. */
typedef struct cli_ticker cli_ticker;
cli_ticker *cli_ticker_start(const char *what);
void cli_ticker_stop(cli_ticker *t);
void cli_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a run's carbon report (assess/carbon_plan.h) per country, zone and year, then the
 * basin, to stdout; 1 if a cap is exceeded or the run is not optimal, else 0. */
struct lm_carbon_report;
int cli_print_carbon_report(const struct lm_carbon_report *r);

#endif
