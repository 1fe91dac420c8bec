# assets.cmake - compile the report's page assets into liblmplan (included by the top-level
# CMakeLists.txt after the lmplan target exists).  The vendored files are read from vendor/ in
# the source tree; nothing is downloaded.  See src/report/assets.h and vendor/README.md.
set(LMPLAN_REPORT_ASSETS
  lm_asset_chart_js=${CMAKE_SOURCE_DIR}/vendor/chart.js/chart.umd.min.js
  lm_asset_countries_geojson=${CMAKE_SOURCE_DIR}/vendor/natural-earth/lancang-mekong-countries-50m.geojson
  lm_asset_report_js=${CMAKE_SOURCE_DIR}/src/report/report.js
  lm_asset_report_css=${CMAKE_SOURCE_DIR}/src/report/report.css)
set(deps "")
foreach(pair IN LISTS LMPLAN_REPORT_ASSETS)
  string(REGEX REPLACE "^[^=]*=" "" path "${pair}")
  list(APPEND deps "${path}")
endforeach()
string(REPLACE ";" "|" assets_arg "${LMPLAN_REPORT_ASSETS}")
set(out ${CMAKE_BINARY_DIR}/generated/report_assets.c)
add_custom_command(
  OUTPUT ${out}
  COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DASSETS=${assets_arg}"
          -P ${CMAKE_SOURCE_DIR}/src/report/embed.cmake
  DEPENDS ${deps} ${CMAKE_SOURCE_DIR}/src/report/embed.cmake
  COMMENT "Embedding the report's assets (Chart.js, Natural Earth outlines, page script)"
  VERBATIM)
target_sources(lmplan PRIVATE ${out})
