"""argparse speaking French: the usage line, the headings, and its errors as one line.

argparse writes its own words in English ("usage:", "options", "invalid int value"); the
command line is French throughout, so the few messages a user meets are translated here
(an unforeseen one keeps argparse's wording, still on one line after ``erreur :``).
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

EXIT_USAGE = 2

_MESSAGES = (  # argparse's wording (Python 3.11-3.13) -> French
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"\1 : choix invalide \2 (au choix : \3)"),
    (r"argument (\S+): invalid int value: (.*)", r"\1 : nombre entier attendu, reçu \2"),
    (r"argument (\S+): expected one argument", r"\1 : une valeur attendue"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"argument (\S+): ignored explicit argument (.*)", r"\1 : valeur en trop \2"),
)


def translate(message: str) -> str:
    for english, french in _MESSAGES:
        if re.fullmatch(english, message):
            return re.sub(english, french, message)
    return message


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help is French and whose errors are one line on stderr, exit code 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        print(f"erreur : {translate(message)} (aide : {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)
