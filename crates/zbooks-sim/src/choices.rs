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
//! | invoice lines without `item_id` | 201 | 0 | accepted (name-and-rate lines) | the file marks `item_id` required; reference §5.1 [I]: Zoho accepts free-text lines |
//! | customer payments' top-level `invoice_id` and `amount_applied` | — | — | not fields of the body: required in each `invoices[]` element instead | reference §5.1: the file flattens `invoices[]`'s own fields |
//! | `lenient` in a scenario (`types`, `enums`, `lengths`, `formats`, `required`, `unknown_fields`) | — | — | those categories of checks are skipped; default none (strict) for tests, `zbooks sim` and `demo` | issue 13 point 9: only for a test that needs a bad request to reach a later error path |
//! | trial expired | 400 | 103001 | Zoho's message | code \[O\]; only writes (POST/PUT/DELETE) are refused: "every write fails" \[O\] |
//! | duplicate supplied invoice number (`ignore_auto_number_generation=true`), item name or unique custom field value | 400 | 4 | `Invalid value passed for <field>` (`invoice_number`, `name`, the custom field's `api_name`) | no Books payload was found (reference §1.4, evidence 6b, 6c, 15a). The only codes documented for these cases are Zoho *Invoice*'s (1001 for the number, 1000 for the item name \[C-inv\]); 1001 has no real payload, and 1000 is Books' own "Internal error" \[C\], which a client would retry. Code 4 is Zoho's observed code for a value that is present but semantically unacceptable (evidence 15b \[O\]), with its wording. Clients settle such a refusal by looking the record up; contacts keep their real 3062 |
//! | over-applied payment (more than the invoice or bill balance, or than the payment) | 400 | 2 | `Invalid value passed for amount_applied` | code 2 family |
//! | a referenced record (customer, vendor, item, tax, account, invoice, bill) missing | 400 | 1002 | `<Resource> does not exist.` on the referenced kind | 1002 is Zoho's "does not exist" |
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
//! | journals | — | — | debits and credits are not required to balance | Zoho's examples are single lines; the rule is unknown |
//! | deleting a contact, item or account that others reference | 200 | 0 | allowed | Zoho's refusal code is unknown |
//! | default list order | — | — | `created_time`, newest first (`sort_order` `D`), ties by creation order; `page_context` echoes `created_time`/`D` | invoices observed `created_time`/`D` \[O\] (evidence 13a); contacts observed `contact_name` with A and D in conflict (13b), so one rule for all |
//! | `sort_column` | 400 | 2 | `Invalid value passed for sort_column` for a column the list operation does not document (spec/zoho-openapi); `created_time` always accepted (it is the echoed default); on lists documenting no `sort_column` (customer payments, taxes) it is an unknown parameter, ignored | no payload for a bad column (evidence 13c \[I\]); code 2 is the family of bad query values \[C\] |
//! | `sort_order` | 400 | 2 | `A`/`D` (or `ascending`/`descending`) honoured on every list | bills.yml documents it; contacts and invoices echo it \[O\] |
//! | unknown query parameters (filters included) | 200 | 0 | ignored | unsupported params are ignored \[O\] (evidence 13c) |
//! | `page_context` | — | — | `page`, `per_page`, `has_more_page`, `report_name`, `applied_filter`, `filter_by`, `search_text`, `sort_column`, `sort_order` on every list; invoices add `response_option` `0` (the only format written; the request's `response_option` is not implemented) | the union of the keys the list operations document; `report_name` is the resource's display name (`Invoices`, `Bills` per the files' examples; others by the same pattern) |
//! | money in a list element that the list schema leaves undocumented (`adjustment` in bills) | — | — | written with the get answer's type, so a JSON number | the get schema types it as a number; Zoho writes amounts as numbers (reference §9) |
//! | status actions (`/invoices/{id}/status/sent`, `/void`, `/draft`; `/bills/{id}/status/void`, `/open`) | 200 | 0 | Zoho's message (OpenAPI examples); `sent` moves only a draft, `draft` only a void invoice, `open` only a void or draft bill, otherwise the status stays (still 200); `void` always voids and leaves applied payments on their payments (Zoho moves them to customer credits) | Zoho's refusals for the other transitions are unknown |
//! | amount filters (`total_less_than`, ...) and date filters (`date_start`, ...) | 400 | 2 | `Invalid value passed for <param>` for a value that is not a number or a real `yyyy-mm-dd` date; `_start`/`_end` include the day, `_before`/`_after` exclude it; a record without the field never matches; plain `last_modified_time` keeps records modified at or after it (a date, or a timestamp with an offset) | reference §5.3 \[C\] for the variants and code 2; the inclusive ends are the likeliest reading |
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
