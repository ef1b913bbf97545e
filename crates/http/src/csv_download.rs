//! A CSV file to download, streamed: the customer list's export (`/v1/customers` with
//! `Accept: text/csv`) and the dashboard's audit log export share how it is answered.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use partnerdesk_app::AppResult;
use std::future::Future;

/// The file `filename`: `head` (the byte-order mark, the header row and the first page,
/// read before answering so that a refusal is an ordinary error), then the rest a page at
/// a time: `read` turns where the export stands (`rest`, none after the last page) into
/// a page of rows and where it stands after them. A page that cannot be read ends the
/// download with an error (logged here). The file is never kept by a cache and never read
/// as anything but CSV.
pub(crate) fn csv_download<S, F, Fut>(filename: &'static str, head: String, rest: Option<S>, read: F) -> Response
where
    S: Send + 'static,
    F: Fn(S) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<(String, Option<S>)>> + Send + 'static,
{
    let tail = futures_util::stream::unfold(rest, move |rest| {
        let page = rest.map(&read);
        async move {
            match page?.await {
                Ok((rows, next)) => Some((Ok(Bytes::from(rows)), next)),
                Err(e) => {
                    tracing::error!(error = %e, file = filename, "CSV export stopped");
                    Some((Err(std::io::Error::other("CSV export stopped")), None))
                }
            }
        }
    });
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
