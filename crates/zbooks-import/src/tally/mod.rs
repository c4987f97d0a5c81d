//! Tally XML: the streaming reader of file exports and HTTP responses (any encoding Tally
//! writes, its invalid `&#4;` references and control characters), the model of its masters
//! and vouchers, and the mapping to Zoho Books payloads (tally-reference.md).
//!
//! [`TallyReader`] yields records and problems as it goes: vouchers as they are read,
//! master-derived records (taxes, accounts, contacts, items) once the file is done. It holds
//! one object at a time plus a compact index of masters.

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

/// Reads a Tally XML export and maps it, record by record.
#[derive(Debug)]
pub struct TallyReader {
    objects: Option<XmlObjects>,
    mapper: Option<TallyMapper>,
    queue: VecDeque<Result<Record, Problem>>,
}

impl TallyReader {
    /// Reads from any byte stream; `file` names it in locations.
    pub fn new(input: impl Read + Send + 'static, file: &str, options: TallyOptions) -> Self {
        let file: Arc<str> = Arc::from(file);
        let mapper = TallyMapper::new(file.clone(), options);
        match XmlObjects::new(input, file) {
            Ok(objects) => TallyReader {
                objects: Some(objects),
                mapper: Some(mapper),
                queue: VecDeque::new(),
            },
            Err(p) => TallyReader {
                objects: None,
                mapper: None,
                queue: VecDeque::from([Err(p)]),
            },
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
            let objects = self.objects.as_mut()?;
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
                    if let Some(m) = self.mapper.take() {
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
