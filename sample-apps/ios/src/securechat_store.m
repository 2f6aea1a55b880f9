/* SecureChat's own Objective-C class (a root class: no Foundation headers
 * are needed to compile it). It shows up in __objc_classname. */
__attribute__((objc_root_class))
@interface SCEncryptedStore {
    void *isa;
}
+ (int)protectionLevel;
@end

@implementation SCEncryptedStore
+ (int)protectionLevel {
    return 3; /* NSFileProtectionComplete */
}
@end
