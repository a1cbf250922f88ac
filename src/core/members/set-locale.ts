// A member chooses the language the bot speaks to them.
import { z } from "zod";
import type { Locale } from "../../i18n/index.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { parseInput } from "../validation.js";

export async function setLocale(options: { prisma: Db; personId: string; locale: unknown }): Promise<Locale> {
  const { locale } = parseInput(z.object({ locale: z.enum(["ja", "en"]) }), { locale: options.locale });
  const updated = await options.prisma.person.updateMany({
    where: { id: options.personId, status: "active" },
    data: { locale },
  });
  if (updated.count === 0) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  return locale;
}
