# STAND-IN: a tiny placeholder for the real Firebase class of the same name
# (no real code), so that msgaudit's detection can be tested without shipping
# the library.
.class public Lcom/google/android/gms/measurement/AppMeasurement;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
