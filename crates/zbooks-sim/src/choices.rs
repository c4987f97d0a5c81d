//! Every answer of the simulator that Zoho's sources leave open, in one place.
//!
//! zoho-books-reference.md marks some statuses and codes unknown (§1.4, §8). The simulator must
//! still answer something; it answers the likeliest, and each such choice is a constant here,
//! listed in the table below, so a test, a reviewer or a later fact can find and change it in
//! one place. Facts the reference confirms (\[C\]/\[O\]) are not listed: they are not choices.
//!
//! | situation | status | code | message / body | why this one |
//! |---|---|---|---|---|
//! | unknown route | 404 | 5 | `Invalid URL Passed` + header `x-zbooks-sim: unmatched` | status per Zoho's errors page; code 5 is what fakes use \[unverified\]; the header and the `unmatched` counter make it loud for tests (docs/style.md) |
//! | known path, wrong method | 405 | 37 | `HTTP method not allowed` + header `x-zbooks-sim: unmatched` | status per Zoho's errors page; code from fakes \[unverified\]; counted as unmatched too |
//! | `1002` record not found | 404 | 1002 | `<Resource> does not exist.` | errors page lists 404 "URL Not Found"; 400 equally possible |
//! | non-digit id in the path | 400 | 2 | `Invalid value passed for <id field>` | code 2 family |
//! | `organization_id` not digits, or missing from a user of no organization | 400 | 2 | `Invalid value passed for organization_id` | the message seen in the wild with 400 \[O\]; its code unknown, 2 fits the family (missing or empty from a user of several organizations is Zoho's 6024 \[O\], of one: that one \[I\]; not choices) |
//! | which organization is `is_default_org` | — | — | the first the user belongs to, by id, in `GET /organizations` and in 6024's `error_info` alike | Zoho's rule for the default is unknown |
//! | organization unknown, or the user not a member | 400 | 6041 | `This user is not associated with the CompanyID/CompanyName:<id>.` | Deluge docs give the code \[C\]; "getting it wrong doesn't 401" \[O\] |
//! | `Authorization: Bearer <token>` on the Books API | — | — | accepted like `Zoho-oauthtoken <token>`; any other scheme, or no token, is 401/14 | every Books page shows `Zoho-oauthtoken` (reference §3.4 \[C\]); Zoho Accounts' "Using the access token" page gives `Zoho-oauthtoken` or `Bearer` for calling a Zoho REST API \[C\], and the token endpoint answers `token_type: Bearer`; published clients send `Bearer` (docs/third-party-clients.md) |
//! | token of another data center (path or organization) | 401 | 57 | `You are not authorized to perform this operation` | reference §3.6 expects 57 (or 14) \[I\] |
//! | malformed JSON, a form without `JSONString`, an empty body | 400 | 1038 | `JSON is not well formed` | code \[O\], status unknown |
//! | a query or body value that is invalid (`page=x`, `per_page=500`, `sort_order=Z`, a bad `filter_by`, a non-number amount) | 400 | 2 | `Invalid value passed for <param>` | code \[C\], status likeliest |
//! | a required field missing (top level of a create, validate.rs; or of the merged record of an update, entities.rs; or in each element of a nested array, e.g. a journal line's `amount`) | 400 | 4 ([`MISSING_FIELD_CODE`]) | `Invalid value passed for <field>` | code 4 is Zoho's observed code for a missing field (evidence 10, 15b \[O\]: `Invalid value passed for Date`); the key, not the label, is named (the evidence shows both). Clients classify 4 as a validation refusal (catalog) |
//! | request validation runs | — | — | on every create, update and upsert body, before the entity rules, against the request schema of spec/zoho-openapi (generated.rs `requests`, §9's amount erratum applied: invoice `shipping_charge` is a number); the first problem found answers | Zoho answers one error at a time (evidence, pattern 1) |
//! | a value of the wrong JSON type (a boolean or object for a number, a string for a boolean, a fraction for an integer) | 400 | 2 | `Invalid value passed for <field>` (the leaf key, e.g. `quantity` for a line's) | code 2 marks a bad format \[O\] (evidence 15c) |
//! | a numeric string for a number or integer (`"85.00"`, `"2"`) | 201/200 | 0 | accepted, stored as the number | evidence row 1 \[O\] weak; a non-numeric string (`exchange_rate: "abc"`, `"12,50"`) is code 2 (evidence 2a, 2b) |
//! | a number for a string field (an id, a zip) | 201/200 | 0 | accepted | Zoho's own OpenAPI examples give numbers to string fields |
//! | `null`, `""` or a blank string in an optional field | 201/200 | 0 | taken as "not given": no type, value-list or format check | Zoho's own OpenAPI examples send `' '` (e.g. `item_type`, `reference_number`) |
//! | `discount` as a percentage string (`"10%"`) | 201/200 | 0 | accepted (entities.rs applies it as a percentage) | the files say a discount "can be specified as a percentage"; the `"12.5%"` form is Zoho's long-standing one |
//! | a non-integer `payment_terms` | 400 | 2 | `Invalid value passed for Payment Terms` (the label; [`FIELD_LABELS`]) | evidence 2a \[O\] |
//! | an object or array where a string is documented, or a string where an object or array is | 400 | 15 ([`TOO_LONG_CODE`]) | `Please ensure that the <key> has less than <N> characters.`, N the field's documented length or [`SHAPE_LENGTH_LIMIT`] | Zoho's length guard answers shape errors (evidence 2c \[O\]: `line_items` form-encoded, `shipping_address`) |
//! | a string longer than its documented maximum (`Max-length [N]`, `Maximum length is N characters`; for a top-level field the body leaves undocumented, the same field's list parameter, e.g. `contact_name` 100) | 400 | 15 | `Please ensure that the <key> has less than <N> characters.` (characters, not bytes) | evidence 2c, 9b \[O\]; the list parameter documents the same field's limit |
//! | a value outside a documented list (`enum`, or an "Allowed values" sentence of the description whose `<code>` list is clean) | 400 | 2 | `Invalid value passed for <field>`; case-sensitive | evidence 12a \[O\] (`tax_treatment`), 12b (case-sensitive `filter_by`). Lists tied to an edition ("For ... Edition", "supported only for"), explained value by value in parentheses, written inside one `<code>` with their heading, contradicted by the field's own example (journals' `journal_type`: `Cash`, `Both`, example `both`), or worded otherwise ("This can be ...", e.g. customer `payment_mode`, which also has a free-text length) are not enforced: they are incomplete or ambiguous (items' and invoice lines' `product_type`, `tax_treatment`, `vat_treatment`, `tax_specific_type`, taxes' `tax_type`) |
//! | `gst_treatment` | 400 | 2 | only `business_gst`, `business_none`, `overseas`, `consumer` | the list every file documents; Zoho's CSV import format knows finer values (tally-reference.md §11), which the API documents nowhere |
//! | a date field (`date`, `*_date`, or "yyyy-mm-dd" in the description) not `yyyy-mm-dd`, or a day that does not exist (`2025-02-30`) | 400 | 2 | `Invalid value passed for <field>` | no payload (evidence 3b); the phrase is real, code 2 is the format family \[I\] |
//! | `gst_no` not a GSTIN's shape (2 digits, PAN: 5 letters 4 digits 1 letter, then 3 upper-case letters or digits) | 400 | 2 | `Invalid value passed for gst_no` | the documented 15-character GSTIN; its check character is not verified (Zoho's check is unknown) |
//! | `email` not an address (one `@`, a dotted domain, no spaces) | 400 | 2 | `Invalid value passed for email` | none found; the likeliest |
//! | unknown body keys | 201/200 | 0 | a scalar is dropped (anywhere; entities.rs keeps only documented top-level keys); an object or array is code 15 `Please ensure that the <key> has less than 100 characters.` | evidence 9a \[O\] (scalars ignored), 9b \[O\] (`line_items2`) |
//! | invoice lines without `item_id` | 201 | 0 | accepted (name-and-rate lines) | the file marks `item_id` required; reference §5.1 \[I\]: Zoho accepts free-text lines |
//! | customer payments' top-level `invoice_id` and `amount_applied` | — | — | not fields of the body: required in each `invoices[]` element instead | reference §5.1: the file flattens `invoices[]`'s own fields |
//! | `lenient` in a scenario (`types`, `enums`, `lengths`, `formats`, `required`, `unknown_fields`) | — | — | those categories of checks are skipped; default none (strict) for tests, `zbooks sim` and `demo` | issue 13 point 9: only for a test that needs a bad request to reach a later error path |
//! | trial expired | 400 | 103001 | Zoho's message | code \[O\]; only writes (POST/PUT/DELETE) are refused: "every write fails" \[O\] |
//! | duplicate supplied invoice number (`ignore_auto_number_generation=true`), item name or unique custom field value | 400 | 4 | `Invalid value passed for <field>` (`invoice_number`, `name`, the custom field's `api_name`) | no Books payload was found (reference §1.4, evidence 6b, 6c, 15a). The only codes documented for these cases are Zoho *Invoice*'s (1001 for the number, 1000 for the item name \[C-inv\]); 1001 has no real payload, and 1000 is Books' own "Internal error" \[C\], which a client would retry. Code 4 is Zoho's observed code for a value that is present but semantically unacceptable (evidence 15b \[O\]), with its wording. Clients settle such a refusal by looking the record up; contacts keep their real 3062 |
//! | over-applied payment: a customer payment applying more than an invoice's balance | 400 | 24016 | `The amount entered is more than the balance due for this invoice` | Zoho Invoice's customer-payments table \[C-inv\] (evidence 8a), the only documented answer; chosen over the earlier code 2 because it is documented and the products share their error tables |
//! | over-applied payment: a vendor payment applying more than a bill's balance, or a payment applying more in all than its `amount` | 400 | 2 | `Invalid value passed for amount_applied` | no code documented for bills or for the sum; code 2 family |
//! | a payment applied to a draft invoice or bill | 201 | 0 | accepted; the document leaves draft: `partially_paid` or `paid` (a payment later removed leaves it `sent` / `open`, not draft) | Zoho applied a vendor payment to a draft bill and marked it paid \[O\] (evidence 8b); Zoho Invoice's help: "Applying a payment to a draft invoice will convert its status to open" \[C-inv\] (zoho.com/invoice/help/invoices/online-invoice-payment.html) |
//! | a payment applying anything new to a void invoice or bill | 400 | 2 | `Invalid value passed for invoice_id` / `bill_id`; what a payment applied before the void keeps stays, and the document stays `void` when it is moved or deleted | no evidence; Zoho's screens offer no payment on a void document, and a void document has nothing due |
//! | a record the body names (customer, vendor, item, tax, invoice, bill: `customer_id`, `vendor_id`, a line's `item_id` / `tax_id`, an item's or contact's `tax_id`, a payment's `invoice_id` / `bill_id`) missing | 400 | 1002 | `<Resource> does not exist.` on the referenced kind (`Customer`, `Vendor`, `Item`, `Tax`, `Invoice`, `Bill`) | 1002 is Zoho's "does not exist" \[C\]; 400 because the request, not its URL, is wrong (the path's own record missing stays 404). Zoho Invoice documents 2006 (item) and 3004 (customer on a payment) \[C-inv\] (evidence 4b, 4d); no Books payload, so the one Books code stays |
//! | a vendor-only contact as `customer_id` (invoice, customer payment), a customer-only contact as `vendor_id` (bill, vendor payment) | 400 | 1002 | `Customer does not exist.` / `Vendor does not exist.` | no evidence (row 5); treated as an invalid customer / vendor, as the evidence advises |
//! | an account id in a body (`account_id` of an item, a line, a journal line or a customer payment; an item's `purchase_account_id` / `inventory_account_id`; a vendor payment's `paid_through_account_id`) not in the chart of accounts | 400 | 4 | `Invalid value passed for <field>` | the message is observed for an item's `account_id` \[O\] (evidence 4c), its code not printed; 4 is Zoho's code for a present but unacceptable value (15b) |
//! | a journal line without `account_id` | 400 | 2 | `Invalid value passed for account_id` | a journal line posts to an account; the required-field family |
//! | `quantity` ≤ 0 on an invoice or bill line (absent: 1) | 400 | 2 | `Invalid value passed for quantity` | no evidence (row 7); the evidence's likeliest answer, zero included (a zero line is no sale) |
//! | `exchange_rate` ≤ 0 (any entity) | 400 | 2 | `Invalid value passed for exchange_rate` | no payload (row 2b); code 2 family |
//! | `tax_name` / `account_name` missing or blank (create, or blanked on update) | 400 | 2 | `Invalid value passed for tax_name` / `account_name` | Zoho's wording unknown; the required-field family |
//! | duplicate `tax_name` / `account_name` | 400 | 4 | `Invalid value passed for tax_name` / `account_name` | no evidence (row 6d); as item names (row above); names compare case-insensitively, trimmed, as contact names do (3062 "already exists" for "FORGE BREU-HOUS" differing only in case \[O\] N1). The seeded accounts and GST groups hold their names |
//! | line discount (`discount` on a line) | — | — | text ending in `%` is a percentage (0–100) of `rate × quantity`; a number or numeric text is an amount; `discount_amount` (line) is used as an amount when `discount` is absent; the line's `item_total` = `rate × quantity` − discount, rounded to cents; the answer writes the line's `discount_amount`. Over 100 %, negative, or more than the line: code 2 `Invalid value passed for discount` | invoices.yml: "can be specified as a percentage … or as a fixed amount", up to 100 % \[C\]; a number cannot say which, so the percent form is text with `%` (Zoho's older v3 docs: "e.g. 12.5% or 190") \[I\] |
//! | entity-level `discount` | — | — | the same forms, on the sum of the lines; `is_discount_before_tax` (default `true`, the files' example): before tax the discount is cents(pct × Σ lines) and each taxed line pays tax on its pro-rata share (line − discount × line ÷ Σ lines); after tax it is cents(pct × (sub_total + tax_total)); `total` = `sub_total` − discount + `tax_total` + `shipping_charge` + `adjustment`, rounded to cents. `discount_type` `entity_level` ignores line discounts, `item_level` ignores the entity `discount`, absent applies both; another value is code 2. With `is_inclusive_tax` the entity discount is always after tax (off the inclusive total) | invoices.yml describes `is_discount_before_tax` ("discount reduces the taxable amount") and `discount_type` \[C\]; pro-rata sharing and the defaults are the likeliest |
//! | `sub_total`, `tax_total`, `taxes`, `shipping_charge`, `adjustment` of an invoice or bill | — | — | `sub_total` = Σ line `item_total` (before the entity discount); exclusive tax is summed unrounded and rounded once; `taxes` lists `{tax_name, tax_amount}` per tax name; `shipping_charge` and `adjustment` are written (0 when absent); every figure is rounded to 2 places, half away from zero, whatever the currency | X9 (sub_total = Σ item_total) \[O\]; adjustment "applied after tax calculation" \[C\]; Zoho rounds to the currency's precision (2 for INR/USD/EUR), other precisions are not modelled |
//! | a tax group (`tax_type: tax_group`) on a line | — | — | its `tax_percentage`, which for a group is the sum of its taxes' rates (the seeded GST groups carry it), applied as one rate; the line gets the group's `tax_name`, `tax_type` and `tax_percentage`, and `taxes` lists the group by name; groups cannot be created through the simulator (`/settings/taxgroups` is not served) and compound taxes are not modelled | taxes.yml: a group "associating multiple taxes", `tax_group_percentage` \[C\] |
//! | collection `PUT` without the `X-Unique-Identifier-*` headers, or on a field not configured unique | 400 | 2 | `Invalid value passed for X-Unique-Identifier-Key` / `-Value` | code 2 family |
//! | upsert finds nothing and `X-Upsert` is not `true` | 404 | 1002 | `<Resource> does not exist.` | as for any missing record |
//! | supplied `invoice_number` without `ignore_auto_number_generation=true` | — | — | the supplied number is ignored; the next auto number is used | Zoho says the flag "mandates the invoice number" \[C\]; what happens without it is unknown |
//! | `ignore_auto_number_generation=true` without `invoice_number` | 400 | 2 | `Invalid value passed for invoice_number` | the flag mandates it \[C\] |
//! | body larger than [`MAX_BODY_BYTES`] | 400 | 2 | `Invalid value passed for JSONString` | no source; a sane cap keeps the simulator alive |
//! | which calls count toward the limits | — | — | every call that reaches an organization after authentication, whatever its answer; 401s, 404/405s, `GET /organizations` and faults answered "at the gateway" do not | Zoho counts "requests"; unknown details |
//! | per-minute window | — | — | a fixed window starting at the organization's first call; once exceeded, the organization is blocked to the window's end | Zoho's text: "blocked" \[C\] |
//! | daily window | — | — | a fixed window of the configured day length, starting at the organization's first call | Zoho's reset time is unknown \[unknown\] |
//! | `X-Rate-Limit-*` headers | — | — | `-Limit` = the plan's daily quota, `-Remaining` = calls left today, `-Reset` = seconds until the daily window ends; never `Retry-After` | the 2019 observation (7500 / 6775 / 34881) \[O\] |
//! | which answers carry the `X-Rate-Limit-*` headers | — | — | every answer once the token is accepted and the organization known: successes and errors alike (1002, code 2, 429/44/45/1070, trial 103001), `GET /organizations/{id}`, and `GET /organizations` with the user's default organization's figures (the listing names none, and is not counted); none on 401s, 404/405s, or before an organization is known (6041, a missing `organization_id`) | on 2xx \[O\] (2019; a 2025 tap reads them on every authenticated call); on errors unknown, and a client that sleeps until `-Reset` must find them on a 429; an unauthenticated 2026 probe saw none \[O\] |
//! | token endpoint: missing or unknown `grant_type` | 200 | — | `{"error":"unsupported_grant_type"}` | OAuth 2 wording; Zoho answers errors with 200 \[O\] |
//! | token endpoint: refresh token of another client | 200 | — | `{"error":"invalid_code"}` | "the refresh token is revoked or wrong" → invalid_code \[C\] |
//! | token endpoint: method other than POST | 405 | — | `{"error":"invalid_request"}` | none found |
//! | token throttle | 200 | — | the "too many requests continuously" body with `"status":"failure"` | one of the two documented wordings \[C\]; refused requests are not counted |
//! | token throttle window | — | — | 10 minutes of the configured minute length | keeps tests fast |
//! | revoke | 200 | — | `{"status":"success"}` for any token, known or not | none found |
//! | grant code lifetime | — | — | 3 minutes of wall time (sim clock), configurable | "about 2–3 minutes" \[C\] |
//! | `created_time` / `last_modified_time` | — | — | `YYYY-MM-DDTHH:MM:SS+0000` on the simulator's clock | Zoho uses the organization's offset |
//! | invoice and bill totals with `is_inclusive_tax: true` | — | — | per line: tax = amount × pct ÷ (100 + pct) rounded to cents (half away from zero), `item_total` = amount − that tax; `sub_total` = Σ `item_total`, `tax_total` = Σ line taxes, `total` = Σ inclusive amounts + shipping + adjustment. Line discounts come off the inclusive amount before the tax is carved out; the rate is used as sent (not first rounded to `price_precision`); a non-boolean `is_inclusive_tax` is code 2. Exclusive documents keep the tax summed unrounded and rounded once | formula \[C\] (evidence D3), item_total/sub_total/total \[O\] (evidence row 14, E1, X9); rounding per line is the likeliest (Zoho shows a rounded tax per line), so the parts add up to the inclusive whole |
//! | journals | — | — | debits and credits are not required to balance (one account on both sides is refused with Zoho's observed 400/4 `Invalid value passed for Amount`, evidence X4 \[O\]) | Zoho's examples are single lines; the rule is unknown |
//! | deleting a contact, item or account that others reference | 200 | 0 | allowed | Zoho's refusal code is unknown |
//! | default list order | — | — | `created_time`, newest first (`sort_order` `D`), ties by creation order; `page_context` echoes `created_time`/`D` | invoices observed `created_time`/`D` \[O\] (evidence 13a); contacts observed `contact_name` with A and D in conflict (13b), so one rule for all |
//! | `sort_column` | 400 | 2 | `Invalid value passed for sort_column` for a column the list operation does not document (spec/zoho-openapi); `created_time` always accepted (it is the echoed default); on lists documenting no `sort_column` (customer payments, taxes) it is an unknown parameter, ignored | no payload for a bad column (evidence 13c \[I\]); code 2 is the family of bad query values \[C\] |
//! | `sort_order` | 400 | 2 | `A`/`D` (or `ascending`/`descending`) honoured on every list | bills.yml documents it; contacts and invoices echo it \[O\] |
//! | unknown query parameters (filters included) | 200 | 0 | ignored | unsupported params are ignored \[O\] (evidence 13c) |
//! | `page_context` | — | — | `page`, `per_page`, `has_more_page`, `report_name`, `applied_filter`, `filter_by`, `search_text`, `sort_column`, `sort_order` on every list; invoices add `response_option` `0` (the only format written; the request's `response_option` is not implemented) | the union of the keys the list operations document; `report_name` is the resource's display name (`Invoices`, `Bills` per the files' examples; others by the same pattern) |
//! | keys Zoho's answers carry beyond its OpenAPI files (organization `version`, `user_role`, …; contact `contact_salutation`, `default_templates.*_name`, …; item `account_id`, `account_name`; invoice `contact_persons_details`, lines' `hsn_or_sac`; payment `account_id`, `tax_*`, `invoices[].balance`, … — the list in observed.rs) | — | — | present in every answer of that kind; a value the simulator has is kept, a missing one is the empty value of its type (as shape.rs widens documented keys), `exchange_rate` 1 and `price_precision` 2 | Zoho's own Python client library (`zohobooks-api` 1.4, PyPI) reads each unconditionally, so Zoho's answers had them \[O\]; the OpenAPI files omit them (docs/third-party-clients.md) |
//! | money in a list element that the list schema leaves undocumented (`adjustment` in bills) | — | — | written with the get answer's type, so a JSON number | the get schema types it as a number; Zoho writes amounts as numbers (reference §9) |
//! | status actions (`/invoices/{id}/status/sent`, `/void`, `/draft`; `/bills/{id}/status/void`, `/open`) | 200 | 0 | Zoho's message (OpenAPI examples); `sent` moves only a draft, `draft` only a void invoice, `open` only a void or draft bill, otherwise the status stays (still 200); `void` always voids and leaves applied payments on their payments (Zoho moves them to customer credits) | Zoho's refusals for the other transitions are unknown |
//! | amount filters (`total_less_than`, ...) and date filters (`date_start`, ...) | 400 | 2 | `Invalid value passed for <param>` for a value that is not a number or a real `yyyy-mm-dd` date; `_start`/`_end` include the day, `_before`/`_after` exclude it; a record without the field never matches; plain `last_modified_time` keeps records modified at or after it (a date, or a timestamp with an offset) | reference §5.3 \[C\] for the variants and code 2; the inclusive ends are the likeliest reading |
//! | contacts list without `filter_by` | 200 | 0 | only active contacts; `page_context.applied_filter` and `filter_by` echo `Status.Active`; `filter_by=Status.All` shows inactive ones too. Other lists show every record | "default hides … inactive contacts" \[O\] (evidence 13b, X5); what Zoho echoes then is unknown (the doc example D4 shows `Status.All` for a call that may have named it), so the filter applied is echoed |
//! | `overdue` | — | — | an invoice `sent`/`partially_paid`/`viewed`, or a bill `open`/`partially_paid`, with a balance above 0 and a `due_date` before today (the simulator's clock, UTC) shows `status` `overdue` in every answer and to `filter_by=Status.OverDue`; computed when answering, never stored; `due_days` reads `Due Today`, `Due in N days` or `Overdue by N days` | Zoho's statuses and filters name `overdue` \[C\]; that a partially paid document past due shows `overdue` rather than `partially_paid` is the likeliest reading of the UI |
//! | due date from payment terms | — | — | an invoice or bill without `due_date` takes `payment_terms` (its own, else its contact's, copied with the label) and is due that many days after its `date`; without terms, on its date | Zoho's "Net N" terms \[C\]; labels `Due on Receipt` (0) and `Net N` are Zoho's default term names |
//! | defaults Zoho fills in | — | — | item: `account_id`/`account_name` the organization's Sales account, `item_type` `sales` (items.yml: "Default value will be sales" \[C\]), `product_type` `goods`, `status` `active`; contact: `contact_type` `customer`, `status` `active`, `customer_sub_type` `business`, `contact_salutation` the primary person's `salutation` (else `""`), `primary_contact_id` that person's id, `language_code` `en`; documents: `currency_code`/`currency_id`/`currency_symbol` the organization's, `exchange_rate` 1, `price_precision` 2; taxes: `tax_type` `tax`, the organization's country; accounts: `is_user_created` unless seeded; journals: `journal_type` `both` | Zoho's examples show these values; the Sales account and `goods` are what the Zoho UI preselects |
//! | currency ids | — | — | a 15-digit id fixed per organization and currency code, the same in the organization, its contacts and documents; symbols and formats of the common currencies (`##,##,##0.00` for INR, `###,##0.00` otherwise) | the simulator has no currencies endpoint; Zoho's ids are per organization |
//! | organization fields | — | — | `version` by data center (`india`, `eu`, `australia`, `canada`, `saudiarabia`, `us`, else `global`); `plan_name` upper case (`PROFESSIONAL`, as organizations.yml's example); `plan_type` 100/120/130/140/150/160 for Free…Ultimate (only Professional's 130 is seen, beside `PROFESSIONAL` in the example); `fiscal_year_start_month` 3 (April) in India, 0 elsewhere (0-based, as the example's 0 for January); `date_format` `dd MMM yyyy`; `user_role` `admin`; `contact_name` the organization's name; `email`, `phone` and the like `""` | Zoho's own SDKs read these keys (`version`, `user_role`, `address`, `custom_fields`, `tax_basis`, `portal_name` …); values from the example where it has one |
//! | mark active / inactive (`/contacts/{id}/active`, `/inactive`; items and chart of accounts alike) | 200 (accounts 201) | 0 | Zoho's messages from the files; any status may be set again | statuses as each file documents them (chart-of-accounts.yml says 201; bills.yml says 201 for its status actions, invoices.yml 200) |
//! | plain `<field>=` filter | — | — | case-insensitive exact match; `_startswith` / `_contains` case-insensitive | "not documented" \[unknown\] |

/// `code` of the 404 for an unknown route.
pub const UNMATCHED_CODE: i64 = 5;
/// `message` of the 404 for an unknown route.
pub const UNMATCHED_MESSAGE: &str = "Invalid URL Passed";
/// `code` of the 405 for a known path called with the wrong method.
pub const METHOD_NOT_ALLOWED_CODE: i64 = 37;
/// `message` of the 405.
pub const METHOD_NOT_ALLOWED_MESSAGE: &str = "HTTP method not allowed";
/// The header (and its value) that marks an unmatched route.
pub const UNMATCHED_HEADER: (&str, &str) = ("x-zbooks-sim", "unmatched");
/// HTTP status of code 1002 (record not found).
pub const NOT_FOUND_STATUS: u16 = 404;
/// HTTP status of the 400-family errors whose status Zoho does not document (2, 4, 1038, 6041,
/// 103001).
pub const BAD_REQUEST_STATUS: u16 = 400;
/// `code` of a duplicate invoice number, item name or unique custom field value: Zoho's code 4
/// for a semantically unacceptable value, since no real Books payload shows another (table above).
pub const DUPLICATE_CODE: i64 = 4;
/// `code` of an account id in a body (`account_id`, `paid_through_account_id`, a line's or an
/// item's account) that is not in the chart of accounts, worded `Invalid value passed for
/// <field>` as observed (evidence row 4c; the code was not printed: 4, Zoho's code for a present
/// but unacceptable value, evidence 15b).
pub const UNKNOWN_ACCOUNT_CODE: i64 = 4;
/// `code` of a customer payment applying more than an invoice's balance (Zoho Invoice's table,
/// evidence row 8a \[C-inv\]).
pub const OVER_BALANCE_CODE: i64 = 24016;
/// `message` of [`OVER_BALANCE_CODE`].
pub const OVER_BALANCE_MESSAGE: &str =
    "The amount entered is more than the balance due for this invoice";
/// `code` of a malformed `organization_id`, or a missing one from a user of no organization
/// (Zoho's code is unknown).
pub const MISSING_ORG_CODE: i64 = 2;
/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// How long a grant code lives by default.
pub const GRANT_CODE_LIFETIME_SECS: u64 = 180;
/// How many minutes (of the configured length) the token throttle window lasts.
pub const TOKEN_WINDOW_MINUTES: u32 = 10;
/// Token requests allowed per refresh token per window (reference §3.3 \[C\]).
pub const TOKEN_REQUESTS_PER_WINDOW: usize = 10;
/// Active access tokens per refresh token; the oldest is dropped past it (reference §3.3 \[C\]).
pub const ACTIVE_ACCESS_TOKENS: usize = 15;
/// Active refresh tokens per user per client; the oldest is revoked past it (§3.3 \[C\]).
pub const ACTIVE_REFRESH_TOKENS: usize = 20;
/// The largest `per_page` (reference §5.3 \[C\]).
pub const MAX_PER_PAGE: usize = 200;
/// `code` of a required request field missing (Zoho's observed code for a missing field,
/// evidence rows 10 and 15b; the message names the field).
pub const MISSING_FIELD_CODE: i64 = 4;
/// `code` of Zoho's length guard: `Please ensure that the <key> has less than <N>
/// characters.` (evidence rows 2c, 9b \[O\]).
pub const TOO_LONG_CODE: i64 = 15;
/// The `<N>` of code 15 for an object or array under an unknown key, or where a scalar is
/// documented (the 100 of every observed payload, evidence 2c, 9b).
pub const SHAPE_LENGTH_LIMIT: u32 = 100;
/// Fields whose code-2 message names Zoho's label rather than the key (evidence 2a \[O\]).
pub const FIELD_LABELS: &[(&str, &str)] = &[("payment_terms", "Payment Terms")];
