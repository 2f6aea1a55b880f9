# End-to-end encrypted session with one contact (Signal protocol, DSK COM-02).
.class public final Lorg/example/securechat/ChatSession;
.super Ljava/lang/Object;
.source "ChatSession.java"

.field private final identity:Lorg/signal/libsignal/protocol/IdentityKeyPair;

.method public constructor <init>()V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    invoke-static {}, Lorg/signal/libsignal/protocol/IdentityKeyPair;->generate()Lorg/signal/libsignal/protocol/IdentityKeyPair;
    move-result-object v0
    iput-object v0, p0, Lorg/example/securechat/ChatSession;->identity:Lorg/signal/libsignal/protocol/IdentityKeyPair;
    return-void
.end method
