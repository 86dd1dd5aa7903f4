"""Pseudonym codes for informants: ``<group code><site number>-<NN>``, e.g. B1-01, P2-03, B-01.

The informant table never holds a real name, so the code is the only handle a team has on a
person. Codes are generated per group and site so that a quote can be traced to its group and
site without naming anyone, and a typed code that looks like a name is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A word that looks like a capitalised given name or surname ("Kari", "Nordmann", "Anne-Marie").
# Codes use capitals and digits, so two or more such words are a strong sign of a typed name.
_NAME_WORD = re.compile(r"^[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéè'’]+(?:-[A-ZÆØÅÄÖÜÉ]?[a-zæøåäöüéè'’]+)*$")


def code_prefix(group_code: str, site_number: int | None) -> str:
    """The part before the dash: the group code, then the site's 1-based number if any."""
    group_code = group_code.strip()
    return f"{group_code}{site_number}" if site_number else group_code


def next_code(prefix: str, existing: Iterable[str]) -> str:
    """The next code after the highest number already used with ``prefix`` (case-insensitive).

    Numbers are not reused after a gap: a code that was once given out may already appear in
    transcripts and notes, so a new person must not inherit it.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$", re.IGNORECASE)
    used = [int(m.group(1)) for code in existing if (m := pattern.match(code.strip()))]
    return f"{prefix}-{max(used, default=0) + 1:02d}"


def looks_like_real_name(code: str) -> bool:
    """Whether ``code`` looks like a person's name rather than a pseudonym code.

    Pragmatic on purpose: it catches the common slip of typing the person's name ("Kari
    Nordmann", "ola nordmann") and lets every code with a digit or a single word through.
    """
    words = code.split()
    if len(words) < 2 or any(ch.isdigit() for ch in code):
        return False
    # Every word a capitalised name ("Kari Nordmann") or a lower-case word ("kari nordmann");
    # an all-capitals part such as "FG" or "B" marks a code.
    return all(_NAME_WORD.match(w) or (w.isalpha() and w.islower() and len(w) >= 2) for w in words)
