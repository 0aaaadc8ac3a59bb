"""Rebuild the spelling lexicons in src/ringfence/data/classify/lexicon/ (run once, by hand).

Why: the classifier measures spelling-error density as the share of words absent from a lexicon
of the message's language. The lexicons are the 60,000 most frequent words per language of the
pyspellchecker dictionaries (MIT licence; word frequencies computed by its author from the
OpenSubtitles2018 corpus), folded (lower case, no accents) and sorted. They are shipped with the
package so that nothing is downloaded, and pyspellchecker is needed only to rebuild them.

Run: `.venv/bin/pip install 'pyspellchecker>=0.8' && .venv/bin/python scripts/build_lexicons.py`
"""

from __future__ import annotations

import gzip
import json
from importlib import metadata, resources
from pathlib import Path

from ringfence.classify.language import LANGUAGES
from ringfence.classify.text import fold

TOP_WORDS = 60_000
OUT = Path(__file__).resolve().parents[1] / "src/ringfence/data/classify/lexicon"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    version = metadata.version("pyspellchecker")
    for lang in LANGUAGES:
        raw = resources.files("spellchecker").joinpath(f"resources/{lang}.json.gz").read_bytes()
        frequencies: dict[str, int] = json.loads(gzip.decompress(raw))
        ranked = sorted(frequencies.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WORDS]
        folded = sorted({fold(word) for word, _ in ranked if word.isalpha()})
        header = (
            f"# {lang}: {len(folded)} folded words, top {TOP_WORDS} of pyspellchecker "
            f"{version} (MIT; frequencies from OpenSubtitles2018)\n"
        )
        data = (header + "\n".join(folded) + "\n").encode("utf-8")
        (OUT / f"{lang}.txt.gz").write_bytes(gzip.compress(data, mtime=0))
        print(f"{lang}: {len(folded)} words")


if __name__ == "__main__":
    main()
