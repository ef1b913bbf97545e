//! A posted form, read by hand so repeated fields (checkboxes) keep every value and a
//! malformed body is simply empty (each page then says what is missing). Browsers send a
//! textarea's line breaks as CR LF; they are read as LF, which is what the app stores.

use axum::body::Bytes;

/// The fields of an `application/x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &Bytes) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n")))
                .collect(),
        )
    }

    /// The form of a POST, once its `_csrf` is found to be the visitor's; otherwise the
    /// refusal page.
    pub fn checked(visitor: &super::session::Visitor, body: &Bytes) -> Result<Self, axum::response::Response> {
        let form = Self::parse(body);
        visitor.check_csrf(form.get("_csrf"))?;
        Ok(form)
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}
