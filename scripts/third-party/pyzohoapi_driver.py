"""Drives the PyPI package `pyzohoapi` against zbooks sim.

The library builds its URLs from a region name (`https://www.zohoapis.<tld>/books/v3`,
`https://accounts.zoho.<tld>/oauth/v2`). The only change made to it: after construction with
region "in" (the demo organization's data center), the instance's two base URLs, `_endpoint` and
`_oauth`, are set to the simulator's. Credentials are the user's ordinary ones: client id,
client secret, refresh token, organization id.
"""

import datetime

from harness import Sim, Steps, check

from pyzohoapi import ZohoBooks

sim = Sim()
steps = Steps("pyzohoapi")

api = ZohoBooks(
    sim.org,
    region="in",
    client_id=sim.client_id,
    client_secret=sim.client_secret,
    refresh_token=sim.refresh_token,
)
api._endpoint = sim.base + "/books/v3"
api._oauth = sim.base + "/oauth/v2"
today = datetime.date.today().isoformat()


def organizations():
    orgs = list(api.Organization().Iter(raw=True))
    check(any(o["organization_id"] == sim.org for o in orgs), "demo organization not listed")
    org = api.Organization(sim.org)
    return f"{len(orgs)} organizations; {org.name!r} version={orgs[0].get('version')!r}"


def rate_limit():
    # The library keeps X-Rate-Limit-Limit/-Remaining/-Reset of the last successful answer.
    rl = api._ratelimit
    check(rl.get("limit") is not None, "no X-Rate-Limit-Limit seen")
    check(rl.get("reset") is not None, "no X-Rate-Limit-Reset seen")
    check(int(rl["remaining"]) < 99999999, "no X-Rate-Limit-Remaining seen")
    return f"limit {rl['limit']}, remaining {rl['remaining']}, reset {rl['reset']}s"


def create_contact():
    c = api.Contact()
    c.contact_name = f"Third-party pyzohoapi {sim.run}"
    c.company_name = "Bowman & Co"
    c.contact_type = "customer"
    c.Create()
    check(c.ID, "no contact_id in the answer")
    steps.values["contact_id"] = c.ID
    return f"contact {c.ID} salutation={c.get('contact_salutation')!r}"


def get_contact():
    (cid,) = steps.need("contact_id")
    c = api.Contact(cid)
    check(c.ID == cid and c.contact_name, "contact not read back")
    return f"{c.contact_name!r}, status {c.status!r}"


def list_contacts():
    (cid,) = steps.need("contact_id")
    ids = [c["contact_id"] for c in api.Contact().Iter(raw=True)]
    check(cid in ids, "new contact not in the list")
    return f"{len(ids)} contacts"


def create_item():
    it = api.Item()
    it.name = f"Widget pyzohoapi {sim.run}"
    it.rate = 250
    it.description = "A widget"
    it.Create()
    check(it.ID, "no item_id in the answer")
    steps.values["item_id"] = it.ID
    return f"item {it.ID} account_id={it.get('account_id')!r}"


def get_item():
    (iid,) = steps.need("item_id")
    it = api.Item(iid)
    check(it.rate == 250, f"rate {it.rate!r}")
    return f"{it.name!r} rate {it.rate}"


def list_items():
    (iid,) = steps.need("item_id")
    ids = [i["item_id"] for i in api.Item().Iter(raw=True)]
    check(iid in ids, "new item not in the list")
    return f"{len(ids)} items"


def create_invoice():
    cid, iid = steps.need("contact_id", "item_id")
    inv = api.Invoice()
    inv.customer_id = cid
    inv.date = today
    inv.line_items = [
        {"item_id": iid, "quantity": 2, "rate": 250},
        {"name": "Installation", "description": "On site", "quantity": 1, "rate": 100},
    ]
    inv.Create()
    check(inv.ID, "no invoice_id in the answer")
    check(inv.total == 600, f"total {inv.total!r}, expected 600")
    steps.values["invoice_id"] = inv.ID
    return f"invoice {inv.Number} total {inv.total} status {inv.status}"


def get_invoice():
    (inv_id,) = steps.need("invoice_id")
    inv = api.Invoice(inv_id)
    check(len(inv.line_items) == 2, f"{len(inv.line_items)} line items")
    return f"balance {inv.balance}"


def list_invoices():
    (inv_id,) = steps.need("invoice_id")
    ids = [i["invoice_id"] for i in api.Invoice().Iter(raw=True)]
    check(inv_id in ids, "new invoice not in the list")
    return f"{len(ids)} invoices"


def mark_sent():
    (inv_id,) = steps.need("invoice_id")
    # The library has no call for it; its generic POST is public.
    answer = api.post(f"invoices/{inv_id}/status/sent")
    return answer.get("message")


def record_payment():
    cid, inv_id = steps.need("contact_id", "invoice_id")
    p = api.CustomerPayment()
    p.customer_id = cid
    p.payment_mode = "cash"
    p.date = today
    p.amount = 600
    p.invoices = [{"invoice_id": inv_id, "amount_applied": 600}]
    p.Create()
    note = ""
    if not p.ID:
        # Client bug: the library reads the created payment under `customerpayment` (its type
        # name); Zoho answers it under `payment` (OpenAPI customer-payments.yml), so the object
        # stays empty. The payment is looked up in the list instead.
        note = "; the library's object stays empty (it reads `customerpayment`, Zoho says `payment`)"
    paid = [
        x for x in api.CustomerPayment().Iter(raw=True)
        if x.get("customer_id") == cid and x.get("amount") == 600
    ]
    check(paid, "the payment is not in the list")
    inv = api.Invoice(inv_id)
    check(inv.status == "paid", f"invoice status {inv.status!r} after the payment")
    return f"payment {paid[0]['payment_id']} listed; invoice paid" + note


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
steps.done()
