"""What a team and the facilitator see of a class's game, as plain data (JSON-able): the window
draws it, the network sends it. A team's view holds only what its nation would know (its own
figures, levers and options, public news, what history did where it now decides) and, when
the facilitator allows it, the other teams' figures and stars.

Each lever comes as a form: its fields, with the choices the world offers now (the partners,
the projects waiting for money or for approval, the sellers, the materials) and sensible
starting amounts, so a window or a client needs to know nothing of the world to offer it.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, fields
from typing import Any

from game.action_base import ACTION_TYPES, Said, explanation, say
from game.actions import PRODUCER_ROLES, budget_left_musd
from game.company_levers import Borrow
from game.facilitation import FACILITATOR
from game.vocab.materials import MATERIALS, OXIDE_SELLER_ROLES, Role
from game.workshop.classroom import Workshop
from game.world.indicators import company_row, exports_t, secured_share
from game.world.supply_report import supply_report
from game.world.views import projects_open_to

#: Starting amounts offered in a lever's form, by field name (the team changes them).
STARTING_AMOUNTS = {
    "tonnes": 100.0, "tonnes_per_year": 1000.0, "max_price_usd_per_kg": 60.0, "amount_musd": 50.0,
    "offtake_tpy": 500.0, "years": 5, "price_usd_per_kg": 60.0, "rate": 0.25, "approval_rate": 0.5,
    "collection_rate": 0.1, "usd_per_kg": 1.0, "enforcement": 1.0, "round": 0,
}
#: What stops a company's borrowing against a plant, as its form says it (a window's string key).
LENDING_LIMIT = "what lenders advance against this plant: half of what building its capacity again would cost, less its debt"
OFFTAKE_BOUGHT = "what this money buys of the project's output"
#: Why an amount's most is what it is, where the world sets it (as the one-player form says it).
STOCKPILE_LEFT = "left in the stockpile"
BUDGET_LEFT = "the budget left this quarter"
BUDGET_PAYS = "what the budget left pays at the price cap"
NOTHING_TO_BORROW = ("Nothing can be borrowed against this plant now: lenders advance up to half of what building "
                     "its capacity again would cost, less its debt, and it has no capacity built or owes that much.")
#: The highest amount a form offers, by field name (the action's own check is the rule).
HIGHEST_AMOUNTS = {"rate": 1.0, "approval_rate": 1.0, "collection_rate": 0.5, "enforcement": 1.0, "years": 30,
                   "round": 0, "usd_per_kg": 20.0}


def said_data(said: Said | None) -> dict[str, Any] | None:
    """A Said as plain data: its template and fields (a Said inside one as data too)."""
    if said is None:
        return None
    shown = {}
    for key, value in said.fields:
        if isinstance(value, Said):
            value = said_data(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        elif not isinstance(value, (int, float, str, bool)) and value is not None:
            value = str(value)
        shown[key] = value
    return {"template": said.template, "fields": shown}


def said_from_data(data: dict[str, Any]) -> Said:
    """The Said that ``said_data`` wrote (lists come back as tuples)."""
    items = []
    for key, value in data.get("fields", {}).items():
        if isinstance(value, dict):
            value = said_from_data(value)
        elif isinstance(value, list):
            value = tuple(value)
        items.append((key, value))
    return Said(str(data.get("template", "")), tuple(items))


def record_data(record, by: str) -> dict[str, Any]:
    return {"quarter": str(record.quarter), "nation": record.nation, "by": by, "kind": record.action.kind,
            "action": record.action.to_dict(), "accepted": record.accepted, "message": record.message,
            "said": said_data(record.said)}


def news_data(item) -> dict[str, Any]:
    fields_ = {}
    for key, value in item.fields:
        fields_[key] = value if isinstance(value, (int, float, str, bool)) or value is None else str(value)
    return {"quarter": str(item.quarter), "kind": item.kind, "headline": item.headline, "source": item.source,
            "template": item.template, "fields": fields_}


def lever_forms(workshop: Workshop, role: str) -> list[dict[str, Any]]:
    """Each lever the role may pull, with its fields and their choices now."""
    return [_form(workshop, role, kind) for kind in workshop.levers(role)]


def _form(workshop: Workshop, role: str, kind: str) -> dict[str, Any]:
    cls = ACTION_TYPES[kind]
    return {"kind": kind, "label": cls.label, "capital": cls.capital,
            "help": explanation(cls),
            "fields": [_field(workshop, role, kind, f) for f in fields(cls)]}


def _field(workshop: Workshop, role: str, kind: str, f) -> dict[str, Any]:
    world = workshop.world
    default = None if f.default is MISSING else f.default
    if isinstance(default, tuple):
        default = [getattr(v, "value", v) for v in default]
    elif hasattr(default, "value"):
        default = default.value
    field_ = {"name": f.name, "type": "number", "choices": None, "default": default}
    if f.type in ("Material", "tuple[Material, ...]"):
        field_["type"] = "material" if f.type == "Material" else "materials"
        field_["choices"] = [[m.value, m.label] for m in MATERIALS]
    elif f.name in ("partner", "respondent", "partners"):
        field_["type"] = "nations" if f.name == "partners" else "nation"
        partners = [n for n in world.nation_list if n.code != role]
        if kind == "sign_partnership":
            partners = [n for n in partners if n.doctrine == "partner"]
        field_["choices"] = [[n.code, n.name] for n in partners]
        if kind == "file_wto_case" and f.name == "partners":
            # The respondent chosen is not offered beside it: no nation joins a case against itself.
            field_["without"] = "respondent"
    elif f.name == "project":
        if kind in ("approve_project", "refuse_project"):
            projects = world.investment.awaiting_approval(role)
        elif kind == "build_project":
            projects = [p for p in world.projects.values() if p.firm in world.companies.get(role, ())
                        and p.started is None and not p.done and not p.failed]
        else:
            projects = projects_open_to(world, role)
        field_["type"] = "choice"
        labels = {p.id: _project_label(world, p, projects) for p in projects}
        field_["choices"] = [[project_id, str(label)] for project_id, label in labels.items()]
        # Its template and names, for a window to word it in its language as the one-player form does.
        field_["worded"] = {project_id: said_data(label) for project_id, label in labels.items()}
    elif f.name in ("seller", "firm", "recycler"):
        wanted = {"seller": OXIDE_SELLER_ROLES, "firm": PRODUCER_ROLES, "recycler": (Role.RECYCLER,)}[f.name]
        firms = [firm for firm in world.firm_list if firm.role in wanted and firm.alive]
        if role in world.companies:  # a company's levers act on its own firms
            firms = [world.firm(firm_id) for firm_id in world.companies[role]]
        if f.name == "recycler":
            firms = [firm for firm in firms if role in [n.code for n in firm.scrap_sources]]
        field_["type"] = "choice"
        field_["choices"] = [[firm.firm_id, firm.name] for firm in firms]
    elif f.type == "int":
        field_["type"] = "integer"
    if field_["type"] in ("number", "integer"):
        if field_["default"] is None:
            field_["default"] = STARTING_AMOUNTS.get(f.name, 0.0)
        field_["low"] = 1 if f.name == "years" else 0
        field_["high"] = HIGHEST_AMOUNTS.get(f.name)
        _as_things_stand(workshop, role, kind, f.name, field_)
    elif field_["default"] is None and field_["choices"]:
        field_["default"] = [] if field_["type"] in ("nations", "materials") else field_["choices"][0][0]
    return field_


def _project_label(world, project, listed) -> Said:
    """A project as a form lists it: its firm and what it adds, and where another in the list
    reads the same (Lynas's two plant phases), how long it takes to build, as the one-player
    form tells them apart (in its words: game/ui/levers.py)."""
    name = world.firm(project.firm).name
    if any(project.reads_alike(other) for other in listed):
        return say("{name} (+{tpy:,.0f} t/yr, {n} quarters to build)", name=name, tpy=project.adds_tpy,
                   n=project.quarters_to_build)
    return say("{name} (+{tpy:,.0f} t/yr)", name=name, tpy=project.adds_tpy)


def _as_things_stand(workshop: Workshop, role: str, kind: str, name: str, field_: dict[str, Any]) -> None:
    """Start a form's amount where the nation stands now (a quota at the present one, a price
    near today's, a release within the stockpile), so submitting it unchanged changes little."""
    world = workshop.world
    if workshop.is_company(role):
        if kind == "borrow" and name == "amount_musd":
            # The most depends on the plant chosen: the window stops at it, and offers no Submit
            # where lenders advance nothing (US$50M was offered, and refused).
            highs = {firm_id: max(0.0, round(Borrow(firm_id, 0.0).lending_room(world), 1))
                     for firm_id in world.companies[role]}
            field_["high_by"] = {"field": "firm", "highs": highs, "why": LENDING_LIMIT, "none": NOTHING_TO_BORROW}
            field_["default"] = min(50.0, max(highs.values(), default=0.0))
        elif name == "amount_musd":
            field_["default"] = 50.0
        return
    if kind == "invest_in_project" and name == "offtake_tpy":
        # What the money buys depends on the project and the money chosen: the window works it
        # out from each project's [tonnes it adds, tonnes a year each US$M buys, this nation's
        # money in it already, the offtakes it holds there, the tonnes nobody holds] (as the
        # world's offtake_open_tpy), starts there and stops there (0 t/yr was offered, and
        # secured nothing).
        investment = world.investment
        field_["buys"] = {"field": "project", "money": "amount_musd", "why": OFFTAKE_BOUGHT,
                          "projects": {p.id: [p.adds_tpy, investment.offtake_right_tpy(p, 1.0),
                                              p.funders.get(role, 0.0), p.offtake_held_tpy(role),
                                              p.adds_tpy - p.offtake_held_tpy()]
                                       for p in projects_open_to(world, role)}}
        return
    nation = world.nation(role)
    ndpr = float(world.prices[world.nation_index(role), 0])
    if kind == "set_export_quota":
        _quota_as_it_stands(world, role, field_)
    elif kind == "set_export_duty":
        field_["default"] = round(float(world.policy.tariff(role)[0]), 2)
    elif kind == "cap_mining" and name == "tonnes_per_year":
        rows = workshop.rows.get(role) or []
        field_["default"] = round(4.0 * float(rows[-1]["mined_t"]), -2) if rows else field_["default"]
    elif kind == "release_stockpile" and name == "tonnes":
        field_["high"] = round(float(nation.stockpile.max()), 1)
        field_["why"] = STOCKPILE_LEFT
        field_["default"] = min(field_["default"], field_["high"])
    elif kind == "buy_stockpile" and name == "tonnes":
        # The most depends on the price cap chosen: what the budget left pays at it (the action's
        # check), so the window stops there rather than offering a million tonnes Submit refuses.
        field_["pays"] = {"price": "max_price_usd_per_kg", "why": BUDGET_PAYS,
                          "budget_musd": max(0.0, float(budget_left_musd(world, nation.code)))}
    elif kind in ("buy_stockpile", "propose_offtake") and name in ("max_price_usd_per_kg", "price_usd_per_kg") \
            and ndpr > 0:
        field_["default"] = round(ndpr * (1.1 if kind == "buy_stockpile" else 1.0), 2)
    elif name == "amount_musd":
        field_["high"] = max(0.0, round(float(budget_left_musd(workshop.world, nation.code)), 1))
        field_["why"] = BUDGET_LEFT
        field_["default"] = min(field_["default"], field_["high"])


#: The export quota form's round steps, as shares of the quota now (or of what the nation exports
#: at the last quarter's pace, where it has none): from a halt to three times as much.
QUOTA_STEP_SHARES = (0.0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.25, 1.5, 2.0, 3.0)


def _quota_as_it_stands(world, role: str, field_: dict[str, Any]) -> None:
    """The export quota's form starts at the quota now, says what it is, and steps in round
    shares of it. Where there is none it starts at what the nation exports a year at the last
    quarter's pace: the form started at 0 t/yr, a halt of all exports one Submit away."""
    quota = float(sum(world.policy.quota_per_turn(role))) * 4.0
    exported = 4.0 * exports_t(world, role)
    if math.isfinite(quota):
        now = say("Quota now: {tonnes:,.0f} t a year", tonnes=quota)
    else:
        now = say("No quota now; exports run at {tonnes:,.0f} t a year", tonnes=exported)
        quota = exported
    field_["default"] = round(quota, -2) if quota >= 1000 else round(quota)
    field_["now"] = said_data(now)
    field_["steps"] = sorted({round(quota * share, -2) if quota * share >= 1000 else round(quota * share)
                              for share in QUOTA_STEP_SHARES})


def team_view(workshop: Workshop, role: str) -> dict[str, Any]:
    """What the team playing ``role`` sees now."""
    spec = workshop.roles_spec.role(role)
    money, capital = _money_now(workshop, role)
    result = workshop.result(role)
    see_others = "teams_see_each_other" in workshop.flags
    return {
        **_game_data(workshop),
        "role": role,
        "role_name": dict(spec.name),
        "team": workshop.teams.get(role, ""),
        "done": role in workshop.done,
        "kind": "company" if spec.is_company else "nation",
        "budget_musd": float(money),
        "political_capital": float(capital),
        "levers": lever_forms(workshop, role) if not workshop.is_over else [],
        "rows": [dict(r) for r in workshop.rows.get(role, [])],
        "before": dict(workshop.before[role]) if role in workshop.before else None,
        "known_now": _known_now(workshop, role),
        "objectives": _objectives(result),
        "stars": result.stars,
        "score": result.score,
        "news": [news_data(item) for item in workshop.visible_news(role)],
        "actions": [record_data(e.record, e.by) for e in workshop.entries if e.record.nation == role],
        "others": _others(workshop) if see_others else {},
    }


def _money_now(workshop: Workshop, role: str) -> tuple[float, float]:
    """What the role has to spend in the quarter being played, and its political capital: a
    nation's budget left, a company's firms' cash (it spends no political capital)."""
    world = workshop.world
    spec = workshop.roles_spec.role(role)
    if spec.is_company:
        return float(sum(world.firm(f).cash_musd for f in spec.firms)), 0.0
    # What is left to commit: a stockpile bid holds its money until the market fills it (the
    # header said US$10M while a refusal said US$4M was left).
    return float(budget_left_musd(world, role)), float(world.nation(role).political_capital)


def _spendable_now(workshop: Workshop, code: str) -> dict[str, float]:
    """The role's money in the quarter being played, by the column its rows record it in, as
    its team's own header gives it: the projector read the last quarter's closing budget
    (US$85M) under a heading naming the next quarter, where Japan's team had US$1,315M."""
    money, capital = _money_now(workshop, code)
    if workshop.roles_spec.role(code).is_company:
        return {"cash_musd": money}
    return {"budget_musd": money, "political_capital": capital}


def known_before_a_quarter(world, nation: str) -> dict[str, float]:
    """The nation's figures that are known before any quarter is played, as the one-player bar
    shows them on a level's first turn (game.ui.indicator_bar): the stockpile's days over this
    quarter's needs, the share secured as the contracts stand now, and the budget. A team's
    chart titles, the other teams' figures and the projector read them until a quarter has been
    recorded (they read "-" beside the bar's 49 days)."""
    return {"stockpile_days": float(supply_report(world, nation).stockpile_days),
            "secured_share": float(secured_share(world, nation)),
            "budget_musd": float(world.nation(nation).budget_musd)}


def _latest_row(workshop: Workshop, code: str) -> dict[str, Any] | None:
    """The role's last quarter recorded, or before any, the last of the history its level
    continues (as a team's own charts start from it), else None."""
    rows = workshop.rows.get(code)
    return rows[-1] if rows else workshop.before.get(code)


def _known_now(workshop: Workshop, code: str) -> dict[str, float]:
    """What a window reads while the role has no quarter to show, worked out only then: a
    nation's ``known_before_a_quarter``; a company's cash and debt (what its plants made is its
    quarters' alone: before one, "-" rather than a 0 that reads as a plant standing idle)."""
    if _latest_row(workshop, code) is not None:
        return {}
    spec = workshop.roles_spec.role(code)
    if spec.is_company:
        books = company_row(workshop.world, spec.firms)
        return {column: books[column] for column in ("cash_musd", "debt_musd")}
    return known_before_a_quarter(workshop.world, code)


def facilitator_view(workshop: Workshop) -> dict[str, Any]:
    """What the facilitator (and the projector) sees now: every nation's figures and stars,
    the teams, the events still to come and everything that happened."""
    return {
        **_game_data(workshop),
        "flags": sorted(workshop.flags),
        "others": _others(workshop),
        "events": [{"index": i, "date": e.date.isoformat(), "headline": e.headline,
                    "headline_ja": e.headline_ja or e.headline} for i, e in workshop.waiting_events()],
        "unrevealed": len([i for i in workshop._scheduled_news() if i not in workshop.revealed])
        if "reveal_events_by_hand" in workshop.flags else 0,
        "news": [news_data(item) for item in workshop.visible_news(None)],
        "actions": [record_data(e.record, e.by) for e in workshop.entries],
        "facilitator": FACILITATOR,
    }


def _game_data(workshop: Workshop) -> dict[str, Any]:
    scenario = workshop.scenario
    return {
        "level": scenario.id,
        "level_title": dict(scenario.title),
        "code": workshop.code,
        "quarter": str(min(workshop.quarter, scenario.end)),
        "turn": workshop.world.turn,
        "turns": scenario.end - scenario.start + 1,
        "started": workshop.started,
        "paused": workshop.paused,
        "over": workshop.is_over,
        "roles": list(workshop.roles),
        "teams": {code: {"team": workshop.teams.get(code, ""), "present": code not in workshop.away,
                         "done": code in workshop.done} for code in workshop.roles},
    }


def _objectives(result) -> list[dict[str, Any]]:
    # The figures its reason rounds, for a window to word them in their unit (a share's in %).
    return [{"id": v.objective.id, "text": dict(v.objective.text), "star": v.objective.star, "met": v.met,
             "reason": v.reason, "indicator": v.objective.indicator, "value": v.value,
             "threshold": v.objective.threshold} for v in result.verdicts]


def _others(workshop: Workshop) -> dict[str, Any]:
    shown = {}
    for code in workshop.rows:
        result = workshop.result(code)
        spec = workshop.roles_spec.role(code)
        latest = _latest_row(workshop, code)
        shown[code] = {"name": dict(spec.name), "kind": "company" if spec.is_company else "nation",
                       "last": dict(latest) if latest else {}, "stars": result.stars,
                       "score": result.score, "played_by": workshop.played_by(code),
                       "objectives": _objectives(result), "known_now": _known_now(workshop, code),
                       "spendable_now": _spendable_now(workshop, code)}
    return shown

