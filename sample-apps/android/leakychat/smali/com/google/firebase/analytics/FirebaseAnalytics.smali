# STAND-IN: a tiny placeholder for the real Firebase class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
.class public final Lcom/google/firebase/analytics/FirebaseAnalytics;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public static getInstance(Landroid/content/Context;)Lcom/google/firebase/analytics/FirebaseAnalytics;
    .registers 3
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method

.method public logEvent(Ljava/lang/String;Landroid/os/Bundle;)V
    .registers 5
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method
