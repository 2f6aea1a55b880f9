# Main screen: syncs messages over plain HTTP, uploads the address book,
# starts background location tracking, logs analytics events.
.class public Lorg/example/leakychat/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.field public static final SYNC_URL:Ljava/lang/String; = "http://api.leakychat.example/v1/sync"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {p0}, Lcom/google/firebase/analytics/FirebaseAnalytics;->getInstance(Landroid/content/Context;)Lcom/google/firebase/analytics/FirebaseAnalytics;
    move-result-object v0
    const-string v1, "app_open"
    const/4 v2, 0x0
    invoke-virtual {v0, v1, v2}, Lcom/google/firebase/analytics/FirebaseAnalytics;->logEvent(Ljava/lang/String;Landroid/os/Bundle;)V
    new-instance v0, Ljava/net/URL;
    const-string v1, "http://api.leakychat.example/v1/sync"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-static {p0}, Lorg/example/leakychat/ContactsUploader;->upload(Landroid/content/Context;)V
    new-instance v0, Landroid/content/Intent;
    const-class v1, Lorg/example/leakychat/LocationTrackingService;
    invoke-direct {v0, p0, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    invoke-virtual {p0, v0}, Lorg/example/leakychat/MainActivity;->startForegroundService(Landroid/content/Intent;)Landroid/content/ComponentName;
    return-void
.end method
