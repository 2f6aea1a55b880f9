# STAND-IN: a tiny placeholder for the real Sentry SDK class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
.class public Lio/sentry/SentryOptions;
.super Ljava/lang/Object;
.source "StandIn.java"

.field private dsn:Ljava/lang/String;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
