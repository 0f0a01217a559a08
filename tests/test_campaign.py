"""The campaign: levels in order, each opened by one star on the one before."""

from __future__ import annotations

import re

import pytest

from game.scenario import ScenarioError, load_campaign, load_level, shipped_level_paths


def test_the_shipped_campaign_orders_every_shipped_level_but_free_play():
    campaign = load_campaign()
    ids = [e.level for e in campaign.entries]
    assert ids[0] == "2010-trawler"
    assert set(ids) == {p.stem for p in shipped_level_paths()} - {"sandbox"}
    starts = [load_level(p).start for p in shipped_level_paths() if p.stem in ids]
    assert sorted(starts) == sorted(starts)  # every level loads
    assert campaign.title["en"] and campaign.title["ja"]


def test_one_star_opens_the_next_level():
    campaign = load_campaign()
    first, second, third = (e.level for e in campaign.entries[:3])
    assert campaign.unlocked({}) == [first]
    assert campaign.unlocked({first: 0}) == [first]
    assert campaign.unlocked({first: 1}) == [first, second]
    assert campaign.unlocked({first: 3, second: 1}) == [first, second, third]
    # Stars won elsewhere (free play, --level) open a level, and the one after it.
    fifth, sixth = (e.level for e in campaign.entries[4:6])
    assert campaign.unlocked({fifth: 3}) == [first, fifth, sixth]


def test_a_broken_campaign_file_names_the_problem(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text('title = { en = "x", ja = "x" }\n[[level]]\nid = "a"\n[[level]]\nid = "a"\nunlock_stars = 5\n')
    with pytest.raises(ScenarioError) as error:
        load_campaign(path)
    keys = {p.key for p in error.value.problems}
    assert "level[1].unlock_stars" in keys and "level[1].id" in keys


def test_every_campaign_level_has_a_place_on_the_campaign_map():
    from game.scenario import load_campaign

    for entry in load_campaign().entries:
        lon, lat = entry.at
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_a_campaign_place_off_the_globe_is_refused_with_its_key(tmp_path):
    import pytest

    from game.scenario import ScenarioError, load_campaign

    path = tmp_path / "campaign.toml"
    path.write_text('title = { en = "x", ja = "x" }\n[[level]]\nid = "a"\nat = [500, 10]\n[[level]]\nid = "b"\nat = "Tokyo"\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_campaign(path)
    shown = [str(p) for p in error.value.problems]
    assert any("level[0].at[0]" in p and "-180 to 180" in p for p in shown), shown
    assert any("level[1].at" in p and "[longitude, latitude]" in p for p in shown), shown


def _years_named(text: str) -> tuple[int, int]:
    years = [int(year) for year in re.findall(r"\d{4}", text)]
    return years[0], years[-1]


def test_the_campaign_s_title_and_the_title_screen_name_the_years_their_levels_cover():
    """The campaign read "2010-2028" under a title screen saying "2010 to the 2030s": each names
    the years it covers, the campaign its levels', the title screen every level's (free play's too)."""
    from game.ui.scenes.title import SUBTITLE
    from game.ui.strings import Language

    campaign = load_campaign()
    levels = {path.stem: load_level(path) for path in shipped_level_paths()}
    in_campaign = [levels[entry.level] for entry in campaign.entries]
    campaign_years = (min(s.start.year for s in in_campaign), max(s.end.year for s in in_campaign))
    all_years = (min(s.start.year for s in levels.values()), max(s.end.year for s in levels.values()))
    for language in ("en", "ja"):
        assert _years_named(campaign.title[language]) == campaign_years, campaign.title[language]
        subtitle = Language(language).tr(SUBTITLE)
        assert _years_named(subtitle) == all_years and "年代" not in subtitle, subtitle
