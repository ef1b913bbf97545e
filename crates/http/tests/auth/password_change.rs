//! A new password ends what the old one let in: dashboard sessions, refresh tokens, access
//! tokens, and (always after an admin's reset, by choice after one's own change) personal
//! API tokens. Through the router, on every backend.

use axum::http::StatusCode;
use axum::Router;
use partnerdesk_app::Caller;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{TestApp, PASSWORD};
use serde_json::json;

use crate::dashboard::Visitor;
use crate::support::*;

const NEW_PASSWORD: &str = "a-brand-new-password-2";

/// Everything a user can hold: a dashboard session, a refresh token and an access token
/// (from the password grant), and a personal API token.
struct Held {
    email: String,
    session: Visitor,
    refresh_token: String,
    access_token: String,
    api_token: String,
}

impl Held {
    async fn of(t: &TestApp, router: &Router, user: &Caller) -> Held {
        let email = crate::dashboard::email_of(t, user).await;
        let session = Visitor::signed_in(router, &email, PASSWORD).await;
        let grant = Call::post("/oauth2/token")
            .form(&[("grant_type", "password"), ("username", &email), ("password", PASSWORD)])
            .send(router)
            .await;
        assert_eq!(grant.status, StatusCode::OK, "{}", grant.json);
        Held {
            session,
            refresh_token: grant.json["refresh_token"].as_str().expect("refresh").to_string(),
            access_token: grant.json["access_token"].as_str().expect("access").to_string(),
            api_token: t.token_for(user).await,
            email,
        }
    }

    /// Which of them still work: (session, refresh token, access token, API token). The
    /// refresh token is used up by asking, so ask once.
    async fn still_working(&mut self, router: &Router) -> (bool, bool, bool, bool) {
        let page = self.session.get("/profile").await;
        let refreshed = Call::post("/oauth2/token")
            .form(&[("grant_type", "refresh_token"), ("refresh_token", &self.refresh_token)])
            .send(router)
            .await;
        let access = Call::get("/v1/me").bearer(&self.access_token).send(router).await;
        let api = Call::get("/v1/me").bearer(&self.api_token).send(router).await;
        (
            page.status == StatusCode::OK,
            refreshed.status == StatusCode::OK,
            access.status == StatusCode::OK,
            api.status == StatusCode::OK,
        )
    }
}

async fn password_works(router: &Router, email: &str, password: &str) -> bool {
    let answer = Call::post("/oauth2/token")
        .form(&[("grant_type", "password"), ("username", email), ("password", password)])
        .send(router)
        .await;
    answer.status == StatusCode::OK
}

#[tokio::test]
async fn an_admins_reset_ends_the_users_sessions_refresh_access_and_api_tokens() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        let agent = t.user_with_role(&partner.admin, "admin_agent").await;
        let mut held = Held::of(&t, &router, &agent).await;
        let admin_token = t.token_for(&partner.admin).await;
        let uri = format!("/v1/partners/{}/users/{}", partner.id, agent.user_id);

        // An admin cannot spare another user's API tokens; nothing changes.
        let refused = Call::new(axum::http::Method::PATCH, &uri)
            .bearer(&admin_token)
            .json(json!({"password": NEW_PASSWORD, "revokeApiTokens": false}))
            .send(&router)
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.json);
        assert_eq!(refused.json["errorName"], json!("invalid_property"));
        assert!(password_works(&router, &held.email, PASSWORD).await);

        let reset = Call::new(axum::http::Method::PATCH, &uri)
            .bearer(&admin_token)
            .json(json!({"password": NEW_PASSWORD}))
            .send(&router)
            .await;
        assert_eq!(reset.status, StatusCode::OK, "{}", reset.json);

        assert_eq!(
            held.still_working(&router).await,
            (false, false, false, false),
            "session, refresh token, access token and API token all end"
        );
        assert!(password_works(&router, &held.email, NEW_PASSWORD).await);
        assert!(!password_works(&router, &held.email, PASSWORD).await);
        // The admin's own credentials are untouched.
        let me = Call::get("/v1/me").bearer(&admin_token).send(&router).await;
        assert_eq!(me.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn changing_ones_own_password_keeps_this_session_ends_the_rest_and_api_tokens_as_chosen() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        for revoke_api_tokens in [true, false] {
            let user = t.user_with_role(&partner.admin, "sales_agent").await;
            let mut held = Held::of(&t, &router, &user).await;
            let mut here = Visitor::from_ip(&router, "198.51.100.30");
            let signed_in = here.sign_in_to(&held.email, PASSWORD, "/profile").await;
            assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
            let old_cookie = here.cookie("pd_session").expect("session").to_string();

            let profile = here.get("/profile").await;
            assert!(
                profile
                    .body
                    .contains("id=\"revoke-api-tokens\" aria-describedby=\"revoke-api-tokens-hint\" checked"),
                "the box is ticked by default"
            );
            let csrf = profile.csrf();
            let mut form = vec![
                ("_csrf", csrf.as_str()),
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ];
            if revoke_api_tokens {
                form.push(("revoke_api_tokens", "yes"));
            }
            let changed = here.post("/profile/password", &form).await;
            assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
            assert_eq!(changed.location(), "/profile");

            // This session goes on, under a new cookie, and says what ended.
            let after = here.get("/profile").await;
            assert_eq!(after.status, StatusCode::OK);
            let notice = after.notice().expect("a notice");
            assert!(notice.starts_with("Your password was changed."), "{notice}");
            assert!(notice.contains("1 other dashboard session signed out."), "{notice}");
            assert!(notice.contains("1 refresh token revoked."), "{notice}");
            if revoke_api_tokens {
                assert!(notice.contains("1 personal API token revoked."), "{notice}");
            } else {
                assert!(notice.contains("Your personal API tokens still work."), "{notice}");
            }
            assert_ne!(here.cookie("pd_session"), Some(old_cookie.as_str()));
            let mut copy = Visitor::new(&router);
            copy.cookies.push(("pd_session".into(), old_cookie));
            assert_eq!(
                copy.get("/profile").await.status,
                StatusCode::SEE_OTHER,
                "the old cookie is dead"
            );

            assert_eq!(
                held.still_working(&router).await,
                (false, false, false, !revoke_api_tokens),
                "other session, refresh and access tokens end; API tokens as chosen ({revoke_api_tokens})"
            );
            assert!(password_works(&router, &held.email, NEW_PASSWORD).await);
        }
    }
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        let user = t.user_with_role(&partner.admin, "sales_agent").await;
        let mut held = Held::of(&t, &router, &user).await;
        let mut here = Visitor::signed_in(&router, &held.email, PASSWORD).await;
        // Each refusal stands beside the field it is about.
        for (current, again, says, beside) in [
            (
                "not-my-password",
                NEW_PASSWORD,
                "The current password is wrong.",
                "current-password-error",
            ),
            (
                PASSWORD,
                "something-else-3",
                "The two new passwords differ.",
                "new-password-again-error",
            ),
            (
                PASSWORD,
                "short",
                "Password: use at least 8 characters",
                "new-password-error",
            ),
        ] {
            let csrf = here.get("/profile").await.csrf();
            let new = if again == "short" { "short" } else { NEW_PASSWORD };
            let page = here
                .post(
                    "/profile/password",
                    &[
                        ("_csrf", &csrf),
                        ("current_password", current),
                        ("new_password", new),
                        ("new_password_again", again),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{says}");
            let said = format!("id=\"{beside}\">{says}");
            assert!(page.body.contains(&said), "{said}: {}", page.body);
            assert!(
                !page
                    .body
                    .contains("id=\"revoke-api-tokens\" aria-describedby=\"revoke-api-tokens-hint\" checked"),
                "the box stays as it was sent (unticked)"
            );
        }
        assert_eq!(held.still_working(&router).await, (true, true, true, true));
        assert!(password_works(&router, &held.email, PASSWORD).await);
    }
}

#[tokio::test]
async fn users_changing_their_own_password_through_the_api_choose_about_api_tokens() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        let mut held = Held::of(&t, &router, &partner.admin).await;
        let uri = format!("/v1/partners/{}/users/{}", partner.id, partner.admin.user_id);

        let kept = Call::new(axum::http::Method::PATCH, &uri)
            .bearer(&held.api_token)
            .json(json!({"password": NEW_PASSWORD, "revokeApiTokens": false}))
            .send(&router)
            .await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.json);
        assert_eq!(held.still_working(&router).await, (false, false, false, true));

        // Without the flag, the API tokens go too (the one the request used included).
        let revoked = Call::new(axum::http::Method::PATCH, &uri)
            .bearer(&held.api_token)
            .json(json!({"password": PASSWORD}))
            .send(&router)
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.json);
        let me = Call::get("/v1/me").bearer(&held.api_token).send(&router).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    }
}
