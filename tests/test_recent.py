"""search.recent.Recent: the least recently used value goes first."""
from search.recent import Recent


def test_the_least_recently_used_goes_first():
    recent = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # a is now the most recent
    recent.put("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c"), len(recent)) == (1, None, 3, 2)
    assert recent.put("a", 4) == 4 and recent.get("a") == 4 and len(recent) == 2
