# Generates the message-database key inside the Android Keystore. The key is
# usable only after the user authenticated and never leaves secure hardware.
.class public final Lorg/example/securechat/KeyVault;
.super Ljava/lang/Object;
.source "KeyVault.java"

.field public static final KEYSTORE:Ljava/lang/String; = "AndroidKeyStore"

.field public static final KEY_ALIAS:Ljava/lang/String; = "securechat-db-key"

.method public static createKey()V
    .registers 5
    const-string v0, "AES"
    const-string v1, "AndroidKeyStore"
    invoke-static {v0, v1}, Ljavax/crypto/KeyGenerator;->getInstance(Ljava/lang/String;Ljava/lang/String;)Ljavax/crypto/KeyGenerator;
    move-result-object v0
    new-instance v1, Landroid/security/keystore/KeyGenParameterSpec$Builder;
    const-string v2, "securechat-db-key"
    # PURPOSE_ENCRYPT | PURPOSE_DECRYPT
    const/4 v3, 0x3
    invoke-direct {v1, v2, v3}, Landroid/security/keystore/KeyGenParameterSpec$Builder;-><init>(Ljava/lang/String;I)V
    const/4 v2, 0x1
    invoke-virtual {v1, v2}, Landroid/security/keystore/KeyGenParameterSpec$Builder;->setUserAuthenticationRequired(Z)Landroid/security/keystore/KeyGenParameterSpec$Builder;
    invoke-virtual {v1}, Landroid/security/keystore/KeyGenParameterSpec$Builder;->build()Landroid/security/keystore/KeyGenParameterSpec;
    move-result-object v1
    invoke-virtual {v0, v1}, Ljavax/crypto/KeyGenerator;->init(Ljava/security/spec/AlgorithmParameterSpec;)V
    invoke-virtual {v0}, Ljavax/crypto/KeyGenerator;->generateKey()Ljavax/crypto/SecretKey;
    return-void
.end method
