//! The per-tenant rate limit: 429 with `Retry-After` and Partner Center's body.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;

use crate::support::*;

#[tokio::test]
async fn past_the_limit_a_tenant_gets_429_with_retry_after_and_partner_centers_body() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let agent = t.user_with_role(&partner.admin, "sales_agent").await;
    let (admin, agent) = (t.token_for(&partner.admin).await, t.token_for(&agent).await);
    let other_tenant = t.token_for(&t.operator).await;
    let router = router_with(
        &t,
        HttpConfig {
            rate_limit_per_minute: 2,
            ..HttpConfig::default()
        },
    );
    assert_eq!(
        Call::get("/v1/me").bearer(&admin).send(&router).await.status,
        StatusCode::OK
    );
    assert_eq!(
        Call::get("/v1/me").bearer(&agent).send(&router).await.status,
        StatusCode::OK
    );

    let limited = Call::get("/v1/me").bearer(&admin).send(&router).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        limited.header("retry-after"),
        Some("30"),
        "one request every 30 s at 2 a minute"
    );
    insta::assert_json_snapshot!(limited.json, @r#"
    {
      "message": "Rate limit is exceeded. Try again in 30 seconds.",
      "statusCode": 429
    }
    "#);
    assert_eq!(
        Call::get("/v1/me").bearer(&agent).send(&router).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit is the tenant's, not the user's"
    );
    assert_eq!(
        Call::get("/v1/me").bearer(&other_tenant).send(&router).await.status,
        StatusCode::OK,
        "another tenant has its own"
    );
    assert_eq!(
        Call::get("/v1/customers").bearer(&admin).send(&router).await.status,
        StatusCode::OK,
        "another resource family has its own"
    );
    assert_eq!(
        Call::get("/healthz").send(&router).await.status,
        StatusCode::OK,
        "anonymous operations are not limited"
    );
}
