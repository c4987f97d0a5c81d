"""Drives the PyPI package `zohobooks-api` (Zoho's own Python client library) against zbooks sim.

The library takes an access token and an organization id, nothing else, and its base URL is a
constant (`books.api.Api.Api().base_url`, read when each *Api module is imported). The only
change made to it: that constant is set to the simulator's legacy `/api/v3/` before the modules
are imported, as a user pointing it at another data center would.
"""

import datetime

from harness import Sim, Skip, Steps, check

sim = Sim()
steps = Steps("zohobooks-api")

import books.api.Api as api_module  # noqa: E402


def _sim_base_url(self):
    self.base_url = sim.base + "/api/v3/"


api_module.Api.__init__ = _sim_base_url

import books.util.ZohoHttpClient as http_module  # noqa: E402

if __import__("os").environ.get("ZB_DIAGNOSE"):
    # Diagnosis only (never in the pass/fail run): every key the library's parsers read that an
    # answer lacks is printed (`MISSING <path>`) and read as "" so the flow goes on.
    import json as _json

    class _Probe(dict):
        path = ""

        def __missing__(self, key):
            print(f"MISSING {self.path}.{key}", flush=True)
            return ""

    def _tag(value, path):
        if isinstance(value, dict):
            probe = _Probe({k: _tag(v, f"{path}.{k}") for k, v in value.items()})
            probe.path = path
            return probe
        if isinstance(value, list):
            return [_tag(v, path + "[]") for v in value]
        return value

    http_module.loads = lambda content: _tag(_json.loads(content), "")

from books.service.ZohoBooks import ZohoBooks  # noqa: E402
from books.model.Contact import Contact  # noqa: E402
from books.model.Item import Item  # noqa: E402
from books.model.Invoice import Invoice  # noqa: E402
from books.model.LineItem import LineItem  # noqa: E402
from books.model.CustomerPayment import CustomerPayment  # noqa: E402

token = None


def get_token():
    global token
    token = sim.access_token()
    return "access token from the sim's /oauth/v2/token (the library takes a token only)"


steps.run("token", get_token)
if token is None:
    steps.done()

books = ZohoBooks(token, sim.org)
today = datetime.date.today().isoformat()


def organizations():
    orgs = books.get_organizations_api().get_organizations()
    check(any(o.get_organization_id() == sim.org for o in orgs), "demo organization not listed")
    org = books.get_organizations_api().get(sim.org)
    return f"{len(orgs)} organizations; {org.get_name()!r} version={orgs[0].get_version()!r}"


steps.run("list organizations", organizations)
steps.run(
    "rate-limit headers",
    lambda: (_ for _ in ()).throw(Skip("the library does not expose response headers")),
)


def create_contact():
    c = Contact()
    c.set_contact_name(f"Third-party zohobooks-api {sim.run}")
    c.set_company_name("Bowman & Co")
    c.set_contact_type("customer")
    made = books.get_contacts_api().create(c)
    check(made.get_contact_id(), "no contact_id in the answer")
    steps.values["contact_id"] = made.get_contact_id()
    return f"contact {made.get_contact_id()} salutation={made.get_contact_salutation()!r}"


def get_contact():
    (cid,) = steps.need("contact_id")
    got = books.get_contacts_api().get(cid)
    check(got.get_contact_id() == cid, "another contact came back")
    return f"{got.get_contact_name()!r}, status {got.get_status()!r}"


def list_contacts():
    (cid,) = steps.need("contact_id")
    listed = books.get_contacts_api().get_contacts()
    ids = [c.get_contact_id() for c in listed.get_contacts()]
    check(cid in ids, "new contact not in the list")
    return f"{len(ids)} contacts"


def create_item():
    it = Item()
    it.set_name(f"Widget zohobooks-api {sim.run}")
    it.set_description("A widget")
    it.set_rate(250.0)
    made = books.get_items_api().create(it)
    check(made.get_item_id(), "no item_id in the answer")
    steps.values["item_id"] = made.get_item_id()
    return f"item {made.get_item_id()} account_id={made.get_account_id()!r}"


def get_item():
    (iid,) = steps.need("item_id")
    got = books.get_items_api().get(iid)
    check(got.get_item_id() == iid, "another item came back")
    check(float(got.get_rate()) == 250.0, f"rate {got.get_rate()!r}")
    return f"{got.get_name()!r} rate {got.get_rate()}"


def list_items():
    (iid,) = steps.need("item_id")
    listed = books.get_items_api().list_items()
    ids = [i.get_item_id() for i in listed.get_items()]
    check(iid in ids, "new item not in the list")
    return f"{len(ids)} items"


def create_invoice():
    cid, iid = steps.need("contact_id", "item_id")
    inv = Invoice()
    inv.set_customer_id(cid)
    inv.set_date(today)
    li = LineItem()
    li.set_item_id(iid)
    li.set_quantity(2)
    li.set_rate(250.0)
    inv.set_line_items(li)
    li2 = LineItem()
    li2.set_name("Installation")
    li2.set_description("On site")
    li2.set_quantity(1)
    li2.set_rate(100.0)
    inv.set_line_items(li2)
    made = books.get_invoices_api().create(inv)
    check(made.get_invoice_id(), "no invoice_id in the answer")
    check(float(made.get_total()) == 600.0, f"total {made.get_total()!r}, expected 600")
    steps.values["invoice_id"] = made.get_invoice_id()
    return f"invoice {made.get_invoice_number()} total {made.get_total()} status {made.get_status()}"


def get_invoice():
    (inv_id,) = steps.need("invoice_id")
    got = books.get_invoices_api().get(inv_id)
    check(got.get_invoice_id() == inv_id, "another invoice came back")
    check(len(got.get_line_items()) == 2, f"{len(got.get_line_items())} line items")
    return f"balance {got.get_balance()}"


def list_invoices():
    (inv_id,) = steps.need("invoice_id")
    listed = books.get_invoices_api().get_invoices()
    ids = [i.get_invoice_id() for i in listed.get_invoices()]
    check(inv_id in ids, "new invoice not in the list")
    return f"{len(ids)} invoices"


def mark_sent():
    (inv_id,) = steps.need("invoice_id")
    answer = books.get_invoices_api().mark_an_invoice_as_sent(inv_id)
    return str(answer)


def record_payment():
    cid, inv_id = steps.need("contact_id", "invoice_id")
    p = CustomerPayment()
    p.set_customer_id(cid)
    p.set_payment_mode("cash")
    p.set_date(today)
    p.set_amount(600.0)
    applied = Invoice()
    applied.set_invoice_id(inv_id)
    applied.set_amount_applied(600.0)
    p.set_invoices([applied])
    made = books.get_customer_payments_api().create(p)
    check(made.get_payment_id(), "no payment_id in the answer")
    got = books.get_invoices_api().get(inv_id)
    check(got.get_status() == "paid", f"invoice status {got.get_status()!r} after the payment")
    return f"payment {made.get_payment_id()} amount {made.get_amount()}; invoice paid"


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
steps.done()
