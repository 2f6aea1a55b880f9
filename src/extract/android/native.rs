//! Native libraries (`lib/<abi>/*.so`) via goblin: names, ABIs, hardening.

use crate::archive::Archive;
use crate::facts::NativeLib;

/// Lists and inspects every `lib/<abi>/*.so` of `archive`. `name_prefix` is
/// put before each path (the split APK's name in split sets, else empty).
/// An unparsable library is listed with its `error` set.
pub fn read_native_libs(archive: &Archive<'_>, name_prefix: &str) -> Vec<NativeLib> {
    let _ = (archive, name_prefix);
    Vec::new()
}
