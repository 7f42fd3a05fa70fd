import datetime as dt

import pytest

from actions.order_numbers import is_canonical_order_number
from actions.orders import (
    ORDER_STATUSES,
    STATUS_PROCESSING,
    STATUS_SHIPPED,
    Order,
    OrderItem,
    demo_order_store,
    describe_items,
    format_date_de,
    format_money_de,
    order_from_dict,
)

pytestmark = pytest.mark.unit

CARRIERS = {"DE": {"DHL", "DPD", "Hermes"}, "AT": {"Post AT", "DPD"}, "CH": {"Swiss Post"}}


def test_demo_store_holds_about_thirty_orders_covering_every_status_and_country():
    store = demo_order_store()
    orders = [store.find(number) for number in store._by_number]
    assert 25 <= len(store) <= 40
    assert {order.status for order in orders} == set(ORDER_STATUSES)
    assert {order.country for order in orders} == {"DE", "AT", "CH"}


def test_demo_orders_are_internally_consistent():
    store = demo_order_store()
    for order in (store.find(number) for number in store._by_number):
        assert is_canonical_order_number(order.order_number)
        subtotal = sum(item.quantity * item.unit_price for item in order.items)
        assert order.total == pytest.approx(subtotal + order.shipping_cost, abs=0.01)
        if order.status in (STATUS_SHIPPED, "zugestellt", "retourniert"):
            assert order.carrier in CARRIERS[order.country] and order.tracking_id
            assert order.shipped_date >= order.order_date
        if order.status == STATUS_PROCESSING:
            assert order.carrier is None and order.shipped_date is None


def test_lookup_finds_known_and_misses_unknown_numbers():
    store = demo_order_store()
    assert store.find("NW-482913").status == STATUS_SHIPPED
    assert store.find("NW-000000") is None


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError):
        order_from_dict({"order_number": "NW-111111", "status": "verloren", "country": "DE",
                         "order_date": "2026-11-01", "items": [], "total": 0})


def test_german_formats():
    assert format_money_de(1299.0) == "1.299,00 €"
    assert format_money_de(4.95) == "4,95 €"
    assert format_date_de(dt.date(2026, 3, 7)) == "07.03.2026"
    assert format_date_de(None) == "unbekannt"


def _order(*items: OrderItem) -> Order:
    return Order("NW-111111", STATUS_PROCESSING, "DE", dt.date(2026, 11, 1), items, 10.0)


def test_item_description_stays_short():
    toaster, kettle, lamp, vase = (OrderItem(n, 1, 1.0) for n in ("Toaster", "Wasserkocher", "Lampe", "Vase"))
    assert describe_items(_order(OrderItem("Toaster", 2, 1.0))) == "2x Toaster"
    assert describe_items(_order(toaster, kettle)) == "Toaster und Wasserkocher"
    assert describe_items(_order(toaster, kettle, lamp)) == "Toaster, Wasserkocher und 1 weiterer Artikel"
    assert describe_items(_order(toaster, kettle, lamp, vase)) == "Toaster, Wasserkocher und 2 weitere Artikel"
