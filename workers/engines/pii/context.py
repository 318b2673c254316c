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
                         "código de", "codigo de", "three digit", "four digit code", "digit code", "digit security",
                         "three digits", "3 digits", "card verification", "verification number", "cvv code",
                         # "the code on the back (of the card)", "three digits on the back"
                         "the back", "on back"),
    "CREDIT_DEBIT_EXPIRY": ("expiry", "expiration", "expires", "expire", "expiring", "exp", "expiry date",
                            "valid through", "valid thru", "good through", "good thru", "valid until", "good until",
                            "good till",
                            "vencimiento", "vence"),
    "PIN": ("pin", "passcode", "pin number", "pin code", "nip", "personal identification"),
    "SSN": ("ssn", "social security", "social", "security number", "seguro social", "social number"),
    "BANK_ROUTING": ("routing", "aba", "transit number", "ruta", "routing number", "transit", "sort code", "bsb",
                     # "the nine digits at the bottom of the check" (weak: see recognizers.WEAK_PHRASES)
                     "check", "cheque"),
    "BANK_ACCOUNT_NUMBER": ("account", "accounts", "checking", "savings", "acct", "cuenta", "bank account"),
    "CREDIT_DEBIT_NUMBER": ("card", "credit", "debit", "visa", "mastercard", "amex", "american express",
                            "discover", "tarjeta", "crédito", "credito", "débito", "debito"),
    "PHONE": ("phone", "telephone", "cell", "cellphone", "mobile", "call", "reach", "fax", "text", "dial",
              "teléfono", "telefono", "celular", "llamar", "llámame", "llamame", "extension", "number is",
              "ring", "callback", "call back", "landline", "pager", "whatsapp", "contact number"),
    "ADDRESS": ("zip", "zip code", "zipcode", "postal", "postal code", "código postal", "codigo postal"),
}
#: Labels of numbers that are not PII for any AWS type ("order number 112-4471-9920" is not a phone
#: number): when one of these is nearer before a number than any PII phrase, the number is left alone.
NOT_PII_NUMBER_CONTEXT = frozenset({
    "order", "ticket", "case", "confirmation", "tracking", "reference", "invoice", "item", "serial", "model",
    "claim", "reservation", "booking", "transaction", "promo", "coupon", "flight", "version", "sku", "part",
    "incident", "request", "job", "batch", "shipment", "package", "voucher", "receipt", "pedido", "referencia",
})
#: "the phone number on the account", "the social on my account": "account" after one of these pairs
#: names the customer's account, not a bank account number.
ACCOUNT_REFERENCES = frozenset({"on the", "on my", "on your", "on this", "on that", "for the", "for my",
                                "for your", "for this", "under the", "under my", "under your", "with the"})
#: Things other than a payment card that expire: an expiry phrase about them is not CREDIT_DEBIT_EXPIRY.
NOT_CARD_EXPIRY = frozenset({
    "warranty", "subscription", "contract", "membership", "lease", "license", "licence", "passport", "policy",
    "offer", "promotion", "promo", "trial", "coupon", "voucher", "plan", "registration", "domain",
    "permit", "certificate", "insurance", "coverage", "quote", "link", "password", "session", "token",
})
#: Words that NER reads as someone's name in call-centre speech but that are payment brands, banks or
#: the context words themselves ("My Mastercard number is …").
NOT_NAME_WORDS = frozenset({
    "visa", "mastercard", "amex", "discover", "maestro", "paypal", "venmo", "zelle", "chase", "citi", "citibank",
    "wells", "fargo", "barclays", "hsbc", "santander", "cvv", "cvc", "pin", "ssn", "social", "routing", "iban",
    "swift", "okay", "ok", "yeah", "hi", "hello", "thanks", "thank", "sure",
})
#: "ending in 1234", "last four digits are 1234": a four-digit tail of a longer number (one word or a
#: pair of words; "the account ending 0419" says it with "ending" alone).
LAST_FOUR = ("ending", "ends", "ending in", "ending with", "ends in", "ends with", "last four", "last 4",
             "final four", "last digits", "termina en", "termina", "terminada", "últimos cuatro", "ultimos cuatro")
#: Words that put a place name in an address ("I live in Austin").
ADDRESS_LEADS = ("live in", "lives in", "living in", "live at", "lives at", "moved to", "address is",
                 "located in", "located at", "reside in", "resides in", "residence in", "vivo en",
                 "grew up in", "born in", "i'm in", "i am in", "we're in", "we are in", "based in", "staying in",
                 "moving to", "move to", "relocated to", "i'm from", "i am from", "we're from", "live near")

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
UNIT_WORDS = ("apartment", "apt", "suite", "unit", "building", "floor", "room", "flat", "apartamento")
#: Canadian provinces and territories, written out ("Montreal, Quebec").
PROVINCES = ("alberta", "british columbia", "manitoba", "new brunswick", "newfoundland", "nova scotia", "ontario",
             "prince edward island", "quebec", "saskatchewan", "yukon", "nunavut", "northwest territories")
US_STATES = (
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
    "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
    "nevada", "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio",
    "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas",
    "utah", "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming",
)
#: Two-letter postal codes of US states and Canadian provinces, written after a city ("Chicago, IL").
STATE_CODES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK",
)
#: Titles AWS leaves outside a NAME ("Mr." is not part of the name).
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "sir", "madam", "prof", "professor", "señor",
                    "señora", "sr", "sra"})
#: Phrases after which a capitalised word is someone's name.
NAME_LEADS = ("my name is", "name is", "name's", "this is", "i'm", "i am", "call me", "speaking with",
              "talking to", "me llamo", "mi nombre es", "spelled", "spelt", "last name", "first name",
              "surname", "middle name", "maiden name", "family name", "full name")
#: Words after which a given name (from the names list, see ``casing``) is someone's name even when
#: NER passes it over: "hi it's priya", "my daughter Sophie", "tell kwame", "thanks Brenda".
NAME_LIST_LEADS = (
    "this is", "it's", "it is", "i'm", "i am", "name is", "name's", "called", "named", "call me",
    "speak to", "speak with", "spoke to", "spoke with", "speaking to", "speaking with", "talk to", "talk with",
    "talked to", "talking to", "ask for", "asked for", "tell", "told", "ask", "thanks", "thank you", "hi", "hello",
    "hey", "dear", "through to", "transfer me to",
    "husband", "wife", "son", "daughter", "brother", "sister", "mother", "mom", "mum", "father", "dad",
    "partner", "friend", "colleague", "manager", "boss", "nephew", "niece", "grandson", "granddaughter",
    "uncle", "aunt", "cousin", "fiancé", "fiance", "fiancée", "fiancee", "girlfriend", "boyfriend",
    "grandmother", "grandfather", "grandma", "grandpa", "stepson", "stepdaughter", "landlord", "tenant",
)
