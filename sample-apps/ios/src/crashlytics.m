/* A tiny stand-in for FirebaseCrashlytics.framework, built from source for
 * the sample app: it defines the class and C entry point names the real SDK
 * exports (FIRCrashlytics, FIRCLS*), nothing more. It collects nothing. */
__attribute__((objc_root_class))
@interface FIRCrashlytics {
    void *isa;
}
+ (int)isCrashlyticsCollectionEnabled;
@end

@implementation FIRCrashlytics
+ (int)isCrashlyticsCollectionEnabled {
    return 1; /* the real SDK's default when the Info.plist key is absent */
}
@end

void FIRCLSStartCollection(void) {}
