//! The key part of a device's fact path read straight from the field it
//! names, without walking the device's serialization.
//!
//! [`super::target_facts`] writes a key part by serializing the device
//! once through a gatherer that follows every path; that visits each of the
//! device's some 40 fields for every device, although a fleet's checks
//! read about 45 paths. A path of one or two names has an [`Accessor`]
//! here that writes exactly the bytes the gatherer writes for it (the
//! field's value, or where and why the path stops: a field left out of the
//! JSON form, one that is no object), read from the field itself. A longer
//! path, or one below a map, has none; the gatherer then writes every path
//! of the tree. `tests` compares both byte for byte on every path of the
//! JSON form of filled and empty devices, so a field added to [`Device`]
//! without an accessor fails them.

use std::collections::BTreeMap;
use std::ops::Not;

use super::target_facts::KeyParts;
use crate::facts::Device;

/// Writes the key part of one path (its number) for a device whose
/// inventory has the given format.
pub(crate) type Accessor = fn(&Device, &str, &mut KeyParts, usize);

/// A path stops at a field the JSON form does not have (marker and depth
/// as [`KeyParts`] writes them).
const MISSING: u8 = 0xFE;

/// A path goes on below a value that is no object.
const NOT_OBJECT: u8 = 0xFD;

/// The accessor of `path`, when it has one.
pub(crate) fn accessor(path: &[String]) -> Option<Accessor> {
    match path {
        [first] => added(first, false).or_else(|| top(first, false)),
        // Below a map: left to the gatherer.
        [first, _] if first == "filled_from" => None,
        [first, second] => added(first, true)
            .or_else(|| inner(first, second))
            .or_else(|| top(first, true)),
        _ => None,
    }
}

/// The facts the JSON form of a device adds to its fields (`kind`,
/// `inventory_format`), as the gatherer's caller writes them.
fn added(name: &str, below: bool) -> Option<Accessor> {
    let accessor: Accessor = match (name, below) {
        ("kind", false) => |_, _, p, id| p.value(id, "device"),
        ("kind", true) => |_, _, p, id| p.stop(id, NOT_OBJECT, 1, Some("device")),
        ("inventory_format", false) => |_, format, p, id| p.value(id, format),
        ("inventory_format", true) => |_, format, p, id| p.stop(id, NOT_OBJECT, 1, Some(format)),
        _ => return None,
    };
    Some(accessor)
}

/// The top-level field `name` (with `below`: a path going on below it,
/// which stops at its value, no object). A name the device does not have
/// stops the path there.
fn top(name: &str, below: bool) -> Option<Accessor> {
    macro_rules! fields {
        ($($field:ident $(if $skip:path)?),* $(,)?) => {
            match name {
                $(stringify!($field) => Some(if below {
                    (|d, _, p, id| {
                        $(if $skip(&d.$field) {
                            return p.stop::<()>(id, MISSING, 0, None);
                        })?
                        p.stop(id, NOT_OBJECT, 1, Some(&d.$field))
                    }) as Accessor
                } else {
                    (|d, _, p, id| {
                        $(if $skip(&d.$field) {
                            return p.stop::<()>(id, MISSING, 0, None);
                        })?
                        p.value(id, &d.$field)
                    }) as Accessor
                }),)*
                _ => Some((|_, _, p, id| p.stop::<()>(id, MISSING, 0, None)) as Accessor),
            }
        };
    }
    fields!(
        record,
        name,
        identifiers,
        platform,
        os_version,
        os_build,
        os_rsr_suffix,
        security_patch_level,
        model,
        passcode,
        passcode_compliant,
        encryption,
        encryption_detail,
        encryption_detail_de if Option::is_none,
        encryption_contradiction if Option::is_none,
        managed,
        management_mode,
        user_enrollment,
        supervised,
        compromised,
        compromised_detail,
        ownership,
        compliance_state,
        cloud_backup,
        lost_mode,
        last_check_in,
        enrolled_at,
        patch_age_days,
        days_since_check_in,
        os_support,
        installed_messengers,
        installed_messengers_partial if Not::not,
        raw,
        policy_compliance,
        sources if Vec::is_empty,
        conflicts if Vec::is_empty,
        filled if Vec::is_empty,
        filled_from if BTreeMap::is_empty,
    )
}

/// The field `second` of the struct in the top-level field `first`
/// (`identifiers`, `os_support`, `raw`, `policy_compliance`); `None` when
/// `first` holds no struct.
fn inner(first: &str, second: &str) -> Option<Accessor> {
    macro_rules! fields {
        ($outer:ident: $($field:ident $(if $skip:path)?),* $(,)?) => {
            match second {
                $(stringify!($field) => Some((|d, _, p, id| {
                    $(if $skip(&d.$outer.$field) {
                        return p.stop::<()>(id, MISSING, 1, None);
                    })?
                    p.value(id, &d.$outer.$field)
                }) as Accessor),)*
                _ => Some((|_, _, p, id| p.stop::<()>(id, MISSING, 1, None)) as Accessor),
            }
        };
    }
    match first {
        "identifiers" => fields!(identifiers:
            device_id, device_name, user, email, serial, imei, phone, udid),
        "os_support" => fields!(os_support:
            known,
            supported,
            latest_version,
            up_to_date,
            security_updates_until,
            data_as_of,
            note,
            note_de if Option::is_none,
            latest_patch_level if Option::is_none,
            latest_patch_level_source if Option::is_none,
        ),
        "raw" => fields!(raw:
            os_version,
            security_patch_level,
            passcode,
            encryption,
            passcode_de if Option::is_none,
            encryption_de if Option::is_none,
            compromised,
            managed,
            ownership,
            last_check_in,
            cloud_backup,
        ),
        "policy_compliance" => {
            // No compliance data: `null`, no object.
            let accessor: Accessor = match second {
                "passcode" => |d, _, p, id| match &d.policy_compliance {
                    Some(c) => p.value(id, &c.passcode),
                    None => p.stop(id, NOT_OBJECT, 1, Some(&d.policy_compliance)),
                },
                "encryption" => |d, _, p, id| match &d.policy_compliance {
                    Some(c) => p.value(id, &c.encryption),
                    None => p.stop(id, NOT_OBJECT, 1, Some(&d.policy_compliance)),
                },
                _ => |d, _, p, id| match &d.policy_compliance {
                    Some(_) => p.stop::<()>(id, MISSING, 1, None),
                    None => p.stop(id, NOT_OBJECT, 1, Some(&d.policy_compliance)),
                },
            };
            Some(accessor)
        }
        _ => None,
    }
}
