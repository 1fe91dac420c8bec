/* report_tables.c - the building blocks every section uses: reading result tables (ordered
 * name sets or axes, column lookup by name, sums of one value column over two or three key
 * columns, e.g. capacity by zone, technology and year) and writing them (section headings,
 * collapsible HTML tables, number cells, chart placeholders, JSON matrices). */
#include "report/report_internal.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lm_axis_find(const lm_axis *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->names[i], name)) return i;
    return -1;
}

int lm_axis_add(lm_axis *a, const char *name)
{
    int i = lm_axis_find(a, name);
    if (i >= 0) return i;
    lm_grow(&a->names, &a->cap, a->n + 1, sizeof *a->names);
    a->names[a->n] = name;
    return a->n++;
}

void lm_axis_free(lm_axis *a)
{
    free(a->names);
    memset(a, 0, sizeof *a);
}

static int cmp_numeric(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    double x = strtod(a, NULL), y = strtod(b, NULL);
    return x < y ? -1 : x > y ? 1 : strcmp(a, b);
}

void lm_axis_sort_numeric(lm_axis *a)
{
    if (a->n > 1) qsort(a->names, (size_t)a->n, sizeof *a->names, cmp_numeric);
}

int lm_rt_col(const lm_result_table *t, const char *name)
{
    if (!t || !name) return -1;
    for (int i = 0; i < t->n_keys; i++)
        if (!strcmp(t->key_names[i], name)) return i;
    for (int i = 0; i < t->n_vals; i++)
        if (!strcmp(t->val_names[i], name)) return t->n_keys + i;
    return -1;
}

const char *lm_rt_key(const lm_result_table *t, int row, int col)
{
    const char *k = t->keys[(size_t)row * (size_t)t->n_keys + (size_t)col];
    return k ? k : "";
}

double lm_rt_val(const lm_result_table *t, int row, int col)
{
    return t->vals[(size_t)row * (size_t)t->n_vals + (size_t)(col - t->n_keys)];
}

double *lm_rt_sum(const lm_result_table *t, const char *val, const char *ka, const lm_axis *A,
                  const char *kb, const lm_axis *B, const char *kc, const lm_axis *C)
{
    if (!t) return NULL;
    int cv = lm_rt_col(t, val), ca = lm_rt_col(t, ka), cb = lm_rt_col(t, kb);
    int cc = kc ? lm_rt_col(t, kc) : -1;
    if (cv < t->n_keys || ca < 0 || ca >= t->n_keys || cb < 0 || cb >= t->n_keys) return NULL;
    if (kc && (cc < 0 || cc >= t->n_keys)) return NULL;
    int nc = kc ? C->n : 1;
    double *out = lm_xcalloc((size_t)(A->n ? A->n : 1) * (size_t)(B->n ? B->n : 1) *
                                 (size_t)(nc ? nc : 1), sizeof *out);
    for (int i = 0; i < t->n_rows; i++) {
        int a = lm_axis_find(A, lm_rt_key(t, i, ca));
        int b = lm_axis_find(B, lm_rt_key(t, i, cb));
        int c = kc ? lm_axis_find(C, lm_rt_key(t, i, cc)) : 0;
        if (a < 0 || b < 0 || c < 0) continue;
        double v = lm_rt_val(t, i, cv);
        if (!isnan(v)) out[((size_t)a * (size_t)B->n + (size_t)b) * (size_t)nc + (size_t)c] += v;
    }
    return out;
}

void lm_html_auto(lm_rbuf *b, double v)
{
    double a = fabs(v);
    int dec = !isfinite(v) || a >= 100 || a == 0 ? 0 : a >= 1 ? 2 : a >= 0.01 ? 4 : 6;
    if (isfinite(v) && a != 0 && a < 1e-6) {
        lm_rbuf_printf(b, "%.3g", v);
        return;
    }
    lm_html_number(b, v, dec);
}

/* ---- HTML and JSON helpers ------------------------------------------------------------------ */

void lm_report_chart(lm_report_ctx *c, lm_rbuf *h, const char *id, const char *title)
{
    lm_rbuf_puts(h, "<figure class=\"chart\"><figcaption>");
    lm_html_text(h, title);
    lm_rbuf_puts(h, "</figcaption><div class=\"canvas-box\"><canvas data-chart=\"");
    lm_html_attr(h, id);
    lm_rbuf_puts(h, "\" role=\"img\" aria-label=\"");
    lm_html_attr(h, title);
    lm_rbuf_puts(h, "\"></canvas></div></figure>\n");
    c->n_charts++;
}

void lm_report_nodata(lm_rbuf *h, const char *what)
{
    lm_rbuf_puts(h, "<p class=\"nodata\">");
    lm_html_text(h, what);
    lm_rbuf_puts(h, "</p>\n");
}

void lm_rep_section_open(lm_rbuf *h, const char *id, const char *title)
{
    lm_rbuf_printf(h, "<section id=\"%s\">\n<h2>", id);
    lm_html_text(h, title);
    lm_rbuf_puts(h, "</h2>\n");
}

void lm_rep_section_close(lm_rbuf *h) { lm_rbuf_puts(h, "</section>\n"); }

void lm_rep_para(lm_rbuf *h, const char *text)
{
    lm_rbuf_puts(h, "<p>");
    lm_html_text(h, text);
    lm_rbuf_puts(h, "</p>\n");
}

void lm_rep_details_open(lm_rbuf *h, const char *summary)
{
    lm_rbuf_puts(h, "<details><summary>");
    lm_html_text(h, summary);
    lm_rbuf_puts(h, "</summary>\n<div class=\"table-wrap\"><table>\n");
}

void lm_rep_details_close(lm_rbuf *h) { lm_rbuf_puts(h, "</table></div></details>\n"); }

void lm_rep_th(lm_rbuf *h, const char *s)
{
    /* column names such as neutrality_year may break after an underscore */
    lm_rbuf_puts(h, "<th>");
    const char *p = s;
    for (const char *u; (u = strchr(p, '_')) != NULL; p = u + 1) {
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)(u - p < 250 ? u - p : 250), p);
        lm_html_text(h, part);
        lm_rbuf_puts(h, "_<wbr>");
    }
    lm_html_text(h, p);
    lm_rbuf_puts(h, "</th>");
}

void lm_rep_td(lm_rbuf *h, const char *s)
{
    lm_rbuf_puts(h, "<td>");
    lm_html_text(h, s);
    lm_rbuf_puts(h, "</td>");
}

void lm_rep_td_num(lm_rbuf *h, double v, int decimals)
{
    lm_rbuf_puts(h, "<td class=\"num\">");
    if (decimals < 0) lm_html_auto(h, v);
    else lm_html_number(h, v, decimals);
    lm_rbuf_puts(h, "</td>");
}

void lm_rep_head_years(lm_rbuf *h, const char *a, const char *b, const lm_axis *years)
{
    lm_rbuf_puts(h, "<thead><tr>");
    if (a) lm_rep_th(h, a);
    if (b) lm_rep_th(h, b);
    for (int y = 0; y < years->n; y++) lm_rep_th(h, years->names[y]);
    lm_rbuf_puts(h, "</tr></thead>\n<tbody>\n");
}

/* JSON: an array over A of arrays over B of numbers cube[a][b] x scale. */
void lm_rep_json_matrix(lm_json *j, const double *cube, int na, int nb, double scale)
{
    lm_json_array(j);
    for (int a = 0; a < na; a++) {
        lm_json_array(j);
        for (int b = 0; b < nb; b++) lm_json_number(j, cube ? cube[(size_t)a * nb + b] * scale : NAN);
        lm_json_array_end(j);
    }
    lm_json_array_end(j);
}

/* Technologies that are hydropower: type hydro in the dataset; without a dataset, by name. */
int lm_rep_is_hydro_tech(const lm_report_ctx *c, const char *tech)
{
    if (c->ds) {
        int k = lm_dataset_tech(c->ds, tech);
        if (k >= 0) return c->ds->tech_type[k] == LM_TECH_HYDRO;
    }
    return strstr(tech, "hydro") || strstr(tech, "Hydro") || strstr(tech, "HYDRO");
}

/* Rows zone with one column per year and a total row. */
void lm_rep_table_zy(lm_rbuf *h, const lm_axis *Z, const lm_axis *Y, const double *m, int dec,
                     const char *total_label)
{
    lm_rep_head_years(h, "zone", NULL, Y);
    for (int z = 0; z < Z->n; z++) {
        lm_rbuf_puts(h, "<tr>");
        lm_rep_td(h, Z->names[z]);
        for (int y = 0; y < Y->n; y++) lm_rep_td_num(h, m[(size_t)z * Y->n + y], dec);
        lm_rbuf_puts(h, "</tr>\n");
    }
    if (total_label) {
        lm_rbuf_puts(h, "<tr class=\"total\">");
        lm_rep_td(h, total_label);
        for (int y = 0; y < Y->n; y++) {
            double s = 0;
            for (int z = 0; z < Z->n; z++) s += m[(size_t)z * Y->n + y];
            lm_rep_td_num(h, s, dec);
        }
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody>\n");
}


#define LM_REPORT_MAX_TABLE_ROWS 400

/* Any result table as stored: its key and value columns, up to a row limit. */
void lm_rep_generic_table(lm_rbuf *h, const lm_result_table *t, const char *title)
{
    char s[256];
    snprintf(s, sizeof s, "%s (%d row%s)", title, t->n_rows, t->n_rows == 1 ? "" : "s");
    lm_rep_details_open(h, s);
    lm_rbuf_puts(h, "<thead><tr>");
    for (int k = 0; k < t->n_keys; k++) lm_rep_th(h, t->key_names[k]);
    for (int v = 0; v < t->n_vals; v++) lm_rep_th(h, t->val_names[v]);
    lm_rbuf_puts(h, "</tr></thead><tbody>\n");
    int n = t->n_rows < LM_REPORT_MAX_TABLE_ROWS ? t->n_rows : LM_REPORT_MAX_TABLE_ROWS;
    for (int i = 0; i < n; i++) {
        lm_rbuf_puts(h, "<tr>");
        for (int k = 0; k < t->n_keys; k++) lm_rep_td(h, lm_rt_key(t, i, k));
        for (int v = 0; v < t->n_vals; v++) lm_rep_td_num(h, t->vals[(size_t)i * t->n_vals + v], -1);
        lm_rbuf_puts(h, "</tr>\n");
    }
    lm_rbuf_puts(h, "</tbody>\n");
    if (n < t->n_rows)
        lm_rbuf_printf(h, "<tfoot><tr><td colspan=\"%d\">First %d of %d rows; the store holds "
                          "them all.</td></tr></tfoot>\n", t->n_keys + t->n_vals, n, t->n_rows);
    lm_rep_details_close(h);
}

