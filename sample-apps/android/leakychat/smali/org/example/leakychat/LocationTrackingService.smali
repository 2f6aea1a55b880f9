# Foreground service of type "location": keeps reporting the position.
.class public Lorg/example/leakychat/LocationTrackingService;
.super Landroid/app/Service;
.source "LocationTrackingService.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method
