# STAND-IN: a tiny placeholder for the real Sentry SDK class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
# The real provider reads the manifest meta-data (io.sentry.dsn,
# io.sentry.auto-init, io.sentry.enabled) and starts Sentry at process start.
.class public final Lio/sentry/android/core/SentryInitProvider;
.super Landroid/content/ContentProvider;
.source "StandIn.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/ContentProvider;-><init>()V
    return-void
.end method

.method public onCreate()Z
    .registers 2
    invoke-virtual {p0}, Lio/sentry/android/core/SentryInitProvider;->getContext()Landroid/content/Context;
    move-result-object v0
    invoke-static {v0}, Lio/sentry/android/core/SentryAndroid;->init(Landroid/content/Context;)V
    const/4 v0, 0x1
    return v0
.end method

.method public query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    .registers 7
    const/4 v0, 0x0
    return-object v0
.end method

.method public getType(Landroid/net/Uri;)Ljava/lang/String;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method

.method public insert(Landroid/net/Uri;Landroid/content/ContentValues;)Landroid/net/Uri;
    .registers 4
    const/4 v0, 0x0
    return-object v0
.end method

.method public delete(Landroid/net/Uri;Ljava/lang/String;[Ljava/lang/String;)I
    .registers 5
    const/4 v0, 0x0
    return v0
.end method

.method public update(Landroid/net/Uri;Landroid/content/ContentValues;Ljava/lang/String;[Ljava/lang/String;)I
    .registers 6
    const/4 v0, 0x0
    return v0
.end method
