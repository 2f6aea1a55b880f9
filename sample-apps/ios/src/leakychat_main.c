/* LeakyChat sample app: links the (sample) FirebaseCrashlytics framework
 * and the Contacts / CoreLocation frameworks, and references the Photos
 * save API, the way a data-hungry messenger would. */

extern char FIRCrashlyticsClass __asm__("_OBJC_CLASS_$_FIRCrashlytics");
extern char CNContactStoreClass __asm__("_OBJC_CLASS_$_CNContactStore");
extern char CLLocationManagerClass __asm__("_OBJC_CLASS_$_CLLocationManager");
extern void UIImageWriteToSavedPhotosAlbum(void *image, void *target, void *sel, void *ctx);
extern int UIApplicationMain(int argc, char *argv[], void *principal, void *delegate);
extern void FIRCLSStartCollection(void);

const void *volatile leakychat_refs[4];

int main(int argc, char *argv[]) {
    leakychat_refs[0] = &FIRCrashlyticsClass;
    leakychat_refs[1] = &CNContactStoreClass;
    leakychat_refs[2] = &CLLocationManagerClass;
    leakychat_refs[3] = (const void *)UIImageWriteToSavedPhotosAlbum;
    FIRCLSStartCollection();
    return UIApplicationMain(argc, argv, 0, 0);
}
