//! The Books API under `/books/v3` (and `/api/v3`): routing, the checks every call passes in
//! Zoho's order (token, scope, organization, trial, limits), and the list/get/create/update/
//! delete/upsert operations with Zoho's envelopes.
//!
//! Order of checks (choices.rs lists the open points): route → `Authorization` (401/14) →
//! token, data center and scope (401/57) → `organization_id` (400/2 malformed; missing: the
//! user's only organization, or 400/6024 naming several) → membership (6041) →
//! organization's data center (401/57) → trial (103001, writes only) → limits (429/44, 45,
//! 1070) → the operation.

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;

use serde_json::{Value, json};

use crate::choices;
use crate::faults::FaultAction;
use crate::http::request::Incoming;
use crate::resources::Kind;
use crate::rules::entities::{self, Ctx, parse_id};
use crate::rules::observed;
use crate::rules::reply::{Answer, Reply};
use crate::rules::validate::{self, Op};
use crate::shape::Shape;
use crate::state::Shared;
use crate::store::auth::operation_of;
use crate::store::packed::{self, Field, Stored};
use crate::store::{OrgCell, OrgData, Record, lock};
use crate::{generated, time};
use zbooks_types::reports::ZohoReport;
use zbooks_types::resource;

/// What a Books path and method ask for.
#[derive(Debug)]
enum Target {
    ListOrgs,
    GetOrg(String),
    List(Kind),
    Create(Kind),
    Upsert(Kind),
    Get(Kind, String),
    Update(Kind, String),
    Delete(Kind, String),
    /// `POST /invoices/{id}/status/sent` and the like.
    Status(Kind, String, &'static str),
    /// `POST /contacts/{id}/active` (true) or `/inactive` (false); items and accounts alike.
    Activate(Kind, String, bool),
    /// `GET /reports/trialbalance` and the other accounting reports (`reports.rs`).
    Report(ZohoReport),
    /// `/settings/openingbalances`: one object per organization (rules/opening.rs).
    OpeningBalance,
}

/// Zoho's messages for marking a record active and inactive, for the kinds that have them
/// (contacts.yml, items.yml, chart-of-accounts.yml examples).
fn activation_messages(kind: Kind) -> Option<(&'static str, &'static str)> {
    match kind {
        Kind::Contacts => Some((
            "The contact has been marked as active.",
            "The contact has been marked as inactive.",
        )),
        Kind::Items => Some((
            "The item has been marked as active.",
            "The item has been marked as inactive.",
        )),
        Kind::ChartOfAccounts => Some((
            "The account has been marked as active.",
            "The account has been marked as inactive.",
        )),
        _ => None,
    }
}

/// The status actions (`/{id}/status/{action}`) of a kind: (action, Zoho's message).
fn status_actions(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Invoices => &[
            ("sent", "Invoice status has been changed to Sent."),
            ("void", "Invoice status has been changed to Void."),
            ("draft", "Status of invoice changed from void to draft"),
        ],
        Kind::Bills => &[
            ("void", "The bill has been marked as void."),
            // Zoho's own spelling (bills.yml).
            ("open", "The status of the bill has been chaged to open."),
        ],
        _ => &[],
    }
}

/// The target of a path below `/books/v3`, or Zoho's 404/405.
fn route(method: &str, rest: &str) -> Result<Target, Reply> {
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if segments.first() == Some(&resource::ORGANIZATIONS.bare_path()) {
        return match (segments.len(), method) {
            (1, "GET") => Ok(Target::ListOrgs),
            (2, "GET") => Ok(Target::GetOrg(segments[1].to_owned())),
            (1 | 2, _) => Err(Reply::method_not_allowed()),
            _ => Err(Reply::unmatched()),
        };
    }
    if segments.first() == Some(&"reports") {
        return match (&segments[1..], method) {
            ([name], "GET") => ZohoReport::from_segment(name)
                .map(Target::Report)
                .ok_or_else(Reply::unmatched),
            ([name], _) if ZohoReport::from_segment(name).is_some() => {
                Err(Reply::method_not_allowed())
            }
            _ => Err(Reply::unmatched()),
        };
    }
    if segments
        .iter()
        .copied()
        .eq(resource::OPENING_BALANCES.bare_path().split('/'))
    {
        return match method {
            "GET" | "POST" | "PUT" | "DELETE" => Ok(Target::OpeningBalance),
            _ => Err(Reply::method_not_allowed()),
        };
    }
    let Some((kind, used)) = Kind::from_segments(&segments) else {
        return Err(Reply::unmatched());
    };
    let tail = &segments[used..];
    match (tail, method) {
        ([], "GET") => Ok(Target::List(kind)),
        ([], "POST") => Ok(Target::Create(kind)),
        ([], "PUT") if kind.def().upsert => Ok(Target::Upsert(kind)),
        ([id], "GET") => Ok(Target::Get(kind, (*id).to_owned())),
        ([id], "PUT") => Ok(Target::Update(kind, (*id).to_owned())),
        ([id], "DELETE") => Ok(Target::Delete(kind, (*id).to_owned())),
        ([] | [_], _) => Err(Reply::method_not_allowed()),
        ([id, action @ ("active" | "inactive")], _) if activation_messages(kind).is_some() => {
            if method == "POST" {
                Ok(Target::Activate(
                    kind,
                    (*id).to_owned(),
                    *action == "active",
                ))
            } else {
                Err(Reply::method_not_allowed())
            }
        }
        ([id, "status", action], _) => {
            let Some((action, _)) = status_actions(kind).iter().find(|(a, _)| a == action) else {
                return Err(Reply::unmatched());
            };
            if method == "POST" {
                Ok(Target::Status(kind, (*id).to_owned(), action))
            } else {
                Err(Reply::method_not_allowed())
            }
        }
        _ => Err(Reply::unmatched()),
    }
}

/// Answers one Books request. `fault` is a delay or stall to serve once admitted.
pub(crate) async fn handle(shared: &Shared, inc: &Incoming, fault: Option<&FaultAction>) -> Reply {
    match handle_inner(shared, inc, fault).await {
        Ok(r) | Err(r) => r,
    }
}

async fn handle_inner(shared: &Shared, inc: &Incoming, fault: Option<&FaultAction>) -> Answer {
    let rest = inc.norm.strip_prefix("/books/v3").unwrap_or("");
    let target = route(&inc.method, rest)?;
    let family = match &target {
        Target::ListOrgs | Target::GetOrg(_) => "settings",
        Target::OpeningBalance => resource::OPENING_BALANCES.scope,
        Target::List(k)
        | Target::Create(k)
        | Target::Upsert(k)
        | Target::Get(k, _)
        | Target::Update(k, _)
        | Target::Delete(k, _)
        | Target::Status(k, _, _)
        | Target::Activate(k, _, _) => k.def().scope,
        Target::Report(_) => zbooks_types::reports::SCOPE_FAMILY,
    };
    // Reference §3.4: `Authorization: Zoho-oauthtoken <token>`, or `Bearer <token>` as Zoho
    // Accounts documents for every Zoho API (choices.rs); anything else is 401/14.
    let token = inc
        .header("authorization")
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, token)| {
            (scheme.eq_ignore_ascii_case("Zoho-oauthtoken")
                || scheme.eq_ignore_ascii_case("Bearer"))
                && !token.trim().is_empty()
        })
        .map(|(_, token)| token.trim().to_owned())
        .ok_or_else(Reply::unauthenticated)?;
    let now = shared.clock.now();
    let user = lock(&shared.auth)
        .check(&token, inc.dc, family, operation_of(&inc.method), now)
        .map(str::to_owned)
        .map_err(|_| Reply::not_authorized())?;

    if let Target::ListOrgs = target {
        return Ok(list_orgs(shared, inc, &user));
    }
    if let Target::GetOrg(id) = &target {
        let org = member_org(shared, &user, id)?;
        if org.meta.dc != inc.dc {
            return Err(Reply::not_authorized());
        }
        let value = org_json(&org, true);
        let mut reply = Reply::json(
            200,
            &json!({"code": 0, "message": "success", "organization": observed::organization(generated::ORGANIZATION.get.fit(&value))}),
        );
        reply.headers.extend(shared.rate_headers(&org));
        return Ok(reply);
    }

    let org = match inc.param("organization_id").filter(|id| !id.is_empty()) {
        Some(id) if parse_id(id).is_some() => member_org(shared, &user, id)?,
        Some(_) => return Err(invalid_org_id()),
        None => default_org(shared, inc, &user)?,
    };
    if org.meta.dc != inc.dc {
        return Err(Reply::not_authorized());
    }
    let mut reply = org_call(shared, inc, &org, &target, fault).await;
    reply.organization_id = Some(org.meta.organization_id.clone());
    reply.headers.extend(shared.rate_headers(&org));
    Ok(reply)
}

async fn org_call(
    shared: &Shared,
    inc: &Incoming,
    org: &Arc<OrgCell>,
    target: &Target,
    fault: Option<&FaultAction>,
) -> Reply {
    if org.meta.trial_expired && inc.method != "GET" {
        return Reply::zoho(
            choices::BAD_REQUEST_STATUS,
            103_001,
            "Your trial of Zoho Books is over. Please upgrade to a paid plan to enjoy our service.",
        );
    }
    let slot = match shared.admit(org) {
        Ok(slot) => slot,
        Err(reply) => return reply,
    };
    match fault {
        Some(FaultAction::Delay { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
        }
        Some(FaultAction::Stall) => {
            tokio::time::sleep(shared.settings.stall).await;
            let mut reply = Reply::raw(0, "text/plain", "");
            reply.drop_connection = true;
            return reply;
        }
        _ => {}
    }
    let reply = match operate(shared, inc, org, target) {
        Ok(r) | Err(r) => r,
    };
    drop(slot);
    reply
}

fn invalid_org_id() -> Reply {
    Reply::zoho(
        400,
        choices::MISSING_ORG_CODE,
        "Invalid value passed for organization_id",
    )
}

/// The organizations `user` belongs to in the request's data center, in the order (and with
/// the default) that `GET /organizations` shows.
fn member_orgs(shared: &Shared, inc: &Incoming, user: &str) -> Vec<Arc<OrgCell>> {
    shared
        .all_orgs()
        .into_iter()
        .filter(|o| o.meta.dc == inc.dc && o.meta.members.iter().any(|m| m == user))
        .collect()
}

/// No `organization_id`: a user of one organization gets it, a user of several gets Zoho's
/// 6024 naming them (reference §1.4 \[O\]), never the first one picked for them.
fn default_org(shared: &Shared, inc: &Incoming, user: &str) -> Result<Arc<OrgCell>, Reply> {
    let mut orgs = member_orgs(shared, inc, user);
    match orgs.len() {
        0 => Err(invalid_org_id()),
        1 => Ok(orgs.remove(0)),
        _ => {
            let choices: Vec<Value> = orgs
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    json!({
                        "organization_id": o.meta.organization_id,
                        "name": o.meta.name,
                        "is_default_org": i == 0,
                    })
                })
                .collect();
            Err(Reply::json(
                choices::BAD_REQUEST_STATUS,
                &json!({
                    "code": MULTIPLE_ORGS_CODE,
                    "message": MULTIPLE_ORGS_MESSAGE,
                    "error_info": choices,
                }),
            ))
        }
    }
}

/// Zoho's code for a missing `organization_id` from a user of several organizations.
const MULTIPLE_ORGS_CODE: i64 = 6024;
/// Zoho's message for it, word for word (reference §1.4).
const MULTIPLE_ORGS_MESSAGE: &str = "This user belongs to multiple organizations, hence the \
     parameter CompanyID/CompanyName is required for associating this user to a specific \
     organization.";

/// The organization `id` if `user` belongs to it, else Zoho's 6041.
fn member_org(shared: &Shared, user: &str, id: &str) -> Result<Arc<OrgCell>, Reply> {
    shared
        .org(id)
        .filter(|org| org.meta.members.iter().any(|m| m == user))
        .ok_or_else(|| {
            Reply::zoho(
                choices::BAD_REQUEST_STATUS,
                6041,
                format!("This user is not associated with the CompanyID/CompanyName:{id}."),
            )
        })
}

fn org_json(org: &OrgCell, is_default: bool) -> Value {
    crate::rules::complete::organization(&org.meta, is_default)
}

fn list_orgs(shared: &Shared, inc: &Incoming, user: &str) -> Reply {
    let mine = member_orgs(shared, inc, user);
    let orgs: Vec<Value> = mine
        .iter()
        .enumerate()
        .map(|(i, o)| {
            observed::organization(generated::ORGANIZATION.list.fit(&org_json(o, i == 0)))
        })
        .collect();
    let mut reply = Reply::json(
        200,
        &json!({"code": 0, "message": "success", resource::ORGANIZATIONS.plural: orgs}),
    );
    // Clients read the headers here too (reference §2); the listing names no organization,
    // so they are the default organization's (choices.rs).
    if let Some(default) = mine.first() {
        reply.headers.extend(shared.rate_headers(default));
    }
    reply
}

/// The operation itself, under the organization's data lock.
fn operate(shared: &Shared, inc: &Incoming, org: &Arc<OrgCell>, target: &Target) -> Answer {
    let ctx = Ctx {
        org: &org.meta,
        now: shared.clock.now(),
        ids: &shared.ids,
        own_number: inc
            .param("ignore_auto_number_generation")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
    };
    match target {
        Target::List(kind) => {
            let data = lock(&org.data);
            list(&data, &ctx, *kind, inc)
        }
        Target::Get(kind, id) => {
            let def = kind.def();
            let id = parse_id(id).ok_or_else(|| Reply::invalid(def.id_field))?;
            // The lock is held only to look up: the answer is rendered outside it, and kept
            // until the record changes.
            let data = lock(&org.data);
            if let Some(body) = data.rendered(*kind, id, ctx.today()) {
                return Ok(Reply::json_bytes(200, 0, body));
            }
            let stored = data
                .stored(*kind, id)
                .cloned()
                .ok_or_else(|| Reply::not_found(def.label))?;
            // A payment shows its documents as they are now (read under the lock): its answer
            // is not kept. Other records are decoded outside the lock.
            let keep = !is_payment(*kind);
            let reply = if keep {
                drop(data);
                match stored_reply(&ctx, org, *kind, &stored) {
                    Some(reply) => reply,
                    None => {
                        entity_reply(&ctx, 200, "success", *kind, &def.spec.get, stored.decode())
                    }
                }
            } else {
                let mut record = stored.decode();
                crate::store::balances::payment_documents(&data, *kind, &mut record);
                drop(data);
                entity_reply(&ctx, 200, "success", *kind, &def.spec.get, record)
            };
            if keep {
                lock(&org.data).keep_rendered(*kind, id, &stored, reply.body.clone(), ctx.today());
            }
            Ok(reply)
        }
        Target::Create(kind) => {
            let body = inc.payload()?;
            validate::check(*kind, Op::Create, &body, shared.lenient())?;
            let mut data = lock(&org.data);
            let (_, mut record) = entities::create(&mut data, &ctx, *kind, body)?;
            crate::store::balances::payment_documents(&data, *kind, &mut record);
            drop(data);
            Ok(created_reply(shared, org, &ctx, *kind, record))
        }
        Target::Update(kind, id) => {
            let def = kind.def();
            let id = parse_id(id).ok_or_else(|| Reply::invalid(def.id_field))?;
            let body = inc.payload()?;
            validate::check(*kind, Op::Update, &body, shared.lenient())?;
            let mut data = lock(&org.data);
            let mut record = entities::update(&mut data, &ctx, *kind, id, body)?;
            crate::store::balances::payment_documents(&data, *kind, &mut record);
            drop(data);
            let reply = entity_reply(&ctx, 200, def.updated, *kind, &def.spec.update, record);
            shared.touch();
            shared.webhooks.fire(
                def.singular,
                crate::webhooks::WebhookEvent::Updated,
                &reply.body,
                shared.settings.minute,
            );
            Ok(reply)
        }
        Target::Delete(kind, id) => {
            let def = kind.def();
            let id = parse_id(id).ok_or_else(|| Reply::invalid(def.id_field))?;
            let mut data = lock(&org.data);
            entities::delete(&mut data, &ctx, *kind, id)?;
            drop(data);
            shared.touch();
            let reply = Reply::json(200, &json!({"code": 0, "message": def.deleted}));
            Ok(reply)
        }
        Target::Upsert(kind) => upsert(shared, inc, org, &ctx, *kind),
        Target::Status(kind, id, action) => {
            let def = kind.def();
            let id = parse_id(id).ok_or_else(|| Reply::invalid(def.id_field))?;
            let message = status_actions(*kind)
                .iter()
                .find(|(a, _)| a == action)
                .map_or("success", |(_, m)| *m);
            let mut data = lock(&org.data);
            entities::set_status(&mut data, &ctx, *kind, id, action)?;
            drop(data);
            shared.touch();
            // bills.yml documents 201 for its status actions, invoices.yml 200.
            let status = if *kind == Kind::Bills { 201 } else { 200 };
            Ok(Reply::json(status, &json!({"code": 0, "message": message})))
        }
        Target::Activate(kind, id, active) => {
            let def = kind.def();
            let id = parse_id(id).ok_or_else(|| Reply::invalid(def.id_field))?;
            let mut data = lock(&org.data);
            let mut record = data
                .get(*kind, id)
                .ok_or_else(|| Reply::not_found(def.label))?;
            if *kind == Kind::ChartOfAccounts {
                record.insert("is_active".into(), Value::Bool(*active));
            } else {
                let status = if *active { "active" } else { "inactive" };
                record.insert("status".into(), Value::String(status.into()));
            }
            record.insert(
                "last_modified_time".into(),
                Value::String(time::timestamp(ctx.now)),
            );
            data.insert(*kind, id, &record, &org.meta.unique_custom_fields);
            drop(data);
            shared.touch();
            let (on, off) = activation_messages(*kind).unwrap_or(("success", "success"));
            let message = if *active { on } else { off };
            // chart-of-accounts.yml documents 201 for these two; contacts and items 200.
            let status = if *kind == Kind::ChartOfAccounts {
                201
            } else {
                200
            };
            Ok(Reply::json(status, &json!({"code": 0, "message": message})))
        }
        Target::Report(report) => {
            let data = lock(&org.data);
            crate::http::reports::answer(&data, inc, *report, &time::date(ctx.now))
        }
        Target::OpeningBalance => {
            let body = match inc.method.as_str() {
                "POST" | "PUT" => Some(inc.payload()?),
                _ => None,
            };
            let mut data = lock(&org.data);
            let reply = crate::rules::opening::answer(&mut data, &ctx, &inc.method, body);
            drop(data);
            if inc.method != "GET" && reply.is_ok() {
                shared.touch();
            }
            reply
        }
        Target::ListOrgs | Target::GetOrg(_) => Err(Reply::unmatched()),
    }
}

/// Creates a record in an organization's books as `POST /{kind}` does (the same checks, the
/// same computed fields, `ignore_auto_number_generation` off), without a request: no token,
/// no limits, no log, no webhooks. For benchmarks that need large books quickly
/// ([`crate::RunningSim::create_direct`]). Answers the new record's id, or the refusal's body.
pub(crate) fn create_direct(
    shared: &Shared,
    organization_id: &str,
    kind: &str,
    body: Value,
) -> Result<String, String> {
    let refused = |r: Reply| String::from_utf8_lossy(&r.body).into_owned();
    let Some((kind, 1)) = Kind::from_segments(&[kind]) else {
        return Err(format!("no such kind: {kind}"));
    };
    let org = shared
        .org(organization_id)
        .ok_or_else(|| format!("no such organization: {organization_id}"))?;
    let Value::Object(body) = body else {
        return Err("the body is not a JSON object".to_owned());
    };
    validate::check(kind, Op::Create, &body, shared.lenient()).map_err(refused)?;
    let ctx = Ctx {
        org: &org.meta,
        now: shared.clock.now(),
        ids: &shared.ids,
        own_number: false,
    };
    let mut data = lock(&org.data);
    let (id, _) = entities::create(&mut data, &ctx, kind, body).map_err(refused)?;
    drop(data);
    shared.touch();
    Ok(id.to_string())
}

fn is_payment(kind: Kind) -> bool {
    matches!(kind, Kind::CustomerPayments | Kind::VendorPayments)
}

/// An answer carrying one record, made whole (complete.rs) and widened to `shape`.
fn entity_reply(
    ctx: &Ctx<'_>,
    status: u16,
    message: &str,
    kind: Kind,
    shape: &Shape,
    mut record: Record,
) -> Reply {
    crate::rules::complete::render(kind, &mut record, ctx.org, ctx.today());
    observed::fill_in(kind, &mut record);
    let record = &record;
    let mut out = Vec::with_capacity(4096);
    write_object(
        &mut out,
        &mut [
            ("code", &mut |o: &mut Vec<u8>| o.push(b'0')),
            ("message", &mut |o: &mut Vec<u8>| write_json(o, message)),
            (kind.def().singular, &mut |o: &mut Vec<u8>| {
                shape.write_record(record, o);
            }),
        ],
    );
    Reply::json_bytes(status, 0, out.into())
}

/// The lines of an invoice or bill.
const LINES: &str = "line_items";

/// The keys of a kind's records that answers compute ([`crate::rules::complete::render`] and
/// [`observed::fill_in`] read or write them).
struct Computed {
    /// The keys, sorted.
    names: Vec<&'static str>,
    /// For each name of the packed records' dictionary: whether it is one of them.
    by_place: Vec<bool>,
}

impl Computed {
    fn has(&self, key: &packed::Key<'_>) -> bool {
        match key.place {
            Some(place) => self.by_place.get(place).copied().unwrap_or(false),
            None => self.names.binary_search(&&*key.name).is_ok(),
        }
    }
}

/// The [`Computed`] keys of a kind; `None` for payments, whose answers show their documents
/// as they are now.
fn computed_keys(kind: Kind) -> Option<&'static Computed> {
    static KEYS: std::sync::OnceLock<Vec<Option<Computed>>> = std::sync::OnceLock::new();
    let all = KEYS.get_or_init(|| {
        Kind::ALL
            .into_iter()
            .map(|kind| {
                let mut names = crate::rules::complete::render_keys(kind)?.to_vec();
                names.extend(observed::fill_in_keys(kind));
                names.sort_unstable();
                names.dedup();
                let by_place = packed::dictionary_names()
                    .iter()
                    .map(|name| names.binary_search(name).is_ok())
                    .collect();
                Some(Computed { names, by_place })
            })
            .collect()
    });
    all.get(kind as usize)?.as_ref()
}

/// The GET answer of a stored record, written from its packed bytes: only the keys answers
/// compute ([`computed_keys`]) are decoded and made whole, the others are copied from the
/// stored record as they are. The same bytes as [`entity_reply`] of the decoded record (the
/// tests below compare them), without building the record; `None` where it does not apply
/// (payments).
///
/// The fields answers compute are kept per organization by what they are computed from
/// ([`crate::store::ComputedFields`]), so most answers compute none; an invoice's or bill's
/// lines are read in place too, each with what `render` and `fill_in` set in it.
fn stored_reply(ctx: &Ctx<'_>, org: &OrgCell, kind: Kind, stored: &Stored) -> Option<Reply> {
    use crate::store::packed::Member;
    use std::borrow::Cow;
    let keys = computed_keys(kind)?;
    // What `render` and `fill_in` set in each line (complete::line_item_changes,
    // observed::element_fill); lines are read in place only where `fill_in` sets nothing
    // else in them.
    let fill = observed::element_fill(kind, LINES);
    let lines_in_place = matches!(kind, Kind::Invoices | Kind::Bills)
        && (fill.is_some() || observed::fill_in_keys(kind).all(|k| k != LINES));
    let changes = move |index: usize, entries: packed::Entries<'_>| {
        let get = |name: &str| entries.get(name).map(|item| item.to_value());
        let mut set = crate::rules::complete::line_item_changes(index, get);
        for (key, template) in fill.into_iter().flatten() {
            let now = match set.iter().find(|(name, _)| name == key) {
                Some((_, value)) => Some(value.clone()),
                None => get(key),
            };
            if matches!(now, None | Some(Value::Null)) {
                set.retain(|(name, _)| name != key);
                set.push((key.as_str(), template.clone()));
            }
        }
        set.sort_by(|a, b| a.0.cmp(b.0));
        set
    };
    let mut rest = Vec::with_capacity(64);
    let mut sources = Vec::new();
    // What the computed fields are computed from (a key of `org.computed`): the packed bytes
    // of the fields they read, then the kind, whether there are lines, and the day.
    let mut source = Vec::with_capacity(256);
    let mut lines = false;
    let mut entries = stored.entries()?;
    loop {
        let from = entries.offset();
        let Some((key, item)) = entries.next() else {
            break;
        };
        match item {
            packed::RawItem::Array(items) if lines_in_place && key.name == LINES => {
                lines = true;
                rest.push((key, Member::Changed(items, &changes)));
            }
            item if keys.has(&key) => {
                source.extend_from_slice(entries.since(from));
                sources.push((key, item));
            }
            item => rest.push((key, Member::Raw(item))),
        }
    }
    source.push(kind as u8);
    source.push(u8::from(lines));
    source.extend_from_slice(&ctx.today().to_le_bytes());
    let kept = lock(&org.computed).get(&source);
    let computed = if let Some(kept) = kept {
        kept
    } else {
        let mut computed: Record = sources
            .into_iter()
            .map(|(key, item)| (key.name.into_owned(), item.to_value()))
            .collect();
        if lines {
            // Held by an empty list meanwhile, so that the rules see the record has lines.
            computed.insert(LINES.to_owned(), Value::Array(Vec::new()));
        }
        crate::rules::complete::render(kind, &mut computed, &org.meta, ctx.today());
        observed::fill_in(kind, &mut computed);
        if lines {
            computed.remove(LINES);
        }
        let computed: crate::store::Fields = computed
            .into_iter()
            .map(|(key, value)| {
                let place = packed::place_of(&key);
                (key, value, place)
            })
            .collect();
        let computed = Arc::new(computed);
        lock(&org.computed).keep(&source, computed.clone());
        computed
    };
    // Two runs in key order (the stored entries but the computed ones, and the computed
    // ones), merged in key order: the order of the decoded record.
    let mut rest = rest.into_iter().peekable();
    let mut made = computed.iter().peekable();
    let members = std::iter::from_fn(|| {
        let take_made = match (rest.peek(), made.peek()) {
            (Some((a, _)), Some((b, _, _))) => b.as_str() < &*a.name,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        if take_made {
            made.next().map(|(key, value, place)| {
                let key = packed::Key {
                    name: Cow::Borrowed(key.as_str()),
                    place: *place,
                };
                (key, Member::Value(value))
            })
        } else {
            rest.next()
        }
    });
    let shape = &kind.def().spec.get;
    let mut members = Some(members);
    let mut fitted = true;
    let mut out = Vec::with_capacity(4096);
    write_object(
        &mut out,
        &mut [
            ("code", &mut |o: &mut Vec<u8>| o.push(b'0')),
            ("message", &mut |o: &mut Vec<u8>| write_json(o, "success")),
            (kind.def().singular, &mut |o: &mut Vec<u8>| {
                if let Some(members) = members.take() {
                    fitted = shape.write_members(members, o).is_some();
                }
            }),
        ],
    );
    fitted.then(|| Reply::json_bytes(200, 0, out.into()))
}

/// A part of an answer: writes its value.
type Part<'a> = &'a mut dyn FnMut(&mut Vec<u8>);

/// Writes a JSON object from its parts, in key order (as a `serde_json::Map` orders them).
fn write_object(out: &mut Vec<u8>, parts: &mut [(&str, Part<'_>)]) {
    parts.sort_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    for (i, (key, write)) in parts.iter_mut().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        crate::shape::write_key(key, out);
        write(out);
    }
    out.push(b'}');
}

fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Strings and JSON values always serialize into a Vec.
    let _ = serde_json::to_writer(&mut *out, value);
}

fn created_reply(
    shared: &Shared,
    org: &OrgCell,
    ctx: &Ctx<'_>,
    kind: Kind,
    record: Record,
) -> Reply {
    let def = kind.def();
    let created = entities::natural_keys(kind, &record, &org.meta)
        .into_iter()
        .map(|k| format!("{}:{k}", kind.name()))
        .collect();
    let mut reply = entity_reply(ctx, 201, def.created, kind, &def.spec.create, record);
    reply.created = created;
    shared.touch();
    shared.webhooks.fire(
        def.singular,
        crate::webhooks::WebhookEvent::Created,
        &reply.body,
        shared.settings.minute,
    );
    reply
}

/// The collection `PUT` with `X-Unique-Identifier-Key/-Value` and `X-Upsert` (reference §5.2).
fn upsert(
    shared: &Shared,
    inc: &Incoming,
    org: &Arc<OrgCell>,
    ctx: &Ctx<'_>,
    kind: Kind,
) -> Answer {
    let def = kind.def();
    let key = inc
        .header("x-unique-identifier-key")
        .map(str::trim)
        .filter(|k| org.meta.unique_custom_fields.iter().any(|u| u == k))
        .ok_or_else(|| Reply::invalid("X-Unique-Identifier-Key"))?
        .to_owned();
    let value = inc
        .header("x-unique-identifier-value")
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Reply::invalid("X-Unique-Identifier-Value"))?
        .to_owned();
    let create = inc
        .header("x-upsert")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let mut body = inc.payload()?;
    validate::check(kind, Op::Upsert, &body, shared.lenient())?;
    let mut data = lock(&org.data);
    if let Some(id) = data.find_unique(kind, &key, &value) {
        let mut record = entities::update(&mut data, ctx, kind, id, body)?;
        crate::store::balances::payment_documents(&data, kind, &mut record);
        drop(data);
        shared.touch();
        let reply = entity_reply(ctx, 200, def.updated, kind, &def.spec.update, record);
        return Ok(reply);
    }
    if !create {
        return Err(Reply::not_found(def.label));
    }
    // The created record carries the unique value it was looked up by.
    let mut fields: Vec<Value> = match body.remove("custom_fields") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err(Reply::invalid("custom_fields")),
        None => Vec::new(),
    };
    fields.retain(|cf| cf.get("api_name").and_then(Value::as_str) != Some(key.as_str()));
    fields.push(json!({"api_name": key, "value": value}));
    body.insert("custom_fields".into(), Value::Array(fields));
    let (_, mut record) = entities::create(&mut data, ctx, kind, body)?;
    crate::store::balances::payment_documents(&data, kind, &mut record);
    drop(data);
    Ok(created_reply(shared, org, ctx, kind, record))
}

/// How a text filter compares.
#[derive(Clone, Copy)]
enum Mode {
    Exact,
    StartsWith,
    Contains,
}

/// How an amount or a date filter compares the record's value with the parameter's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Cmp::Eq => ord == Equal,
            Cmp::Lt => ord == Less,
            Cmp::Le => ord != Greater,
            Cmp::Gt => ord == Greater,
            Cmp::Ge => ord != Less,
        }
    }
}

/// One condition of a list request.
enum Cond<'a> {
    Text(&'a str, Mode, String),
    Amount(&'a str, Cmp, Decimal),
    Date(&'a str, Cmp, String),
    /// Plain `last_modified_time`: modified at or after this instant (seconds since the epoch).
    ModifiedSince(&'a str, i64),
}

/// A list request's view of a stored record: its indexed fields by name.
struct View<'s> {
    kind: Kind,
    stored: &'s Stored,
    /// Today, in days since the epoch: an unpaid document past its due date shows `overdue`.
    today: i64,
}

impl View<'_> {
    fn text(&self, field: &str) -> Option<std::borrow::Cow<'_, str>> {
        let value = self.stored.text(self.kind, field);
        if field == "status" && matches!(self.kind, Kind::Invoices | Kind::Bills) {
            let due = self.stored.text(self.kind, "due_date");
            let balance = self.stored.text(self.kind, "balance");
            return crate::rules::complete::effective_status(
                self.kind,
                value,
                due.as_deref(),
                balance.as_deref(),
                self.today,
            );
        }
        value
    }

    fn field(&self, field: &str) -> Field<'_> {
        match packed::position(self.kind, field) {
            Some(pos) => self.stored.field(pos),
            None => Field::Absent,
        }
    }

    fn holds(&self, cond: &Cond<'_>) -> bool {
        match cond {
            Cond::Text(field, mode, needle) => self.text_matches(field, *mode, needle),
            Cond::Amount(field, cmp, wanted) => self
                .text(field)
                .and_then(|v| Decimal::from_str(v.trim()).ok())
                .is_some_and(|v| cmp.holds(v.cmp(wanted))),
            Cond::Date(field, cmp, wanted) => self
                .text(field)
                .and_then(|v| v.get(..10).filter(|d| time::is_date(d)).map(str::to_owned))
                .is_some_and(|d| cmp.holds(d.as_str().cmp(wanted.as_str()))),
            Cond::ModifiedSince(field, since) => self
                .text(field)
                .and_then(|v| time::parse_instant(&v))
                .is_some_and(|t| t >= *since),
        }
    }

    fn text_matches(&self, field: &str, mode: Mode, needle: &str) -> bool {
        let Some(value) = self.text(field) else {
            return needle.is_empty();
        };
        if let Mode::Exact = mode
            && value.is_ascii()
        {
            return value.eq_ignore_ascii_case(needle);
        }
        let value = value.to_lowercase();
        match mode {
            Mode::Exact => value == needle,
            Mode::StartsWith => value.starts_with(needle),
            Mode::Contains => value.contains(needle),
        }
    }

    fn status_matches(&self, filter_by: &str) -> bool {
        let Some((group, value)) = filter_by.split_once('.') else {
            return true;
        };
        let wanted = value.to_ascii_lowercase();
        if wanted == "all" {
            return true;
        }
        match group {
            "Status" => {
                let status = self
                    .text("status")
                    .map(|s| s.replace('_', ""))
                    .unwrap_or_default();
                match wanted.as_str() {
                    "active" | "inactive" | "draft" | "sent" | "paid" | "void" | "open"
                    | "overdue" | "partiallypaid" | "viewed" => status == wanted,
                    "unpaid" => status != "paid" && status != "void" && status != "draft",
                    _ => true,
                }
            }
            "AccountType" => match wanted.as_str() {
                "active" => self.field("is_active") != Field::Bool(false),
                "inactive" => self.field("is_active") == Field::Bool(false),
                other => self.text("account_type").is_some_and(|t| t.contains(other)),
            },
            _ => true,
        }
    }
}

/// The amount and date conditions of a list request (reference §5.3); an invalid value is
/// code 2 on its parameter.
fn range_conditions(kind: Kind, inc: &Incoming) -> Result<Vec<Cond<'_>>, Reply> {
    const AMOUNT_SUFFIXES: [(&str, Cmp); 4] = [
        ("_less_than", Cmp::Lt),
        ("_less_equals", Cmp::Le),
        ("_greater_than", Cmp::Gt),
        ("_greater_equals", Cmp::Ge),
    ];
    const DATE_SUFFIXES: [(&str, Cmp); 4] = [
        ("_start", Cmp::Ge),
        ("_end", Cmp::Le),
        ("_before", Cmp::Lt),
        ("_after", Cmp::Gt),
    ];
    let def = kind.def();
    let mut conds = Vec::new();
    for (name, value) in &inc.query {
        let value = value.trim();
        for (param, field) in def.numbers {
            let cmp = match name.strip_prefix(param) {
                // A plain parameter already filtering as text keeps doing so.
                Some("") if !def.filters.contains(param) => Cmp::Eq,
                Some(suffix) => match AMOUNT_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
                    Some((_, cmp)) => *cmp,
                    None => continue,
                },
                None => continue,
            };
            let wanted = Decimal::from_str(value).map_err(|_| Reply::invalid(name))?;
            conds.push(Cond::Amount(field, cmp, wanted));
        }
        for (param, field) in def.dates {
            let cmp = match name.strip_prefix(param) {
                Some("") if *param == "last_modified_time" => {
                    let since = time::parse_instant(value).ok_or_else(|| Reply::invalid(name))?;
                    conds.push(Cond::ModifiedSince(field, since));
                    continue;
                }
                Some("") if !def.filters.contains(param) => Cmp::Eq,
                Some(suffix) => match DATE_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
                    Some((_, cmp)) => *cmp,
                    None => continue,
                },
                None => continue,
            };
            if !time::is_calendar_date(value) {
                return Err(Reply::invalid(name));
            }
            conds.push(Cond::Date(field, cmp, value.to_owned()));
        }
    }
    Ok(conds)
}

/// The column a list is sorted by when the request names none: creation time, newest first.
const DEFAULT_SORT_COLUMN: &str = "created_time";

/// The filter a contacts list applies when the request names none.
const CONTACTS_DEFAULT_FILTER: &str = "Status.Active";

/// A list with Zoho's filters, sorting and pagination (reference §5.3).
fn list(data: &OrgData, ctx: &Ctx<'_>, kind: Kind, inc: &Incoming) -> Answer {
    let def = kind.def();
    let page: usize = match inc.param("page") {
        None => 1,
        Some(p) => p
            .trim()
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| Reply::invalid("page"))?,
    };
    let per_page: usize = match inc.param("per_page") {
        None => choices::MAX_PER_PAGE,
        Some(p) => p
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=choices::MAX_PER_PAGE).contains(p))
            .ok_or_else(|| Reply::invalid("per_page"))?,
    };
    // Newest first unless asked otherwise (evidence 13a, X7: `created_time`, `D`).
    let descending = match inc.param("sort_order") {
        None => true,
        Some(o) if o.eq_ignore_ascii_case("A") || o.eq_ignore_ascii_case("ascending") => false,
        Some(o) if o.eq_ignore_ascii_case("D") || o.eq_ignore_ascii_case("descending") => true,
        Some(_) => return Err(Reply::invalid("sort_order")),
    };
    let filter_by = match inc.param("filter_by") {
        None | Some("") => None,
        Some(f) => {
            let ok = def
                .filter_by
                .iter()
                .any(|allowed| match allowed.strip_suffix('*') {
                    Some(prefix) => f.starts_with(prefix) && f.len() > prefix.len(),
                    None => *allowed == f,
                });
            if !ok {
                return Err(Reply::invalid("filter_by"));
            }
            Some(f)
        }
    };
    // Zoho's contacts list hides inactive contacts unless asked for `Status.All` (evidence 13b,
    // X5); other lists show every record (choices.rs).
    let filter_by = filter_by.or((kind == Kind::Contacts).then_some(CONTACTS_DEFAULT_FILTER));
    let mut conds: Vec<Cond<'_>> = Vec::new();
    for (name, value) in &inc.query {
        for field in def.filters {
            let mode = if name == field {
                Mode::Exact
            } else if name.strip_prefix(field) == Some("_startswith") {
                Mode::StartsWith
            } else if name.strip_prefix(field) == Some("_contains") {
                Mode::Contains
            } else {
                continue;
            };
            conds.push(Cond::Text(field, mode, value.trim().to_lowercase()));
        }
    }
    // An exact lookup on a unique field (the existence check of a migration) uses the index.
    let unique_lookup = match conds.as_slice() {
        [Cond::Text(field, Mode::Exact, value)]
            if crate::store::unique_fields(kind).contains(field) =>
        {
            Some(data.find_unique(kind, field, value))
        }
        _ => None,
    };
    conds.extend(range_conditions(kind, inc)?);
    let search = inc
        .param("search_text")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let today = ctx.today();
    let keep = |stored: &Stored| {
        let view = View {
            kind,
            stored,
            today,
        };
        conds.iter().all(|c| view.holds(c))
            && search.as_ref().is_none_or(|s| {
                def.search
                    .iter()
                    .any(|f| view.text_matches(f, Mode::Contains, s))
            })
            && filter_by.is_none_or(|f| view.status_matches(f))
    };
    let table = data.table(kind);
    let mut matching: Vec<&Stored> = match unique_lookup {
        Some(hit) => hit
            .and_then(|id| table.records().get(&id))
            .filter(|r| keep(r))
            .into_iter()
            .collect(),
        None => table.records().values().filter(|r| keep(r)).collect(),
    };
    // A list whose operation documents no `sort_column` takes it as an unknown parameter,
    // ignored like the others (evidence 13c); where documented, an undocumented column is code 2
    // (choices.rs). `created_time`, the default every `page_context` echoes, is always accepted.
    let sort_column = inc
        .param("sort_column")
        .filter(|c| !c.is_empty() && !def.sort_columns.is_empty());
    if let Some(column) = sort_column
        && column != DEFAULT_SORT_COLUMN
        && !def.sort_columns.contains(&column)
    {
        return Err(Reply::invalid("sort_column"));
    }
    if let Some(column) = sort_column.filter(|c| *c != DEFAULT_SORT_COLUMN) {
        let mut keyed: Vec<(Option<String>, &Stored)> = matching
            .into_iter()
            .map(|s| (s.text(kind, column).map(std::borrow::Cow::into_owned), s))
            .collect();
        keyed.sort_by(|a, b| compare_text(a.0.as_deref(), b.0.as_deref()));
        matching = keyed.into_iter().map(|(_, s)| s).collect();
    }
    if descending {
        matching.reverse();
    }
    let start = (page - 1).saturating_mul(per_page);
    let has_more = matching.len() > start.saturating_add(per_page);
    let shape = &def.spec.list;
    // Every key any list operation's `page_context` documents (reference §5.3).
    let mut page_context = json!({
        "page": page,
        "per_page": per_page,
        "has_more_page": has_more,
        "report_name": def.report_name,
        "applied_filter": filter_by.unwrap_or("Status.All"),
        "filter_by": filter_by.unwrap_or("Status.All"),
        "search_text": search.as_deref().unwrap_or(""),
        "sort_column": sort_column.unwrap_or(DEFAULT_SORT_COLUMN),
        "sort_order": if descending { "D" } else { "A" },
    });
    if kind == Kind::Invoices {
        // The answer's format (invoices.yml `response_option`): 0, every invoice, the only
        // format the simulator writes (choices.rs).
        page_context["response_option"] = json!(0);
    }
    let mut out = Vec::with_capacity(4096);
    write_object(
        &mut out,
        &mut [
            ("code", &mut |o: &mut Vec<u8>| o.push(b'0')),
            ("message", &mut |o: &mut Vec<u8>| write_json(o, "success")),
            (def.plural, &mut |o: &mut Vec<u8>| {
                o.push(b'[');
                for (i, stored) in matching.iter().skip(start).take(per_page).enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    let mut record = stored.decode();
                    crate::store::balances::payment_documents(data, kind, &mut record);
                    crate::rules::complete::render(kind, &mut record, ctx.org, today);
                    observed::fill_in(kind, &mut record);
                    shape.write_record_within(&def.spec.get, &record, o);
                }
                o.push(b']');
            }),
            ("page_context", &mut |o: &mut Vec<u8>| {
                write_json(o, &page_context);
            }),
        ],
    );
    Ok(Reply::json_bytes(200, 0, out.into()))
}

fn compare_text(left: Option<&str>, right: Option<&str>) -> std::cmp::Ordering {
    match (
        left.and_then(|v| v.parse::<f64>().ok()),
        right.and_then(|v| v.parse::<f64>().ok()),
    ) {
        (Some(l), Some(r)) => l.total_cmp(&r),
        _ => left
            .map(str::to_lowercase)
            .cmp(&right.map(str::to_lowercase)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::config::Scenario;
    use std::sync::atomic::AtomicU64;
    use std::time::{Duration, SystemTime};

    /// A small seeded generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
            usize::try_from(x % n as u64).unwrap()
        }

        fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
            &from[self.below(from.len())]
        }
    }

    /// The demo organization of a seeded world, with a clock at a fixed instant.
    fn demo_org() -> (Arc<OrgCell>, SystemTime, AtomicU64) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let ids = AtomicU64::new(460_000_000_000_001);
        let (_, orgs) = crate::store::seed::world(&Scenario::default(), now, &ids);
        let mut orgs: Vec<Arc<OrgCell>> = orgs.into_values().collect();
        orgs.sort_by(|a, b| a.meta.organization_id.cmp(&b.meta.organization_id));
        (orgs.remove(0), now, ids)
    }

    /// The answer the GET path writes from the stored bytes, and the one of the decoded record.
    fn both(ctx: &Ctx<'_>, org: &OrgCell, kind: Kind, stored: &Stored) -> (String, String) {
        let fast = stored_reply(ctx, org, kind, stored).expect("not a payment");
        // Again: now with the computed fields kept.
        let again = stored_reply(ctx, org, kind, stored).expect("not a payment");
        assert_eq!(fast.body, again.body);
        let reference = entity_reply(
            ctx,
            200,
            "success",
            kind,
            &kind.def().spec.get,
            stored.decode(),
        );
        (
            String::from_utf8(fast.body.to_vec()).unwrap(),
            String::from_utf8(reference.body.to_vec()).unwrap(),
        )
    }

    /// A value from a pool that makes the rendered fields differ: statuses, dates either side
    /// of today, amounts as text and numbers, blanks, nulls, nested lists and objects.
    fn value(rng: &mut Rng, today: i64, depth: usize) -> Value {
        let scalars = [
            json!(null),
            json!(""),
            json!(" "),
            json!("sent"),
            json!("draft"),
            json!("partially_paid"),
            json!("open"),
            json!("paid"),
            json!("void"),
            json!("active"),
            json!("USD"),
            json!("INR"),
            json!("x\"y\\z\n\u{e9}"),
            json!(true),
            json!(false),
            json!(0),
            json!(30),
            json!(-3),
            json!(12.5),
            json!(25.0),
            json!(1e300),
            json!(u64::MAX),
            json!("15"),
            json!("10.50"),
            json!("0"),
            json!(460_000_000_000_123_u64),
            json!("460000000000123"),
            Value::String(time::date_of_days(today - 5)),
            Value::String(time::date_of_days(today)),
            Value::String(time::date_of_days(today + 3)),
            json!("2026-13-45"),
        ];
        match rng.below(if depth > 2 { 1 } else { 5 }) {
            0 | 1 => rng.pick(&scalars).clone(),
            2 => Value::Array(
                (0..rng.below(3))
                    .map(|_| value(rng, today, depth + 1))
                    .collect(),
            ),
            _ => {
                let keys = [
                    "rate",
                    "quantity",
                    "name",
                    "item_order",
                    "bcy_rate",
                    "hsn_or_sac",
                    "is_primary_contact",
                    "contact_person_id",
                    "salutation",
                    "email",
                    "zz_undocumented",
                    "",
                ];
                Value::Object(
                    (0..rng.below(5))
                        .map(|_| ((*rng.pick(&keys)).to_owned(), value(rng, today, depth + 1)))
                        .collect(),
                )
            }
        }
    }

    /// A value for `key`: mostly one of the values its name suggests (so the conditions of
    /// the rendered fields meet: a sent invoice past its due date with a balance), else any.
    fn value_for(rng: &mut Rng, key: &str, today: i64, depth: usize) -> Value {
        let dates = [
            Value::String(time::date_of_days(today - 5)),
            Value::String(time::date_of_days(today)),
            Value::String(time::date_of_days(today + 3)),
            json!(""),
        ];
        let typed: Vec<Value> = if key.contains("status") {
            [
                "sent",
                "partially_paid",
                "viewed",
                "open",
                "draft",
                "paid",
                "void",
                "active",
            ]
            .map(Value::from)
            .to_vec()
        } else if key.contains("date") {
            dates.to_vec()
        } else if key.contains("terms") {
            vec![json!(0), json!(30), json!("15"), json!(""), json!("Net 7")]
        } else if key.contains("currency") {
            vec![json!("USD"), json!("inr"), json!(""), json!("XYZ")]
        } else if key.starts_with("is_") {
            vec![json!(true), json!(false), json!("true")]
        } else if [
            "balance",
            "total",
            "rate",
            "amount",
            "quantity",
            "exchange_rate",
        ]
        .iter()
        .any(|k| key.contains(k))
        {
            vec![
                json!(10),
                json!("10.50"),
                json!(0),
                json!(-1),
                json!(2.5),
                json!("x"),
            ]
        } else if matches!(key, "line_items" | "contact_persons") && depth == 0 {
            let keys = [
                "rate",
                "quantity",
                "name",
                "item_order",
                "bcy_rate",
                "hsn_or_sac",
                "is_primary_contact",
                "contact_person_id",
                "salutation",
            ];
            let list = (0..rng.below(4))
                .map(|_| {
                    Value::Object(
                        (0..rng.below(6))
                            .map(|_| {
                                let k = *rng.pick(&keys);
                                (k.to_owned(), value_for(rng, k, today, depth + 1))
                            })
                            .collect(),
                    )
                })
                .collect();
            vec![Value::Array(list)]
        } else {
            Vec::new()
        };
        if typed.is_empty() || rng.below(4) == 0 {
            value(rng, today, depth)
        } else {
            rng.pick(&typed).clone()
        }
    }

    #[test]
    fn get_answers_from_stored_bytes_match_the_decoded_rendering() {
        let (org, now, ids) = demo_org();
        let ctx = Ctx {
            org: &org.meta,
            now,
            ids: &ids,
            own_number: false,
        };
        let today = ctx.today();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for kind in Kind::ALL {
            let Some(Computed { names: keys, .. }) = computed_keys(kind) else {
                assert!(is_payment(kind));
                continue;
            };
            let crate::shape::Shape::Obj(fields) = &kind.def().spec.get else {
                panic!("{kind:?}: the get shape is an object");
            };
            let mut names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
            names.extend_from_slice(keys);
            names.extend_from_slice(&["zz_extra", "aaa_extra", "line_items", "contact_persons"]);
            for _ in 0..500 {
                let mut record = Record::new();
                for key in keys {
                    if rng.below(3) > 0 {
                        record.insert((*key).to_owned(), value_for(&mut rng, key, today, 0));
                    }
                }
                for _ in 0..rng.below(30) {
                    let name = *rng.pick(&names);
                    record.insert(name.to_owned(), value_for(&mut rng, name, today, 0));
                }
                let stored = Stored::encode(kind, &record);
                let (fast, reference) = both(&ctx, &org, kind, &stored);
                assert_eq!(fast, reference, "{kind:?} {record:?}");
            }
        }
    }

    #[test]
    fn get_answers_of_created_invoices_match_the_decoded_rendering() {
        let (org, now, ids) = demo_org();
        let ctx = Ctx {
            org: &org.meta,
            now,
            ids: &ids,
            own_number: false,
        };
        let mut data = lock(&org.data);
        let Value::Object(contact) = json!({"contact_name": "Bench Customer", "payment_terms": 15})
        else {
            unreachable!()
        };
        let (customer, _) = entities::create(&mut data, &ctx, Kind::Contacts, contact).unwrap();
        let bodies = [
            json!({"customer_id": customer.to_string(), "reference_number": "R-1",
                "line_items": [{"name": "Service", "rate": 12.5, "quantity": 2}]}),
            json!({"customer_id": customer.to_string(), "date": "2020-01-01", "notes": "x\"y",
                "line_items": [{"name": "A", "rate": 1, "quantity": 3},
                    {"name": "B", "rate": "2.25", "quantity": 1, "hsn_or_sac": "9983"}]}),
        ];
        let mut made = vec![(Kind::Contacts, customer)];
        for body in bodies {
            let Value::Object(body) = body else {
                unreachable!()
            };
            let (id, _) = entities::create(&mut data, &ctx, Kind::Invoices, body).unwrap();
            made.push((Kind::Invoices, id));
            if made.len() == 2 {
                // One draft, one sent (overdue later).
                entities::set_status(&mut data, &ctx, Kind::Invoices, id, "sent").unwrap();
            }
        }
        for kind in [Kind::ChartOfAccounts, Kind::Taxes] {
            made.extend(data.table(kind).records().keys().map(|id| (kind, *id)));
        }
        for (kind, id) in made {
            let stored = data.stored(kind, id).unwrap().clone();
            let (fast, reference) = both(&ctx, &org, kind, &stored);
            assert_eq!(fast, reference, "{kind:?} {id}");
        }
        // Days later, the sent invoice is overdue: still the same answers.
        let later = Ctx {
            now: now + Duration::from_hours(40 * 24),
            ..ctx
        };
        let mut overdue = 0;
        for (id, stored) in data.table(Kind::Invoices).records() {
            let (fast, reference) = both(&later, &org, Kind::Invoices, stored);
            overdue += usize::from(reference.contains("\"overdue\""));
            assert_eq!(fast, reference, "{id}");
        }
        assert_eq!(overdue, 1);
    }
}
