//! Notable API symbols: imports of the main executable that are evidence for
//! a DSK requirement (saving to the photo library, contacts access, backup
//! exclusion, keychain protection classes, app-level authentication).

/// Symbol names (without the leading `_`; classes as their bare name) worth
/// reporting when the executable imports or defines them.
pub const NOTABLE: &[&str] = &[
    // Photos: saving into the camera roll.
    "UIImageWriteToSavedPhotosAlbum",
    "UISaveVideoAtPathToSavedPhotosAlbum",
    "PHAssetCreationRequest",
    "PHAssetChangeRequest",
    "PHPhotoLibrary",
    // Contacts / address book.
    "CNContactStore",
    "CNSaveRequest",
    "ABAddressBookCreateWithOptions",
    "ABAddressBookCopyArrayOfAllPeople",
    // App-level authentication.
    "LAContext",
    // Backup exclusion and file protection.
    "NSURLIsExcludedFromBackupKey",
    "NSFileProtectionComplete",
    "NSFileProtectionCompleteUnlessOpen",
    "NSFileProtectionCompleteUntilFirstUserAuthentication",
    "NSFileProtectionNone",
    // Keychain.
    "SecItemAdd",
    "kSecAttrAccessibleWhenUnlockedThisDeviceOnly",
    "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
    "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly",
    "kSecAttrAccessibleAlways",
    "kSecAttrAccessibleAlwaysThisDeviceOnly",
    "SecAccessControlCreateWithFlags",
    // Location.
    "CLLocationManager",
    // Clipboard and screenshots.
    "UIPasteboard",
    "UIApplicationUserDidTakeScreenshotNotification",
    "UIScreenCapturedDidChangeNotification",
];

/// The notable names present in `symbols` (sorted, unique names from the
/// symbol table without the leading `_`) or `classes` (Objective-C class
/// names), in the order of [`NOTABLE`].
pub fn notable(symbols: &[String], classes: &[String]) -> Vec<String> {
    NOTABLE
        .iter()
        .filter(|name| {
            symbols.binary_search_by(|s| s.as_str().cmp(name)).is_ok()
                || classes.binary_search_by(|s| s.as_str().cmp(name)).is_ok()
        })
        .map(|s| s.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_symbols_and_classes() {
        let symbols = vec![
            "NSURLIsExcludedFromBackupKey".to_string(),
            "main".to_string(),
        ];
        let classes = vec!["LAContext".to_string()];
        assert_eq!(
            notable(&symbols, &classes),
            ["LAContext", "NSURLIsExcludedFromBackupKey"]
        );
        assert!(notable(&[], &[]).is_empty());
    }
}
