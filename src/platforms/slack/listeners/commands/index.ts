import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { alumniCommand } from "./alumni.js";

export function register(app: App, deps: SlackDeps): void {
  app.command("/alumni", alumniCommand(deps));
}
