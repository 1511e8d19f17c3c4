"""Names: every spelling of a Middle East name, and nothing else.

The modules, in the order the data flows through them:

- ``words``: which words are names (capitalised, not a common French word, or in another script),
  articles, particles and place heads;
- ``units``: roles, units and runs of name words (an article joins the name it precedes:
  ``al-Bukamal`` is one unit);
- ``keys``: the blocking keys of 1-3 units of one script (``translit``: the romanization rules
  and the declared sound tables): ``Abou Kamal`` and ``Boukamal`` share ``l:bukamal``;
- ``terms``: how a key and the spelling it was found in make one ``names`` term;
- ``filter``: ``NameFilter``, the ``names`` field of a report (so each index generation holds
  its own lexicon: every form the reports write, with the reports holding it);
- ``query``: a query's name chunks and the keys that look up their candidates in the lexicon;
- ``aliases``: names no rule reaches (the shipped exonyms and the analyst's file);
- ``variants`` and ``verdict``: the candidates of a typed name, judged;
- ``context``: the evidence the spelling alone cannot give, what the reports write around each
  form (Douma is no Dôme), judged after the verdict;
- ``case``: a word typed or written in capitals or in lower case, read as the collection writes it
  (ALEP is Alep unless an acronym; dôme typed in lower case is the French word);
- ``match``: what a report must hold for a run of typed names, and their spellings, one list per name;
- ``lexicon``: a lexicon held in memory (the fitting bench and the tests).

Only ``text`` (tokens, folding, word lists) lies below this package; the query planner and
the index's fields use it.
"""
