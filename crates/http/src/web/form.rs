//! A posted form, read by hand so repeated fields (checkboxes) keep every value and a
//! malformed body is simply empty (each page then says what is missing). Browsers send a
//! textarea's line breaks as CR LF; they are read as LF, which is what the app stores.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};

use super::pages::VisitorSlot;
use super::session::Visitor;
use crate::state::AppState;

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

/// A posted form whose `_csrf` is the visitor's, read before the handler runs:
/// `Form(fields): Form` stands for `body: Bytes` and `Fields::checked(&visitor, &body)?`.
/// A forged post gets the refusal page and never reaches the handler.
#[derive(Debug)]
pub struct Form(pub Fields);

impl FromRequest<AppState> for Form {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        // The body is read after the handler's other extractors, so its visitor is
        // already kept for this request; it is read again only where none was.
        let kept = parts.extensions.get::<VisitorSlot>().and_then(VisitorSlot::peek);
        let visitor = match kept {
            Some(visitor) => visitor,
            None => {
                let Ok(visitor) = Visitor::from_request_parts(&mut parts, state).await;
                visitor
            }
        };
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Fields::checked(&visitor, &body).map(Form)
    }
}
