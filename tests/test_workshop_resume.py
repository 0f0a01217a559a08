"""A network class's results file edited, then gone on from with ``serve --resume``: whatever
the file records that the class itself would not have is refused in one line, and nothing the
file says is taken that a window could not have given."""

from __future__ import annotations

import json

import pytest

from game.research.runner import scenario_for
from game.workshop.classroom import Workshop
from game.workshop.results import ResultsError
from game.workshop.server import ClassServer, resumed_server
from level_edits import comments_added, read_edited


@pytest.fixture(scope="module")
def class_file() -> dict:
    """A network class's results file after three quarters: Japan and the United States played by
    teams, the EU and Korea by bots that invest in projects each quarter."""
    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 5, ("JPN", "USA")))
    workshop = server.workshop
    workshop.start()
    for role in workshop.roles:
        workshop.rejoin(role)
    for _ in range(3):
        for role in workshop.roles:
            workshop.finish(role)
    return json.loads(json.dumps(server.results()))


def edited(data: dict, edit) -> dict:
    copy = json.loads(json.dumps(data))
    edit(copy)
    return copy


def test_a_file_that_goes_on_as_written_is_taken(class_file):
    again = resumed_server(class_file)
    assert again.workshop.world.turns_done == 3 and again.workshop.rows["KOR"] == class_file["nations"]["KOR"]["rows"]


def test_an_action_deleted_from_the_file_is_refused_though_japans_quarters_are_as_recorded(class_file):
    """Korea's bot's investment in 2010Q4 deleted: Japan's quarters replay as recorded, so the
    resume took the file and rewrote Korea's history (its 2010Q4 budget doubled)."""
    where = next(i for i, a in enumerate(class_file["actions"]) if (a["quarter"], a["nation"]) == ("2010Q4", "KOR"))
    with pytest.raises(ResultsError, match="^replaying its actions does not give the quarters it records for KOR"):
        resumed_server(edited(class_file, lambda data: data["actions"].pop(where)))


@pytest.mark.parametrize("edit, says", [
    (lambda data: data["nations"]["JPN"].update(team="a\x1b[31mred"), r"^nations.JPN.team: .* holds a control"),
    (lambda data: data.update(title="Class \x1b[2J3B \u202eevil"), r"^title: .* holds a control"),
    (lambda data: (data["nations"]["JPN"].update(team="Same"), data["nations"]["USA"].update(team="same")),
     r"^nations.USA.team: 'same' reads as 'Same', another team's name"),
    (lambda data: data["nations"]["USA"].update(team="\u3164\u3164"), r"^nations.USA.team: a name of only spaces"),
    (lambda data: data.update(title="   "), r"^title: longer than 200 characters, or only blanks"),
    (lambda data: data.update(title="Class 3B " * 600), r"^title: longer than 200 characters, or only blanks"),
])
def test_text_a_window_could_not_have_given_is_refused(class_file, edit, says):
    """A team's name with an escape sequence, a title with ESC and a right-to-left override, two
    teams named "Same" and "same": a window's join refuses each, a resume took them."""
    with pytest.raises(ResultsError, match=says):
        resumed_server(edited(class_file, edit))


def test_the_report_writes_no_control_or_format_character_from_a_file(class_file, tmp_path):
    """The report wrote a team's raw ESC and an unclosed right-to-left override into its page."""
    from game.workshop.report import write_report
    from game.workshop.results import write_results

    data = edited(class_file, lambda data: (data.pop("server"), data["nations"]["JPN"].update(team="a\x1b[31mred"),
                                            data.update(title="Class \u202e3B")))
    results = write_results(tmp_path / "class.json", data)
    page, skipped = write_report([results], tmp_path / "report.html")
    text = page.read_text(encoding="utf-8")
    assert not skipped
    assert "\x1b" not in text and "\u202e" not in text
    assert "a\\x1b[31mred" in text and "Class \\u202e3B" in text


@pytest.mark.parametrize("edit", [
    lambda codes: codes["join_tokens"].update(JPN="AAAAAA"),
    lambda codes: codes.update(class_code="ZZZZ"),
    lambda codes: codes["join_tokens"].update(FAC=codes["join_tokens"]["USA"], USA=codes["join_tokens"]["FAC"]),
    lambda codes: codes.pop("codes_check"),
])
def test_join_codes_edited_in_the_file_are_refused(class_file, edit):
    """server.join_tokens.JPN = "AAAAAA" went on with the new code, though the docs say a file
    whose codes were edited is refused in one line."""
    with pytest.raises(ResultsError, match="^server(: its class code or join codes were edited|.codes_check: missing)"):
        resumed_server(edited(class_file, lambda data: edit(data["server"])))


@pytest.mark.parametrize("finish, says", [
    (lambda workshop: workshop.end(), "^its game was ended by the facilitator: there is nothing to go on with"),
    (lambda workshop: [workshop.finish(role) for _ in range(20) if not workshop.is_over for role in workshop.roles],
     "^its game is over: there is nothing to go on with"),
])
def test_a_finished_class_is_said_to_be_over_not_sent_to_the_hot_seat(finish, says):
    """A network class's file keeps its join codes only while its game goes on: `serve --resume`
    of a finished class's file said it held no join codes and sent the facilitator to `workshop
    hotseat --resume`, which refuses it as over."""
    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 5, ("JPN",)))
    server.workshop.start()
    server.workshop.rejoin("JPN")
    finish(server.workshop)
    data = json.loads(json.dumps(server.results()))
    assert "server" not in data
    with pytest.raises(ResultsError, match=says):
        resumed_server(data)


def test_a_hot_seats_file_going_on_is_sent_to_the_hot_seat(class_file):
    with pytest.raises(ResultsError, match="^it holds no join codes .* 'rare-earths workshop hotseat --resume FILE'"):
        resumed_server(edited(class_file, lambda data: data.pop("server")))


def test_a_class_goes_on_after_an_update_edited_only_comments_in_its_level(class_file, monkeypatch, tmp_path):
    """The file kept a digest of the level file's bytes: an update that changed a comment in the
    level stranded every class part-way ("level ... is not as this class played it")."""
    read_edited(monkeypatch, tmp_path, "2010-trawler", comments_added)
    assert resumed_server(class_file).workshop.world.turns_done == 3
    read_edited(monkeypatch, tmp_path, "2010-trawler", lambda toml: toml.replace("threshold = 0.75", "threshold = 0.7"))
    with pytest.raises(ResultsError, match="^level '2010-trawler' is not as this class played it"):
        resumed_server(class_file)


def test_a_file_of_version_2_is_checked_against_the_level_files_bytes_it_recorded(class_file, monkeypatch, tmp_path):
    from game.research.runner import level_bytes_digest

    old = edited(class_file, lambda data: data.update(
        version=2, level_sha256=level_bytes_digest(scenario_for("2010-trawler", {}))))
    assert resumed_server(old).workshop.world.turns_done == 3
    read_edited(monkeypatch, tmp_path, "2010-trawler", comments_added)
    with pytest.raises(ResultsError, match="^level '2010-trawler' is not as this class played it"):
        resumed_server(old)


def test_a_class_another_version_played_goes_on_where_its_replay_gives_what_it_records(class_file):
    """Refused outright ("it was played on game version ..."): a class stranded by an update that
    changed nothing of its game. Its replay is the proof that the game is the same."""
    older = edited(class_file, lambda data: data.update(model_version="0.0.9"))
    assert resumed_server(older).workshop.world.turns_done == 3


def test_a_class_another_version_played_that_replays_otherwise_names_both_versions(class_file):
    """The version was never raised, so a file of older code that no longer replayed was refused
    as "replaying its actions does not give the answers it records", a puzzle to a facilitator."""
    from game.package_version import model_version

    where = next(i for i, a in enumerate(class_file["actions"]) if (a["quarter"], a["nation"]) == ("2010Q4", "KOR"))
    older = edited(class_file, lambda data: (data.update(model_version="0.0.9"), data["actions"].pop(where)))
    with pytest.raises(ResultsError, match=rf"^it was played on game version '0\.0\.9', and this version "
                                           rf"\({model_version()}\) replays it otherwise: go on with version '0\.0\.9'$"):
        resumed_server(older)
    unnamed = edited(older, lambda data: data.pop("model_version"))
    with pytest.raises(ResultsError, match="^it names no game version, and this version .* it cannot go on$"):
        resumed_server(unnamed)
