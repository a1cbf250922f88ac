// Prisma CLI configuration (Prisma 7). The CLI is used only for `prisma generate`:
// migrations are applied by the app itself at start (src/db/migrate.ts) and new
// ones are written offline with `npm run db:new` (prisma/tool/).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
