"""Realistic fictitious replacements (faker ``no_NO``).

A surrogate fødselsnummer is valid and fictitious (a synthetic number: month + 80, correct
check digits).
"""

from __future__ import annotations

import random
import re
from functools import cache

from .checksums import check_digits


@cache
def _faker():
    from faker import Faker

    return Faker("no_NO")


def synthetic_fodselsnummer(rng: random.Random) -> str:
    """Make a fictitious 11-digit number with valid check digits (synthetic range, month+80)."""
    while True:
        day = rng.randint(1, 28)
        month = rng.randint(1, 12) + 80
        year = rng.randint(40, 99)
        individual = rng.randint(0, 499)
        nine = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
        digits = check_digits(nine)
        if digits:
            return nine + digits


def surrogate(label: str, original: str, rng: random.Random) -> str:
    """Make a replacement of the same kind and roughly the same shape as ``original``."""
    fake = _faker()
    fake.seed_instance(rng.randint(0, 2**31))
    if label == "PERSON":
        words = len(original.split())
        value = fake.name() if words > 1 else fake.first_name()
        return value.lower() if original.islower() else value
    if label == "LOCATION":
        value = fake.street_address() if re.search(r"\d", original) else fake.city()
        return value.lower() if original.islower() else value
    if label == "ORGANIZATION":
        return fake.company()
    if label == "PHONE":
        return f"{rng.choice('49')}{rng.randint(0, 9_999_999):07d}"
    if label == "EMAIL":
        return fake.free_email()
    if label == "URL":
        return fake.domain_name()
    if label == "ID_NUMBER":
        number = synthetic_fodselsnummer(rng)
        return f"{number[:6]} {number[6:]}" if " " in original else number
    if label == "DATE":
        return fake.date_between("-30y", "-1y").strftime("%-d.%-m.%Y")
    if label == "AGE":
        return str(rng.randint(20, 80))
    return ""
