//! Editing the config file: the keys `zbooks config set|unset|init` may write, each value
//! checked and written in the form zbooks reads back, and the edit made in place with
//! `toml_edit`, so a person's comments, order and other keys survive.
//!
//! Secrets are not among the keys: `auth login` keeps the client secret and the refresh token
//! in the private store, and a config file is the kind of file that gets shared. The edited
//! text is parsed the way `settings` parses it before it replaces the file, so zbooks never
//! writes a file it would then refuse; the replacement is atomic (a temporary file renamed
//! over the old one, which keeps its permissions).

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table};
use zbooks_types::{DataCenter, Plan};

use crate::error::CliError;

/// One key of a profile that `config set` may write.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Its name in `[profiles.NAME]`.
    pub name: &'static str,
    /// What it holds, for `--help` and errors.
    pub about: &'static str,
    check: fn(&str) -> Result<String, String>,
}

impl Key {
    /// The value as it is written, or why it is refused.
    ///
    /// # Errors
    ///
    /// The value is not one this key takes.
    pub fn check(&self, value: &str) -> Result<String, CliError> {
        (self.check)(value.trim()).map_err(|why| {
            CliError::usage(format!("invalid value {value:?} for {}: {why}", self.name))
        })
    }
}

/// The keys of a profile that `config set` writes, in the order `config show` lists them.
pub const KEYS: [Key; 7] = [
    Key {
        name: "dc",
        about: "the data center: us, eu, in, au, jp, ca, cn, sa (or the sign-in address, \
                accounts.zoho.in)",
        check: check_dc,
    },
    Key {
        name: "organization_id",
        about: "the organization id, digits only (`zbooks auth status` lists them)",
        check: check_org,
    },
    Key {
        name: "plan",
        about: "the organization's plan: free, standard, professional, premium, elite, ultimate \
                (unset: read from Zoho)",
        check: check_plan,
    },
    Key {
        name: "client_id",
        about: "the self client's id (1000.…)",
        check: check_client_id,
    },
    Key {
        name: "accounts_url",
        about: "the accounts server, when not the data center's (a simulator, a proxy)",
        check: check_url,
    },
    Key {
        name: "api_url",
        about: "the Books API base, when not the data center's (…/books/v3)",
        check: check_url,
    },
    Key {
        name: "state",
        about: "where the organization's shared budget and token cache live: redis://host:6379/0 \
                or postgres://user@host:5432/db (unset: the SQLite store in the data directory)",
        check: check_state,
    },
];

/// Keys the file may hold that `config set` refuses to write: secrets.
const SECRET_KEYS: [&str; 2] = ["client_secret", "refresh_token"];

/// The key named `name`, or an error listing the valid ones.
///
/// # Errors
///
/// `name` is no key `config set` writes.
pub fn key(name: &str) -> Result<&'static Key, CliError> {
    if let Some(key) = KEYS.iter().find(|k| k.name == name) {
        return Ok(key);
    }
    if SECRET_KEYS.contains(&name) {
        return Err(CliError::usage(format!(
            "{name} is a secret: zbooks does not write it to the config file"
        ))
        .with_hint(
            "`zbooks auth login` keeps the client secret and the refresh token in the private \
             store (readable only by you); for CI, set ZBOOKS_CLIENT_SECRET and \
             ZBOOKS_REFRESH_TOKEN",
        ));
    }
    Err(CliError::usage(format!("unknown setting {name:?}"))
        .with_hint(format!("valid keys: {}", names())))
}

/// The valid keys, comma-separated.
pub fn names() -> String {
    KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

fn check_dc(value: &str) -> Result<String, String> {
    value
        .parse::<DataCenter>()
        .map(|dc| dc.name().to_owned())
        .map_err(|e| e.to_string())
}

fn check_plan(value: &str) -> Result<String, String> {
    value
        .parse::<Plan>()
        .map(|p| p.name().to_owned())
        .map_err(|e| e.to_string())
}

fn check_org(value: &str) -> Result<String, String> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("an organization id is digits only (60012345678)".to_owned())
    }
}

fn check_client_id(value: &str) -> Result<String, String> {
    if !value.is_empty() && !value.contains(char::is_whitespace) {
        Ok(value.to_owned())
    } else {
        Err("a client id is one word (1000.ABCD…)".to_owned())
    }
}

fn check_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !value.contains(char::is_whitespace) => {
            Ok(value.trim_end_matches('/').to_owned())
        }
        _ => Err("a URL starting with https:// (or http:// for a local simulator)".to_owned()),
    }
}

fn check_state(value: &str) -> Result<String, String> {
    let value = value.trim();
    let bad = || {
        "a Redis URL, redis://host:6379/0 (optionally ?prefix=name:), or a PostgreSQL one, \
         postgres://user@host:5432/db"
            .to_owned()
    };
    if crate::context::is_postgres_url(value) {
        return zbooks_pg::PgStore::check_url(value)
            .map(|()| value.to_owned())
            .map_err(|_| bad());
    }
    zbooks_redis::RedisOptions::from_url(value)
        .map(|_| value.to_owned())
        .map_err(|_| bad())
}

/// The config file's text, parsed for editing; a missing file is an empty one.
///
/// # Errors
///
/// The file cannot be read, or is not TOML.
pub fn load(path: &Path) -> Result<DocumentMut, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => {
            return Err(CliError::io(
                format!("cannot read config file {}", path.display()),
                &err,
            ));
        }
    };
    text.parse::<DocumentMut>().map_err(|e| {
        CliError::usage(format!(
            "config file {} is not valid TOML: {}",
            path.display(),
            e.message()
        ))
    })
}

/// `[profiles.NAME]` of `doc`, made if absent (without a bare `[profiles]` header above it).
fn profile_mut<'a>(doc: &'a mut DocumentMut, profile: &str) -> Result<&'a mut Table, CliError> {
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| CliError::usage("`profiles` in the config file is not a table"))?;
    profiles
        .entry(profile)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| CliError::usage(format!("`profiles.{profile}` is not a table")))
}

/// Sets `key` in `[profiles.PROFILE]`; the value it had, if any.
///
/// # Errors
///
/// The file's `profiles` is not a table.
pub fn set(
    doc: &mut DocumentMut,
    profile: &str,
    key: &str,
    value: &str,
) -> Result<Option<String>, CliError> {
    let table = profile_mut(doc, profile)?;
    let previous = table.get(key).map(shown);
    let mut new = toml_edit::Value::from(value);
    match table.get_mut(key) {
        // Replaced in place: the comment above the key stays, and one after the old value
        // (`dc = "in"  # India`) stays after the new one.
        Some(item) => {
            if let Some(old) = item.as_value() {
                *new.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(new);
        }
        None => {
            table.insert(key, Item::Value(new));
        }
    }
    Ok(previous)
}

/// Removes `key` from `[profiles.PROFILE]`; the value it had, if any.
pub fn unset(doc: &mut DocumentMut, profile: &str, key: &str) -> Option<String> {
    doc.get_mut("profiles")
        .and_then(Item::as_table_mut)
        .and_then(|p| p.get_mut(profile))
        .and_then(Item::as_table_mut)
        .and_then(|t| t.remove(key))
        .map(|item| shown(&item))
}

/// A value as it reads in the file, without its quotes.
fn shown(item: &Item) -> String {
    item.as_str()
        .map_or_else(|| item.to_string().trim().to_owned(), str::to_owned)
}

/// Writes `doc` to `path`, after checking that zbooks reads it back: to a temporary file
/// beside it (with the old file's permissions), then renamed over it.
///
/// # Errors
///
/// The text would not parse as a config, or the file cannot be written.
pub fn save(doc: &DocumentMut, path: &Path) -> Result<(), CliError> {
    let text = doc.to_string();
    let mut warnings = Vec::new();
    crate::settings::parse_config(&text, path, &mut warnings)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::io(format!("cannot create {}", dir.display()), &e))?;
    let name = path.file_name().map_or_else(
        || "config.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        std::fs::write(&temp, &text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        CliError::io(format!("cannot write config file {}", path.display()), &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# my zbooks settings
default_profile = "acme"

[profiles.acme]
# India, since 2019
dc = "in"  # the sign-in page is accounts.zoho.in
client_id = "1000.SIMCLIENT"   # the self client

[profiles.other]
dc = "eu"
"#;

    #[test]
    fn set_and_unset_keep_comments_and_other_keys() {
        let mut doc: DocumentMut = FILE.parse().unwrap();
        assert_eq!(
            set(&mut doc, "acme", "organization_id", "600123").unwrap(),
            None
        );
        assert_eq!(
            set(&mut doc, "acme", "dc", "eu").unwrap().as_deref(),
            Some("in")
        );
        let text = doc.to_string();
        for kept in [
            "# my zbooks settings",
            "# India, since 2019",
            "dc = \"eu\"  # the sign-in page is accounts.zoho.in",
            "client_id = \"1000.SIMCLIENT\"   # the self client",
            "[profiles.other]\ndc = \"eu\"",
            "organization_id = \"600123\"",
        ] {
            assert!(text.contains(kept), "{kept}:\n{text}");
        }
        assert_eq!(
            unset(&mut doc, "acme", "client_id").as_deref(),
            Some("1000.SIMCLIENT")
        );
        assert_eq!(unset(&mut doc, "acme", "client_id"), None);
        assert_eq!(unset(&mut doc, "nobody", "dc"), None);
        assert!(doc.to_string().contains("# India, since 2019"));
    }

    #[test]
    fn a_new_profile_gets_its_own_header_only() {
        let mut doc = DocumentMut::new();
        set(&mut doc, "default", "dc", "in").unwrap();
        assert_eq!(doc.to_string(), "[profiles.default]\ndc = \"in\"\n");
    }

    #[test]
    fn values_are_checked_and_written_as_zbooks_reads_them() {
        let k = |name| key(name).unwrap();
        assert_eq!(k("dc").check("accounts.zoho.com.au").unwrap(), "au");
        assert_eq!(k("dc").check("https://accounts.zoho.in").unwrap(), "in");
        assert_eq!(k("plan").check("Professional").unwrap(), "professional");
        assert_eq!(k("organization_id").check(" 600123 ").unwrap(), "600123");
        assert_eq!(
            k("api_url")
                .check("http://127.0.0.1:8787/books/v3/")
                .unwrap(),
            "http://127.0.0.1:8787/books/v3"
        );
        assert_eq!(
            k("state")
                .check(" redis://127.0.0.1:6379/0?prefix=shop: ")
                .unwrap(),
            "redis://127.0.0.1:6379/0?prefix=shop:"
        );
        assert_eq!(
            k("state")
                .check("postgres://zbooks@db:5432/zbooks")
                .unwrap(),
            "postgres://zbooks@db:5432/zbooks"
        );
        for (name, bad) in [
            ("dc", "mars"),
            ("plan", "gold"),
            ("organization_id", "60012a"),
            ("organization_id", ""),
            ("client_id", "1000 X"),
            ("accounts_url", "accounts.zoho.in"),
            ("state", "mysql://127.0.0.1/zbooks"),
            ("state", "postgres://127.0.0.1:port/zbooks"),
            ("state", "127.0.0.1:6379"),
        ] {
            let err = k(name).check(bad).unwrap_err();
            assert!(err.headline.contains(name), "{}", err.headline);
        }
    }

    #[test]
    fn unknown_keys_list_the_valid_ones_and_secrets_are_refused() {
        let err = key("colour").unwrap_err();
        let hint = err.hint.unwrap();
        assert!(
            hint.contains("dc, organization_id, plan, client_id"),
            "{hint}"
        );
        let err = key("client_secret").unwrap_err();
        assert!(err.headline.contains("secret"), "{}", err.headline);
    }

    #[test]
    fn save_refuses_what_zbooks_would_not_read_and_keeps_the_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        let mut doc = DocumentMut::new();
        set(&mut doc, "default", "organization_id", "600").unwrap();
        save(&doc, &path).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().contains("600"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            set(&mut doc, "default", "dc", "in").unwrap();
            save(&doc, &path).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // A profile key zbooks does not know would be refused on reading: not written.
        let mut doc = DocumentMut::new();
        set(&mut doc, "default", "colour", "blue").unwrap();
        doc["profiles"]["default"]["dc"] = toml_edit::value(5);
        assert!(save(&doc, &path).is_err());
    }
}
