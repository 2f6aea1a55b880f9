# STAND-IN: a tiny placeholder for the real Firebase class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
.class public Lcom/google/firebase/crashlytics/FirebaseCrashlytics;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public static getInstance()Lcom/google/firebase/crashlytics/FirebaseCrashlytics;
    .registers 2
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method

.method public setCrashlyticsCollectionEnabled(Z)V
    .registers 4
    new-instance v0, Ljava/lang/UnsupportedOperationException;
    const-string v1, "stand-in for the real library"
    invoke-direct {v0, v1}, Ljava/lang/UnsupportedOperationException;-><init>(Ljava/lang/String;)V
    throw v0
.end method
