//! Reading JSON bodies the way Partner Center clients write them: property names in any
//! case (`RelationshipToPartner` == `relationshipToPartner`), `null` and unknown properties
//! ignored (the .NET SDK sends PascalCase with every null). Malformed input is a 400
//! `invalid_property` naming the property.
//!
//! A body is parsed to a JSON value, its keys are lower-cased and its nulls dropped, and
//! the value is then read into a struct whose fields are named in lower case
//! (`#[serde(rename_all = "lowercase")]`). Because names are read in any case, an object
//! that names a property twice (`quantity` and `Quantity`, or `quantity` twice) is refused
//! naming it: which of the two was meant cannot be known.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{ApiError, Why};

/// A JSON body read case-insensitively. Rejects with the `/v1` error body.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// Like [`ApiJson`], but an empty body (or none) reads as `T::default()`: for POSTs that
/// take no body or `{}`.
#[derive(Debug, Clone)]
pub struct MaybeJson<T>(pub T);

fn content_type_is_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Ok(())
    } else {
        Err(ApiError::invalid_property(
            "Content-Type",
            Why::other(format!("must be application/json, not {essence}")),
        ))
    }
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    content_type_is_json(req.headers())?;
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large(1024 * 1024)
        } else {
            ApiError::invalid_property("body", Why::other(rejection.body_text()))
        }
    })
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_body(req, state).await?;
        parse_body(&bytes).map(ApiJson)
    }
}

impl<S, T> FromRequest<S> for MaybeJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(MaybeJson(T::default()));
        }
        parse_body(&bytes).map(MaybeJson)
    }
}

/// A body of string properties only, read without the intermediate JSON value when it
/// is plain (see [`FlatJson`]).
pub trait FlatBody: DeserializeOwned {
    /// The properties, in lower case.
    const NAMES: &'static [&'static str];
    /// The body from its properties' values, in the order of [`FlatBody::NAMES`].
    fn from_values(values: Vec<Option<String>>) -> Self;
}

/// Like [`ApiJson`], for a body of string properties on a route called often (the access
/// check): a plain body (an object whose names are ASCII and among the body's, each once,
/// every value a string or `null`) is read straight from the bytes; anything else is read
/// as [`ApiJson`] reads it, so the answer, refusals included, is the same.
#[derive(Debug, Clone)]
pub struct FlatJson<T>(pub T);

impl<S, T> FromRequest<S> for FlatJson<T>
where
    S: Send + Sync,
    T: FlatBody,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_body(req, state).await?;
        match read_flat(&bytes, T::NAMES) {
            Some(values) => Ok(FlatJson(T::from_values(values))),
            None => parse_body(&bytes).map(FlatJson),
        }
    }
}

/// The values of `names` in a plain body (see [`FlatJson`]); `None` for any other body.
fn read_flat(bytes: &[u8], names: &'static [&'static str]) -> Option<Vec<Option<String>>> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let values = Flat { names }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(values)
}

/// Reads a plain body's object; any other input is an error (the caller then reads it the
/// general way).
struct Flat {
    names: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Flat {
    type Value = Vec<Option<String>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Flat {
    type Value = Vec<Option<String>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of known string properties")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values = vec![None; self.names.len()];
        let mut seen = vec![false; self.names.len()];
        while let Some(FlatName(i)) = map.next_key_seed(FlatNames(self.names))? {
            if std::mem::replace(&mut seen[i], true) {
                return Err(A::Error::custom("a property is named twice"));
            }
            values[i] = map.next_value::<Option<String>>()?;
        }
        Ok(values)
    }
}

/// The index of a property name among the known ones (ASCII, in any case).
struct FlatName(usize);

struct FlatNames(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FlatNames {
    type Value = FlatName;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FlatName, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FlatNames {
    type Value = FlatName;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a known property name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<FlatName, E> {
        self.0
            .iter()
            .position(|known| name.is_ascii() && known.eq_ignore_ascii_case(name))
            .map(FlatName)
            .ok_or_else(|| E::custom("another property"))
    }
}

/// Lower-cases every key and drops every `null` property, recursively. `names` learns the
/// client's spelling of each key (for error messages).
fn normalize(value: Value, names: &mut HashMap<String, String>) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, v) in map {
                if v.is_null() {
                    continue;
                }
                let lower = key.to_lowercase();
                names.entry(lower.clone()).or_insert_with(|| camel(&key));
                out.insert(lower, normalize(v, names));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| normalize(v, names)).collect()),
        other => other,
    }
}

/// `RelationshipToPartner` → `relationshipToPartner`: how we name properties in errors.
fn camel(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads `bytes` as a `T` with the rules of this module.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    parse_value(read_json(bytes)?)
}

/// Parses a JSON document, refusing an object that names a property twice in any case.
fn read_json(bytes: &[u8]) -> Result<Value, ApiError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = OneName {
        path: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|value| de.end().map(|()| value));
    match (read, duplicate.into_inner()) {
        (_, Some(property)) => Err(ApiError::invalid_property(
            property,
            Why::other("is given more than once (property names are read in any case)"),
        )),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(ApiError::invalid_property(
            "body",
            Why::other(format!("is not valid JSON: {e}")),
        )),
    }
}

/// Reads a JSON value at `path` (`lineItems[0].offerId`); on a property named twice it
/// leaves the property's path in `duplicate` and stops.
struct OneName<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl OneName<'_> {
    fn at(&self, path: String) -> Self {
        OneName {
            path,
            duplicate: self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for OneName<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OneName<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.at(format!("{}[{}]", self.path, items.len())))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // Each name in lower case, with the client's first spelling of it.
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let lower = key.to_lowercase();
            let named_twice = seen.contains_key(&lower);
            let first = seen.entry(lower).or_insert_with(|| key.clone());
            let path = if self.path.is_empty() {
                camel(first)
            } else {
                format!("{}.{}", self.path, camel(first))
            };
            if named_twice {
                *self.duplicate.borrow_mut() = Some(path);
                return Err(A::Error::custom("a property is named twice"));
            }
            let value = map.next_value_seed(self.at(path))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Reads a JSON value as a `T` with the rules of this module.
pub fn parse_value<T: DeserializeOwned>(raw: Value) -> Result<T, ApiError> {
    let mut names = HashMap::new();
    let value = normalize(raw, &mut names);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let spell = |segment: &str| names.get(segment).cloned().unwrap_or_else(|| segment.to_string());
        let mut path = e
            .path()
            .iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => format!("[{index}]"),
                serde_path_to_error::Segment::Map { key } => spell(key),
                serde_path_to_error::Segment::Enum { variant } => spell(variant),
                serde_path_to_error::Segment::Unknown => "?".into(),
            })
            .fold(String::new(), |acc, s| {
                if acc.is_empty() || s.starts_with('[') {
                    acc + &s
                } else {
                    acc + "." + &s
                }
            });
        let message = e.inner().to_string();
        // A missing field is reported at its parent; name the field itself.
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            let field = spell(field);
            path = if path.is_empty() {
                field
            } else {
                format!("{path}.{field}")
            };
            return ApiError::invalid_property(path, Why::Required);
        }
        let reason = plain_reason(message.split(" at line ").next().unwrap_or(&message));
        if path.is_empty() {
            path = "body".into();
        }
        ApiError::invalid_property(path, reason)
    })
}

/// The integer types a body property may have, as serde names them in its messages.
const INTEGER_TYPES: &[&str] = &["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize"];

/// serde's reason, said for a client instead of in Rust's words: a value where an integer
/// is expected (`2222.0` included: a number with a fraction part is not an integer, as the
/// document's `type: integer` says) is "must be a whole number", a value where an object is
/// expected (`null` included) is "must be a JSON object".
fn plain_reason(reason: &str) -> Why {
    if let Some(expected) = reason
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map(|(_, expected)| expected)
    {
        if INTEGER_TYPES.contains(&expected) {
            return Why::WholeNumber;
        }
        if expected.starts_with("struct ") {
            return Why::other("must be a JSON object");
        }
    }
    if reason.starts_with("invalid value: ") {
        if let Some((_, expected)) = reason.rsplit_once(", expected ") {
            if INTEGER_TYPES.contains(&expected) {
                return Why::OutOfRange;
            }
        }
    }
    Why::other(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    struct Patch {
        relationshiptopartner: Option<String>,
        quantity: Option<i64>,
        lines: Option<Vec<Line>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    struct Line {
        offerid: String,
    }

    #[test]
    fn names_are_read_in_any_case_and_nulls_are_ignored() {
        let p: Patch = parse_body(br#"{"RelationshipToPartner":"none","Quantity":null,"Other":1}"#).expect("parses");
        assert_eq!(p.relationshiptopartner.as_deref(), Some("none"));
        assert_eq!(p.quantity, None);
    }

    #[test]
    fn a_wrong_type_names_the_property_as_the_client_spelt_it() {
        let e = parse_body::<Patch>(br#"{"Quantity":"many"}"#).expect_err("refused");
        assert_eq!(e.name(), "invalid_property");
        assert!(e.description().contains("quantity"), "{}", e.description());
    }

    #[test]
    fn a_missing_nested_field_is_named_with_its_path() {
        let e = parse_body::<Patch>(br#"{"lineItems":[],"lines":[{"x":1}]}"#).expect_err("refused");
        assert!(e.description().contains("lines[0].offerid"), "{}", e.description());
    }

    #[test]
    fn a_property_named_twice_in_any_case_is_refused_naming_it() {
        for (body, property) in [
            (&br#"{"quantity":5,"Quantity":299}"#[..], "quantity"),
            (br#"{"Quantity":5,"quantity":299}"#, "quantity"),
            (br#"{"quantity":5,"quantity":299}"#, "quantity"),
            (br#"{"quantity":5,"QUANTITY":null}"#, "quantity"),
            (
                br#"{"lines":[{"offerId":"a"},{"offerId":"b","OfferID":"c"}]}"#,
                "lines[1].offerId",
            ),
        ] {
            let e = parse_body::<Patch>(body).expect_err("refused");
            assert_eq!(e.name(), "invalid_property");
            assert!(e.description().contains(property), "{property}: {}", e.description());
        }
        // The same name in two different objects is fine.
        let p: Patch = parse_body(br#"{"lines":[{"offerId":"a"},{"OfferId":"b"}]}"#).expect("parses");
        assert_eq!(p.lines.map(|l| l.len()), Some(2));
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let e = parse_body::<Patch>(b"{").expect_err("refused");
        assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_number_with_a_fraction_part_is_not_an_integer() {
        for body in [
            &br#"{"quantity":2222.0}"#[..],
            br#"{"quantity":2.5}"#,
            br#"{"quantity":1e3}"#,
        ] {
            let e = parse_body::<Patch>(body).expect_err("refused");
            assert_eq!(e.name(), "invalid_property");
            assert_eq!(
                e.description(),
                "Invalid property quantity: must be a whole number",
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let p: Patch = parse_body(br#"{"quantity":2222}"#).expect("parses");
        assert_eq!(p.quantity, Some(2222));
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    struct Question {
        customerid: Option<String>,
        role: Option<String>,
    }

    impl FlatBody for Question {
        const NAMES: &'static [&'static str] = &["customerid", "role"];
        fn from_values(mut values: Vec<Option<String>>) -> Self {
            Question {
                role: values.pop().flatten(),
                customerid: values.pop().flatten(),
            }
        }
    }

    /// What [`FlatJson`] reads: the plain reading, else the general one.
    fn flat_or_general(body: &[u8]) -> Result<Question, ApiError> {
        match read_flat(body, Question::NAMES) {
            Some(values) => Ok(Question::from_values(values)),
            None => parse_body(body),
        }
    }

    #[test]
    fn a_plain_flat_body_is_read_directly_and_as_the_general_reading_reads_it() {
        for body in [
            &br#"{"customerId": "c", "ROLE": "r"}"#[..],
            br#"{"role": null, "customerid": "c\u0041"}"#,
            br#" {} "#,
        ] {
            let direct = read_flat(body, Question::NAMES).map(Question::from_values);
            let general: Question = parse_body(body).expect("parses");
            assert_eq!(direct.as_ref(), Some(&general), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn any_other_flat_body_is_read_and_refused_the_general_way() {
        for body in [
            &br#"{"customerId": "c", "Other": {"a": 1, "A": 2}}"#[..],
            br#"{"customerId": "c", "CustomerID": "d"}"#,
            br#"{"role": null, "Role": "r"}"#,
            br#"{"role": 5}"#,
            br#"{"role": "r"} x"#,
            br#"["role"]"#,
            b"{",
        ] {
            assert!(
                read_flat(body, Question::NAMES).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
            let flat = flat_or_general(body).map_err(|e| e.description().to_string());
            let general = parse_body::<Question>(body).map_err(|e| e.description().to_string());
            assert_eq!(flat, general, "{}", String::from_utf8_lossy(body));
        }
        let unknown = flat_or_general(br#"{"customerId": "c", "Other": [1]}"#).expect("unknown ignored");
        assert_eq!(unknown.customerid.as_deref(), Some("c"));
    }

    #[test]
    fn a_null_body_is_refused_as_not_an_object() {
        let e = parse_body::<Patch>(b"null").expect_err("refused");
        assert_eq!(e.description(), "Invalid property body: must be a JSON object");
    }
}
