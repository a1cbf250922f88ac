import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { register as registerRefer } from "./refer.js";
import { register as registerRegister } from "./register.js";
import { register as registerSurvey } from "./survey.js";

export function register(app: App, deps: SlackDeps): void {
  registerRegister(app, deps);
  registerRefer(app, deps);
  registerSurvey(app, deps);
}
