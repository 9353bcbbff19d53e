"""Probabilistic BLEs: the estimator on data it did not make, the cross-validation's fold hygiene,
the shipped scatter, and the risk engine's scatter integral against its closed form."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from scipy.special import ndtr

from breachkit._core.errors import InputError
from breachkit.damage import get_shield
from breachkit.damage.crossval import choose_threshold, design, leave_one_source_out, metrics
from breachkit.damage.hvi import ShotSet, shot_sets
from breachkit.damage.probabilistic import ProbitBLE, regime_index
from breachkit.damage.scatter import get_scatter, list_scatters, scatter_for
from breachkit.damage.scoring import main
from breachkit.damage.scoring_prob import fit_all, params_toml
from breachkit.environment.directional import DirectionGrid, Environment, Population
from breachkit.risk.engine import ExposureWindow, FaceSet, compute_risk
from breachkit.risk.shield import scattered_size_fraction

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "hvi"


def _simulate(rng, n_src=30, per=60, sigma=0.3, tau_ln=0.1, bias=0.15):
    """Independent latent-threshold simulator: a shot fails when ln d exceeds ln d_c + bias +
    (programme shift) + σ·ε. In probit units slope = 1/σ, τ = tau_ln/σ."""
    x = rng.uniform(-1.0, 1.0, (n_src, per))
    shift = rng.normal(0.0, tau_ln, n_src)[:, None]
    y = x > bias + shift + sigma * rng.standard_normal((n_src, per))
    src = np.repeat(np.arange(n_src), per)
    X = np.column_stack([x.ravel(), np.full(x.size, 5.0), np.zeros(x.size)])
    return X, y.ravel(), src


def test_recovers_slope_bias_and_programme_spread_of_a_blind_simulation():
    rng = np.random.default_rng(7)
    errs = []
    for _ in range(3):
        sigma, tau_ln, bias = rng.uniform(0.15, 0.5), rng.uniform(0.05, 0.2), rng.uniform(-0.2, 0.2)
        X, y, src = _simulate(rng, sigma=sigma, tau_ln=tau_ln, bias=bias)
        m = ProbitBLE(regimes=False).fit(X, y, groups=src)
        assert m is not None and m.converged_
        mu, sig_new = m.log_margin(5.0, 0.0)
        # 1,800 shots: slope to ~10 %, the bias in ln d to ~0.05 (5 % in diameter)
        errs.append(abs(m.slope_ * sigma - 1.0))
        assert abs(float(mu) - bias) < 0.06
        assert sig_new == pytest.approx(np.hypot(sigma, tau_ln), rel=0.25)
    assert max(errs) < 0.2


def test_estimator_contract():
    rng = np.random.default_rng(1)
    X, y, src = _simulate(rng, n_src=5, per=40)
    m = ProbitBLE()
    with pytest.raises(InputError, match="fit"):
        m.predict_proba(X)
    assert m.fit(X, y, groups=src) is m
    fitted = [k for k in vars(m) if k.endswith("_")]
    assert {"slope_", "intercept_", "tau_", "regime_offsets_"} <= set(fitted)
    p = m.predict_proba(X)
    assert p.shape == (len(y), 2) and np.allclose(p.sum(axis=1), 1.0)
    with pytest.raises(InputError, match="one outcome"):
        ProbitBLE().fit(X, np.ones(len(y)), groups=src)
    with pytest.raises(InputError, match=r"\(n, 3\)"):
        ProbitBLE().fit(X[:, :2], y)


def test_regimes_follow_the_normal_speed():
    assert regime_index([2.0, 3.0, 3.1, 6.9, 7.0, 20.0]).tolist() == [0, 0, 1, 1, 2, 2]


def test_threshold_respects_the_unsafe_constraint():
    rng = np.random.default_rng(3)
    for _ in range(20):
        p = rng.uniform(size=200)
        y = rng.uniform(size=200) < p
        cap = rng.uniform(0.0, 0.3)
        t = choose_threshold(p, y, cap)
        assert ((p < t) & y).sum() / y.sum() <= cap + 1e-12


def _synthetic_set(rng) -> ShotSet:
    X, y, src = _simulate(rng, n_src=6, per=50)
    dc = np.full(len(y), 1e-3)
    return ShotSet(
        "test", "test", "test", dc * np.exp(X[:, 0]), dc, np.full(len(y), 5e3),
        np.zeros(len(y)), y, src.astype(str),
    )  # fmt: skip


def test_held_out_programme_never_sets_its_own_threshold():
    """Flipping every outcome of one programme changes neither its threshold nor its P(fail)."""
    s = _synthetic_set(np.random.default_rng(11))
    r1 = leave_one_source_out(s)
    flipped = s.failed.copy()
    flipped[s.source == "2"] = ~flipped[s.source == "2"]
    s2 = ShotSet(s.ble, s.rows, s.key, s.diameter_m, s.critical_m, s.speed_m_s, s.angle_rad,
                 flipped, s.source)  # fmt: skip
    r2 = leave_one_source_out(s2)
    assert r1.thresholds["2"] == r2.thresholds["2"]
    held = s.source == "2"
    assert np.array_equal(r1.p_prob[held], r2.p_prob[held])


def test_metrics_and_bootstrap():
    y = np.array([1, 1, 0, 0], bool)
    pred = np.array([0, 1, 0, 1], bool)
    m = metrics(pred.astype(float), pred, y)
    assert m["log_loss"] == np.inf and m["brier"] == 0.5 and m["accuracy"] == 0.5
    assert m["unsafe_of_failed"] == 0.5 and m["unsafe_of_all"] == 0.25
    r = leave_one_source_out(_synthetic_set(np.random.default_rng(5)))
    b1 = r.bootstrap(np.random.default_rng(0), 500)
    b2 = r.bootstrap(np.random.default_rng(0), 500)
    assert b1 == b2
    sc = r.scores()
    d = sc["probabilistic"]["accuracy"] - sc["deterministic"]["accuracy"]
    assert b1["accuracy"][0] - 1e-9 <= d <= b1["accuracy"][1] + 1e-9


def test_scoring_cli_runs_on_the_fixture(tmp_path, capsys):
    assert main(["--data", str(FIX), "--out", str(tmp_path / "b.md"), "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "deterministic" in out and "probabilistic" in out
    text = (tmp_path / "b.md").read_text()
    assert "unsafe / perforated" in text and "Paired bootstrap" in text


def test_shipped_scatter():
    raw = tomllib.loads(
        resources.files("breachkit.data").joinpath("ble_scatter.toml").read_text("utf-8")
    )
    assert "whipple" in list_scatters() and "stuffed_whipple" not in raw
    w = get_scatter("whipple")
    e = raw["whipple"]
    assert w.sigma == pytest.approx(np.sqrt(1 + e["tau"] ** 2) / e["slope"])
    # the median failure diameter: P = 1/2 at d = d_c e^μ
    mu, _ = w.log_margin(5e3, 0.0)
    assert w.probability(1e-3 * np.exp(mu), 1e-3, 5e3, 0.0) == pytest.approx(0.5)
    assert w.evidence_class == "computed"
    t = scatter_for("radiator_panel")
    assert t.evidence_class == "judgement" and t.mu == (0.0, 0.0, 0.0) and t.sigma == w.sigma
    sh = get_shield("whipple_iss_generic")
    mu2, sig2, label = sh.perforation_scatter(np.array([2e3, 5e3, 9e3]), 0.0, 2800.0)
    assert np.allclose(mu2, w.mu) and sig2 == w.sigma and "whipple" in label
    with pytest.raises(InputError, match="unknown"):
        get_scatter("nope")


@pytest.mark.shared
def test_shipped_scatter_is_a_refit_of_the_shots(shared_dir):
    sets, _ = shot_sets(shared_dir / "data" / "hvi")
    models, _ = fit_all(sets)
    text = params_toml(models, {s.key: s.ble for s in sets if s.key})
    assert text == resources.files("breachkit.data").joinpath("ble_scatter.toml").read_text()


# ------------------------------------------------------------------ the risk engine's integral
_D = np.logspace(-6, 0, 61)


def _power_law(alpha: float) -> Population:
    grid = DirectionGrid.fibonacci(40)
    return Population(
        name="p", kind="debris", directions=grid, speed_m_s=np.array([4e3, 9e3]),
        flux=np.full((40, 2), 1e-6), reference_diameter_m=1e-4, diameter_grid_m=_D,
        cumulative_fraction=(_D / 1e-4) ** (-alpha), density_kg_m3=2800.0,
    )  # fmt: skip


class _Scattered:
    name = "test-scattered"
    source = "test"
    assumptions: list[str] = []  # noqa: RUF012
    failure_area_fraction = 1.0

    def __init__(self, dc: float, mu: float, sigma: float) -> None:
        self.dc, self.mu, self.sigma = dc, mu, sigma

    def critical_diameter(self, speed_m_s, angle_rad, projectile_density_kg_m3):
        return np.full(np.broadcast(speed_m_s, angle_rad).shape, self.dc)

    def perforation_scatter(self, speed_m_s, angle_rad, projectile_density_kg_m3):
        return np.full(np.broadcast(speed_m_s, angle_rad).shape, self.mu), self.sigma, "test"


def _plate() -> FaceSet:
    n = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, -1.0]])
    return FaceSet(n, np.ones(3), np.zeros(3, dtype=np.intp), ("r",))


def _failures(shield, pop, **kw) -> float:
    win = ExposureWindow("w", Environment((pop,)), 86400.0)
    res = compute_risk(_plate(), win, {"r": shield}, **kw)
    return float(res.windows[0].face_failures.sum())


@pytest.mark.parametrize(("alpha", "mu", "sigma"), [(2.5, 0.0, 0.35), (3.3, 0.18, 0.6)])
def test_power_law_closed_form(alpha, mu, sigma):
    """Power law S ∝ d^(−α): E[S(d_c e^(μ+σz))] = S(d_c) e^(−αμ) exp(α²σ²/2) (exact)."""
    pop = _power_law(alpha)
    step = _failures(_Scattered(1e-3, 0.0, 0.0), pop)
    scat = _failures(_Scattered(1e-3, mu, sigma), pop, ble_scatter=True)
    assert scat / step == pytest.approx(np.exp(-alpha * mu + 0.5 * alpha**2 * sigma**2), rel=1e-9)


def test_zero_scatter_is_the_step_and_the_option_is_off_by_default():
    pop = _power_law(2.5)
    step = _failures(_Scattered(1e-3, 0.3, 0.4), pop)
    assert step == pytest.approx(_failures(_Scattered(1e-3, 0.0, 0.0), pop), rel=1e-12)
    for tiny in (1e-3, 1e-6):
        lim = _failures(_Scattered(1e-3, 0.0, tiny), pop, ble_scatter=True)
        assert lim == pytest.approx(step, rel=10 * 2.5**2 * tiny**2 + 1e-12)


def test_quadrature_against_a_direct_integral_on_a_curved_size_table():
    """A non-power-law S: the Gauss–Hermite value equals ∫ −S'(d) Φ(...) dd done on a fine grid."""
    d = np.logspace(-6, 0, 4001)
    s = 1.0 / (1.0 + (d / 3e-4) ** 3.0) + 1e-9

    def size_fraction(x):
        return np.exp(np.interp(np.log(x), np.log(d), np.log(s)))

    dc, mu, sig = 4e-4, 0.1, 0.5
    g, clipped = scattered_size_fraction(size_fraction, np.array([dc]), 0.1, sig, (d[0], d[-1]))
    dens = -np.gradient(s, d)
    direct = np.trapezoid(dens * ndtr((np.log(d / dc) - mu) / sig), d)
    assert not clipped and float(g[0]) == pytest.approx(direct, rel=2e-3)


def test_shield_without_scatter_keeps_the_step_with_a_note():
    from breachkit.damage import ConstantShield

    pop = _power_law(2.5)
    win = ExposureWindow("w", Environment((pop,)), 86400.0)
    sh = ConstantShield("c", 1e-3)
    a = compute_risk(_plate(), win, {"r": sh})
    b = compute_risk(_plate(), win, {"r": sh}, ble_scatter=True)
    assert b.windows[0].face_failures.sum() == a.windows[0].face_failures.sum()
    assert any("no BLE scatter" in n for n in b.validity_notes)


def test_design_columns():
    s = _synthetic_set(np.random.default_rng(2))
    X = design(s)
    assert X.shape == (len(s.failed), 3) and np.allclose(X[:, 1], 5.0)
