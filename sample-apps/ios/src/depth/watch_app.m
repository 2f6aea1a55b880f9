/* DepthWatch.app: a watch app that follows the location. */
#include "objc_decls.h"

int main(void) {
    [[[CLLocationManager alloc] init] startUpdatingLocation];
    return 0;
}
