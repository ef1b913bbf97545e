//! The hash chains of the audit log. Every audit record belongs to one chain, its owning
//! organisation's ([`chain_of`]): the partner it names, else the customer, else the acting
//! organisation, else the installation's own chain (the nil id). Records of a chain are
//! numbered from 1 (`seq`) and each carries the hash of the one before it (`prev_hash`;
//! [`GENESIS`] for the first) and its own, `SHA-256(prev_hash ‖ canonical bytes)`
//! ([`canonical_bytes`]). The chain's head (its last `seq` and hash) is kept apart, so a
//! record deleted from the end is noticed too. [`Verifier`] walks chains and names the
//! first record that does not hold.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::AuditRecord;
use crate::ids::{AuditId, OrgId};

/// The `prev_hash` of a chain's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A record's place in its chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainLink {
    pub chain_id: OrgId,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// The last record of a chain: its number and hash (`seq` 0 and [`GENESIS`] when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub chain_id: OrgId,
    pub seq: i64,
    pub hash: String,
}

impl ChainHead {
    pub fn empty(chain_id: OrgId) -> Self {
        Self {
            chain_id,
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }
}

/// The chain a record belongs to.
pub fn chain_of(record: &AuditRecord) -> OrgId {
    record
        .partner_id
        .map(|p| OrgId(p.0))
        .or(record.customer_id.map(|c| OrgId(c.0)))
        .or(record.actor_org_id)
        .unwrap_or(OrgId(Uuid::nil()))
}

/// An instant as stored (microseconds): what is hashed must read back the same.
pub fn stored_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn field(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&(v.len() as u64).to_be_bytes());
            out.extend_from_slice(v.as_bytes());
        }
    }
}

/// The bytes of a record that its hash covers: every field but the hashes themselves,
/// each as a presence byte and a length-prefixed UTF-8 text, in a fixed order.
pub fn canonical_bytes(r: &AuditRecord, chain_id: OrgId, seq: i64) -> Vec<u8> {
    let mut out = b"partnerdesk-audit-v1".to_vec();
    for value in [
        Some(r.id.to_string()),
        Some(r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Some(chain_id.to_string()),
        Some(seq.to_string()),
        r.actor_user_id.map(|v| v.to_string()),
        r.actor_org_id.map(|v| v.to_string()),
        r.actor_upn.clone(),
        r.application.clone(),
        Some(r.operation.clone()),
        Some(r.resource_type.clone()),
        Some(r.resource_id.clone()),
        r.partner_id.map(|v| v.to_string()),
        r.customer_id.map(|v| v.to_string()),
        r.customer_name.clone(),
        r.before.clone(),
        r.after.clone(),
        r.correlation_id.clone(),
        Some(r.status.clone()),
    ] {
        field(&mut out, value.as_deref());
    }
    out
}

/// `SHA-256(prev_hash ‖ canonical bytes)`, in lower-case hex.
pub fn chain_hash(prev_hash: &str, r: &AuditRecord, chain_id: OrgId, seq: i64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_bytes(r, chain_id, seq));
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Links `records` (in the order given) onto the chain whose head is `head`, moving the
/// head on. Each record's `at` is first brought to the stored precision.
pub fn link(head: &mut ChainHead, record: &mut AuditRecord) {
    record.at = stored_instant(record.at);
    let seq = head.seq + 1;
    let hash = chain_hash(&head.hash, record, head.chain_id, seq);
    record.link = Some(ChainLink {
        chain_id: head.chain_id,
        seq,
        prev_hash: head.hash.clone(),
        hash: hash.clone(),
    });
    head.seq = seq;
    head.hash = hash;
}

/// Why a chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The record's hash is not that of its contents: a field was changed.
    Altered,
    /// The record does not follow the one before it (a record is missing or out of order).
    OutOfSequence { expected_seq: i64 },
    /// The record's `prev_hash` is not the hash of the record before it.
    NotLinked,
    /// The chain ends before its head: records were deleted from its end (`record` is its
    /// last remaining record, if any).
    ShortOfHead { head_seq: i64 },
    /// Records of a chain that has no head.
    NoHead,
}

/// The first record (or chain end) that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub chain_id: OrgId,
    pub record: Option<AuditId>,
    pub why: Break,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let record = self.record.map_or_else(|| "none".to_string(), |id| id.to_string());
        let why = match &self.why {
            Break::Altered => "its contents do not match its hash".to_string(),
            Break::OutOfSequence { expected_seq } => {
                format!("out of sequence (expected number {expected_seq}): a record is missing or moved")
            }
            Break::NotLinked => "it does not carry the hash of the record before it".to_string(),
            Break::ShortOfHead { head_seq } => {
                format!("the chain ends before its head (number {head_seq}): records were deleted")
            }
            Break::NoHead => "the chain has no head".to_string(),
        };
        write!(f, "record {record} of organisation {}: {why}", self.chain_id)
    }
}

/// Walks chained records in (chain, seq) order and checks each against the one before and
/// the heads; records without a link (written before the chains) are skipped.
pub struct Verifier {
    heads: BTreeMap<OrgId, ChainHead>,
    current: Option<(OrgId, i64, String, AuditId)>,
    checked: u64,
}

impl Verifier {
    pub fn new(heads: Vec<ChainHead>) -> Self {
        Self {
            heads: heads.into_iter().map(|h| (h.chain_id, h)).collect(),
            current: None,
            checked: 0,
        }
    }

    /// How many chained records were checked.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// Checks the next record; an error is the first break.
    pub fn next(&mut self, r: &AuditRecord) -> Result<(), Broken> {
        let Some(link) = &r.link else { return Ok(()) };
        let broken = |why| Broken {
            chain_id: link.chain_id,
            record: Some(r.id),
            why,
        };
        if self.current.as_ref().is_none_or(|(chain, ..)| *chain != link.chain_id) {
            self.end_chain()?;
            if !self.heads.contains_key(&link.chain_id) {
                return Err(broken(Break::NoHead));
            }
            self.current = Some((link.chain_id, 0, GENESIS.to_string(), r.id));
        }
        let (_, seq, prev, last) = self.current.as_mut().expect("set above");
        if link.seq != *seq + 1 {
            return Err(broken(Break::OutOfSequence { expected_seq: *seq + 1 }));
        }
        if link.prev_hash != *prev {
            return Err(broken(Break::NotLinked));
        }
        if chain_hash(&link.prev_hash, r, link.chain_id, link.seq) != link.hash {
            return Err(broken(Break::Altered));
        }
        *seq = link.seq;
        *prev = link.hash.clone();
        *last = r.id;
        self.checked += 1;
        Ok(())
    }

    fn end_chain(&mut self) -> Result<(), Broken> {
        if let Some((chain, seq, hash, last)) = self.current.take() {
            let head = self.heads.remove(&chain).expect("checked when the chain began");
            if head.seq != seq || head.hash != hash {
                return Err(Broken {
                    chain_id: chain,
                    record: Some(last),
                    why: Break::ShortOfHead { head_seq: head.seq },
                });
            }
        }
        Ok(())
    }

    /// After the last record: every head must have been reached.
    pub fn finish(mut self) -> Result<u64, Broken> {
        self.end_chain()?;
        if let Some(head) = self.heads.into_values().find(|h| h.seq > 0) {
            return Err(Broken {
                chain_id: head.chain_id,
                record: None,
                why: Break::ShortOfHead { head_seq: head.seq },
            });
        }
        Ok(self.checked)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::ids::PartnerId;

    fn record(n: u128, partner: PartnerId) -> AuditRecord {
        AuditRecord {
            id: AuditId(Uuid::from_u128(n)),
            at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + chrono::Duration::nanoseconds(123_456_789),
            actor_user_id: None,
            actor_org_id: None,
            operation: "create_order".into(),
            resource_type: "order".into(),
            resource_id: format!("order {n}"),
            partner_id: Some(partner),
            customer_id: None,
            before: None,
            after: Some("{}".into()),
            customer_name: Some("Ёлка".into()),
            actor_upn: None,
            application: Some("job".into()),
            correlation_id: None,
            status: "succeeded".into(),
            link: None,
        }
    }

    fn chain(n: u128) -> (Vec<AuditRecord>, ChainHead) {
        let partner = PartnerId(Uuid::from_u128(7));
        let mut head = ChainHead::empty(OrgId(partner.0));
        let records = (1..=n)
            .map(|i| {
                let mut r = record(i, partner);
                link(&mut head, &mut r);
                r
            })
            .collect();
        (records, head)
    }

    fn check(records: &[AuditRecord], head: &ChainHead) -> Result<u64, Broken> {
        let mut v = Verifier::new(vec![head.clone()]);
        for r in records {
            v.next(r)?;
        }
        v.finish()
    }

    #[test]
    fn a_linked_chain_holds_and_its_instants_are_kept_to_the_microsecond() {
        let (records, head) = chain(4);
        assert_eq!(check(&records, &head), Ok(4));
        assert_eq!(records[0].at.timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(records[0].link.as_ref().unwrap().prev_hash, GENESIS);
        assert_eq!(head.seq, 4);
    }

    #[test]
    fn an_edit_a_gap_a_swap_and_a_short_end_are_each_named() {
        let (records, head) = chain(4);
        let mut edited = records.clone();
        edited[1].customer_name = Some("Другая".into());
        assert_eq!(check(&edited, &head).unwrap_err().why, Break::Altered);
        assert_eq!(check(&edited, &head).unwrap_err().record, Some(records[1].id));

        let mut gap = records.clone();
        gap.remove(1);
        let broken = check(&gap, &head).unwrap_err();
        assert_eq!(
            (broken.record, broken.why),
            (Some(records[2].id), Break::OutOfSequence { expected_seq: 2 })
        );

        let mut swapped = records.clone();
        swapped.swap(1, 2);
        let (s1, s2) = (
            swapped[1].link.as_ref().unwrap().seq,
            swapped[2].link.as_ref().unwrap().seq,
        );
        swapped[1].link.as_mut().unwrap().seq = s2;
        swapped[2].link.as_mut().unwrap().seq = s1;
        assert_eq!(check(&swapped, &head).unwrap_err().record, Some(records[2].id));

        let broken = check(&records[..3], &head).unwrap_err();
        assert_eq!(
            (broken.record, broken.why),
            (Some(records[2].id), Break::ShortOfHead { head_seq: 4 })
        );
        let broken = check(&[], &head).unwrap_err();
        assert_eq!((broken.record, broken.chain_id), (None, head.chain_id));
    }
}
