"""Wiring tests of the investigation pipeline (ModelChain-style: the right stage gets the right
inputs; the numbers come from fake parts and are never checked as physics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachkit._core.errors import InputError
from breachkit.investigate import (
    InvestigationContext,
    Section,
    Stage,
    investigate,
    quantity,
    run_stages,
)
from breachkit.investigate.provenance import collect_sources, is_quantity, iter_quantities
from breachkit.investigate.stages import AttributionStage, TelemetryStage

from .conftest import FakeResult


class WiredTelemetry(TelemetryStage):
    """The real telemetry stage with the pre-flight check off (the fake part has no config)."""

    def check(self, context: InvestigationContext) -> None:
        pass


class WiredAttribution(AttributionStage):
    """The real attribution stage with the pre-flight check off (the fake part has no loader)."""

    def check(self, context: InvestigationContext) -> None:
        pass


class RecordingStage(Stage):
    """Records what it saw of the earlier stages."""

    part = ""

    def __init__(self, name: str, requires: tuple[str, ...] = (), value: float = 1.0) -> None:
        self.name = name  # type: ignore[misc]
        self.title = name.title()  # type: ignore[misc]
        self.requires = requires  # type: ignore[misc]
        self.value = value
        self.seen: dict[str, Any] = {}

    def run(self, context: InvestigationContext) -> Any:
        self.seen = {k: context.result_of(k) for k in ("a", "b", "c")}
        return FakeResult({"x": self.value})

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        return Section(quantities={"x": quantity(result.to_dict()["x"], "1", f"fake {self.name}")})


def test_stages_run_in_order_and_see_earlier_results(minimal_case: Path) -> None:
    a, b, c = RecordingStage("a", value=1), RecordingStage("b", value=2), RecordingStage("c")
    _, outcomes = run_stages(minimal_case, [a, b, c])
    assert [o.name for o in outcomes] == ["a", "b", "c"]
    assert a.seen == {"a": None, "b": None, "c": None}
    assert b.seen["a"].to_dict() == {"x": 1}
    assert c.seen["b"].to_dict() == {"x": 2}
    assert all(o.status == "done" for o in outcomes)


def test_a_stage_whose_section_is_absent_is_not_in_this_case(minimal_case: Path) -> None:
    a = RecordingStage("a", requires=("telemetry",))
    b = RecordingStage("b")
    _, outcomes = run_stages(minimal_case, [a, b])
    assert outcomes[0].status == "not_in_case"
    assert "[telemetry]" in outcomes[0].reason
    assert outcomes[0].result is None and outcomes[0].section.quantities == {}
    assert a.seen == {}  # never ran
    assert b.seen["a"] is None  # the later stage sees no result, not a made-up one


def test_a_missing_part_is_reported_unavailable(minimal_case: Path) -> None:
    class Missing(RecordingStage):
        part = "breachkit.no_such_part_here"

    _, outcomes = run_stages(minimal_case, [Missing("a")])
    assert outcomes[0].status == "unavailable"
    assert "breachkit.no_such_part_here" in outcomes[0].reason


def test_duplicate_stage_names_are_rejected(minimal_case: Path) -> None:
    with pytest.raises(ValueError, match="unique"):
        run_stages(minimal_case, [RecordingStage("a"), RecordingStage("a")])


def test_input_error_of_a_stage_stops_the_investigation(minimal_case: Path) -> None:
    class Bad(RecordingStage):
        def run(self, context: InvestigationContext) -> Any:
            raise InputError("case.toml: [evidence] hole_diameter_mm: must be > 0 (got -1)")

    after = RecordingStage("c")
    with pytest.raises(InputError, match="hole_diameter_mm"):
        run_stages(minimal_case, [Bad("a"), after])
    assert after.seen == {}


def test_missing_case_is_one_line_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="case file not found"):
        investigate(tmp_path / "nope")


def test_attribution_takes_the_telemetry_bayes_factor(minimal_case: Path, fake_part: Any) -> None:
    calls: list[dict[str, Any]] = []

    def analyze_case(case_dir: Path) -> FakeResult:
        # the telemetry part's contract: growing_bayes_factor = BF(growing : sudden)
        return FakeResult(
            {"leak": True, "growing_bayes_factor": 4.0, "signature": "sudden", "onset_utc": None}
        )

    def case_verdict(case_dir: Path, **kwargs: Any) -> FakeResult:
        calls.append({"case_dir": case_dir, **kwargs})
        return FakeResult(
            {
                "posterior_impact": 0.9,
                "posterior_defect": 0.1,
                "verdict": "impact more likely",
                "evidence": [{"name": "telemetry", "likelihood_ratio": 7.5, "sentence": "s"}],
            }
        )

    fake_part("breachkit.telemetry", analyze_case=analyze_case)
    fake_part("breachkit.attribution", case_verdict=case_verdict)
    (minimal_case / "case.toml").write_text(
        (minimal_case / "case.toml").read_text()
        + "\n[telemetry]\nfiles = []\n[evidence]\n[attribution]\n"
    )
    result = investigate(minimal_case, stages=[WiredTelemetry(), WiredAttribution()])
    assert len(calls) == 1
    assert calls[0]["case_dir"] == minimal_case.resolve()
    # attribution takes BF(sudden : growing) = 1 / BF(growing : sudden)
    assert calls[0]["telemetry_bayes_factor"] == pytest.approx(0.25)
    assert result.posterior_impact == 0.9
    assert result.posterior_defect == pytest.approx(0.1)
    assert result.verdict == "impact more likely"
    assert result.verdict_sentence is not None and "P(impact) = 0.9" in result.verdict_sentence
    assert result.evidence[0]["likelihood_ratio"] == 7.5


def test_attribution_without_telemetry_gets_no_bayes_factor(
    minimal_case: Path, fake_part: Any
) -> None:
    calls: list[dict[str, Any]] = []

    def case_verdict(case_dir: Path, **kwargs: Any) -> FakeResult:
        calls.append(kwargs)
        return FakeResult({"posterior_impact": 0.5, "posterior_defect": 0.5, "evidence": []})

    fake_part("breachkit.attribution", case_verdict=case_verdict)
    (minimal_case / "case.toml").write_text(
        (minimal_case / "case.toml").read_text() + "\n[evidence]\n[attribution]\n"
    )
    result = investigate(minimal_case, stages=[WiredTelemetry(), WiredAttribution()])
    assert result.outcome("telemetry").status == "not_in_case"  # type: ignore[union-attr]
    assert "telemetry_bayes_factor" not in calls[0]


def test_every_reported_number_has_a_source(minimal_case: Path) -> None:
    result = investigate(minimal_case, stages=[RecordingStage("a"), RecordingStage("b")])
    d = result.to_dict()
    qs = list(iter_quantities(d))
    assert qs, "the fake stages reported quantities"
    assert all(is_quantity(q) and q["source"] for _, q in qs)
    assert collect_sources(d) == ["fake a", "fake b"]


def test_quantity_needs_a_source() -> None:
    with pytest.raises(ValueError, match="source"):
        quantity(1.0, "m", "")


def test_result_renders_in_jupyter_and_terminal(minimal_case: Path) -> None:
    from rich.console import Console

    result = investigate(minimal_case, stages=[RecordingStage("a")])
    html_text = result._repr_html_()
    assert "<table>" in html_text and "mini-case" in html_text
    console = Console(record=True, width=120)
    console.print(result)
    assert "Investigation: mini-case" in console.export_text()


def test_results_dict_has_the_required_keys(minimal_case: Path) -> None:
    d = investigate(minimal_case, stages=[RecordingStage("a")]).to_dict()
    for key in (
        "verdict",
        "posterior_impact",
        "posterior_defect",
        "evidence",
        "cluster_p_value",
        "production_change_probability",
        "sections",
    ):
        assert key in d
    # No attribution ran: the verdict is absent, not invented.
    assert d["verdict"] is None and d["posterior_impact"] is None and d["evidence"] == []


def test_telemetry_without_a_leak_gives_no_bayes_factor(minimal_case: Path, fake_part: Any) -> None:
    calls: list[dict[str, Any]] = []

    def analyze_case(case_dir: Path) -> FakeResult:
        return FakeResult({"leak": False, "bayes_factor": 0.01, "growing_bayes_factor": None})

    def case_verdict(case_dir: Path, **kwargs: Any) -> FakeResult:
        calls.append(kwargs)
        return FakeResult({"posterior_impact": 0.5, "posterior_defect": 0.5, "evidence": []})

    fake_part("breachkit.telemetry", analyze_case=analyze_case)
    fake_part("breachkit.attribution", case_verdict=case_verdict)
    (minimal_case / "case.toml").write_text(
        (minimal_case / "case.toml").read_text()
        + "\n[telemetry]\nfiles = []\n[evidence]\n[attribution]\n"
    )
    investigate(minimal_case, stages=[WiredTelemetry(), WiredAttribution()])
    # BF(leak : no leak) is a different question: it must not be passed as sudden : growing
    assert "telemetry_bayes_factor" not in calls[0]


def test_preflight_check_runs_before_any_stage(minimal_case: Path) -> None:
    ran: list[str] = []

    class First(RecordingStage):
        def run(self, context: InvestigationContext) -> Any:
            ran.append(self.name)
            return super().run(context)

    class BadSection(RecordingStage):
        def check(self, context: InvestigationContext) -> None:
            raise InputError("case.toml: [x] y: bad")

    with pytest.raises(InputError, match=r"\[x\] y"):
        run_stages(minimal_case, [First("a"), BadSection("b")])
    assert ran == []  # nothing ran: bad input is found first


def test_skipped_stages_are_not_checked(minimal_case: Path) -> None:
    class BadButAbsent(RecordingStage):
        def check(self, context: InvestigationContext) -> None:
            raise InputError("should not be called")

    _, outcomes = run_stages(minimal_case, [BadButAbsent("a", requires=("nope",))])
    assert outcomes[0].status == "not_in_case"
