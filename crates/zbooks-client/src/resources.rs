//! Typed resources: contacts, items, invoices, customer payments, bills, vendor payments,
//! journals, chart of accounts, taxes and organizations — create, get, update, delete, list
//! (one page or a stream of all), find by natural key, upsert by a unique custom field, and
//! `create_or_adopt` (docs/design.md promise 5).
//!
//! One generic handle, [`Resource`], over the resource table of `zbooks-types` (Zoho's paths,
//! envelope keys and natural keys: reference §5, with the errata of §9: `customerpayments`,
//! `vendorpayment`, `chart_of_account`). The record type is a parameter: the models in
//! [`crate::models`] by default, any serde type a caller prefers with [`Client::resource`].

pub mod models;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::marker::PhantomData;

use futures_core::Stream;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::endpoint::Idempotency;
use crate::error::Error;
use crate::request::decode_error;

/// Zoho's largest page (reference §5.3).
pub const MAX_PER_PAGE: u32 = 200;

/// What the client knows about one resource: a row of the resource table in
/// [`zbooks_types::resource`], the one place an entity's path and keys are written.
pub use zbooks_types::resource::Resource as ResourceDef;

/// The resources the client has typed handles for (reference §5.1): the rows of
/// [`zbooks_types::resource`], under the names the client has always used. Any other row
/// (`zbooks_types::resource::CREDIT_NOTES`...) works with [`Client::resource`] too.
pub mod defs {
    pub use zbooks_types::resource::{
        BILLS, CHART_OF_ACCOUNTS, CONTACTS, CUSTOMER_PAYMENTS, INVOICES, ITEMS, JOURNALS,
        ORGANIZATIONS, TAXES, VENDOR_PAYMENTS,
    };
}

/// Query parameters of a list call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListQuery {
    params: Vec<(String, String)>,
}

impl ListQuery {
    /// No filters.
    pub fn new() -> Self {
        ListQuery::default()
    }

    /// Adds a filter or any other parameter (`contact_name`, `status`, `sort_column`...).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    fn with_page(&self, page: u32, per_page: u32) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = self
            .params
            .iter()
            .filter(|(k, _)| k != "page" && k != "per_page")
            .cloned()
            .collect();
        params.push(("page".to_owned(), page.to_string()));
        params.push(("per_page".to_owned(), per_page.to_string()));
        params
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The records.
    pub items: Vec<T>,
    /// The page number (from 1).
    pub page: u32,
    /// Whether another page follows (`page_context.has_more_page`).
    pub has_more_page: bool,
}

/// How `create_or_adopt` ended (what `zbooks import` journals).
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// Created now, with this id.
    Created(String),
    /// It existed already (an earlier attempt landed, or an earlier run made it): its id.
    Adopted(String),
    /// It may exist: the create may have landed and the lookup could not say. Reconcile later.
    MaybeSent(Error),
    /// Refused; the error is classified.
    Failed(Error),
}

impl Outcome {
    /// The record's id, when it is known to exist.
    pub fn id(&self) -> Option<&str> {
        match self {
            Outcome::Created(id) | Outcome::Adopted(id) => Some(id),
            Outcome::MaybeSent(_) | Outcome::Failed(_) => None,
        }
    }
}

/// A handle on one resource of one client.
#[derive(Debug)]
pub struct Resource<'c, T> {
    client: &'c Client,
    def: &'static ResourceDef,
    _record: PhantomData<fn() -> T>,
}

impl<T> Clone for Resource<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Resource<'_, T> {}

impl Client {
    /// Any resource, with any record type.
    pub fn resource<T>(&self, def: &'static ResourceDef) -> Resource<'_, T> {
        Resource {
            client: self,
            def,
            _record: PhantomData,
        }
    }

    /// Contacts (customers and vendors).
    pub fn contacts(&self) -> Resource<'_, models::Contact> {
        self.resource(&defs::CONTACTS)
    }

    /// Items.
    pub fn items(&self) -> Resource<'_, models::Item> {
        self.resource(&defs::ITEMS)
    }

    /// Invoices.
    pub fn invoices(&self) -> Resource<'_, models::Invoice> {
        self.resource(&defs::INVOICES)
    }

    /// Customer payments.
    pub fn customer_payments(&self) -> Resource<'_, models::CustomerPayment> {
        self.resource(&defs::CUSTOMER_PAYMENTS)
    }

    /// Bills.
    pub fn bills(&self) -> Resource<'_, models::Bill> {
        self.resource(&defs::BILLS)
    }

    /// Vendor payments.
    pub fn vendor_payments(&self) -> Resource<'_, models::VendorPayment> {
        self.resource(&defs::VENDOR_PAYMENTS)
    }

    /// Journals.
    pub fn journals(&self) -> Resource<'_, models::Journal> {
        self.resource(&defs::JOURNALS)
    }

    /// The chart of accounts.
    pub fn chart_of_accounts(&self) -> Resource<'_, models::Account> {
        self.resource(&defs::CHART_OF_ACCOUNTS)
    }

    /// Taxes.
    pub fn taxes(&self) -> Resource<'_, models::Tax> {
        self.resource(&defs::TAXES)
    }

    /// Organizations (listed without an `organization_id`).
    pub fn organizations(&self) -> Resource<'_, models::Organization> {
        self.resource(&defs::ORGANIZATIONS)
    }
}

impl<'c, T: Serialize + DeserializeOwned + Send> Resource<'c, T> {
    /// The table row this handle uses.
    pub fn def(&self) -> &'static ResourceDef {
        self.def
    }

    fn one(&self, body: &Value) -> Result<T, Error> {
        let record = body.get(self.def.singular).cloned().ok_or_else(|| {
            decode_error(format!("the answer has no `{}` object", self.def.singular))
        })?;
        serde_json::from_value(record).map_err(decode_error)
    }

    fn path_of(&self, id: &str) -> String {
        format!("{}/{}", self.def.path, encode_segment(id))
    }

    /// Creates a record. A create is not idempotent: after a failure where it may have
    /// landed, the error says so ([`Error::sent`] is `MaybeSent`, or a 5xx answered) and it is
    /// not sent again; use [`Resource::create_or_adopt`] to reconcile by natural key.
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`]; duplicates are [`zbooks_types::FailureClass::Duplicate`].
    pub async fn create(&self, record: &T) -> Result<T, Error> {
        let body = self.create_value(record, None).await?;
        self.one(&body)
    }

    async fn create_value(&self, record: &T, natural_key: Option<&str>) -> Result<Value, Error> {
        let payload = serde_json::to_value(record)
            .map_err(|e| Error::config(format!("cannot serialize the record: {e}")))?;
        let mut request = self
            .client
            .request(Method::POST, self.def.path)
            .json(&payload);
        if let Some(field) = self.def.manual_number
            && payload
                .get(field)
                .and_then(Value::as_str)
                .is_some_and(|n| !n.is_empty())
        {
            request = request.query("ignore_auto_number_generation", "true");
        }
        if let Some(key) = natural_key {
            request = request.natural_key(format!("{}={key}", self.def.name_field));
        }
        request.send_json().await
    }

    /// Reads one record by id.
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`]; a missing record is [`zbooks_types::FailureClass::NotFound`].
    pub async fn get(&self, id: &str) -> Result<T, Error> {
        let body = self
            .client
            .request(Method::GET, &self.path_of(id))
            .send_json()
            .await?;
        self.one(&body)
    }

    /// Updates one record by id (idempotent: retried after a lost answer).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn update(&self, id: &str, record: &T) -> Result<T, Error> {
        let body = self
            .client
            .request(Method::PUT, &self.path_of(id))
            .json(record)
            .send_json()
            .await?;
        self.one(&body)
    }

    /// Deletes one record by id (idempotent: a repeat that finds nothing counts as done).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .request(Method::DELETE, &self.path_of(id))
            .send()
            .await
            .map(drop)
    }

    /// One page of records (`per_page` at most 200).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn list_page(
        &self,
        query: &ListQuery,
        page: u32,
        per_page: u32,
    ) -> Result<Page<T>, Error> {
        self.list_page_of(query, page, per_page, None).await
    }

    /// [`Self::list_page`], marked as the lookup of the record with natural key `lookup`
    /// (`field=value`) when there is one.
    async fn list_page_of(
        &self,
        query: &ListQuery,
        page: u32,
        per_page: u32,
        lookup: Option<String>,
    ) -> Result<Page<T>, Error> {
        let mut request = self.client.request(Method::GET, self.def.path);
        for (k, v) in query.with_page(page, per_page.clamp(1, MAX_PER_PAGE)) {
            request = request.query(k, v);
        }
        if let Some(key) = lookup {
            request = request.lookup_of(key);
        }
        if self.def.path == defs::ORGANIZATIONS.path {
            request = request.without_organization();
        }
        let body = request.send_json().await?;
        let items = match body.get(self.def.plural) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| serde_json::from_value(item.clone()).map_err(decode_error))
                .collect::<Result<Vec<T>, Error>>()?,
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                return Err(decode_error(format!("`{}` is not a list", self.def.plural)));
            }
        };
        let has_more_page = body
            .get("page_context")
            .and_then(|c| c.get("has_more_page"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(Page {
            items,
            page,
            has_more_page,
        })
    }

    /// The first page of records (200 per page).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn list(&self, query: &ListQuery) -> Result<Page<T>, Error> {
        self.list_page(query, 1, MAX_PER_PAGE).await
    }

    /// Every record, page after page (200 per page), as a stream; it ends after the first
    /// error.
    pub fn list_all(&self, query: ListQuery) -> impl Stream<Item = Result<T, Error>> + Send + 'c
    where
        T: 'c,
    {
        struct State<'c, T> {
            resource: Resource<'c, T>,
            query: ListQuery,
            buffer: VecDeque<T>,
            next_page: Option<u32>,
        }
        let state = State {
            resource: *self,
            query,
            buffer: VecDeque::new(),
            next_page: Some(1),
        };
        futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    return Some((Ok(item), state));
                }
                let page = state.next_page?;
                match state
                    .resource
                    .list_page(&state.query, page, MAX_PER_PAGE)
                    .await
                {
                    Ok(result) => {
                        state.next_page = result.has_more_page.then_some(page + 1);
                        state.buffer.extend(result.items);
                    }
                    Err(err) => {
                        state.next_page = None;
                        return Some((Err(err), state));
                    }
                }
            }
        })
    }

    /// The record whose `field` equals `value`, if any: Zoho's list filter, then an exact
    /// comparison here (the filter's exactness is not documented, reference §5.3).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn find_by(&self, field: &str, value: &str) -> Result<Option<T>, Error> {
        let page = self
            .list_page_of(
                &ListQuery::new().param(field, value),
                1,
                MAX_PER_PAGE,
                Some(format!("{field}={value}")),
            )
            .await?;
        let mut fallback = None;
        for item in page.items {
            let json = serde_json::to_value(&item).map_err(decode_error)?;
            let Some(found) = json.get(field).and_then(Value::as_str) else {
                continue;
            };
            if found == value {
                return Ok(Some(item));
            }
            if fallback.is_none() && found.eq_ignore_ascii_case(value) {
                fallback = Some(item);
            }
        }
        Ok(fallback)
    }

    /// The record with this natural key (contact name, invoice number...), if any.
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`].
    pub async fn find_by_key(&self, value: &str) -> Result<Option<T>, Error> {
        self.find_by(self.def.name_field, value).await
    }

    /// Creates or updates the record whose unique custom field `field` (its API name,
    /// `cf_source_id`) has `value`, with Zoho's `X-Unique-Identifier-*` and `X-Upsert`
    /// headers (reference §5.2). Idempotent, so retried after a lost answer.
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`]; [`crate::ErrorKind::Config`] when Zoho has no upsert for the
    /// resource.
    pub async fn upsert_by_custom_field(
        &self,
        field: &str,
        value: &str,
        record: &T,
    ) -> Result<T, Error> {
        if !self.def.upsert {
            return Err(Error::config(format!(
                "{} has no upsert in zoho books",
                self.def.path
            )));
        }
        let body = self
            .client
            .request(Method::PUT, self.def.path)
            .header("X-Unique-Identifier-Key", field)
            .header("X-Unique-Identifier-Value", value)
            .header("X-Upsert", "true")
            .idempotency(Idempotency::Idempotent)
            .natural_key(format!("{field}={value}"))
            .json(record)
            .send_json()
            .await?;
        self.one(&body)
    }

    /// Creates a record unless it exists, never creating it twice (docs/design.md promise 5):
    /// after a failure where the create may have landed, or a refusal (a duplicate, or any
    /// validation refusal, which may be a duplicate Zoho answers with an undocumented code),
    /// the record is looked up by `natural_key` (the resource's natural key field, e.g. the invoice number)
    /// and adopted if found; if not found it is sent again, at most three times in all.
    pub async fn create_or_adopt(&self, record: &T, natural_key: &str) -> Outcome {
        const ROUNDS: u32 = 3;
        let mut last = None;
        for _ in 0..ROUNDS {
            let error = match self.create_value(record, Some(natural_key)).await {
                Ok(body) => {
                    return match self.id_of(body.get(self.def.singular)) {
                        Some(id) => Outcome::Created(id),
                        None => Outcome::MaybeSent(decode_error(format!(
                            "the create answer has no `{}`",
                            self.def.id_field
                        ))),
                    };
                }
                Err(error) => error,
            };
            // Zoho's documented duplicate code is 3062 (contacts); a duplicate invoice number
            // or item name comes back with a code no source ties to duplicates, so any refusal
            // of the request may be one: the lookup settles it, never the message's words.
            let refused = matches!(
                error.class(),
                zbooks_types::FailureClass::Duplicate | zbooks_types::FailureClass::Validation
            );
            if !refused && !error.may_have_landed() {
                return Outcome::Failed(error);
            }
            match self.find_value(natural_key).await {
                Ok(Some(found)) => match self.id_of(Some(&found)) {
                    Some(id) => return Outcome::Adopted(id),
                    None => return Outcome::MaybeSent(error),
                },
                Ok(None) if refused => return Outcome::Failed(error),
                Ok(None) => last = Some(error),
                Err(_) => return Outcome::MaybeSent(error),
            }
        }
        match last {
            Some(error) => Outcome::MaybeSent(error),
            None => Outcome::Failed(Error::config("create_or_adopt made no attempt")),
        }
    }

    /// The natural-key lookup on raw JSON, so any record type can be adopted.
    async fn find_value(&self, natural_key: &str) -> Result<Option<Value>, Error> {
        let field = self.def.name_field;
        let resource: Resource<'c, Value> = self.client.resource(self.def);
        let found = resource.find_by(field, natural_key).await?;
        Ok(found)
    }

    fn id_of(&self, record: Option<&Value>) -> Option<String> {
        match record?.get(self.def.id_field)? {
            Value::String(id) if !id.is_empty() => Some(id.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A path segment with the characters that would change the path escaped.
fn encode_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_escaped_in_paths() {
        assert_eq!(encode_segment("460000000026049"), "460000000026049");
        assert_eq!(encode_segment("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn list_query_sets_page_once() {
        let q = ListQuery::new()
            .param("page", "9")
            .param("contact_name", "Acme");
        assert_eq!(
            q.with_page(2, 200),
            vec![
                ("contact_name".to_owned(), "Acme".to_owned()),
                ("page".to_owned(), "2".to_owned()),
                ("per_page".to_owned(), "200".to_owned())
            ]
        );
    }
}
