-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('pending', 'verified', 'rejected');

-- CreateEnum
CREATE TYPE "RosterImportStatus" AS ENUM ('previewed', 'imported', 'cancelled');

-- CreateEnum
CREATE TYPE "JoinRequestStatus" AS ENUM ('pending', 'approved', 'rejected');

-- AlterTable
-- People who registered before verification existed stay members: the column starts as
-- 'verified' for every existing row, and only then does a new person start as 'pending'.
ALTER TABLE "people" ADD COLUMN     "membership_status" "MembershipStatus" NOT NULL DEFAULT 'verified';
ALTER TABLE "people" ALTER COLUMN "membership_status" SET DEFAULT 'pending';

-- CreateTable
CREATE TABLE "roster_entries" (
    "id" UUID NOT NULL,
    "employee_number" TEXT NOT NULL,
    "family_name" TEXT,
    "given_name" TEXT,
    "family_name_kana" TEXT,
    "given_name_kana" TEXT,
    "work_email" TEXT,
    "personal_email" TEXT,
    "department" TEXT,
    "joined_on" DATE,
    "left_on" DATE,
    "leave_reason" TEXT,
    "rehire_eligible" BOOLEAN,
    "email_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "name_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "person_id" UUID,
    "import_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roster_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roster_imports" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "uploader_id" UUID,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "status" "RosterImportStatus" NOT NULL DEFAULT 'previewed',
    "summary" JSONB NOT NULL,
    "rows" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "roster_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "join_requests" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "person_id" UUID NOT NULL,
    "status" "JoinRequestStatus" NOT NULL DEFAULT 'pending',
    "personal_email" TEXT,
    "employee_number" TEXT,
    "family_name" TEXT,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "join_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "roster_entries_employee_number_key" ON "roster_entries"("employee_number");

-- CreateIndex
CREATE UNIQUE INDEX "roster_entries_person_id_key" ON "roster_entries"("person_id");

-- CreateIndex
CREATE INDEX "roster_entries_email_keys_idx" ON "roster_entries" USING GIN ("email_keys");

-- CreateIndex
CREATE INDEX "roster_entries_created_at_idx" ON "roster_entries"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "roster_imports_number_key" ON "roster_imports"("number");

-- CreateIndex
CREATE UNIQUE INDEX "join_requests_number_key" ON "join_requests"("number");

-- CreateIndex
CREATE INDEX "join_requests_person_id_created_at_idx" ON "join_requests"("person_id", "created_at");

-- CreateIndex
CREATE INDEX "join_requests_status_created_at_idx" ON "join_requests"("status", "created_at");

-- AddForeignKey
ALTER TABLE "roster_entries" ADD CONSTRAINT "roster_entries_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roster_entries" ADD CONSTRAINT "roster_entries_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "roster_imports"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_uploader_id_fkey" FOREIGN KEY ("uploader_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- At most one open join request per person (a double submission, or a retry, finds the open one).
CREATE UNIQUE INDEX "join_requests_one_pending_per_person" ON "join_requests"("person_id") WHERE "status" = 'pending';
