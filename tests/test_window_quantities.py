"""Quantities in the window: steppers stop at their ends, any amount in range can be typed or
set to all or to what is needed, the limits are shown; and everything a strategy file does can
be done in the window: the shipped three-star strategy entered by hand plays the same history."""

from __future__ import annotations

import pygame
import pytest
from conftest import play

from game.actions import BuyStockpile, InvestInProject, ReleaseStockpile
from game.scenario import find_level, load_level
from game.ui.driver import click, click_at, find_button, on_turn_screen, press, start_level
from game.ui.levers import LEVER_BY_KIND, TABS, ChoiceValues, limit_line
from game.ui.scenes.amount import AmountScene
from game.ui.scenes.warning import WarningScene
from game.vocab.materials import MATERIAL_INDEX, Material
from game.vocab.nations import JAPAN


@pytest.fixture
def app(quiet_window):
    return quiet_window


def type_into(app, text: str) -> None:
    """Empty the amount dialog's field and type ``text``, as a keyboard does."""
    backspace = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=0)
    for _ in range(len(app.top.entry.get_text()) + 1):
        app.frame([backspace, pygame.event.Event(pygame.KEYUP, key=pygame.K_BACKSPACE, mod=0)])
    for ch in text:
        app.frame([pygame.event.Event(pygame.TEXTINPUT, text=ch)])


def form_texts(app) -> list[str]:
    return [getattr(element, "text", "") for element in app.top.levers.form]


def test_a_dytb_remainder_under_50_t_is_released_whole_with_all(app):
    start_level(app, "2011-spike", seed=0)
    click(app, "▶")  # Material: NdPr -> Dy/Tb
    held = float(app.game.world.nation(JAPAN).stockpile[MATERIAL_INDEX[Material.DYTB]])
    assert 0 < held < 50
    assert any(text.startswith("Tonnes: up to") and "left in the stockpile" in text for text in form_texts(app))
    click(app, next(t for t in form_texts(app) if t.endswith(" t") and t[0].isdigit()))
    assert isinstance(app.top, AmountScene)
    click(app, "All of it")
    click(app, "Take action")
    record = app.game.session.this_turns_actions()[-1]
    assert record.accepted and record.action.tonnes == pytest.approx(held)


def test_steppers_stop_at_their_ends(app):
    start_level(app, "2011-spike", seed=0)
    world = app.game.world
    lever = LEVER_BY_KIND["release_stockpile"]
    chosen = ChoiceValues()
    material, tonnes = lever.choices
    for _ in range(10):
        chosen.step(lever.choices, material, 1, world)
    assert chosen.values(lever.choices, world)["material"] == Material.CELA  # the last, not back to the first
    chosen.step(lever.choices, material, -1, world)
    chosen.step(lever.choices, material, -1, world)
    chosen.step(lever.choices, material, -1, world)
    assert chosen.values(lever.choices, world)["material"] == Material.NDPR
    held = float(world.nation(JAPAN).stockpile[MATERIAL_INDEX[Material.NDPR]])
    for _ in range(30):
        chosen.step(lever.choices, tonnes, 1, world)
    assert chosen.values(lever.choices, world)["tonnes"] == pytest.approx(held)
    for _ in range(30):
        chosen.step(lever.choices, tonnes, -1, world)
    assert chosen.values(lever.choices, world)["tonnes"] == pytest.approx(tonnes.amount.least)
    values = chosen.values(lever.choices, world)
    assert chosen.at_end(lever.choices, tonnes, world, values) == (True, False)


def _is_round(value: float) -> bool:
    """A price of at most two significant figures: 1.8, 45, 120, 1,500."""
    return abs(float(f"{value:.2g}") - value) < 1e-9


@pytest.mark.parametrize("material", list(Material))
def test_a_price_cap_steps_through_round_prices_around_today_s(app, material):
    """A play-tester's cap went 60.96, 83.12, 110.83: today's price times 1.1, 1.5, 2, where the
    README promises round values. Only the ends (the least and ten times today's price) may be
    other than round."""
    start_level(app, "2025-licensing", seed=0)
    world = app.game.world
    lever = LEVER_BY_KIND["buy_stockpile"]
    material_choice, cap = lever.choices[:2]
    chosen = ChoiceValues()
    while chosen.values(lever.choices, world)["material"] != material:
        chosen.step(lever.choices, material_choice, 1, world)
    price = float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[material]])
    default = chosen.values(lever.choices, world)["cap"]
    assert _is_round(default) and price < default < 1.5 * price
    seen = []
    for direction in (-1, 1):
        for _ in range(40):
            chosen.step(lever.choices, cap, direction, world)
            seen.append(chosen.values(lever.choices, world)["cap"])
    least, most = cap.amount.least, cap.amount.most(world, {"material": material})[0]
    inner = sorted({value for value in seen if value not in (least, most)})
    assert inner and all(_is_round(value) for value in inner), inner
    assert inner[0] < price and inner[-1] >= 3 * price and len(inner) >= 8


def test_a_stockpile_released_whole_leaves_its_tonnes_at_none_not_a_tenth_of_a_tonne(app):
    # After All of it was released, the form's tonnes read "0.1 t" (the least it takes) beside
    # "none now": it reads "-", as the talks' tonnes do, with nothing to set or step.
    start_level(app, "2010-trawler", seed=0)
    held = float(app.game.world.nation(JAPAN).stockpile[MATERIAL_INDEX[Material.NDPR]])
    click(app, next(t for t in form_texts(app) if t.endswith(" t") and t[0].isdigit()))
    click(app, "All of it")
    click(app, "Take action")
    assert app.game.session.this_turns_actions()[-1].action.tonnes == pytest.approx(held)
    assert "Tonnes: none now (left in the stockpile)" in form_texts(app)
    assert not any(text.endswith(" t") and text[0].isdigit() for text in form_texts(app))
    form = app.top.levers.form
    value = next(element for element in form if getattr(element, "text", "") == "-")
    more = form[form.index(value) + 1]  # its ▶
    assert value.text == "-" and not value.is_enabled and not more.is_enabled
    take = form[-1]  # it was live, to be refused: "only 0 t of NdPr left in the stockpile"
    assert not take.is_enabled and take.text == app.tr("Nothing to set now: {what}", what=app.tr("Tonnes"))


def test_with_no_budget_left_the_invest_form_offers_no_money_no_tonnes_and_no_take_action(app):
    """With the budget spent, the form read Money "-" yet Offtake "220 t/yr", "Cost: US$1M", and
    a live Take action answered "Refused: costs US$1M, more than the US$0M budget left"."""
    start_level(app, "2010-trawler", seed=0)
    press(app, pygame.K_1 + TABS.index("Invest"))
    click(app, "Take action")
    assert app.game.session.this_turns_actions()[-1].accepted
    assert app.game.world.nation(JAPAN).budget_musd <= 0
    texts = form_texts(app)
    assert not any(text.endswith(("t/yr", "M")) and text[0].isdigit() for text in texts), texts
    # (cut short at 1280x720, before its aside: "Offtake: none now…", the whole line in its tip)
    assert any(text.startswith("Offtake: none now") for text in texts), texts
    assert app.tr("Cost: US${money:,.0f}M, {capital:.0f} political capital", money=1.0, capital=0) not in texts
    take = app.top.levers.form[-1]
    assert not take.is_enabled and take.text == app.tr("No budget left this quarter")
    # Political capital too: talks and a partnership spend 6 of the 8; talks again need 3.
    press(app, pygame.K_1 + TABS.index("Diplomacy"))
    for lever in ("Hold talks", "Partnership"):
        click(app, lever)
        click(app, "Take action")
        assert app.game.session.this_turns_actions()[-1].accepted, app.notice
    click(app, "Hold talks")
    take = app.top.levers.form[-1]
    held = app.game.world.nation(JAPAN).political_capital
    assert held < 3 and not take.is_enabled
    assert take.text == app.tr("Needs {capital:g} political capital, {held:g} left", capital=3.0, held=held)

def test_talks_that_would_ease_nothing_grey_take_action_with_the_reason(app):
    """At tension's usual level talks ease nothing: Take action stood live, to be refused on
    Submit ("talks with China would ease nothing"). It is greyed, saying why, as the other forms
    are when nothing can be done; with tension above its usual level it is live again."""
    start_level(app, "2010-trawler", seed=0)
    world = app.game.world
    china, japan = world.nation("CHN"), world.nation(JAPAN)
    raised = china.tension.get(JAPAN, 0.0), japan.tension.get("CHN", 0.0)
    for a, b in ((china, JAPAN), (japan, "CHN")):
        a.tension[b] = a.baseline_tension.get(b, 0.0)
    press(app, pygame.K_1 + TABS.index("Diplomacy"))
    click(app, "Hold talks")
    take = app.top.levers.form[-1]
    assert not take.is_enabled and take.text == app.tr("No tension to ease now")
    china.tension[JAPAN], japan.tension["CHN"] = (min(1.0, level + 0.2) for level in raised)
    click(app, "Partnership")
    click(app, "Hold talks")
    take = app.top.levers.form[-1]
    assert take.is_enabled and take.text == app.tr("Take action")


def test_a_typed_amount_out_of_range_is_refused_and_the_dialog_stays(app):
    start_level(app, "2011-spike", seed=0)
    click(app, next(t for t in form_texts(app) if t.endswith(" t") and t[0].isdigit()))
    type_into(app, "99999")
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, AmountScene) and app.notice is not None and app.notice[1] == "error"
    type_into(app, "12.5")
    press(app, pygame.K_RETURN)
    assert on_turn_screen(app) and "12.5 t" in form_texts(app)


def test_a_space_typed_in_an_amount_is_part_of_it_not_a_press_of_set(app):
    """A space ("1 000", or a stray one) pressed the focused Set with half the number typed, and
    the keys after it acted on the turn screen (Enter then ended the turn)."""
    start_level(app, "2011-spike", seed=0)
    click(app, next(t for t in form_texts(app) if t.endswith(" t") and t[0].isdigit()))
    type_into(app, "1")
    for key, text in ((pygame.K_SPACE, " "), (pygame.K_2, "2")):  # as a keyboard sends them: a key, then its text
        app.frame([pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0),
                   pygame.event.Event(pygame.TEXTINPUT, text=text),
                   pygame.event.Event(pygame.KEYUP, key=key, mod=0)])
    assert isinstance(app.top, AmountScene) and app.top.entry.get_text() == "1 2"
    # Tab leaves the field for the buttons, and Tab past the last comes back to it.
    press(app, pygame.K_TAB)
    assert not app.top.entry.is_focused
    for _ in range(len(app.top.focusables)):
        press(app, pygame.K_TAB)
    assert app.top.entry.is_focused
    quarter = app.game.world.quarter
    press(app, pygame.K_RETURN)
    assert on_turn_screen(app) and "12 t" in form_texts(app) and app.game.world.quarter == quarter


def _enter(app, action) -> None:
    """Set a lever to ``action`` in the window, as a player would, and take it."""
    lever = LEVER_BY_KIND[action.kind]
    press(app, pygame.K_1 + TABS.index(lever.tab))
    click(app, lever.short)
    fields = {"release_stockpile": {"material": "material", "tonnes": "tonnes"},
              "buy_stockpile": {"material": "material", "cap": "max_price_usd_per_kg", "tonnes": "tonnes"},
              "invest_in_project": {"project": "project", "amount": "amount_musd", "offtake": "offtake_tpy",
                                    "years": "years", "materials": "materials",
                                    "price": "price_usd_per_kg"}}[action.kind]
    panel = app.top.levers
    for choice in lever.choices:
        wanted = getattr(action, fields[choice.name])
        values = panel._values(lever)
        if choice.amount is None:
            for _ in range(20):
                if values[choice.name] == wanted:
                    break
                options = [value for value, _ in choice.options(app.game.world)]
                direction = 1 if options.index(wanted) > options.index(values[choice.name]) else -1
                panel.step(lever, choice, direction)
                values = panel._values(lever)
            assert values[choice.name] == wanted
            continue
        click(app, choice.amount.shown(lambda text, **v: text.format(**v), values[choice.name]))
        assert isinstance(app.top, AmountScene)
        context = {k: v for k, v in values.items() if k != choice.name}
        most, _ = choice.amount.most(app.game.world, context)
        # What the world would grant: an offtake beyond what the money buys is capped there too.
        type_into(app, repr(min(float(wanted), most)))  # every digit: 1,222.35 t/yr is not 1,222.3529
        press(app, pygame.K_RETURN)
        assert on_turn_screen(app)
    click(app, "Take action")
    assert app.game.session.this_turns_actions()[-1].accepted, app.notice


def test_the_shipped_strategy_entered_by_hand_plays_the_same_history(app):
    scenario = load_level(find_level("2010-trawler"))
    headless = play(scenario, "2010-trawler-rebuild", seed=4)
    expected = headless.rows()
    from game.players import controller_for

    controller = controller_for("2010-trawler-rebuild", scenario)
    start_level(app, "2010-trawler", seed=4)
    while not app.game.session.is_over:
        for action in controller.decide(app.game.world, scenario):
            assert isinstance(action, ReleaseStockpile | BuyStockpile | InvestInProject)
            _enter(app, action)
        press(app, pygame.K_RETURN)
        while not on_turn_screen(app) and not app.game.session.is_over:
            if isinstance(app.top, WarningScene):
                click(app, "End turn anyway")
            else:
                press(app, pygame.K_RETURN)
    assert app.game.session.rows() == expected
    headless.close()


def test_the_negotiation_takes_a_typed_tonnage_and_price(app):
    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    tonnes = next(f.element.text for f in app.top.focusables if f.element.text.endswith("t/yr"))
    click(app, tonnes)
    type_into(app, "37")
    press(app, pygame.K_RETURN)
    price = next(f.element.text for f in app.top.focusables if f.element.text.endswith("/kg"))
    click(app, price)
    type_into(app, "61.25")
    press(app, pygame.K_RETURN)
    assert find_button(app, "37 t/yr") and find_button(app, "US$61.25/kg")
    click(app, "Propose")
    record = app.game.session.this_turns_actions()[-1]
    assert record.action.tonnes_per_year == 37 and record.action.price_usd_per_kg == 61.25


def test_each_term_of_the_offtake_talks_has_a_tooltip_of_its_own(app):
    """The years and the price showed the tonnage's tip, "Type an amount, or take all or what is
    needed": their dialogs offer neither all nor what is needed, and the tip said nothing of them."""
    from game.ui.strings import Language

    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    talks = app.top
    values = talks._values()[0]
    amounts = {choice.name: choice for choice in talks.choices if choice.amount is not None}
    tips = {name: f.tooltip for f in talks.focusables for name, choice in amounts.items()
            if f.element.text == choice.amount.shown(app.tr, values[name])}
    assert set(tips) == {"tonnes", "years", "price"} and len(set(tips.values())) == 3, tips
    assert tips["tonnes"] == app.tr("Type an amount, or take all or what is needed (Space).")
    ja = Language("ja").tr
    said = {name: choice.amount.tip(ja) for name, choice in amounts.items()}
    assert len(set(said.values())) == 3 and ja("Type an amount, or take all or what is needed (Space).") \
        not in (said["years"], said["price"]), said


def test_talks_with_a_plant_making_none_of_the_material_say_so_and_wait(app):
    """Molycorp, mothballed in 2010, read "Tonnes a year: up to 1 t/yr (all it makes a year)"
    beside "It has 0 t/yr not yet sold forward", and Propose sent 1 t/yr to be refused."""
    start_level(app, "2010-trawler", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    for _ in range(20):
        if app.top._values()[0]["seller"] == "molycorp-separation":
            break
        app.top.step(app.top.choices[0], 1)  # the seller's ▶
        app.frame([])
    propose = next(f.element for f in app.top.focusables if f.element.text == "Propose")
    assert not propose.is_enabled
    tonnes = next(f.element for f in app.top.focusables if f.tooltip.startswith("Type an amount"))
    assert tonnes.text == "-" and not tonnes.is_enabled  # its dialog read "From 1 t/yr to 1 t/yr"
    assert dict(app.top.tips)[propose].startswith("This plant makes none of that material now")
    values = app.top._values()[0]
    assert limit_line(app.tr, app.top.choices[2], app.game.world, values) == \
        "Tonnes a year: none now (it makes none of it now)"
    offered = len(app.game.session.this_turns_actions())
    app.top.propose()  # as a key press on it would
    assert len(app.game.session.this_turns_actions()) == offered


def test_an_investment_at_a_fixed_price_covering_the_magnet_oxides_is_entered_in_the_window(app):
    start_level(app, "sandbox", seed=0)
    world = app.game.world
    project = next(p for p in world.projects.values() if not p.done and not p.failed and p.origin == "level")
    wanted = InvestInProject(project.id, 10.0, 1.0, 7, price_usd_per_kg=42.5,
                             materials=(Material.NDPR, Material.DYTB))
    _enter(app, wanted)
    taken = app.game.session.this_turns_actions()[-1].action
    assert taken == wanted


def test_a_list_choice_opens_the_whole_list_with_names_whole_and_the_one_picked_is_set(app):
    """The project's line cut long names ("Mt Weld (Lynas) (+22,…"), and the only way to a project
    was stepping through them one by one; Lynas's two phases read alike."""
    from game.ui.scenes.pick import PickScene

    start_level(app, "2011-spike", seed=0)
    press(app, pygame.K_1 + TABS.index("Invest"))
    # A name's own aside takes the project's inside its brackets, as a seller's takes its nation
    # ("Silmet (Estonia, European Union)"): "Mt Weld (Lynas) (+22,000 t/yr)" read as two asides.
    value = next(f.element for f in app.top.focusables if f.tooltip.startswith("Mt Weld (Lynas, +22,000 t/yr). "))
    assert value.text != "Mt Weld (Lynas, +22,000 t/yr)"  # cut on the form, whole in its tip
    click_at(app, value.get_abs_rect().center)
    assert isinstance(app.top, PickScene)
    names = [text for _, text in app.top.options]
    assert "Hitachi HDD and compressor magnet recycling (+500 t/yr)" in names
    assert "Lynas Advanced Materials Plant (Kuantan, +11,000 t/yr, 7 quarters to build)" in names
    assert "Lynas Advanced Materials Plant (Kuantan, +11,000 t/yr, 10 quarters to build)" in names
    assert not any(") (" in name for name in names), names
    app.top.choose(names.index("Dong Pao mine (+5,000 t/yr)"))
    assert on_turn_screen(app)
    values = app.top.levers._values(LEVER_BY_KIND["invest_in_project"])
    assert values["project"] == "dong-pao-mine"


def test_a_wto_case_can_be_filed_with_any_one_two_or_three_importers():
    from itertools import combinations

    from game.ui.levers import _wto_partners
    from game.world.model import RareEarthWorld

    world = RareEarthWorld(load_level(find_level("sandbox")), rng=0)
    offered = {value for value, _ in _wto_partners(world)}
    importers = sorted({code for group in offered for code in group})
    assert {"USA", "EU", "KOR"} <= set(importers)
    for size in (1, 2, 3):
        assert all(tuple(sorted(g, key=world.nation_codes.index)) in offered for g in combinations(importers, size))
    assert () in offered


def test_a_double_click_on_propose_sends_the_terms_once_and_insisting_later_sends_them_again(app, monkeypatch):
    """Six quick clicks on Propose sent the same terms six times, at 1 political capital each,
    and showed one answer. The second click of a burst is not sent; a player who insists (the
    seller gives ground as the rounds pass) proposes the same terms again, and is told the cost."""
    import types

    from game.ui.driver import click_at
    from game.ui.scene import REPEAT_CLICK_SECONDS
    from game.ui.scenes import negotiation

    # The burst's clicks all within the repeat window, however slowly a loaded machine draws
    # their frames (under two CI runs at once, six clicks took longer than the window).
    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(negotiation, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    capital = app.game.world.nation("JPN").political_capital
    centre = find_button(app, "Propose").get_abs_rect().center
    for _ in range(6):
        click_at(app, centre)
    talks = app.top
    assert len(app.game.session.this_turns_actions()) == 1
    assert app.game.world.nation("JPN").political_capital == capital - 1
    shown = [getattr(element, "html_text", "") for element in app.ui.get_sprite_group().sprites()]
    assert talks.round == 1 and any("Round 2 of" in text for text in shown)
    talks.answered_at -= REPEAT_CLICK_SECONDS  # the player looked at the answer first
    click(app, "Propose again")
    assert len(app.game.session.this_turns_actions()) == 2


def _spare(app, values) -> float:
    from game.world.views import seller_spare_tpy

    return seller_spare_tpy(app.game.world, values["seller"], MATERIAL_INDEX[values["material"]])


def _most_tonnes(talks, values) -> float:
    tonnes = next(choice for choice in talks.choices if choice.name == "tonnes")
    return tonnes.amount.most(talks.world, {k: v for k, v in values.items() if k != "tonnes"})[0]


def test_talks_with_a_seller_that_has_sold_all_it_makes_forward_cost_nothing(app):
    """Having signed for all a seller could spare, the next proposal cost 1 political capital and
    was countered with "0 t/yr for 3 years", which Accept signed for another; and the dialog read
    "Round 5 of 8" after the signing. A seller with nothing left has nothing to ask for now."""
    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    talks = app.top
    sold_out = talks._values()[0]["seller"]
    click(app, "Propose")
    assert talks.counter is not None
    click(app, "Accept their terms")  # all it can spare
    assert talks.answer[0] == "accept" and talks.round == 0
    capital = app.game.world.nation("JPN").political_capital
    while talks._values()[0]["seller"] != sold_out:
        talks.step(talks.choices[0], -1)  # back to it, with the seller's ◀
    values = talks._values()[0]
    assert _spare(app, values) < 1.0 and _most_tonnes(talks, values) == 0.0
    propose = next(f.element for f in talks.focusables if f.element.text.startswith("Propose"))
    assert not propose.is_enabled
    offered = len(app.game.session.this_turns_actions())
    talks.propose()  # as a key press on it would
    assert len(app.game.session.this_turns_actions()) == offered
    assert app.game.world.nation("JPN").political_capital == capital and talks.counter is None


def test_after_a_deal_the_talks_turn_to_a_seller_with_something_left_and_ask_no_more_than_it_has(app):
    """After signing for all IREL could spare, the talks, and the talks opened again, stayed on
    it: "up to 594 t/yr (all it makes a year)" beside "It has 0 t/yr not yet sold forward", with
    1 t/yr preset."""
    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    sold_out = app.top._values()[0]["seller"]
    click(app, "Propose")
    click(app, "Accept their terms")
    for reopened in (False, True):
        if reopened:
            click(app, "Walk away")
            click(app, "Negotiate…")
        talks = app.top
        values = talks._values()[0]
        assert values["seller"] != sold_out and _spare(app, values) >= 1.0, reopened
        assert _most_tonnes(talks, values) == pytest.approx(_spare(app, values))
        assert 1.0 <= values["tonnes"] <= _spare(app, values) + 1e-9
        assert find_button(app, "Propose").is_enabled


def test_a_dialog_over_a_dialog_takes_every_click_on_it(app):
    """The amount dialog over the offtake talks lay on the talks' layers: the talks' buttons showed
    through it and took clicks, so a click on the amount dialog could propose or sign a contract."""
    from game.ui.driver import click_at

    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    talks = app.top
    propose = find_button(app, "Propose")
    accept = next(f.element for f in talks.focusables if f.element.text.startswith("Accept"))
    price = next(f.element.text for f in app.top.focusables if f.element.text.endswith("/kg"))
    click(app, price)
    assert isinstance(app.top, AmountScene)
    before = len(app.game.session.this_turns_actions())
    for element in (propose, accept):
        click_at(app, element.get_abs_rect().center)
    assert isinstance(app.top, AmountScene) and len(app.game.session.this_turns_actions()) == before
    drawn_over = app.top.box.get_abs_rect()
    hidden = [f.element for f in talks.focusables if f.element.get_abs_rect().colliderect(drawn_over)]
    assert hidden and all(element.layer < app.top.box.layer for element in hidden)


def test_a_refused_amount_is_said_in_one_short_line(app):
    """5,000 pasted digits held the window for 50 s (pygame_gui laid the line out for each) and
    were then repeated whole in the notice, which covered the window."""
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_1)
    value = next(f.element.text for f in app.top.focusables if f.element.text.endswith(" t"))
    click(app, value)
    type_into(app, "")
    app.frame([pygame.event.Event(pygame.TEXTINPUT, text="9" * 5000)])  # pasted at once
    assert app.top.entry.get_text() == "9" * 40
    press(app, pygame.K_RETURN)
    text = app.notice[0]
    assert text.startswith("999999999999999999999...") and len(text) < 80, text


def test_a_paste_goes_in_as_typing_would(app, monkeypatch):
    """A paste longer than the field has room for did nothing, without a word; a figure copied
    from a table brings its line end and spaces."""
    import game.ui.scenes.amount as amount_scene

    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_1)
    click(app, next(f.element.text for f in app.top.focusables if f.element.text.endswith(" t")))
    clipboard = []
    monkeypatch.setattr(amount_scene, "clipboard_paste", lambda: clipboard[-1])
    clipboard.append(" 1,250\r\n")
    press(app, pygame.K_v, pygame.KMOD_CTRL)  # the figure shown is selected: the paste replaces it
    assert app.top.entry.get_text() == "1,250"
    clipboard.append("7" * 100)
    press(app, pygame.K_HOME)
    press(app, pygame.K_v, pygame.KMOD_CTRL)
    assert app.top.entry.get_text() == "7" * 35 + "1,250"
    assert app.top.entry.edit_position == 35


def test_a_refused_amount_names_its_bounds_in_the_amount_s_unit(app):
    """"1e308 is not an amount from 0.01 to 558.10": a price's bounds read as bare numbers."""
    start_level(app, "sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    click(app, next(f.element.text for f in app.top.focusables if f.element.text.endswith("/kg")))
    type_into(app, "1e308")
    press(app, pygame.K_RETURN)
    text, kind, _ = app.notice
    assert kind == "error" and "from US$0.01/kg to US$" in text and text.endswith("/kg"), text


@pytest.mark.parametrize("away", ["Load game", "Settings"])
def test_a_lever_form_filled_in_is_as_it_was_after_load_or_settings(app, away):
    """Going to Load game or Settings from the menu and back made a new turn screen, and the form
    the player had filled in was back to its defaults."""
    start_level(app, "2011-spike", seed=0)
    click(app, "▶")  # Material: NdPr -> Dy/Tb
    before = form_texts(app)
    assert "Dy/Tb" in before
    press(app, pygame.K_ESCAPE)  # the menu
    click(app, away)
    app.frame([])
    assert not on_turn_screen(app)
    click(app, "Back")
    app.frame([])
    assert on_turn_screen(app) and form_texts(app) == before


@pytest.mark.parametrize(("language", "scale"), [("en", 1.0), ("ja", 1.25)])
def test_the_bar_keeps_the_turns_number_when_its_box_is_narrow(app, language, scale):
    """At 100% (or 125% in Japanese) the turn's box was too narrow for 'Turn 9 of 10: 2012Q3'
    and read 'Turn 2012Q3', which says less than the quarter alone; the last turn is called that,
    with its quarter ('最終ターン 20…' lost it)."""
    from game.ui.play import Game

    app.settings.language, app.settings.scale = language, scale
    game = Game("2010-trawler", seed=1)
    for quarter, says in (("2012Q3", ("9/10", "9 of 10")), ("2012Q4", (app.tr("Last"),))):
        while str(game.world.quarter) != quarter:
            game.end_turn()
        app.start_game(game, "turn")
        app.frame([])
        while not on_turn_screen(app):
            press(app, pygame.K_RETURN)
        bar = [box.text for box in app.top.texts if box.text.endswith(quarter)]
        assert bar and any(words in bar[0] for words in says), bar


@pytest.mark.parametrize(("language", "scale"), [("ja", 2.0), ("en", 2.0), ("ja", 1.0)])
def test_projects_whose_names_begin_alike_are_told_apart_when_cut(app, language, scale):
    # Lynas's two Kuantan projects in 2011-spike both read "ライナス先端材料工場（クアン…" at 200%:
    # they differ only in their build time, at the end of the label.
    app.settings.language, app.settings.scale = language, scale
    start_level(app, "2011-spike", seed=0)
    panel = app.top.levers
    panel.choose_tab("Invest")
    lever = LEVER_BY_KIND["invest_in_project"]
    project = lever.choices[0]
    kuantan = [k for k, (value, _) in enumerate(project.options(app.game.world)) if "lamp" in value.lower()]
    assert len(kuantan) == 2, project.options(app.game.world)
    shown = []
    for index in kuantan:
        panel.set_option(lever, project, index)
        previous = next(k for k, element in enumerate(panel.form) if getattr(element, "text", "") == "◀")
        shown.append(panel.form[previous + 1].text)  # the project's value, after its ◀
    assert shown[0] != shown[1], shown

def test_an_amounts_title_in_japanese_joins_with_a_full_width_colon(app):
    # "備蓄買い入れ: 上限価格": a half-width colon and space inside Japanese.
    app.settings.language = "ja"
    app.rebuild()
    start_level(app, "2010-trawler", seed=1)
    click(app, next(t for t in form_texts(app) if t.endswith("t") and t[0].isdigit()))  # "250t"
    assert isinstance(app.top, AmountScene)
    title = app.top.texts[0].text
    assert "：" in title and ": " not in title, title


@pytest.mark.parametrize("size,scale", [((1024, 576), 2.0), ((1024, 576), 1.0), ((1280, 720), 2.0),
                                        ((1280, 720), 1.0), ((4320, 7680), 2.0)])
def test_the_amount_dialogs_parts_lie_inside_it_and_apart(tmp_path, monkeypatch, size, scale):
    """At fixed heights the field ran into the buttons (2 px apart, under the focus ring) in a
    1024x576 window at 160% and a 1280x720 one at 200%."""
    from game.ui.app import open_app
    from game.ui.storage import Settings

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(size, settings=Settings(sound=False, language="ja", scale=scale))
    start_level(window)
    dialog = window.push("amount", title="Release stockpile", choice=LEVER_BY_KIND["release_stockpile"].choices[1],
                         world_values={"material": Material.NDPR}, value=100.0, on_set=lambda value: None)
    window.frame([])
    box = dialog.box.get_abs_rect()
    heading = next(t.element for t in dialog.texts if t.object_id == "#heading").get_abs_rect()
    buttons = [f.element.get_abs_rect() for f in dialog.focusables]
    parts = [heading, dialog.reading[0].get_abs_rect(), dialog.entry.get_abs_rect(), buttons[0]]
    assert all(box.contains(part) for part in parts + buttons), (box, parts, buttons)
    ring = window.u(3)  # the focus ring round a button or the field
    for upper, lower in zip(parts, parts[1:]):
        assert lower.top - upper.bottom >= 2 * ring, (upper, lower)
    assert len({button.top for button in buttons}) == 1
    window.game.close()


@pytest.mark.parametrize("language,limits", [("en", "From 1 year to 20 years"), ("ja", "1年から20年まで")])
def test_a_contracts_years_read_1_year_not_1_years(tmp_path, monkeypatch, language, limits):
    """The offtake talks' Years dialog read "From 1 years to 20 years"."""
    from game.ui.app import open_app
    from game.ui.storage import Settings

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(settings=Settings(sound=False, language=language, warn_before_end=False))
    start_level(window, "2010-trawler")  # a level that opens offtake talks
    press(window, pygame.K_3)
    click(window, window.tr("Negotiate…"))
    years = next(choice for choice in window.top.choices if choice.name == "years")
    click(window, years.amount.shown(window.tr, window.top.chosen.values(window.top.choices, window.game.world)["years"]))
    dialog = window.top
    assert isinstance(dialog, AmountScene)
    assert limits in dialog.reading[0].html_text, dialog.reading[0].html_text
    assert years.amount.shown(window.tr, 1.0) == ("1 year" if language == "en" else "1年")
    assert years.amount.shown(window.tr, 2.0) == ("2 years" if language == "en" else "2年")
    window.game.close()


def test_a_supplier_lent_to_stays_chosen_though_the_loan_moves_it_down_the_list(app):
    """The suppliers are listed least cash first; the choice stayed at its row, so after a loan
    to Mt Weld the field showed the next supplier and Take action again lent to that one."""
    from game.ui.scenes.pick import PickScene

    start_level(app, "2019-trade-war", seed=0)
    press(app, pygame.K_1 + TABS.index("Invest"))
    app.top.levers.choose_lever("refinance_supplier")
    lever = LEVER_BY_KIND["refinance_supplier"]
    firms = [firm for firm, _ in lever.choices[0].options(app.game.world)]
    lent_to = firms[0]
    app.top.levers.open_list(lever, lever.choices[0])
    assert isinstance(app.top, PickScene)
    app.top.choose(0)
    click(app, "Take action")
    assert app.game.session.this_turns_actions()[-1].action.firm == lent_to
    assert [firm for firm, _ in lever.choices[0].options(app.game.world)].index(lent_to) != 0  # it moved
    assert app.top.levers._values(lever)["firm"] == lent_to
    name = app.game.world.firm(lent_to).name
    assert any(name in f.tooltip or f.element.text.startswith(name[:8]) for f in app.top.focusables
               if f.element in app.top.levers.form)


def test_a_project_s_aside_goes_inside_its_name_s_brackets_in_2023(app):
    """The 2023 invest form listed "Mt Weld (Lynas) (+26,000 t/yr)", two asides back to back."""
    from game.ui.scenes.pick import PickScene

    start_level(app, "2023-tech-ban", seed=0)
    press(app, pygame.K_1 + TABS.index("Invest"))
    value = next(f.element for f in app.top.focusables if f.tooltip.startswith("Mt Weld (Lynas"))
    click_at(app, value.get_abs_rect().center)
    assert isinstance(app.top, PickScene)
    names = [text for _, text in app.top.options]
    assert "Mt Weld (Lynas, +26,000 t/yr)" in names and not any(") (" in name for name in names), names
