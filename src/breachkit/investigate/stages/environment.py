"""The environment stage: fluxes of each population, and the shower at the incident."""

from __future__ import annotations

import math
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import quantity, table


class EnvironmentStage(Stage):
    """Fluxes at the incident, active showers, each shower's reach of the damaged region.

    Reads the incident time through the attribution part's ``[incident]`` model, the orbit and
    environment choices through the risk part's ``[orbit]``/``[environment]`` models, the damaged
    region through ``[evidence] damaged_region``; calls `breachkit.environment` for the physics.
    """

    name = "environment"
    title = "Environment"
    part = "breachkit.environment"
    requires = ("incident", "orbit")

    def check(self, context: InvestigationContext) -> None:
        from breachkit._core.casefile import load_section
        from breachkit.attribution.config import EvidenceSection, IncidentSection
        from breachkit.risk.config import EnvironmentConfig, OrbitConfig

        load_section(context.case, "incident", IncidentSection)
        load_section(context.case, "orbit", OrbitConfig)
        load_section(context.case, "environment", EnvironmentConfig, required=False)
        load_section(context.case, "evidence", EvidenceSection, required=False)
        if context.case.has("vehicle"):
            from breachkit.risk.config import build_surface, load_risk_case

            build_surface(load_risk_case(context.case_dir))

    def run(self, context: InvestigationContext) -> Any:
        from breachkit._core.casefile import load_section
        from breachkit._core.timeutil import parse_utc
        from breachkit.attribution.config import EvidenceSection, IncidentSection
        from breachkit.investigate.environment_check import check_environment
        from breachkit.risk.config import EnvironmentConfig, OrbitConfig

        case = context.case
        inc = load_section(case, "incident", IncidentSection)
        orb = load_section(case, "orbit", OrbitConfig)
        envc = load_section(case, "environment", EnvironmentConfig, required=False)
        ev = load_section(case, "evidence", EvidenceSection, required=False)
        assert inc is not None and orb is not None
        envc = envc if envc is not None else EnvironmentConfig()
        altitude_m, inclination_rad = orb.circular()
        region = ev.damaged_region if ev is not None and ev.damaged_region else None
        result = check_environment(
            time_utc=parse_utc(inc.time_utc, field="[incident] time_utc"),
            altitude_m=altitude_m,
            inclination_rad=inclination_rad,
            populations=envc.populations,
            meteoroid_model=envc.meteoroid_model,
            f107_sfu=envc.f107_sfu,
            debris_density=envc.debris_density,
            psi_table=envc.psi_table,
            sporadic_model=envc.sporadic_model,
            case_dir=context.case_dir if (region and case.has("vehicle")) else None,
            damaged_region=region if case.has("vehicle") else None,
            orbit=orb.orbit(),
            position_known=orb.position_known,
        )
        if region and case.has("vehicle") and result.damaged_region is not None:
            from breachkit.investigate.stages._radiant import line_of_sight

            t = parse_utc(inc.time_utc, field="[incident] time_utc")
            for sh in result.showers:
                if sh.relative_lvlh_at_incident is not None:
                    sh.line_of_sight_at_incident = line_of_sight(
                        context.case_dir, result.damaged_region, sh, orb.orbit(), t
                    )
        return result

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = result.to_dict()
        src = (
            "breachkit.environment (build_environment, shower functions) at the incident time; "
            "case.toml [incident] time_utc, [orbit], [environment]"
        )
        sec = Section()
        sec.text.append(
            f"Incident time {d['time_utc']}; circular orbit {d['altitude_m'] / 1e3:.0f} km, "
            f"{d['inclination_deg']:.2f}°."
        )
        sizes = [f"≥ {x:g} mm" for x in d["flux_sizes_mm"]]
        sec.tables.append(
            table(
                "Flux on a randomly tumbling plate at the incident [m⁻² yr⁻¹]",
                ["population", *sizes, "mean speed [km/s]"],
                [
                    [
                        n,
                        *v,
                        (d["mean_speed_m_s"].get(n) or math.nan) / 1e3 if n != "total" else None,
                    ]
                    for n, v in d["flux_per_m2_per_year"].items()
                ],
                src,
                note="cumulative flux above each diameter; year = Julian year",
            )
        )
        for n, psrc in d["population_sources"].items():
            sec.assumptions.append(f"Population {n}: {psrc}")
        shw = d["showers"]
        check_src = (
            "breachkit.environment.showers (active_shower_codes, shower_zhr, radiant_j2000, "
            "radiant_track, shower_to_sporadic_ratio) with the damaged region's faces from "
            "breachkit.geometry (case.toml [vehicle], [docking], [attitude], [evidence] "
            "damaged_region); breachkit.investigate.environment_check"
        )
        if shw:
            sec.tables.append(
                table(
                    "Meteor showers within ±3.5 days of the incident",
                    [
                        "shower",
                        "ZHR at incident [h⁻¹]",
                        "ZHR max [h⁻¹]",
                        "peak (UTC)",
                        "radiant RA [°]",
                        "radiant Dec [°]",
                        "shower : sporadic flux ≥ 0.3 mm",
                        "radiant above the limb (fraction of orbit)",
                        "reach fraction of the damaged region",
                        "smallest angle radiant–face normal [°]",
                    ],
                    [
                        [
                            f"{x['name']} ({x['code']})",
                            x["zhr_at_incident"],
                            x["zhr_max"],
                            x["peak_utc"],
                            x["ra_deg"],
                            x["dec_deg"],
                            x["flux_ratio_by_size"].get("0.3 mm"),
                            x["visible_fraction"],
                            x["reach_fraction"],
                            x["min_angle_to_region_deg"],
                        ]
                        for x in shw
                    ],
                    check_src,
                    note=(
                        "reach fraction: mean over 72 orbit positions"
                        + (
                            " at the known node"
                            if any("orbit node known" in n for n in d["notes"])
                            else " × 12 node longitudes"
                        )
                        + " of (radiant above the Earth+100 km limb) × (area fraction of the "
                        "damaged region facing the apparent radiant); station shadowing not "
                        "included"
                    ),
                )
            )
            for x in shw:
                if x.get("azimuth_at_incident_deg") is not None:
                    facing = (
                        ""
                        if x.get("reach_at_incident") is None
                        else f"; {x['reach_at_incident']:.0%} of the damaged region's area faced "
                        "it (station shadowing not included)"
                    )
                    sec.text.append(
                        f"At the incident instant the {x['name']} radiant, as seen from the "
                        f"moving vehicle, stood at azimuth {x['azimuth_at_incident_deg']:.1f}° "
                        f"(from ram towards starboard) and elevation "
                        f"{x['elevation_at_incident_deg']:+.1f}° (towards zenith) in LVLH, "
                        + ("above" if x["above_limb_at_incident"] else "below")
                        + f" the Earth's limb{facing}."
                    )
                    if x.get("reach_at_incident") is not None:
                        sec.quantities[f"reach_now_{x['code']}"] = quantity(
                            x["reach_at_incident"],
                            "1",
                            check_src,
                            label=f"{x['name']}: area fraction of {d['damaged_region']} facing "
                            "the radiant at the incident instant",
                        )
                if x["reach_fraction"] is not None:
                    sec.quantities[f"reach_{x['code']}"] = quantity(
                        x["reach_fraction"],
                        "1",
                        check_src,
                        label=f"{x['name']}: reach fraction of {d['damaged_region']}",
                    )
                sec.quantities[f"flux_ratio_{x['code']}"] = quantity(
                    x["flux_ratio_by_size"].get("0.3 mm"),
                    "1",
                    check_src,
                    label=f"{x['name']}: flux ratio to sporadic above 0.3 mm at the incident",
                    note="Earth-frame cross-section fluxes, shower focusing included",
                )
            for x in shw:
                if x.get("line_of_sight_at_incident"):
                    _report_line_of_sight(sec, x["code"], x["line_of_sight_at_incident"])
        else:
            sec.text.append("No meteor shower was active within ±3.5 days of the incident.")
        if d["damaged_region"] is None and not any("damaged_region" in n for n in d["notes"]):
            sec.text.append(
                "No damaged region could be placed on a vehicle model (no [evidence] "
                "damaged_region or no [vehicle]): shower reach not evaluated."
            )
        sec.assumptions.extend(d["notes"])
        return sec


def _report_line_of_sight(sec: Section, code: str, los: dict[str, Any]) -> None:
    """The computed line of sight of the damaged region to the radiant, its attitude source,
    its variants and (when it contradicts the agencies) the warning."""
    from breachkit.investigate.stages._radiant import agency_statement_warning

    src = (
        "computed: breachkit.risk.radiant.radiant_line_of_sight (ray-traced station shadowing, "
        f"{los['samples_per_face']} rays per face, {los['n_faces']} faces, {los['backend']}) "
        "towards the apparent radiant of breachkit.environment.showers.radiant_track at the "
        f"incident; attitude {los['attitude']} ({los['attitude_source']}); port "
        f"{los['port']} ({los['port_source']})"
    )
    key = "radiator" if "radiator" in los["region"] else "region"
    sec.quantities[f"{key}_fraction_facing_radiant_shadowed_{code}"] = quantity(
        los["fraction_clear_shadowed"],
        "1",
        src,
        label=f"{los['shower']}: area fraction of {los['region']} with an unobstructed line of "
        "sight to the apparent radiant at the incident (station shadowing included)",
        note="0 when the radiant is below the Earth+100 km limb",
    )
    sec.quantities[f"{key}_fraction_facing_radiant_unshadowed_{code}"] = quantity(
        los["fraction_facing_unshadowed"],
        "1",
        src,
        label=f"{los['shower']}: area fraction of {los['region']} facing the radiant at the "
        "incident, no shadowing",
    )
    rows = [["the case's attitude: " + los["attitude"], los["fraction_clear_shadowed"]]]
    rows += [[v["attitude"], v["fraction_clear"]] for v in los["by_attitude"]]
    sec.tables.append(
        table(
            f"{los['shower']}: line of sight of {los['region']} to the radiant at the incident, "
            "by station attitude",
            ["attitude", "area fraction with line of sight (shadowed)"],
            rows,
            src,
            note="variants use 4 rays per face; the case's attitude 16",
        )
    )
    if los["orbit_sweep"]:
        sec.plots.append(
            {
                "title": f"{los['shower']}: line of sight of {los['region']} along the orbit",
                "kind": "line",
                "x": [p["minutes"] for p in los["orbit_sweep"]],
                "series": [
                    {"label": "area fraction with line of sight (shadowed)",
                     "y": [p["fraction_clear"] for p in los["orbit_sweep"]]}
                ],
                "xlabel": "minutes from the incident",
                "ylabel": "area fraction",
                "source": src,
            }
        )  # fmt: skip
    w = agency_statement_warning(los)
    if w is not None:
        sec.text.append("WARNING: " + w["text"])
        sec.extra.setdefault("warnings", []).append(w)
    else:
        sec.text.append(
            f"{los['shower']}: no line of sight from {los['region']} to the radiant at the "
            "incident (computed, station shadowing included): consistent with the agencies' "
            "'wrong direction' statement."
        )
