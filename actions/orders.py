"""The demo order store: ~30 realistic Nordwind orders read from `demo_orders.json` (no database on purpose)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEMO_ORDERS_PATH = Path(__file__).with_name("demo_orders.json")

STATUS_PROCESSING = "in Bearbeitung"
STATUS_SHIPPED = "versandt"
STATUS_DELIVERED = "zugestellt"
STATUS_CANCELLED = "storniert"
STATUS_RETURNED = "retourniert"
ORDER_STATUSES = (STATUS_PROCESSING, STATUS_SHIPPED, STATUS_DELIVERED, STATUS_CANCELLED, STATUS_RETURNED)


@dataclass(frozen=True)
class OrderItem:
    name: str
    quantity: int
    unit_price: float


@dataclass(frozen=True)
class Order:
    order_number: str
    status: str
    country: str
    order_date: dt.date
    items: tuple[OrderItem, ...]
    total: float
    currency: str = "EUR"
    payment_method: str = ""
    carrier: str | None = None
    tracking_id: str | None = None
    shipped_date: dt.date | None = None
    expected_delivery_date: dt.date | None = None
    delivered_date: dt.date | None = None
    returned_date: dt.date | None = None
    shipping_cost: float = 0.0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def order_from_dict(raw: dict) -> Order:
    if raw["status"] not in ORDER_STATUSES:
        raise ValueError(f"unknown order status {raw['status']!r} for {raw['order_number']}")
    return Order(
        order_number=raw["order_number"],
        status=raw["status"],
        country=raw["country"],
        order_date=dt.date.fromisoformat(raw["order_date"]),
        items=tuple(OrderItem(i["name"], int(i["quantity"]), float(i["unit_price"])) for i in raw["items"]),
        total=float(raw["total"]),
        currency=raw.get("currency", "EUR"),
        payment_method=raw.get("payment_method", ""),
        carrier=raw.get("carrier"),
        tracking_id=raw.get("tracking_id"),
        shipped_date=_date(raw.get("shipped_date")),
        expected_delivery_date=_date(raw.get("expected_delivery_date")),
        delivered_date=_date(raw.get("delivered_date")),
        returned_date=_date(raw.get("returned_date")),
        shipping_cost=float(raw.get("shipping_cost", 0.0)),
    )


class OrderStore:
    """Read-only lookup by canonical order number."""

    def __init__(self, orders: list[Order]) -> None:
        self._by_number = {order.order_number: order for order in orders}

    @classmethod
    def from_json(cls, path: Path) -> "OrderStore":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls([order_from_dict(entry) for entry in raw["orders"]])

    def find(self, order_number: str) -> Order | None:
        return self._by_number.get(order_number)

    def __len__(self) -> int:
        return len(self._by_number)


@lru_cache(maxsize=1)
def demo_order_store() -> OrderStore:
    # Loaded on first use, not at import, so importing the actions package never touches the file system.
    return OrderStore.from_json(DEMO_ORDERS_PATH)


def format_date_de(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "unbekannt"


def format_money_de(amount: float, currency: str = "EUR") -> str:
    """1299.0 -> "1.299,00 €" (German thousands and decimal separators)."""
    text = f"{amount:,.2f}".replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return f"{text} €" if currency == "EUR" else f"{text} {currency}"


def describe_items(order: Order) -> str:
    """Short German item list for a chat line: "2x Toaster, Wasserkocher und 1 weiterer Artikel"."""
    names = [f"{item.quantity}x {item.name}" if item.quantity > 1 else item.name for item in order.items]
    if len(names) <= 2:
        return " und ".join(names)
    rest = len(names) - 2
    more = "1 weiterer Artikel" if rest == 1 else f"{rest} weitere Artikel"
    return f"{names[0]}, {names[1]} und {more}"
