#!/usr/bin/env python3
"""Consistency checks of the lancang-mekong dataset (standard library only).
Exit status 1 and a list of problems if any check fails."""
import csv, math, os, sys
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZONES = {"Cambodia", "Laos", "Myanmar", "Thailand", "Vietnam", "Yunnan"}
TECHS = {"Coal", "Oil", "Gas", "Hydro", "Solar", "Wind", "Bioenergy", "Li-ion"}
YEARS = {"2020", "2030", "2040", "2050"}
errs = []

def rows(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[-1] == "", name + ": no final newline"
    head = lines[0].split(",")
    out = []
    for n, l in enumerate(lines[1:-1], 2):
        v = l.split(",")
        if len(v) != len(head):
            errs.append(f"{name}:{n}: {len(v)} fields, header has {len(head)}")
            continue
        for c, x in zip(head, v):
            if x == "":
                errs.append(f"{name}:{n}: empty field {c}")
        out.append(dict(zip(head, v)))
    return head, out

def num(name, r, c, lo=-math.inf, hi=math.inf, allow_inf=False):
    x = r[c]
    try:
        v = float(x)
    except ValueError:
        errs.append(f"{name}: {c}={x!r} is not a number"); return None
    if math.isinf(v) and not allow_inf:
        errs.append(f"{name}: {c} is inf where not allowed")
    elif not (lo <= v <= hi) and not math.isinf(v):
        errs.append(f"{name}: {c}={v} outside [{lo},{hi}] in {r}")
    return v

def grid(name, keys, value, lo=0, hi=math.inf, allow_inf=False):
    h, rs = rows(name)
    seen = set()
    for r in rs:
        k = tuple(r[c] for c, _ in keys)
        for (c, dom), x in zip(keys, k):
            if dom is not None and x not in dom:
                errs.append(f"{name}: unknown {c} {x!r}")
        if k in seen:
            errs.append(f"{name}: duplicate key {k}")
        seen.add(k)
        num(name, r, value, lo, hi, allow_inf)
    exp = 1
    for c, dom in keys:
        if dom is not None:
            exp *= len(dom)
    if len(seen) != exp:
        errs.append(f"{name}: {len(seen)} keys, expected {exp}")
    return rs

MH = {str(i) for i in range(1, 13)}, {str(i) for i in range(1, 25)}
grid("technology_portfolio.csv", [("zone", ZONES), ("tech", TECHS)], "existing_capacity_mw")
grid("age.csv", [("zone", ZONES), ("tech", TECHS), ("age_years", {str(a) for a in range(1, 101)})], "capacity_mw")
for f, c, lo, hi in [("lifetime.csv", "lifetime_years", 1, 200), ("technology_investment_cost.csv", "investment_cost_usd_per_mw", 0, 1e8),
                     ("technology_fix_cost.csv", "fixed_om_cost_usd_per_mw_yr", 0, 1e6), ("technology_variable_cost.csv", "variable_om_cost_usd_per_mwh", 0, 1000),
                     ("fuel_price.csv", "fuel_cost_usd_per_mwh", 0, 1000), ("carbon_content.csv", "emission_factor_t_co2_per_mwh", 0, 2),
                     ("efficiency.csv", "efficiency_fraction", 0.01, 1)]:
    grid(f, [("tech", TECHS), ("year", YEARS)], c, lo, hi)
grid("discount_factor.csv", [("year", YEARS)], "discount_rate", 0, 0.5)
grid("carbon_cap.csv", [("year", YEARS)], "carbon_cap_t_co2", 0, math.inf, True)
d = grid("demand.csv", [("zone", ZONES), ("year", YEARS), ("month", MH[0]), ("hour", MH[1])], "demand_mw", 0, 1e6)
grid("capacity_factor.csv", [("tech", {"Solar", "Wind"}), ("zone", ZONES), ("month", MH[0]), ("hour", MH[1])], "capacity_factor", 0, 1)
for f, c, inf in [("technology_upper_bound.csv", "max_capacity_mw", True), ("new_technology_upper_bound.csv", "max_new_capacity_mw", True),
                  ("new_technology_lower_bound.csv", "min_new_capacity_mw", False)]:
    grid(f, [("zone", ZONES), ("tech", TECHS)], c, 0, math.inf, inf)
grid("init_storage_level.csv", [("zone", ZONES), ("tech", {"Li-ion"})], "initial_storage_fraction", 0, 1)
grid("storage_ratio.csv", [("zone", ZONES), ("tech", {"Li-ion"})], "energy_to_power_ratio_h", 0.5, 24)
grid("ramp_up.csv", [("tech", TECHS)], "ramp_up_fraction_per_h", 0, 1)
grid("ramp_down.csv", [("tech", TECHS)], "ramp_down_fraction_per_h", 0, 1)
_, tt = rows("tech_type.csv")
if {r["tech"] for r in tt} != TECHS: errs.append("tech_type: tech set")
# transmission
for f, c in [("transline_investment_cost.csv", "investment_cost_usd_per_mw_km"), ("transline_fix_cost.csv", "fixed_om_cost_usd_per_mw_km_yr"),
             ("transline_variable_cost.csv", "variable_cost_usd_per_mwh"), ("transmission_line_lifetime.csv", "lifetime_years")]:
    grid(f, [("from_zone", ZONES), ("to_zone", ZONES)], c)
corr = None
for f, c, lo, hi in [("transline.csv", "existing_capacity_mw", 0, 1e5), ("distance.csv", "distance_km", 1, 5000),
                     ("transline_efficiency.csv", "efficiency_fraction", 0.5, 1), ("transline_limit.csv", "max_new_capacity_mw", 0, 1e5)]:
    _, rs = rows(f)
    s = {(r["from_zone"], r["to_zone"]): num(f, r, c, lo, hi) for r in rs}
    for (a, b), v in s.items():
        if a not in ZONES or b not in ZONES or a == b: errs.append(f"{f}: bad pair {a} {b}")
        if s.get((b, a)) != v: errs.append(f"{f}: asymmetric {a} {b}")
    if corr is None: corr = set(s)
    elif set(s) != corr: errs.append(f"{f}: corridor set differs from transline.csv")
# demand energy check
_, ann = rows("facts/annual_demand_twh.csv")
tot = {}
for r in d:
    tot[(r["zone"], r["year"])] = tot.get((r["zone"], r["year"]), 0) + float(r["demand_mw"])
for r in ann:
    e = tot[(r["zone"], r["year"])] * 8760 / 288 / 1e6
    if abs(e / float(r["demand_twh"]) - 1) > 1e-4: errs.append(f"demand energy {r['zone']} {r['year']}: {e} vs {r['demand_twh']}")
# hydro
h, hs = rows("hydro_static.csv")
ids = set()
for r in hs:
    ids.add(r["station_id"])
    if r["zone"] not in ZONES: errs.append(f"hydro_static: zone {r['zone']}")
    num("hydro_static", r, "installed_capacity_mw", 1, 1e5); num("hydro_static", r, "head_m", 1, 2000)
    if r["operation_mode"] not in {"0", "1", "2"}: errs.append("hydro_static: mode")
    if (int(r["commissioning_year"]) <= 2020) != (r["is_existing_2020"] == "1"): errs.append(f"hydro_static: existing flag {r['station_id']}")
_, hc = rows("hydro_connect.csv")
for r in hc:
    if r["upstream_station_id"] not in ids or r["downstream_station_id"] not in ids: errs.append(f"hydro_connect: unknown id {r}")
    num("hydro_connect", r, "travel_delay_h", 1, 1000)
for f, c in [("inflow.csv", "inflow_m3s"), ("storage_upbound.csv", "storage_max_1e8m3"), ("storage_downbound.csv", "storage_min_1e8m3")]:
    grid(f, [("station_id", ids), ("month", MH[0]), ("hour", MH[1])], c, 0, 1e6)
_, ex = rows("dams_extra.csv")
if {r["station_id"] for r in ex} != ids: errs.append("dams_extra: station set")
# sediment
_, rs = rows("river_sediment.csv")
nodes = {r["from_node"] for r in rs}
for r in rs:
    if r["to_node"] != "0" and r["to_node"] not in nodes: errs.append(f"river_sediment: to_node {r['to_node']} unknown")
    num("river_sediment", r, "deposition_fraction", 0, 1); num("river_sediment", r, "sediment_yield_mt_per_yr", 0, 1000)
if not ids <= nodes: errs.append("river_sediment: a station has no reach")
_, tr = rows("reservoir_sediment_trap.csv")
for r in tr:
    if r["station_id"] not in nodes: errs.append(f"trap: {r['station_id']} not a reach")
    num("trap", r, "trap_efficiency_fraction", 0, 1)
# provenance and sources
_, src = rows("sources.csv")
sids = {r["source_id"] for r in src}
_, pv = rows("provenance.csv")
for r in pv:
    if r["source_id"] not in sids: errs.append(f"provenance: unknown source {r['source_id']}")
_, nd = rows("ndc_targets.csv")
for r in nd:
    if r["source_id"] not in sids: errs.append(f"ndc_targets: unknown source {r['source_id']}")
for fn in os.listdir(os.path.join(ROOT, "facts")):
    _, fr = rows("facts/" + fn)
    for r in fr:
        for c in ("source_id", "source_price", "source_ef", "existing_source", "new_source"):
            if c in r and r[c] not in sids: errs.append(f"facts/{fn}: unknown source {r[c]}")
# manifest lists every table file
man = open(os.path.join(ROOT, "dataset.yaml"), encoding="utf-8").read()
for fn in os.listdir(ROOT):
    if fn.endswith(".csv") and f"{fn}" not in man: errs.append(f"dataset.yaml does not list {fn}")
if errs:
    print("\n".join(errs[:50])); print(f"{len(errs)} problem(s)"); sys.exit(1)
print("all checks passed")
