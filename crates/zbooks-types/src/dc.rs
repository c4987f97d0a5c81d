//! Zoho's data centers: where a user's accounts server and API live.
//!
//! Every Zoho account lives in exactly one data center, and a token minted by one data center's
//! accounts server is refused by every other data center's API. Calling `.com` for an `.in`
//! account is among the commonest integration bugs, so a data center can be named in every way
//! users write it (`in`, `.in`, `india`, `zohoapis.in`, an `api_domain` URL, an accounts URL)
//! and parsing reports the valid names when it fails.
//!
//! Source: zoho-books-reference.md §3.1 (eight data centers; the UK and UAE hosts are not
//! confirmed for Books, so they are left out and the list stays data, not code).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the eight data centers Zoho Books runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataCenter {
    /// United States (`zoho.com`).
    Us,
    /// Europe (`zoho.eu`).
    Eu,
    /// India (`zoho.in`).
    In,
    /// Australia (`zoho.com.au`).
    Au,
    /// Japan (`zoho.jp`).
    Jp,
    /// Canada (`zohocloud.ca` for accounts, `zohoapis.ca` for the API).
    Ca,
    /// China (`zoho.com.cn`).
    Cn,
    /// Saudi Arabia (`zoho.sa`).
    Sa,
}

/// The hosts of one data center.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataCenterInfo {
    /// The data center.
    pub dc: DataCenter,
    /// Short name used in configuration (`us`, `in`, ...).
    pub name: &'static str,
    /// A human name (`United States`).
    pub label: &'static str,
    /// The domain suffix Zoho uses for this data center (`com`, `in`, `com.au`).
    pub tld: &'static str,
    /// Base URL of the accounts (OAuth) server.
    pub accounts_url: &'static str,
    /// The API domain, as the token response's `api_domain` names it.
    pub api_domain: &'static str,
    /// The pre-zohoapis Books host, where one existed.
    pub legacy_books_url: Option<&'static str>,
    /// Extra names users write for it.
    pub aliases: &'static [&'static str],
}

const TABLE: [DataCenterInfo; 8] = [
    DataCenterInfo {
        dc: DataCenter::Us,
        name: "us",
        label: "United States",
        tld: "com",
        accounts_url: "https://accounts.zoho.com",
        api_domain: "https://www.zohoapis.com",
        legacy_books_url: Some("https://books.zoho.com/api/v3"),
        aliases: &["com", "usa", "united states", "america"],
    },
    DataCenterInfo {
        dc: DataCenter::Eu,
        name: "eu",
        label: "Europe",
        tld: "eu",
        accounts_url: "https://accounts.zoho.eu",
        api_domain: "https://www.zohoapis.eu",
        legacy_books_url: Some("https://books.zoho.eu/api/v3"),
        aliases: &["europe"],
    },
    DataCenterInfo {
        dc: DataCenter::In,
        name: "in",
        label: "India",
        tld: "in",
        accounts_url: "https://accounts.zoho.in",
        api_domain: "https://www.zohoapis.in",
        legacy_books_url: Some("https://books.zoho.in/api/v3"),
        aliases: &["india"],
    },
    DataCenterInfo {
        dc: DataCenter::Au,
        name: "au",
        label: "Australia",
        tld: "com.au",
        accounts_url: "https://accounts.zoho.com.au",
        api_domain: "https://www.zohoapis.com.au",
        legacy_books_url: Some("https://books.zoho.com.au/api/v3"),
        aliases: &["australia"],
    },
    DataCenterInfo {
        dc: DataCenter::Jp,
        name: "jp",
        label: "Japan",
        tld: "jp",
        accounts_url: "https://accounts.zoho.jp",
        api_domain: "https://www.zohoapis.jp",
        legacy_books_url: None,
        aliases: &["japan"],
    },
    DataCenterInfo {
        dc: DataCenter::Ca,
        name: "ca",
        label: "Canada",
        tld: "ca",
        // Not accounts.zoho.ca, which does not resolve (reference §3.1, live probe).
        accounts_url: "https://accounts.zohocloud.ca",
        api_domain: "https://www.zohoapis.ca",
        legacy_books_url: None,
        aliases: &["canada", "zohocloud.ca"],
    },
    DataCenterInfo {
        dc: DataCenter::Cn,
        name: "cn",
        label: "China",
        tld: "com.cn",
        accounts_url: "https://accounts.zoho.com.cn",
        api_domain: "https://www.zohoapis.com.cn",
        legacy_books_url: Some("https://books.zoho.com.cn/api/v3"),
        aliases: &["china"],
    },
    DataCenterInfo {
        dc: DataCenter::Sa,
        name: "sa",
        label: "Saudi Arabia",
        tld: "sa",
        accounts_url: "https://accounts.zoho.sa",
        api_domain: "https://www.zohoapis.sa",
        legacy_books_url: None,
        aliases: &["saudi", "saudi arabia", "ksa"],
    },
];

impl DataCenter {
    /// Every data center, in Zoho's order.
    pub const ALL: [DataCenter; 8] = [
        DataCenter::Us,
        DataCenter::Eu,
        DataCenter::In,
        DataCenter::Au,
        DataCenter::Jp,
        DataCenter::Ca,
        DataCenter::Cn,
        DataCenter::Sa,
    ];

    /// The hosts and names of this data center.
    pub fn info(self) -> &'static DataCenterInfo {
        // TABLE is in the same order as the enum; the test below keeps it so.
        &TABLE[self as usize]
    }

    /// Short name (`us`, `eu`, `in`, ...).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Base URL of the accounts server, without a trailing slash.
    pub fn accounts_url(self) -> &'static str {
        self.info().accounts_url
    }

    /// The API domain (`https://www.zohoapis.in`), without a trailing slash.
    pub fn api_domain(self) -> &'static str {
        self.info().api_domain
    }

    /// The Books API base (`https://www.zohoapis.in/books/v3`).
    pub fn books_base_url(self) -> String {
        format!("{}/books/v3", self.api_domain())
    }

    /// The data center whose API domain or accounts server is at `host` (a bare host name
    /// such as `www.zohoapis.eu`), if any.
    pub fn from_host(host: &str) -> Option<DataCenter> {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        TABLE.iter().find_map(|info| {
            let hosts = [
                info.accounts_url,
                info.api_domain,
                info.legacy_books_url.unwrap_or(""),
            ];
            hosts
                .iter()
                .filter(|url| !url.is_empty())
                .any(|url| host_of(url) == host)
                .then_some(info.dc)
        })
    }

    /// A comma-separated list of valid names, for error messages.
    pub fn valid_names() -> String {
        TABLE
            .iter()
            .map(|info| format!("{} ({})", info.name, info.label))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for DataCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The input named no data center.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown data center {input:?}; valid names are {}",
    DataCenter::valid_names()
)]
pub struct ParseDataCenterError {
    /// What was given.
    pub input: String,
}

impl FromStr for DataCenter {
    type Err = ParseDataCenterError;

    /// Parses `in`, `.in`, `IN`, `india`, `zohoapis.in`, `zoho.in`,
    /// `https://www.zohoapis.in`, `https://accounts.zoho.in/oauth/v2/token` and the like.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || ParseDataCenterError {
            input: input.to_owned(),
        };
        let raw = input.trim().to_ascii_lowercase();
        if raw.is_empty() {
            return Err(err());
        }
        // A URL or a host: reduce to the host and match it against the known hosts, then
        // against the domain suffix.
        let host = host_of(&raw);
        if let Some(dc) = DataCenter::from_host(host) {
            return Ok(dc);
        }
        let name = host.trim_start_matches('.');
        for info in &TABLE {
            if name == info.name || name == info.tld || info.aliases.contains(&name) {
                return Ok(info.dc);
            }
        }
        // `zohoapis.in`, `zoho.com.au`, `books.zoho.eu`, `accounts.zohocloud.ca`: the part after
        // the Zoho brand is the suffix. Longest suffix first, so `com.au` wins over `com`.
        let mut by_len: Vec<&DataCenterInfo> = TABLE.iter().collect();
        by_len.sort_by_key(|info| std::cmp::Reverse(info.tld.len()));
        for brand in ["zohoapis.", "zohocloud.", "zoho."] {
            if let Some(pos) = name.find(brand) {
                let rest = &name[pos + brand.len()..];
                if let Some(info) = by_len.iter().find(|info| rest == info.tld) {
                    return Ok(info.dc);
                }
            }
        }
        Err(err())
    }
}

/// The host part of a URL, or the input itself when it is no URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    // Drop a port.
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(host, _)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order() {
        for dc in DataCenter::ALL {
            assert_eq!(dc.info().dc, dc);
        }
    }

    #[test]
    fn parses_every_way_users_write_india() {
        for input in [
            "in",
            ".in",
            "IN",
            "india",
            "zohoapis.in",
            "zoho.in",
            "www.zohoapis.in",
            "https://www.zohoapis.in",
            "https://www.zohoapis.in/",
            "https://accounts.zoho.in/oauth/v2/token",
            "https://books.zoho.in/api/v3/invoices",
        ] {
            assert_eq!(input.parse::<DataCenter>(), Ok(DataCenter::In), "{input}");
        }
    }

    #[test]
    fn parses_each_data_center_by_its_hosts() {
        for dc in DataCenter::ALL {
            assert_eq!(dc.name().parse::<DataCenter>(), Ok(dc));
            assert_eq!(dc.accounts_url().parse::<DataCenter>(), Ok(dc));
            assert_eq!(dc.api_domain().parse::<DataCenter>(), Ok(dc));
            assert_eq!(format!(".{}", dc.info().tld).parse::<DataCenter>(), Ok(dc));
        }
        assert_eq!("com.au".parse::<DataCenter>(), Ok(DataCenter::Au));
        assert_eq!("zohoapis.com.au".parse::<DataCenter>(), Ok(DataCenter::Au));
        assert_eq!("zohoapis.com".parse::<DataCenter>(), Ok(DataCenter::Us));
        assert_eq!(
            "accounts.zohocloud.ca".parse::<DataCenter>(),
            Ok(DataCenter::Ca)
        );
    }

    #[test]
    fn unknown_input_lists_valid_names() {
        let err = "mars".parse::<DataCenter>().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("\"mars\""), "{text}");
        for dc in DataCenter::ALL {
            assert!(text.contains(dc.name()), "{text}");
        }
        assert!("".parse::<DataCenter>().is_err());
        assert!("zoho.uk".parse::<DataCenter>().is_err());
    }
}
