//! Property test: random sequences of operations, applied through the domain's rules to a
//! simple in-memory model of partners, customers, relationships and subscriptions, never
//! reach a state that breaks a rule of DESIGN.md §2.

use chrono::{DateTime, TimeZone, Utc};
use partnerdesk_domain::relationship::{DapGrant, Relationship, RelationshipState};
use partnerdesk_domain::removal::{plan_offboarding, plan_removal, RemovalContext, RemovalPlan};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::*;
use proptest::prelude::*;
use uuid::Uuid;

const PARTNERS: u8 = 2;
const CUSTOMERS: u8 = 2;

#[derive(Debug, Clone)]
enum Op {
    RequestAndAccept { p: u8, c: u8, dap: bool },
    Buy { p: u8, c: u8 },
    Suspend { sub: usize },
    Reactivate { sub: usize },
    Remove { p: u8, c: u8 },
    Offboard { p: u8, c: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    let pc = (0..PARTNERS, 0..CUSTOMERS);
    prop_oneof![
        (pc.clone(), any::<bool>()).prop_map(|((p, c), dap)| Op::RequestAndAccept { p, c, dap }),
        pc.clone().prop_map(|(p, c)| Op::Buy { p, c }),
        (0usize..12).prop_map(|sub| Op::Suspend { sub }),
        (0usize..12).prop_map(|sub| Op::Reactivate { sub }),
        pc.clone().prop_map(|(p, c)| Op::Remove { p, c }),
        pc.prop_map(|(p, c)| Op::Offboard { p, c }),
    ]
}

fn pid(p: u8) -> PartnerId {
    PartnerId(Uuid::from_u128(0x1000 + p as u128))
}
fn cid(c: u8) -> CustomerId {
    CustomerId(Uuid::from_u128(0x2000 + c as u128))
}
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

#[derive(Default)]
struct World {
    next: u128,
    relationships: Vec<Relationship>,
    subscriptions: Vec<Subscription>,
    dap: Vec<DapGrant>,
    closed_ever: Vec<RelationshipId>,
}

impl World {
    fn id(&mut self) -> Uuid {
        self.next += 1;
        Uuid::from_u128(0x9000_0000 + self.next)
    }

    fn active(&self, p: PartnerId, c: CustomerId) -> Option<usize> {
        self.relationships
            .iter()
            .position(|r| r.partner_id == p && r.customer_id == c && r.is_active())
    }

    fn apply_plan(&mut self, plan: &RemovalPlan, at: usize) {
        let now = t0();
        for s in self.subscriptions.iter_mut() {
            if plan.subscriptions_to_suspend.contains(&s.id) {
                s.suspend(now).expect("plan only suspends suspendable subscriptions");
            }
            if plan.support_assignments_to_clear.contains(&s.id) {
                s.support_partner_id = None;
            }
        }
        for d in self.dap.iter_mut() {
            if plan.dap_to_end.contains(&d.id) {
                d.ended_at = Some(now);
            }
        }
        let rel = &mut self.relationships[at];
        rel.close(UserId(Uuid::nil()), now, String::new())
            .expect("plan is for an active relationship");
        self.closed_ever.push(rel.id);
    }

    fn removal(&mut self, p: u8, c: u8, offboard: bool) {
        let Some(at) = self.active(pid(p), cid(c)) else { return };
        let ctx = RemovalContext {
            relationship: &self.relationships[at],
            subscriptions: &self.subscriptions,
            dap: &self.dap,
            gdap: &[],
        };
        let planned = if offboard {
            plan_offboarding(&ctx)
        } else {
            plan_removal(&ctx)
        };
        match planned {
            Ok(plan) => self.apply_plan(&plan, at),
            Err(DomainError::ActiveSubscriptionsExist { ids }) => {
                // Rule 3: the refusal names exactly the partner's active subscriptions.
                let mut expected: Vec<_> = self
                    .subscriptions
                    .iter()
                    .filter(|s| {
                        s.customer_id == cid(c) && s.belongs_to(pid(p)) && s.status == SubscriptionStatus::Active
                    })
                    .map(|s| s.id)
                    .collect();
                expected.sort();
                assert_eq!(ids, expected);
                assert!(!offboard, "offboarding never refuses for active subscriptions");
            }
            Err(other) => panic!("unexpected refusal {other:?}"),
        }
    }

    fn step(&mut self, op: &Op) {
        let now = t0();
        match *op {
            Op::RequestAndAccept { p, c, dap } => {
                let mut req = RelationshipRequest {
                    id: RequestId(self.id()),
                    partner_id: pid(p),
                    include_dap: dap,
                    state: RequestState::Pending,
                    created_at: now,
                    created_by: UserId(Uuid::nil()),
                    expires_at: now + chrono::Duration::days(90),
                    customer_id: None,
                    answered_at: None,
                    answered_by: None,
                    version: 1,
                };
                req.accept(cid(c), UserId(Uuid::nil()), now)
                    .expect("a fresh request can be accepted");
                if self.active(pid(p), cid(c)).is_some() {
                    return; // relationship_already_active: nothing opens
                }
                let id = RelationshipId(self.id());
                self.relationships.push(Relationship {
                    id,
                    partner_id: pid(p),
                    customer_id: cid(c),
                    state: RelationshipState::Active,
                    dap_consented: dap,
                    created_at: now,
                    created_by: None,
                    closed_at: None,
                    closed_by: None,
                    close_reason: None,
                    version: 1,
                });
                if dap {
                    let id = DapId(self.id());
                    self.dap.push(DapGrant {
                        id,
                        partner_id: pid(p),
                        customer_id: cid(c),
                        granted_at: now,
                        ended_at: None,
                        ended_by: None,
                    });
                }
            }
            Op::Buy { p, c } => {
                if self.active(pid(p), cid(c)).is_none() {
                    return; // no_active_relationship
                }
                let id = SubscriptionId(self.id());
                self.subscriptions.push(Subscription {
                    id,
                    customer_id: cid(c),
                    partner_id: pid(p),
                    reseller_id: None,
                    offer_id: OfferId(Uuid::nil()),
                    order_id: OrderId(Uuid::nil()),
                    friendly_name: "seats".into(),
                    quantity: 1,
                    status: SubscriptionStatus::Active,
                    auto_renew: true,
                    support_partner_id: Some(pid(p)),
                    effective_start: now,
                    commitment_end: now,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
            Op::Suspend { sub } | Op::Reactivate { sub } => {
                let Some(s) = self.subscriptions.get(sub).cloned() else {
                    return;
                };
                if self.active(s.partner_id, s.customer_id).is_none() {
                    return; // the right to change it went with the relationship
                }
                let s = &mut self.subscriptions[sub];
                let _ = if matches!(op, Op::Suspend { .. }) {
                    s.suspend(now)
                } else {
                    s.reactivate(now)
                };
            }
            Op::Remove { p, c } => self.removal(p, c, false),
            Op::Offboard { p, c } => self.removal(p, c, true),
        }
    }

    fn check(&self) {
        for p in 0..PARTNERS {
            for c in 0..CUSTOMERS {
                let active = self
                    .relationships
                    .iter()
                    .filter(|r| r.partner_id == pid(p) && r.customer_id == cid(c) && r.is_active())
                    .count();
                assert!(active <= 1, "at most one active relationship per pair");
                if active == 0 {
                    for s in self
                        .subscriptions
                        .iter()
                        .filter(|s| s.customer_id == cid(c) && s.belongs_to(pid(p)))
                    {
                        assert_ne!(
                            s.status,
                            SubscriptionStatus::Active,
                            "rule 3: no active subscription without an active relationship"
                        );
                        assert_ne!(
                            s.support_partner_id,
                            Some(pid(p)),
                            "rule 4: no support assignment without a relationship"
                        );
                    }
                    for d in self
                        .dap
                        .iter()
                        .filter(|d| d.partner_id == pid(p) && d.customer_id == cid(c))
                    {
                        assert!(d.ended_at.is_some(), "rule 4: no DAP without a relationship");
                    }
                }
            }
        }
        for id in &self.closed_ever {
            let r = self
                .relationships
                .iter()
                .find(|r| r.id == *id)
                .expect("rule 5: closed relationships are never deleted");
            assert_eq!(
                r.state,
                RelationshipState::Closed,
                "rule 6: a closed relationship never reopens"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_sequence_of_operations_breaks_a_rule_of_the_relationship(ops in proptest::collection::vec(op(), 1..60)) {
        let mut world = World::default();
        let mut subscriptions_seen = 0;
        for op in &ops {
            world.step(op);
            world.check();
            prop_assert!(world.subscriptions.len() >= subscriptions_seen, "rule 4: nothing is deleted");
            subscriptions_seen = world.subscriptions.len();
        }
    }
}
