/* assets.h - files compiled into the program for the report page, so that `lmplan report`
 * writes a self-contained HTML file and nothing is read or downloaded at run time.
 *
 * The definitions are generated at build time by src/report/embed.cmake (driven by
 * src/report/assets.cmake) from:
 *   vendor/chart.js/chart.umd.min.js                         lm_asset_chart_js
 *   vendor/natural-earth/lancang-mekong-countries-50m.geojson lm_asset_countries_geojson
 *   src/report/report.js                                      lm_asset_report_js
 *   src/report/report.css                                     lm_asset_report_css
 * Each array holds the file's bytes followed by a NUL (not counted in the _len). */
#ifndef LM_REPORT_ASSETS_H
#define LM_REPORT_ASSETS_H

#include <stddef.h>

extern const unsigned char lm_asset_chart_js[];
extern const size_t lm_asset_chart_js_len;
extern const unsigned char lm_asset_countries_geojson[];
extern const size_t lm_asset_countries_geojson_len;
extern const unsigned char lm_asset_report_js[];
extern const size_t lm_asset_report_js_len;
extern const unsigned char lm_asset_report_css[];
extern const size_t lm_asset_report_css_len;

#endif
