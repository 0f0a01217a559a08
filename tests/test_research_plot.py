"""rare-earths plot: a sweep's results drawn as fan charts of the indicators and the final scores.

The results files here are made by hand (a few runs, two strategies, two values of one setting,
eight quarters), so these tests need neither the sweep nor a run of the world.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pd = pytest.importorskip("pandas")

from game.research.plot import (
    DEFAULT_INDICATORS,
    PlotError,
    fan_figure,
    fan_table,
    final_scores,
    group_columns,
    group_labels,
    output_paths,
    plot_file,
    star_shares,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QUARTERS = ("2010Q3", "2010Q4", "2011Q1", "2011Q2", "2011Q3", "2011Q4", "2012Q1", "2012Q2")
STRATEGIES = ("passive", "diversify")
THRIFT_VALUES = (0.02, 0.05)
SEEDS = (0, 1, 2)


def sweep_frame(quarters: tuple[str, ...] = QUARTERS) -> pd.DataFrame:
    """Twelve runs (2 strategies x 2 values of max_thrift_per_quarter x 3 seeds) of eight quarters,
    in a sweep results file's columns, with a few empty indicator cells."""
    rows = []
    run = 0
    for strategy in STRATEGIES:
        for thrift in THRIFT_VALUES:
            for seed in SEEDS:
                rng = np.random.default_rng(run)
                bold = strategy == "diversify"
                for turn, quarter in enumerate(quarters, start=1):
                    rows.append({
                        "run": run, "level": "2010-trawler", "strategy": strategy, "seed": seed,
                        "assumptions.max_thrift_per_quarter": thrift, "model_version": "0.1.0",
                        "level_sha256": "ab" * 32, "quarter": quarter, "turn": turn,
                        "japan_output_index": 1.0 - 0.04 * turn * (0.5 if bold else 1.0) + rng.normal(0, 0.01),
                        "japan_china_share": max(0.0, 0.9 - (0.05 if bold else 0.01) * turn),
                        "japan_stockpile_days": 60.0 - 3 * turn + seed,
                        "price_ndpr_japan": 40.0 + 25 * turn + rng.normal(0, 5),
                        "price_dytb_japan": 300.0 + 40 * turn,
                        "china_tension_japan": min(1.0, 0.3 + 0.05 * turn),
                        "japan_secured_share": (0.1 if bold else 0.0) * turn,
                        "japan_recycling_tpy": 500.0 + 100 * turn * thrift * 20,
                        "score": min(100.0, turn * (11.0 if bold else 6.0) + 5 * seed),
                        "stars": min(3, turn // (2 if bold else 4) + (seed == 2)),
                    })
                run += 1
    frame = pd.DataFrame(rows)
    # A quarter nobody recorded in one run, and a whole quarter empty for another: both skipped.
    frame.loc[(frame["run"] == 0) & (frame["turn"] == 3), "japan_output_index"] = math.nan
    frame.loc[frame["run"] == 1, "price_dytb_japan"] = math.nan
    return frame


@pytest.fixture
def sweep_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "sweep.parquet"
    sweep_frame().to_parquet(path, index=False)
    return path


@pytest.fixture
def sweep_csv(tmp_path):
    path = tmp_path / "sweep.csv"
    sweep_frame().to_csv(path, index=False)
    return path


def png_size(path) -> tuple[int, int]:
    """Width and height from a PNG's header (the IHDR chunk follows the signature)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- The files written ----------------------------------------------------------------------


def test_a_png_name_writes_a_fan_chart_and_a_score_chart_beside_it(sweep_parquet, tmp_path):
    (tmp_path / "charts").mkdir()
    written = plot_file(sweep_parquet, tmp_path / "charts" / "trawler.png")

    assert written == [tmp_path / "charts" / "trawler-fan.png", tmp_path / "charts" / "trawler-scores.png"]
    for path in written:
        width, height = png_size(path)
        # 150 dpi: wide enough to read, no wider than a laptop's screen.
        assert 1000 <= width <= 1700 and 400 <= height <= 1600


def test_an_svg_name_writes_svg_and_the_csv_draws_as_the_parquet_does(sweep_csv, tmp_path):
    written = plot_file(sweep_csv, tmp_path / "trawler.svg", by="strategy+max_thrift_per_quarter",
                        indicators=["japan_output_index", "price_dytb_japan", "japan_secured_share"])

    assert [p.name for p in written] == ["trawler-fan.svg", "trawler-scores.svg"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 10_000


def test_the_output_format_may_come_from_fmt_or_a_folder(sweep_csv, tmp_path):
    assert output_paths(tmp_path / "out", "svg") == (tmp_path / "out-fan.svg", tmp_path / "out-scores.svg")
    assert output_paths(tmp_path / "out") == (tmp_path / "out-fan.png", tmp_path / "out-scores.png")
    assert output_paths(tmp_path, source=sweep_csv) == (tmp_path / "sweep-fan.png", tmp_path / "sweep-scores.png")
    assert output_paths(tmp_path / ".charts") == (tmp_path / ".charts-fan.png", tmp_path / ".charts-scores.png")


@pytest.mark.parametrize("name", [".png", ".SVG"])
def test_a_suffix_alone_names_no_chart(tmp_path, name):
    """Python reads ".png" as a name without a suffix: it drew ".png-fan.png"."""
    with pytest.raises(PlotError, match="a suffix alone names no chart"):
        output_paths(tmp_path / name)


# --- Groups and the tables drawn ------------------------------------------------------------


@pytest.mark.parametrize(("by", "groups"), [
    (None, ["diversify", "passive"]),
    ("max_thrift_per_quarter", ["max_thrift_per_quarter=0.02", "max_thrift_per_quarter=0.05"]),
    ("assumptions.max_thrift_per_quarter", ["max_thrift_per_quarter=0.02", "max_thrift_per_quarter=0.05"]),
    ("strategy+max_thrift_per_quarter", ["diversify, max_thrift_per_quarter=0.02",
                                         "diversify, max_thrift_per_quarter=0.05",
                                         "passive, max_thrift_per_quarter=0.02",
                                         "passive, max_thrift_per_quarter=0.05"]),
])
def test_grouping_gives_one_fan_and_one_legend_entry_per_group(by, groups):
    frame = read_results_from(sweep_frame())
    table = fan_table(frame, by, "japan_output_index")

    assert list(dict.fromkeys(table["group"])) == groups
    assert len(table) == len(groups) * len(QUARTERS)
    runs = len(STRATEGIES) * len(THRIFT_VALUES) * len(SEEDS)
    assert table.groupby("group")["runs"].max().eq(runs // len(groups)).all()
    columns = group_columns(frame, by)
    figure = fan_figure(frame, group_labels(frame, columns), columns, list(DEFAULT_INDICATORS), "title")
    entries = [text.get_text() for text in figure.legends[0].get_texts()]
    # One entry per group, then the two bands.
    assert len(entries) == len(groups) + 2
    assert [entry.rsplit(" (", 1)[0] for entry in entries[:len(groups)]] == groups


def read_results_from(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as ``read_results`` returns it, without a file."""
    from game.research.plot import _checked

    return _checked(frame)


def list_sweep_frame() -> pd.DataFrame:
    """sweep_frame with a list-valued setting swept in place of a number: offtake_years, written as
    the sweep writes it (its TOML text)."""
    frame = sweep_frame().rename(columns={"assumptions.max_thrift_per_quarter": "assumptions.offtake_years"})
    texts = {THRIFT_VALUES[0]: "[10, 3]", THRIFT_VALUES[1]: "[2]"}
    return frame.assign(**{"assumptions.offtake_years": frame["assumptions.offtake_years"].map(texts)})


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_list_valued_setting_is_grouped_as_text_in_the_order_of_its_values(tmp_path, suffix):
    """A sweep of offtake_years was refused: "column assumptions.offtake_years holds text, not
    numbers (e.g. '[3, 5]')", even without --by."""
    from game.research.plot import read_results

    path = tmp_path / f"lists{suffix}"
    getattr(list_sweep_frame(), "to_csv" if suffix == ".csv" else "to_parquet")(path, index=False)

    frame = read_results(path)
    labels = group_labels(frame, group_columns(frame, "strategy+offtake_years"))
    assert list(labels.cat.categories) == [f"{strategy}, offtake_years={years}" for strategy in sorted(STRATEGIES)
                                           for years in ("[2]", "[10, 3]")]
    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in plot_file(path, tmp_path / "c.png"))
    assert len(plot_file(path, tmp_path / "by.png", by="offtake_years")) == 2


def test_a_list_setting_from_an_earlier_sweeps_parquet_reads_as_the_text_set_takes(tmp_path):
    """Parquet files of earlier sweeps hold offtake_years as lists of floats ([3.0, 5.0])."""
    pytest.importorskip("pyarrow")
    from game.research.plot import read_results

    frame = list_sweep_frame()
    column = frame["assumptions.offtake_years"]
    frame["assumptions.offtake_years"] = column.map({"[10, 3]": [10.0, 3.0], "[2]": [2.0]})
    frame.to_parquet(tmp_path / "earlier.parquet", index=False)

    assert read_results(tmp_path / "earlier.parquet")["assumptions.offtake_years"].astype(str).tolist() == column.tolist()


@pytest.mark.parametrize("edit", ["[3, 0]", "[3.5]", "abc"])
def test_a_list_settings_cell_that_is_no_value_of_it_is_named(tmp_path, edit):
    frame = list_sweep_frame()
    frame.loc[3, "assumptions.offtake_years"] = edit
    path = tmp_path / "edited.csv"
    frame.to_csv(path, index=False)
    message = bad_input_message(path, tmp_path / "c.png")
    assert f"column assumptions.offtake_years holds {edit!r}, not a value of offtake_years" in message


@pytest.mark.parametrize("setting", ["offtake_years", "zzz"])
def test_a_list_settings_cell_nested_too_deeply_is_named(tmp_path, setting):
    """A cell of 1,000 lists inside each other, in a setting this version does not know, stopped
    plot with TOML's RecursionError."""
    frame = list_sweep_frame().rename(columns={"assumptions.offtake_years": f"assumptions.{setting}"})
    frame.loc[frame[f"assumptions.{setting}"] == "[2]", f"assumptions.{setting}"] = "[" * 1000 + "]" * 1000
    path = tmp_path / "deep.csv"
    frame.to_csv(path, index=False)
    message = bad_input_message(path, tmp_path / "c.png")
    assert f"column assumptions.{setting} holds '[[[[" in message, message
    assert ("nested too deeply" if setting == "zzz" else "expected a list of whole numbers") in message, message


def test_lists_of_other_shapes_in_a_setting_this_version_does_not_know_are_grouped_as_text(tmp_path):
    """[[2]] beside [10, 3] could not be ordered by value (a list and a number): plot stopped with
    a TypeError. They are ordered as text."""
    from game.research.plot import read_results

    frame = list_sweep_frame().rename(columns={"assumptions.offtake_years": "assumptions.zzz"})
    frame.loc[frame["assumptions.zzz"] == "[2]", "assumptions.zzz"] = "[[2]]"
    path = tmp_path / "shapes.csv"
    frame.to_csv(path, index=False)
    frame = read_results(path)
    assert list(group_labels(frame, group_columns(frame, "zzz")).cat.categories) == ["zzz=[10, 3]", "zzz=[[2]]"]
    assert len(plot_file(path, tmp_path / "c.png", by="zzz")) == 2


def test_fan_table_holds_the_percentiles_across_runs_skipping_empty_cells():
    frame = pd.DataFrame({
        "strategy": ["a"] * 5 + ["a"] * 5 + ["b"],
        "turn": [1] * 5 + [2] * 5 + [1],
        "quarter": ["2010Q3"] * 5 + ["2010Q4"] * 5 + ["2010Q3"],
        "x": [10.0, 20.0, 30.0, 40.0, 50.0, 1.0, 3.0, math.nan, math.nan, math.nan, 7.0],
    })

    table = fan_table(frame, "strategy", "x").set_index(["group", "turn"])

    # Linear interpolation between the runs' values: the 5th percentile of 10..50 is 12.
    assert table.loc[("a", 1), ["p5", "p25", "p50", "p75", "p95"]].tolist() == pytest.approx([12, 20, 30, 40, 48])
    assert table.loc[("a", 1), "runs"] == 5 and table.loc[("a", 1), "quarter"] == "2010Q3"
    # Three runs left turn 2 empty: the two that did not set the band.
    assert table.loc[("a", 2), ["p5", "p50", "p95"]].tolist() == pytest.approx([1.1, 2.0, 2.9])
    assert table.loc[("a", 2), "runs"] == 2
    # A single run: the bands collapse to its line.
    assert table.loc[("b", 1), ["p5", "p25", "p50", "p75", "p95"]].tolist() == [7.0] * 5


def test_a_long_sweep_is_ticked_by_year_and_levels_of_different_dates_by_turn():
    quarters = tuple(f"{year}Q{q}" for year in range(2010, 2014) for q in range(1, 5))[2:]  # 2010Q3-2013Q4
    frame = read_results_from(sweep_frame(quarters))
    columns = group_columns(frame, None)

    figure = fan_figure(frame, group_labels(frame, columns), columns, ["japan_output_index"], "title")

    assert [tick.get_text() for tick in figure.axes[0].get_xticklabels()] == ["2011", "2012", "2013"]
    # The same turn is 2010Q3 in one level and 2020Q1 in another: quarters cannot label the axis.
    frame.loc[frame["run"] >= 6, ["level", "quarter"]] = ["2020-covid", "2020Q1"]
    assert fan_table(frame, None, "japan_output_index")["quarter"].isna().all()
    figure = fan_figure(frame, group_labels(frame, columns), columns, ["japan_output_index"], "title")
    assert figure.axes[0].get_xlabel() == "turn"


def test_final_scores_come_from_each_runs_last_quarter_whatever_the_row_order():
    frame = read_results_from(sweep_frame().sample(frac=1.0, random_state=3))

    finals = final_scores(frame, "strategy")

    assert len(finals) == 12 and finals["run"].tolist() == list(range(12))
    # Seed 2 of the passive strategy: 8 quarters x 6 points + 10.
    passive_seed_2 = finals[(finals["group"] == "passive") & (finals["score"] == 58.0)]
    assert len(passive_seed_2) == 2


def test_star_shares_count_each_groups_runs_by_the_stars_they_earned():
    finals = pd.DataFrame({"group": pd.Categorical(["a", "a", "a", "a", "b"], categories=["a", "b", "c"]),
                           "run": range(5), "score": [10.0, 20, 30, 40, 50], "stars": [0, 3, 3, math.nan, 1]})

    shares = star_shares(finals)

    assert shares.loc["a"].tolist() == pytest.approx([1 / 3, 0, 0, 2 / 3])
    assert shares.loc["b"].tolist() == [0, 1, 0, 0]
    assert shares.loc["c"].tolist() == [0, 0, 0, 0]


def test_one_group_of_one_run_still_draws(tmp_path):
    frame = sweep_frame()
    path = tmp_path / "one.csv"
    frame[frame["run"] == 0].to_csv(path, index=False)

    written = plot_file(path, tmp_path / "one.png", indicators="japan_output_index, price_ndpr_japan")

    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in written)


# --- Bad input: one PlotError naming the file and the problem ---------------------------------


def bad_input_message(path, out, **options) -> str:
    with pytest.raises(PlotError) as raised:
        plot_file(path, out, **options)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("score", [math.nan, ""])
def test_a_run_without_its_final_score_is_refused_and_a_gap_before_it_is_drawn(tmp_path, score):
    """A run's last score of nan (or none) was left out of the score chart without a word, its
    group still counting the run; a score missing in an earlier quarter is a gap in its fan."""
    frame = sweep_frame().astype({"score": object})
    last = frame["turn"].max()
    frame.loc[(frame["run"] == 1) & (frame["turn"] == last - 1), "score"] = score
    path = tmp_path / "gap.csv"
    frame.to_csv(path, index=False)
    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in plot_file(path, tmp_path / "gap.png"))
    frame.loc[(frame["run"] == 1) & (frame["turn"] == last), "score"] = score
    frame.to_csv(path, index=False)
    message = bad_input_message(path, tmp_path / "c.png")
    assert message.endswith("column score has no figure in the last quarter of run 1 (empty or nan): a sweep "
                            "records each run's final score"), message
    assert not list(tmp_path.glob("c-*"))


def test_a_column_named_twice_in_by_is_refused(sweep_csv, tmp_path):
    """`--by strategy+strategy` was taken as `--by strategy`, without a word."""
    message = bad_input_message(sweep_csv, tmp_path / "c.png", by="strategy+strategy")
    assert message.endswith("cannot group by 'strategy' twice")
    assert not (tmp_path / "c-fan.png").exists()


def test_a_missing_folder_is_refused_and_none_is_made(sweep_parquet, tmp_path):
    message = bad_input_message(sweep_parquet, tmp_path / "typo" / "charts" / "c.png")
    assert "no folder" in message and "typo" in message
    assert not (tmp_path / "typo").exists()


def test_a_folder_in_the_way_of_one_chart_stops_both_before_either_is_written(sweep_csv, tmp_path):
    """The fan chart was written, then the score chart failed on a folder of its name."""
    (tmp_path / "y-scores.svg").mkdir()
    message = bad_input_message(sweep_csv, tmp_path / "y.svg")
    assert "y-scores.svg: a folder is in the way" in message and ".partial" not in message
    assert not (tmp_path / "y-fan.svg").exists()


def test_a_disk_that_fills_on_the_second_chart_keeps_both_earlier_charts(sweep_csv, tmp_path, monkeypatch):
    """The new fan chart was left beside the score chart of other results."""
    import errno

    import game.whole_files

    for name in ("c-fan.png", "c-scores.png"):
        (tmp_path / name).write_bytes(b"earlier")
    real_write_partial = game.whole_files._write_partial
    charts = []

    def fills_on_the_second(path, write, private=False):
        charts.append(path)
        if len(charts) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write_partial(path, write, private)

    monkeypatch.setattr(game.whole_files, "_write_partial", fills_on_the_second)
    message = bad_input_message(sweep_csv, tmp_path / "c.png")
    assert "c-scores.png: cannot write it: No space left on device; no chart was written" in message
    assert sorted(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c-")) == [b"earlier"] * 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_missing_file_is_named(tmp_path):
    message = bad_input_message(tmp_path / "nowhere.parquet", tmp_path / "c.png")
    assert "nowhere.parquet" in message and "no such file" in message


def test_a_file_that_is_neither_parquet_nor_csv_is_refused(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{}")
    message = bad_input_message(path, tmp_path / "c.png")
    assert "results.json" in message and ".json" in message


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in bad_input_message(path, tmp_path / "c.png")
    header_only = tmp_path / "header.csv"
    sweep_frame().head(0).to_csv(header_only, index=False)
    assert "no rows" in bad_input_message(header_only, tmp_path / "c.png")


def test_a_corrupt_parquet_file_is_refused(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not a parquet file at all")
    message = bad_input_message(path, tmp_path / "c.png")
    assert "broken.parquet" in message and "cannot read it as Parquet" in message


@pytest.mark.parametrize("kept", [0.5, 7])
def test_a_parquet_file_that_cannot_be_read_is_said_in_the_games_words(tmp_path, kept):
    """It quoted pyarrow whole ("Could not open Parquet input source '<Buffer>': Parquet magic
    bytes not found in footer. Either the file is corrupted or..."), naming its buffer."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "results.parquet"
    sweep_frame().to_parquet(path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * kept) if isinstance(kept, float) else kept])
    assert bad_input_message(path, tmp_path / "c.png") == (f"{path}: cannot read it as Parquet (cut short, damaged, "
                                                           "or not a Parquet file)")


@pytest.mark.parametrize("content, says", [
    # The codec's words: "'utf-8' codec can't decode byte 0xf6 in position 4: invalid start byte".
    ("run,level\n0,t\xf6kyo\n".encode("latin-1"), "cannot read it as CSV: not UTF-8 text (save it as UTF-8)"),
    # pandas' words: "No columns to parse from file".
    (b"\n\n\n", "cannot read it as CSV: it holds no header line of column names"),
])
def test_a_csv_file_that_cannot_be_read_is_said_in_the_games_words(tmp_path, content, says):
    path = tmp_path / "results.csv"
    path.write_bytes(content)
    assert bad_input_message(path, tmp_path / "c.png") == f"{path}: {says}"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_csv_file_in_utf16_is_said_to_be_other_than_utf8(tmp_path, encoding):
    """A sweep's file saved again as UTF-16 (a spreadsheet's "Unicode text") was said to be two
    sweeps' files joined ("line 42 has 1 cells where the header names 42 columns")."""
    path = tmp_path / "results.csv"
    path.write_bytes(sweep_frame().to_csv(index=False).encode(encoding))
    assert bad_input_message(path, tmp_path / "c.png") == (f"{path}: cannot read it as CSV: not UTF-8 text (it is "
                                                           "UTF-16 or UTF-32; save it as UTF-8)")


def test_missing_required_columns_are_named(tmp_path):
    path = tmp_path / "partial.csv"
    sweep_frame().drop(columns=["score", "turn"]).to_csv(path, index=False)
    message = bad_input_message(path, tmp_path / "c.png")
    assert "partial.csv" in message and "turn" in message and "score" in message


@pytest.mark.parametrize("column", ["turn", "japan_output_index"])
def test_text_where_a_number_belongs_is_named(tmp_path, column):
    """An indicator's cell edited to text turned its column into text, which the charts then left
    out without a word (the file was plotted, one indicator short)."""
    path = tmp_path / "words.csv"
    frame = sweep_frame().astype({column: object})
    frame.loc[3, column] = "third"
    frame.to_csv(path, index=False)
    assert f"column {column} holds text" in bad_input_message(path, tmp_path / "c.png")


def test_an_unknown_indicator_lists_those_there_are(sweep_csv, tmp_path):
    message = bad_input_message(sweep_csv, tmp_path / "c.png", indicators=["japan_happiness"])
    assert "sweep.csv" in message and "japan_happiness" in message and "japan_stockpile_days" in message
    assert "model_version" in bad_input_message(sweep_csv, tmp_path / "c.png", indicators=["model_version"])


def test_an_unknown_group_lists_the_columns_and_settings_there_are(sweep_csv, tmp_path):
    message = bad_input_message(sweep_csv, tmp_path / "c.png", by="strategy+weather")
    assert "sweep.csv" in message and "weather" in message and "max_thrift_per_quarter" in message


@pytest.mark.parametrize(("out", "fmt"), [("charts.pdf", None), ("charts.png", "svg"), ("charts", "jpeg")])
def test_an_output_other_than_png_or_svg_is_refused_before_reading(sweep_csv, tmp_path, out, fmt):
    message = bad_input_message(sweep_csv, tmp_path / out, fmt=fmt)
    assert "charts" in message
    assert not list(tmp_path.glob("charts*"))


@pytest.mark.parametrize(("options", "says"), [
    ({"out": ""}, "out: expected a file or folder name"),
    ({"out": "x.png", "by": 5}, "by: expected column names"),
    ({"out": "x.png", "indicators": 5}, "indicators: expected names"),
    ({"out": "x.png", "indicators": ["price_ndpr_japan", 5]}, "indicators: expected names"),
])
def test_plot_file_refuses_arguments_of_the_wrong_kind_before_drawing(sweep_csv, tmp_path, monkeypatch, options, says):
    """An empty --out drew two charts into the current folder; a number for by or indicators
    was a bare AttributeError or TypeError."""
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(PlotError, match=says):
        plot_file(sweep_csv, **options)
    assert sorted(tmp_path.iterdir()) == before


def test_a_file_cut_short_or_two_sweeps_joined_are_refused():
    """A cut file had its last run's mid-game score charted as its result (or dropped as a gap);
    two sweeps' files joined shared run numbers, and their runs were merged."""
    from game.research.plot import PlotError

    whole = sweep_frame()
    with pytest.raises(PlotError, match="^run 11 has 5 of the 8 quarters a run of 2010-trawler plays"):
        read_results_from(whole.iloc[:-3])
    with pytest.raises(PlotError, match="^run 4 does not hold each of its quarters once"):
        read_results_from(whole[~((whole["run"] == 4) & (whole["turn"] == 2))])
    other = whole.assign(strategy="bot")
    with pytest.raises(PlotError, match="^run 0 holds rows of more than one strategy: two sweeps' files joined"):
        read_results_from(pd.concat([whole, other]))


@pytest.mark.parametrize(("kept", "says"), [
    # head -n 101 of a sweep: whole runs, so each passed its own checks and the rest were not charted.
    (lambda frame: frame["run"] < 8, "no run has max_thrift_per_quarter 0.02, strategy diversify, seed 2, though "
                                     "the file has runs of each"),
    (lambda frame: frame["run"] != 4, "run 4 is missing, though run 5 is there"),
    (lambda frame: frame["run"] >= 1, "run 0 is missing, though run 1 is there"),
])
def test_a_file_cut_between_runs_or_missing_runs_is_refused(kept, says):
    """The cut is between runs, so every run left is whole."""
    whole = sweep_frame()
    with pytest.raises(PlotError, match=f"^{re.escape(says)}: a sweep"):
        read_results_from(whole[kept(whole)])


def test_a_file_cut_where_a_whole_strategy_ends_reads_as_the_smaller_sweep_it_is():
    """What the rows cannot tell: the first six runs are every run of one strategy, a sweep of its own."""
    whole = sweep_frame()
    assert read_results_from(whole[whole["run"] < 6])["run"].nunique() == 6


def test_a_run_shorter_than_its_shipped_level_is_refused_when_the_file_names_the_level_as_it_is():
    from game.research.plot import PlotError
    from game.research.runner import level_digest, run, scenario_for

    level = scenario_for("2010-trawler", {})
    rows = [{**row, "run": 0, "level": level.id, "strategy": "passive", "seed": 0, "level_sha256": level_digest(level),
             "turn": turn} for turn, row in enumerate(run(level, seed=0, agents=False).rows, start=1)]
    frame = pd.DataFrame(rows)
    assert len(read_results_from(frame)) == 10
    with pytest.raises(PlotError, match="^run 0 has 9 of the 10 quarters"):
        read_results_from(frame.iloc[:-1])


def test_a_csv_cut_mid_line_or_a_sweep_joined_to_a_renumbered_copy_is_refused(tmp_path):
    from game.research.plot import PlotError, read_results

    whole = sweep_frame()
    path = tmp_path / "s.csv"
    whole.to_csv(path, index=False)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(PlotError, match="does not end with a line end, as a sweep's does: cut short"):
        read_results(cut)
    with pytest.raises(PlotError, match="^runs 0 and 1000 are the same run"):
        read_results_from(pd.concat([whole, whole.assign(run=whole["run"] + 1000)]))


@pytest.mark.parametrize(("second", "header", "says"), [
    # (the second sweep swept no setting: one column fewer; or one more setting: one more)
    ("fewer", False, "line 98 has 18 cells where the header names 19 columns"),
    ("more", False, "line 98 has 20 cells where the header names 19 columns"),
    ("more", True, "line 98 is a second header row, naming other columns"),
    ("same", True, "line 98 is a second header row"),
])
def test_two_sweeps_csv_files_joined_are_named_as_such(tmp_path, second, header, says):
    """`(cat s1.csv; tail -n +2 d3.csv) > joined.csv` was refused as "column turn holds text, not
    numbers (e.g. '2010Q3')" or as pandas' "Error tokenizing data. C error: Expected 19 fields"."""
    first = sweep_frame()
    other = {"fewer": first.drop(columns="assumptions.max_thrift_per_quarter"),
             "more": first.assign(**{"assumptions.min_run_rate": 0.5}), "same": first}[second]
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    first.to_csv(one, index=False)
    other.to_csv(two, index=False)
    joined = tmp_path / "joined.csv"
    second_lines = two.read_bytes().splitlines(keepends=True)
    joined.write_bytes(one.read_bytes() + b"".join(second_lines if header else second_lines[1:]))

    message = bad_input_message(joined, tmp_path / "c.png")
    assert message.endswith(f"{says}: two sweeps' files joined? A results file holds one sweep (plot each file "
                            "on its own)"), message


@pytest.mark.parametrize("edit", ["abc", math.nan, math.inf])
def test_a_swept_settings_edited_cell_is_named_not_called_two_sweeps_joined(tmp_path, edit):
    """A setting's cell edited to text, emptied or made infinite was refused as 'run 0 holds rows
    of more than one assumptions....: two sweeps' files joined?'."""
    path = tmp_path / "edited.csv"
    frame = sweep_frame()
    setting = next(c for c in frame.columns if str(c).startswith("assumptions."))
    frame = frame.astype({setting: object})
    frame.loc[3, setting] = edit
    frame.to_csv(path, index=False)
    message = bad_input_message(path, tmp_path / "c.png")
    assert f"column {setting} " in message and "joined" not in message
