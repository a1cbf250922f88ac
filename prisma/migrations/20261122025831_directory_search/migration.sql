-- Directory search (`/alumni find`) through indexes. profiles.search_text holds
-- what a member shows in the directory and nothing else; triggers keep it (and
-- search_grams, search_years) right on every write, so no code path can forget
-- it and a hidden field is never in it. Written by hand: the extension, the
-- functions, the triggers and the backfill; the rest is Prisma's.

-- LIKE '%word%' through a GIN trigram index. PGlite loads pg_trgm too (src/db/database.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "profiles" ADD COLUMN     "search_grams" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "search_years" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- The searchable text of a member: the fields they show in the directory, one per
-- line (a word never spans two fields), NFKC-normalised (full-width ＡＢＣ and
-- half-width ｶﾅ become their usual forms) and lower case. searchDirectory()
-- normalises a word the same way: NFKC, then lower() in this database.
CREATE FUNCTION "profiles_search_text"(
    "fields" "ProfileField"[], "display_name" TEXT, "department" TEXT,
    "employer" TEXT, "title" TEXT, "skills" TEXT[]
) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(normalize(concat_ws(E'\n',
        CASE WHEN 'display_name' = ANY ("fields") THEN "display_name" END,
        CASE WHEN 'department' = ANY ("fields") THEN "department" END,
        CASE WHEN 'employer' = ANY ("fields") THEN "employer" END,
        CASE WHEN 'title' = ANY ("fields") THEN "title" END,
        CASE WHEN 'skills' = ANY ("fields") THEN array_to_string("skills", E'\n') END
    ), NFKC))
$$;

-- Every distinct one- and two-character piece of a search text that holds no
-- space or line break. A trigram index cannot find a word shorter than three
-- characters (田中, Go); "contains all of the word's pieces" can, through GIN.
CREATE FUNCTION "profiles_search_grams"("search_text" TEXT) RETURNS TEXT[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    chars TEXT[] := coalesce(string_to_array("search_text", NULL), ARRAY[]::TEXT[]);
    grams TEXT[] := ARRAY[]::TEXT[];
BEGIN
    FOR i IN 1 .. cardinality(chars) LOOP
        CONTINUE WHEN chars[i] IN (' ', E'\n');
        grams := grams || chars[i];
        IF i < cardinality(chars) AND chars[i + 1] NOT IN (' ', E'\n') THEN
            grams := grams || (chars[i] || chars[i + 1]);
        END IF;
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT g FROM unnest(grams) AS g);
END
$$;

-- Every insert or update of a profile recomputes the search columns (a value
-- written to them by anyone else is replaced).
CREATE FUNCTION "profiles_search_columns"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    shown_name TEXT;
BEGIN
    IF 'display_name' = ANY (NEW."directory_fields") THEN
        SELECT p."display_name" INTO shown_name FROM "people" p WHERE p."id" = NEW."person_id";
    END IF;
    NEW."search_text" := "profiles_search_text"(NEW."directory_fields", shown_name,
        NEW."department", NEW."current_employer", NEW."title", NEW."skills");
    NEW."search_grams" := "profiles_search_grams"(NEW."search_text");
    NEW."search_years" := CASE WHEN 'years' = ANY (NEW."directory_fields")
        THEN array_remove(ARRAY[NEW."joined_year", NEW."left_year"], NULL)
        ELSE ARRAY[]::INTEGER[] END;
    RETURN NEW;
END
$$;

CREATE TRIGGER "profiles_search_columns"
    BEFORE INSERT OR UPDATE ON "profiles"
    FOR EACH ROW EXECUTE FUNCTION "profiles_search_columns"();

-- A new display name (registration, a profile edit, a Teams name change, erasure)
-- reaches the search text: any update of the profile row runs the trigger above.
CREATE FUNCTION "people_refresh_profile_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "profiles" SET "search_text" = '' WHERE "person_id" = NEW."id";
    RETURN NULL;
END
$$;

CREATE TRIGGER "people_refresh_profile_search"
    AFTER UPDATE OF "display_name" ON "people"
    FOR EACH ROW WHEN (OLD."display_name" IS DISTINCT FROM NEW."display_name")
    EXECUTE FUNCTION "people_refresh_profile_search"();

-- Existing profiles (the trigger computes the columns).
UPDATE "profiles" SET "search_text" = '';

-- CreateIndex
CREATE INDEX "profiles_search_text_idx" ON "profiles" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "profiles_search_grams_idx" ON "profiles" USING GIN ("search_grams");

-- CreateIndex
CREATE INDEX "profiles_search_years_idx" ON "profiles" USING GIN ("search_years");

-- CreateIndex
CREATE INDEX "profiles_created_at_person_id_idx" ON "profiles"("created_at" DESC, "person_id");
