/* SecureChat sample app: a C main that references the frameworks a
 * privacy-conscious messenger would use. Class references are written the
 * way compiled Objective-C emits them (undefined `_OBJC_CLASS_$_X` symbols),
 * so the binary links LocalAuthentication and Foundation for real. */

extern char LAContextClass __asm__("_OBJC_CLASS_$_LAContext");
extern char NSFileManagerClass __asm__("_OBJC_CLASS_$_NSFileManager");
extern const void *NSFileProtectionComplete;
extern const void *NSURLIsExcludedFromBackupKey;
extern int UIApplicationMain(int argc, char *argv[], void *principal, void *delegate);

/* Keeps the references alive. */
const void *volatile securechat_refs[4];

int main(int argc, char *argv[]) {
    securechat_refs[0] = &LAContextClass;
    securechat_refs[1] = &NSFileManagerClass;
    securechat_refs[2] = NSFileProtectionComplete;
    securechat_refs[3] = NSURLIsExcludedFromBackupKey;
    return UIApplicationMain(argc, argv, 0, 0);
}
