/* DepthKit.framework: a bundled SDK that reads and writes the address
 * book, asks for location "always", reads the advertising identifier,
 * asks for tracking and encrypts with CommonCrypto. */
#include "objc_decls.h"

extern int CCCrypt(int op, int alg, int options, const void *key, unsigned long key_len,
                   const void *iv, const void *in, unsigned long in_len, void *out,
                   unsigned long out_avail, unsigned long *out_moved);

int DepthKitCollect(void) {
    id store = [[CNContactStore alloc] init];
    [store enumerateContactsWithFetchRequest:0 error:0 usingBlock:0];
    [store executeSaveRequest:[CNSaveRequest alloc] error:0];
    id location = [[CLLocationManager alloc] init];
    [location requestAlwaysAuthorization];
    [location setAllowsBackgroundLocationUpdates:1];
    id idfa = [[ASIdentifierManager sharedManager] advertisingIdentifier];
    [ATTrackingManager requestTrackingAuthorizationWithCompletionHandler:0];
    unsigned long moved = 0;
    return CCCrypt(0, 0, 1, idfa, 16, 0, 0, 0, 0, 0, &moved);
}
