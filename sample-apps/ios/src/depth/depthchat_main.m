/* DepthChat main executable: an app lock with LocalAuthentication and
 * keychain items bound to biometry (the flags are an integer argument),
 * files written with Data Protection. */
#include "objc_decls.h"

extern const void *kSecAttrAccessControl;
extern const void *NSFileProtectionComplete;
extern void *SecAccessControlCreateWithFlags(void *allocator, const void *protection,
                                             unsigned long flags, void **error);
extern const void *kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly;
extern int UIApplicationMain(int argc, char *argv[], void *principal, void *delegate);

const void *volatile depthchat_refs[2];

int main(int argc, char *argv[]) {
    id context = [[LAContext alloc] init];
    if ([context canEvaluatePolicy:2 error:0]) {
        [context evaluatePolicy:2 localizedReason:0 reply:0];
    }
    /* kSecAccessControlBiometryCurrentSet = 1 << 3: a compile-time flag. */
    SecAccessControlCreateWithFlags(0, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, 1u << 3, 0);
    depthchat_refs[0] = kSecAttrAccessControl;
    depthchat_refs[1] = NSFileProtectionComplete;
    return UIApplicationMain(argc, argv, 0, 0);
}
