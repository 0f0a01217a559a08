"""The EMA Workbench connector (``game.research.ema``) and its worked examples: a level becomes a
Model with the uncertainties, levers and outcomes asked for; experiments repeat exactly for a
seed, whichever evaluator plays them; what is unknown is refused, naming it, before anything
runs; each level uncertainty really changes the level; and the PRIM and Morris examples run,
at a small size."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import math
import sys

import numpy as np
import pytest
from conftest import REPO_ROOT

pytest.importorskip("ema_workbench")
pytest.importorskip("SALib")

from game.research import ema
from game.scenario import find_level, load_level
from game.scenario.assumptions import BOUNDS, AssumptionError, Bound
from game.spec import Embargo, EmbargoLift, ExportQuota
from game.vocab.quarters import Quarter

SCALARS = [name for name in ema.OUTCOMES if name not in ema.SERIES_OUTCOMES]


def _example(name: str):
    """An example script, imported as a module (examples/ is not a package)."""
    if name not in sys.modules:  # registered first: its dataclasses look their module up
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "examples" / f"{name}.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


@pytest.fixture(scope="module")
def model():
    return ema.build_model("2010-trawler")


@pytest.fixture(scope="module")
def results(model):
    """4 futures x 2 strategies, sampled from seed 3."""
    return ema.run_experiments(model, 4, policies=["passive", "history"], seed=3)


def _lifts(scenario):
    return [e for e in scenario.events if isinstance(e.effect, EmbargoLift) and e.effect.exporter == "CHN"
            and e.effect.partner == "JPN"]


@pytest.mark.parametrize("version", ["4.0.0", "1.9", "dev"])
def test_a_workbench_the_connector_does_not_speak_is_refused_in_one_line_naming_the_versions(monkeypatch, version):
    import ema_workbench

    monkeypatch.setattr(ema_workbench, "__version__", version)
    spec = importlib.util.find_spec("game.research.ema")
    fresh = importlib.util.module_from_spec(spec)
    with pytest.raises(ImportError) as refused:
        spec.loader.exec_module(fresh)
    message = str(refused.value)
    assert "\n" not in message and f"{version} is installed" in message and "'ema_workbench>=2.5,<4'" in message


def test_sampled_points_are_the_same_draws_on_every_workbench():
    # The connector draws its own Latin hypercube, so the workbench's 2.x and 3.x sample the same
    # experiments. These values are what it drew through EMA 2.5.3's sampler before 3.0 was
    # supported, from the same generator: a seed's experiments did not change.
    model = ema.build_model("2010-trawler", uncertainties=["fear_buffer_multiple", "halt_extension_quarters"],
                            levers=["strategy", "action_scale"])
    rng = np.random.default_rng(7)
    futures = ema._latin_hypercube(list(model.uncertainties), 4, rng)
    policies = ema._latin_hypercube(list(model.levers), 3, rng)
    assert [(p["fear_buffer_multiple"].hex(), p["halt_extension_quarters"].hex()) for p in futures] == [
        (5.551371380490387.hex(), 0.6382677614892289.hex()), (8.450414379981183.hex(), 1.248168392970029.hex()),
        (6.60033256982245.hex(), 1.6674593455273254.hex()), (11.747106890792523.hex(), (-0.31060473323792903).hex())]
    assert [(p["strategy"], p["action_scale"].hex()) for p in policies] == [
        ("history", 1.2516231958847084.hex()), ("2010-trawler-rebuild", 0.6483587686275488.hex()),
        ("bot", 1.0015160863193178.hex())]


# --------------------------------------------------------------------------- the model


def test_default_model_samples_the_default_assumptions_and_the_level_uncertainties_that_apply(model, trawler):
    names = [u.name for u in model.uncertainties]
    assert names == [*ema.DEFAULT_ASSUMPTIONS, "halt_extension_quarters", "export_quota_scale",
                     "recycling_cost_scale"]  # no deep-sea project in 2010-trawler
    for parameter in model.uncertainties:
        if parameter.name in ema.DEFAULT_ASSUMPTIONS:
            value = getattr(trawler.assumptions, parameter.name)
            bound = BOUNDS.get(parameter.name, Bound())
            assert bound.low <= parameter.lower_bound <= value <= parameter.upper_bound <= bound.high
            assert parameter.lower_bound < parameter.upper_bound


def test_default_model_offers_every_strategy_of_the_level_and_every_outcome(model):
    (strategy,) = model.levers
    assert [c.value for c in strategy.categories] == ["passive", "history", "bot", "2010-trawler-rebuild"]
    assert [o.name for o in model.outcomes] == list(ema.OUTCOMES)


def test_whole_number_assumptions_become_integer_parameters_within_their_bounds():
    chosen = ema.build_model("2010-trawler", ["loss_quarters_to_mothball", "negotiation_rounds"], levers=())
    for parameter in chosen.uncertainties:
        assert type(parameter).__name__ == "IntegerParameter"
        assert BOUNDS[parameter.name].low <= parameter.lower_bound < parameter.upper_bound


def test_a_seed_range_makes_the_seed_an_uncertainty():
    seeded = ema.build_model("2010-trawler", ["embargo_fright"], levers=(), seed=range(5))
    assert [u.name for u in seeded.uncertainties] == ["embargo_fright", "seed"]
    experiments, _ = ema.run_experiments(seeded, 3, seed=1)
    assert set(experiments["seed"]) <= set(range(5))


def test_a_seed_range_the_workbench_would_round_is_refused_when_the_model_is_built():
    """Sampled as floats, seeds from 2^60 all became 2^60, and a range near 2^63 - 1 drew 2^63,
    refused halfway through the experiments."""
    top = ema.build_model("2010-trawler", ["embargo_fright"], levers=(), seed=range(2 ** 53 - 9, 2 ** 53 + 1))
    assert top.uncertainties["seed"].upper_bound == 2 ** 53
    for seeds in (range(2 ** 60, 2 ** 60 + 10), range(2 ** 63 - 10, 2 ** 63)):
        with pytest.raises(ValueError, match=r"seed: a range's seeds must be at most 2\^53"):
            ema.build_model("2010-trawler", ["embargo_fright"], levers=(), seed=seeds)


# --------------------------------------------------------------------------- experiments


def test_experiments_give_every_outcome_a_finite_value_of_the_right_shape(results, trawler):
    experiments, outcomes = results
    assert len(experiments) == 8
    assert sorted(set(experiments["strategy"])) == ["history", "passive"]
    for name in SCALARS:
        assert outcomes[name].shape == (8,), name
        assert np.all(np.isfinite(outcomes[name])), name
    assert outcomes["output_index"].shape == (8, trawler.n_turns)
    assert np.all(np.isfinite(outcomes["output_index"]))
    assert np.array_equal(outcomes["min_output_index"], outcomes["output_index"].min(axis=1))
    assert set(outcomes["stars"]) <= {0, 1, 2, 3}


def test_the_same_seed_repeats_the_experiments_and_their_outcomes_exactly(model, results):
    experiments, outcomes = results
    again, again_outcomes = ema.run_experiments(model, 4, policies=["passive", "history"], seed=3)
    assert experiments.equals(again)
    for name in outcomes:
        assert np.array_equal(outcomes[name], again_outcomes[name]), name
    other, _ = ema.run_experiments(model, 4, policies=["passive"], seed=4)
    assert not np.array_equal(other["embargo_fright"].to_numpy(), experiments["embargo_fright"].to_numpy()[:4])


def test_worker_processes_give_the_same_results_as_one_process():
    small = ema.build_model("2010-trawler", ["embargo_fright", "halt_extension_quarters"], levers=())
    experiments, outcomes = ema.run_experiments(small, 3, seed=5)
    parallel, parallel_outcomes = ema.run_experiments(small, 3, seed=5, n_processes=2)
    assert experiments.equals(parallel)
    for name in outcomes:
        assert np.array_equal(outcomes[name], parallel_outcomes[name]), name


def test_sampled_policies_draw_strategies_and_action_scales_from_the_levers():
    with_scale = ema.build_model("2010-trawler", ["embargo_fright"], levers=["strategy", "action_scale"])
    experiments, outcomes = ema.run_experiments(with_scale, 1, policies=2, seed=2)
    assert len(experiments) == 2 and set(experiments["policy"]) == {0, 1}
    assert set(experiments["strategy"]) <= set(ema.strategies_for(load_level(find_level("2010-trawler"))))
    assert all(ema.ACTION_SCALE_RANGE[0] <= x <= ema.ACTION_SCALE_RANGE[1] for x in experiments["action_scale"])
    assert np.all(np.isfinite(outcomes["score"]))


# --------------------------------------------------------------------------- refusals, before anything runs


@pytest.fixture
def nothing_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a level was played")

    monkeypatch.setattr(ema, "run", refuse)


def test_an_unknown_assumption_is_refused_naming_it(nothing_runs):
    with pytest.raises(AssumptionError) as refused:
        ema.build_model("2010-trawler", ["embargo_fright", "not_an_assumption"])
    assert refused.value.key == "assumptions.not_an_assumption"
    with pytest.raises(AssumptionError) as refused:
        ema.LevelExperiment(load_level(find_level("2010-trawler")))(embargo_frite=0.5)
    assert refused.value.key == "assumptions.embargo_frite"


def test_a_list_assumption_or_a_range_out_of_bounds_is_refused_naming_it(nothing_runs):
    with pytest.raises(AssumptionError) as refused:
        ema.build_model("2010-trawler", ["need_bid_steps"])
    assert refused.value.key == "assumptions.need_bid_steps"
    with pytest.raises(AssumptionError) as refused:
        ema.build_model("2010-trawler", {"embargo_fright": (0.5, 1.5)})  # a share: at most 1
    assert refused.value.key == "assumptions.embargo_fright"


def test_unknown_levers_outcomes_and_strategies_are_refused(nothing_runs):
    with pytest.raises(ValueError, match="tax_rate"):
        ema.build_model("2010-trawler", levers=["tax_rate"])
    with pytest.raises(ValueError, match="max_price"):
        ema.build_model("2010-trawler", outcomes=["max_price"])
    with pytest.raises(ValueError, match="no-such-strategy"):
        ema.build_model("2010-trawler", levers={"strategy": ["history", "no-such-strategy"]})
    two = ema.build_model("2010-trawler", ["embargo_fright"], levers={"strategy": ["passive", "history"]})
    with pytest.raises(ValueError, match="'bot'"):
        ema.run_experiments(two, 2, policies=["history", "bot"])
    # NumPy's "negative dimensions are not allowed" and "'float' object is not iterable" named nothing.
    with pytest.raises(ValueError, match=r"^policies: expected how many to sample, 0 or more, got -1"):
        ema.run_experiments(two, 2, policies=-1)
    for policies in (2.5, True, b"history", object()):
        with pytest.raises(TypeError, match=r"^policies: expected None, how many to sample"):
            ema.run_experiments(two, 2, policies=policies)
    for policies in ([3], [None], range(2), [1.5], np.array([1, 2]), [b"passive"], [["passive"]]):
        with pytest.raises(TypeError, match=r"^policies: each is a strategy's name"):
            ema.run_experiments(two, 2, policies=policies)


def test_what_the_experiments_would_refuse_is_refused_by_build_model(nothing_runs):
    """Each passed build_model and failed only mid-experiments, with the workbench's tracebacks
    (its EMAError is no Exception); a seed of 5.0 or np.int64(5) silently played seed 0."""
    for uncertainties, named in (({"halt_extension_quarters": (0, 1000)}, "halt_extension_quarters"),
                                 ({"export_quota_scale": (-2, -1)}, "export_quota_scale"),
                                 ({"deep_sea_delay_quarters": (0, 10**9)}, "deep_sea_delay_quarters")):
        with pytest.raises(ValueError, match=f"^{named}: expected a number"):
            ema.build_model("2010-trawler", uncertainties)
    for seed in (-1, 5.0, range(-3, 4), range(2**63 - 1, 2**63 + 1)):
        with pytest.raises(ValueError, match="^seed must be a whole number"):
            ema.build_model("2010-trawler", ["embargo_fright"], seed=seed)
    assert ema.build_model("2010-trawler", ["embargo_fright"], seed=np.int64(5)).function.seed == 5
    with pytest.raises(ValueError, match="^outcomes: name at least one"):
        ema.build_model("2010-trawler", outcomes=[])
    two = ema.build_model("2010-trawler", ["embargo_fright"], levers={"strategy": ["passive", "history"]})
    with pytest.raises(ValueError, match="'nosuch' is not one of the model's lever"):
        ema.run_experiments(two, 2, policies=[{"strategy": "nosuch"}])
    scaled = ema.build_model("2010-trawler", ["embargo_fright"], levers=["strategy", "action_scale"])
    for policy, says in (({"stratgy": "history"}, "'stratgy' is not one of the model's levers"),
                         ({"strategy": "history", "action_scale": float("nan")}, "outside the lever's range"),
                         ({"strategy": "history", "action_scale": -3}, "outside the lever's range")):
        with pytest.raises(ValueError, match=says):
            ema.run_experiments(scaled, 2, policies=[policy])
    for uncertainties, says in (({"deep_sea_delay_quarters": (0.5, 3)}, "whole numbers of quarters"),
                                ({"recycling_cost_scale": (True, 2)}, "two numbers"),
                                ({"halt_extension_quarters": (0, 3, 5)}, "two numbers")):
        with pytest.raises(ValueError, match=says):
            ema.build_model("2010-trawler", uncertainties)
    with pytest.raises(ValueError, match="^seed must be a whole number"):
        ema.build_model("2010-trawler", ["embargo_fright"], seed=range(0, 2**64))
    with pytest.raises(ValueError, match="read letter by letter"):
        ema.build_model("2010-trawler", outcomes="score")
    with pytest.raises(ValueError, match="read letter by letter"):
        ema.run_experiments(two, 2, policies="passive")
    from decimal import Decimal
    from fractions import Fraction

    for ends in (np.array([-0.5, 2.0]), (Fraction(-1, 2), 2), (Decimal("-0.5"), 2.0)):  # two numbers, however given
        ema.build_model("2010-trawler", {"halt_extension_quarters": ends})


# --------------------------------------------------------------------------- the level's own uncertainties


def test_halt_extension_moves_the_lift_of_chinas_embargo_on_japan_by_whole_quarters(trawler):
    (lift,) = _lifts(trawler)
    (later,) = _lifts(ema.extend_halt(trawler, 2))
    assert lift.quarter == Quarter(2010, 4) and later.quarter == Quarter(2011, 2)
    assert later.date == dt.date(2011, 5, 19)
    others = [e for e in trawler.events if e is not lift]
    assert [e for e in ema.extend_halt(trawler, 2).events if not isinstance(e.effect, EmbargoLift)] == others


def test_a_shorter_halt_never_ends_before_it_began(trawler):
    (embargo,) = [e for e in trawler.events if isinstance(e.effect, Embargo)]
    (lift,) = _lifts(ema.extend_halt(trawler, -3))
    assert lift.date == embargo.date + dt.timedelta(days=1)


def test_halt_extension_moves_the_end_an_embargo_carries_itself(trawler):
    (embargo,) = [e for e in trawler.events if isinstance(e.effect, Embargo)]
    own_end = dataclasses.replace(embargo, effect=dataclasses.replace(embargo.effect, until=dt.date(2010, 11, 19)))
    scenario = dataclasses.replace(trawler, events=tuple(own_end if e is embargo else e for e in trawler.events
                                                         if not isinstance(e.effect, EmbargoLift)))
    (moved,) = [e for e in ema.extend_halt(scenario, 1).events if isinstance(e.effect, Embargo)]
    assert moved.effect.until == dt.date(2011, 2, 19)


def test_quota_scale_scales_every_chinese_export_quota(trawler):
    halved = ema.scale_export_quota(trawler, 0.5)
    before = [e.effect.tonnes_per_year for e in trawler.events if isinstance(e.effect, ExportQuota)]
    after = [e.effect.tonnes_per_year for e in halved.events if isinstance(e.effect, ExportQuota)]
    assert len(before) == 4 and after == [t * 0.5 for t in before]
    (start,) = [p.quota_tpy for p in halved.world.policies if p.exporter == "CHN"]
    assert start == 50145 * 0.5


def test_recycling_cost_scale_scales_both_recycling_costs_and_is_recorded(trawler):
    dearer = ema.scale_recycling_cost(trawler, 2.0)
    assert dearer.assumptions.capex_recycler_usd_per_tpy == 2 * trawler.assumptions.capex_recycler_usd_per_tpy
    assert (dearer.assumptions.payback_capex_recycler_usd_per_tpy
            == 2 * trawler.assumptions.payback_capex_recycler_usd_per_tpy)
    assert dict(dearer.assumption_overrides)["capex_recycler_usd_per_tpy"] == 16000.0


def test_deep_sea_delay_lengthens_the_deep_sea_projects_and_nothing_else():
    deep_sea = load_level(find_level("2026-deep-sea"))
    delayed = ema.delay_deep_sea(deep_sea, 3)
    leads = {p.id: p.lead_quarters for p in deep_sea.world.projects}
    new_leads = {p.id: p.lead_quarters for p in delayed.world.projects}
    assert new_leads["minamitorishima-trial-line"] == leads["minamitorishima-trial-line"] + 3
    assert {k: v for k, v in new_leads.items() if k != "minamitorishima-trial-line"} == {
        k: v for k, v in leads.items() if k != "minamitorishima-trial-line"}
    assert "deep_sea_delay_quarters" in ema.level_uncertainties_for(deep_sea)


def test_deep_sea_delay_leaves_a_level_without_deep_sea_projects_as_it_is(trawler):
    assert ema.delay_deep_sea(trawler, 4) is trawler
    assert "deep_sea_delay_quarters" not in ema.level_uncertainties_for(trawler)


def test_shift_date_moves_whole_quarters_by_the_calendar():
    assert ema.shift_date(dt.date(2010, 11, 30), 1) == dt.date(2011, 2, 28)
    assert ema.shift_date(dt.date(2010, 12, 31), 1) == dt.date(2011, 3, 31)
    assert ema.shift_date(dt.date(2010, 11, 19), -1) == dt.date(2010, 8, 19)
    assert ema.shift_date(dt.date(2010, 11, 19), 0.5) == dt.date(2010, 11, 19) + dt.timedelta(days=46)


def test_action_scale_multiplies_the_sizes_of_a_scripted_strategy(trawler):
    doubled, strategy = ema.scale_actions(trawler, "2010-trawler-rebuild", 2.0)
    assert strategy == "history"
    first = dict(doubled.history[0].actions[0].params)
    assert first["tonnes"] == 1200 and first["material"] == "ndpr"
    assert ema.scale_actions(trawler, "passive", 2.0) == (trawler, "passive")
    assert ema.scale_actions(trawler, "history", 1.0) == (trawler, "history")


def test_a_longer_halt_costs_japan_output_and_bigger_quotas_spare_it(trawler):
    experiment = ema.LevelExperiment(trawler, ("min_output_index", "mean_output_index"))
    as_it_was = experiment()
    longer = experiment(halt_extension_quarters=1.0)
    assert longer["min_output_index"] < as_it_was["min_output_index"] - 0.1
    tight, loose = experiment(export_quota_scale=0.5), experiment(export_quota_scale=1.5)
    assert tight["mean_output_index"] < loose["mean_output_index"]


# --------------------------------------------------------------------------- the worked examples


def test_scenario_discovery_example_finds_boxes_at_a_small_size(tmp_path):
    discovery_example = _example("ema_scenario_discovery")
    found = discovery_example.discover("2010-trawler", scenarios=8, threshold=0.9, seed=0)
    assert len(found.experiments) == 8 and found.of_interest.shape == (8,)
    assert found.boxes  # this sample has cases of interest enough for one box at least
    for box in found.boxes:
        assert 0 < box.coverage <= 1 and 0 < box.density <= 1 and box.restrictions
        dimensions = set(ema.DEFAULT_ASSUMPTIONS) | set(ema.LEVEL_UNCERTAINTIES)
        assert {r.name for r in box.restrictions} <= dimensions
    assert discovery_example.discover("2010-trawler", scenarios=8, threshold=0.9, seed=0).boxes == found.boxes
    written = discovery_example.write_outputs(found, tmp_path / "out")
    assert [p.name for p in written][:1] == ["experiments.csv"] and all(p.stat().st_size > 0 for p in written)


def test_the_policy_comparison_example_takes_help_and_its_seeds(capsys, tmp_path):
    """``--help`` ran the whole 20-seed comparison; it now says what the script takes. A level
    without a history (or none at all) is one line, before any table."""
    compare = _example("compare_policies")
    level = tmp_path / "no-history.toml"
    level.write_text('id = "no-history"\nworld = "world-2010"\nstart = "2010Q3"\nend = "2011Q4"\n'
                     'title = { en = "x", ja = "x" }\nbriefing = { en = "x", ja = "x" }\n', encoding="utf-8")
    (tmp_path / "world-2010.toml").write_bytes((REPO_ROOT / "levels" / "world-2010.toml").read_bytes())
    for wrong in (str(level), "no-such-level"):
        assert compare.main(["--level", wrong, "--seeds", "1"]) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1, (out, err)
    with pytest.raises(SystemExit) as stop:
        compare.main(["--help"])
    assert stop.value.code == 0 and "--seeds" in capsys.readouterr().out
    assert compare.main(["--seeds", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2010-trawler, 1 seeds: final score (0-100)" and [line.split()[0] for line in lines[2:]] == [
        "random", "bot", "history"]


def test_scenario_discovery_example_writes_nothing_without_out(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _example("ema_scenario_discovery").main(["--scenarios", "4", "--strategies", "passive,history"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().out


def test_morris_example_screens_each_assumption_and_repeats_for_a_seed():
    morris_example = _example("morris_screening")
    names = ["embargo_fright", "fear_buffer_multiple", "loss_quarters_to_mothball"]
    effects = morris_example.screen("2010-trawler", names, trajectories=2, seed=1)
    assert sorted(e.name for e in effects) == sorted(names)
    assert all(math.isfinite(e.mu_star) and math.isfinite(e.sigma) and e.mu_star >= 0 for e in effects)
    assert [e.mu_star for e in effects] == sorted((e.mu_star for e in effects), reverse=True)
    assert morris_example.screen("2010-trawler", names, trajectories=2, seed=1) == effects


def test_morris_example_refuses_an_unknown_assumption_naming_it(nothing_runs):
    with pytest.raises(AssumptionError) as refused:
        _example("morris_screening").screen("2010-trawler", ["embargo_fright", "no_such_thing"], trajectories=2)
    assert refused.value.key == "assumptions.no_such_thing"


@pytest.mark.parametrize(("inputs", "says"), [
    ({"seed": 1.9}, "seed must be a whole number"),
    ({"seed": True}, "seed must be a whole number"),
    ({"seed": math.nan}, "seed must be a whole number"),
])
def test_an_experiments_seed_that_is_no_whole_number_is_refused(inputs, says):
    """A seed of 1.9 or True was played as seed 1 (a huge action_scale is taken: the game refuses
    each action it cannot take, in the run's refused actions, as in play)."""
    from game.research.runner import scenario_for

    experiment = ema.LevelExperiment(scenario_for("2010-trawler"))
    with pytest.raises(ValueError, match=says):
        experiment.setup(**inputs)
    assert experiment.setup(seed=3.0)[2] == 3  # a sampler's whole float is its whole number


@pytest.mark.parametrize(("scenarios", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_run_experiments_refuses_a_count_of_scenarios_that_is_none(scenarios, error):
    with pytest.raises(error, match="scenarios"):
        ema.run_experiments(None, scenarios=scenarios)


@pytest.mark.parametrize("example, options, says", [
    ("ema_scenario_discovery", ["--scenarios", "0"], "--scenarios: expected at least 1, got 0"),
    ("ema_scenario_discovery", ["--threshold", "nan"], "--threshold: expected a number, got nan"),
    ("ema_scenario_discovery", ["--min-density", "0"], "--min-density: expected a share above 0"),
    ("morris_screening", ["--trajectories", "0"], "--trajectories: expected at least 1, got 0"),
    ("morris_screening", ["--levels", "1"], "--levels: expected at least 2, got 1"),
])
def test_the_examples_refuse_options_they_cannot_run_with_in_one_line(example, options, says, capsys, nothing_runs):
    """Each ended in a traceback (the Workbench's, or a ZeroDivisionError)."""
    with pytest.raises(SystemExit) as stop:
        _example(example).main(options)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and says in err and "Traceback" not in err


def test_scenario_discovery_with_every_future_of_interest_says_so_rather_than_failing_in_prim(capsys):
    """A few futures, all below the threshold: PRIM stopped on an AssertionError."""
    assert _example("ema_scenario_discovery").main(["--scenarios", "3", "--threshold", "5"]) == 0
    assert "Every experiment is of interest" in capsys.readouterr().out
