import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { register as registerDelete } from "./delete.js";
import { register as registerInterested } from "./interested.js";
import { register as registerModals } from "./open-modals.js";
import { register as registerPages } from "./pages.js";
import { register as registerRsvp } from "./rsvp.js";
import { register as registerSurvey } from "./survey.js";

export function register(app: App, deps: SlackDeps): void {
  registerModals(app, deps);
  registerInterested(app, deps);
  registerRsvp(app, deps);
  registerPages(app, deps);
  registerDelete(app, deps);
  registerSurvey(app, deps);
}
