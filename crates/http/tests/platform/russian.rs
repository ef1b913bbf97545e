//! A caller who reads Russian (`X-Locale: ru-RU`) gets refusals described in Russian: the
//! words of the reason, the conflict and the resource, never the app's English. The JSON
//! `code`, `errorName` and `data` stay as they are. On every backend.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::TestApp;
use serde_json::{json, Value};

use crate::english::latin_words;
use crate::support::*;

/// A new customer's body with `name` and `domain`.
fn customer(name: &str, domain: &str) -> Value {
    json!({
        "companyProfile": {"domain": domain, "companyName": name},
        "billingProfile": {"email": format!("billing@{domain}"), "firstName": "Ivan", "lastName": "Orlov",
                           "defaultAddress": {"country": "US"}}
    })
}

/// `call` in Russian.
async fn in_russian(call: Call, router: &axum::Router) -> Answer {
    call.header("X-Locale", "ru-RU").send(router).await
}

/// The description of `answer`, checked to hold no English word (the property it names is
/// the API's identifier, not English).
fn russian_description(answer: &Answer) -> String {
    let description = answer.json["description"].as_str().expect("a description").to_string();
    let property = answer.json["data"]["property"].as_str().unwrap_or_default();
    let english = latin_words(&description, &[property]);
    assert!(english.is_empty(), "English {english:?} in {}", answer.json);
    description
}

#[tokio::test]
async fn a_russian_callers_refusals_are_described_in_russian() {
    for db in partnerdesk_testkit::backends().await {
        let backend = db.backend;
        let t = TestApp::on(db).await;
        let router = router(&t);
        let partner = t.partner(PartnerType::Direct).await;
        let token = t.token_for(&partner.admin).await;

        // An empty name: the domain's reason, in the dashboard's words for it.
        let empty = in_russian(
            Call::post("/v1/customers")
                .bearer(&token)
                .json(customer("", "romashka.example")),
            &router,
        )
        .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{backend}: {}", empty.json);
        assert_eq!(empty.json["errorName"], "invalid_property");
        assert_eq!(empty.json["code"], 3000);
        assert_eq!(
            russian_description(&empty),
            "Недопустимое значение свойства companyName: заполните это поле",
            "{backend}"
        );
        assert_eq!(
            empty.json["data"],
            json!({"property": "companyName", "reason": "must not be empty"}),
            "{backend}: data keeps its English detail"
        );

        // A domain another customer has.
        let first = in_russian(
            Call::post("/v1/customers")
                .bearer(&token)
                .json(customer("Ромашка", "romashka.example")),
            &router,
        )
        .await;
        assert_eq!(first.status, StatusCode::CREATED, "{backend}: {}", first.json);
        let taken = in_russian(
            Call::post("/v1/customers")
                .bearer(&token)
                .json(customer("Другая Ромашка", "ROMASHKA.example")),
            &router,
        )
        .await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{backend}: {}", taken.json);
        assert_eq!(taken.json["errorName"], "already_in_use");
        let said = russian_description(&taken);
        assert!(said.contains("уже занято"), "{backend}: {said}");

        // The last global admin stays: a conflict, in Russian words for its kind.
        let me = format!("/v1/partners/{}/users/{}", partner.id, partner.admin.user_id);
        let last = in_russian(Call::delete(&me).bearer(&token), &router).await;
        assert_eq!(last.status, StatusCode::CONFLICT, "{backend}: {}", last.json);
        assert_eq!(
            (last.json["errorName"].clone(), last.json["code"].clone()),
            (json!("conflict"), json!(409))
        );
        let said = russian_description(&last);
        assert!(
            said.starts_with("Конфликт: ") && said.contains("последний глобальный администратор организации"),
            "{backend}: {said}"
        );

        // Nothing of that id: the resource by its Russian name.
        let unknown = in_russian(
            Call::get("/v1/customers/00000000-0000-0000-0000-000000000000").bearer(&token),
            &router,
        )
        .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{backend}");
        assert_eq!(
            russian_description(&unknown),
            "Не найдено: объект (клиент) с таким идентификатором вам недоступен.",
            "{backend}"
        );

        // A query parameter the API reads itself, and a token it does not know.
        let size = in_russian(Call::get("/v1/customers?size=ten").bearer(&token), &router).await;
        assert_eq!(size.status, StatusCode::BAD_REQUEST, "{backend}");
        assert_eq!(
            russian_description(&size),
            "Недопустимое значение свойства size: должно быть целым числом"
        );
        let stranger = in_russian(
            Call::new(Method::GET, "/v1/me").bearer("pd_not-a-token-we-issued"),
            &router,
        )
        .await;
        assert_eq!(
            stranger.status,
            StatusCode::UNAUTHORIZED,
            "{backend}: {}",
            stranger.json
        );
        assert_eq!(stranger.json["errorName"], "unauthenticated");
        assert!(
            russian_description(&stranger).starts_with("Доступ запрещён: "),
            "{backend}"
        );
    }
}
