"""One form for phones, e-mails and names, so that the same customer written two ways is one key.

Pure: no SQL, no I/O but the environment passed in. `phonenumbers` (~35 ms to import) and
`email_validator` (~55 ms) are imported inside the functions that need them, because
`tinycrm log REF` must start in about three times a bare `import sqlite3`; a phone already in
E.164 form (how the store keeps them, and how most CSV exports write them) is recognised
without phonenumbers at all.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import namedtuple
from collections.abc import Mapping

from tinycrm.errors import InvalidData

# What a written phone may hold besides digits: separators, and an extension at the end.
_PHONE_CHARS = re.compile(r"[\d\s+\-.()/]+")
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#|分机|转)\s*(\d{1,7})\s*$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_SEPARATORS = str.maketrans("", "", " -.\t\u00a0")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_REGION = re.compile(r"[A-Za-z]{2}")
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_LOCALE_TERRITORY = re.compile(r"^[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@]|$)")

# Country calling codes (from phonenumbers' metadata, 9.0): the fast path must know where the
# country code ends to see whether a national trunk prefix follows it.
_CODES = frozenset((
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55,
    56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212, 213,
    216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237,
    238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257,
    258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352, 353,
    354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 380, 381, 382, 383, 385,
    386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590, 591, 592, 593,
    594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685,
    686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883,
    886, 888, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979,
    992, 993, 994, 995, 996, 998,
))
# Where phonenumbers rewrites a +-form number (trunk or carrier prefixes after the country
# code): these always take the slow path. Found by comparing the two paths on random numbers
# of every calling code (tests/test_normalize.py keeps a sample of that check).
_SLOW_CODES = frozenset((7, 54, 55, 261, 352, 370, 375, 378, 672, 692, 993))
_SLOW_PREFIXES = {1: ("0", "1"), 86: ("0", "12", "179")}
_CALLING_CODES = {str(code): code for code in _CODES}


# A phone as stored (E.164 when understood, else the trimmed original) and its look-up key.
# (collections.namedtuple, not typing.NamedTuple: `typing` is not on the fast path's imports.)
NormalPhone = namedtuple("NormalPhone", ["text", "key"])


def fold(text: str | None) -> str:
    """The form two writings of one name share: NFKC (ＡＢＣ１２３ → ABC123), casefolded, spaces collapsed."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def default_region(setting: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The region national phone numbers belong to: the setting, else the locale's territory."""
    if setting and _REGION.fullmatch(setting.strip()):
        return setting.strip().upper()
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = env.get(name)
        if value:
            match = _LOCALE_TERRITORY.match(value)
            return match.group(1).upper() if match else None
    return None


def _fast_e164(compact: str) -> str | None:
    """`compact` itself when it is an E.164 number phonenumbers would leave as it is, else None."""
    if not _E164.fullmatch(compact):
        return None
    digits = compact[1:]
    for size in (1, 2, 3):
        if (code := _CALLING_CODES.get(digits[:size])) is not None:
            national = digits[size:]
            if code in _SLOW_CODES or national.startswith("0"):
                return None
            if national.startswith(_SLOW_PREFIXES.get(code, ())):
                return None
            return compact
    return None


def _checked(text: str) -> tuple[str, str | None]:
    """The trimmed phone and its extension; a word or a too-short number is refused."""
    original = " ".join((text or "").split())
    body = unicodedata.normalize("NFKC", original)
    extension = None
    if match := _EXTENSION.search(body):
        extension = match.group(1)
        body = body[: match.start()]
    if not body or not _PHONE_CHARS.fullmatch(body) or len(_DIGIT.findall(body)) < 5:
        raise InvalidData(f"invalid phone '{text}': use digits, e.g. +1 202 555 0100")
    if body.count("+") > 1 or ("+" in body and not body.lstrip("(").startswith("+")):
        raise InvalidData(f"invalid phone '{text}': '+' only before the country code")
    return body, extension


def phone(text: str, region: str | None = None) -> NormalPhone:
    """A phone as the store keeps it: E.164 (`+12025550100`) when it can be read, else as written."""
    if text and text.lstrip()[:1] == "+" and (fast := _fast_e164(text.translate(_SEPARATORS))):
        return NormalPhone(fast, fast)  # E.164 with spaces at most, as the store and most CSVs write it
    body, extension = _checked(text)
    compact = body.translate(_SEPARATORS)
    if extension is None and (fast := _fast_e164(compact)):
        return NormalPhone(fast, fast)
    import phonenumbers

    try:
        parsed = phonenumbers.parse(body, region)
    except phonenumbers.NumberParseException:
        parsed = None
    e164 = ""
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if not _stays(e164):
            e164 = ""  # leading zeros phonenumbers drops on each reading (`+98000000`): not a number
    if not e164:
        kept = " ".join(text.split())
        return NormalPhone(kept, _digits_key(body) + (f"x{extension}" if extension else ""))
    if extension:
        return NormalPhone(f"{e164} ext. {extension}", f"{e164}x{extension}")
    return NormalPhone(e164, e164)


def _stays(e164: str) -> bool:
    """True when reading `e164` again gives it back, so a stored number keeps its key for ever."""
    import phonenumbers

    try:
        again = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.format_number(again, phonenumbers.PhoneNumberFormat.E164) == e164)


def _digits_key(body: str) -> str:
    """The key of a number phonenumbers could not read: its digits, with a leading + kept."""
    digits = "".join(ch for ch in body if ch.isdigit())
    return ("+" if body.lstrip("(").startswith("+") else "") + digits


def phone_key(text: str, region: str | None = None) -> str:
    """The look-up key of a phone: one for `+1 202 555 0100`, `(202) 555-0100` and `2025550100` (US)."""
    if text and text.lstrip()[:1] == "+" and (fast := _fast_e164(text.translate(_SEPARATORS))):
        return fast  # `phone`'s own first step, without the pair it builds (dupes reads 100,000)
    key: str = phone(text, region).key
    return key


def looks_like_phone(text: str) -> bool:
    """True when a REF is written like a phone number rather than a name or an id."""
    try:
        _checked(text)
    except InvalidData:
        return False
    return True


def email(text: str) -> str:
    """A checked e-mail address (syntax only, no network), domain lower-cased; case of the local part kept."""
    raw = (text or "").strip()
    if not raw.isascii():  # ASCII is its own NFKC form
        raw = unicodedata.normalize("NFKC", raw)
    if not raw or "@" not in raw:
        raise InvalidData(f"invalid e-mail '{text}': expected name@domain")
    plain = _PLAIN_EMAIL.fullmatch(raw) if raw.isascii() and len(raw) <= 254 else None
    if plain and len(plain.group(1)) <= 64 and ".." not in raw:
        # the everyday ASCII address, checked by the same rules without email_validator's
        # ~55 ms import and ~35 µs a call (a 100,000-row import would spend seconds there)
        return f"{plain.group(1)}@{plain.group(2).lower()}"
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(raw, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise InvalidData(f"invalid e-mail '{text}': {exc}") from None
    except (ValueError, UnicodeError):
        raise InvalidData(f"invalid e-mail '{text}'") from None
    return checked.normalized


def email_key(text: str) -> str:
    """The look-up key of an e-mail: addresses compare without regard to case or full-width forms."""
    text = (text or "").strip()
    if text.isascii():  # its own NFKC form, and casefold is lower
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()
