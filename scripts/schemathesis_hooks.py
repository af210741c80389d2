"""What schemathesis cannot read from /openapi.json, taught to it here (SCHEMATHESIS_HOOKS).

The document states the text rules JSON Schema can state portably: patterns of explicit \\uXXXX
ranges for the characters of the Basic Multilingual Plane. The rest is in each field's
description, and here, so that no case schemathesis generates as valid is one the function
refuses: names and addresses are trimmed and brought to NFC before their length counts, and
beyond the BMP the default-ignorable characters are refused as well (format characters such as
U+1D173, and the tag and variation-selector planes from U+E0000). A new address (sign-up's
`email`, the e-mail change's `new_email`) must also have a local part in NFKC that does not mix
scripts: Python has no Script property to judge the second by, so a positive case's new address
keeps its local part only when that is ASCII (one script, NFKC) and is otherwise moved to
`new@` its domain; e2e_patterns.py and the unit tests judge Unicode local parts.
"""

import unicodedata

import schemathesis

# The fields the rules above apply to, with their maximum length after normalisation.
TEXT_FIELDS = {"name": 100, "surname": 100, "email": 254, "new_email": 254}
# The new address of each operation that registers one, by path.
NEW_ADDRESS = {"/user/": "email", "/user/email/": "new_email"}


def refused_beyond_the_bmp(text):
    return any(ord(c) > 0xFFFF and (unicodedata.category(c) in ("Cf", "Cc") or ord(c) >= 0xE0000)
               for c in text)


def acceptable(field, value):
    if not isinstance(value, str):
        return True
    normalised = unicodedata.normalize("NFC", value.strip())
    if field in ("email", "new_email"):
        normalised = unicodedata.normalize("NFC", value.strip().lower())
        local = normalised.partition("@")[0]
        if len(local) > 64:
            return False
    return len(normalised) <= TEXT_FIELDS[field] and not refused_beyond_the_bmp(value)


@schemathesis.hook
def filter_case(context, case):
    """Drops positive cases whose text fields break the rules the document can only describe."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return True
    return all(acceptable(field, case.body.get(field)) for field in TEXT_FIELDS)


@schemathesis.hook
def map_case(context, case):
    """Gives a positive case's new address an ASCII local part, which the rules for new addresses
    always accept, when its own might break them."""
    meta, field = case.meta, NEW_ADDRESS.get(case.operation.path)
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return case
    value = case.body.get(field)
    if isinstance(value, str) and "@" in value and not value.partition("@")[0].strip().isascii():
        case.body[field] = "new@" + value.rpartition("@")[2]
    return case
