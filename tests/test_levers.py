"""Japan's levers act through the world's mechanisms, never as a flat bonus."""

from __future__ import annotations

import pytest

from game.actions import FileWtoCase, FundMagnetResearch, FundRecycling, HoldTalks, SetCollectionRules
from game.session import Session
from game.ui.levers import LEVER_BY_KIND, _seller_label, option_text
from game.ui.play import Game
from game.ui.strings import Language
from game.vocab.quarters import Quarter


def fresh(trawler, turns: int = 0, seed: int = 0) -> Session:
    import dataclasses

    # These tests are about what each lever does, so every lever is unlocked.
    session = Session(dataclasses.replace(trawler, unlocked_actions=()), seed=seed)
    session.run(max_turns=turns)
    session.open_turn()
    return session


def test_talks_ease_tension_and_spend_political_capital(trawler):
    talked, silent = fresh(trawler, 1), fresh(trawler, 1)
    capital = talked.world.nation("JPN").political_capital
    assert talked.submit(HoldTalks("CHN")).accepted
    assert talked.world.nation("JPN").political_capital == capital - HoldTalks.capital
    for session in (talked, silent):
        session.end_turn()
    assert talked.rows()[-1]["china_tension_japan"] < silent.rows()[-1]["china_tension_japan"]


def test_political_capital_limits_what_a_government_can_do_in_a_quarter(trawler):
    session = fresh(trawler)
    assert session.submit(HoldTalks("CHN")).accepted  # 6 points at the start, talks take 3
    assert session.submit(HoldTalks("CHN")).accepted
    record = session.submit(HoldTalks("CHN"))
    assert not record.accepted and "political capital" in record.message


def test_a_wto_case_opens_the_dispute_process_and_raises_tension(trawler):
    session = fresh(trawler)
    tension = session.world.nation("CHN").tension_with("JPN")
    assert session.submit(FileWtoCase("CHN", ("USA", "EU"))).accepted
    case = session.world.diplomacy.wto_cases[0]
    assert case.complainants == ["JPN", "USA", "EU"] and case.stage_name == "consultations"
    assert session.world.nation("CHN").tension_with("JPN") > tension
    refused = session.submit(FileWtoCase("JPN"))
    assert not refused.accepted


def test_recycling_adds_supply_only_once_built_and_fed_from_the_urban_mine(trawler):
    def recycled_by_hitachi(fund: bool, rules: bool) -> list[float]:
        session = fresh(trawler, seed=1)
        world = session.world
        if fund:
            assert session.submit(FundRecycling("hitachi-recycling", 40.0)).accepted
        if rules:
            assert session.submit(SetCollectionRules(0.08)).accepted
        out = []
        while not session.is_over:
            session.end_turn()
            out.append(world.firm("hitachi-recycling").output_t)
            world.open_turn()
        return out

    nothing = recycled_by_hitachi(False, False)
    funded = recycled_by_hitachi(True, False)
    funded_and_fed = recycled_by_hitachi(True, True)
    assert funded[0] == 0.0  # a plant must be approved and built before it recycles anything
    assert sum(funded) > sum(nothing)
    assert sum(funded_and_fed) > sum(funded)  # more scrap collected, more recycled


def test_collection_rules_cost_money_every_quarter_they_run(trawler):
    session = fresh(trawler)
    japan = session.world.nation("JPN")
    budget = japan.budget_musd
    assert session.submit(SetCollectionRules(0.08)).accepted  # from 3%: one 5-point step
    assert japan.budget_musd == pytest.approx(budget - 50.0 / 4)
    before = japan.budget_musd
    japan.start_quarter()  # each new quarter brings the allowance, less the rules' running cost
    assert japan.budget_musd == pytest.approx(before + japan.budget_per_quarter_musd - 50.0 / 4)
    assert session.submit(SetCollectionRules(0.03)).accepted  # back to the start: free again
    assert japan.collection_cost_musd_per_quarter == 0.0
    assert not session.submit(SetCollectionRules(0.9)).accepted


def test_magnet_research_cuts_dytb_use_only_when_the_research_is_done(trawler):
    def maker_after(research: bool, until: Quarter) -> float:
        session = fresh(trawler)
        session.world.nation("JPN").budget_musd = 500.0  # as after the October 2010 package
        if research:
            assert session.submit(FundMagnetResearch(200.0)).accepted
        while session.world.quarter < until:
            session.end_turn()
            session.open_turn()
        if research and until > Quarter(2012, 1):
            assert any(n.kind == "research" for n in session.world.news)
        return session.world.firm("hitachi-metals").dy_share

    # While the research runs, makers thrift only as prices push them, as without it.
    assert maker_after(True, Quarter(2012, 1)) == pytest.approx(maker_after(False, Quarter(2012, 1)))
    # Once it is done, they use far less Dy/Tb than they would have.
    assert maker_after(True, Quarter(2012, 4)) < 0.8 * maker_after(False, Quarter(2012, 4))


@pytest.mark.parametrize("action, fragment", [
    (HoldTalks("ATLANTIS"), "no partner"),
    (FundRecycling("baotou-separation", 10.0), "not a recycling plant"),
    (FundRecycling("hitachi-recycling", 1e5), "budget"),
    (FundMagnetResearch(0.0), "above zero"),
])
def test_invalid_levers_are_refused_with_a_reason(trawler, action, fragment):
    session = fresh(trawler)
    before = session.world.nation("JPN").budget_musd
    record = session.submit(action)
    assert not record.accepted and fragment in record.message
    assert session.world.nation("JPN").budget_musd == before


# ----------------------------------------------------------------------------- offtakes, support, deep sea

from game.actions import FundDeepSea, ProposeOfftake, SupportIndustry  # noqa: E402
from game.world.deepsea import STAGES  # noqa: E402
from game.vocab.materials import Material  # noqa: E402


def test_a_proposed_offtake_is_accepted_countered_or_refused_with_its_reason(trawler):
    session = fresh(trawler)  # 2010Q3: IREL has not sold its output forward yet
    world = session.world
    session.world.nation("JPN").political_capital = 12.0
    irel = world.firm("irel-separation")
    irel.output_t = irel.capacity_per_turn  # running flat out, it is in no hurry to sell forward
    lowball = session.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, 1.0))
    assert lowball.accepted and "refuses" in lowball.message and "we do not sell below" in lowball.message
    floor = world.offtakes.proposals[-1][-1].reason.split("US$")[1].split("/kg")[0]
    close = session.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, float(floor) + 0.5))
    assert "counters" in close.message  # just above its floor, in the first round: it asks for more
    countered = world.offtakes.proposals[-1][-1].terms
    assert countered.price > float(floor) + 0.5 and countered.volume_tpy <= 200.0
    generous = session.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, 500.0, round=7))
    assert "accepts" in generous.message
    assert any(c.seller == "irel-separation" and c.buyer == "JPN" and c.price == 500.0 for c in world.ledger.contracts)
    responses = [r for *_, r in world.offtakes.proposals]
    assert [r.action for r in responses] == ["refuse", "counter", "accept"]


def test_emergency_support_lets_japan_outbid_others_for_scarce_supply_in_the_halt(trawler):
    def halt_output(amount: float) -> float:
        session = fresh(trawler, 1)
        session.world.nation("JPN").budget_musd = 2000.0
        if amount:
            assert session.submit(SupportIndustry(amount)).accepted
        session.end_turn()
        return session.rows()[-1]["japan_output_index"]
    assert halt_output(400.0) > halt_output(0.0)


def test_the_deep_sea_programme_goes_stage_by_stage_takes_its_time_and_can_fail(trawler):
    outcomes = []
    for seed in range(6):
        session = fresh(trawler, seed=seed)
        world = session.world
        world.nation("JPN").budget_musd = 5000.0
        assert session.submit(FundDeepSea()).accepted
        refused = session.submit(FundDeepSea())
        assert not refused.accepted and "under way" in refused.message
        quarters = 0
        while world.deep_sea.get("JPN").current is not None and not session.is_over:
            session.end_turn()
            world.open_turn()
            quarters += 1
        assert quarters == STAGES[0].quarters
        outcomes.append(world.deep_sea.get("JPN").done)
        assert world.nation("JPN").environmental_impact == pytest.approx(STAGES[0].environmental_impact)
    assert set(outcomes) <= {0, 1} and 1 in outcomes


def test_only_the_commercial_deep_sea_stages_add_capacity(trawler):
    session = fresh(trawler)
    world = session.world
    programme = world.deep_sea.programme("JPN")
    programme.done = 3  # survey, pilot and test recovery behind it
    programme.rng = type("Lucky", (), {"random": lambda self: 0.0})()
    world.nation("JPN").budget_musd = 5000.0
    assert session.submit(FundDeepSea()).accepted  # the demonstration
    while programme.current is not None and not session.is_over:
        session.end_turn()
        world.open_turn()
    assert world.firm("minamitorishima-mud").capacity_tpy == pytest.approx(STAGES[3].adds_tpy)
    assert world.firm("minamitorishima-processing").capacity_tpy == pytest.approx(STAGES[3].adds_tpy)


def test_a_partnership_makes_japan_a_preferred_buyer_and_speeds_approvals(trawler):
    from game.actions import InvestInProject, SignPartnership

    def approval_wait(partnered: bool, seed: int) -> int:
        session = fresh(trawler, seed=seed)
        world = session.world
        if partnered:
            assert session.submit(SignPartnership("VNM")).accepted
            assert "JPN" in world.nation("VNM").partners
        assert session.submit(InvestInProject("dong-pao-mine", 30.0, 3000.0, 10)).accepted
        waited = 0
        while world.projects["dong-pao-mine"].started is None and not session.is_over:
            session.end_turn()
            world.open_turn()
            waited += 1
        return waited

    assert sum(approval_wait(True, s) for s in range(12)) < sum(approval_wait(False, s) for s in range(12))
    session = fresh(trawler)
    assert not session.submit(SignPartnership("CHN")).accepted  # the leverage power does not


def test_the_talks_form_says_what_talks_would_ease_and_when_they_would_ease_nothing():
    """At its baseline tension eases by nothing: a player paid 3 political capital twice for
    "tension eases by 0.00", the form having said only "Takes: this quarter". The form says so,
    and talks that would ease nothing are refused."""
    from game.scenario import find_level, load_level
    from game.ui.levers import LEVER_BY_KIND

    session = Session(load_level(find_level("2023-tech-ban")), seed=7)
    session.open_turn()
    world = session.world
    lead = LEVER_BY_KIND["hold_talks"].lead
    assert lead(world, {"partner": "CHN"})[0] == "this quarter, easing nothing: tension is at its usual level"
    capital = world.nation("JPN").political_capital
    record = session.submit(HoldTalks("CHN"))  # as the form said: refused, not paid for
    assert not record.accepted and "talks with China would ease nothing" in record.message
    assert world.nation("JPN").political_capital == capital
    world.nation("CHN").tension["JPN"] += 0.3
    template, fields = lead(world, {"partner": "CHN"})
    assert template == "this quarter, easing tension by about {eased:.2f}"
    eased = fields["eased"]
    assert session.submit(HoldTalks("CHN")).message.endswith(f"tension eases by {eased:.2f}")


@pytest.mark.parametrize("language, label", [("en", "Silmet (Estonia, European Union)"), ("ja", "シルメット（エストニア、EU）")])
def test_a_seller_named_with_brackets_takes_its_nation_inside_them(language, label):
    # "シルメット（エストニア）（EU）", "Silmet (Estonia) (EU)": two asides in a row.
    game = Game("2010-trawler", seed=0)
    try:
        assert _seller_label(game.world, "silmet", game.namer(language), Language(language).tr) == label
    finally:
        game.close()


def _supplier_names(game, language: str) -> dict[str, str]:
    choice = LEVER_BY_KIND["refinance_supplier"].choices[0]
    tr = Language(language).tr
    return {firm: option_text(choice, game.world, firm, text, game.namer(language), tr)
            for firm, text in choice.options(game.world)}


@pytest.mark.parametrize("language, shown", [
    ("en", {"chuden-vietnam": "Chuo Denki Kogyo magnet-scrap recycling (Vietnam): cash",
            "showa-denko-vietnam": "Showa Denko Vietnam alloy recycling: cash",
            "lovozero": "Lovozero loparite (Russia, Rest of the world): cash",
            "mt-weld": "Mt Weld (Lynas, Australia): cash"}),
    ("ja", {"chuden-vietnam": "中央電気工業 磁石スクラップ再生（ベトナム）：",
            "showa-denko-vietnam": "昭和電工ベトナム 合金リサイクル：",
            "lovozero": "ロヴォゼロのロパライト（ロシア、その他の国々）：",
            "mt-weld": "マウント・ウェルド（ライナス、オーストラリア）："})])
def test_a_supplier_whose_name_says_its_place_is_not_told_its_nation_again(language, shown):
    # "Chuo Denki Kogyo magnet-scrap recycling (Vietnam) (Vietnam)", "Lovozero loparite (Russia) (Rest of the world)".
    game = Game("2019-trade-war", seed=0)
    try:
        names = _supplier_names(game, language)
        assert {firm: names[firm][:len(start)] for firm, start in shown.items()} == shown
    finally:
        game.close()


def test_money_below_zero_reads_with_its_sign_before_the_currency():
    # "cash US$-22M"; and a loss rounded to nothing is no loss: "US$0M", not "-US$0M".
    for language in ("en", "ja"):
        tr = Language(language).tr
        assert tr("US${v:,.0f}M", v=-22.4) == "-US$22M"
        assert tr("US${v:,.0f}M", v=-0.2) == "US$0M"
        assert tr("US${v:,.0f}M", v=1500.0) == "US$1,500M"


def test_collection_rules_already_in_force_are_refused_not_paid_for_again(trawler):
    """Set twice at one rate (Take action pressed twice), the rules charged the quarter's running
    and two political capital a second time, and the news told them twice. Rules already in
    force are refused, in English and Japanese; a new rate is still taken."""
    session = fresh(trawler)
    japan = session.world.nation("JPN")
    assert session.submit(SetCollectionRules(0.08)).accepted
    budget, capital = japan.budget_musd, japan.political_capital
    record = session.submit(SetCollectionRules(0.08))
    assert not record.accepted and "already collect 8% of end-of-life magnets" in record.message
    assert (japan.budget_musd, japan.political_capital) == (budget, capital)
    assert session.submit(SetCollectionRules(0.13)).accepted
    assert japan.collection_rate == 0.13
    assert Language("ja").tr("the collection rules already collect {rate:.0%} of end-of-life magnets",
                             rate=0.08) == "回収制度はすでに使用済み磁石の8%を回収しています"


def test_the_deep_sea_form_cannot_be_taken_while_a_stage_is_under_way():
    """2026-deep-sea in the window: after funding the test recovery, the form read 「所要期間：段階を
    実施中」 over an enabled Take action, and taking it was refused ("the test recovery stage is still
    under way"). The form says why it cannot be taken, as for talks that would ease nothing."""
    from game.scenario import find_level, load_level
    from game.ui.levers import cannot_take

    session = Session(load_level(find_level("2026-deep-sea")), seed=7)
    session.open_turn()
    lever = LEVER_BY_KIND["fund_deep_sea"]
    assert cannot_take(lever, session.world, {}) is None
    assert session.submit(FundDeepSea()).accepted
    assert not session.submit(FundDeepSea()).accepted  # the session refuses a second stage now
    assert cannot_take(lever, session.world, {}) == ("A stage is under way", {})
