# App lock: shows the (stand-in) AndroidX BiometricPrompt, then opens the
# encrypted message store with the Keystore-held key.
.class public Lorg/example/securechat/UnlockActivity;
.super Landroid/app/Activity;
.source "UnlockActivity.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    new-instance v0, Landroidx/biometric/BiometricPrompt;
    invoke-direct {v0}, Landroidx/biometric/BiometricPrompt;-><init>()V
    const-string v1, "Unlock SecureChat"
    invoke-virtual {v0, v1}, Landroidx/biometric/BiometricPrompt;->authenticate(Ljava/lang/String;)V
    invoke-static {}, Lorg/example/securechat/KeyVault;->createKey()V
    invoke-static {p0}, Lorg/example/securechat/MessageStore;->open(Landroid/content/Context;)Lnet/zetetic/database/sqlcipher/SQLiteDatabase;
    return-void
.end method
