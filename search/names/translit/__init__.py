"""Transliteration: how the spellings of one Middle East name relate.

Two jobs, two modules:

- ``keys``: **blocking keys**, cheap and recall-first. Latin codes (a small
  alphabet where French, English, German and Turkish habits fall together),
  Arabic and Hebrew letter keys, consonant skeletons shared by all scripts,
  and the query-side variants of a code. A report indexes its names under
  these keys; a query looks them up to find candidate spellings.
- ``sounds``: the **declared sound tables** the verdict (``search.names.verdict``)
  aligns two spellings with: which spellings write one sound, which sounds
  romanizations confuse, how Arabic, Persian and Hebrew letters sound.

Where a new rule belongs:

- two spellings of one sound (a new habit: "kh" and "x") -> a ``SoundClass`` row in
  ``sounds.CLASSES``, with a pair of real spellings as its example;
- two sounds that romanizations mix up (Persian gh for q) -> a ``Confusion`` row in
  ``sounds.CONFUSIONS``, with its example;
- a letter of another script -> ``sounds.ARABIC_LETTERS`` / ``HEBREW_LETTERS`` /
  ``VOWEL_LETTERS``;
- a spelling the keys never bring together (so the verdict never sees it) ->
  ``keys``: a code rule, a variant habit, or the skeleton classes;
- a name that no rule reaches (Alep / Halab) -> ``search/data/exonyms.tsv``, or the
  analyst's alias file.

The costs of each kind of change are not rules: ``bench/fit_verdict.py`` chooses
them on data (``search/data/verdict.json``).
"""
from search.names.translit.keys import (
           MAX_READINGS,
           arabic_keys,
           arabic_skeleton,
           arabic_vowelled_key,
           article_assimilates,
           hebrew_key,
           hebrew_skeleton,
           is_arabic,
           is_hebrew,
           is_latin_word,
           join_skeletons,
           latin_codes,
           latin_pieces,
           latin_skeletons,
           latin_variants,
           prepare_latin,
           strip_arabic_article,
)

__all__ = ["MAX_READINGS", "arabic_keys", "arabic_skeleton", "arabic_vowelled_key", "article_assimilates",
           "hebrew_key", "hebrew_skeleton", "is_arabic", "is_hebrew", "is_latin_word", "join_skeletons",
           "latin_codes", "latin_pieces", "latin_skeletons", "latin_variants", "prepare_latin",
           "strip_arabic_article"]
