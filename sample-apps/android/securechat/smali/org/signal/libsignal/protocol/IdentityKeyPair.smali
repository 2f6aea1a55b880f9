# STAND-IN: a tiny placeholder for the real library class Lorg/signal/libsignal/protocol/IdentityKeyPair
# (same package and name, no real code), so that msgaudit's detection can be
# tested without shipping the library. It must never be mistaken for the real thing.
.class public Lorg/signal/libsignal/protocol/IdentityKeyPair;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static generate()Lorg/signal/libsignal/protocol/IdentityKeyPair;
    .registers 2
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method
