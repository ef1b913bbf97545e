//! A CSV file to download, streamed: the customer list's export (`/v1/customers` with
//! `Accept: text/csv`) and the dashboard's audit log export share how it is answered.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use futures_util::Stream;

/// The file `filename`: `head` (the byte-order mark, the header row and the first page,
/// read before answering so that a refusal is an ordinary error) and then `tail`, the
/// rest a page at a time. It is never kept by a cache and never read as anything but CSV.
pub(crate) fn csv_download(
    filename: &str,
    head: String,
    tail: impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
) -> Response {
    let head = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(head)) });
    let mut response = Response::new(Body::from_stream(futures_util::StreamExt::chain(head, tail)));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, disposition);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
