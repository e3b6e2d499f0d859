-- CreateTable
CREATE TABLE "SecretKeyCheck" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'secret-key',
    "hmac" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

