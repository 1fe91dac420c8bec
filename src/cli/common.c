/* common.c - helpers shared by the subcommands: loading a plan and its dataset with every
 * error printed, recognising manifests, and the progress ticker (a status line on stderr
 * every few seconds from a background thread while a long step runs). */
#include "cli/cli.h"
#include "core/util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
    return 0;
}

void cli_status(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lmplan: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_parse_run_id(const char *command, const char *arg, long *run_id)
{
    *run_id = 0;
    if (!arg) return 0;
    if (lm_parse_int(arg, run_id) != 0 || *run_id <= 0) {
        fprintf(stderr, "lmplan %s: RUN_ID \"%s\" is not a positive whole number\n", command, arg);
        return -1;
    }
    return 0;
}

int cli_is_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "tables:", 7)) { found = 1; break; }
    fclose(f);
    return found;
}

int cli_load_plan(const char *path, lm_plan **plan, lm_dataset **ds, double *load_s)
{
    double t0 = lm_now();
    lm_diag d;
    lm_diag_init(&d);
    *plan = NULL;
    *ds = NULL;
    if (lm_plan_load(path, plan, &d) != 0) {
        lm_diag_print(&d, stderr);
        fprintf(stderr, "lmplan: plan %s has %d error(s)\n", path, d.n_errors);
        lm_diag_free(&d);
        return -1;
    }
    if (d.n_warnings) lm_diag_print(&d, stderr);
    lm_diag_clear(&d);
    if (lm_dataset_load((*plan)->dataset, ds, &d) != 0) {
        lm_diag_print(&d, stderr);
        fprintf(stderr, "lmplan: dataset %s (named by plan %s) has %d error(s)\n",
                (*plan)->dataset, path, d.n_errors);
        lm_diag_free(&d);
        lm_plan_free(*plan);
        *plan = NULL;
        return -1;
    }
    if (d.n_warnings) lm_diag_print(&d, stderr);
    lm_diag_free(&d);
    if (load_s) *load_s = lm_now() - t0;
    return 0;
}

struct cli_ticker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stop;
    double start;
    char what[128];
};

static void *tick(void *arg)
{
    cli_ticker *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 10;
        pthread_cond_timedwait(&t->cond, &t->lock, &ts);
        if (!t->stop) fprintf(stderr, "lmplan: %s ... %.0f s\n", t->what, lm_now() - t->start);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

cli_ticker *cli_ticker_start(const char *what)
{
    cli_ticker *t = lm_xcalloc(1, sizeof *t);
    snprintf(t->what, sizeof t->what, "%s", what);
    t->start = lm_now();
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    if (pthread_create(&t->thread, NULL, tick, t) != 0) t->stop = -1;
    return t;
}

void cli_ticker_stop(cli_ticker *t)
{
    if (!t) return;
    if (t->stop != -1) {
        pthread_mutex_lock(&t->lock);
        t->stop = 1;
        pthread_cond_signal(&t->cond);
        pthread_mutex_unlock(&t->lock);
        pthread_join(t->thread, NULL);
    }
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t);
}
