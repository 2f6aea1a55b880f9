//! Unsafe TLS code patterns, recognised from a method's signature and its
//! instructions: a `checkServerTrusted` that returns without checking, a
//! `verify(String, SSLSession)` that returns `true`, an `onReceivedSslError`
//! that calls `SslErrorHandler.proceed()`.
//!
//! Methods are recognised by name and exact parameter types (the interface
//! signatures), so no class hierarchy needs resolving. Kotlin's parameter
//! null checks (`Intrinsics.checkNotNullParameter`) before the body do not
//! hide a pattern.

use super::code::{is_invoke, Insns};

/// Which pattern a method's signature makes it a candidate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// `X509TrustManager.checkServerTrusted` accepting every certificate.
    TrustAll,
    /// `HostnameVerifier.verify` returning `true`.
    VerifierAcceptsAll,
    /// `WebViewClient.onReceivedSslError` calling `proceed()`.
    SslErrorProceed,
}

impl PatternKind {
    /// The name used in the facts.
    pub fn as_str(self) -> &'static str {
        match self {
            PatternKind::TrustAll => "trust_all_certificates",
            PatternKind::VerifierAcceptsAll => "hostname_verifier_accepts_all",
            PatternKind::SslErrorProceed => "ssl_error_proceed",
        }
    }
}

const CERTS: &[u8] = b"[Ljava/security/cert/X509Certificate;";
const STRING: &[u8] = b"Ljava/lang/String;";

/// The candidate kind of a method by name, return type and parameter type
/// descriptors.
pub fn candidate(name: &[u8], ret: &[u8], params: &[&[u8]]) -> Option<PatternKind> {
    match (name, ret, params) {
        (b"checkServerTrusted", b"V", [CERTS, STRING])
        | (b"checkServerTrusted", b"V", [CERTS, STRING, b"Ljava/net/Socket;"])
        | (b"checkServerTrusted", b"V", [CERTS, STRING, b"Ljavax/net/ssl/SSLEngine;"]) => {
            Some(PatternKind::TrustAll)
        }
        (b"verify", b"Z", [STRING, b"Ljavax/net/ssl/SSLSession;"]) => {
            Some(PatternKind::VerifierAcceptsAll)
        }
        (
            b"onReceivedSslError",
            b"V",
            [b"Landroid/webkit/WebView;", b"Landroid/webkit/SslErrorHandler;", b"Landroid/net/http/SslError;"],
        ) => Some(PatternKind::SslErrorProceed),
        _ => None,
    }
}

/// What the matcher needs to know about the method ids a body invokes.
pub trait MethodFlags {
    /// Whether method id `idx` is a Kotlin parameter null check.
    fn is_null_check(&self, idx: u16) -> bool;
    /// Whether method id `idx` is `SslErrorHandler.proceed`.
    fn is_proceed(&self, idx: u16) -> bool;
}

/// Whether the body of a candidate method shows the unsafe pattern.
pub fn matches(kind: PatternKind, insns: Insns<'_>, flags: &impl MethodFlags) -> bool {
    // Instructions that only check parameters: const-string of the name,
    // invoke-static of a Kotlin null check.
    let is_prologue = |u0: u16, u1: u16| match (u0 & 0xff) as u8 {
        0x1a => true,
        0x71 => flags.is_null_check(u1),
        _ => false,
    };
    let mut it = insns.iter();
    match kind {
        PatternKind::SslErrorProceed => {
            it.any(|(_, u0, u1)| is_invoke((u0 & 0xff) as u8) && flags.is_proceed(u1))
        }
        PatternKind::TrustAll => {
            let mut body = it.skip_while(|&(_, u0, u1)| is_prologue(u0, u1));
            let first = body.next();
            // Padding nops (e.g. before a payload) may follow.
            matches!(first, Some((_, 0x000e, _))) && body.all(|(_, u0, _)| u0 == 0)
        }
        PatternKind::VerifierAcceptsAll => {
            let mut body = it.skip_while(|&(_, u0, u1)| is_prologue(u0, u1));
            // const/4 vA, #+1 ; return vA
            let Some((_, load, _)) = body.next() else {
                return false;
            };
            let Some((_, ret, _)) = body.next() else {
                return false;
            };
            let reg = (load >> 8) & 0xf;
            load & 0xff == 0x12
                && load >> 12 == 1
                && ret & 0xff == 0x0f
                && ret >> 8 == reg
                && body.all(|(_, u0, _)| u0 == 0)
        }
    }
}
