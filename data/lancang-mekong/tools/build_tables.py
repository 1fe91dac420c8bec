#!/usr/bin/env python3
"""Build the lmplan native tables of the `lancang-mekong` dataset from the hand-written
fact tables in ../facts/ (standard library only).

Run from anywhere:  python3 data/lancang-mekong/tools/build_tables.py [--lmplan PATH]
The Solar capacity factors come from the C command `lmplan resource solar` (docs/resource.md):
its binary is --lmplan PATH, else $LMPLAN_BIN, else build/lmplan of this checkout; without one
the Solar rows already in capacity_factor.csv are kept.
It (re)writes every generated CSV in data/lancang-mekong/, provenance.csv and dataset.yaml.
Hand-written files that are NOT touched: facts/*.csv, sources.csv, ndc_targets.csv,
projects_declared.csv (declared project data, one fact per row with its own source_id;
docs/assessment.md); the manifest registers the last two as tables.

Conventions of the output (same as lmplan's native format): UTF-8, comma separated, one
header row, no quoting (text values never contain commas), `inf` = no bound.
Every method used here is described in docs/default-dataset.md.
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)               # data/lancang-mekong
FACTS = os.path.join(ROOT, "facts")

VERSION = "0.1.0"
ZONES = ["Cambodia", "Laos", "Myanmar", "Thailand", "Vietnam", "Yunnan"]
# ordered by role: renewables, storage, then fossil and biomass thermal
TECHS = ["Hydro", "Solar", "Wind", "Li-ion", "Bioenergy", "Gas", "Coal", "Oil"]
TECH_TYPE = {"Coal": "dispatchable", "Oil": "dispatchable", "Gas": "dispatchable",
             "Hydro": "hydro", "Solar": "nondispatchable", "Wind": "nondispatchable",
             "Bioenergy": "dispatchable", "Li-ion": "storage"}
YEARS = [2020, 2030, 2040, 2050]
MONTHS = list(range(1, 13))
HOURS = list(range(1, 25))
N_STEPS = len(MONTHS) * len(HOURS)          # 288
DISCOUNT_RATE = 0.09  # ADB (2017) general rate for project economic analysis (S39)
ISO3 = {"Cambodia": "KHM", "Laos": "LAO", "Myanmar": "MMR", "Thailand": "THA",
        "Vietnam": "VNM", "Yunnan": "CHN"}
BASIN_MEAN_FLOW_M3S = 460e9 / (365.0 * 86400.0)   # 460 km3/yr (S27)
OUTPUT_COEFF = 8.5          # kW per (m3/s * m) = 9.81 x 0.867 overall efficiency
SPILL_LIMIT_M3S = 100000    # max outflow: no binding spill limit
VELOCITY_M_S = 1.0          # mean travel velocity between dams
DELTA_REACH = 900           # reach from Sambor/Kratie to the delta (sediment target)

# transmission assumptions (estimates, see docs)
LINE_INV_USD_PER_MW_KM = 800.0      # 500 kV double circuit ~1.2 MUSD/km for ~1500 MW
LINE_FOM_USD_PER_MW_KM_YR = 16.0    # 2 %/yr of investment
LINE_VAR_USD_PER_MWH = 2.0
LINE_LOSS_PER_1000KM = 0.04
LINE_LIFETIME_Y = 50
ROUTE_FACTOR = 1.2


def read_sources():
    """The rows of sources.csv (hand-written: the source ids every other file cites)."""
    with open(os.path.join(ROOT, "sources.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read(name):
    with open(os.path.join(FACTS, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fmt(x):
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, int):
        return str(x)
    if math.isinf(x):
        return "inf"
    if abs(x - round(x)) < 1e-9 and abs(x) < 1e15:
        return str(int(round(x)))
    return repr(round(x, 6))


def write(name, header, rows):
    path = os.path.join(ROOT, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            vals = [fmt(v) for v in r]
            for v in vals:
                if "," in v or "\n" in v or v == "":
                    sys.exit(f"{name}: bad field {v!r} in row {r}")
            if len(vals) != len(header):
                sys.exit(f"{name}: wrong field count in row {r}")
            f.write(",".join(vals) + "\n")
    return len(rows)


PROV = []


def prov(table, key, column, value, source_id, note):
    PROV.append((table, key, column, fmt(value) if not isinstance(value, str) else value,
                 source_id, note.replace(",", ";")))


# facts/dams.csv: `verified_fields` lists, per row, the columns found in a retrieved source as
# "column:source_id" items separated by ";", or `none` (provenance then tags that column [verified]
# with that source; every other column is [estimate]). `status` is `verified` only when all the key numbers
# below are among them.
DAM_PROV_COLUMNS = ("capacity_mw", "head_m", "commissioning_year", "operation_mode", "active_storage_1e8m3",
                    "total_storage_1e8m3", "lon_deg", "lat_deg", "drainage_area_km2")
DAM_KEY_COLUMNS = ("capacity_mw", "head_m", "active_storage_1e8m3", "total_storage_1e8m3", "commissioning_year")


def dam_verified_fields(d, sids):
    out = {}
    for item in (x.strip() for x in d.get("verified_fields", "").split(";")):
        if not item or item == "none":
            continue
        col, _, sid = item.partition(":")
        if col not in DAM_PROV_COLUMNS or sid not in sids:
            sys.exit(f"dams.csv station {d['station_id']}: bad verified_fields item {item!r}")
        out[col] = sid
    missing = [c for c in DAM_KEY_COLUMNS if c not in out]
    if d["status"] == "verified" and missing:
        sys.exit(f"dams.csv station {d['station_id']}: status verified but {', '.join(missing)} not verified")
    if d["status"] not in ("verified", "estimate"):
        sys.exit(f"dams.csv station {d['station_id']}: status {d['status']!r}")
    return out


def tag(status):
    return "[verified]" if status == "verified" else "[estimate]"


# ----------------------------------------------------------------------------- capacity
def build_capacity():
    rows, cap = [], {}
    for r in read("capacity_2020_mw.csv"):
        cap[(r["zone"], r["tech"])] = float(r["existing_capacity_mw"])
        prov("technology_portfolio", f"{r['zone']}/{r['tech']}", "existing_capacity_mw",
             float(r["existing_capacity_mw"]), r["source_id"], f"{tag(r['status'])} {r['note']}")
    for z in ZONES:
        for k in TECHS:
            rows.append((z, k, cap[(z, k)]))
    write("technology_portfolio.csv", ["zone", "tech", "existing_capacity_mw"], rows)
    age_rows = []
    for z in ZONES:
        for k in TECHS:
            for a in range(1, 101):
                age_rows.append((z, k, a, cap[(z, k)] if a == 1 else 0.0))
    write("age.csv", ["zone", "tech", "age_years", "capacity_mw"], age_rows)
    prov("age", "all", "capacity_mw", "technology_portfolio at age 1", "S51",
         "[estimate] no vintage data compiled: all 2020 capacity is placed at age 1 (retires "
         "only after a full lifetime); replace with plant-level commissioning years")
    return cap


# ----------------------------------------------------------------------------- technology
def build_tech():
    write("tech_type.csv", ["tech", "tech_type"], [(k, TECH_TYPE[k]) for k in TECHS])
    prov("tech_type", "all", "tech_type", "set", "S55", "[verified] model convention")
    par = {}
    for r in read("tech_parameters.csv"):
        years = YEARS if r["year"] == "all" else [int(r["year"])]
        for y in years:
            par[(r["tech"], r["parameter"], y)] = float(r["value"])
        prov({"investment_cost_usd_per_mw": "technology_investment_cost",
              "fixed_om_cost_usd_per_mw_yr": "technology_fix_cost",
              "variable_om_cost_usd_per_mwh": "technology_variable_cost",
              "lifetime_years": "lifetime",
              "ramp_fraction_per_h": "ramp_up+ramp_down",
              "efficiency_fraction": "efficiency"}[r["parameter"]],
             f"{r['tech']}/{r['year']}", r["parameter"], float(r["value"]), r["source_id"],
             f"{tag(r['status'])} {r['note']}")

    def table(fname, col, param, default=None):
        rows = []
        for k in TECHS:
            for y in YEARS:
                v = par.get((k, param, y), default)
                if v is None:
                    sys.exit(f"missing {param} for {k} {y}")
                rows.append((k, y, v))
        write(fname, ["tech", "year", col], rows)

    table("technology_investment_cost.csv", "investment_cost_usd_per_mw", "investment_cost_usd_per_mw")
    table("technology_fix_cost.csv", "fixed_om_cost_usd_per_mw_yr", "fixed_om_cost_usd_per_mw_yr")
    table("technology_variable_cost.csv", "variable_om_cost_usd_per_mwh", "variable_om_cost_usd_per_mwh")
    table("lifetime.csv", "lifetime_years", "lifetime_years")
    table("efficiency.csv", "efficiency_fraction", "efficiency_fraction", default=1.0)
    prov("efficiency", "non-storage techs", "efficiency_fraction", 1.0, "S55",
         "[verified] convention: only the storage value is used (charging efficiency)")
    write("ramp_up.csv", ["tech", "ramp_up_fraction_per_h"],
          [(k, par[(k, "ramp_fraction_per_h", 2020)]) for k in TECHS])
    write("ramp_down.csv", ["tech", "ramp_down_fraction_per_h"],
          [(k, par[(k, "ramp_fraction_per_h", 2020)]) for k in TECHS])

    # fuel cost per MWh electric and emission factor per MWh electric
    fuel = {r["tech"]: r for r in read("fuels.csv")}
    frows, crows = [], []
    for k in TECHS:
        if k in fuel:
            r = fuel[k]
            usd_per_gj = float(r["price"]) / float(r["energy_content_gj_per_unit"])
            eff = float(r["net_efficiency"])
            fc = usd_per_gj * 3.6 / eff
            ef = float(r["ipcc_ef_kg_co2_per_tj"]) * 0.0036 / eff / 1000.0
            prov("fuel_price", f"{k}/all years", "fuel_cost_usd_per_mwh", round(fc, 3),
                 r["source_price"], f"{tag(r['status'])} {r['price']} {r['price_unit']} / "
                 f"{r['energy_content_gj_per_unit']} GJ per unit = {usd_per_gj:.3f} USD/GJ; x 3.6 GJ/MWh "
                 f"/ net efficiency {eff}; constant real price; {r['note']}")
            prov("carbon_content", f"{k}/all years", "emission_factor_t_co2_per_mwh", round(ef, 4),
                 r["source_ef"], f"{tag(r.get('status_ef', 'estimate'))} IPCC 2006 default {r['ipcc_ef_kg_co2_per_tj']} kg CO2/TJ "
                 f"({r['fuel']}) x 0.0036 TJ/MWh / net efficiency {eff} / 1000")
        else:
            fc, ef = 0.0, 0.0
            prov("fuel_price+carbon_content", f"{k}/all years", "both", 0.0, "S55",
                 "[verified] no fuel and no direct combustion emissions")
        for y in YEARS:
            frows.append((k, y, round(fc, 4)))
            crows.append((k, y, round(ef, 6)))
    write("fuel_price.csv", ["tech", "year", "fuel_cost_usd_per_mwh"], frows)
    write("carbon_content.csv", ["tech", "year", "emission_factor_t_co2_per_mwh"], crows)

    write("discount_factor.csv", ["year", "discount_rate"], [(y, DISCOUNT_RATE) for y in YEARS])
    prov("discount_factor", "all years", "discount_rate", DISCOUNT_RATE, "S39",
         "[estimate] 9% real: ADB's general discount rate for the economic analysis of projects "
         "(6% applies to social-sector and environmental-protection projects) (S39; recalled); checked 2026-12-06: "
         "the ADB page confirms the 2017 edition revised the minimum required EIRR (S69) but the rates "
         "were not shown in the searched pages")
    write("carbon_cap.csv", ["year", "carbon_cap_t_co2"], [(y, math.inf) for y in YEARS])
    prov("carbon_cap", "all years", "carbon_cap_t_co2", "inf", "S44",
         "[verified] no cap in the dataset: caps are derived by the carbon-plan command from ndc_targets")

    bounds = [("technology_upper_bound.csv", "max_capacity_mw", math.inf),
              ("new_technology_upper_bound.csv", "max_new_capacity_mw", math.inf),
              ("new_technology_lower_bound.csv", "min_new_capacity_mw", 0.0)]
    for fname, col, v in bounds:
        write(fname, ["zone", "tech", col], [(z, k, v) for z in ZONES for k in TECHS])
        prov(fname[:-4], "all", col, v, "S56",
             "[estimate] no verified technical potentials compiled: unbounded (inf) / zero floor; "
             "see docs limitations")
    write("init_storage_level.csv", ["zone", "tech", "initial_storage_fraction"],
          [(z, "Li-ion", 0.5) for z in ZONES])
    write("storage_ratio.csv", ["zone", "tech", "energy_to_power_ratio_h"],
          [(z, "Li-ion", 4.0) for z in ZONES])
    prov("init_storage_level", "all/Li-ion", "initial_storage_fraction", 0.5, "S55",
         "[estimate] half-full at the start of each representative day (modelling convention)")
    prov("storage_ratio", "all/Li-ion", "energy_to_power_ratio_h", 4.0, "S36",
         "[estimate] 4-hour utility batteries (the cost basis of the Li-ion investment cost)")


# ----------------------------------------------------------------------------- demand
def build_demand():
    daily = {}
    for r in read("daily_load_shape.csv"):
        daily.setdefault(r["profile"], {})[int(r["hour"])] = float(r["relative_load"])
    monthly = {}
    for r in read("monthly_load_factor.csv"):
        monthly.setdefault(r["zone"], {})[int(r["month"])] = float(r["relative_load"])
    annual = {}
    for r in read("annual_demand_twh.csv"):
        annual[(r["zone"], int(r["year"]))] = float(r["demand_twh"])
        prov("demand", f"{r['zone']}/{r['year']}", "annual_energy_twh", float(r["demand_twh"]),
             r["source_id"], f"{tag(r['status'])} {r['note']}")
    rows = []
    peaks = {}
    for z in ZONES:
        prof = daily["yunnan" if z == "Yunnan" else "asean"]
        dmean = sum(prof.values()) / 24.0
        mmean = sum(monthly[z].values()) / 12.0
        for y in YEARS:
            e_mwh = annual[(z, y)] * 1e6
            pk = 0.0
            for m in MONTHS:
                for h in HOURS:
                    s = (prof[h] / dmean) * (monthly[z][m] / mmean)
                    d = e_mwh / 8760.0 * s
                    pk = max(pk, d)
                    rows.append((z, y, m, h, round(d, 3)))
            peaks[(z, y)] = pk
    write("demand.csv", ["zone", "year", "month", "hour", "demand_mw"], rows)
    prov("demand", "all", "demand_mw", "288 steps per zone-year", "S05",
         "[estimate] demand_mw = annual TWh x 1e6 / 8760 x (daily shape / its mean) x (monthly "
         "factor / its mean); sum(demand_mw) x 8760/288 equals the annual energy")
    return annual, peaks


# ----------------------------------------------------------------------------- VRE profiles
def find_lmplan():
    """(binary, explicit): --lmplan PATH, else $LMPLAN_BIN, else build/lmplan of this checkout
    (explicit False: a failure of that guess only keeps the existing Solar rows)."""
    if "--lmplan" in sys.argv:
        i = sys.argv.index("--lmplan")
        if i + 1 >= len(sys.argv):
            sys.exit("--lmplan needs the path of the lmplan binary")
        return sys.argv[i + 1], True
    if os.environ.get("LMPLAN_BIN"):
        return os.environ["LMPLAN_BIN"], True
    guess = os.path.join(os.path.dirname(os.path.dirname(ROOT)), "build", "lmplan")
    return (guess if os.access(guess, os.X_OK) else None), False


def kept_solar_rows(why):
    print(f"warning: {why}; keeping the Solar rows of the existing capacity_factor.csv", file=sys.stderr)
    with open(os.path.join(ROOT, "capacity_factor.csv"), encoding="utf-8") as f:
        return [(r["tech"], r["zone"], int(r["month"]), int(r["hour"]), r["capacity_factor"])
                for r in csv.DictReader(f) if r["tech"] == "Solar"], None


def solar_rows():
    """Solar rows of capacity_factor.csv from `lmplan resource solar` (docs/resource.md) run on
    facts/vre_sites.csv and facts/solar_cloudiness.csv, and the per-zone summary.  Without an
    lmplan binary the Solar rows already in capacity_factor.csv are kept (with a warning)."""
    import subprocess
    import tempfile
    binary, explicit = find_lmplan()
    if binary is None:
        return kept_solar_rows("no lmplan binary (--lmplan PATH or LMPLAN_BIN)")
    with tempfile.TemporaryDirectory() as tmp:
        out, summ = os.path.join(tmp, "solar.csv"), os.path.join(tmp, "summary.csv")
        cmd = [binary, "resource", "solar", "--sites", os.path.join(FACTS, "vre_sites.csv"),
               "--climate", os.path.join(FACTS, "solar_cloudiness.csv"), "-o", out, "--summary", summ]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0 and explicit:
            sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr}")
        if r.returncode != 0:
            return kept_solar_rows(f"{binary} failed (an old build without `resource`?)")
        with open(out, encoding="utf-8") as f:
            rows = [(r["tech"], r["zone"], int(r["month"]), int(r["hour"]), r["capacity_factor"])
                    for r in csv.DictReader(f)]
        with open(summ, encoding="utf-8") as f:
            summary = list(csv.DictReader(f))
    return rows, summary


def build_cf():
    sites = {r["zone"]: r for r in read("vre_sites.csv")}
    mf = {}
    for r in read("vre_monthly_factor.csv"):
        mf.setdefault((r["tech"], r["profile"]), {})[int(r["month"])] = float(r["relative_output"])
    solar, summary = solar_rows()
    order = {z: i for i, z in enumerate(ZONES)}
    rows = sorted(solar, key=lambda r: (order[r[1]], r[2], r[3]))
    if len(rows) != len(ZONES) * N_STEPS:
        sys.exit(f"Solar capacity factors: {len(rows)} rows, expected {len(ZONES) * N_STEPS}")
    for z in ZONES:
        s = sites[z]
        if summary is None:
            mean = sum(float(r[4]) for r in rows if r[1] == z) / N_STEPS
            prov("capacity_factor", f"Solar/{z}", "capacity_factor", f"annual mean {mean:.4f}", s["source_id"],
                 "[estimate] kept from the previous build (no lmplan binary given); see docs/resource.md")
            continue
        zr = next(r for r in summary if r["kind"] == "zone" and r["zone"] == z)
        st = [r for r in summary if r["kind"] == "site" and r["zone"] == z]
        where = "; ".join(f"{r['site']} (weight {r['weight']}; GHI {float(r['ghi_kwh_m2_yr']):.0f} kWh/m2/yr; "
                          f"POA {float(r['poa_kwh_m2_yr']):.0f} kWh/m2/yr; CF {float(r['annual_cf']):.4f})" for r in st)
        prov("capacity_factor", f"Solar/{z}", "capacity_factor", f"annual mean {float(zr['annual_cf']):.4f}",
             s["source_id"],
             f"[estimate] lmplan resource solar (docs/resource.md): Klein mean days; Spencer declination and "
             f"equation of time; hour-midpoint sun position on the UTC+{s['utc_offset_h']} clock; Haurwitz clear "
             f"sky scaled to Angstrom-Prescott (FAO-56 a=0.25 b=0.50) monthly GHI from the site's sunshine hours "
             f"(facts/solar_cloudiness.csv){' and scaled to the annual GHI anchor' if s.get('ghi_anchor_kwh_m2_yr', 'NA') not in ('', 'NA', '0') else ''}; "
             f"Erbs diffuse split; isotropic sky on a latitude tilt facing the equator; NOCT 45 C; gamma -0.4 %/K; "
             f"losses 0.86; DC/AC 1.2; per unit of DC capacity. Sites: {where}")
    for z in ZONES:
        s = sites[z]
        target = float(s["wind_annual_cf"])
        mon = mf[("Wind", z if (("Wind", z) in mf) else "asean")]
        raw = {}
        for m in MONTHS:
            for h in HOURS:
                raw[(m, h)] = mon[m] * (1.0 + 0.15 * math.cos(2 * math.pi * ((h - 0.5) - 15.0) / 24.0))
        # scale to the annual mean; cap at 1 and re-scale the rest
        scale = target * N_STEPS / sum(raw.values())
        for _ in range(20):
            vals = {key: min(1.0, v * scale) for key, v in raw.items()}
            mean = sum(vals.values()) / N_STEPS
            if abs(mean - target) < 1e-7:
                break
            scale *= target / mean
        for m in MONTHS:
            for h in HOURS:
                rows.append(("Wind", z, m, h, round(vals[(m, h)], 5)))
        prov("capacity_factor", f"Wind/{z}", "capacity_factor", f"annual mean {target}", s["source_id"],
             "[estimate] monthly monsoon factor x diurnal term 1+0.15cos(2pi(t-15h)/24); scaled so that the "
             "288-step mean equals the assumed annual capacity factor")
    write("capacity_factor.csv", ["tech", "zone", "month", "hour", "capacity_factor"], rows)


# ----------------------------------------------------------------------------- grid
def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    d = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(d))


def build_grid():
    cor = read("corridors.csv")
    tl, dist, eff, lim = [], [], [], []
    totals = []
    for r in cor:
        a, b = r["zone_a"], r["zone_b"]
        gc = haversine((float(r["lat_a"]), float(r["lon_a"])), (float(r["lat_b"]), float(r["lon_b"])))
        d = round(gc * ROUTE_FACTOR, 1)
        e = round(1.0 - LINE_LOSS_PER_1000KM * d / 1000.0, 4)
        ex, nw = float(r["existing_mw"]), float(r["max_new_mw"])
        for f, t in ((a, b), (b, a)):
            tl.append((f, t, ex))
            dist.append((f, t, d))
            eff.append((f, t, e))
            lim.append((f, t, nw))
        key = f"{a}-{b}"
        prov("transline", key, "existing_capacity_mw", ex, r["existing_source"],
             f"{tag(r['existing_status'])} {r['existing_note']}; same value in both directions")
        prov("transline_limit", key, "max_new_capacity_mw", nw, r["new_source"],
             f"{tag(r['new_status'])} {r['new_note']}")
        prov("distance", key, "distance_km", d, "S56",
             f"[estimate] great-circle {r['node_a']}-{r['node_b']} {gc:.1f} km x route factor {ROUTE_FACTOR}")
        prov("transline_efficiency", key, "efficiency_fraction", e, "S55",
             f"[estimate] 1 - {LINE_LOSS_PER_1000KM} x distance/1000 km (HVAC losses incl. substations assumed)")
        totals.append((a, b, ex, nw, d))
    write("transline.csv", ["from_zone", "to_zone", "existing_capacity_mw"], tl)
    write("distance.csv", ["from_zone", "to_zone", "distance_km"], dist)
    write("transline_efficiency.csv", ["from_zone", "to_zone", "efficiency_fraction"], eff)
    write("transline_limit.csv", ["from_zone", "to_zone", "max_new_capacity_mw"], lim)
    allpairs = [(f, t) for f in ZONES for t in ZONES]
    write("transline_investment_cost.csv", ["from_zone", "to_zone", "investment_cost_usd_per_mw_km"],
          [(f, t, LINE_INV_USD_PER_MW_KM) for f, t in allpairs])
    write("transline_fix_cost.csv", ["from_zone", "to_zone", "fixed_om_cost_usd_per_mw_km_yr"],
          [(f, t, LINE_FOM_USD_PER_MW_KM_YR) for f, t in allpairs])
    write("transline_variable_cost.csv", ["from_zone", "to_zone", "variable_cost_usd_per_mwh"],
          [(f, t, LINE_VAR_USD_PER_MWH) for f, t in allpairs])
    write("transmission_line_lifetime.csv", ["from_zone", "to_zone", "lifetime_years"],
          [(f, t, LINE_LIFETIME_Y) for f, t in allpairs])
    prov("transline_investment_cost", "all pairs", "investment_cost_usd_per_mw_km", LINE_INV_USD_PER_MW_KM,
         "S55", "[estimate] 500 kV AC double circuit ~1.2 MUSD/km incl. share of substations carrying ~1500 MW")
    prov("transline_fix_cost", "all pairs", "fixed_om_cost_usd_per_mw_km_yr", LINE_FOM_USD_PER_MW_KM_YR,
         "S55", "[estimate] 2%/yr of the investment cost per MW-km")
    prov("transline_variable_cost", "all pairs", "variable_cost_usd_per_mwh", LINE_VAR_USD_PER_MWH,
         "S55", "[estimate] wheeling/operation charge per MWh sent")
    prov("transmission_line_lifetime", "all pairs", "lifetime_years", LINE_LIFETIME_Y, "S55",
         "[estimate] typical life of overhead lines")
    return totals


# ----------------------------------------------------------------------------- hydro
def build_hydro():
    regions = {r["region"]: r for r in read("flow_regions.csv")}
    order = ["CN", "CN_CS", "CS_LP", "LP_VT", "VT_NP", "NP_MK", "MK_PK", "PK_KR"]
    cum_share, cum_sed = {}, {}
    s_acc, y_acc = 0.0, 0.0
    for g in order:
        r = regions[g]
        cum_share[g] = s_acc                      # share of flow above the upper gauge
        cum_sed[g] = y_acc
        s_acc += float(r["share_of_basin_flow_pct"])
        y_acc += float(r["sediment_yield_mt_per_yr"])
    q_spec, y_spec = {}, {}
    for g in order:
        r = regions[g]
        area = float(r["lower_gauge_area_km2"]) - float(r["upper_gauge_area_km2"])
        q_spec[g] = float(r["share_of_basin_flow_pct"]) / 100.0 * BASIN_MEAN_FLOW_M3S / area
        y_spec[g] = float(r["sediment_yield_mt_per_yr"]) / area
        prov("inflow", f"region {g}", "specific_runoff_m3s_per_km2", round(q_spec[g], 6), r["source_id"],
             f"{tag(r['status'])} share {r['share_of_basin_flow_pct']}% of 460 km3/yr over "
             f"{area:.0f} km2 between {r['upper_gauge']} and {r['lower_gauge']}; {r['note']}")
        prov("river_sediment", f"region {g}", "regional_yield_mt_per_yr", float(r["sediment_yield_mt_per_yr"]),
             "S42", f"[estimate] share of 160 Mt/yr pre-dam load (S41/S42; S40 gives 144-167 Mt/yr) "
             f"spread uniformly over the region's {area:.0f} km2")
    regime = {}
    for r in read("monthly_flow_regime.csv"):
        regime.setdefault(r["regime"], {})[int(r["month"])] = float(r["relative_flow"])
    for k in regime:
        mean = sum(regime[k].values()) / 12.0
        regime[k] = {m: v / mean for m, v in regime[k].items()}

    dams = read("dams.csv")
    by_id = {int(d["station_id"]): d for d in dams}
    sids = {r["source_id"] for r in read_sources()}
    ups = {i: [] for i in by_id}
    for d in dams:
        dn = int(d["downstream_id"])
        if dn:
            ups[dn].append(int(d["station_id"]))

    def mainstream(d):
        return d["river"].startswith("Mekong") or d["river"] == "Lancang"

    def natural(d, spec, cum, scale):
        g, area = d["flow_region"], float(d["drainage_area_km2"])
        r = regions[g]
        if mainstream(d):
            return cum[g] * scale + spec[g] * (area - float(r["upper_gauge_area_km2"]))
        return spec[g] * area

    Q = {i: natural(d, q_spec, cum_share, BASIN_MEAN_FLOW_M3S / 100.0) for i, d in by_id.items()}
    Y = {i: natural(d, y_spec, cum_sed, 1.0) for i, d in by_id.items()}
    local_q, local_y, local_a = {}, {}, {}
    for i, d in by_id.items():
        local_q[i] = Q[i] - sum(Q[u] for u in ups[i])
        local_y[i] = Y[i] - sum(Y[u] for u in ups[i])
        local_a[i] = float(d["drainage_area_km2"]) - sum(float(by_id[u]["drainage_area_km2"]) for u in ups[i])
        if local_q[i] < -1e-6 or local_a[i] < -1e-6 or local_y[i] < -1e-9:
            sys.exit(f"negative local inflow/area/yield at station {i}: {local_q[i]} {local_a[i]} {local_y[i]}")

    ids = sorted(by_id)
    hs, extra, conn, infl, sup, sdn, trap = [], [], [], [], [], [], []
    for n, i in enumerate(ids, 1):
        d = by_id[i]
        cap, head = float(d["capacity_mw"]), float(d["head_m"])
        cod = int(d["commissioning_year"])
        qgen = cap * 1000.0 / (OUTPUT_COEFF * head)
        hs.append((i, d["name"], d["zone"], float(d["lon_deg"]), float(d["lat_deg"]), cap, cap, 0.0,
                   SPILL_LIMIT_M3S, round(qgen, 1), 0.0, head, OUTPUT_COEFF, cod, 1 if cod <= 2020 else 0,
                   round(cap * 2135000.0), int(d["operation_mode"])))
        vf = dam_verified_fields(d, sids)
        for col in DAM_PROV_COLUMNS:
            table = ("hydro_static" if col not in ("active_storage_1e8m3", "total_storage_1e8m3", "drainage_area_km2")
                     else "dams_extra")
            if col in vf:
                prov(table, f"{i} {d['name']}", col, d[col], vf[col], f"[verified] {col} per {vf[col]}; {d['note']}")
            else:
                prov(table, f"{i} {d['name']}", col, d[col], d["source_id"], f"[estimate] {d['note']}")
        dn = int(d["downstream_id"])
        if dn:
            km = float(d["river_km_to_downstream"])
            delay = max(1, int(round(km * 1000.0 / VELOCITY_M_S / 3600.0)))
            conn.append((i, dn, delay))
            prov("hydro_connect", f"{i}->{dn}", "travel_delay_h", delay, d["source_id"],
                 f"[estimate] {km:.0f} km along the river (estimated from maps/chainages S28) / {VELOCITY_M_S} m/s")
        reg = regime["lancang" if d["flow_region"] == "CN" else "lower"]
        for m in MONTHS:
            v = round(local_q[i] * reg[m], 3)
            for h in HOURS:
                infl.append((i, m, h, v))
                sup.append((i, m, h, float(d["active_storage_1e8m3"])))
                sdn.append((i, m, h, 0.0))
        prov("inflow", f"{i} {d['name']}", "inflow_m3s",
             f"local mean {local_q[i]:.1f} (natural mean at site {Q[i]:.1f})", "S26",
             "[estimate] natural mean flow from drainage area x regional specific runoff (mainstream: upper-gauge flow + "
             "increment); local = site flow minus upstream sites' natural flow; monthly regime "
             f"{'lancang' if d['flow_region'] == 'CN' else 'lower'}; constant over the 24 hours")
        # trap efficiency (Dendy fit of Brune's median curve)
        c = float(d["total_storage_1e8m3"]) * 1e8
        inflow_vol = Q[i] * 365.0 * 86400.0
        ci = c / inflow_vol
        te = 0.97 ** (0.19 ** math.log10(ci))
        trap.append((n, i, d["name"], ISO3[d["zone"]], round(te, 4), round(ci, 6)))
        prov("reservoir_sediment_trap", f"{i} {d['name']}", "trap_efficiency_fraction", round(te, 4), "S43",
             f"[estimate] TE = 0.97^(0.19^log10(C/I)); C = total storage {d['total_storage_1e8m3']}e8 m3; "
             f"I = natural mean inflow {Q[i]:.0f} m3/s x 1 yr; C/I = {ci:.5f}")
        extra.append((i, d["name"], d["river"], d["zone"], "existing" if cod <= 2020 else "planned",
                      float(d["drainage_area_km2"]), round(local_a[i], 1), float(d["active_storage_1e8m3"]),
                      float(d["total_storage_1e8m3"]), round(Q[i], 1), round(local_q[i], 1),
                      d["flow_region"], dn, float(d["river_km_to_downstream"]), d["source_id"], d["status"],
                      d["note"].replace(",", ";")))
    write("hydro_static.csv", ["station_id", "station_name", "zone", "longitude_deg", "latitude_deg",
                               "installed_capacity_mw", "max_output_mw", "min_output_mw", "max_outflow_m3s",
                               "max_generation_flow_m3s", "min_outflow_m3s", "head_m", "output_coefficient",
                               "commissioning_year", "is_existing_2020", "investment_cost_usd", "operation_mode"], hs)
    prov("hydro_static", "all", "max_generation_flow_m3s", "capacity / (8.5 x head)", "S55",
         "[estimate] turbine flow at rated head; output coefficient 8.5 kW/(m3/s m) = 9.81 x 0.867; "
         "max_outflow 100000 m3/s = no spill limit; min output/outflow 0; investment_cost = capacity x "
         "2135000 USD/MW (IRENA 2021 hydro average S35)")
    write("hydro_connect.csv", ["upstream_station_id", "downstream_station_id", "travel_delay_h"], conn)
    write("inflow.csv", ["station_id", "month", "hour", "inflow_m3s"], infl)
    write("storage_upbound.csv", ["station_id", "month", "hour", "storage_max_1e8m3"], sup)
    write("storage_downbound.csv", ["station_id", "month", "hour", "storage_min_1e8m3"], sdn)
    prov("storage_upbound+storage_downbound", "all stations", "storage_1e8m3", "active storage / 0", "S51",
         "[estimate] the storage variable counts active (live) storage only: upper bound = active storage "
         "(dams_extra) every step; lower bound 0 (dead storage excluded)")
    write("dams_extra.csv", ["station_id", "station_name", "river", "zone", "status_2020", "drainage_area_km2",
                             "local_drainage_area_km2", "active_storage_1e8m3", "total_storage_1e8m3",
                             "natural_mean_flow_m3s", "local_mean_inflow_m3s", "flow_region",
                             "downstream_station_id", "river_km_to_downstream", "source_id", "status", "note"], extra)
    write("reservoir_sediment_trap.csv", ["source_row_index", "station_id", "station_name", "country_iso3",
                                          "trap_efficiency_fraction", "ci_undocumented"], trap)

    # sediment reaches: one per dam site + the delta reach
    sed = []
    out = {}
    for i in topo(ids, ups):
        sin = sum(out[u] for u in ups[i])
        out[i] = sin + local_y[i]
    root_in = sum(out[i] for i in ids if int(by_id[i]["downstream_id"]) == 0)
    for i in ids:
        d = by_id[i]
        dn = int(d["downstream_id"]) or DELTA_REACH
        sin = sum(out[u] for u in ups[i])
        area_ha = local_a[i] * 100.0
        sed.append((i, i, dn, round(sin * 1e6), round(out[i] * 1e6), 0.0, round(Q[i], 1),
                    round(local_a[i], 1), round(local_y[i] * 1e6 / area_ha, 4) if area_ha > 0 else 0.0,
                    round(local_y[i], 4)))
        prov("river_sediment", f"reach {i}", "sediment_yield_mt_per_yr", round(local_y[i], 4), "S42",
             "[estimate] local yield = cumulative natural yield at the site (regional specific yield x area; "
             "mainstream: upper-gauge load + increment) minus that of the upstream sites; deposition 0 (bedrock/"
             "confined channel assumed above Kratie)")
    sed.append((DELTA_REACH, DELTA_REACH, 0, round(root_in * 1e6), round(root_in * 1e6), 0.0,
                round(BASIN_MEAN_FLOW_M3S * 0.91, 1), 149000.0, 0.0, 0.0))
    prov("river_sediment", f"reach {DELTA_REACH}", "all", "delta entry", "S26",
         "[estimate] reach from Sambor/Kratie to the delta: no own yield (floodplain/Tonle Sap exchange not "
         "modelled); its inflow is the sediment delivered to the delta; area = 795000 - 646000 km2 (S27/S28)")
    write("river_sediment.csv", ["node_id", "from_node", "to_node", "sediment_in_t_per_yr", "sediment_out_t_per_yr",
                                 "deposition_fraction", "q_undocumented_unit", "area_km2",
                                 "specific_yield_t_per_ha_yr", "sediment_yield_mt_per_yr"], sed)
    return by_id, Q, local_q, trap, root_in


def topo(ids, ups):
    done, seq = set(), []

    def visit(i):
        if i in done:
            return
        for u in ups[i]:
            visit(u)
        done.add(i)
        seq.append(i)
    for i in ids:
        visit(i)
    return seq


# ----------------------------------------------------------------------------- manifest
TABLES = [
    ("technology_portfolio", "S01"), ("age", "S51"), ("tech_type", "S55"), ("lifetime", "S55"),
    ("technology_investment_cost", "S35"), ("technology_fix_cost", "S55"),
    ("technology_variable_cost", "S55"), ("fuel_price", "S38"), ("carbon_content", "S37"),
    ("efficiency", "S36"), ("discount_factor", "S39"), ("demand", "S05"), ("capacity_factor", "S56"),
    ("transline", "S18"), ("distance", "S56"), ("transline_efficiency", "S55"), ("transline_limit", "S17"),
    ("transline_investment_cost", "S55"), ("transline_fix_cost", "S55"), ("transline_variable_cost", "S55"),
    ("transmission_line_lifetime", "S55"), ("technology_upper_bound", "S56"),
    ("new_technology_upper_bound", "S56"), ("new_technology_lower_bound", "S56"),
    ("init_storage_level", "S55"), ("storage_ratio", "S36"), ("ramp_up", "S55"), ("ramp_down", "S55"),
    ("carbon_cap", "S44"), ("ndc_targets", "S44"), ("hydro_static", "S51"), ("hydro_connect", "S28"),
    ("inflow", "S26"), ("storage_upbound", "S51"), ("storage_downbound", "S51"),
    ("river_sediment", "S42"), ("reservoir_sediment_trap", "S43"),
    # hand-written; every fact cites its own source (source_id column), so no table source
    ("projects_declared", None),
]


def build_manifest():
    srcs = read_sources()
    q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', "'") + '"'
    lines = [
        "# lmplan dataset manifest - generated by tools/build_tables.py; edit the facts, not this file",
        "# Years 2020/2030/2040/2050; 12 representative days x 24 h (dt = 1 h).",
        "# Files in this folder that lmplan does not read (yet): sources.csv (full source list),",
        "# provenance.csv (one row per number: table/key/column/value/source_id/method_note),",
        "# dams_extra.csv (descriptive station data). ndc_targets.csv (national targets, hand-written)",
        "# is read by `lmplan carbon-plan` (docs/carbon-plan.md).",
        "name: lancang-mekong",
        f"version: \"{VERSION}\"",
        "description: " + q("Default Lancang-Mekong dataset of lmplan: six zones (Cambodia Laos Myanmar "
                            "Thailand Vietnam Yunnan) 2020-2050 at 12 representative days x 24 h; 57 hydropower "
                            "stations; compiled from public sources (see sources.csv and provenance.csv; "
                            "docs/default-dataset.md). Many values are estimates."),
        "sources:",
    ]
    for s in srcs:
        lines += [f"  - id: {s['source_id']}", f"    citation: {q(s['citation'])}", f"    url: {q(s['url'])}"]
    lines.append("tables:")
    for t, sid in TABLES:
        lines += [f"  {t}:", f"    file: {t}.csv"]
        if sid is not None:
            lines.append(f"    source: {sid}")
        else:
            lines.append("    # one source per row (source_id column: ids of sources.csv)")
        if t == "transline_fix_cost":
            lines.append("    # file column is per MW per km per year (native name); lmplan reads it as its")
            lines.append("    # fixed_om_cost_usd_per_mw_yr column (applied per MW, as in the native model)")
            lines.append("    columns: {fixed_om_cost_usd_per_mw_yr: fixed_om_cost_usd_per_mw_km_yr}")
    with open(os.path.join(ROOT, "dataset.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def check_declared(by_id):
    """projects_declared.csv is hand-written: only check that every fact names a station of
    hydro_static and a source of sources.csv (the values are checked by lmplan, declared.c)."""
    path = os.path.join(ROOT, "projects_declared.csv")
    if not os.path.exists(path):
        return
    sids = {r["source_id"] for r in read_sources()}
    with open(path, newline="", encoding="utf-8") as f:
        for n, r in enumerate(csv.DictReader(f), 2):
            if not r["project_id"].isdigit() or int(r["project_id"]) not in by_id:
                sys.exit(f"projects_declared.csv:{n}: project_id {r['project_id']!r} is not a station")
            if r["source_id"] not in sids:
                sys.exit(f"projects_declared.csv:{n}: source_id {r['source_id']!r} is not in sources.csv")


def main():
    cap = build_capacity()
    build_tech()
    annual, peaks = build_demand()
    build_cf()
    corridors = build_grid()
    by_id, Q, local_q, trap, delta_in = build_hydro()
    # ndc_targets provenance (table is hand-written)
    with open(os.path.join(ROOT, "ndc_targets.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            prov("ndc_targets", f"{r['country']}/{r['target_type']}/{r['baseline']}", "reduction_pct",
                 r["reduction_pct"], r["source_id"],
                 "[verified] as summarised in the shared research anchors (UNFCCC NDC registry)"
                 if r["source_id"] == "S44" else "[verified] Climate Analytics / MOI summary of the July 2021 NDC")
    write("provenance.csv", ["table", "key", "column", "value", "source_id", "method_note"], PROV)
    check_declared(by_id)
    build_manifest()
    # summary
    print("2020 capacity (MW) by zone:")
    for z in ZONES:
        print(f"  {z:9s} {sum(cap[(z, k)] for k in TECHS):10.0f}")
    print("demand TWh 2020 / 2050 and implied 2020 peak MW:")
    for z in ZONES:
        print(f"  {z:9s} {annual[(z, 2020)]:8.1f} {annual[(z, 2050)]:8.1f} {peaks[(z, 2020)]:9.0f}")
    n_ex = sum(1 for d in by_id.values() if int(d["commissioning_year"]) <= 2020)
    print(f"stations: {len(by_id)} ({n_ex} existing in 2020, {len(by_id) - n_ex} planned)")
    print(f"sediment delivered to reach {DELTA_REACH} (natural, no dams): {delta_in:.1f} Mt/yr")
    print(f"provenance rows: {len(PROV)}")


if __name__ == "__main__":
    main()
