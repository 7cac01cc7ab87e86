"""Keys and masks for personal numbers, as SQL that DuckDB runs over whole columns.

A key is HMAC-SHA256 over ``"<kind>:<normalized value>"`` with the warehouse secret.
DuckDB has SHA-256 but no HMAC, so the SQL spells out RFC 2104:
``H((K ^ opad) || H((K ^ ipad) || m))``; ``hmac_key`` is the same in Python and a
test holds the two equal. Clear ID and phone numbers never leave this module's
SQL: what is stored is the key, and what is shown is the mask.
"""

from __future__ import annotations

import hashlib
import hmac
import re

BLOCK = 64


def _block_key(secret: bytes) -> bytes:
    key = hashlib.sha256(secret).digest() if len(secret) > BLOCK else secret
    return key.ljust(BLOCK, b"\0")


def hmac_params(secret: bytes) -> dict[str, bytes]:
    """The two padded keys the SQL expression takes as parameters ``$ipad`` and ``$opad``."""
    key = _block_key(secret)
    return {
        "ipad": bytes(b ^ 0x36 for b in key),
        "opad": bytes(b ^ 0x5C for b in key),
    }


def hmac_sql(value_sql: str, kind: str) -> str:
    """SQL for the hex HMAC key of a normalized value (null stays null)."""
    message = f"encode('{kind}:' || {value_sql})"
    return f"sha256($opad::blob || unhex(sha256($ipad::blob || {message})))"


def hmac_key(secret: bytes, kind: str, value: str) -> str:
    """The same key as ``hmac_sql``, computed in Python (for look-ups and tests)."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def mask_sql(value_sql: str) -> str:
    """SQL masking a number: 4 + 4 visible for long ones (ID), 3 + 4 for phones."""
    v = value_sql
    return (
        f"case when {v} is null then null "
        f"when length({v}) >= 15 then left({v}, 4) || repeat('*', length({v}) - 8) "
        f"|| right({v}, 4) "
        f"when length({v}) >= 8 then left({v}, 3) || repeat('*', length({v}) - 7) "
        f"|| right({v}, 4) "
        f"else repeat('*', length({v})) end"
    )


def mask(value: str | None) -> str | None:
    """The Python twin of ``mask_sql`` for messages built outside SQL."""
    if value is None:
        return None
    n = len(value)
    if n >= 15:
        return value[:4] + "*" * (n - 8) + value[-4:]
    if n >= 8:
        return value[:3] + "*" * (n - 7) + value[-4:]
    return "*" * n


# A number of 11 digits or more, also written with single spaces or dashes between
# digits (`139 8123 4504`): a phone or ID number where it does not belong (a reject's
# value, a row's values). It is shown as its first 3 and last 4 digits.
LONG_NUMBER = r"([0-9](?:[ -]?[0-9]){2})(?:[ -]?[0-9]){4,}([ -]?[0-9](?:[ -]?[0-9]){3})"
_LONG_NUMBER = re.compile(LONG_NUMBER)


def masked_numbers_sql(value_sql: str) -> str:
    """SQL masking every long number (``LONG_NUMBER``) in a text."""
    return f"regexp_replace({value_sql}, '{LONG_NUMBER}', '\\1****\\2', 'g')"


def mask_numbers(text: str | None) -> str | None:
    """The Python twin of ``masked_numbers_sql``."""
    return None if text is None else _LONG_NUMBER.sub(r"\1****\2", str(text))
