// Subcommand name → handler. The names are the public interface.
import type { Subcommand } from "../blocks/messages.js";
import { block, unblock } from "./block.js";
import type { SubcommandHandler } from "./context.js";
import { deleteData } from "./delete.js";
import { events } from "./events.js";
import { find } from "./find.js";
import { help } from "./help.js";
import { join } from "./join.js";
import { lang } from "./lang.js";
import { mydata } from "./mydata.js";
import { postings } from "./postings.js";
import { profile } from "./profile.js";
import { refer } from "./refer.js";

export const subcommands: Record<Subcommand, SubcommandHandler> = {
  help: (ctx) => help(ctx),
  join,
  profile,
  find,
  jobs: postings("job"),
  gigs: postings("gig"),
  refer,
  events,
  block,
  unblock,
  lang,
  mydata,
  delete: deleteData,
};
