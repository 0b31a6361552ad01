#!/usr/bin/env python3
# Reads an export of 10p5 (doc/api.md, "Exports") the way a spreadsheet set to
# French does (python's csv module with ";" and decimal commas), or as RFC 4180,
# and compares it cell by cell with what the API answered for the same rows.
# Prints one line per difference; nothing when they agree.
#
#   csvcheck.py transactions|services fr|rfc4180 FILE.csv API.json DEPUIS JUSQUA
#
# API.json is the answer of `transactions` (every row) or `service/liste`; the
# rows of the period [DEPUIS, JUSQUA) are compared, in the export's order.
import csv
import datetime
import io
import json
import re
import sys

what, fmt, path, api, since, until = sys.argv[1:7]
since, until = int(since), int(until)
raw = open(path, "rb").read()
bad = []


def fail(msg):
    bad.append(msg)


french = fmt == "fr"
if french and not raw.startswith(b"\xef\xbb\xbf"):
    fail("no byte-order mark")
if not french and raw.startswith(b"\xef\xbb\xbf"):
    fail("a byte-order mark in RFC 4180")
body = raw[3:] if french else raw
if re.search(rb"(?<!\r)\n", body) or not body.endswith(b"\r\n"):
    fail("a line does not end in CRLF")
text = body.decode("utf-8")
rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if french else ",",
                       quotechar='"', doublequote=True, strict=True))
point = "," if french else "."
words = {True: "oui", False: "non"} if french else {True: "true", False: "false"}
types = {1: "creation", 2: "rechargement", 3: "paiement", 4: "vidange", 5: "ajustement"}


def money(cents_or_number):
    # The API's JSON number, in cents, exactly (it has at most two decimals).
    s = json.dumps(cents_or_number)
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    cents = int(whole) * 100 + int((frac + "00")[:2])
    return -cents if neg else cents


def cell_money(s):
    m = re.fullmatch(r"(-?)(\d+)" + re.escape(point) + r"(\d\d)", s)
    if not m:
        fail(f"amount {s!r} is not written with {point!r} and two decimals")
        return None
    v = int(m.group(2)) * 100 + int(m.group(3))
    return -v if m.group(1) else v


def cell_date(s):
    if s == "":
        return None
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", s):
        fail(f"date {s!r} is not ISO 8601 with its offset")
        return None
    d = datetime.datetime.fromisoformat(s)
    return round(d.timestamp() * 1000)


def cell_text(s):
    # A text a spreadsheet would compute is written with a ' first.
    return s[1:] if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@", "\t", "\r") else s


def products(s):
    if s == "":
        return None
    out = []
    for part in s.split(" + "):
        m = re.fullmatch(r"(\d+) × (.*) \((\d+" + re.escape(point) + r"\d\d)\)", part, re.S)
        if not m:
            fail(f"products cell {s!r} cannot be read")
            return None
        out.append({"nom": m.group(2), "prix": cell_money(m.group(3)), "qte": int(m.group(1))})
    return out


data = json.load(open(api))
if what == "transactions":
    head = ["id", "date", "type", "carte", "utilisateur", "montant", "moyen", "service", "valide",
            "produits"]
    want = sorted((t for t in data["transactions"] if since <= t["date"] < until),
                  key=lambda t: (t["date"], t["id"]))
else:
    head = ["id", "caisse", "utilisateur", "ouverture", "fermeture", "fond", "attendu", "compte",
            "ecart", "especes", "carte", "virement", "offert", "attendu_fermeture", "modifie"]
    want = [s for s in data["services"] if since <= s["ouverture"] < until]
if not rows or rows[0] != head:
    fail(f"head line {rows[:1]!r}")
rows = rows[1:]
if len(rows) != len(want):
    fail(f"{len(rows)} rows, the API has {len(want)}")
for got, t in zip(rows, want):
    if len(got) != len(head):
        fail(f"row {got!r} has {len(got)} cells")
        continue
    c = dict(zip(head, got))
    if what == "transactions":
        lines = t.get("lignes")
        pairs = [
            ("id", int(c["id"]), t["id"]),
            ("date", cell_date(c["date"]), t["date"]),
            ("type", c["type"], types[t["type"]]),
            ("carte", cell_text(c["carte"]), t["client"]),
            ("utilisateur", cell_text(c["utilisateur"]), t["utilisateur"]),
            ("montant", cell_money(c["montant"]), money(t["montant"])),
            ("moyen", c["moyen"] or None, t["moyen"]),
            ("service", int(c["service"]) if c["service"] else None, t["service"]),
            ("valide", c["valide"], words[t["valide"]]),
            ("produits", products(c["produits"]),
             [{"nom": l["nom"], "prix": money(l["prix"]), "qte": l["qte"]} for l in lines]
             if lines else None),
        ]
    else:
        def opt(v):
            return None if v is None else money(v)

        pairs = [
            ("id", int(c["id"]), t["id"]),
            ("caisse", cell_text(c["caisse"]), t["caisse"]),
            ("utilisateur", cell_text(c["utilisateur"]), t["utilisateur"]),
            ("ouverture", cell_date(c["ouverture"]), t["ouverture"]),
            ("fermeture", cell_date(c["fermeture"]), t["fermeture"]),
            ("fond", cell_money(c["fond"]), money(t["fond"])),
            ("attendu", cell_money(c["attendu"]), money(t["attendu"])),
            ("compte", cell_money(c["compte"]) if c["compte"] else None, opt(t["compte"])),
            ("ecart", cell_money(c["ecart"]) if c["ecart"] else None, opt(t["ecart"])),
        ] + [
            (m, cell_money(c[m]), money(t["totaux"][m]))
            for m in ("especes", "carte", "virement", "offert")
        ] + [
            ("attendu_fermeture", cell_money(c["attendu_fermeture"]) if c["attendu_fermeture"]
             else None, opt(t["attenduFermeture"])),
            ("modifie", cell_date(c["modifie"]), t["modifie"]),
        ]
    for name, g, w in pairs:
        if g != w:
            fail(f"row {t['id']}, {name}: export {g!r}, API {w!r}")
print("\n".join(bad))
