#!/usr/bin/env bash
# dev.sh - set up, build and run lmplan on a fresh Debian 12 machine.
#
#   scripts/dev.sh main   install dependencies, build, run the default plan on the bundled data,
#                         assess it and write its HTML report
#   scripts/dev.sh test   install dependencies, build, run the whole test suite (CTest)
#   scripts/dev.sh asan   the test suite again, built with AddressSanitizer + UBSan
#   scripts/dev.sh build  install dependencies and build only
#
# Debian packages are installed only when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config
          coinor-libclp-dev coinor-libcbc-dev coinor-clp coinor-cbc
          libsqlite3-dev libyaml-dev libcsv-dev libsodium-dev libcmocka-dev sqlite3
          libnetcdf-dev netcdf-bin
          libsuitesparse-dev libopenblas0-pthread  # CHOLMOD for the barrier, on OpenBLAS
          chromium)  # chromium: tests/report renders the HTML report headless

install_deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() { # build DIR [cmake options...]
    local dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}

case "${1:-}" in
    main)
        install_deps
        build build
        ./build/lmplan run data/lancang-mekong/plans/baseline.yaml
        ./build/lmplan assess   # green finance, financing mix, UNEP scorecard of that run
        ./build/lmplan report   # the HTML report again, now with the assessment
        ;;
    test)
        install_deps
        build build
        (cd build && ctest --output-on-failure -j "$(nproc)")
        ;;
    asan)
        install_deps
        build build-asan -DLMPLAN_SANITIZE=ON
        (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            ctest --output-on-failure -j "$(nproc)")
        ;;
    build)
        install_deps
        build build
        ;;
    *)
        sed -n '2,10p' "$0" >&2
        exit 64
        ;;
esac
