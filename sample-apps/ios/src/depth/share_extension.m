/* Share.appex: a share extension that checks for biometry and stores a
 * keychain item that never leaves the device. */
#include "objc_decls.h"

extern const void *kSecAttrAccessibleWhenUnlockedThisDeviceOnly;
extern int SecItemAdd(const void *attributes, void **result);

const void *volatile share_refs[1];

int main(void) {
    id context = [[LAContext alloc] init];
    share_refs[0] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly;
    return [context canEvaluatePolicy:1 error:0] ? SecItemAdd(0, 0) : 0;
}
