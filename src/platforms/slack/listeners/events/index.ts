import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { register as registerAppHome } from "./app-home-opened.js";

export function register(app: App, deps: SlackDeps): void {
  registerAppHome(app, deps);
}
