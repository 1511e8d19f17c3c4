"""What the analyst's steering did, said back: the spellings dropped (sans=) or added (avec=)
that could not be, and why.

A link is shared, a query edited, a bookmark kept: a ``sans=`` may name no spelling of the
search any more, or a quoted spelling (searched as typed, so it cannot be dropped), and a
name may have lost every spelling. The planner tells a ``SteeringReport`` what it met; the
report's notices go with the results, in French.

    >>> report = SteeringReport()
    >>> report.saw_quoted("Mossoul")
    >>> report.notices(without=("Mossoul", "Moselle"), extra=())[0]
    '« Mossoul » est entre guillemets : cette graphie est cherchée telle quelle, elle ne peut pas être retirée.'
"""
from __future__ import annotations

from search.names.match import NamePlan, typed_key
from search.names.variants import group_key


class SteeringReport:
    """The spellings and typed names one query's planning met."""

    def __init__(self) -> None:
        self.spellings: set[str] = set()  # every candidate of every name (group keys)
        self.typed: set[str] = set()      # the names and words as typed (typed keys)
        self.quoted: set[str] = set()
        self.empty: list[str] = []        # names the analyst left without a spelling

    def saw_name(self, plan: NamePlan, labels: list[str]) -> None:
        self.spellings |= {group_key(v.spelling) for v in plan.variants}
        self.typed |= {typed_key(label) for label in labels} | {typed_key(" ".join(labels))}

    def saw_quoted(self, text: str) -> None:
        self.quoted.add(typed_key(text))

    def emptied(self, name: str) -> None:
        self.empty.append(name)

    def notices(self, without: tuple[str, ...], extra: tuple[str, ...]) -> list[str]:
        out = [f"Toutes les graphies de « {name} » sont retirées : aucun rapport ne peut correspondre ; "
               "rétablissez-en une." for name in dict.fromkeys(self.empty)]
        for spelling in without:
            if group_key(spelling) in self.spellings or typed_key(spelling) in self.typed:
                continue
            if typed_key(spelling) in self.quoted:
                out.append(f"« {spelling} » est entre guillemets : cette graphie est cherchée telle quelle, "
                           "elle ne peut pas être retirée.")
            else:
                out.append(f"« {spelling} » n’est pas une graphie de cette recherche : rien n’est retiré.")
        out += [f"« {spelling} » n’est pas une graphie proche de cette recherche : rien n’est ajouté."
                for spelling in extra if group_key(spelling) not in self.spellings]
        return out
