"""Drives the PyPI package `zohopy` (sync client) against zbooks sim.

zohopy maps a data center to its URLs through two module-level tables in `zohopy.config`
(`_API_URLS`, `_ACCOUNTS_URLS`); its `api_domain` setting only picks a data center from them. The
only change made to it: the "in" entries of both tables (the demo organization's data center)
are set to the simulator's URL. Credentials are the ordinary ZohoConfig ones.
"""

import datetime

from harness import Sim, Skip, Steps, check

import zohopy.config as zconfig
from zohopy.config import DataCenter, ZohoConfig
from zohopy._client import SyncZohoClient
from zohopy.products.books import ZohoBooks

sim = Sim()
steps = Steps("zohopy")

zconfig._API_URLS[DataCenter.IN] = sim.base
zconfig._ACCOUNTS_URLS[DataCenter.IN] = sim.base

config = ZohoConfig(
    client_id=sim.client_id,
    client_secret=sim.client_secret,
    refresh_token=sim.refresh_token,
    organization_id=sim.org,
    data_center=DataCenter.IN,
    max_retries=0,
    _env_file=None,
)
client = SyncZohoClient(config)
books = ZohoBooks(client)
today = datetime.date.today().isoformat()


def organizations():
    orgs = books.organizations.list()["organizations"]
    check(any(o["organization_id"] == sim.org for o in orgs), "demo organization not listed")
    org = books.organizations.get(sim.org)["organization"]
    return f"{len(orgs)} organizations; {org['name']!r}"


def rate_limit():
    raise Skip("the library does not expose response headers")


def create_contact():
    made = books.contacts.create(
        {
            "contact_name": f"Third-party zohopy {sim.run}",
            "company_name": "Bowman & Co",
            "contact_type": "customer",
        }
    )["contact"]
    steps.values["contact_id"] = made["contact_id"]
    return f"contact {made['contact_id']}"


def get_contact():
    (cid,) = steps.need("contact_id")
    got = books.contacts.get(cid)["contact"]
    check(got["contact_id"] == cid, "another contact came back")
    return f"{got['contact_name']!r}, status {got['status']!r}"


def list_contacts():
    (cid,) = steps.need("contact_id")
    ids = [c["contact_id"] for page in books.contacts.list_all() for c in page["contacts"]]
    check(cid in ids, "new contact not in the list")
    return f"{len(ids)} contacts"


def create_item():
    made = books.items.create(
        {"name": f"Widget zohopy {sim.run}", "rate": 250, "description": "A widget"}
    )["item"]
    steps.values["item_id"] = made["item_id"]
    return f"item {made['item_id']}"


def get_item():
    (iid,) = steps.need("item_id")
    got = books.items.get(iid)["item"]
    check(got["rate"] == 250, f"rate {got['rate']!r}")
    return f"{got['name']!r} rate {got['rate']}"


def list_items():
    (iid,) = steps.need("item_id")
    ids = [i["item_id"] for page in books.items.list_all() for i in page["items"]]
    check(iid in ids, "new item not in the list")
    return f"{len(ids)} items"


def create_invoice():
    cid, iid = steps.need("contact_id", "item_id")
    made = books.invoices.create(
        {
            "customer_id": cid,
            "date": today,
            "line_items": [
                {"item_id": iid, "quantity": 2, "rate": 250},
                {"name": "Installation", "description": "On site", "quantity": 1, "rate": 100},
            ],
        }
    )["invoice"]
    check(made["total"] == 600, f"total {made['total']!r}, expected 600")
    steps.values["invoice_id"] = made["invoice_id"]
    return f"invoice {made['invoice_number']} total {made['total']} status {made['status']}"


def get_invoice():
    (inv_id,) = steps.need("invoice_id")
    got = books.invoices.get(inv_id)["invoice"]
    check(len(got["line_items"]) == 2, f"{len(got['line_items'])} line items")
    return f"balance {got['balance']}"


def list_invoices():
    (inv_id,) = steps.need("invoice_id")
    ids = [i["invoice_id"] for page in books.invoices.list_all() for i in page["invoices"]]
    check(inv_id in ids, "new invoice not in the list")
    return f"{len(ids)} invoices"


def mark_sent():
    (inv_id,) = steps.need("invoice_id")
    return books.invoices.mark_sent(inv_id)["message"]


def record_payment():
    cid, inv_id = steps.need("contact_id", "invoice_id")
    made = books.customer_payments.create(
        {
            "customer_id": cid,
            "payment_mode": "cash",
            "date": today,
            "amount": 600,
            "invoices": [{"invoice_id": inv_id, "amount_applied": 600}],
        }
    )["payment"]
    got = books.invoices.get(inv_id)["invoice"]
    check(got["status"] == "paid", f"invoice status {got['status']!r} after the payment")
    return f"payment {made['payment_id']} amount {made['amount']}; invoice paid"


steps.run("list organizations", organizations)
steps.run("rate-limit headers", rate_limit)
steps.run("create contact", create_contact)
steps.run("get contact", get_contact)
steps.run("list contacts", list_contacts)
steps.run("create item", create_item)
steps.run("get item", get_item)
steps.run("list items", list_items)
steps.run("create invoice", create_invoice)
steps.run("get invoice", get_invoice)
steps.run("list invoices", list_invoices)
steps.run("mark invoice sent", mark_sent)
steps.run("record payment", record_payment)
client.close()
steps.done()
