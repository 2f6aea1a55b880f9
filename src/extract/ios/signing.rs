//! The code signature of every binary of the bundle as facts
//! (`ios.code.binaries[].signature`), and the evidence that the bundle was
//! changed after signing: a nested binary that is unsigned, or signed by
//! another team, while the main executable is signed.

use plist::Dictionary;

use super::codesign::{read_code_signature, CodeSignature};
use super::entitlements::read_as_platform;
use super::macho::MachoInfo;
use crate::extract::problems::{Classify, Problems};
use crate::facts::{IosBinarySignature, IosCdHash, IosCode, IosSignatureEntitlements, UnreadKind};
use crate::limits::Limits;

/// [`IosBinarySignature::state`] of a binary with a readable signature.
pub const SIGNED: &str = "signed";
/// [`IosBinarySignature::state`] of a binary without `LC_CODE_SIGNATURE`.
pub const UNSIGNED: &str = "unsigned";
/// [`IosBinarySignature::state`] of a binary whose signature is unreadable.
pub const UNREADABLE: &str = "unreadable";

/// A binary's signature as read: the facts and the entitlements the
/// platform enforces (DER blob when present, else XML).
#[derive(Debug, Clone, Default)]
pub struct SignatureRead {
    /// The facts (without the team comparison, which needs every binary).
    pub facts: IosBinarySignature,
    /// The entitlements as the platform reads them.
    pub entitlements: Option<Dictionary>,
}

/// Reads the code signature `m` points at in `bytes` (the binary `entry`).
/// A signature that cannot be read, or lies outside the file, goes to
/// `problems` (state `unreadable`); DER and XML entitlements that disagree
/// make `entry` an unread entry of kind tampering.
pub fn read_signature(
    bytes: &[u8],
    m: &MachoInfo,
    entry: &str,
    limits: &Limits,
    problems: &mut Problems,
) -> SignatureRead {
    let Some((off, len)) = m.code_signature else {
        return SignatureRead {
            facts: IosBinarySignature {
                state: UNSIGNED.into(),
                ..IosBinarySignature::default()
            },
            entitlements: None,
        };
    };
    let sig = off
        .checked_add(len)
        .and_then(|end| bytes.get(off..end.min(bytes.len())));
    match sig.map(|s| read_code_signature(s, limits)) {
        Some(Ok(cs)) => signed(cs, entry, problems),
        Some(Err(e)) => {
            problems.unread_as(entry, e.unread_kind(), format!("code signature: {e}"));
            unreadable()
        }
        None => {
            problems.unread_as(
                entry,
                UnreadKind::Damage,
                format!("code signature offset {off} lies outside the file"),
            );
            unreadable()
        }
    }
}

fn unreadable() -> SignatureRead {
    SignatureRead {
        facts: IosBinarySignature {
            state: UNREADABLE.into(),
            ..IosBinarySignature::default()
        },
        entitlements: None,
    }
}

fn signed(cs: CodeSignature, entry: &str, problems: &mut Problems) -> SignatureRead {
    let primary = cs.code_directories.first();
    let code_directories = cs
        .code_directories
        .iter()
        .map(|cd| IosCdHash {
            hash_type: cd.hash_name(),
            cd_hash: cd.cd_hash.clone(),
        })
        .collect();
    let mut facts = IosBinarySignature {
        state: SIGNED.into(),
        identifier: primary.map(|cd| cd.identifier.clone()),
        team_id: primary.and_then(|cd| cd.team_id.clone()),
        flags: primary.map(|cd| cd.flag_names()).unwrap_or_default(),
        cms: cs.cms,
        code_directories,
        entitlements: None,
        same_team_as_main: None,
    };
    let (entitlements, der) =
        read_as_platform(cs.entitlements, cs.der_entitlements, entry, problems);
    if let Some(e) = &entitlements {
        facts.entitlements = Some(IosSignatureEntitlements {
            keys: e.keys().cloned().collect(),
            der,
        });
    }
    SignatureRead {
        facts,
        entitlements,
    }
}

/// Compares every nested binary's signature with the main executable's
/// (`code.binaries[0]` with role `main`) and records the evidence: when the
/// main executable is signed, a nested binary without a signature, or signed
/// with another team id (or with one where the main has none, or none where
/// the main has one), makes that binary an unread entry of kind tampering —
/// iOS loads no such code in a signed app, so the bundle was changed after
/// signing. Without a readable main signature nothing is decided.
pub fn compare_with_main(code: &mut IosCode, problems: &mut Problems) {
    let Some((main, nested)) = code.binaries.split_first_mut() else {
        return;
    };
    let main_sig = match (&main.role[..], &main.signature) {
        (super::binaries::ROLE_MAIN, Some(s)) if s.state == SIGNED => s,
        _ => return,
    };
    let main_team = main_sig.team_id.clone();
    let main_team_text = main_team.as_deref().unwrap_or("none (ad hoc)");
    for b in nested {
        let Some(sig) = &mut b.signature else {
            continue;
        };
        match sig.state.as_str() {
            UNSIGNED => problems.unread_as(
                &b.path,
                UnreadKind::Tampering,
                "code signature: none, while the main executable is signed (iOS loads no unsigned code in a signed app: the bundle was changed after signing)",
            ),
            SIGNED => {
                let same = sig.team_id == main_team;
                sig.same_team_as_main = Some(same);
                if !same {
                    problems.unread_as(
                        &b.path,
                        UnreadKind::Tampering,
                        format!(
                            "code signature: team id {} differs from the main executable's team id {main_team_text} (iOS loads only code of the app's own team: the bundle was changed or put together after signing)",
                            sig.team_id.as_deref().unwrap_or("none (ad hoc)")
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::IosBinaryCode;

    fn binary(path: &str, role: &str, state: &str, team: Option<&str>) -> IosBinaryCode {
        IosBinaryCode {
            path: path.into(),
            role: role.into(),
            signature: Some(IosBinarySignature {
                state: state.into(),
                team_id: team.map(str::to_string),
                ..IosBinarySignature::default()
            }),
            ..IosBinaryCode::default()
        }
    }

    #[test]
    fn unsigned_and_other_team_nested_binaries_are_tampering() {
        let mut code = IosCode {
            binaries: vec![
                binary("A/A", "main", SIGNED, Some("TEAM1")),
                binary("A/F", "framework", SIGNED, Some("TEAM1")),
                binary("A/G", "framework", SIGNED, Some("TEAM2")),
                binary("A/H", "watch_framework", UNSIGNED, None),
                binary("A/I", "dylib", SIGNED, None),
                binary("A/J", "extension", UNREADABLE, None),
            ],
            ..IosCode::default()
        };
        let mut problems = Problems::default();
        compare_with_main(&mut code, &mut problems);
        let flagged: Vec<_> = problems
            .unread
            .iter()
            .map(|u| (u.entry.as_str(), u.kind))
            .collect();
        assert_eq!(
            flagged,
            [
                ("A/G", UnreadKind::Tampering),
                ("A/H", UnreadKind::Tampering),
                ("A/I", UnreadKind::Tampering)
            ]
        );
        assert!(problems.unread[0].reason.contains("TEAM2"));
        assert!(problems.unread[0].reason.contains("TEAM1"));
        let same: Vec<_> = code
            .binaries
            .iter()
            .map(|b| b.signature.as_ref().unwrap().same_team_as_main)
            .collect();
        assert_eq!(
            same,
            [None, Some(true), Some(false), None, Some(false), None]
        );
    }

    #[test]
    fn nothing_is_decided_without_a_signed_main_executable() {
        for state in [UNSIGNED, UNREADABLE] {
            let mut code = IosCode {
                binaries: vec![
                    binary("A/A", "main", state, None),
                    binary("A/F", "framework", UNSIGNED, None),
                    binary("A/G", "framework", SIGNED, Some("T")),
                ],
                ..IosCode::default()
            };
            let mut problems = Problems::default();
            compare_with_main(&mut code, &mut problems);
            assert!(problems.unread.is_empty(), "{state}");
            assert_eq!(
                code.binaries[2]
                    .signature
                    .as_ref()
                    .unwrap()
                    .same_team_as_main,
                None
            );
        }
        // Ad-hoc main and ad-hoc nested binaries: the same (no) team.
        let mut code = IosCode {
            binaries: vec![
                binary("A/A", "main", SIGNED, None),
                binary("A/F", "framework", SIGNED, None),
            ],
            ..IosCode::default()
        };
        let mut problems = Problems::default();
        compare_with_main(&mut code, &mut problems);
        assert!(problems.unread.is_empty());
        assert_eq!(
            code.binaries[1]
                .signature
                .as_ref()
                .unwrap()
                .same_team_as_main,
            Some(true)
        );
    }
}
