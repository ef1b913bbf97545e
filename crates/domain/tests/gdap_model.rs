//! Property test: random sequences of GDAP actions and clock moves, applied both to the
//! domain's `GdapRelationship` and to a small model of the status machine written out
//! independently here. Every action, legal or not, must agree with the model: the same
//! refusal or success, the same status, and the same dates.

use chrono::{DateTime, Duration, TimeZone, Utc};
use partnerdesk_domain::gdap::{
    AutoExtend, GdapChanges, GdapDraft, GdapDue, GdapDuration, GdapRelationship, GdapStatus, GLOBAL_ADMINISTRATOR_ROLE,
};
use partnerdesk_domain::*;
use proptest::prelude::*;
use uuid::Uuid;

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

#[derive(Debug, Clone)]
enum Act {
    Lock,
    Approve {
        customer: u8,
    },
    Reject {
        customer: u8,
    },
    Terminate,
    /// Rule 4: removal ends whatever is not ended yet.
    Remove,
    ExpireRequest,
    Expire,
    Extend,
    Warn,
    SetRoles {
        none: bool,
        global_admin: bool,
    },
    SetAutoExtend(bool),
    Rename,
    Advance {
        days: i64,
    },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        Just(Act::Lock),
        (0u8..2).prop_map(|customer| Act::Approve { customer }),
        (0u8..2).prop_map(|customer| Act::Reject { customer }),
        Just(Act::Terminate),
        Just(Act::Remove),
        Just(Act::ExpireRequest),
        Just(Act::Expire),
        Just(Act::Extend),
        Just(Act::Warn),
        (any::<bool>(), any::<bool>()).prop_map(|(none, global_admin)| Act::SetRoles { none, global_admin }),
        any::<bool>().prop_map(Act::SetAutoExtend),
        Just(Act::Rename),
        prop_oneof![1i64..5, 25i64..40, 85i64..95, 170i64..200, 700i64..1500].prop_map(|days| Act::Advance { days }),
    ]
}

fn cid(c: u8) -> CustomerId {
    CustomerId(Uuid::from_u128(0x2000 + c as u128))
}
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

/// The model: what the status machine should be, as plainly as it can be said.
#[derive(Debug, Clone, PartialEq)]
enum M {
    Created,
    Pending { locked: DateTime<Utc> },
    InForce { ends: DateTime<Utc>, warned: bool },
    Expired { at: DateTime<Utc> },
    Terminated { at: DateTime<Utc> },
}

#[derive(Debug, Clone)]
struct Model {
    m: M,
    roles: usize,
    global_admin: bool,
    auto: bool,
    customer: Option<u8>,
    duration: i64,
}

impl Model {
    fn extends(&self) -> bool {
        self.auto && !self.global_admin
    }
}

fn roles(none: bool, ga: bool) -> Vec<String> {
    let mut r = Vec::new();
    if !none {
        r.push(HELPDESK.to_string());
    }
    if ga {
        r.push(GLOBAL_ADMINISTRATOR_ROLE.to_string());
    }
    r
}

/// The model's answer for `a` at `now`: `Ok` with the next model, or the refusal's code.
fn model_step(s: &Model, a: &Act, now: DateTime<Utc>) -> Result<Model, &'static str> {
    let mut n = s.clone();
    match (a, &s.m) {
        (Act::Lock, M::Created) if s.roles == 0 => return Err("gdap_roles_required"),
        (Act::Lock, M::Created) => n.m = M::Pending { locked: now },
        (Act::Approve { customer }, M::Pending { locked }) => {
            if s.customer.is_some_and(|c| c != *customer) {
                return Err("gdap_customer_mismatch");
            }
            if now >= *locked + Duration::days(90) {
                return Err("gdap_approval_expired");
            }
            n.customer = Some(*customer);
            n.m = M::InForce {
                ends: now + Duration::days(s.duration),
                warned: false,
            };
        }
        (Act::Reject { customer }, M::Pending { .. }) => {
            if s.customer.is_some_and(|c| c != *customer) {
                return Err("gdap_customer_mismatch");
            }
            n.m = M::Terminated { at: now };
        }
        (Act::Terminate, M::Pending { .. } | M::InForce { .. }) => n.m = M::Terminated { at: now },
        (Act::Remove, M::Created | M::Pending { .. } | M::InForce { .. }) => n.m = M::Terminated { at: now },
        (Act::Remove, _) => {}
        (Act::ExpireRequest, M::Pending { locked }) if now >= *locked + Duration::days(90) => {
            n.m = M::Expired {
                at: *locked + Duration::days(90),
            }
        }
        (Act::Expire, M::InForce { ends, .. }) if now >= *ends && !s.extends() => n.m = M::Expired { at: *ends },
        (Act::Extend, M::InForce { ends, .. }) if now >= *ends && s.extends() => {
            let mut e = *ends;
            while e <= now {
                e += Duration::days(180);
            }
            n.m = M::InForce { ends: e, warned: false };
        }
        (Act::Warn, M::InForce { ends, warned: false })
            if now < *ends && *ends - now <= Duration::days(30) && !s.extends() =>
        {
            n.m = M::InForce {
                ends: *ends,
                warned: true,
            }
        }
        (Act::SetRoles { none, global_admin }, M::Created | M::InForce { .. }) => {
            if *none && !*global_admin && matches!(s.m, M::InForce { .. }) {
                return Err("gdap_roles_required");
            }
            n.roles = roles(*none, *global_admin).len();
            n.global_admin = *global_admin;
            if n.auto && n.global_admin {
                return Err("gdap_auto_extend_not_allowed");
            }
            if let M::InForce { ends, warned: true } = n.m {
                if n.extends() {
                    n.m = M::InForce { ends, warned: false };
                }
            }
        }
        (Act::SetAutoExtend(auto), M::Created | M::InForce { .. }) => {
            if *auto && s.global_admin {
                return Err("gdap_auto_extend_not_allowed");
            }
            n.auto = *auto;
            if let M::InForce { ends, warned: true } = n.m {
                if n.extends() {
                    n.m = M::InForce { ends, warned: false };
                }
            }
        }
        (Act::Rename, M::Created) => {}
        (Act::SetRoles { .. } | Act::SetAutoExtend(_) | Act::Rename, _) => return Err("gdap_property_not_editable"),
        (Act::Advance { .. }, _) => {}
        _ => return Err("invalid_transition"),
    }
    Ok(n)
}

fn real_step(g: &mut GdapRelationship, a: &Act, now: DateTime<Utc>) -> Result<(), DomainError> {
    match a {
        Act::Lock => g.lock_for_approval(now),
        Act::Approve { customer } => g.approve(cid(*customer), "Contoso", now),
        Act::Reject { customer } => g.reject(cid(*customer), now),
        Act::Terminate => g.terminate(now),
        Act::Remove => {
            let was_final = g.status.is_final();
            if g.terminate_for_removal(now) == was_final {
                return Err(DomainError::InvalidProperty {
                    property: "status",
                    reason: "terminate_for_removal reported the wrong outcome".into(),
                });
            }
            Ok(())
        }
        Act::ExpireRequest => g.expire_request(now),
        Act::Expire => g.expire(now),
        Act::Extend => g.extend(now).map(drop),
        Act::Warn => g.warn_expiring(now),
        Act::SetRoles { none, global_admin } => g
            .apply(
                GdapChanges {
                    roles: Some(roles(*none, *global_admin)),
                    ..GdapChanges::default()
                },
                now,
            )
            .map(drop),
        Act::SetAutoExtend(auto) => g
            .apply(
                GdapChanges {
                    auto_extend: Some(if *auto { AutoExtend::By180Days } else { AutoExtend::None }),
                    ..GdapChanges::default()
                },
                now,
            )
            .map(drop),
        Act::Rename => g
            .apply(
                GdapChanges {
                    display_name: Some("Renamed".into()),
                    ..GdapChanges::default()
                },
                now,
            )
            .map(drop),
        Act::Advance { .. } => Ok(()),
    }
}

fn agrees(g: &GdapRelationship, s: &Model) -> Result<(), String> {
    let ok = match &s.m {
        M::Created => g.status == GdapStatus::Created && g.locked_at.is_none(),
        M::Pending { locked } => g.status == GdapStatus::ApprovalPending && g.locked_at == Some(*locked),
        M::InForce { ends, warned } => {
            let status = if *warned {
                GdapStatus::Expiring
            } else {
                GdapStatus::Active
            };
            g.status == status && g.ends_at == Some(*ends) && g.expiry_warned_at.is_some() == *warned
        }
        M::Expired { at } => g.status == GdapStatus::Expired && g.ended_at == Some(*at),
        M::Terminated { at } => g.status == GdapStatus::Terminated && g.ended_at == Some(*at),
    };
    let roles_ok = g.roles.len() == s.roles && g.auto_extend_days == if s.auto { 180 } else { 0 };
    let customer_ok = g.customer_id == s.customer.map(cid);
    if ok && roles_ok && customer_ok {
        Ok(())
    } else {
        Err(format!("domain {g:?}\nmodel {s:?}"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_status_machine_agrees_with_its_model(
        named in proptest::option::of(0u8..2),
        duration in prop_oneof![Just(1i64), Just(30), Just(90), Just(730)],
        auto in any::<bool>(),
        no_roles in any::<bool>(),
        acts in proptest::collection::vec(act(), 1..40),
    ) {
        let mut now = t0();
        let draft = GdapDraft {
            display_name: "Helpdesk".into(),
            duration: GdapDuration::from_days(duration).ok_or_else(|| TestCaseError::fail("duration"))?,
            roles: roles(no_roles, false),
            customer: named.map(cid),
            auto_extend: if auto { AutoExtend::By180Days } else { AutoExtend::None },
        };
        let mut g = GdapRelationship::create(GdapId(Uuid::from_u128(1)), PartnerId(Uuid::from_u128(2)), draft, now)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut model = Model {
            m: M::Created,
            roles: usize::from(!no_roles),
            global_admin: false,
            auto,
            customer: named,
            duration,
        };
        prop_assert_eq!(agrees(&g, &model), Ok(()));
        for a in &acts {
            if let Act::Advance { days } = a {
                now += Duration::days(*days);
            }
            let before = g.clone();
            let expected = model_step(&model, a, now);
            let got = real_step(&mut g, a, now);
            match (&expected, &got) {
                (Ok(next), Ok(())) => model = next.clone(),
                (Err(code), Err(e)) => {
                    prop_assert_eq!(*code, e.code(), "{:?} at {}", a, now);
                    prop_assert_eq!(&g, &before, "a refused {:?} changed nothing", a);
                }
                _ => prop_assert!(false, "{:?} at {}: model {:?}, domain {:?}", a, now, expected, got),
            }
            prop_assert_eq!(agrees(&g, &model), Ok(()), "after {:?}", a);
            // `due` names exactly the job's action that the model allows now.
            let due = g.due(now);
            for (job, d) in [
                (Act::ExpireRequest, GdapDue::ExpireRequest),
                (Act::Expire, GdapDue::Expire),
                (Act::Extend, GdapDue::Extend),
                (Act::Warn, GdapDue::Warn),
            ] {
                prop_assert_eq!(model_step(&model, &job, now).is_ok(), due == Some(d), "{:?} due at {}", d, now);
            }
            // Nothing ended grants anything; what grants is in force and before its end.
            if g.grants_at(now) {
                let in_force = matches!(model.m, M::InForce { ends, .. } if now < ends);
                prop_assert!(in_force, "grants at {} while the model says {:?}", now, model.m);
            }
        }
    }
}
