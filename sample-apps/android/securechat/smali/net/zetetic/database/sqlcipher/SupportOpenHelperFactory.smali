# STAND-IN: a tiny placeholder for the real library class Lnet/zetetic/database/sqlcipher/SupportOpenHelperFactory
# (same package and name, no real code), so that msgaudit's detection can be
# tested without shipping the library. It must never be mistaken for the real thing.
.class public Lnet/zetetic/database/sqlcipher/SupportOpenHelperFactory;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

