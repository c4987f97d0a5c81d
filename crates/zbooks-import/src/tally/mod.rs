//! Tally XML: the streaming reader of file exports and HTTP responses (any encoding Tally
//! writes, its invalid `&#4;` references and control characters), the model of its masters
//! and vouchers, and the mapping to Zoho Books payloads (tally-reference.md).
//!
//! [`TallyReader`] yields records and problems as it goes: vouchers as they are read,
//! master-derived records (taxes, accounts, contacts, items) once the file is done. It holds
//! one object at a time plus a compact index of masters.

mod lex;
pub mod map;
pub mod model;
pub mod xml;

use std::collections::VecDeque;
use std::io::Read;
use std::sync::Arc;

pub use map::{TallyMapper, TallyOptions};
pub use xml::{Node, XmlItem, XmlObjects};

use crate::parsed::Parsed;
use crate::problem::Problem;
use crate::record::Record;

/// One answer of several read as one input (a live pull: the masters, then each month's
/// vouchers): its name, for locations, and its bytes in any encoding Tally writes.
pub struct Part {
    /// The name locations give (`tally://host:9000 vouchers 2024-05`).
    pub name: String,
    /// The bytes.
    pub input: Box<dyn Read + Send>,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The parts of a multi-part input, taken one at a time as the reader needs them.
pub type Parts = Box<dyn Iterator<Item = Part> + Send>;

/// Reads a Tally XML export and maps it, record by record.
pub struct TallyReader {
    objects: Option<XmlObjects>,
    mapper: Option<TallyMapper>,
    queue: VecDeque<Result<Record, Problem>>,
    parts: Option<Parts>,
}

impl std::fmt::Debug for TallyReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TallyReader")
            .field("objects", &self.objects)
            .field("mapper", &self.mapper)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

impl TallyReader {
    /// Reads from any byte stream; `file` names it in locations.
    pub fn new(input: impl Read + Send + 'static, file: &str, options: TallyOptions) -> Self {
        let file: Arc<str> = Arc::from(file);
        let mapper = TallyMapper::new(file.clone(), options);
        match XmlObjects::new(input, file) {
            Ok(objects) => TallyReader {
                objects: Some(objects.fields_read_only()),
                mapper: Some(mapper),
                queue: VecDeque::new(),
                parts: None,
            },
            Err(p) => TallyReader {
                objects: None,
                mapper: None,
                queue: VecDeque::from([Err(p)]),
                parts: None,
            },
        }
    }

    /// Reads several answers as one input, in order, through one mapper: the masters of
    /// the first parts index the vouchers of the later ones, and master-derived records come
    /// at the end, as for a file. Each part is opened only when the one before is read
    /// whole, so one part is held at a time. Masters are located in `name`, vouchers in the
    /// part they came from.
    pub fn parts(name: &str, parts: Parts, options: TallyOptions) -> Self {
        TallyReader {
            objects: None,
            mapper: Some(TallyMapper::new(Arc::from(name), options)),
            queue: VecDeque::new(),
            parts: Some(parts),
        }
    }

    /// The mapper's count of vouchers read so far.
    pub fn vouchers(&self) -> u64 {
        self.mapper.as_ref().map_or(0, TallyMapper::vouchers)
    }
}

impl Iterator for TallyReader {
    type Item = Result<Record, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.objects.is_none()
                && let Some(part) = self.parts.as_mut().and_then(Iterator::next)
            {
                let file: Arc<str> = Arc::from(part.name);
                if let Some(m) = self.mapper.as_mut() {
                    m.set_file(file.clone());
                }
                match XmlObjects::new(part.input, file) {
                    Ok(objects) => self.objects = Some(objects.allow_empty().fields_read_only()),
                    Err(p) => return Some(Err(p)),
                }
                continue;
            }
            let Some(objects) = self.objects.as_mut() else {
                self.parts = None;
                if let Some(m) = self.mapper.take() {
                    self.queue.extend(m.finish());
                    continue;
                }
                return None;
            };
            match objects.next() {
                Some(XmlItem::Object(node)) => {
                    if let Some(m) = self.mapper.as_mut() {
                        self.queue.extend(m.push(&node));
                    }
                }
                Some(XmlItem::Problem(p)) => {
                    if let Some(m) = self.mapper.as_mut() {
                        m.note_lost(&p);
                    }
                    return Some(Err(p));
                }
                None => {
                    self.objects = None;
                    if self.parts.is_none()
                        && let Some(m) = self.mapper.take()
                    {
                        self.queue.extend(m.finish());
                    }
                }
            }
        }
    }
}

/// Parses a whole Tally export held in memory: every record and every problem. Never
/// panics, whatever the bytes (the entry point for fuzzing).
pub fn parse_tally_bytes(bytes: &[u8]) -> Parsed {
    let reader = TallyReader::new(
        std::io::Cursor::new(bytes.to_vec()),
        "input.xml",
        TallyOptions::default(),
    );
    Parsed::collect(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MASTERS: &str = "<ENVELOPE><BODY><IMPORTDATA><REQUESTDATA><TALLYMESSAGE>\n\
        <GROUP NAME=\"Sundry Debtors\"><PARENT>&#4; Primary</PARENT></GROUP>\n\
        <LEDGER NAME=\"Ramesh\"><PARENT>Sundry Debtors</PARENT></LEDGER>\n\
        <LEDGER NAME=\"Sales\"><PARENT>Sales Accounts</PARENT></LEDGER>\n\
        </TALLYMESSAGE></REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>";

    const MAY: &str = "<ENVELOPE><BODY><DATA><COLLECTION>\n\
        <VOUCHER VCHTYPE=\"Sales\"><DATE>20240502</DATE><VOUCHERTYPENAME>Sales</VOUCHERTYPENAME>\n\
        <VOUCHERNUMBER>S-1</VOUCHERNUMBER><PARTYLEDGERNAME>Ramesh</PARTYLEDGERNAME>\n\
        <ALLLEDGERENTRIES.LIST><LEDGERNAME>Ramesh</LEDGERNAME><AMOUNT>-100.00</AMOUNT>\n\
        </ALLLEDGERENTRIES.LIST><ALLLEDGERENTRIES.LIST><LEDGERNAME>Sales</LEDGERNAME>\n\
        <AMOUNT>100.00</AMOUNT></ALLLEDGERENTRIES.LIST></VOUCHER>\n\
        </COLLECTION></DATA></BODY></ENVELOPE>";

    const EMPTY: &str = "<ENVELOPE><BODY><DATA><COLLECTION></COLLECTION></DATA></BODY></ENVELOPE>";

    fn part(name: &str, text: &'static str) -> Part {
        Part {
            name: name.to_owned(),
            input: Box::new(std::io::Cursor::new(text.as_bytes())),
        }
    }

    #[test]
    fn parts_read_as_one_input_located_per_part() {
        let parts = vec![
            part("tally://h:9000 masters", MASTERS),
            part("tally://h:9000 vouchers 2024-04", EMPTY),
            part("tally://h:9000 vouchers 2024-05", MAY),
        ];
        let reader = TallyReader::parts(
            "tally://h:9000 masters",
            Box::new(parts.into_iter()),
            TallyOptions::default(),
        );
        let parsed = Parsed::collect(reader);
        // A month without vouchers is no problem.
        assert!(
            parsed
                .report
                .problems
                .iter()
                .all(|p| !p.message.contains("holds no Tally record")),
            "{:?}",
            parsed.report.problems
        );
        let invoice = parsed
            .records
            .iter()
            .find(|r| r.entity == crate::record::Entity::Invoice)
            .expect("the May invoice, mapped with the masters of the first part");
        assert_eq!(&*invoice.location.file, "tally://h:9000 vouchers 2024-05");
        assert_eq!(invoice.location.line, 2);
        let contact = parsed
            .records
            .iter()
            .find(|r| r.entity == crate::record::Entity::Contact)
            .expect("the party");
        assert_eq!(&*contact.location.file, "tally://h:9000 masters");
    }
}
