//! Customer search keys and prefix ranges, the same for both backends.
//!
//! A `starts_with` search is a range of an index on a key column: the company name (or the
//! domain) folded by [`fold_case`], which also folds the searched prefix. Keys compare
//! bytewise (SQLite's `BINARY`, PostgreSQL's `COLLATE "C"`), which for UTF-8 is code point
//! order, so the keys that start with a prefix are exactly those in
//! `[prefix, successor(prefix))`.

use partnerdesk_domain::org::Customer;
use partnerdesk_domain::values::{fold_case, SearchText};

/// The company-name key of a customer.
pub(crate) fn name_key(c: &Customer) -> String {
    fold_case(c.company.company_name.as_str())
}

/// The domain key of a customer.
pub(crate) fn domain_key(c: &Customer) -> String {
    fold_case(c.company.domain.as_str())
}

/// The keys that start with `prefix`, folded: `key >= low AND key < high`, with no `high`
/// when no string is above every key that starts with it.
pub(crate) fn prefix_range(prefix: &SearchText) -> (String, Option<String>) {
    let low = prefix.folded();
    let high = successor(&low);
    (low, high)
}

/// The least string above every string that starts with `prefix`: its last character
/// that has a next one, raised by one, with what followed it dropped.
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(u32::from(c) + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_successor_raises_the_last_character_that_can_be_raised() {
        assert_eq!(successor("abc").as_deref(), Some("abd"));
        assert_eq!(successor("ромашка").as_deref(), Some("ромашкб"));
        assert_eq!(successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(successor("\u{10FFFF}\u{10FFFF}"), None);
    }

    #[test]
    fn a_key_is_in_the_range_exactly_when_it_starts_with_the_prefix() {
        let keys = [
            "ромашка трейд",
            "ромашкб",
            "ромашк",
            "ооо ромашка",
            "ромашка",
            "ромашка\u{10FFFF}",
            "ромашкаz",
        ];
        let q = SearchText::parse("q", "РОМАШКА")
            .expect("search text")
            .expect("not blank");
        let (low, high) = prefix_range(&q);
        for key in keys {
            let inside = key >= low.as_str() && high.as_deref().is_none_or(|h| key < h);
            assert_eq!(inside, key.starts_with("ромашка"), "{key:?}");
        }
    }
}
