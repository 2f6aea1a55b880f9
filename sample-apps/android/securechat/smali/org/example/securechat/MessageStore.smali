# Messages and attachments live in an SQLCipher database in the app's
# private directory (DSK APP-04).
.class public final Lorg/example/securechat/MessageStore;
.super Ljava/lang/Object;
.source "MessageStore.java"

.method public static open(Landroid/content/Context;)Lnet/zetetic/database/sqlcipher/SQLiteDatabase;
    .registers 3
    const-string v0, "messages.db"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getDatabasePath(Ljava/lang/String;)Ljava/io/File;
    move-result-object v0
    invoke-virtual {v0}, Ljava/io/File;->getPath()Ljava/lang/String;
    move-result-object v0
    const/16 v1, 0x20
    new-array v1, v1, [B
    invoke-static {v0, v1}, Lnet/zetetic/database/sqlcipher/SQLiteDatabase;->openOrCreateDatabase(Ljava/lang/String;[B)Lnet/zetetic/database/sqlcipher/SQLiteDatabase;
    move-result-object v0
    return-object v0
.end method
