import { fuzzEntryPoint } from "./entry.js";
import { slackInteractionEntry } from "./properties.js";

fuzzEntryPoint(slackInteractionEntry);
