//! Zoho Books' accounting reports: the trial balance, profit and loss and balance sheet for a
//! period (`GET /reports/trialbalance`…). Their paths, parameters and the evidence for them
//! are in [`zbooks_types::reports`]; the answer is handed back as Zoho's JSON, for the
//! tie-out to read.

use serde_json::Value;
use zbooks_types::reports::{self, ZohoReport};

use crate::Method;
use crate::client::Client;
use crate::error::Error;
use crate::request::decode_error;

impl Client {
    /// Report `report` for `from..=to` (`YYYY-MM-DD`; without `from` Zoho starts where it
    /// chooses, without `to` it stands at today): the answer's report object (under its
    /// envelope key, `trialbalance`…).
    ///
    /// # Errors
    ///
    /// Any [`crate::ErrorKind`]; an answer without the report object is a decoding error.
    pub async fn report(
        &self,
        report: ZohoReport,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Value, Error> {
        let mut request = self.request(Method::GET, &report.path());
        if from.is_some() || to.is_some() {
            request = request.query("filter_by", reports::CUSTOM_PERIOD);
        }
        if let Some(f) = from {
            request = request.query(reports::FROM_DATE, f);
        }
        if let Some(t) = to {
            request = request.query(reports::TO_DATE, t);
        }
        let mut body = request.send_json().await?;
        match body.get_mut(report.envelope()).map(Value::take) {
            Some(Value::Object(o)) => Ok(Value::Object(o)),
            _ => Err(decode_error(format!(
                "the answer has no `{}` object",
                report.envelope()
            ))),
        }
    }
}
