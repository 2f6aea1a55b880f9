/* DepthWatch extension: seals data with CryptoKit (a Swift API, referenced
 * by its mangled name), writes files without Data Protection and starts the
 * crash reporter of the watch app's WristKit.framework. The build leaves it
 * unsigned. */
extern char cryptokit_seal __asm__(
    "_$s9CryptoKit3AESO3GCMO4seal_5usingAE9SealedBoxVx_AA12SymmetricKeyVtKAA12DataProtocolRzlFZ");
extern const void *NSFileProtectionNone;
extern void SentryCrashInstall(void);

const void *volatile watch_ext_refs[2];

int main(void) {
    watch_ext_refs[0] = &cryptokit_seal;
    watch_ext_refs[1] = NSFileProtectionNone;
    SentryCrashInstall();
    return 0;
}
