"""Check digits and date shapes of Norwegian national identity numbers (shared, written once)."""

from __future__ import annotations

import datetime

from stdnum.no import fodselsnummer

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def is_valid_classic(digits: str) -> bool:
    """Check the mod-11 rule in use until 2032 (python-stdnum), incl. D- and H-numbers."""
    return fodselsnummer.is_valid(digits)


def is_valid_2032(digits: str) -> bool:
    """Check the rule for numbers issued from 2032.

    From 2032 the first check digit may take several values: the weighted sum over the first ten
    digits (first check digit included, weight 1) may leave remainder 0, 1, 2 or 3 mod 11. The
    second check digit keeps the classic rule.
    """
    if len(digits) != 11 or not digits.isdigit():
        return False
    numbers = [int(d) for d in digits]
    first = sum(w * n for w, n in zip(WEIGHTS_1, numbers[:10], strict=True)) % 11
    second = sum(w * n for w, n in zip(WEIGHTS_2, numbers, strict=True)) % 11
    return first in (0, 1, 2, 3) and second == 0 and is_date_shaped(digits)


def check_digits(nine: str) -> str:
    """Compute the two classic check digits for the first nine digits ("" if one is 10)."""
    numbers = [int(d) for d in nine]
    k1 = (11 - sum(w * n for w, n in zip(WEIGHTS_1[:9], numbers, strict=True))) % 11
    k2 = (11 - sum(w * n for w, n in zip(WEIGHTS_2[:10], numbers + [k1], strict=True))) % 11
    return f"{k1}{k2}" if k1 < 10 and k2 < 10 else ""


def is_synthetic(digits: str) -> bool:
    """Tell whether ``digits`` is a synthetic test number (month + 80).

    This is the convention of Skatteetaten's Tenor test data.

    Such numbers are never issued to real people, so they are fictitious by construction.
    """
    if len(digits) != 11 or not digits.isdigit() or int(digits[2:4]) <= 80:
        return False
    unshifted = digits[:2] + f"{int(digits[2:4]) - 80:02d}" + digits[4:9]
    return check_digits(digits[:9]) == digits[9:] and is_date_shaped(unshifted + digits[9:])


def number_kind(digits: str) -> str:
    """``D-nummer``, ``H-nummer`` or ``fødselsnummer`` from the first four digits."""
    if int(digits[0]) >= 4:
        return "D-nummer"
    if int(digits[2]) >= 4:
        return "H-nummer"
    return "fødselsnummer"


def is_date_shaped(digits: str) -> bool:
    """Whether the first six digits are a date (DDMMYY), allowing the D- and H-number offsets."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    try:
        datetime.date(2000 + year if year != 0 else 2000, month, day)
    except ValueError:
        # 29 February in a year that is not a leap year in 2000+YY may be in 1900+YY: be lenient.
        return month == 2 and day == 29
    return True


def check_number(digits: str) -> tuple[float, str] | None:
    """Score and explain an 11-digit candidate, or ``None`` if it is not ID-shaped at all."""
    if len(digits) != 11 or not digits.isdigit():
        return None
    kind = number_kind(digits)
    if is_valid_classic(digits):
        return 0.97, f"{kind} with valid check digits"
    if is_synthetic(digits):
        return 0.95, "synthetic (test) fødselsnummer with valid check digits"
    if is_valid_2032(digits):
        return 0.95, f"{kind} with valid check digits (rule from 2032)"
    if is_date_shaped(digits):
        return 0.7, f"date-shaped 11-digit number ({kind}?) whose check digits fail"
    return None
