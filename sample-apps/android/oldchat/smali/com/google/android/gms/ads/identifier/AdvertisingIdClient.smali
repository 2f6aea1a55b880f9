# STAND-IN: a tiny placeholder for the real Google Play services class of the
# same name (play-services-ads-identifier; no real code), so that msgaudit's
# detection can be tested without shipping the library. The real client asks
# Google Play services for the advertising ID.
.class public Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;
.super Ljava/lang/Object;
.source "StandIn.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static getAdvertisingIdInfo(Landroid/content/Context;)Ljava/lang/Object;
    .registers 2
    const/4 v0, 0x0
    return-object v0
.end method
