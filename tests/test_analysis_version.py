"""The analysis version (``search.fields.ANALYSIS_VERSION``) changes whenever the fields' tokens do.

A generation is stamped with the version it was built under, and an index built under other
rules is refused ("rebuild needed"). That promise holds only if the version is bumped with every
change of an analyzer's output: this test fingerprints every field's tokens, index and query
side, over texts that exercise each rule, and fails until a change is recorded:

    .venv/bin/python tests/test_analysis_version.py --record     # after bumping ANALYSIS_VERSION
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from search.fields import ANALYSIS_VERSION, FIELD_ANALYZERS  # noqa: E402

RECORD = HERE / "data" / "analysis_fingerprint.json"
TEXTS = [
    "L’armée a frappé Hama & Homs ; les frappes continuent près d'Abou Kamal, al-Bukamal et Boukamal.",
    "Kassem Suleimani, Qassem Soleimani et Ghassem Soleymani : un homme, trois graphies.",
    "Deir ez-Zor, Ras al-Aïn, Aïn al-Assad, Tel Abyad, Bandar-e Abbas, Kataëb Hezbollah, Hizb Allah.",
    "البوكمال، حلب، دير الزور، عَمّان، عُمان — תל אביב, אל-קודס — پاکستان، تهران",
    "Oussama ben Laden, Abou Bakr al-Baghdadi, Ibrahim Mohamed Akil, Mme Ahmed, YPG, SANA, Ghana.",
    "la guerre Israël-Hamas, Al-Qaim Al-Bukamal, Şūr, Ḥizbu-llāh, Sana'a, ‘Adan, İstanbul, œuvre, straße",
    "boukamal santé dames tir Tyr Damas Kout coût hommes journaux aux armes, qu’il soit l’été jusqu’à",
    "En Normandie. Entre Alep et Téhéran, en Norvège, la Meurthe-et-Moselle ; près de Es Suweida et d'es-Salt.",
]


def fingerprint() -> str:
    """SHA-256 of every field's tokens (text, span, position) of every text, as a report and as a query."""
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "seeds").iterdir())]
    digest = hashlib.sha256()
    for text in texts:
        for query in (False, True):
            for field in sorted(FIELD_ANALYZERS):
                tokens = [(t.text, t.start, t.end, t.pos) for t in FIELD_ANALYZERS[field](text, query=query)]
                digest.update(json.dumps([field, query, tokens], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def test_the_analysis_version_names_the_fields_tokens():
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert recorded["version"] == ANALYSIS_VERSION, (
        "ANALYSIS_VERSION changed: record its fingerprint (python tests/test_analysis_version.py --record)")
    assert recorded["sha256"] == fingerprint(), (
        "the fields' tokens changed: bump ANALYSIS_VERSION in search/fields.py (indexes built before are then "
        "refused, 'rebuild needed'), then python tests/test_analysis_version.py --record")


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    RECORD.write_text(json.dumps({"version": ANALYSIS_VERSION, "sha256": fingerprint()}, indent=1) + "\n")
    print(f"recorded version {ANALYSIS_VERSION}")
