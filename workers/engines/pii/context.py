"""Context words that tell one kind of number from another.

A nine-digit number is a routing number after "routing", a social security number after "social";
four digits are a PIN after "pin" and the end of a card after "card ending in". Numbers are typed by
the *nearest* context phrase before them (then, weaker, just after them), so "my card number is …
and the CVV is 123" types 123 as a CVV, not as part of the card. English and US Spanish phrases.
"""

from __future__ import annotations

#: Type → phrases (lower case, one or two words; spelled letters arrive joined: "cvv", "ssn", "pin").
NUMBER_CONTEXT: dict[str, tuple[str, ...]] = {
    "CREDIT_DEBIT_CVV": ("cvv", "cvc", "cvv2", "csc", "cid", "security code", "verification code", "card code",
                         "código de", "codigo de", "three digit", "four digit code"),
    "CREDIT_DEBIT_EXPIRY": ("expiry", "expiration", "expires", "expire", "expiring", "exp", "expiry date",
                            "valid through", "valid thru", "good through", "good thru", "vencimiento", "vence"),
    "PIN": ("pin", "passcode", "pin number", "pin code", "nip"),
    "SSN": ("ssn", "social security", "social", "security number", "seguro social", "social number"),
    "BANK_ROUTING": ("routing", "aba", "transit number", "ruta", "routing number"),
    "BANK_ACCOUNT_NUMBER": ("account", "accounts", "checking", "savings", "acct", "cuenta", "bank account"),
    "CREDIT_DEBIT_NUMBER": ("card", "credit", "debit", "visa", "mastercard", "amex", "american express",
                            "discover", "tarjeta", "crédito", "credito", "débito", "debito"),
    "PHONE": ("phone", "telephone", "cell", "cellphone", "mobile", "call", "reach", "fax", "text", "dial",
              "teléfono", "telefono", "celular", "llamar", "llámame", "llamame", "extension", "number is"),
    "ADDRESS": ("zip", "zip code", "zipcode", "postal", "postal code", "código postal", "codigo postal"),
}
#: "ending in 1234", "last four digits are 1234": a four-digit tail of a longer number.
LAST_FOUR = ("ending in", "ending with", "ends in", "ends with", "last four", "last 4", "termina en",
             "últimos cuatro", "ultimos cuatro")
#: Words that put a place name in an address ("I live in Austin").
ADDRESS_LEADS = ("live in", "lives in", "living in", "live at", "lives at", "moved to", "address is",
                 "located in", "located at", "reside in", "resides in", "residence in", "vivo en")

#: How many words before (and after) a number are searched for context.
WINDOW_BEFORE = 10
WINDOW_AFTER = 4

#: Spoken and written month names, for expiry dates ("January twenty twenty seven", "Jan 27").
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")

STREET_SUFFIXES = ("street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr",
                   "court", "ct", "way", "place", "pl", "terrace", "circle", "cir", "parkway", "pkwy", "highway",
                   "hwy", "square", "sq", "trail", "alley", "plaza", "crescent", "row", "loop", "pike")
UNIT_WORDS = ("apartment", "apt", "suite", "unit", "building", "floor", "room", "apartamento")
US_STATES = (
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
    "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
    "nevada", "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio",
    "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas",
    "utah", "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming",
)
#: Titles AWS leaves outside a NAME ("Mr." is not part of the name).
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "sir", "madam", "prof", "professor", "señor",
                    "señora", "sr", "sra"})
#: Phrases after which a capitalised word is someone's name.
NAME_LEADS = ("my name is", "name is", "name's", "this is", "i'm", "i am", "call me", "speaking with",
              "talking to", "me llamo", "mi nombre es", "spelled", "spelt")
