/* Minimal declarations of the Apple classes the DepthChat sample messages
 * (no SDK headers on Linux). Messaging a class emits what Xcode emits: a
 * class reference bound to `_OBJC_CLASS_$_X`, selector references in
 * `__objc_selrefs` and calls of `objc_msgSend`. */
typedef void *id;

__attribute__((objc_root_class))
@interface LAContext
+ (id)alloc;
- (id)init;
- (int)canEvaluatePolicy:(long)policy error:(void **)error;
- (void)evaluatePolicy:(long)policy localizedReason:(id)reason reply:(void *)reply;
@end

__attribute__((objc_root_class))
@interface CNContactStore
+ (id)alloc;
- (id)init;
- (int)enumerateContactsWithFetchRequest:(id)request error:(void **)error usingBlock:(void *)block;
- (int)executeSaveRequest:(id)request error:(void **)error;
@end

__attribute__((objc_root_class))
@interface CNSaveRequest
+ (id)alloc;
@end

__attribute__((objc_root_class))
@interface CLLocationManager
+ (id)alloc;
- (id)init;
- (void)requestAlwaysAuthorization;
- (void)setAllowsBackgroundLocationUpdates:(int)allow;
- (void)startUpdatingLocation;
@end

__attribute__((objc_root_class))
@interface ASIdentifierManager
+ (id)sharedManager;
- (id)advertisingIdentifier;
@end

__attribute__((objc_root_class))
@interface ATTrackingManager
+ (void)requestTrackingAuthorizationWithCompletionHandler:(void *)handler;
@end
