"""Where the Japanese screens join an objective's own words with a template's, no mark comes
twice: the End turn warning read 「日本の工場を止めない：生産指数を…保つ：危険」 (the objective's text
has its colon, the template added one) and the debrief 「目標は年3,500t以上（平均））」 (the rule's
bracket inside the debrief's). Every objective of every shipped level, judged in every way an
objective can be, as the debrief, the objectives page and the warning draw it."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from game.objectives import RULES, Standing, Verdict
from game.scenario import load_level, shipped_level_paths
from game.ui.objective_view import MEASURED, STATES, describe
from game.ui.scenes.debrief import objective_and_reason
from game.ui.strings import Language

#: A mark twice in a row, a closing bracket straight after another, or two bracketed asides run
#: together (「…保有する（全鉱種を価値で加重）（2021Q1～…）」, the level's aside then the debrief's).
_DOUBLED = re.compile(r"：\s*：|。\s*。|、\s*、|）\s*）|）\s*（")


def two_colons_in_a_sentence(line: str) -> bool:
    """Whether a sentence has two colons outside any bracket, or one bracketed note has two."""
    colons = [0]  # per bracket depth, in the sentence being read
    for char in line:
        if char == "（":
            colons.append(0)
        elif char == "）" and len(colons) > 1:
            colons.pop()
        elif char == "。":
            colons[-1] = 0
        elif char == "：":
            colons[-1] += 1
            if colons[-1] > 1:
                return True
    return False


def joined_lines(scenario, tr):
    """Each objective's lines as the debrief, the objectives page and the End turn warning join them."""
    app = SimpleNamespace(tr=tr, game=SimpleNamespace(scenario=scenario))
    for objective in scenario.objectives:
        text = objective.text.get("ja", objective.id)
        for measure in ("value", *MEASURED):
            for span in (None, (str(scenario.start), str(scenario.end))):
                verdict = Verdict(objective, met=False, reason="", margin=0.0, value=objective.threshold,
                                  where=str(scenario.start), measure=measure, span=span)
                yield "".join(objective_and_reason(text, verdict, tr))
                detail = describe(app, Standing(verdict, "at_risk"))
                yield detail
                state = tr(STATES["at_risk"][1])
                yield tr("{stars} {objective}: {state}. {detail}", stars="★", state=state, objective=text,
                         detail=detail)
                yield tr("{stars} {objective}: {state}. {detail}. If the market brings no more than last quarter, "
                         "output could fall to about {projected:.2f} (see Supply).", stars="★", state=state,
                         objective=text, detail=detail, projected=0.9)


@pytest.mark.parametrize("path", shipped_level_paths(), ids=lambda path: path.stem)
def test_no_mark_comes_twice_where_an_objective_is_joined_to_a_template(path):
    scenario = load_level(path)
    tr = Language("ja").tr
    assert {objective.rule for objective in scenario.objectives} <= set(RULES)
    doubled = [line for line in joined_lines(scenario, tr) if _DOUBLED.search(line) or two_colons_in_a_sentence(line)]
    assert not doubled, doubled[:3]
