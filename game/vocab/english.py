"""English lines that agree with the names they are filled with. A template is written for one
name ("{seller} signs", "{host} approves {firm}'s project"); the names of this world are of
every kind, so before a template is filled it is worded for them:

- a name ending in s takes the apostrophe alone ("the United States' approval", "Korean magnet
  makers' project");
- a plural name takes a plural verb and pronoun ("Baotou separation plants sign", "... they
  owe Japan", "their share");
- a name ending in a parenthesis is not followed by "'s" ("Lovozero loparite (Russia)'s
  project") but owns through "of" ("the project of Lovozero loparite (Russia)").

Other languages word these their own way: only English templates go through this."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

#: A field followed by "'s" in a template, and the word it owns: "{host}'s approval".
_FIELD_POSSESSIVE = re.compile(r"\{(\w+)\}'s(?![A-Za-z])( \w+)?")
#: A field followed by a word, which may be its verb: "{seller} signs".
_FIELD_AND_WORD = re.compile(r"\{(\w+)\} (\w+)\b")
#: "it" or "its" as a plural subject turns them ("all it makes", "its share", "against itself").
_PRONOUN = re.compile(r"\b(it|its|itself)\b(?: (\w+)\b)?")

#: The third-person verbs templates put after a name or "it", with their plural: a word not
#: here is left as it is ("{backer} state lenders", "{material} exports", "{n} quarters").
#: ``tests/test_english.py`` requires every such word in the string table to be here or
#: among the words known not to be verbs, so a new template's verb cannot be missed.
_IRREGULAR_PLURALS = {"is": "are", "has": "have", "does": "do", "goes": "go", "was": "were"}
_REGULAR_VERBS = frozenset(
    "accepts answers approves asks begins borrows buys caps comes complies costs counters decides delivers "
    "embargoes ends expects fails falls gains halts holds lasts lends licenses lifts makes measures owes pays "
    "raises reads records refinances refuses reopens requires restarts reviews saves sells sets shows signs "
    "stands starts succeeds takes turns works".split())
THIRD_PERSON_VERBS = frozenset(_IRREGULAR_PLURALS) | _REGULAR_VERBS
_PRONOUN_PLURALS = {"its": "their", "itself": "themselves"}
#: Verbs that stay as they are after a plural subject: "they cannot".
_MODALS = frozenset("can cannot could may might must shall should will would".split())

#: A name's trailing parenthesis, which says where or whose it is: "Mt Weld (Lynas)".
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")


def is_plural(name: str) -> bool:
    """Whether English takes ``name`` as plural: a list ("Chinese catalysts, glass,
    metallurgy"), or a name whose last word, before any parenthesis, is a common noun's plural
    ("Baotou separation plants", "Kazatomprom uranium residues"). A capitalised last word is
    a proper name's and singular ("Hitachi Metals", "Lynas", "the United States"), as is one
    ending in -ss ("glass")."""
    bare = _TRAILING_PARENTHESIS.sub("", name.strip())
    if ", " in bare:
        return True
    last = bare.rsplit(" ", 1)[-1]
    return last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def plural_verb(verb: str) -> str:
    """The plural of a third-person verb of ``THIRD_PERSON_VERBS``: "signs" -> "sign"."""
    if verb in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[verb]
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "oes")):
        return verb[:-2]
    return verb[:-1]


def worded_for(template: str, values: Mapping[str, object]) -> str:
    """The English ``template`` worded for the names in ``values`` (see the module), ready for
    ``str.format(**values)``."""
    names = {field: value for field, value in values.items() if isinstance(value, str)}
    if not names or "{" not in template:
        return template
    plural = {field for field, name in names.items() if is_plural(name)}
    if plural:
        template = _with_plural_subjects(template, plural)
    if "}'s" in template:
        template = _FIELD_POSSESSIVE.sub(lambda match: _owned(match, names.get(match.group(1))), template)
    return template


def _with_plural_subjects(template: str, plural: set[str]) -> str:
    """``template`` with the verbs after the ``plural`` fields made plural; and, where such a
    field begins the line as its subject, "it" and "its" after it made "they" and "their"."""
    def agreeing(match: re.Match) -> str:
        field, word = match.groups()
        if field in plural and word in THIRD_PERSON_VERBS:
            return "{" + field + "} " + plural_verb(word)
        return match.group(0)

    worded = _FIELD_AND_WORD.sub(agreeing, template)
    subject = _FIELD_AND_WORD.match(template)
    if subject and subject.group(1) in plural and (subject.group(2) in THIRD_PERSON_VERBS | _MODALS):
        worded = _PRONOUN.sub(_plural_pronoun, worded)
    return worded


def _plural_pronoun(match: re.Match) -> str:
    pronoun, word = match.groups()
    if pronoun != "it":
        plural = _PRONOUN_PLURALS[pronoun]
    elif word in THIRD_PERSON_VERBS:
        return f"they {plural_verb(word)}"
    else:  # "it cannot", or "it" as an object: "sells it to"
        plural = "they" if word in _MODALS else "them"
    return plural if word is None else f"{plural} {word}"


def _owned(match: re.Match, name: object) -> str:
    """A ``{field}'s word`` worded for the name that fills it."""
    field, owned = match.group(1), match.group(2) or ""
    if not isinstance(name, str):
        return match.group(0)
    if name.endswith(")") and owned:  # "Mt Weld (Lynas)'s project" reads as a slip
        article = "The" if match.start() == 0 else "the"
        return f"{article}{owned} of {{{field}}}"
    return "{" + field + ("}'" if name.endswith("s") else "}'s") + owned


#: Names of each kind a field may hold, for ``english_forms``.
_SAMPLE_NAMES = ("Japan", "Hitachi Metals", "Baotou plants", "Mt Weld (Lynas)", "Sichuan plants (China)")


def english_forms(template: str) -> list[str]:
    """Every wording ``worded_for`` may give ``template``, whatever names fill it: the
    template first. (What reads a filled line back, as the workshop's translation of its
    results does, matches it against these.)"""
    fields = sorted({match.group(1) for match in _FIELD_POSSESSIVE.finditer(template)}
                    | {match.group(1) for match in _FIELD_AND_WORD.finditer(template)
                       if match.group(2) in THIRD_PERSON_VERBS})
    forms = [template]
    for names in itertools.product(_SAMPLE_NAMES, repeat=len(fields)):
        form = worded_for(template, dict(zip(fields, names)))
        if form not in forms:
            forms.append(form)
    return forms
