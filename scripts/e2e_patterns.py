"""The API description says what the parsers accept (scripts/e2e.sh).

  e2e_patterns.py OPENAPI PORT

For the sign-up's `name` and `email`, a table of strings (every control and format character
of the Basic Multilingual Plane, the other default-ignorable ones, white space, and letters of
many scripts) is judged three ways: by the field's schema under Python's jsonschema, by its
`pattern` under ECMA-262 (Node's RegExp, the dialect JSON Schema names), and by the running
function. The two validators must agree with each other, and the document with the function:
no string it calls valid may be refused, and none it refuses may be accepted. The function is
asked with a password too short to pass, so nothing is ever created: the 400's detail names
the fields it refused.

Sign-up's `email` is a new address, so its description adds two rules no pattern can state:
its local part must be its own NFKC form and must not mix scripts. The first is judged here
with Python's own NFKC; for the second, the samples are each of one script but for MIXED, which
mix two by construction.
"""

import json
import re
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.request

import jsonschema

# Default-ignorable code points that are not Cf (Unicode's DerivedCoreProperties.txt): Python's
# unicodedata has no such property, so these are listed, as the issue found U+00AD missed.
OTHER_IGNORABLE = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F,
                   0x3164, 0xFE00, 0xFE0F, 0xFFA0, 0xFFF0, 0xFFF8]
VISIBLE = ["Ada", "José", "Łukasiewicz", "李小龍", "Ёжик", "Ἀριστοτέλης", "محمد", "עברית", "हिन्दी",
           "ไทย", "한국어", "カタカナ", "O'Brien-Smith", "Mary Ann", "ß", "ǅ", "ﬃ", "Å", "e\u0301"]
SPACES = [" ", "\u3000", "\u00a0", " Ada ", "\t"]
# Latin with a Cyrillic а, Latin with a Greek α, Cyrillic with Greek, Hiragana with Hangul.
MIXED = ["p\u0430ypal", "\u03b1da", "\u0438\u0432\u0430\u043d\u03b1", "\u305f\uae40"]


def samples():
    """Strings of one refused or unusual character framed by letters, and whole names."""
    bmp = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    special = [c for c in bmp if unicodedata.category(chr(c)) in ("Cc", "Cf")] + OTHER_IGNORABLE
    framed = [f"A{chr(c)}a" for c in special] + [f"A{s}a" for s in SPACES]
    return framed + VISIBLE + SPACES + MIXED + [chr(c) for c in special[:40]]


def described(field, text):
    """What the description of `field` adds in words to its schema."""
    if field != "email":
        return True
    local = unicodedata.normalize("NFC", text.strip().lower()).partition("@")[0]
    return unicodedata.normalize("NFKC", local) == local and text.partition("@")[0] not in MIXED


def ecma_verdicts(pattern, strings):
    script = ("const [p, ...s] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "const r = new RegExp(p, 'u'); console.log(JSON.stringify(s.map(x => r.test(x))));")
    out = subprocess.run(["node", "-e", script], input=json.dumps([pattern, *strings]),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def refused_fields(port, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/user/", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            sys.exit(f"FAIL: a sign-up with a short password answered {response.status}")
    except urllib.error.HTTPError as error:
        reply = json.loads(error.read())
    if reply.get("error") != "ValidationError" or "password" not in reply["detail"]:
        sys.exit(f"FAIL: expected a ValidationError naming the password, got {reply}")
    return set(reply["detail"])


def main(document, port):
    schemas = json.load(open(document, encoding="utf-8"))["components"]["schemas"]
    fields = schemas["SignUp"]["properties"]
    for field, frame in [("name", "{}"), ("email", "{}@example.com")]:
        schema = fields[field]
        strings = [frame.format(s) for s in samples()]
        validator = jsonschema.Draft202012Validator({k: v for k, v in schema.items()
                                                     if k != "format"})
        ecma = ecma_verdicts(schema["pattern"], strings)
        disagreements = 0
        for text, by_ecma in zip(strings, ecma):
            by_python = re.search(schema["pattern"], text) is not None
            if by_python != by_ecma:
                sys.exit(f"FAIL: {field} {text!r}: Python's re says {by_python}, ECMA-262 {by_ecma}")
            documented = validator.is_valid(text) and described(field, text)
            body = {"name": "Ada", "surname": "Lovelace", "email": "ada@example.com",
                    "password": "x", field: text}
            accepted = field not in refused_fields(port, body)
            if documented != accepted:
                disagreements += 1
                print(f"  {field} {text!r} (U+{' U+'.join(f'{ord(c):04X}' for c in text)}): "
                      f"the document says {'valid' if documented else 'invalid'}, the function "
                      f"{'accepts' if accepted else 'refuses'} it", file=sys.stderr)
        if disagreements:
            sys.exit(f"FAIL: {disagreements} strings where the document and the function disagree on {field}")
        print(f"  ok {field}: {len(strings)} strings, the document, ECMA-262 and the function agree")


if __name__ == "__main__":
    main(*sys.argv[1:])
