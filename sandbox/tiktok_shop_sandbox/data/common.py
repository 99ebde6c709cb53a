"""What every resource family draws on: time units, names and places, money, ids, rows.

Everything in the data is derived from ``random.Random`` instances seeded from the world's ``seed`` (never
from the wall clock), so the same arguments always produce byte-identical records.
"""

from __future__ import annotations

import calendar
import datetime
import random

DAY = 86400
HOUR = 3600

CITIES = {
    "US": [
        ("California", "Los Angeles", "90012"),
        ("Texas", "Austin", "73301"),
        ("New York", "Brooklyn", "11201"),
        ("Colorado", "Denver", "80202"),
    ],
    "GB": [("England", "London", "SW1A 1AA"), ("England", "Manchester", "M1 1AE"), ("Scotland", "Glasgow", "G1 1XQ")],
    "ID": [
        ("DKI Jakarta", "Jakarta Selatan", "12190"),
        ("Jawa Barat", "Bandung", "40111"),
        ("Bali", "Denpasar", "80111"),
    ],
    "MY": [
        ("Selangor", "Shah Alam", "40000"),
        ("Kuala Lumpur", "Kuala Lumpur", "50088"),
        ("Penang", "George Town", "10200"),
    ],
    "TH": [("Bangkok", "Bang Rak", "10500"), ("Chiang Mai", "Mueang", "50200"), ("Phuket", "Kathu", "83120")],
    "VN": [("Ho Chi Minh", "District 1", "700000"), ("Ha Noi", "Ba Dinh", "100000"), ("Da Nang", "Hai Chau", "550000")],
    "PH": [("Metro Manila", "Makati", "1226"), ("Cebu", "Cebu City", "6000"), ("Davao", "Davao City", "8000")],
    "SG": [
        ("Singapore", "Singapore", "018956"),
        ("Singapore", "Singapore", "238801"),
        ("Singapore", "Singapore", "529510"),
    ],
    "DE": [("Berlin", "Berlin", "10115"), ("Bayern", "Munich", "80331"), ("Hamburg", "Hamburg", "20095")],
    "MX": [
        ("CDMX", "Ciudad de Mexico", "06000"),
        ("Jalisco", "Guadalajara", "44100"),
        ("Nuevo Leon", "Monterrey", "64000"),
    ],
}
# ISO 3166-2 codes of the states and provinces above
STATE_ISO = {
    "California": "US-CA",
    "Texas": "US-TX",
    "New York": "US-NY",
    "Colorado": "US-CO",
    "England": "GB-ENG",
    "Scotland": "GB-SCT",
    "DKI Jakarta": "ID-JK",
    "Jawa Barat": "ID-JB",
    "Bali": "ID-BA",
    "Selangor": "MY-10",
    "Kuala Lumpur": "MY-14",
    "Penang": "MY-07",
    "Bangkok": "TH-10",
    "Chiang Mai": "TH-50",
    "Phuket": "TH-83",
    "Ho Chi Minh": "VN-SG",
    "Ha Noi": "VN-HN",
    "Da Nang": "VN-DN",
    "Metro Manila": "PH-00",
    "Cebu": "PH-CEB",
    "Davao": "PH-DAV",
    "Singapore": "SG-01",
    "Berlin": "DE-BE",
    "Bayern": "DE-BY",
    "Hamburg": "DE-HH",
    "CDMX": "MX-CMX",
    "Jalisco": "MX-JAL",
    "Nuevo Leon": "MX-NLE",
}
SEA = frozenset({"ID", "MY", "PH", "SG", "TH", "VN"})
FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Dana",
    "Robin",
    "Lee",
    "Kim",
    "Noor",
    "Ari",
    "Sky",
    "Rowan",
    "Emery",
    "Jules",
]
LAST = [
    "Smith",
    "Nguyen",
    "Garcia",
    "Tan",
    "Lim",
    "Brown",
    "Santos",
    "Wong",
    "Putri",
    "Silva",
    "Martin",
    "Lopez",
    "Chen",
    "Khan",
    "Ramos",
    "Muller",
    "Rossi",
    "Kowalski",
    "Sato",
    "Ali",
]
STREETS = [
    "Main St",
    "Oak Ave",
    "Market St",
    "Station Rd",
    "High St",
    "Jalan Merdeka",
    "Sukhumvit Rd",
    "Rizal Ave",
    "Orchard Rd",
    "Calle Reforma",
]


def parse_date(value: str) -> int:
    """``YYYY-MM-DD`` → Unix seconds at 00:00 UTC."""
    d = datetime.date.fromisoformat(value)
    return calendar.timegm(d.timetuple())


def money(minor: int, dec: int) -> str:
    """Integer minor units → decimal string (``1999, 2`` → ``"19.99"``)."""
    if dec == 2 and minor >= 0:
        return f"{minor // 100}.{minor % 100:02d}"
    if dec == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    m = abs(minor)
    q = 10**dec
    return f"{sign}{m // q}.{m % q:0{dec}d}"


CDN = "https://p16-oec-va.ibyteimg.com"


def image(uri: str, width: int = 800, height: int = 800) -> dict:
    """An image as TikTok describes one: its URI and the URLs to view it and its thumbnail."""
    return {
        "height": height,
        "thumb_urls": [f"{CDN}/{uri}~tplv-o3syd03w52-resize-jpeg:300:300.jpeg"],
        "uri": uri,
        "urls": [f"{CDN}/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"],
        "width": width,
    }


def amount(minor: int, shop) -> dict:
    """``{amount, currency}``: a sum of money in the shop's currency."""
    return {"amount": money(minor, shop.dec), "currency": shop.currency}


def split(total: int, weights) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole minor units; the parts add up to ``total``."""
    weights = list(weights)
    s = sum(weights)
    if not s:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * w // s for w in weights]
    parts[0] += total - sum(parts)
    return parts


def weighted(rng: random.Random, table):
    total = sum(w for _, w in table)
    x = rng.random() * total
    for value, w in table:
        x -= w
        if x < 0:
            return value
    return table[-1][0]


def deep_copy(obj):
    """Fast deep copy for JSON-like data."""
    if isinstance(obj, dict):
        return {k: deep_copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [deep_copy(v) for v in obj]
    return obj


class IdGen:
    """Unique, increasing numeric string ids with a fixed lead and length.

    Layout: ``lead`` + two digits derived from the shop index (so ids are unique across shops) + a counter
    that starts at a random offset and advances by random steps (so ids look like real snowflake ids).
    """

    def __init__(self, rng: random.Random, lead: str, digits: int, shop_idx: int = 0, capacity: int = 4_000_000):
        room = digits - len(lead) - 2
        half = 10**room // 2
        self.base = int(lead) * 10 ** (digits - len(lead)) + ((shop_idx * 37 + 11) % 100) * 10**room
        self.step = max(1, half // capacity)
        self.cur = rng.randrange(half)
        self.rng = rng

    def next(self) -> int:
        self.cur += self.rng.randint(1, self.step)
        return self.base + self.cur


class DictRow:
    """A small record kept as its rendered dict; attributes read through to the dict."""

    __slots__ = ("id", "nid", "data")

    def __init__(self, data: dict):
        self.data = data
        self.id = data["id"]
        self.nid = int(self.id)

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def render(self) -> dict:
        return deep_copy(self.data)


def random_for(shop, family: str) -> random.Random:
    """A generator of its own for a resource family added after the others, so that adding it changes none of them."""
    return random.Random(f"{family}:{shop.world.seed}:{shop.idx}")
