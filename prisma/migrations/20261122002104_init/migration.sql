-- CreateEnum
CREATE TYPE "Locale" AS ENUM ('ja', 'en');

-- CreateEnum
CREATE TYPE "PersonStatus" AS ENUM ('active', 'erased');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'hr', 'cm');

-- CreateEnum
CREATE TYPE "ProfileField" AS ENUM ('display_name', 'email', 'department', 'years', 'employer', 'title', 'skills', 'interests');

-- CreateEnum
CREATE TYPE "PostingKind" AS ENUM ('job', 'gig');

-- CreateEnum
CREATE TYPE "PostingStatus" AS ENUM ('draft', 'open', 'closed');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('received', 'contacted', 'interviewing', 'hired', 'declined');

-- CreateEnum
CREATE TYPE "RewardState" AS ENUM ('none', 'eligible', 'paid');

-- CreateEnum
CREATE TYPE "EventKind" AS ENUM ('homecoming_day', 'meetup', 'online');

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('scheduled', 'cancelled');

-- CreateEnum
CREATE TYPE "RsvpResponse" AS ENUM ('going', 'maybe', 'not_going');

-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('post_exit', 'homecoming_wish');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'teams');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'dead', 'cancelled');

-- CreateEnum
CREATE TYPE "OutboxOperation" AS ENUM ('post', 'update', 'delete', 'dm', 'upload');

-- CreateTable
CREATE TABLE "people" (
    "id" UUID NOT NULL,
    "status" "PersonStatus" NOT NULL DEFAULT 'active',
    "display_name" TEXT,
    "email" TEXT,
    "locale" "Locale",
    "time_zone" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "people_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_identities" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "team_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "dm_channel_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams_identities" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "aad_object_id" TEXT NOT NULL,
    "teams_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_grants" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "granted_by_id" UUID,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "role_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consents" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "text_hash" TEXT NOT NULL,
    "locale" "Locale" NOT NULL,
    "given_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawn_at" TIMESTAMPTZ(3),

    CONSTRAINT "consents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "department" TEXT,
    "joined_year" INTEGER,
    "left_year" INTEGER,
    "left_on" DATE,
    "current_employer" TEXT,
    "title" TEXT,
    "skills" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "bio" TEXT,
    "job_alerts" BOOLEAN NOT NULL DEFAULT false,
    "gig_alerts" BOOLEAN NOT NULL DEFAULT false,
    "event_alerts" BOOLEAN NOT NULL DEFAULT false,
    "open_to_return" BOOLEAN NOT NULL DEFAULT false,
    "happy_to_refer" BOOLEAN NOT NULL DEFAULT false,
    "listed" BOOLEAN NOT NULL DEFAULT false,
    "directory_fields" "ProfileField"[] DEFAULT ARRAY[]::"ProfileField"[],
    "hr_fields" "ProfileField"[] DEFAULT ARRAY[]::"ProfileField"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member_blocks" (
    "id" UUID NOT NULL,
    "blocker_id" UUID NOT NULL,
    "blocked_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_blocks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postings" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "PostingKind" NOT NULL,
    "status" "PostingStatus" NOT NULL DEFAULT 'draft',
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT,
    "work_style" TEXT,
    "employment_type" TEXT,
    "skills" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "compensation" TEXT,
    "how_to_apply" TEXT,
    "closes_on" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "origin_conversation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "postings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interests" (
    "id" UUID NOT NULL,
    "posting_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "interests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referrals" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "posting_id" UUID,
    "referrer_id" UUID,
    "candidate_name" TEXT,
    "candidate_contact" TEXT,
    "relationship" TEXT,
    "note" TEXT,
    "candidate_consented" BOOLEAN NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'received',
    "reward_state" "RewardState" NOT NULL DEFAULT 'none',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral_status_changes" (
    "id" UUID NOT NULL,
    "referral_id" UUID NOT NULL,
    "from_status" "ReferralStatus",
    "to_status" "ReferralStatus" NOT NULL,
    "reward_state" "RewardState",
    "changed_by_id" UUID,
    "note" TEXT,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "EventKind" NOT NULL,
    "status" "EventStatus" NOT NULL DEFAULT 'scheduled',
    "title" TEXT NOT NULL,
    "description" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "time_zone" TEXT NOT NULL,
    "place" TEXT,
    "url" TEXT,
    "capacity" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "origin_conversation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rsvps" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "response" "RsvpResponse" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rsvps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "surveys" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "SurveyKind" NOT NULL,
    "questions" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "surveys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" UUID NOT NULL,
    "survey_id" UUID NOT NULL,
    "person_id" UUID,
    "event_id" UUID,
    "dedupe_key" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "submitted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_answers" (
    "id" UUID NOT NULL,
    "response_id" UUID NOT NULL,
    "question_key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "survey_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "operation" "OutboxOperation" NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "recipient_id" UUID,
    "subject_type" TEXT,
    "subject_id" UUID,
    "payload" JSONB NOT NULL,
    "rate_key" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "not_before" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "depends_on_id" UUID,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_message_refs" (
    "id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "outbox_message_id" UUID,
    "slack_channel" TEXT,
    "slack_ts" TEXT,
    "teams_conversation_id" TEXT,
    "teams_activity_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_message_refs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams_conversation_refs" (
    "id" UUID NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "tenant_id" TEXT,
    "conversation_type" TEXT NOT NULL,
    "service_url" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "person_id" UUID,
    "notify_here" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_conversation_refs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_deliveries" (
    "key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "response" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_deliveries_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "rate_limit_pauses" (
    "key" TEXT NOT NULL,
    "paused_until" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rate_limit_pauses_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "scheduler_cursors" (
    "job" TEXT NOT NULL,
    "last_run_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scheduler_cursors_pkey" PRIMARY KEY ("job")
);

-- CreateTable
CREATE TABLE "bot_state" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "e_tag" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bot_state_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "subject_type" TEXT,
    "subject_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "people_email_idx" ON "people"("email");

-- CreateIndex
CREATE INDEX "slack_identities_person_id_idx" ON "slack_identities"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "slack_identities_team_id_user_id_key" ON "slack_identities"("team_id", "user_id");

-- CreateIndex
CREATE INDEX "teams_identities_person_id_idx" ON "teams_identities"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_identities_tenant_id_aad_object_id_key" ON "teams_identities"("tenant_id", "aad_object_id");

-- CreateIndex
CREATE UNIQUE INDEX "role_grants_person_id_role_key" ON "role_grants"("person_id", "role");

-- CreateIndex
CREATE INDEX "consents_person_id_purpose_idx" ON "consents"("person_id", "purpose");

-- CreateIndex
CREATE UNIQUE INDEX "profiles_person_id_key" ON "profiles"("person_id");

-- CreateIndex
CREATE INDEX "member_blocks_blocked_id_idx" ON "member_blocks"("blocked_id");

-- CreateIndex
CREATE UNIQUE INDEX "member_blocks_blocker_id_blocked_id_key" ON "member_blocks"("blocker_id", "blocked_id");

-- CreateIndex
CREATE UNIQUE INDEX "postings_number_key" ON "postings"("number");

-- CreateIndex
CREATE INDEX "postings_status_kind_published_at_idx" ON "postings"("status", "kind", "published_at" DESC);

-- CreateIndex
CREATE INDEX "interests_person_id_idx" ON "interests"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "interests_posting_id_person_id_key" ON "interests"("posting_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_number_key" ON "referrals"("number");

-- CreateIndex
CREATE INDEX "referrals_status_idx" ON "referrals"("status");

-- CreateIndex
CREATE INDEX "referrals_referrer_id_idx" ON "referrals"("referrer_id");

-- CreateIndex
CREATE INDEX "referrals_posting_id_idx" ON "referrals"("posting_id");

-- CreateIndex
CREATE INDEX "referral_status_changes_referral_id_changed_at_idx" ON "referral_status_changes"("referral_id", "changed_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_number_key" ON "events"("number");

-- CreateIndex
CREATE INDEX "events_status_starts_at_idx" ON "events"("status", "starts_at");

-- CreateIndex
CREATE INDEX "rsvps_person_id_idx" ON "rsvps"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "rsvps_event_id_person_id_key" ON "rsvps"("event_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "surveys_key_key" ON "surveys"("key");

-- CreateIndex
CREATE UNIQUE INDEX "survey_responses_dedupe_key_key" ON "survey_responses"("dedupe_key");

-- CreateIndex
CREATE INDEX "survey_responses_survey_id_submitted_at_idx" ON "survey_responses"("survey_id", "submitted_at");

-- CreateIndex
CREATE INDEX "survey_responses_person_id_idx" ON "survey_responses"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "survey_answers_response_id_question_key_key" ON "survey_answers"("response_id", "question_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_messages_idempotency_key_key" ON "outbox_messages"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbox_messages_status_next_attempt_at_idx" ON "outbox_messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_messages_status_lease_expires_at_idx" ON "outbox_messages"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "outbox_messages_recipient_id_status_idx" ON "outbox_messages"("recipient_id", "status");

-- CreateIndex
CREATE INDEX "outbox_messages_subject_type_subject_id_idx" ON "outbox_messages"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "platform_message_refs_subject_type_subject_id_purpose_idx" ON "platform_message_refs"("subject_type", "subject_id", "purpose");

-- CreateIndex
CREATE UNIQUE INDEX "platform_message_refs_platform_slack_channel_slack_ts_key" ON "platform_message_refs"("platform", "slack_channel", "slack_ts");

-- CreateIndex
CREATE UNIQUE INDEX "platform_message_refs_platform_teams_conversation_id_teams__key" ON "platform_message_refs"("platform", "teams_conversation_id", "teams_activity_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_conversation_refs_conversation_id_key" ON "teams_conversation_refs"("conversation_id");

-- CreateIndex
CREATE INDEX "teams_conversation_refs_person_id_idx" ON "teams_conversation_refs"("person_id");

-- CreateIndex
CREATE INDEX "processed_deliveries_received_at_idx" ON "processed_deliveries"("received_at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_subject_type_subject_id_idx" ON "audit_log"("subject_type", "subject_id");

-- AddForeignKey
ALTER TABLE "slack_identities" ADD CONSTRAINT "slack_identities_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teams_identities" ADD CONSTRAINT "teams_identities_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consents" ADD CONSTRAINT "consents_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_blocks" ADD CONSTRAINT "member_blocks_blocker_id_fkey" FOREIGN KEY ("blocker_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_blocks" ADD CONSTRAINT "member_blocks_blocked_id_fkey" FOREIGN KEY ("blocked_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_origin_conversation_id_fkey" FOREIGN KEY ("origin_conversation_id") REFERENCES "teams_conversation_refs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interests" ADD CONSTRAINT "interests_posting_id_fkey" FOREIGN KEY ("posting_id") REFERENCES "postings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interests" ADD CONSTRAINT "interests_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_posting_id_fkey" FOREIGN KEY ("posting_id") REFERENCES "postings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_id_fkey" FOREIGN KEY ("referrer_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral_status_changes" ADD CONSTRAINT "referral_status_changes_referral_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral_status_changes" ADD CONSTRAINT "referral_status_changes_changed_by_id_fkey" FOREIGN KEY ("changed_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_origin_conversation_id_fkey" FOREIGN KEY ("origin_conversation_id") REFERENCES "teams_conversation_refs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "survey_responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_depends_on_id_fkey" FOREIGN KEY ("depends_on_id") REFERENCES "outbox_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_message_refs" ADD CONSTRAINT "platform_message_refs_outbox_message_id_fkey" FOREIGN KEY ("outbox_message_id") REFERENCES "outbox_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teams_conversation_refs" ADD CONSTRAINT "teams_conversation_refs_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;
