"""Right-to-left text in the page: every user string isolated, and the controls of an id made visible.

A report's title, source, id or file name, a query, a spelling: any of them may hold Arabic,
Hebrew or Persian, or a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE) that reorders what
follows it, up to the end of its paragraph: "rapport‮txt.exe" displays as "rapportexe.txt",
and a title could reverse the date shown after it. The templates wrap each such string:

- ``bdi``: in ``<bdi>``, so that its direction and controls stay inside it;
- ``isolated_text``: between FSI and PDI (U+2068, U+2069), where no tag may go (``<title>``);
- ``visible_controls``: an id or a file name, whose exact characters matter, with each bidi
  control written out (``⟨U+202E⟩``) instead of obeyed, then isolated.

>>> bdi("Alep <b>")
Markup('<bdi>Alep &lt;b&gt;</bdi>')
>>> visible_controls("rapport\\u202etxt.exe")
Markup('<bdi>rapport⟨U+202E⟩txt.exe</bdi>')
"""
from __future__ import annotations

import re

from markupsafe import Markup

# Embeddings, overrides, isolates, marks (LRM, RLM, ALM): what makes text display in another order.
_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def bdi(value: object) -> Markup:
    """``value`` escaped (unless it is Markup already, a highlighted title) and isolated in ``<bdi>``."""
    return Markup("<bdi>%s</bdi>") % value


def isolated_text(value: object) -> str:
    """Plain text isolated by FSI … PDI, for where no tag may go."""
    return f"\u2068{value}\u2069"


def visible_controls(value: object) -> Markup:
    """An id or a file name, its bidi controls shown as ``⟨U+XXXX⟩`` (the name as it really is), isolated."""
    return bdi(_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", str(value)))
