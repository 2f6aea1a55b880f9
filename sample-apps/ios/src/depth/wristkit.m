/* WristKit.framework, the watch app's own framework: it bundles a crash
 * reporter (a tiny stand-in that defines the class and C entry names
 * Sentry's SDK exports, SentrySDK and SentryCrash*; it collects nothing) and
 * keeps a token in the keychain readable while the device is locked.
 * The build signs it with another team's identity than the app's. */
extern const void *kSecAttrAccessibleAlways;
extern int SecItemAdd(const void *attributes, void **result);

__attribute__((objc_root_class))
@interface SentrySDK {
    void *isa;
}
+ (int)isEnabled;
@end

@implementation SentrySDK
+ (int)isEnabled {
    return 1;
}
@end

const void *volatile wristkit_refs[1];

void SentryCrashInstall(void) {
    wristkit_refs[0] = kSecAttrAccessibleAlways;
    SecItemAdd(0, 0);
}
