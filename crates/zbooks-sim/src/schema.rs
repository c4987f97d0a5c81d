//! The types of the documented request schemas: what `generated.rs`'s request tables are made
//! of, below both the tables and validate.rs, which walks them.

/// The documented JSON type of one request field.
#[derive(Debug)]
pub(crate) enum Ty {
    /// No type documented: anything passes.
    Any,
    Str,
    Num,
    Int,
    Bool,
    Arr(&'static Ty),
    /// An object with these fields, sorted by name.
    Obj(&'static [Field]),
}

/// A documented format of a string field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    None,
    /// `yyyy-mm-dd`, a day that exists.
    Date,
    /// An e-mail address.
    Email,
    /// An Indian GST identification number.
    Gstin,
}

/// One documented field of a request body.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) ty: Ty,
    /// Required in a create (top level) or in every element (nested).
    pub(crate) required: bool,
    /// The documented maximum length in characters; 0 where none is documented.
    pub(crate) max_len: u32,
    /// The documented values; empty where any value passes.
    pub(crate) one_of: &'static [&'static str],
    pub(crate) format: Format,
}

impl Field {
    /// The defaults the generated tables start from.
    pub(crate) const NONE: Field = Field {
        name: "",
        ty: Ty::Any,
        required: false,
        max_len: 0,
        one_of: &[],
        format: Format::None,
    };
}

/// The request bodies of one resource.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) create: &'static [Field],
    pub(crate) update: &'static [Field],
    /// The collection `PUT` by a unique custom field; empty where the resource has none.
    pub(crate) upsert: &'static [Field],
}
