-- GIN indexes collect new entries in a pending list that every search reads in
-- full until (auto)vacuum or an insert past gin_pending_list_limit (4 MB by
-- default) merges it. PGlite has no autovacuum, so a directory there could
-- carry a 4 MB list for good: 300-400 pages read on every search (5 ms at
-- 100,000 members in the benchmark). 256 kB bounds that at about 30 pages,
-- at the price of merging more often while profiles are written.
ALTER INDEX "profiles_search_text_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "profiles_search_grams_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "profiles_search_years_idx" SET (gin_pending_list_limit = 256);
