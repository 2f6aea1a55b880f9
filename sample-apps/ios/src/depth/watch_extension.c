/* DepthWatch extension: seals data with CryptoKit (a Swift API, referenced
 * by its mangled name) and writes files without Data Protection. */
extern char cryptokit_seal __asm__(
    "_$s9CryptoKit3AESO3GCMO4seal_5usingAE9SealedBoxVx_AA12SymmetricKeyVtKAA12DataProtocolRzlFZ");
extern const void *NSFileProtectionNone;

const void *volatile watch_ext_refs[2];

int main(void) {
    watch_ext_refs[0] = &cryptokit_seal;
    watch_ext_refs[1] = NSFileProtectionNone;
    return 0;
}
