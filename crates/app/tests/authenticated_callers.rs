//! The authenticated callers a node remembers: a bearer token that authenticated is
//! answered from memory afterwards, and no change that the database would refuse it for
//! (a password changed, a user deleted, a personal token revoked, the token's end) or that
//! changes who it is (roles, language) is ever missed — on every backend, and across two
//! nodes sharing one PostgreSQL database.

use chrono::Duration;
use partnerdesk_app::users::{OwnPasswordChange, UserPatch};
use partnerdesk_app::{App, AppError, Caller, SignInClient};
use partnerdesk_domain::audit::Application;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{backends, db, until_trusted, PartnerActor, TestApp, PASSWORD};

/// A partner user with an access token and a personal API token.
struct Signed {
    user: Caller,
    access: String,
    personal: String,
}

async fn signed_in(t: &TestApp, partner: &PartnerActor) -> Signed {
    let user = t.user_with_role(&partner.admin, "admin_agent").await;
    let personal = t.token_for(&user).await;
    let email = t.app.me(&user).await.expect("me").email;
    let access = t
        .app
        .grant_password(&SignInClient::unknown(), email.as_str(), PASSWORD)
        .await
        .expect("password grant")
        .access_token;
    Signed { user, access, personal }
}

/// The caller authentication gives, less the way it came in (`oauth` or the personal
/// token's name), so that it compares with the caller the test signed in.
fn who(r: Result<Caller, AppError>) -> Result<Caller, AppError> {
    r.map(|c| c.via(Application::Cli))
}

/// Authenticates both tokens on every reader, twice, so that each reader remembers them.
async fn remember(readers: &[&App], s: &Signed, what: &str) {
    for (n, reader) in readers.iter().enumerate() {
        for token in [&s.access, &s.personal] {
            for _ in 0..2 {
                assert_eq!(
                    who(reader.authenticate(token).await),
                    Ok(s.user.clone()),
                    "{what}: node {n} authenticates"
                );
            }
        }
        assert!(reader.access_cache().callers_len() > 0, "{what}: node {n} remembers");
    }
}

fn refused(outcome: Result<Caller, AppError>, what: &str) {
    assert!(
        matches!(outcome, Err(AppError::Unauthenticated(_))),
        "{what}: refused, got {outcome:?}"
    );
}

/// Each kind of change made through `t.app`, then every reader asked right after it
/// returned.
async fn every_kind_of_change(t: &TestApp, readers: &[&App], label: &str) {
    let partner = t.partner(PartnerType::Direct).await;
    let admin = &partner.admin;

    // Roles changed: the caller has its new roles at once.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    let patch = UserPatch {
        roles: Some(vec!["sales_agent".into()]),
        ..UserPatch::default()
    };
    t.app
        .update_user(admin, admin.org_id, s.user.user_id, patch, None)
        .await
        .expect("change roles");
    for (n, reader) in readers.iter().enumerate() {
        for token in [&s.access, &s.personal] {
            let caller = reader.authenticate(token).await.expect("still signed in");
            let roles: Vec<&str> = caller.roles.iter().map(|r| r.as_str()).collect();
            assert_eq!(roles, ["sales_agent"], "{label}: node {n} sees the new roles");
        }
    }

    // Language changed: the caller speaks it at once.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    t.app.set_my_locale(&s.user, "ru-RU").await.expect("set locale");
    for (n, reader) in readers.iter().enumerate() {
        for token in [&s.access, &s.personal] {
            let caller = reader.authenticate(token).await.expect("still signed in");
            assert_eq!(caller.locale, "ru-RU", "{label}: node {n} sees the new language");
        }
    }

    // A password reset by an admin: the access token (old credential version) and the
    // personal token (revoked with it) stop at once.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    let patch = UserPatch {
        password: Some("another long password 1".into()),
        ..UserPatch::default()
    };
    t.app
        .update_user(admin, admin.org_id, s.user.user_id, patch, None)
        .await
        .expect("reset password");
    for (n, reader) in readers.iter().enumerate() {
        for token in [&s.access, &s.personal] {
            refused(
                reader.authenticate(token).await,
                &format!("{label}: node {n} after a reset"),
            );
        }
    }

    // The user's own new password, keeping personal tokens: the access token stops, the
    // personal token goes on.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    let change = OwnPasswordChange {
        current_password: PASSWORD.into(),
        new_password: "another long password 2".into(),
        revoke_api_tokens: false,
    };
    t.app
        .change_my_password(&s.user, &SignInClient::unknown(), change, false)
        .await
        .expect("change own password");
    for (n, reader) in readers.iter().enumerate() {
        let what = format!("{label}: node {n} after the user's new password");
        refused(reader.authenticate(&s.access).await, &what);
        assert_eq!(
            who(reader.authenticate(&s.personal).await),
            Ok(s.user.clone()),
            "{what}"
        );
    }

    // A personal token revoked: it stops at once; the access token goes on.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    let id = t
        .app
        .list_api_tokens(&s.user)
        .await
        .expect("tokens")
        .first()
        .expect("one token")
        .id;
    t.app.revoke_api_token(&s.user, id).await.expect("revoke");
    for (n, reader) in readers.iter().enumerate() {
        let what = format!("{label}: node {n} after the revocation");
        refused(reader.authenticate(&s.personal).await, &what);
        assert_eq!(who(reader.authenticate(&s.access).await), Ok(s.user.clone()), "{what}");
    }

    // The user deleted: both stop at once.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    t.app
        .delete_user(admin, admin.org_id, s.user.user_id)
        .await
        .expect("delete user");
    for (n, reader) in readers.iter().enumerate() {
        for token in [&s.access, &s.personal] {
            refused(
                reader.authenticate(token).await,
                &format!("{label}: node {n} after deletion"),
            );
        }
    }

    // Another user's change leaves this one remembered and signed in.
    let s = signed_in(t, &partner).await;
    remember(readers, &s, label).await;
    let other = signed_in(t, &partner).await;
    t.app
        .delete_user(admin, admin.org_id, other.user.user_id)
        .await
        .expect("delete the other user");
    for reader in readers {
        assert_eq!(who(reader.authenticate(&s.access).await), Ok(s.user.clone()), "{label}");
    }
}

#[tokio::test]
async fn no_change_to_a_user_or_its_tokens_is_missed_by_a_remembered_token() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        if b == "postgres" {
            t.app.authenticate("warm-up").await.ok();
            until_trusted(&[&t.app]).await;
        }
        every_kind_of_change(&t, &[&t.app], b).await;
    }
}

#[tokio::test]
async fn a_remembered_token_stops_at_its_end() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let s = signed_in(&t, &partner).await;
        let expiring = t
            .app
            .create_expiring_api_token(&s.user, "a day", Some(1))
            .await
            .expect("expiring token")
            .secret;
        for _ in 0..2 {
            assert_eq!(who(t.app.authenticate(&s.access).await), Ok(s.user.clone()), "{b}");
            assert_eq!(who(t.app.authenticate(&expiring).await), Ok(s.user.clone()), "{b}");
        }
        // An access token lives an hour.
        t.clock.advance(Duration::minutes(59));
        assert!(t.app.authenticate(&s.access).await.is_ok(), "{b}: before its end");
        t.clock.advance(Duration::minutes(1));
        refused(
            t.app.authenticate(&s.access).await,
            &format!("{b}: access token at its end"),
        );
        assert!(t.app.authenticate(&expiring).await.is_ok(), "{b}: the day is not over");
        t.clock.advance(Duration::days(1));
        refused(
            t.app.authenticate(&expiring).await,
            &format!("{b}: personal token at its end"),
        );
        assert!(
            t.app.authenticate(&s.personal).await.is_ok(),
            "{b}: a token without an end"
        );
    }
}

#[tokio::test]
async fn a_remembered_personal_token_still_notes_its_use_every_five_minutes() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let s = signed_in(&t, &partner).await;
        let last_used = || async { t.app.list_api_tokens(&s.user).await.expect("tokens")[0].last_used_at };
        assert_eq!(last_used().await, None, "{b}: never used");
        let first = t.app.now();
        t.app.authenticate(&s.personal).await.expect("first use");
        assert_eq!(last_used().await, Some(first), "{b}: the first use is noted");
        t.clock.advance(Duration::minutes(4));
        t.app.authenticate(&s.personal).await.expect("from memory");
        assert_eq!(
            last_used().await,
            Some(first),
            "{b}: not noted again within five minutes"
        );
        t.clock.advance(Duration::minutes(1));
        let later = t.app.now();
        t.app.authenticate(&s.personal).await.expect("from memory");
        assert_eq!(last_used().await, Some(later), "{b}: noted again after five minutes");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_node_never_authenticates_a_token_after_a_change_commits() {
    let Some(pg) = db::postgres().await else { return };
    let t = TestApp::on(pg).await;
    let b = t.second_node().await;
    // Start both listeners.
    t.app.authenticate("warm-up").await.ok();
    b.authenticate("warm-up").await.ok();
    until_trusted(&[&t.app, &b]).await;
    every_kind_of_change(&t, &[&t.app, &b], "two nodes").await;

    // Kill B's listening connection: B stops trusting memory at once and reads the
    // database, so a deletion it cannot hear is not missed.
    let partner = t.partner(PartnerType::Direct).await;
    let s = signed_in(&t, &partner).await;
    remember(&[&b], &s, "before the listener drops").await;
    let pid = b.access_listener_pid().expect("B listens");
    t.db.store
        .access_signals()
        .expect("postgres")
        .terminate_backend(pid)
        .await
        .expect("terminate B's listener");
    t.app
        .delete_user(&partner.admin, partner.admin.org_id, s.user.user_id)
        .await
        .expect("delete while B cannot hear");
    for token in [&s.access, &s.personal] {
        refused(b.authenticate(token).await, "B while deaf");
    }
    until_trusted(&[&b]).await;
    assert_ne!(b.access_listener_pid(), Some(pid), "B listens on a new connection");
    for token in [&s.access, &s.personal] {
        refused(b.authenticate(token).await, "B after the resync");
    }
}
