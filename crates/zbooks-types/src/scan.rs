//! Finding Zoho codes and bodies in text (being written).
