"""English lines agree with the names of the world: plural names, names ending in s and names
ending in a parenthesis, in the news, and as the workshop reads those lines back."""

from __future__ import annotations

import re

from game.scenario import find_level, load_level
from game.ui.strings import Language, table
from game.vocab.english import THIRD_PERSON_VERBS, english_forms, is_plural
from game.vocab.quarters import Quarter
from game.workshop.wording import Wording
from game.world.news import NewsItem

SIGNS = ("{seller} signs {tpy:,.0f} t/yr of {material} for {nation} for {years} years at a base of "
         "US${price:,.1f}/kg, {indexed:.0%} indexed to the market")
DELIVERS = ("{seller} delivers {delivered:,.{decimals}f} of the {due:,.{decimals}f} t of {material} it owes "
            "{buyer}: {reason}")

#: Words after a field in the string table that end in s and are not verbs: "{n} quarters".
NOT_VERBS = frozenset({"actions", "breaches", "bytes", "characters", "contracts", "digits", "exports", "items",
                       "lenders", "levels", "minutes", "nations", "numbers", "quarters", "windows", "years"})


def headline(template: str, **fields: object) -> str:
    return NewsItem(Quarter(2011, 1), "contract", None, "", template, tuple(fields.items())).headline


def signed(seller: str) -> str:
    return headline(SIGNS, seller=seller, tpy=62, material="NdPr oxide", nation="United States", years=3,
                    price=40, indexed=0.5)


def test_a_plural_name_takes_a_plural_verb_and_pronoun_and_a_singular_one_does_not():
    """"Baotou separation plants signs 62 t/yr of NdPr oxide for United States", seen in the news
    of 2011Q1; "Lynas" and "Hitachi Metals" are one firm each."""
    assert signed("Baotou separation plants").startswith("Baotou separation plants sign 62 t/yr")
    assert signed("Lynas").startswith("Lynas signs 62 t/yr")
    assert signed("Hitachi Metals").startswith("Hitachi Metals signs 62 t/yr")
    assert headline(DELIVERS, seller="Sichuan separation plants", delivered=1.0, due=2.0, decimals=0,
                    material="Dy/Tb oxide", buyer="China", reason="not enough stock") \
        == "Sichuan separation plants deliver 1 of the 2 t of Dy/Tb oxide they owe China: not enough stock"
    assert headline("{firm} cannot pay its share of {tpy:,.0f} t/yr", firm="Kachin ionic-clay mines", tpy=5) \
        == "Kachin ionic-clay mines cannot pay their share of 5 t/yr"
    assert headline("{firm} is mothballed", firm="Kazatomprom uranium residues") \
        == "Kazatomprom uranium residues are mothballed"


def test_which_names_english_takes_as_plural():
    plural = ("US magnet makers", "Guangdong and Fujian ionic-clay mines", "Chinese catalysts, glass, metallurgy",
              "Sichuan plants (China)")
    singular = ("United States", "Lynas", "Hitachi Metals", "Rest of the world", "SARECO (Sumitomo and Kazatomprom)",
                "Hitachi HDD and compressor magnet recycling", "Vacuumschmelze", "glass")
    assert [name for name in plural if not is_plural(name)] == []
    assert [name for name in singular if is_plural(name)] == []


def test_a_name_ending_in_a_parenthesis_owns_through_of():
    """"Rest of the world approves Lovozero loparite (Russia)'s project"."""
    approves = "{host} approves {firm}'s project"
    assert headline(approves, host="Rest of the world", firm="Lovozero loparite (Russia)") \
        == "Rest of the world approves the project of Lovozero loparite (Russia)"
    assert headline("{firm}'s project fails at commissioning", firm="Mt Weld (Lynas)") \
        == "The project of Mt Weld (Lynas) fails at commissioning"
    assert headline(approves, host="Japan", firm="TDK") == "Japan approves TDK's project"


def test_a_nations_lenders_read_right_for_any_nation():
    """"China lenders refinance Sichuan separation plants": a nation's name is not its adjective."""
    template = next(key for key in table("ja") if "state lenders refinance" in key)
    assert headline(template, backer="China", firm="Sichuan separation plants", musd=5.0) \
        == "China's state lenders refinance Sichuan separation plants: US$5M"
    assert headline(template, backer="United States", firm="Mt Weld (Lynas)", musd=5.0) \
        == "United States' state lenders refinance Mt Weld (Lynas): US$5M"


def test_every_word_after_a_name_in_the_string_table_is_known_as_a_verb_or_not():
    """A new template's "{firm} vows" would stay singular after a plural name unless the verb is
    listed: each word ending in s after a field is a listed verb or a listed other word."""
    unknown = {word for key in table("ja") for word in re.findall(r"\{\w+\} (\w+s)\b", key)
               if word not in THIRD_PERSON_VERBS and word not in NOT_VERBS}
    assert unknown == set()


def test_the_japanese_line_is_worded_from_the_names_as_they_are():
    ja = Language("ja")
    assert ja.tr(SIGNS, seller="Baotou separation plants", tpy=62, material="NdPr", nation="Japan", years=3,
                 price=40, indexed=0.5).startswith("Baotou separation plantsが")
    assert "Lovozero loparite (Russia)のプロジェクト" in ja.tr("{host} approves {firm}'s project", host="Japan",
                                                           firm="Lovozero loparite (Russia)")


def test_the_workshop_words_in_japanese_the_lines_english_made_agree():
    """The debrief's Japanese page reads the results' English lines back through the templates:
    a line worded for a plural or bracketed name must still match its template."""
    assert len(english_forms("{host} approves {firm}'s project")) > 1
    words = Wording("ja", load_level(find_level("2010-trawler")), None)
    approves = "{host} approves {firm}'s project"
    for line in (signed("Baotou separation plants"),
                 headline(approves, host="Rest of the world", firm="Lovozero loparite (Russia)"),
                 headline("{firm} is mothballed", firm="Kazatomprom uranium residues")):
        worded = words.text(line)
        assert worded != line and re.search("[ぁ-んァ-ン一-龥]", worded), line
