# STAND-IN: a tiny placeholder for the real Sentry SDK class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
.class public final Lio/sentry/android/core/SentryAndroid;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public static init(Landroid/content/Context;)V
    .registers 3
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method
